"""The rank-structured projection one year ahead, worked out by hand on a four-scale civilian ladder.

Start (women / men per scale, lowest first): 10/30, 4/16, 2/8, 1/4; 75 persons. Every scale loses 10% a year;
women are promoted 10% a year, men 20% (none from the top); hires enter at the lowest scale, half of them women.
One year on, without parity:
  women: exits 1, .4, .2, .1; promoted 1, .4, .2 -> 8, 3.2+1, 1.6+.4, .9+.2 = 8, 4.2, 2.0, 1.1   (15.3)
  men:   exits 3, 1.6, .8, .4; promoted 6, 3.2, 1.6 -> 21, 11.2+6, 5.6+3.2, 3.6+1.6 = 21, 17.2, 8.8, 5.2 (52.2)
  hires: 75 - 67.5 = 7.5, so 3.75 women and 3.75 men at the lowest scale -> 11.75 and 24.75.
With parity women are promoted 20% too: women 7, 2.8+2, 1.4+.8, .9+.4 = 7, 4.8, 2.2, 1.3, plus 3.75 hires.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from di_metrics.analysis.rank_model import RankScenario, project_ranks, promotion_effect
from di_metrics.vocab import CIVILIAN_SCALES

START = RankScenario(
    ladder="civilian",
    start_year=2025,
    stock=np.array([[10.0, 4.0, 2.0, 1.0], [30.0, 16.0, 8.0, 4.0]]),
    attrition=np.full((2, 4), 0.1),
    promotion=np.array([[0.1, 0.1, 0.1, 0.0], [0.2, 0.2, 0.2, 0.0]]),
    hire_ranks=np.array([[1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]),
    hire_share=0.5,
    growth=0.0,
)


def _year(frame, year):
    rows = frame[frame["year"] == year]
    return rows["women_share"].tolist(), rows["persons"].tolist()


def test_the_start_year_is_the_stock_as_given():
    path = project_ranks(START, 2025)
    assert path["rank_group"].tolist() == list(CIVILIAN_SCALES)
    shares, persons = _year(path, 2025)
    assert shares == pytest.approx([10 / 40, 4 / 20, 2 / 10, 1 / 5])
    assert persons == pytest.approx([40, 20, 10, 5])


def test_one_year_of_exits_promotions_and_hires():
    shares, persons = _year(project_ranks(START, 2026), 2026)
    assert persons == pytest.approx([36.5, 21.4, 10.8, 6.3])
    assert shares == pytest.approx([11.75 / 36.5, 4.2 / 21.4, 2.0 / 10.8, 1.1 / 6.3])


def test_parity_promotes_women_as_often_as_men():
    shares, persons = _year(project_ranks(dataclasses.replace(START, parity=1.0), 2026), 2026)
    assert persons == pytest.approx([35.5, 22.0, 11.0, 6.5])
    assert shares == pytest.approx([10.75 / 35.5, 4.8 / 22.0, 2.2 / 11.0, 1.3 / 6.5])


def test_half_parity_closes_half_the_gap():
    shares, _ = _year(project_ranks(dataclasses.replace(START, parity=0.5), 2026), 2026)
    # women promoted 15%: 7.5, 3.0+1.5, 1.5+.6, .9+.3 = 7.5, 4.5, 2.1, 1.2; 3.75 hires
    assert shares == pytest.approx([11.25 / 36.0, 4.5 / 21.7, 2.1 / 10.9, 1.2 / 6.4])


def test_growth_hires_more_and_shrinking_hires_nobody():
    shares, persons = _year(project_ranks(dataclasses.replace(START, growth=0.1), 2026), 2026)
    assert persons[0] == pytest.approx(29 + 15)  # 82.5 - 67.5 = 15 hires
    assert shares[0] == pytest.approx((8 + 7.5) / 44)
    shares, persons = _year(project_ranks(dataclasses.replace(START, growth=-0.2), 2026), 2026)
    assert persons == pytest.approx([29, 21.4, 10.8, 6.3])  # 60 wanted, 67.5 left: no hires, no forced exits
    assert shares[0] == pytest.approx(8 / 29)


def test_an_empty_rank_shows_a_share_of_zero_not_a_division_error():
    empty_top = dataclasses.replace(START, stock=np.array([[10.0, 4.0, 2.0, 0.0], [30.0, 16.0, 8.0, 0.0]]))
    shares, persons = _year(project_ranks(empty_top, 2025), 2025)
    assert shares[3] == 0.0 and persons[3] == 0.0


def test_the_promotion_effect_is_the_top_two_scales_share_with_parity_minus_without():
    # top two scales after one year: with parity (2.2 + 1.3) / (11.0 + 6.5); without (2.0 + 1.1) / (10.8 + 6.3)
    expected = 3.5 / 17.5 - 3.1 / 17.1
    assert promotion_effect(dataclasses.replace(START, parity=1.0), 2026) == pytest.approx(expected)
    assert promotion_effect(START, 2026) == 0.0
