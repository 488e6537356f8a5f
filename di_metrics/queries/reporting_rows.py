"""The reporting rate's rows per year for a selection, from the privacy-safe reads only (docs/definitions.md,
*Reporting rate*): the year-end headcount, the survey wave's prevalence and reported share, and the year's
social-safety formal reports, each as shown (a hidden one is None and marks the row suppressed).

Formal reports are kept per branch, so only a branch filter narrows them; another filter leaves the reports
(and so the rate) unknown rather than comparing one population's reports with another's prevalence.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Connection

from di_metrics.errors import InvalidChoice
from di_metrics.models.reporting import Prevalence, ReportingRow, reporting_row
from di_metrics.queries.filters import Filters
from di_metrics.queries.meldingen import reports_by_kind
from di_metrics.queries.privacy import output
from di_metrics.queries.survey import survey_table
from di_metrics.queries.workforce import share_series
from di_metrics.vocab import SAFETY_MEASURES

__all__ = ["REPORTED_KIND", "reporting_rows"]

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


@output
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
