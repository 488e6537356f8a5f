"""The sentences about reporting and measure effects, one function per kind, each written from one frozen value
in either language from the same figures (so Dutch and English cannot say different things)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from di_metrics.i18n import fmt_number, fmt_pct, fmt_pp, t, value_label

if TYPE_CHECKING:
    from di_metrics.analysis.measure_effects import MeasureEffect
    from di_metrics.models.effects import DidResult, ItsResult
    from di_metrics.models.reporting import Decomposition, Estimate, ReportingRow

__all__ = [
    "PER",
    "change_sentence",
    "did_sentence",
    "grade_label",
    "grade_sentence",
    "its_sentence",
    "rate_sentence",
    "rate_text",
    "signed_count",
    "slide_title",
]

PER = 100  # the reporting rate is said per 100 people who experienced unwanted behaviour


def rate_text(rate: Estimate | None, lang: str) -> str:
    """The rate per 100 with its interval, or a dash when unknown."""
    if rate is None:
        return "–"
    low, high = (fmt_number(None if v is None else PER * v, lang, 1) for v in (rate.low, rate.high))
    return t("safety_evidence.rate_value", lang, value=fmt_number(PER * rate.value, lang, 1), low=low, high=high)


def _minus(value: float | None, lang: str) -> str:
    text = fmt_number(None if value is None else abs(value), lang, 0)
    return text if value is None or round(value) >= 0 else "−" + text


def signed_count(e: Estimate, lang: str) -> str:
    """A part of a change in reports, signed, with its interval (a minus sign, not a hyphen)."""
    value = ("+" if round(e.value) >= 0 else "−") + fmt_number(abs(e.value), lang, 0)
    return t("safety_evidence.part_value", lang, value=value, low=_minus(e.low, lang), high=_minus(e.high, lang))


def rate_sentence(row: ReportingRow, lang: str) -> str:
    """One year's reporting rate in words: hidden, without a wave, or the estimate with its interval."""
    if row.suppressed:
        return t("safety_evidence.year_hidden", lang, year=row.year)
    reports = fmt_number(row.formal_reports, lang)
    people = row.estimated_incidents
    if people is None:
        return t("safety_evidence.year_no_wave", lang, year=row.year, reports=reports)
    return t(
        "safety_evidence.year_rate",
        lang,
        year=row.year,
        people=fmt_number(people.value, lang),
        low=fmt_number(people.low, lang),
        high=fmt_number(people.high, lang),
        reports=reports,
        rate=rate_text(row.reporting_rate, lang),
        told=fmt_pct(row.survey_reported_share, lang, 0),
    )


def change_sentence(d: Decomposition, lang: str) -> str:
    """A change in reports between two years, split; or why it cannot be split, with no verdict."""
    years = {"start": d.year_from, "end": d.year_to}
    if d.reason == "hidden" or d.change is None:
        return t("safety_evidence.change_hidden", lang, **years)
    change = ("+" if d.change >= 0 else "−") + fmt_number(abs(d.change), lang)
    if d.parts is None:
        return t(f"safety_evidence.change_{d.reason}", lang, change=change, **years)
    return t(
        f"safety_evidence.change_split_{d.driver}",
        lang,
        change=change,
        incidents=signed_count(d.incidents, lang),
        rate=signed_count(d.rate, lang),
        headcount=signed_count(d.headcount, lang),
        **years,
    )


def grade_label(grade: str, lang: str) -> str:
    """The grade's name: no evidence, suggestive, consistent."""
    return t(f"safety_evidence.grade_{grade}", lang)


def grade_sentence(effect: MeasureEffect, lang: str) -> str:
    """The line a page, slide or report leads a measure with: its grade and the reason in one line."""
    lead = effect.did if effect.grade.reason == "did_only" else effect.its
    shown = lead.effect if lead is not None and lead.effect is not None else None
    value = "–" if shown is None else fmt_pp(shown.value, lang, 1, signed=True)
    return t(
        "safety_evidence.grade_line",
        lang,
        grade=grade_label(effect.grade.grade, lang),
        reason=t(f"safety_evidence.reason_{effect.grade.reason}", lang, effect=value),
    )


def its_sentence(r: ItsResult, lang: str) -> str:
    """The interrupted time series in one line: level, slope, effect and placebos, or too few points."""
    if r.effect is None:
        return t("safety_evidence.its_too_few", lang, before=r.points_before, after=r.points_after)
    return t(
        "safety_evidence.its_line",
        lang,
        level=fmt_pp(r.level.value, lang, 1, signed=True),
        slope=fmt_pp(r.slope.value, lang, 1, signed=True),
        effect=fmt_pp(r.effect.value, lang, 1, signed=True),
        low=fmt_pp(r.effect.low, lang, 1, signed=True),
        high=fmt_pp(r.effect.high, lang, 1, signed=True),
        fired=r.placebos_fired,
        placebos=r.placebos,
    )


def did_sentence(r: DidResult | None, parts: tuple[str, ...], lang: str) -> str:
    """The difference in differences in one line, against the named parts; or why there is none."""
    if r is None:
        return t("safety_evidence.did_none", lang)
    if r.effect is None:
        return t(f"safety_evidence.did_{r.reason}", lang, before=r.points_before, after=r.points_after)
    trend = "pre_trend_ok" if r.pre_trend_ok else "pre_trend_drift"
    return t(
        "safety_evidence.did_line",
        lang,
        parts=", ".join(value_label(p, lang) for p in parts),
        effect=fmt_pp(r.effect.value, lang, 1, signed=True),
        low=fmt_pp(r.effect.low, lang, 1, signed=True),
        high=fmt_pp(r.effect.high, lang, 1, signed=True),
        trend=t(f"safety_evidence.{trend}", lang),
        fired=r.placebos_fired,
        placebos=r.placebos,
    )


def slide_title(headline: Decomposition | None, lang: str) -> str:
    """The slide's question and its answer from the split it leads with; no answer without a split."""
    if headline is None:
        return t("safety_evidence.slide_none", lang)
    years = {"start": headline.year_from, "end": headline.year_to}
    answer = headline.driver if headline.parts is not None else headline.reason
    return t(f"safety_evidence.slide_{answer}", lang, **years)
