"""Generated yearly histories with known rates: persons leave and join by binomial draws, as in the model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from di_metrics.analysis.calibration import scenario_from_rates
from di_metrics.models.projection import Scenario


def history(
    seed: int,
    years: int = 16,
    women: int = 1_500,
    men: int = 6_000,
    hire_share: tuple[float, float, float] = (0.20, 0.0, 0.0),
    attrition_women: tuple[float, float, float] = (0.10, 0.0, 0.0),
    attrition_men: float = 0.08,
) -> tuple[dict[int, Scenario], dict[int, float | None], int]:
    """Each rate given as (level in the first year, drift per year, year-to-year noise). Returns, per start
    year with at least three years of rates, its calibrated scenario; the share at each year's end; the last year."""
    rng = np.random.default_rng(seed)
    first = 2000
    counts = {first: (women, men)}
    rows = []
    for t in range(1, years):
        w, m = counts[first + t - 1]
        h = np.clip(hire_share[0] + hire_share[1] * t + rng.normal(0, hire_share[2]), 0, 1)
        aw = np.clip(attrition_women[0] + attrition_women[1] * t + rng.normal(0, attrition_women[2]), 0, 1)
        exits_w, exits_m = rng.binomial(w, aw), rng.binomial(m, attrition_men)
        hires = exits_w + exits_m  # no growth
        hires_w = rng.binomial(hires, h)
        counts[first + t] = (w - exits_w + hires_w, m - exits_m + hires - hires_w)
        rows.append(
            {
                "year": first + t,
                "attrition_women": exits_w / w,
                "attrition_men": exits_m / m,
                "attrition_other": np.nan,
                "hire_share": hires_w / hires,
                "hire_share_other": 0.0,
                "growth": 0.0,
            }
        )
    rates = pd.DataFrame(rows)
    shares: dict[int, float | None] = {y: w / (w + m) for y, (w, m) in counts.items()}
    scenarios = {
        y: scenario_from_rates(rates[rates["year"] <= y], Scenario(start_year=y, women=w, men=m))
        for y, (w, m) in counts.items()
        if (rates["year"] <= y).sum() >= 3
    }
    return scenarios, shares, first + years - 1
