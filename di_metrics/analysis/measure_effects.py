"""Every measure in the register judged against a counterfactual: the interrupted time series on its own
population, the difference in differences against the parts it did not cover, and the evidence grade the
pages, deck and report lead with (docs/definitions.md, *Measure effects*). Effects are in percentage points."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from di_metrics.models.effects import DidResult, Grade, ItsResult, did, grade, its
from di_metrics.models.measure_slopes import Measure, before_after
from di_metrics.models.names import Names
from di_metrics.queries.effect_panels import EffectPanel, effect_panel
from di_metrics.queries.privacy import output
from di_metrics.storage.measure_register import load_measures

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["Effects", "MeasureEffect", "effect_from", "effect_of", "in_years", "measure_effects"]


@dataclass(frozen=True)
class MeasureEffect:
    """One measure: its grade first, then the two methods' results and the slopes before and after (a
    description, not evidence)."""

    measure: Measure
    grade: Grade
    its: ItsResult
    did: DidResult | None
    slope_before: float | None
    slope_after: float | None
    comparison_parts: tuple[str, ...] = ()
    dates: tuple[dt.date, ...] = ()
    own: tuple[float | None, ...] = ()  # the measure's population, pp; None where hidden
    comparison: tuple[float | None, ...] = ()  # the uncovered parts' mean, pp; empty without them
    untreated: tuple[tuple[float | None, ...], ...] = ()  # each uncovered part's series, pp; None where hidden

    @property
    def lead_effect(self) -> float | None:
        """The change the grade rests on: the effect of the method it leads with (the comparison with the
        uncovered parts only when it alone speaks); None when that method states none."""
        lead = self.did if self.grade.reason == "did_only" else self.its
        return lead.effect.value if lead is not None and lead.effect is not None else None


def in_years(day: dt.date) -> float:
    """A date as a time in years, the scale both methods fit on (and the claims' checkers re-derive on)."""
    return day.toordinal() / 365.25


def _years(dates: tuple[dt.date, ...]) -> np.ndarray:
    return np.array([in_years(d) for d in dates], dtype=float)


def _values(series: np.ndarray) -> tuple[float | None, ...]:
    return tuple(None if np.isnan(v) else float(v) for v in series)


def effect_of(conn: Connection, m: Measure) -> MeasureEffect:
    """The measure's effect on its indicator, in pp, from the privacy-safe series only."""
    return effect_from(m, effect_panel(conn, m))


def effect_from(m: Measure, panel: EffectPanel) -> MeasureEffect:
    """The measure's effect on the series of its panel (fractions; NaN where hidden), in pp."""
    t, start = _years(panel.dates), in_years(m.start_date)
    its_result = its(t, 100 * panel.treated, start)
    did_result = did(t, 100 * panel.treated, 100 * panel.untreated, start) if len(panel.untreated) else None
    points = [(d, None if np.isnan(v) else float(v)) for d, v in zip(panel.dates, panel.treated, strict=True)]
    slopes = before_after(points, m.start_date)
    mean = np.nanmean(100 * panel.untreated, axis=0) if len(panel.untreated) else np.array([])
    return MeasureEffect(
        m,
        grade(its_result, did_result),
        its_result,
        did_result,
        slopes.slope_before,
        slopes.slope_after,
        panel.parts,
        panel.dates,
        _values(100 * panel.treated),
        _values(mean),
        tuple(_values(100 * row) for row in panel.untreated),
    )


@dataclass(frozen=True)
class Effects:
    """The effects `measures effect` reports: every measure's, or the one named; `names` names the compared
    parts as the page does (the JSON keeps their codes beside them)."""

    rows: tuple[MeasureEffect, ...]
    names: Names = field(default_factory=Names)


@output
def measure_effects(conn: Connection, name: str | None = None) -> tuple[MeasureEffect, ...]:
    """Every measure's effect (or the one named), in the register's order."""
    return tuple(effect_of(conn, m) for m in load_measures(conn) if name is None or m.name == name)
