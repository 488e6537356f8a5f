"""'Gender X is left out of this figure' on a target's card and line is re-derived by the checkers from the figure
the claim states: said exactly where the figure shows no X count and its headcount counts women and men only; not
said where it shows the X count and counts it. On a hand-made organisation, DuckDB and PostgreSQL alike, worked out
by hand (minimum group 5): branch B1 has unit U1 (6 women, 6 men, 2 X) and U3 (6, 6, 1 X), whose X together stay
under 5 and are left out of both; branch B2 has U2 (6, 6, 6 X), a group of 6 that is counted, and U4 (6, 6, no X).
The same persons on 2023-12-31 and 2024-12-31."""

from __future__ import annotations

import dataclasses

import pytest

from di_metrics.analysis.claims import claims_for
from di_metrics.models.claims import holds
from di_metrics.present.claims import render
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file

UNITS = {"U1": ("B1", 2), "U3": ("B1", 1), "U2": ("B2", 6), "U4": ("B2", 0)}
HEADER = "snapshot_date,person_id,gender,org_unit,branch,personnel_category,rank_group"
# Per unit: the women's share the card states, its headcount as shown and whether X is left out, by hand.
EXPECTED = {"U1": (6 / 12, 12, True), "U2": (6 / 18, 18, False)}
LEFT_OUT = {
    "en": "Gender X is left out of this figure",
    "nl": "Geslacht X is buiten dit cijfer gelaten",
}


@pytest.fixture
def units(engine, tmp_path):
    lines = [HEADER]
    for day in ("2023-12-31", "2024-12-31"):
        for unit, (branch, x) in UNITS.items():
            for i, gender in enumerate(["F"] * 6 + ["M"] * 6 + ["X"] * x):
                lines.append(f"{day},{unit}-{i},{gender},{unit},{branch},military,manschappen")
    (tmp_path / "units.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(engine, "workforce", tmp_path / "units.csv")
    return engine


def _x_claims(engine, unit: str) -> list:
    """The women_total target's card and CLI line for the unit selected alone."""
    with store.connect(engine) as conn:
        claims = claims_for(conn, Filters.of({"org_unit": [unit]}))
    return [c for c in claims if c.id in ("card:women_total", "state:women_total:line")]


@pytest.mark.parametrize("unit", ["U1", "U2"])
def test_x_left_out_is_said_exactly_where_the_figure_leaves_a_small_x_group_out(units, unit):
    share, headcount, left_out = EXPECTED[unit]
    claims = _x_claims(units, unit)
    assert sorted(c.kind for c in claims) == ["target_card", "target_state"]
    for c in claims:
        assert c.params["latest"] == pytest.approx(share) and c.params["x_left_out"] is left_out, c.id
        assert c.figures["shown"][3] == headcount  # the figure's headcount: women and men, and X where counted
        assert holds(c), c.id
        for lang in ("nl", "en"):
            assert (LEFT_OUT[lang] in render(c, lang)) is left_out, (c.id, lang)


@pytest.mark.parametrize("unit", ["U1", "U2"])
def test_a_claim_that_says_x_left_out_wrongly_or_omits_it_is_caught(units, unit):
    """Red before: no checker read the flag, so U2's card saying its 6 X were left out (they are counted) held,
    and so did U1's card omitting that its 2 X are left out."""
    for c in _x_claims(units, unit):
        flipped = dataclasses.replace(c, params={**c.params, "x_left_out": not c.params["x_left_out"]})
        assert not holds(flipped), c.id
