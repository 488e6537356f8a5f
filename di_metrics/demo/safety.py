"""The demo's social-safety evidence: a quarterly pulse indicator per branch, and two measures on it, one that
moved it (on one branch, from its start) and one that did not; and the formal reports split by personnel
category, so the reporting rate can be given per category. The survey already skips years (waves every other
year), so the reporting rate has years without a prevalence."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from di_metrics.demo import organisation as org
from di_metrics.models.metrics import INDICATOR

__all__ = [
    "PULSE",
    "PULSE_DENOMINATOR",
    "SAFETY_EFFECT_PP",
    "reports_per_category",
    "safety_measures",
    "simulate_safety_pulse",
]

PULSE = "confidant_known"  # share of a quarterly pulse who know their confidential adviser (vertrouwenspersoon)
PULSE_DENOMINATOR = 400
SAFETY_EFFECT_PP = 12.0
WITH_EFFECT = ("Confidential adviser in every unit", "CLAS", dt.date(2022, 1, 1))
WITHOUT_EFFECT = ("Speak-up posters", "CZSK", dt.date(2022, 7, 1))
BASE = {"CZSK": 0.42, "CLAS": 0.38, "CLSK": 0.47, "KMar": 0.45, "DOSCO": 0.50, "DMO": 0.48, "BS": 0.52}


def _quarter_ends(first: int, last: int) -> list[dt.date]:
    ends = ((3, 31), (6, 30), (9, 30), (12, 31))
    return [dt.date(y, m, d) for y in range(first, last + 1) for m, d in ends]


def simulate_safety_pulse(seed: int = org.SEED) -> pd.DataFrame:
    """The pulse per branch and quarter from 2019: a slow shared rise and shared quarterly swings; the branch
    of the measure with an effect jumps by SAFETY_EFFECT_PP from its start, the other branches do not."""
    rng = np.random.default_rng(seed + 11)
    dates = _quarter_ends(2019, 2025)
    shared = rng.normal(0, 0.01, len(dates))
    rows = []
    for branch, base in BASE.items():
        for i, on in enumerate(dates):
            value = base + 0.01 * i / 4 + shared[i] + rng.normal(0, 0.012)
            if branch == WITH_EFFECT[1] and on >= WITH_EFFECT[2]:
                value += SAFETY_EFFECT_PP / 100
            numerator = round(min(max(value, 0.0), 1.0) * PULSE_DENOMINATOR)
            rows.append((PULSE, on, numerator / PULSE_DENOMINATOR, numerator, PULSE_DENOMINATOR, branch))
    return pd.DataFrame(rows, columns=["indicator", "date", "value", "numerator", "denominator", "branch"])


def safety_measures() -> pd.DataFrame:
    """The two measures on the pulse, each on one branch."""
    rows = [
        (name, start, None, "Social safety office", branch, INDICATOR.code(PULSE), "running")
        for name, branch, start in (WITH_EFFECT, WITHOUT_EFFECT)
    ]
    return pd.DataFrame(rows, columns=["name", "start_date", "end_date", "owner", "branch", "indicator", "status"])


def reports_per_category(reports: pd.DataFrame, workforce: pd.DataFrame, seed: int = org.SEED) -> pd.DataFrame:
    """Each year's, branch's and category's report count split between military and civilian personnel, in
    proportion to the branch's year-end headcount of each (binomially): the branch counts stay as they were."""
    rng = np.random.default_rng(seed + 12)
    year_end = workforce[[d.month == 12 for d in workforce["snapshot_date"]]]
    years = year_end["snapshot_date"].map(lambda d: d.year)
    military = (year_end["personnel_category"] == "military").groupby([years, year_end["branch"]]).mean()
    share = military.reindex(pd.MultiIndex.from_frame(reports[["year", "branch"]])).fillna(0.0).to_numpy()
    soldiers = rng.binomial(reports["count"].to_numpy(), share)
    parts = [reports.assign(count=soldiers, personnel_category="military")]
    parts.append(reports.assign(count=reports["count"].to_numpy() - soldiers, personnel_category="civilian"))
    return pd.concat(parts, ignore_index=True).sort_values(["year", "branch", "category"], ignore_index=True)
