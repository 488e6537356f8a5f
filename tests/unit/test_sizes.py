"""Each module has one job and each function does one thing: no function longer than 60 lines (the chart
builders under di_metrics/present/charts/ excepted: a figure is one long list of settings), no module longer
than 400 lines, in the package, ui/, pages/ and app.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("di_metrics/**/*.py", "ui/**/*.py", "pages/**/*.py", "app.py")
CHART_BUILDERS = ROOT / "di_metrics" / "present" / "charts"
MAX_FUNCTION = 60
MAX_MODULE = 400


def checked_files() -> list[Path]:
    return sorted({p for pattern in CHECKED for p in ROOT.glob(pattern)})


def module_lines(text: str) -> int:
    return len(text.splitlines())


def long_functions(text: str, limit: int = MAX_FUNCTION) -> list[tuple[str, int]]:
    """(name, lines) of every function or method longer than the limit, its decorators and docstring included."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = node.end_lineno - first + 1
            if length > limit:
                found.append((node.name, length))
    return found


def test_no_module_is_longer_than_400_lines():
    long = {
        str(p.relative_to(ROOT)): n for p in checked_files() if (n := module_lines(p.read_text("utf-8"))) > MAX_MODULE
    }
    assert long == {}


def test_no_function_outside_the_chart_builders_is_longer_than_60_lines():
    long = {
        f"{p.relative_to(ROOT)}:{name}": n
        for p in checked_files()
        if CHART_BUILDERS not in p.parents
        for name, n in long_functions(p.read_text("utf-8"))
    }
    assert long == {}


def test_the_scope_is_not_empty():
    for pattern in CHECKED:
        assert list(ROOT.glob(pattern)), pattern


@pytest.mark.parametrize("length", [60, 61])
def test_the_rule_counts_a_function_from_its_decorator_to_its_last_line(length):
    body = "\n".join(f"    x{i} = {i}" for i in range(length - 3))
    source = f"@cache\ndef f():\n    '''Why.'''\n{body}\n"
    assert long_functions(source) == ([] if length == 60 else [("f", 61)])
