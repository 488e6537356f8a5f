"""The intake years hidden below the branch level are one decision (analysis/intake_years.py), read by intake and
retention alike: the Career page's two reads of a selection read its flows once, on DuckDB and PostgreSQL.

The units of tests/support/career.py: U1's intake is hidden in every year (its 2 women of 2023 are under 5, and
its flows are hidden beside SMALL's), so both views of U1 turn on the same set of hidden years.
"""

from __future__ import annotations

from collections import Counter

from di_metrics.analysis import career
from di_metrics.analysis.career import intake
from di_metrics.analysis.retention import retention
from di_metrics.queries import privacy, workforce
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file
from tests.support import career as fixture


def test_intake_and_retention_read_a_selections_flows_once(engine, tmp_path, monkeypatch):
    """Intake and retention of U1, and of B1 by unit: each selection's flows (U1's, and each unit's within B1)
    are read once, not once per view. What if?'s baseline, which intake reads for the needed share, reads the
    flows on its own and is left out here."""
    import_file(engine, "workforce", fixture.write_csv(tmp_path / "units.csv", units=True))
    reads: Counter[Filters] = Counter()
    real = workforce._yearly_flows

    def counted(conn, filters):
        reads[filters] += 1
        return real(conn, filters)

    monkeypatch.setattr(workforce, "_yearly_flows", counted)
    monkeypatch.setattr(career, "needed_hiring_share", lambda *args: None)
    # An empty store: one full from earlier tests starts afresh at 512 decisions, mid-test, and reads again
    monkeypatch.setattr(privacy, "_DECISIONS", {})
    u1, b1 = Filters.of({"org_unit": ["U1"]}), Filters.of({"branch": ["B1"]})
    with store.connect(engine) as conn:
        hidden = {y.year for y in intake(conn, u1).years if y.suppressed}
        retention(conn, u1)
        intake(conn, b1, by="org_unit")
        retention(conn, b1, by="org_unit")
    units = [u for u, b in fixture.UNIT_BRANCH.items() if b == "B1"]
    assert hidden == {2022, 2023, 2024}
    expected = {u1, *(Filters.of({"branch": ["B1"], "org_unit": [u]}) for u in units)}
    assert expected <= set(reads) and set(reads.values()) == {1}  # the parents' flows (flow_pattern) once too


def test_a_curve_the_hidden_years_stop_early_says_so(engine, tmp_path):
    """U1's intake is hidden in every year, so its curves stop at 0 years, the censoring time of its 2024 hires,
    with 15 women and 21 men still followed (6 + 2 + 7 and 7 + 8 + 6, none leave): the hidden years, not the
    minimum at risk, stopped them, and the result says where (cut_at), for the page's note. Branch B1, above
    the branch level, hides no year: its curves are not cut."""
    import_file(engine, "workforce", fixture.write_csv(tmp_path / "units.csv", units=True))
    with store.connect(engine) as conn:
        u1 = retention(conn, Filters.of({"org_unit": ["U1"]}))
        b1 = retention(conn, Filters.of({"branch": ["B1"]}))
    assert {p.group: p.at_risk for p in u1.curves if not p.suppressed} == {"F": 15, "M": 21}
    assert u1.cut_at == 0.0
    assert b1.cut_at is None and any(p.t > 0 and not p.suppressed for p in b1.curves)
