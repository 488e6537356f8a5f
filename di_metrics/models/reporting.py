"""The reporting rate (formal reports per person who experienced unwanted behaviour) and the split of a change
in formal reports into incidents, reporting rate and headcount (docs/definitions.md, *Reporting rate*).

Formal reports are a full count; the only sampled figure is the survey's prevalence. Every interval here
therefore comes from the survey: the rate's interval is the prevalence's Wilson interval mapped through
R / (p × H), which is monotone in p; the parts of a change come from a parametric bootstrap over the survey's
(effective) n. Unknown stays None: a year without a survey wave has no prevalence, never a zero one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "DRAWS",
    "REPORTS_UNKNOWN",
    "Decomposition",
    "Estimate",
    "Prevalence",
    "ReportingRow",
    "decompose",
    "reporting_row",
    "shapley_parts",
]

DRAWS = 4000
# Why a year's formal reports are unknown though no rule withheld them: a selection finer than reports are kept
# (a unit or rank group), or a personnel category chosen while some reports were stored without one.
REPORTS_UNKNOWN = ("finer_than_kept", "no_personnel_category")
LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    """A figure with its 95% interval."""

    value: float
    low: float | None
    high: float | None

    @property
    def excludes_zero(self) -> bool:
        """The interval lies wholly on one side of zero."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


@dataclass(frozen=True)
class Prevalence:
    """A survey wave's share who experienced unwanted behaviour, its Wilson interval and effective n."""

    share: float
    low: float
    high: float
    n_eff: float


@dataclass(frozen=True)
class ReportingRow:
    """One year: estimated people who experienced unwanted behaviour, the formal reports, and their ratio.

    `suppressed` says a figure was withheld by the disclosure rules (not merely unknown); `reports_reason` says
    why the formal reports are unknown where no rule withheld them (REPORTS_UNKNOWN)."""

    year: int
    headcount: int | None
    prevalence: Prevalence | None
    formal_reports: int | None
    survey_reported_share: float | None
    suppressed: bool
    reports_reason: str | None = None

    @property
    def estimated_incidents(self) -> Estimate | None:
        """Prevalence × headcount, with the prevalence's interval carried through."""
        if self.prevalence is None or self.headcount is None:
            return None
        p, h = self.prevalence, self.headcount
        return Estimate(p.share * h, p.low * h, p.high * h)

    @property
    def reporting_rate(self) -> Estimate | None:
        """Formal reports per person who experienced unwanted behaviour; None when any part is unknown or hidden."""
        people = self.estimated_incidents
        if people is None or self.formal_reports is None or people.value <= 0:
            return None
        r = self.formal_reports
        high = None if not people.low else r / people.low
        return Estimate(r / people.value, r / people.high if people.high else None, high)


def reporting_row(
    year: int,
    headcount: int | None,
    prevalence: Prevalence | None,
    formal_reports: int | None,
    survey_reported_share: float | None = None,
    hidden: bool = False,
    reports_reason: str | None = None,
) -> ReportingRow:
    """A year's row; a hidden input makes the row suppressed, and the rate then unknown."""
    return ReportingRow(year, headcount, prevalence, formal_reports, survey_reported_share, hidden, reports_reason)


def shapley_parts(
    h: tuple[np.ndarray | float, np.ndarray | float],
    p: tuple[np.ndarray | float, np.ndarray | float],
    r: tuple[np.ndarray | float, np.ndarray | float],
) -> tuple:
    """The Shapley split of the change in H·p·r between two years into the part of each factor.

    For a product of three factors the average over the six orders in which the factors can change is
    Δx · [(y0 z0 + y1 z1)/3 + (y0 z1 + y1 z0)/6]; the three parts add up to H1 p1 r1 − H0 p0 r0 exactly
    (the identity is polynomial), and a factor that does not change gets no part."""

    def part(x: tuple, y: tuple, z: tuple) -> np.ndarray | float:
        return (x[1] - x[0]) * ((y[0] * z[0] + y[1] * z[1]) / 3 + (y[0] * z[1] + y[1] * z[0]) / 6)

    return part(p, h, r), part(r, h, p), part(h, p, r)


@dataclass(frozen=True)
class Decomposition:
    """A change in formal reports between two years split into incidents, reporting rate and headcount.

    `reason` is a code when no split can be made (`no_prevalence`, `hidden`, `no_reports`); `driver` names the
    part that carries the change (`incidents`, `rate`, `headcount`) or `undetermined` when no part's interval
    excludes zero."""

    year_from: int
    year_to: int
    change: int | None
    incidents: Estimate | None = None
    rate: Estimate | None = None
    headcount: Estimate | None = None
    driver: str | None = None
    reason: str | None = None

    @property
    def parts(self) -> tuple[Estimate, Estimate, Estimate] | None:
        """The three parts, incidents first, or None without a split."""
        if self.incidents is None or self.rate is None or self.headcount is None:
            return None
        return self.incidents, self.rate, self.headcount


def _refusal(a: ReportingRow, b: ReportingRow) -> str | None:
    """Why no split, one reason: hidden, else reports unknown (before a missing wave, which would leave the
    change itself blank and read as hidden), else no prevalence."""
    if a.suppressed or b.suppressed:
        return "hidden"
    if a.formal_reports is None or b.formal_reports is None or a.headcount is None or b.headcount is None:
        return "no_reports"
    if a.prevalence is None or b.prevalence is None:
        return "no_prevalence"
    if a.prevalence.share <= 0 or b.prevalence.share <= 0:
        return "no_prevalence"
    return None


def _interval(draws: np.ndarray, value: float) -> Estimate:
    shown = draws[np.isfinite(draws)]
    tail = 100 * (1 - LEVEL) / 2
    low, high = np.percentile(shown, [tail, 100 - tail]) if len(shown) else (None, None)
    return Estimate(value, None if low is None else float(low), None if high is None else float(high))


def decompose(a: ReportingRow, b: ReportingRow, draws: int = DRAWS, seed: int = 0) -> Decomposition:
    """The split of b's reports minus a's; each part's interval from `draws` redraws of both waves' prevalence
    (binomial on the effective n, seeded, so a page and the CLI show the same interval)."""
    refused = _refusal(a, b)
    change = None if a.formal_reports is None or b.formal_reports is None else b.formal_reports - a.formal_reports
    if refused is not None:
        return Decomposition(a.year, b.year, None if a.suppressed or b.suppressed else change, reason=refused)
    h = (float(a.headcount), float(b.headcount))
    reports = (float(a.formal_reports), float(b.formal_reports))
    p = (a.prevalence.share, b.prevalence.share)
    point = shapley_parts(h, p, (reports[0] / (h[0] * p[0]), reports[1] / (h[1] * p[1])))
    rng = np.random.default_rng(seed)
    drawn = []
    for row in (a, b):
        n = max(round(row.prevalence.n_eff), 1)
        drawn.append(rng.binomial(n, row.prevalence.share, draws) / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = (reports[0] / (h[0] * drawn[0]), reports[1] / (h[1] * drawn[1]))
        spread = shapley_parts(h, (drawn[0], drawn[1]), rates)
    parts = [_interval(np.asarray(s, dtype=float), float(v)) for s, v in zip(spread, point, strict=True)]
    carrying = [(abs(e.value), name) for e, name in zip(parts, ("incidents", "rate", "headcount"), strict=True)]
    carrying = [c for c, e in zip(carrying, parts, strict=True) if e.excludes_zero]
    driver = max(carrying)[1] if carrying else "undetermined"
    return Decomposition(a.year, b.year, change, parts[0], parts[1], parts[2], driver)
