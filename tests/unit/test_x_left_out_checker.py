"""The "X left out" flag on a target's card and line, checked against hand-worked figures (women, men, X and
headcount as the gate shows them): said only of a figure that shows no X count and counts women and men only."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from di_metrics.analysis.claims_text import state_claim
from di_metrics.analysis.claims_whatif import card_claim
from di_metrics.models.claims import holds
from di_metrics.models.standing import TargetStatus
from di_metrics.models.targets import Target

TARGET = Target("women_total", "women_share", 0.30, dt.date(2030, 12, 31), dt.date(2024, 12, 31), 0.16)
# 17.14% women of 50,000 (8,570) on 31 Dec 2025: 12.86 pp short of 30%, 6,430 more women; 2.572 pp a year over
# the 1,826 days to the deadline (as the card of test_claim_kinds).
ENTRY = TargetStatus(
    TARGET, dt.date(2025, 12, 31), 0.1714, 0.18, "off_track", 12.86, 6430, 0.009, 0.1286 / (1826 / 365.25), 0.0042
)

# The hand-worked card's 8,570 women of 50,000 (17.14%): 41,430 men and the X left out (not shown, not counted);
# 41,424 men and 6 X shown and counted; 41,430 men and no X at all (0 shown, nothing left out).
LEFT_OUT = dataclasses.replace(ENTRY, x_left_out=True, shown=(8570, 41430, None, 50000))
COUNTED = dataclasses.replace(ENTRY, x_left_out=False, shown=(8570, 41424, 6, 50000))
NONE = dataclasses.replace(ENTRY, x_left_out=False, shown=(8570, 41430, 0, 50000))


def _claims(entry):
    return [state_claim(entry), state_claim(entry, "deck", "note"), card_claim(entry)]


@pytest.mark.parametrize("entry", [LEFT_OUT, COUNTED, NONE], ids=["left_out", "counted", "none"])
def test_the_flag_holds_where_the_figure_bears_it_out_and_its_opposite_is_caught(entry):
    for c in _claims(entry):
        assert holds(c), c.id
        assert not holds(dataclasses.replace(c, params={**c.params, "x_left_out": not entry.x_left_out})), c.id


@pytest.mark.parametrize(
    "shown",
    [
        (8570, 41424, None, 50000),  # X not shown, but the headcount counts 6 more than women and men
        (8570, 41424, 6, 49994),  # X shown, but not counted in the headcount
    ],
)
def test_a_figure_that_shows_or_counts_x_contradicts_left_out_either_way(shown):
    for said in (True, False):
        entry = dataclasses.replace(ENTRY, x_left_out=said, shown=shown)
        assert not any(holds(c) for c in _claims(entry))


def test_a_withheld_figure_or_one_of_no_persons_never_says_x_left_out():
    state = ENTRY.target.state(None, ENTRY.as_of)  # the state of a withheld share (the one decision)
    blank = {"latest": None, "state": state, "gap_pp": None, "required_pace": None}
    withheld = dataclasses.replace(ENTRY, **blank, shown=(None, None, None, 40))
    for entry in (withheld, dataclasses.replace(ENTRY, shown=None)):
        assert all(holds(c) for c in _claims(entry))
        said = dataclasses.replace(entry, x_left_out=True)
        assert not any(holds(c) for c in _claims(said))
