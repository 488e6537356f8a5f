"""The levers of the stock-flow projection (docs/model.md) and how much the history says they move.

Shared by the deterministic path (`projection`) and the Monte Carlo (`montecarlo`).
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from di_metrics.vocab import DEFAULT_DEADLINE, DEFAULT_TARGET, HORIZON

__all__ = ["LEVER_RESOLUTION", "Scenario", "Spread", "start_counts", "start_of", "step_rate"]

LEVER_RESOLUTION = 5e-4  # half the finest slider step (0.1 pp): a lever this close to its calibrated value is untouched


@dataclass(frozen=True)
class Spread:
    """How much the rates moved in the history: their year-to-year standard deviations, the number of years
    their mean is taken over, and how fast each drifted (the slope of its least-squares line, per year).

    `measured` holds the calibrated value of each lever, (field, value), when the rates come from the data:
    a lever left there keeps the history's uncertainty, one moved away is a plan (docs/model.md, section 3)."""

    hire_share: float = 0.0
    attrition_women: float = 0.0
    attrition_men: float = 0.0
    growth: float = 0.0
    years: int = 3
    hire_share_drift: float = 0.0
    attrition_women_drift: float = 0.0
    attrition_men_drift: float = 0.0
    growth_drift: float = 0.0
    measured: tuple[tuple[str, float], ...] = ()

    def measured_at(self, lever: str, value: float) -> bool:
        """Whether `value` is the lever's calibrated value (within half a slider step)."""
        known = dict(self.measured)
        return lever in known and abs(value - known[lever]) <= LEVER_RESOLUTION


@dataclass(frozen=True)
class Scenario:
    """Every lever of the model; what-if variants come from dataclasses.replace(baseline, ...)."""

    start_year: int
    women: float
    men: float
    other: float = 0.0
    hire_share: float = 0.2
    hire_share_other: float = 0.0
    attrition_women: float = 0.1
    attrition_men: float = 0.1
    attrition_other: float = 0.1
    growth: float = 0.0
    until: int = HORIZON
    target: float = DEFAULT_TARGET
    deadline: int = DEFAULT_DEADLINE
    spread: Spread = field(default_factory=Spread)
    first_step: float = 1.0  # the fraction of a year from the data date to the end of start_year + 1

    def with_retention_improvement(self, fraction: float) -> Scenario:
        """Women's attrition lowered by a fraction, e.g. 0.25 for 'retention improvement for women: -25%'."""
        return dataclasses.replace(self, attrition_women=self.attrition_women * (1 - fraction))

    def params(self) -> dict[str, float | int]:
        """The parameters as the CLI names them."""
        out = {k: v for k, v in dataclasses.asdict(self).items() if k not in ("spread", "first_step")}
        return out


def start_counts(s: Scenario) -> tuple[int, int, int]:
    """The whole persons both the deterministic path and every Monte Carlo path start from."""
    return round(s.women), round(s.men), round(s.other)


def start_of(data_date: dt.date) -> tuple[int, float]:
    """The start year and the first step's fraction of a year for data dated `data_date`: the path starts at
    the data date and steps to year ends. A December snapshot is its year's end (as a complete year's is,
    docs/definitions.md): a whole first year. Any other date is the start of a fraction of its own year, so
    31 January 2026 starts year 2025's path with 334/365 of a year to the end of 2026."""
    if data_date.month == 12:
        return data_date.year, 1.0
    days = (dt.date(data_date.year, 12, 31) - data_date).days
    return data_date.year - 1, days / (366 if calendar.isleap(data_date.year) else 365)


def step_rate(rate: float, fraction: float) -> float:
    """A yearly rate over a fraction of a year, at a constant hazard: 1 - (1 - rate) ** fraction."""
    return rate if fraction == 1.0 else 1.0 - (1.0 - rate) ** fraction
