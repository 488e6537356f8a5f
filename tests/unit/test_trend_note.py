"""The trend note's ends: a share the release hides reads 'hidden', and a year-end the selection holds nobody is
no point at all (its share is not hidden: there is none)."""

from __future__ import annotations

import datetime as dt

from di_metrics.analysis.claims_text import trend_claim, trend_points
from di_metrics.models.standing import Point
from di_metrics.present.claims import render

SERIES = [
    Point(dt.date(2019, 12, 31), 0, 0, None),  # nobody yet: a unit set up in 2020
    Point(dt.date(2020, 6, 30), 12, 3, 0.25),  # not a year end
    Point(dt.date(2020, 12, 31), None, None, None),  # withheld
    Point(dt.date(2021, 12, 31), 40, 10, 0.25),
]


def test_a_year_end_nobody_is_in_is_no_point_and_a_withheld_one_reads_hidden():
    assert trend_points(SERIES) == [(2020, None), (2021, 0.25)]
    claim = trend_claim(trend_points(SERIES))
    assert render(claim, "en") == "The women's share went from hidden in 2020 to 25.0% in 2021."
    assert render(claim, "nl") == "Het aandeel vrouwen ging van afgeschermd in 2020 naar 25,0% in 2021."


def test_a_share_hidden_at_both_ends_is_said_once():
    claim = trend_claim([(2020, None), (2021, 0.3), (2022, None)])
    assert render(claim, "en").startswith("The women's share of this selection is hidden in 2020 and in 2022:")
