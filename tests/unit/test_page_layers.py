"""The pages' side of the layers: a page reaches the data only through ui.data, draws a chart only through
ui.widgets.chart, and only ui.data keeps caches and connections (so every cache key holds the data version)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [*sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]
UI = sorted((ROOT / "ui").glob("*.py"))


def storage_imports(source: str) -> list[str]:
    """The storage modules a file imports, however it spells the import (also inside a function)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("di_metrics.storage")]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("di_metrics.storage"):
                found.append(node.module)
            elif node.module == "di_metrics":
                found += [f"di_metrics.{a.name}" for a in node.names if a.name == "storage"]
    return found


def calls_of(source: str, names: set[str]) -> list[str]:
    """The calls in a file to any of `names`, as a function or a method (st.plotly_chart, col.plotly_chart)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in names:
                found.append(f"{name} (line {node.lineno})")
    return found


def test_pages_reach_storage_only_through_ui():
    offenders = {p.name: found for p in PAGES if (found := storage_imports(p.read_text(encoding="utf-8")))}
    assert offenders == {}


@pytest.mark.parametrize(
    "line",
    [
        "from di_metrics.storage import ingest",
        "from di_metrics.storage.targets import save_target",
        "import di_metrics.storage.measure_register",
        "from di_metrics import storage",
        "def f():\n    from di_metrics.storage.formats import FORMATS",
    ],
)
def test_the_storage_rule_catches_an_import(line):
    assert storage_imports(line + "\n")


def test_a_query_import_is_not_taken_for_storage():
    assert storage_imports("from di_metrics.queries.filters import Filters\nfrom di_metrics import i18n\n") == []


def test_no_page_draws_a_chart_but_through_ui_chart():
    """ui.widgets.chart is the one way a chart reaches a page (with its downloads and access rule)."""
    drawing = {"plotly_chart", "pyplot", "altair_chart", "vega_lite_chart", "bokeh_chart"}
    files = [*PAGES, *(p for p in UI if p.name != "widgets.py")]
    offenders = {p.name: found for p in files if (found := calls_of(p.read_text(encoding="utf-8"), drawing))}
    assert offenders == {}


def test_the_chart_rule_catches_a_direct_call():
    assert calls_of("st.plotly_chart(fig)\ncol.plotly_chart(fig, key='x')\n", {"plotly_chart"}) == [
        "plotly_chart (line 1)",
        "plotly_chart (line 2)",
    ]


def test_only_ui_data_keeps_caches_and_connections():
    """Caches and connections live in ui.data, where `loader` puts the data version in every read's key; and
    what a What-if move reuses in ui.moves (caches only, no connection: it reads through ui.data)."""
    kept = {"cache_data", "cache_resource", "connect", "open_database"}
    offenders = {
        p.name: found
        for p in [*PAGES, *UI]
        if p.name not in ("data.py", "moves.py") and (found := calls_of(p.read_text(encoding="utf-8"), kept))
    }
    assert offenders == {}
    assert calls_of((ROOT / "ui" / "moves.py").read_text(encoding="utf-8"), {"connect", "open_database"}) == []


def test_every_cache_in_ui_moves_that_reads_the_database_has_the_data_version_in_its_key():
    """A cached function of ui.moves that calls a `data.load_...` read takes `version`, as ui.data's loaders do,
    so an import or a saved scenario is never answered from an older read."""
    tree = ast.parse((ROOT / "ui" / "moves.py").read_text(encoding="utf-8"))
    cached = [
        f
        for f in tree.body
        if isinstance(f, ast.FunctionDef)
        and any(isinstance(d, ast.Call) and getattr(d.func, "attr", "").startswith("cache_") for d in f.decorator_list)
    ]
    reads = {
        f.name for f in cached if any(isinstance(n, ast.Attribute) and n.attr.startswith("load_") for n in ast.walk(f))
    }
    assert reads  # the body, the notes and the page's read do read the database
    assert [f.name for f in cached if f.name in reads and "version" not in [a.arg for a in f.args.args]] == []


def test_ui_has_no_re_export_list():
    """Pages import the ui module they use; the package itself names nothing."""
    tree = ast.parse((ROOT / "ui" / "__init__.py").read_text(encoding="utf-8"))
    assert [type(node).__name__ for node in tree.body] == ["Expr"]  # the docstring only
