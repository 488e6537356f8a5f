"""Hand-made reporting and measure-effect values the sentence and document tests share."""

from __future__ import annotations

import datetime as dt

from di_metrics.analysis.measure_effects import MeasureEffect
from di_metrics.models.effects import DidResult, Grade, ItsResult
from di_metrics.models.measure_slopes import Measure
from di_metrics.models.reporting import Decomposition, Estimate, Prevalence, reporting_row

__all__ = ["CONSISTENT", "ROW", "SPLIT"]

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
