"""Hand-made reporting and measure-effect values the sentence and document tests share."""

from __future__ import annotations

import datetime as dt

import numpy as np

from di_metrics.analysis.measure_effects import MeasureEffect, effect_from
from di_metrics.models.effects import DidResult, Grade, ItsResult
from di_metrics.models.measure_slopes import Measure
from di_metrics.models.reporting import Decomposition, Estimate, Prevalence, reporting_row
from di_metrics.queries.effect_panels import EffectPanel

__all__ = ["ALONE", "CONSISTENT", "FEW", "ROW", "SPLIT", "WORKED"]

ROW = reporting_row(2025, 10_000, Prevalence(0.10, 0.08, 0.125, 400), 200, 0.4)
SPLIT = Decomposition(
    2023, 2025, 32, Estimate(-33.3, -56.3, -10.4), Estimate(58.8, 35.9, 81.8), Estimate(6.5, 6.4, 6.6), "rate"
)
MEASURE = Measure("m", dt.date(2022, 1, 1), "indicator:x", scope={"branch": "CLAS"})
CONSISTENT = MeasureEffect(
    MEASURE,
    Grade("consistent", "both_agree"),
    ItsResult(12, 16, Estimate(11.0, 8.0, 14.0), Estimate(0.2, -1, 1.4), Estimate(11.7, 7.0, 16.4), 4, 0),
    DidResult(12, 16, Estimate(12.1, 10.8, 13.3), Estimate(-0.1, -1.6, 1.4), 5, 1),
    0.5,
    0.7,
    ("BS", "DMO"),
)


# A hand-worked measure (pp, yearly on 1 January, started 1 January 2020); `k` counts years from 2012.
# Its own series: before the start 10 + 0.5k + (+1, -1, -1, +1)[k mod 4] for 2012-2019, after it
# 17 + 1.5j + (+0.5, -0.5, -0.5, +0.5)[j] for 2020-2023 (j = 0..3); 2011 hidden. The wiggles sum to 0 and are
# orthogonal to time within each block of four, so each side's least-squares line is the wiggle-free one.
# Two uncovered parts, BS = 9 + 0.5k + d and DMO = 9 + 0.5k - d with d = 1 + 0.25 × the same (+1, -1, -1, +1):
# their mean is 9 + 0.5k in every year, 2011 included.
WIGGLE = (1.0, -1.0, -1.0, 1.0)
YEARS = range(2011, 2024)


def _own(year: int) -> float:
    k, j = year - 2012, year - 2020
    return 10 + 0.5 * k + WIGGLE[k % 4] if year < 2020 else 17 + 1.5 * j + 0.5 * WIGGLE[j]


def _part(year: int, side: int) -> float:
    k = year - 2012
    return 9 + 0.5 * k + side * (1 + 0.25 * WIGGLE[k % 4])


def _worked(name: str, hidden: set[int], parts: tuple[str, ...] = ("BS", "DMO")) -> MeasureEffect:
    """The measure above through the model (analysis/measure_effects.effect_from), with `hidden` years unknown."""
    own = np.array([np.nan if y in hidden else _own(y) / 100 for y in YEARS])
    rows = [[_part(y, side) / 100 for y in YEARS] for side in (1, -1)][: len(parts)]
    untreated = np.array(rows) if parts else np.empty((0, len(YEARS)))
    panel = EffectPanel(tuple(dt.date(y, 1, 1) for y in YEARS), own, untreated, parts)
    return effect_from(Measure(name, dt.date(2020, 1, 1), "indicator:x", scope={"branch": "CLAS"}), panel)


WORKED = _worked("worked", {2011})
FEW = _worked("few", {2011, 2020, 2021, 2022})  # one point after the start is known
ALONE = _worked("alone", {2011}, ())  # no uncovered parts to compare with
