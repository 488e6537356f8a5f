"""Every measure with its indicator's slope before and after it started, read from the privacy-safe series
(docs/cli.md, `measures list`). Timing, not cause."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from di_metrics.models.measure_slopes import Measure, Slopes, before_after
from di_metrics.queries.measure_reads import indicator_points
from di_metrics.storage.measure_register import load_measures

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["CAVEAT", "MeasureTrend", "measure_trends"]

CAVEAT = "timing, not cause"


@dataclass(frozen=True)
class MeasureTrend:
    """One measure of the register and its indicator's slopes around its start."""

    measure: Measure
    slopes: Slopes


def measure_trends(conn: Connection) -> tuple[MeasureTrend, ...]:
    """Every stored measure with its before-and-after slopes, in the register's order."""
    return tuple(MeasureTrend(m, before_after(indicator_points(conn, m), m.start_date)) for m in load_measures(conn))
