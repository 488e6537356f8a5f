"""The reporting rate per year for a selection and the split of each change in formal reports between them
(docs/definitions.md, *Reporting rate*; docs/cli.md, `reporting`); the rows come from queries/reporting_rows."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from di_metrics.models.reporting import Decomposition, ReportingRow, decompose
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output
from di_metrics.queries.reporting_rows import reporting_rows

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["Reporting", "reporting", "reporting_changes"]


def reporting_changes(rows: list[ReportingRow]) -> list[Decomposition]:
    """The split of the change between each year and the next, and between the last two survey waves."""
    pairs = list(itertools.pairwise(rows))
    waves = [r for r in rows if r.prevalence is not None]
    if len(waves) >= 2 and (waves[-2], waves[-1]) not in pairs:
        pairs.append((waves[-2], waves[-1]))
    return [decompose(a, b) for a, b in pairs]


@dataclass(frozen=True)
class Reporting:
    """A selection's reporting rate per year and the splits of its changes: what the panel, the slide, the
    report and `reporting` show."""

    rows: tuple[ReportingRow, ...]
    changes: tuple[Decomposition, ...]

    @property
    def headline(self) -> Decomposition | None:
        """The change the slide and the panel lead with: between the last two survey waves if split, else the
        last year's (which then says why it cannot be split)."""
        split = [c for c in self.changes if c.parts is not None]
        return split[-1] if split else (self.changes[-1] if self.changes else None)

    @property
    def told(self) -> tuple[Decomposition, ...]:
        """The changes worth a sentence: every split, and the last year's change on the year before (split or not)."""
        last = self.rows[-1].year if self.rows else None
        return tuple(c for c in self.changes if c.parts is not None or (c.year_to == last and c.year_from == last - 1))


@output
def reporting(conn: Connection, filters: Filters = Filters()) -> Reporting:
    """The rows and the splits of their changes for one selection."""
    rows = reporting_rows(conn, filters)
    return Reporting(tuple(rows), tuple(reporting_changes(rows)))
