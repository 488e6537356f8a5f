"""Career's intersections read the release's one decision (issue 25), found in a browser walk: on the full demo a
unit's senior officers (43 Gemechaniseerde Brigade x hoofdofficieren: 9 women, 313 men), hidden by every other
view as a complement, were shown by the matrix's own rule as 2.8% (9 of 322), on the page, the deck and the
report; and for 11 Luchtmobiele Brigade its senior officers and scale 7-9, hidden by the Explorer, likewise."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from di_metrics.analysis.career import matrix
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import share_series, snapshot_dates
from di_metrics.vocab import BRANCH, RANK_GROUP

UNIT = "43 Gemechaniseerde Brigade"


def _raw(conn, unit: str, rank: str) -> tuple[int, int]:
    """Women and men of a unit's rank group on the last date, by the test's own SQL."""
    q = sa.text(
        "SELECT sum(CASE WHEN gender = 'F' THEN 1 ELSE 0 END), sum(CASE WHEN gender = 'M' THEN 1 ELSE 0 END) "
        "FROM workforce_snapshot WHERE org_unit = :u AND rank_group = :r "
        "AND snapshot_date = (SELECT max(snapshot_date) FROM workforce_snapshot)"
    )
    women, men = conn.execute(q, {"u": unit, "r": rank}).one()
    return int(women), int(men)


def _gate(conn, selection: dict) -> tuple[bool, float | None]:
    """The selection's women's share as the Overview shows it on the last date (hidden, share)."""
    series = share_series(conn, Filters.of(selection))
    last = series[series["date"] == snapshot_dates(conn)[-1]].iloc[0]
    hidden = bool(last["suppressed"] or last["headcount_hidden"])
    return hidden, None if hidden else float(last["women_share"])


def test_a_cell_the_release_hides_as_a_complement_stays_hidden_in_the_matrix(demo_conn):
    women, men = _raw(demo_conn, UNIT, "hoofdofficieren")
    assert min(women, men) >= 5  # no primary: only the release's decision hides it
    selection = {RANK_GROUP: ["hoofdofficieren"], "org_unit": [UNIT]}
    assert _gate(demo_conn, selection) == (True, None)
    found = matrix(demo_conn, Filters.of(selection), RANK_GROUP, BRANCH)
    assert [(c.row, c.column, c.suppressed, c.share, c.women) for c in found.cells] == [
        ("hoofdofficieren", "CLAS", True, None, None)
    ]


@pytest.mark.parametrize("axis", ["age_band", "tenure_band"])
def test_age_and_tenure_bands_are_refused(demo_conn, axis):
    """Decided per view, a branch's age x tenure matrix minus its units' gave hidden cells back (3 women of
    Korps Commandotroepen aged 25-34 with 3-9 years): bands wait for a release-wide decision of their own."""
    with pytest.raises(ValueError, match="two dimensions"):
        matrix(demo_conn, Filters.of({BRANCH: ["CLAS"]}), "age_band", axis)


def test_every_cell_of_a_units_matrix_is_the_figure_its_own_selection_shows(demo_conn):
    unit = "11 Luchtmobiele Brigade"
    found = matrix(demo_conn, Filters.of({BRANCH: ["CLAS"], "org_unit": [unit]}), RANK_GROUP, BRANCH)
    assert {c.row for c in found.cells} >= {"hoofdofficieren", "schaal 7-9"}
    for c in found.cells:
        hidden, share = _gate(demo_conn, {BRANCH: [c.column], "org_unit": [unit], RANK_GROUP: [c.row]})
        assert (c.suppressed, c.share) == (hidden, pytest.approx(share) if share is not None else None), c.row
    shown = {c.row: c.suppressed for c in found.cells}
    assert shown["hoofdofficieren"] and shown["schaal 7-9"]  # as the Explorer's breakdown hides them


def test_the_hidden_selections_briefing_says_what_holds(demo_conn):
    """Red before (a browser walk): its watchlist slide said 'No branch is below its glide path' (every part is
    hidden: nothing to list), its intake slide was 'Intake' over an empty chart, and its intersections slide
    carried the hidden 9 of 322 as a bar."""
    from di_metrics.present.briefing import build_briefing

    hidden = Filters.of({RANK_GROUP: ["hoofdofficieren"], "org_unit": [UNIT]})
    views = {v.key: v for v in build_briefing(demo_conn, hidden, "en").views}
    assert views["watchlist"].title == "No branch or unit to list for this selection."
    assert views["watchlist"].categories == []
    assert views["career_intake"].title.startswith("Nobody joined the organisation into this selection")
    drawn = [v for view in views.values() for values in view.series.values() for v in values if v is not None]
    assert not any(abs(v - 9 / 322) < 1e-9 for v in drawn)


def test_the_intersections_slide_names_its_branches(demo_conn):
    """Red before: the slide's series were the codes (CLAS, ...); the demo's names import names the branches."""
    from di_metrics.present.career_views import career_views

    (view,) = [v for v in career_views(demo_conn, Filters(), "en") if v.key == "career_matrix"]
    assert {"Army Command", "Navy Command"} <= set(view.series) and "CLAS" not in view.series
