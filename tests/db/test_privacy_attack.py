"""An attacker takes every figure Koers shows about a branch and its units and tries to recover a hidden
count by subtraction. Each shown figure is a linear equation over the units' true counts; a hidden count
is recoverable exactly when its unit vector lies in the span of those equations. It must never be."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from di_metrics.config import min_workforce_cell
from di_metrics.queries.filters import Filters
from di_metrics.queries.status import status
from di_metrics.queries.workforce import breakdown, share_series
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_file

DAY = "2025-12-31"
# unit: (women, men, X). Branch B1 holds a unit with 2 women (A), one with 3 men (C), a 3-person unit (G),
# and two units with small X groups (D, E); branch B2 is there so that the organisation is more than B1.
UNITS = {
    "A": (2, 30, 0),
    "Bu": (10, 40, 0),
    "C": (20, 3, 0),
    "D": (15, 60, 2),
    "E": (30, 70, 6),
    "F": (12, 25, 0),
    "G": (1, 2, 0),
}
OTHER_BRANCH = {"H": (50, 50, 3)}
ALL = {**UNITS, **OTHER_BRANCH}
NAMES = list(ALL)
VARS = {(u, g): i for i, (u, g) in enumerate(itertools.product(NAMES, "WMX"))}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("attack")
    lines = ["snapshot_date,person_id,gender,org_unit,branch"]
    n = 0
    for unit, counts in ALL.items():
        branch = "B2" if unit in OTHER_BRANCH else "B1"
        for gender, count in zip("FMX", counts, strict=True):
            for _ in range(count):
                n += 1
                lines.append(f"{DAY},P{n},{gender},{unit},{branch}")
    (folder / "w.csv").write_text("\n".join(lines) + "\n")
    eng = open_database(f"duckdb:///{folder / 'attack.duckdb'}")
    import_file(eng, "workforce", folder / "w.csv")
    yield eng
    eng.dispose()


def _equation(units: list[str], kind: str) -> np.ndarray:
    row = np.zeros(len(VARS))
    genders = {"women": "W", "men": "M", "all": "WMX", "reportable": "WM"}[kind]
    for unit in units:
        for g in genders:
            row[VARS[unit, g]] = 1
    return row


def _truth() -> np.ndarray:
    vec = np.zeros(len(VARS))
    for (unit, g), i in VARS.items():
        vec[i] = ALL[unit]["WMX".index(g)]
    return vec


def _collect(rows, units: list[str], women, men, headcount, x_left_out, equations):
    if not pd.isna(women):
        rows.append((_equation(units, "women"), women))
    if not pd.isna(men):
        rows.append((_equation(units, "men"), men))
    if not pd.isna(headcount):
        rows.append((_equation(units, "reportable" if x_left_out else "all"), headcount))
    equations.extend(rows)


@pytest.fixture(scope="module")
def shown(engine) -> list[tuple[np.ndarray, float]]:
    return _shown_figures(engine)


def _shown_figures(engine) -> list[tuple[np.ndarray, float]]:
    equations: list[tuple[np.ndarray, float]] = []
    b1 = list(UNITS)
    populations = [list(s) for r in range(1, len(b1) + 1) for s in itertools.combinations(b1, r)]
    with store.connect(engine) as conn:
        for units in populations:
            filters = Filters.of({"org_unit": units})
            last = share_series(conn, filters).iloc[-1]  # what status and the overview show
            _collect([], units, last["women"], None, last["headcount"], last["x_left_out"], equations)
            for dim in ("branch", "org_unit"):
                for r in breakdown(conn, filters, dim).itertuples():
                    members = units if dim == "branch" else [r.value]
                    _collect([], members, r.women, r.men, r.headcount, r.x_left_out, equations)
        assert status(conn, Filters.of({"org_unit": ["A"]})).women is None
        for filters, members in ((Filters(), NAMES), (Filters.of({"branch": ["B1"]}), b1)):
            doc = status(conn, filters)
            _collect([], members, doc.women, None, doc.headcount, False, equations)
            for dim in ("branch", "org_unit", "rank_group"):
                for r in breakdown(conn, filters, dim).itertuples():
                    group = (
                        [r.value]
                        if dim == "org_unit"
                        else (b1 if r.value == "B1" else list(OTHER_BRANCH) if r.value == "B2" else members)
                    )
                    _collect([], group, r.women, r.men, r.headcount, r.x_left_out, equations)
    return equations


def _recoverable(equations, target: np.ndarray) -> bool:
    a = np.array([e for e, _ in equations])
    return np.linalg.matrix_rank(np.vstack([a, target])) == np.linalg.matrix_rank(a)


def test_every_shown_figure_is_true(shown):
    truth = _truth()
    for row, value in shown:
        assert row @ truth == pytest.approx(value)


def test_no_hidden_count_can_be_recovered_by_subtraction(shown):
    k = min_workforce_cell()
    equations = shown
    secrets = []
    for unit, (w, m, x) in UNITS.items():
        if w < k or m < k:
            secrets += [(unit, "women"), (unit, "men")]
        if w + m + x < k:
            secrets.append((unit, "all"))
        if 0 < x < k:
            secrets.append((unit, "X"))
    assert secrets == [  # with k = 5: A and C hide women and men, D its X, G everything
        ("A", "women"),
        ("A", "men"),
        ("C", "women"),
        ("C", "men"),
        ("D", "X"),
        ("G", "women"),
        ("G", "men"),
        ("G", "all"),
    ]
    for unit, kind in secrets:
        target = np.zeros(len(VARS))
        target[VARS[unit, "X"]] = 1
        if kind != "X":
            target = _equation([unit], kind)
        assert not _recoverable(equations, target), f"{kind} of unit {unit} can be recovered"


def test_the_small_unit_shows_fewer_than_k_and_no_value(engine):
    with store.connect(engine) as conn:
        table = breakdown(conn, Filters.of({"branch": ["B1"]}), "org_unit").set_index("value")
    assert table.loc["A", "suppressed"] and pd.isna(table.loc["A", "women"])
    assert table.loc["G", "headcount_hidden"] and pd.isna(table.loc["G", "headcount"])
    assert not table.loc["E", "suppressed"] and table.loc["E", "women"] == 30
