"""The workforce's one decision on the unit x rank table (queries/stock_joint.py), on the hand-made organisation of
the release attack (tests/support/release.py). On 2023-12-31 SMALL's manschappen hold 1 woman (hired that year)
and no man: a hidden cell. Worked by hand:
- B1's manschappen hold 120 + 1 women (U1 50, U2 40, U3 30, SMALL 1): where that figure is shown, SMALL's row
  must not be the only hidden one among B1's units in the view of manschappen by unit (U1, U2 and U3 shown would
  give 121 - 50 - 40 - 30 = 1); and it is one figure, shown or hidden alike, in B1 by rank group, manschappen by
  branch and B1 with manschappen alone.
- The same cells are one figure in every view: U1 alone and U1 as the B1 row of `U1|V1` by branch (U1 and V1 are
  the only units of their branches in that selection) are hidden both or shown both; SMALL's manschappen alone,
  as SMALL's row by rank group and as the manschappen row of SMALL likewise.
Before the one decision, B1 by rank group showed its manschappen (121 women) where manschappen by branch hid them,
and U1 alone was shown where `U1|V1` by branch hid it."""

from __future__ import annotations

import datetime as dt

import pytest

from di_metrics.analysis import disclosure
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import breakdown, share_series
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file
from tests.support import release

D1 = dt.date(2023, 12, 31)


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    with release.imported(tmp_path_factory.mktemp("joint")) as engine, store.connect(engine) as c:
        yield c


def _on(frame, date=D1):
    return frame[frame["date"] == date]


def test_a_branchs_rank_group_is_one_figure_and_never_gives_a_hidden_cell(conn):
    alone = _flag(share_series(conn, Filters.of({"branch": ["B1"], "rank_group": ["manschappen"]})))
    assert _flag(breakdown(conn, Filters.of({"branch": ["B1"]}), "rank_group"), "manschappen") == alone
    assert _flag(breakdown(conn, Filters.of({"rank_group": ["manschappen"]}), "branch"), "B1") == alone
    rows = _on(breakdown(conn, Filters.of({"rank_group": ["manschappen"]}), "org_unit")).set_index("value")
    b1 = [u for u, (branch, *_) in release.UNITS.items() if branch == "B1"]
    hidden = [u for u in b1 if rows.loc[u, "suppressed"]]
    assert "SMALL" in hidden and (alone[0] or len(hidden) >= 2), hidden


def _flag(frame, value=None, date=D1):
    row = _on(frame, date) if value is None else _on(frame, date).set_index("value").loc[[value]]
    return bool(row["suppressed"].iloc[0]), bool(row["headcount_hidden"].iloc[0])


def test_the_same_cells_are_one_figure_in_every_view(conn):
    u1 = _flag(share_series(conn, Filters.of({"org_unit": ["U1"]})))
    assert _flag(breakdown(conn, Filters.of({"org_unit": ["U1", "V1"]}), "branch"), "B1") == u1
    assert _flag(breakdown(conn, Filters(), "org_unit"), "U1") == u1
    cell = _flag(share_series(conn, Filters.of({"org_unit": ["SMALL"], "rank_group": ["manschappen"]})))
    assert cell == (True, True)  # 1 woman
    assert _flag(breakdown(conn, Filters.of({"org_unit": ["SMALL"]}), "rank_group"), "manschappen") == cell
    assert _flag(breakdown(conn, Filters.of({"rank_group": ["manschappen"]}), "org_unit"), "SMALL") == cell
    assert (
        _flag(breakdown(conn, Filters.of({"branch": ["B1"], "rank_group": ["manschappen"]}), "org_unit"), "SMALL")
        == cell
    )


def test_a_category_that_holds_everyone_is_the_whole_in_every_view(conn):
    """Everyone of the hand-made organisation is military (release.write), so every view with
    `personnel_category=military` added is the same population as without it: the same figures, hidden alike."""
    units = [[u] for u in release.UNITS] + [["U1", "V1"], ["U3", "SMALL"]]
    selections = [{"org_unit": u} for u in units] + [{"branch": ["B1"]}, {"branch": ["B2"]}, {}]
    selections += [{"rank_group": ["manschappen"]}, {"org_unit": ["SMALL"], "rank_group": ["manschappen"]}]
    for selection in selections:
        military = {**selection, "personnel_category": ["military"]}
        whole = share_series(conn, Filters.of(selection))
        assert _flags(share_series(conn, Filters.of(military))) == _flags(whole), selection
        for dim in ("org_unit", "rank_group"):
            by = _flags(breakdown(conn, Filters.of(selection), dim))
            assert _flags(breakdown(conn, Filters.of(military), dim)) == by, (selection, dim)


def _flags(frame):
    rows = frame.sort_values([c for c in ("date", "value") if c in frame.columns])
    keep = [c for c in ("date", "value", "suppressed", "headcount_hidden", "x_left_out") if c in rows.columns]
    return rows[keep].astype(str).values.tolist()


# A second organisation with a real split by personnel category, on one date (one rank group throughout):
# unit: (branch, military women, military men, civilian women, civilian men)
SPLIT = {
    "U1": ("B1", 40, 40, 3, 10),
    "U2": ("B1", 30, 30, 10, 10),
    "U3": ("B1", 30, 30, 10, 10),
    "V1": ("B2", 50, 50, 20, 20),
    "V2": ("B2", 40, 40, 15, 15),
}
ON = dt.date(2024, 12, 31)


def _split(engine, folder):
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for unit, (branch, *counts) in SPLIT.items():
        for n, gender, category in zip(counts, "FMFM", ("military",) * 2 + ("civilian",) * 2, strict=True):
            lines += [
                f"{ON},{unit}{category}{gender}{i},{gender},{unit},{branch},manschappen,{category}" for i in range(n)
            ]
    path = folder / "w.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(engine, "workforce", path)


def test_a_category_view_minus_the_whole_gives_no_hidden_cell(engine, tmp_path):
    """U1's civilians hold 3 women: hidden in the civilians by unit. U1 (43 women) and U1's military (40) would
    give them back as 43 - 40 = 3, so U1's civilian, military and whole figures, one line (the whole the sum of its
    categories), hold no hidden figure or at least two, in every view that shows them. Before the one decision read
    category populations, the military and the whole by unit both showed U1."""
    _split(engine, tmp_path)
    civilian, military = (
        Filters.of({"personnel_category": ["civilian"]}),
        Filters.of({"personnel_category": ["military"]}),
    )
    with store.connect(engine) as conn:
        line = {
            "civilian": _flag(breakdown(conn, civilian, "org_unit"), "U1", ON),
            "military": _flag(breakdown(conn, military, "org_unit"), "U1", ON),
            "whole": _flag(breakdown(conn, Filters(), "org_unit"), "U1", ON),
        }
        assert line["civilian"][0] and sum(g for g, _ in line.values()) >= 2, line
        by_category = breakdown(conn, Filters.of({"org_unit": ["U1"]}), "personnel_category")
        assert _flag(by_category, "civilian", ON) == line["civilian"]
        assert _flag(by_category, "military", ON) == line["military"]
        assert _flag(share_series(conn, Filters.of({"org_unit": ["U1"]})), None, ON) == line["whole"]
        for name, f in (("civilian", civilian), ("military", military)):
            alone = share_series(conn, Filters.of({**f.as_dict(), "org_unit": ["U1"]}))
            assert _flag(alone, None, ON) == line[name], name


def test_the_attacker_narrows_no_workforce_count_on_the_split(engine, tmp_path):
    """Every selection of one and two values (branches, categories, units), every breakdown, as equations: no
    hidden count of women, men or a total is narrowed under 3 persons."""
    _split(engine, tmp_path)
    values = {"branch": ["B1", "B2"], "personnel_category": ["civilian", "military"], "org_unit": list(SPLIT)}
    scope = disclosure.Scope(dates=(ON,), years=(), waves=(), item=None)
    with store.connect(engine) as conn:
        figures = disclosure.collect(conn, scope, {"workforce": disclosure.selections(values, lambda *_: True)})
    assert figures.tally["workforce"][1] > 0
    assert disclosure.narrow(figures, disclosure.intervals(figures)) == {}


def test_a_category_figure_the_branch_gives_hides_nothing(engine, tmp_path):
    """Branch A: U holds 40 military women and 60 men, 2 civilian women and 30 men; V 40 military women and 60
    men, no civilians. A's civilians (2 women, 30 men) are shown exactly at the branch level, so U's civilians are
    that figure: hiding them hides nothing, and they take no complement (before, U's military were taken, then
    V's, and with them every figure of A below the branch: U and V alike)."""
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for unit, category, women, men in (("U", "military", 40, 60), ("U", "civilian", 2, 30), ("V", "military", 40, 60)):
        for gender, n in (("F", women), ("M", men)):
            lines += [f"{ON},{unit}{category}{gender}{i},{gender},{unit},A,manschappen,{category}" for i in range(n)]
    (tmp_path / "w.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(engine, "workforce", tmp_path / "w.csv")
    with store.connect(engine) as conn:
        by_unit = breakdown(conn, Filters(), "org_unit")
        by_category = breakdown(conn, Filters.of({"org_unit": ["U"]}), "personnel_category")
        civilians = share_series(conn, Filters.of({"org_unit": ["U"], "personnel_category": ["civilian"]}))
    assert _flag(by_unit, "U", ON) == _flag(by_unit, "V", ON) == (False, False)
    assert _flag(by_category, "civilian", ON) == _flag(by_category, "military", ON) == (False, False)
    assert _flag(civilians, None, ON) == (False, False)
    assert _on(civilians, ON)["women"].tolist() == [2]
