"""Retention by entry cohort: Kaplan-Meier survival in service by gender, with 95% intervals, the 1-, 3- and
5-year milestones, the women-minus-men difference with its interval, and the years at which the curves part.

Time runs in whole months from the snapshot a spell is first seen in to the snapshot that no longer holds the
person (an exit) or the last snapshot (censored). A curve stops where its number at risk falls under the
minimum group size: beyond it, one person's exit would be visible.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from di_metrics.analysis.intake_years import Cohort, hidden_intake_years
from di_metrics.config import min_workforce_cell
from di_metrics.models.rates import Z95
from di_metrics.queries import career as reads
from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output
from di_metrics.queries.workforce import complete_years
from di_metrics.vocab import GROUP_SEPARATOR

if TYPE_CHECKING:
    from lifelines import KaplanMeierFitter
    from sqlalchemy.engine import Connection

__all__ = [
    "MILESTONES",
    "CurvePoint",
    "Difference",
    "Milestone",
    "Retention",
    "months_between",
    "retention",
    "retention_from",
    "spell_durations",
]

MILESTONES = (1, 3, 5)
_GENDERS = ("F", "M")  # curves are drawn for women and men; X and unknown are too few to follow apart


@dataclass(frozen=True)
class CurvePoint:
    """One step of a survival curve: at t years, the persons still at risk and the share still in service."""

    group: str
    t: float
    at_risk: int | None
    survival: float | None
    low: float | None
    high: float | None
    suppressed: bool


@dataclass(frozen=True)
class Milestone:
    group: str
    years: int
    survival: float
    low: float
    high: float


@dataclass(frozen=True)
class Difference:
    """Women's minus men's retention after `years`, within one part (`part` is "" for the whole selection)."""

    part: str
    years: int
    difference: float
    low: float
    high: float

    @property
    def parts_ways(self) -> bool:
        """Whether the interval excludes no difference: the curves have parted."""
        return self.high < 0 or self.low > 0


@dataclass(frozen=True)
class Retention:
    curves: tuple[CurvePoint, ...]
    milestones: tuple[Milestone, ...]
    differences: tuple[Difference, ...]
    by: str | None
    minimum: int
    cut_at: float | None = None  # years at which hidden intake years stopped a curve early (hidden_cap); None: none
    hired: bool | None = None  # anyone hired into the selection in the data (any entry year); None: not asked
    complete_years: int | None = None  # complete years in the data, as intake counts them; None: not counted

    def parting_years(self, part: str = "") -> tuple[int, ...]:
        """The whole years at which women's and men's curves have parted (the difference excludes 0)."""
        return tuple(d.years for d in self.differences if d.part == part and d.parts_ways)


def months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def spell_durations(spells: pd.DataFrame, index: pd.DataFrame) -> pd.DataFrame:
    """Spells that began after the first snapshot (hires), with years in service and whether the exit was seen.

    Adds entry_year, years and exited to spell_counts' columns."""
    dates = dict(zip(index["i"], index["snapshot_date"], strict=True))
    last = int(index["i"].max()) if len(index) else 0
    hires = spells[spells["start_i"] > 1].copy()
    exited = hires["end_i"] < last
    end_i = np.where(exited, hires["end_i"] + 1, hires["end_i"])
    starts = hires["start_i"].map(dates)
    months = [months_between(a, dates[int(b)]) for a, b in zip(starts, end_i, strict=True)]
    return hires.assign(
        entry_year=[d.year for d in starts], years=np.array(months, dtype=float) / 12, exited=exited.to_numpy()
    )


def _fit(frame: pd.DataFrame) -> KaplanMeierFitter:
    from lifelines import KaplanMeierFitter  # here, not at the top: importing lifelines takes seconds

    kmf = KaplanMeierFitter(alpha=0.05)
    return kmf.fit(frame["years"], event_observed=frame["exited"], weights=frame["persons"])


def _curve(group: str, kmf: KaplanMeierFitter, k: int, stop: float) -> list[CurvePoint]:
    """The curve's steps while at least k are at risk and before `stop`, then one hidden step where it stops."""
    table = kmf.event_table
    survival = kmf.survival_function_.iloc[:, 0]
    band = kmf.confidence_interval_
    points = []
    for t, at_risk in table["at_risk"].items():
        if at_risk < k or t >= stop:
            points.append(CurvePoint(group, float(t), None, None, None, None, True))
            break
        low, high = band.loc[t].iloc[0], band.loc[t].iloc[1]
        points.append(CurvePoint(group, float(t), int(at_risk), float(survival[t]), float(low), float(high), False))
    return points


def _stop(kmf: KaplanMeierFitter, k: int) -> float:
    """The first time fewer than k are at risk (infinity if never)."""
    table = kmf.event_table
    under = table.index[table["at_risk"] < k]
    return float(under[0]) if len(under) else math.inf


def _at(kmf: KaplanMeierFitter, t: float, k: int, stop: float) -> tuple[float, float, float, float] | None:
    """Survival, its interval and Greenwood variance at t; None where fewer than k were at risk by then, or
    where the curve has stopped."""
    table = kmf.event_table
    upto = table[table.index <= t]
    at_risk = float(np.asarray(kmf.weights)[np.asarray(kmf.durations) >= t].sum())
    if upto.empty or at_risk < k or t >= stop:
        return None
    s = float(kmf.survival_function_.loc[:t].iloc[-1, 0])
    band = kmf.confidence_interval_.loc[:t].iloc[-1]
    n, d = upto["at_risk"].to_numpy(float), upto["observed"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(n > d, d / (n * (n - d)), 0.0)
    return s, float(band.iloc[0]), float(band.iloc[1]), s * s * float(terms.sum())


def _shown_parts(durations: pd.DataFrame, by: str | None, k: int) -> dict[tuple[str, str], KaplanMeierFitter]:
    """The curves that may be drawn, by (gender, part): a part with fewer than k of a gender has none, and in a
    breakdown a single such part would be the whole curve's hires minus the others, so the smallest other
    part's curve goes too (privacy.complementary)."""
    parts = sorted(durations[by].dropna().unique()) if by else [""]
    keys = [(g, p) for g in _GENDERS for p in parts]
    sizes = pd.Series(
        [
            int(durations[(durations["gender"] == g) & ((durations[by] == p) if by else True)]["persons"].sum())
            for g, p in keys
        ]
    )
    hidden = privacy.primary(sizes, k)
    if by:
        hidden = privacy.complementary(hidden, sizes, pd.Series([g for g, _ in keys]))
    fitted = {}
    for (gender, part), h in zip(keys, hidden, strict=True):
        if not h:
            rows = durations[(durations["gender"] == gender) & ((durations[by] == part) if by else True)]
            fitted[(gender, part)] = _fit(rows[rows["persons"] > 0])
    return fitted


def retention_from(
    durations: pd.DataFrame,
    by: str | None = None,
    k: int | None = None,
    milestones: tuple[int, ...] = MILESTONES,
    cap: float = math.inf,
) -> Retention:
    """Curves, milestones and differences from spell_durations' rows (pure: the tests feed it by hand).

    In a breakdown, each gender's part curves stop together, where the first of them falls under k at risk:
    one part stopping alone would leave its number at risk as the whole curve's minus the others'. No curve
    shows a step after `cap` years (hidden_cap); where that stopped a curve that had more steps, `cut_at` says
    so, for the note that tells why."""
    k = k or min_workforce_cell()
    fitted = _shown_parts(durations, by, k)
    after = np.nextafter(cap, math.inf)  # a step at the cap itself still counts the cohort censored there
    stops = {g: min([_stop(f, k) for (gg, _), f in fitted.items() if gg == g] or [math.inf]) for g in _GENDERS}
    stops = {g: min(stop, after) for g, stop in stops.items()}
    curves, marks, differences, cut = [], [], [], False
    for (gender, part), kmf in fitted.items():
        group = f"{gender}{GROUP_SEPARATOR}{part}" if by else gender
        stop = stops[gender] if by else min(_stop(kmf, k), after)
        curves += _curve(group, kmf, k, stop)
        cut |= stop == after and bool((kmf.event_table.index >= after).any())  # the cap, not k, ended it
        for years in milestones:
            found = _at(kmf, years, k, stop)
            if found is not None:
                marks.append(Milestone(group, years, *found[:3]))
    for part in dict.fromkeys(p for _, p in fitted):
        if ("F", part) in fitted and ("M", part) in fitted:
            women, men = fitted[("F", part)], fitted[("M", part)]
            stop = min(stops.values()) if by else min(_stop(women, k), _stop(men, k), after)
            differences += _differences(part, women, men, k, stop)
    return Retention(tuple(curves), tuple(marks), tuple(differences), by, k, cap if cut else None)


def _differences(part: str, women: KaplanMeierFitter, men: KaplanMeierFitter, k: int, stop: float) -> list[Difference]:
    """Women minus men at every whole year both curves still show, with a normal interval on Greenwood's
    variances (the two groups are independent)."""
    out = []
    horizon = int(min(women.durations.max(), men.durations.max()))
    for years in range(1, horizon + 1):
        a, b = _at(women, years, k, stop), _at(men, years, k, stop)
        if a is None or b is None:
            break
        gap, se = a[0] - b[0], math.sqrt(a[3] + b[3])
        out.append(Difference(part, years, gap, gap - Z95 * se, gap + Z95 * se))
    return out


@output
def retention(
    conn: Connection, filters: Filters = Filters(), by: str | None = None, entry_years: tuple[int, int] | None = None
) -> Retention:
    """Retention of the hires of a selection (entry years `entry_years`, both ends included; None: all), with
    how many were hired at all and the complete years, so a selection nobody joined says so, as intake does."""
    snapshots = reads.snapshot_index(conn)
    durations = spell_durations(reads.spell_counts(conn, filters, by), snapshots)
    cap = hidden_cap(durations, by, hidden_intake_years(conn, filters, by, durations))
    hired = bool(durations["persons"].sum() > 0)  # whether, not how many: intake and the flows count them
    if entry_years:
        durations = durations[durations["entry_year"].between(*entry_years)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = retention_from(durations, by, cap=cap)
    years = len(complete_years(list(snapshots["snapshot_date"])))
    return replace(found, hired=hired, complete_years=years)


def hidden_cap(durations: pd.DataFrame, by: str | None, hidden: frozenset[Cohort] | None) -> float:
    """Where a curve must stop below the branch level: its numbers at risk step down as each entry cohort is
    censored, so the step of an entry year intake hides (`hidden`: intake_years) would give that year's hires
    back. The cap is the censoring time of the latest such cohort (infinity if none, or above the level)."""
    if not hidden or durations.empty:
        return math.inf
    years = [int(y) for y in durations["entry_year"]]
    cohorts = zip(years, (str(p) for p in durations[by]), strict=True) if by else ((y,) for y in years)
    hit = np.array([c in hidden for c in cohorts], dtype=bool)
    rows = durations[hit & ~durations["exited"].to_numpy(dtype=bool)]
    return float(rows["years"].min()) if len(rows) else math.inf
