"""The metric registry (di_metrics/models/metrics.py): each kind is one entry, its reader is bound, its code is
read back the same, and no module outside the registry compares a metric's name or prefix."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from di_metrics import config, i18n
from di_metrics.models import metrics
from di_metrics.models.metrics import FORMATS, INDICATOR, KINDS, POPULATIONS, SHARE, SURVEY, MetricKind, metric_of
from di_metrics.models.targets import Target
from di_metrics.queries import status
from di_metrics.queries.filters import Filters

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "di_metrics" / "models" / "metrics.py"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_every_entry_is_complete_and_its_reader_is_bound(kind):
    assert kind.reader in status.READERS
    assert kind.population in POPULATIONS
    assert kind.fmt in FORMATS
    assert kind.hidden_by == "organisation_only" or callable(getattr(config, kind.hidden_by, None))
    if kind.label_key:
        assert all(kind.label_key in i18n.catalogue(lang) for lang in ("nl", "en"))


@pytest.mark.parametrize(
    ("code", "kind", "name"),
    [
        ("women_share", SHARE, ""),
        ("indicator:training_social_safety", INDICATOR, "training_social_safety"),
        ("survey:inclusion", SURVEY, "inclusion"),
        ("indicator:", None, ""),  # a named kind without a name is no metric
        ("women_share:north", None, ""),  # an unnamed kind takes no name
        ("survey", None, ""),
        ("headcount", None, ""),
    ],
)
def test_a_code_is_read_as_its_kind_and_name(code, kind, name):
    m = metric_of(code)
    assert (m.kind, m.name) == (kind, name)
    if kind is not None:
        assert kind.code(name) == code


def test_only_a_share_of_persons_counts_people_and_takes_exemptions():
    assert [metric_of(k.code("x")).counts_people for k in KINDS] == [True, False, False, False]
    assert [metric_of(k.code("x")).takes_exemptions for k in KINDS] == [True, False, False, False]
    assert not metric_of("unknown").counts_people


def test_a_value_is_shown_in_its_kinds_format():
    assert SHARE.shown(0.1234, "en") == "12.3%"
    assert SHARE.shown(0.1234, "nl") == "12,3%"
    assert dataclasses.replace(SHARE, fmt="percent", precision=0).shown(61.6, "en") == "62%"
    assert dataclasses.replace(SHARE, fmt="count", precision=0).shown(1234, "en") == "1,234"
    assert SHARE.shown(None, "en") == "–"
    assert metric_of("indicator:training").shown(0.7, "nl") == "70,0%"
    assert metric_of("unknown").shown(0.7, "en") == "70.0%"  # a code no entry knows reads as a share


def test_the_women_share_is_labelled_by_its_own_key_and_others_by_the_target_catalogue():
    assert metric_of("women_share").label("en") == "Women's share"
    assert metric_of("indicator:x").label("en") == "indicator:x"


# A target on 0.30 by 2030-12-31 from 0.10 on 2020-12-31: the glide path on 2025-12-31 is 0.10 + 0.20 x 1826/3652.
TARGET = Target("t", "x", 0.30, dt.date(2030, 12, 31), dt.date(2020, 12, 31), 0.10)
MID = dt.date(2025, 12, 31)


def test_a_new_kind_is_one_entry_and_its_reader(monkeypatch):
    """Intake (the women's share of new hires) added the way docs/architecture.md says: an entry and a reader.
    A target on it gets its status without any other code knowing the kind."""
    intake = MetricKind(
        "intake", named=False, reader="intake", population="selection", hidden_by="min_workforce_cell",
        counts_people=False, label_key=None,
    )  # fmt: skip
    points = [(dt.date(2022, 12, 31), 0.12), (dt.date(2025, 12, 31), 0.21)]
    monkeypatch.setattr(metrics, "KINDS", (*KINDS, intake))
    monkeypatch.setitem(status.READERS, "intake", lambda conn, name, filters: status.Reading(points))
    entry = status.target_status(None, dataclasses.replace(TARGET, metric="intake"), Filters())
    glide = 0.10 + 0.20 * 1826 / 3652  # 0.19999...: 0.21 is above it
    assert (entry.latest, entry.glide_path, entry.state) == (0.21, pytest.approx(glide), "on_track")
    assert entry.change_12m == pytest.approx(0.09) and entry.women_needed is None  # the 2022 value is the year before
    assert entry.actual_pace == pytest.approx(0.09 / (1096 / 365.25))


def test_an_organisation_wide_metric_does_not_apply_to_a_selection(monkeypatch):
    monkeypatch.setitem(status.READERS, "indicator", lambda conn, name, filters: status.Reading([(MID, 0.5)]))
    target = dataclasses.replace(TARGET, metric="indicator:training")
    assert status.target_status(None, target, Filters()).state == "on_track"
    assert status.target_status(None, target, Filters.of({"branch": ["CLAS"]})) is None


# ---- no module outside the registry compares a metric's name or prefix ----

PREFIXES = tuple(f"{k.key}:" for k in KINDS if k.named)
UNNAMED = {k.key for k in KINDS if not k.named}
TAKING_APART = {"startswith", "endswith", "removeprefix", "removesuffix", "partition", "split", "find", "index"}


def _is_code(node: ast.AST) -> bool:
    """A string constant that is a metric's code or begins like a named one."""
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(PREFIXES)


def _is_name(node: ast.AST, names: frozenset[str] = frozenset()) -> bool:
    """A metric's code written out, or a constant that holds one (WOMEN_SHARE = "women_share")."""
    if isinstance(node, ast.Name | ast.Attribute):
        return (node.id if isinstance(node, ast.Name) else node.attr) in names
    return isinstance(node, ast.Constant) and (node.value in UNNAMED or _is_code(node))


def code_constants(sources: list[str]) -> frozenset[str]:
    """The names that are given a metric's code or prefix: comparing with them compares the code."""
    return frozenset(
        target.id
        for source in sources
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign) and _is_name(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    )


def metric_spellings(source: str, names: frozenset[str] | None = None) -> list[tuple[int, str]]:
    """Where a source compares a metric's code, takes one apart by its prefix, or spells a prefix by hand."""
    names = code_constants([source]) if names is None else names
    tree = ast.parse(source)
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(_is_name(x, names) for x in (node.left, *node.comparators)):
            found.append((node.lineno, "compares a metric code"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in TAKING_APART
            and any(
                _is_name(a, names) or (isinstance(a, ast.Tuple) and any(_is_name(e, names) for e in a.elts))
                for a in node.args
            )
        ):
            found.append((node.lineno, f"takes a metric code apart ({node.func.attr})"))
        elif _is_code(node) and id(node) not in docstrings:
            found.append((node.lineno, f"spells a metric prefix: {node.value!r}"))
    return sorted(set(found))


def _checked_files() -> list[Path]:
    files = [*(ROOT / "di_metrics").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), *(ROOT / "pages").rglob("*.py")]
    return sorted(p for p in [*files, ROOT / "app.py"] if p != REGISTRY)


def test_no_module_outside_the_registry_compares_a_metric_name_or_prefix():
    sources = {p: p.read_text(encoding="utf-8") for p in _checked_files()}
    names = code_constants(list(sources.values()))
    found = [
        f"{p.relative_to(ROOT)}:{line}: {what}"
        for p, text in sources.items()
        for line, what in metric_spellings(text, names)
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        'if t.metric == "women_share":\n    pass\n',
        'if "women_share" != metric:\n    pass\n',
        'names = [c.removeprefix("indicator:") for c in codes if c.startswith("indicator:")]\n',
        'ok = code.startswith(("survey:", "x"))\n',
        'marks = load_marks(f"survey:{key}")\n',
        'MARKED = {"trend": ("survey:inclusion",)}\n',
        'WOMEN_SHARE = "women_share"\nif t.metric == WOMEN_SHARE:\n    pass\n',
        'INDICATOR_PREFIX = "indicator:"\nname = m.removeprefix(targets.INDICATOR_PREFIX)\n',
    ],
)
def test_the_check_catches_a_metric_dispatch_re_introduced(source):
    assert metric_spellings(source) != []


def test_the_check_leaves_columns_and_docstrings_alone():
    source = '"""Reads women_share, indicator:NAME or survey:NAME."""\nshare = frame["women_share"]\nkind == "survey"\n'
    assert metric_spellings(source) == []
