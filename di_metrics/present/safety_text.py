"""The sentences about reporting and measure effects, one function per kind, each written from one frozen value
in either language from the same figures (so Dutch and English cannot say different things)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from di_metrics.analysis.claims_career import change_claim, grade_claim, rate_claim
from di_metrics.analysis.claims_effects import did_claim, its_claim
from di_metrics.i18n import t
from di_metrics.present.claims import render
from di_metrics.present.claims_career import PER, interval_count, rate_value

if TYPE_CHECKING:
    from di_metrics.analysis.measure_effects import MeasureEffect
    from di_metrics.models.reporting import Decomposition, Estimate, ReportingRow

__all__ = [
    "PER",
    "change_sentence",
    "did_sentence",
    "grade_label",
    "grade_sentence",
    "its_sentence",
    "no_category_note",
    "rate_sentence",
    "rate_text",
    "reports_reason_note",
    "signed_count",
    "slide_title",
]


def rate_text(rate: Estimate | None, lang: str) -> str:
    """The rate per 100 with its interval, or a dash when unknown."""
    return rate_value(None if rate is None else (rate.value, rate.low, rate.high), lang)


def signed_count(e: Estimate, lang: str) -> str:
    """A part of a change in reports, signed, with its interval (a minus sign, not a hyphen)."""
    return interval_count((e.value, e.low, e.high), lang)


def rate_sentence(row: ReportingRow, lang: str) -> str:
    """One year's reporting rate in words (from its claim): hidden, without a wave, or the estimate."""
    return render(rate_claim(row), lang)


def change_sentence(d: Decomposition, lang: str, rows: tuple[ReportingRow, ReportingRow] | None = None) -> str:
    """A change in reports between two years, split; or why it cannot be split, with no verdict (from its claim;
    with the two years' `rows` its checker re-derives the split)."""
    return render(change_claim(d, rows), lang)


def grade_label(grade: str, lang: str) -> str:
    """The grade's name: no evidence, suggestive, consistent."""
    return t(f"safety_evidence.grade_{grade}", lang)


def grade_sentence(effect: MeasureEffect, lang: str) -> str:
    """The line a page, slide or report leads a measure with: its grade and the reason (from its claim)."""
    return render(grade_claim(effect), lang)


def its_sentence(effect: MeasureEffect, lang: str) -> str:
    """The interrupted time series in one line: level, slope, effect and placebos, or too few points, and the
    points left out as unknown (from its claim)."""
    return render(its_claim(effect), lang)


def did_sentence(effect: MeasureEffect, lang: str, label: Callable[[str, str, str], str] | None = None) -> str:
    """The difference in differences in one line against the parts the measure did not cover (named by `label`,
    e.g. `Names.label`, as the rest of the page or report names them), or why there is none, and the points
    left out as unknown (from its claim)."""
    return render(did_claim(effect, label=label), lang)


def slide_title(headline: Decomposition | None, lang: str) -> str:
    """The slide's question and its answer from the split it leads with; no answer without a split."""
    if headline is None:
        return t("safety_evidence.slide_none", lang)
    return render(change_claim(headline, form="title"), lang)


def reports_reason_note(rows: tuple[ReportingRow, ...], lang: str) -> str | None:
    """Why the formal reports of some years are unknown though no rule hid them (a unit or rank filter, or
    reports imported without a personnel category), or None."""
    finer = [r.year for r in rows if r.reports_reason == "finer_than_kept"]
    if finer:
        return t("safety_evidence.reports_reason_finer_than_kept", lang)
    return no_category_note([r.year for r in rows if r.reports_reason == "no_personnel_category"], lang)


def no_category_note(years: list[int], lang: str) -> str | None:
    """That the reports of these years, imported without a personnel category, are unknown per category; or None."""
    blank = [str(y) for y in sorted(set(years))]
    if not blank:
        return None
    said = f" {t('safety_evidence.years_and', lang)} ".join([", ".join(blank[:-1]), blank[-1]] if blank[1:] else blank)
    return t("safety_evidence.reports_reason_no_personnel_category", lang, years=said)
