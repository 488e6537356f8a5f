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

from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import breakdown, share_series
from di_metrics.storage import store
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


def _flag(frame, value=None):
    row = _on(frame) if value is None else _on(frame).set_index("value").loc[[value]]
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
