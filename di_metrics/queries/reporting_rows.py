"""The reporting rate's rows per year for a selection, from the privacy-safe reads only (docs/definitions.md,
*Reporting rate*): the year-end headcount, the survey wave's prevalence and reported share, and the year's
social-safety formal reports, each as shown (a hidden one is None and marks the row suppressed).

Formal reports are kept per branch and personnel category, so only those filters narrow them; another filter
(unit, rank group) leaves the reports (and so the rate) unknown rather than comparing one population's reports
with another's prevalence, and so does a personnel category where some reports were stored without one.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Connection

from di_metrics.errors import InvalidChoice
from di_metrics.models.reporting import REPORTS_UNKNOWN, Prevalence, ReportingRow, reporting_row
from di_metrics.queries.filters import Filters
from di_metrics.queries.meldingen import reports_by_kind, years_without_category
from di_metrics.queries.privacy import output
from di_metrics.queries.survey import survey_table
from di_metrics.queries.workforce import share_series
from di_metrics.vocab import CATEGORY, SAFETY_MEASURES

__all__ = ["REPORTED_KIND", "reporting_rows"]

REPORTED_KIND = "social_safety"  # the survey asks about unwanted behaviour: the social-safety reports match it
HIDDEN = "hidden"


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


def _finer(filters: Filters) -> bool:
    """Whether the selection is cut finer than reports are kept (by unit, rank group or an exemption)."""
    return bool(set(filters.as_dict()) - {"branch", CATEGORY} or filters.exempt_units)


def _social_safety_reports(conn: Connection, filters: Filters) -> dict[int, tuple[int | None, str | None]]:
    """Per year, the social-safety reports of the chosen branches and personnel categories, and why they are
    unknown: None with "hidden" when any of its counts is withheld, None with a REPORTS_UNKNOWN reason when
    they are not kept for the selection."""
    if _finer(filters):
        return {}
    frame = reports_by_kind(conn, filters)
    frame = frame[frame["kind"] == REPORTED_KIND]
    blank = years_without_category(conn, filters, REPORTED_KIND) if CATEGORY in filters.as_dict() else set()
    out: dict[int, tuple[int | None, str | None]] = dict.fromkeys(blank, (None, REPORTS_UNKNOWN[1]))
    for year, rows in frame.groupby("year"):
        if int(year) in blank:
            continue
        elif rows["suppressed"].any():
            out[int(year)] = (None, HIDDEN)
        else:
            out[int(year)] = (int(rows["count"].sum()), None)
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
        count, why = reports.get(year, (None, REPORTS_UNKNOWN[0] if _finer(filters) else None))
        hidden = why == HIDDEN or (year in heads and heads[year] is None) or (year in prevalence and wave is None)
        rows.append(
            reporting_row(
                year,
                heads.get(year),
                None if wave is None else Prevalence(*wave),
                count,
                None if told is None else told[0],
                hidden,
                None if why == HIDDEN else why,
            )
        )
    return rows
