"""Retention where nobody joined the selection says why, as the intake does (the claim career_no_intake), not
'Too few hires' (red before). On the full demo_conn, a unit's senior officers (43 Gemechaniseerde Brigade x
hoofdofficieren) are promoted into their rank, never hired into it; the test counts their spells by its own SQL."""

from __future__ import annotations

import sqlalchemy as sa

from di_metrics.analysis.career import intake
from di_metrics.analysis.claims import claims_for
from di_metrics.analysis.retention import retention
from di_metrics.models.claims import holds
from di_metrics.present import career_text
from di_metrics.queries.filters import Filters

SENIOR = {"rank_group": ["hoofdofficieren"], "org_unit": ["43 Gemechaniseerde Brigade"]}
NOBODY = (
    "Nobody joined the organisation into this selection in the years of the data (a move from elsewhere in the "
    "organisation is no intake): there is no intake to show."
)


def _first_seen_after_the_first_date(conn) -> int:
    """Persons whose first snapshot in the data is a later one and who are then in the selection: hires."""
    q = sa.text(
        "WITH firsts AS (SELECT person_id, min(snapshot_date) AS d FROM workforce_snapshot GROUP BY person_id) "
        "SELECT count(*) FROM firsts f JOIN workforce_snapshot s ON s.person_id = f.person_id AND s.snapshot_date "
        "= f.d WHERE f.d > (SELECT min(snapshot_date) FROM workforce_snapshot) AND s.rank_group = :r "
        "AND s.org_unit = :u"
    )
    return int(conn.execute(q, {"r": SENIOR["rank_group"][0], "u": SENIOR["org_unit"][0]}).scalar())


def test_retention_where_nobody_joined_says_so_as_intake_does(demo_conn):
    assert _first_seen_after_the_first_date(demo_conn) == 0
    senior = Filters.of(SENIOR)
    found = retention(demo_conn, senior)
    assert (
        career_text.retention_text(found, "en") == career_text.no_intake_text(intake(demo_conn, senior), "en") == NOBODY
    )
    nl = career_text.retention_text(found, "nl")
    assert nl == career_text.no_intake_text(intake(demo_conn, senior), "nl") and "te weinig" not in nl.lower()
    assert found.hired is False and not found.milestones


def test_the_sentence_retention_says_is_registered_once_per_surface(demo_conn):
    said = [c for c in claims_for(demo_conn, Filters.of(SENIOR)) if c.kind in ("career_no_intake", "career_retention")]
    assert sorted((c.kind, c.surface) for c in said) == [
        ("career_no_intake", s) for s in ("cli", "deck", "page", "report")
    ]
    assert all(holds(c) for c in said)
