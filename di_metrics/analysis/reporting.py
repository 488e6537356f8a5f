"""The reporting rate per year for a selection, and the split of a change in formal reports, from the
privacy-safe reads only (docs/definitions.md, *Reporting rate*; docs/cli.md, `reporting`).

Formal reports are kept per branch, so only a branch filter narrows them; another filter leaves the reports
(and so the rate) unknown rather than comparing one population's reports with another's prevalence.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from di_metrics.errors import InvalidChoice
from di_metrics.models.reporting import Decomposition, Prevalence, ReportingRow, decompose, reporting_row
from di_metrics.queries.filters import Filters
from di_metrics.queries.meldingen import reports_by_kind
from di_metrics.queries.survey import survey_table
from di_metrics.queries.workforce import share_series
from di_metrics.vocab import SAFETY_MEASURES

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["REPORTED_KIND", "Reporting", "reporting", "reporting_changes", "reporting_rows"]

REPORTED_KIND = "social_safety"  # the survey asks about unwanted behaviour: the social-safety reports match it


def _year_end_headcounts(conn: Connection, filters: Filters) -> dict[int, int | None]:
    """Each year's last snapshot headcount; None where it is hidden."""
    series = share_series(conn, filters)
    out: dict[int, int | None] = {}
    for r in series.sort_values("date").itertuples():
        hidden = bool(r.headcount_hidden) or pd.isna(r.headcount)
        out[r.date.year] = None if hidden else int(r.headcount)
    return out


def _waves(conn: Connection, filters: Filters, measure: str) -> dict[int, tuple[float, float, float, float] | None]:
    """Per wave: the share, its Wilson interval and effective n (fractions), or None when hidden."""
    try:
        table = survey_table(conn, filters, measure)
    except InvalidChoice:  # no such measure in the codebook: no waves
        return {}
    return {
        int(r.wave): None if r.suppressed else (r.pct_favourable / 100, r.ci_low / 100, r.ci_high / 100, float(r.n_eff))
        for r in table.itertuples()
    }


def _social_safety_reports(conn: Connection, filters: Filters) -> dict[int, int | None]:
    """Per year, the social-safety reports of the selected branches; None when any of its counts is hidden."""
    if set(filters.as_dict()) - {"branch"} or filters.exempt_units:
        return {}
    frame = reports_by_kind(conn, filters)
    frame = frame[frame["kind"] == REPORTED_KIND]
    out: dict[int, int | None] = {}
    for year, rows in frame.groupby("year"):
        out[int(year)] = None if rows["suppressed"].any() else int(rows["count"].sum())
    return out


def reporting_rows(conn: Connection, filters: Filters = Filters()) -> list[ReportingRow]:
    """Per year with formal reports or a headcount: headcount, prevalence, reports, the survey's own reported
    share, and whether a rule hid any of them. A year without a survey wave has no prevalence; a year (or a
    filter) without reports has none either: unknown, not zero."""
    heads = _year_end_headcounts(conn, filters)
    prevalence = _waves(conn, filters, SAFETY_MEASURES["experienced"])
    reported = _waves(conn, filters, SAFETY_MEASURES["reported"])
    reports = _social_safety_reports(conn, filters)
    rows = []
    for year in sorted(set(reports) | set(heads)):
        wave = prevalence.get(year)
        told = reported.get(year)
        hidden = (year in reports and reports[year] is None) or (year in heads and heads[year] is None)
        hidden = hidden or (year in prevalence and wave is None)
        rows.append(
            reporting_row(
                year,
                heads.get(year),
                None if wave is None else Prevalence(*wave),
                reports.get(year),
                None if told is None else told[0],
                hidden,
            )
        )
    return rows


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


def reporting(conn: Connection, filters: Filters = Filters()) -> Reporting:
    """The rows and the splits of their changes for one selection."""
    rows = reporting_rows(conn, filters)
    return Reporting(tuple(rows), tuple(reporting_changes(rows)))
