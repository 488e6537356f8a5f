"""Meta-tests that keep the house in order: boundaries, catalogues, and the README's commands."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from di_metrics import i18n

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_domain_package_never_imports_streamlit():
    offenders = [p.name for p in (ROOT / "di_metrics").rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_pages_hold_no_sql_and_no_sqlalchemy():
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text()
        assert not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\b", text), page.name
        assert "sqlalchemy" not in _imports(page), page.name


def test_only_the_app_its_pages_and_the_ui_package_import_streamlit():
    for path in ROOT.rglob("*.py"):
        top = path.relative_to(ROOT).parts[0]
        if not top.startswith(".") and top not in (
            "app.py",
            "pages",
            "ui",
            "tests",
            "benchmarks",
        ):  # benchmarks drive it
            assert "streamlit" not in _imports(path), path


def test_catalogues_have_the_same_keys():
    assert set(i18n.catalogue("nl")) == set(i18n.catalogue("en"))


def test_every_catalogue_key_is_used():
    code = "\n".join(
        p.read_text()
        for p in [
            *ROOT.glob("*.py"),
            *(ROOT / "pages").glob("*.py"),
            *(ROOT / "ui").glob("*.py"),
            *(ROOT / "di_metrics").rglob("*.py"),
        ]
    )
    # looked up by code, dimension or lever name
    prefixes_by_code = (
        "target.",
        "gender.",
        "category.",
        "rank.",
        "briefing.download_",
        "import.kind_",
        "import.log_",
        "nav.",
        "explorer.attrition_",
        "app.role_",
        "filters.",
        "col.",
        "whatif.lever_",
        "whatif.show_",  # the What-if sections opened on request (pages/whatif.opened)
        "whatif.part_",
        "whatif.takes_",  # the what-it-takes table's columns (pages/whatif.what_it_takes_table)
        "whatif.col_",  # the compared scenarios' columns (pages/whatif.SCENARIO_COLUMNS)
        "survey.tab_",
        "survey.construct_",
        "survey.safety_",
        "benchmark_measure.",
        "measure_status.",
        "measures.error_",
        "survey_results.source_",
        "survey_results.showing_",
        "report.kind_",
        "report.def_",
        "report_category.",
        "levers.",
        "track.col_",
        "track.verdict_",  # the verdict names its baselines by method (present/claims_whatif.py)
        "rates_from.",
        "status.",  # a target's state (Target.state)
        "problem.",  # a problem's rule code (test_problems checks each against the code)
        "import.result_",  # an import-log outcome code
        "safety_evidence.slide_",  # a split's driver or refusal code (present/claims_career.py)
        "safety_evidence.change_",
        "safety_evidence.grade_",  # an evidence grade and its reason code (models/effects.py)
        "safety_evidence.reason_",
        "safety_evidence.did_",
        "safety_evidence.pre_trend_",
        "safety_evidence.col_",  # the tables' columns (present/safety_views.YEAR_COLUMNS)
        "career.tab_",  # a career view by its code (pages/career.py)
        "career.axis.",  # a matrix axis by its dimension (present/career_text.py)
        "metric_definition.",  # a metric's definition by its kind (models/metrics.MetricKind.definition)
        "explorer.flows_hires_",  # why a share of hires is missing, by its state (present/claims_text.py)
    )
    unused = [
        k
        for k in i18n.catalogue("en")
        if f'"{k}"' not in code and f"'{k}'" not in code and not k.startswith(prefixes_by_code)
    ]
    assert unused == []


def test_readme_names_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
