"""Every measure in the register judged against a counterfactual: the interrupted time series on its own
population, the difference in differences against the parts it did not cover, and the evidence grade the
pages, deck and report lead with (docs/definitions.md, *Measure effects*). Effects are in percentage points."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from di_metrics.models.effects import DidResult, Grade, ItsResult, did, grade, its
from di_metrics.models.measure_slopes import Measure, before_after
from di_metrics.queries.effect_panels import effect_panel
from di_metrics.queries.privacy import output
from di_metrics.storage.measure_register import load_measures

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["Effects", "MeasureEffect", "effect_of", "measure_effects"]


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


def _years(dates: tuple[dt.date, ...]) -> np.ndarray:
    return np.array([d.toordinal() / 365.25 for d in dates], dtype=float)


def _values(series: np.ndarray) -> tuple[float | None, ...]:
    return tuple(None if np.isnan(v) else float(v) for v in series)


def effect_of(conn: Connection, m: Measure) -> MeasureEffect:
    """The measure's effect on its indicator, in pp, from the privacy-safe series only."""
    panel = effect_panel(conn, m)
    t, start = _years(panel.dates), m.start_date.toordinal() / 365.25
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
    )


@dataclass(frozen=True)
class Effects:
    """The effects `measures effect` reports: every measure's, or the one named."""

    rows: tuple[MeasureEffect, ...]


@output
def measure_effects(conn: Connection, name: str | None = None) -> tuple[MeasureEffect, ...]:
    """Every measure's effect (or the one named), in the register's order."""
    return tuple(effect_of(conn, m) for m in load_measures(conn) if name is None or m.name == name)
