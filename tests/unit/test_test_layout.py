"""Meta-tests for the test suite itself: each test file sits in the folder of its kind, and no test file
imports another (shared fixtures live in conftest.py, shared helpers and data in tests/support)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from tests.conftest import FOLDERS
from tests.support import ROOT

TESTS = ROOT / "tests"


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def imports_of_test_files(path: Path) -> list[str]:
    """The modules named test_* that a file imports (as `tests.x.test_y`, `test_y` or `from tests.x import test_y`)."""
    return sorted(m for m in _imported_modules(path) if m.rsplit(".", 1)[-1].startswith("test_"))


def test_no_test_file_imports_another_test_file():
    offenders = {str(p.relative_to(TESTS)): found for p in TESTS.rglob("*.py") if (found := imports_of_test_files(p))}
    assert offenders == {}


@pytest.mark.parametrize(
    "line",
    [
        "from tests.app.test_pages_apptest import app",
        "from tests.test_survey import CODEBOOK",
        "import test_browser",
        "from tests.db import test_survey",
        "    from tests.db.test_survey import responses",
    ],
)
def test_the_rule_catches_an_import_of_a_test_file(tmp_path, line):
    body = f"def f():\n{line}\n" if line.startswith(" ") else f"{line}\n"
    (tmp_path / "test_x.py").write_text(body)
    assert imports_of_test_files(tmp_path / "test_x.py")


def test_a_helper_import_is_not_taken_for_a_test_file(tmp_path):
    (tmp_path / "test_x.py").write_text("from tests.support.survey import CODEBOOK\nimport tests.support\n")
    assert imports_of_test_files(tmp_path / "test_x.py") == []


def test_every_test_file_sits_in_the_folder_of_its_kind():
    misplaced = [
        str(p.relative_to(TESTS)) for p in TESTS.rglob("test_*.py") if p.relative_to(TESTS).parts[0] not in FOLDERS
    ]
    assert misplaced == []


def test_every_folder_is_a_registered_marker():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    registered = {m.split(":")[0] for m in config["markers"]}
    assert set(FOLDERS) <= registered and "--strict-markers" in config["addopts"]
