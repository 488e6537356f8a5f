"""The career and social-safety claims in words, one function per kind, Dutch and English from the same claim
(kinds and checkers: models/claims_career.py)."""

from __future__ import annotations

from collections.abc import Callable

from di_metrics.i18n import fmt_number, fmt_pct, fmt_pp, t, value_label
from di_metrics.models.claim import Claim
from di_metrics.models.claims_career import (
    CHANGE,
    GRADE,
    INTAKE,
    MEDIAN,
    NO_INTAKE,
    NO_MATRIX,
    PROMOTION,
    PYRAMID,
    RATE,
    RETENTION,
)

__all__ = ["CAREER_RENDERERS", "PER", "interval_count", "no_intake_state", "rate_value"]

PER = 100  # the reporting rate is said per 100 people who experienced unwanted behaviour


def _intake(c: Claim, lang: str) -> str:
    """One year's intake against the needed share, and the women hires it was short."""
    p = c.params
    if p["hidden"]:
        return t("career.intake_hidden", lang, year=p["year"])
    values = {"year": p["year"], "share": fmt_pct(p["share"], lang), "hires": fmt_number(p["hires"], lang)}
    if p["needed"] is None:
        return t("career.intake_no_need", lang, **values)
    values |= {"needed": fmt_pct(p["needed"], lang), "gap": fmt_number(p["gap"], lang)}
    return t("career.intake_short" if p["gap"] else "career.intake_met", lang, **values)


def _no_intake(c: Claim, lang: str) -> str:
    """Why there is no intake to show: nobody joined the selection, or hires cannot be counted (no complete
    year: unknown, never none)."""
    p = c.params
    return t("career.intake_unseen" if p["state"] == "unseen" else "career.no_intake", lang)


def _no_matrix(c: Claim, lang: str) -> str:
    """Why a matrix has nothing to draw: every cell hidden, or nobody holds both values."""
    p = c.params
    return t("career.matrix_all_hidden" if p["state"] == "hidden" else "career.matrix_nobody", lang)


def no_intake_state(c: Claim) -> str:
    """Why there is no intake, as its claim says: "unseen" (hires cannot be counted yet) or "none_hired", for a
    document that states the reason by its code."""
    p = c.params
    return str(p["state"])


def _retention(c: Claim, lang: str) -> str:
    """Retention of women and men at the longest milestone both show, and the first year the curves part."""
    p = c.params
    if p["years"] is None:
        return t("career.retention_hidden", lang)
    values = {"years": p["years"], "women": fmt_pct(p["women"], lang), "men": fmt_pct(p["men"], lang)}
    if p["first"] is None:
        return t("career.retention_together", lang, **values)
    return t("career.retention_parted", lang, **values, first=p["first"])


def _promotion(c: Claim, lang: str) -> str:
    """One level's promotion: the two rates, the impact ratio with its interval, and what the flag says."""
    p = c.params
    rank = value_label(p["rank"], lang)
    if p["ratio"] is None:
        return t("career.promotion_hidden", lang, rank=rank)
    values = {
        "rank": rank,
        "women": fmt_pct(p["women"], lang),
        "men": fmt_pct(p["men"], lang),
        "ratio": fmt_number(p["ratio"], lang, 2),
        "low": fmt_number(p["low"], lang, 2),
        "high": fmt_number(p["high"], lang, 2) if p["high"] != float("inf") else "∞",
    }
    if p["flag"]:
        return t("career.promotion_flag", lang, **values)
    return t("career.promotion_within" if p["within"] else "career.promotion_unclear", lang, **values)


def _pyramid(c: Claim, lang: str) -> str:
    """The women's share at the top against the top's target (or the general target)."""
    p = c.params
    target = fmt_pct(p["target"], lang, 0)
    if not p["parts"]:
        return t("career.pyramid_top_hidden", lang, target=target)
    parts = "; ".join(f"{value_label(rank, lang)} {fmt_pct(share, lang)}" for rank, share in p["parts"])
    return t("career.pyramid_top", lang, parts=parts, target=target)


def rate_value(rate: tuple | None, lang: str) -> str:
    """The rate per 100 with its interval, or a dash when unknown."""
    if rate is None:
        return "–"
    value, low, high = (fmt_number(None if v is None else PER * v, lang, 1) for v in rate)
    return t("safety_evidence.rate_value", lang, value=value, low=low, high=high)


def _rate(c: Claim, lang: str) -> str:
    """One year's reporting rate in words: hidden, without a wave, or the estimate with its interval."""
    p = c.params
    if p["hidden"]:
        return t("safety_evidence.year_hidden", lang, year=p["year"])
    reports = fmt_number(p["reports"], lang)
    if p["people"] is None:
        return t("safety_evidence.year_no_wave", lang, year=p["year"], reports=reports)
    people, low, high = p["people"]
    return t(
        "safety_evidence.year_rate",
        lang,
        year=p["year"],
        people=fmt_number(people, lang),
        low=fmt_number(low, lang),
        high=fmt_number(high, lang),
        reports=reports,
        rate=rate_value(p["rate"], lang),
        told=fmt_pct(p["told"], lang, 0),
    )


def _minus(value: float | None, lang: str) -> str:
    text = fmt_number(None if value is None else abs(value), lang, 0)
    return text if value is None or round(value) >= 0 else "−" + text


def interval_count(part: tuple, lang: str) -> str:
    """A part of a change in reports, signed, with its interval (a minus sign, not a hyphen); an interval that
    rounds to the value alone ("4 to 4") is not said."""
    value, low, high = part
    signed = ("+" if round(value) >= 0 else "−") + fmt_number(abs(value), lang, 0)
    if low is not None and high is not None and round(low) == round(high) == round(value):
        return signed
    return t("safety_evidence.part_value", lang, value=signed, low=_minus(low, lang), high=_minus(high, lang))


def _change(c: Claim, lang: str) -> str:
    """A change in reports between two years, split; or why it cannot be split, with no verdict. As a slide's
    title (`form` "title"): the question, answered from the split."""
    p = c.params
    years = {"start": p["start"], "end": p["end"]}
    if p["form"] == "title":
        answer = p["driver"] if p["parts"] is not None else p["reason"]
        return t(f"safety_evidence.slide_{answer}", lang, **years)
    if p["reason"] == "no_reports":  # not known (a year's reports or headcount), which no rule hid
        return t("safety_evidence.change_no_reports", lang, **years)
    if p["reason"] == "hidden" or p["change"] is None:
        return t("safety_evidence.change_hidden", lang, **years)
    change = ("+" if p["change"] >= 0 else "−") + fmt_number(abs(p["change"]), lang)
    if p["parts"] is None:
        return t(f"safety_evidence.change_{p['reason']}", lang, change=change, **years)
    incidents, rate, headcount = (interval_count(x, lang) for x in p["parts"])
    return t(
        f"safety_evidence.change_split_{p['driver']}",
        lang,
        change=change,
        incidents=incidents,
        rate=rate,
        headcount=headcount,
        **years,
    )


def _grade(c: Claim, lang: str) -> str:
    """The line a page, slide or report leads a measure with: its grade and the reason in one line."""
    p = c.params
    value = "–" if p["effect"] is None else fmt_pp(p["effect"], lang, 1, signed=True)
    return t(
        "safety_evidence.grade_line",
        lang,
        grade=t(f"safety_evidence.grade_{p['grade']}", lang),
        reason=t(f"safety_evidence.reason_{p['reason']}", lang, effect=value),
    )


# Per gender, what its part of the median sentence says: the years, not reached while shown, or no curve.
MEDIAN_PARTS = {
    "women": ("career.median_women_years", "career.median_women_longer", "career.median_women_no_curve"),
    "men": ("career.median_men_years", "career.median_men_longer", "career.median_men_no_curve"),
}


def _median(c: Claim, lang: str) -> str:
    """A rank's median years to promotion for women and men: the years where half are promoted while the curve
    is shown, 'fewer than half' where they are not, and no figure for a gender without a curve."""
    p = c.params
    rank = value_label(p["rank"], lang)
    if not p["women_shown"] and not p["men_shown"]:
        return t("career.median_no_curve", lang, rank=rank)
    if p["women_shown"] and p["men_shown"] and p["women"] is None and p["men"] is None:
        return t("career.median_none", lang, rank=rank)
    parts = {}
    for said, (years, longer, no_curve) in MEDIAN_PARTS.items():
        if not p[f"{said}_shown"]:
            parts[said] = t(no_curve, lang)
        elif p[said] is None:
            parts[said] = t(longer, lang)
        else:
            parts[said] = t(years, lang, years=fmt_number(p[said], lang, 1))
    return t("career.median_line", lang, rank=rank, **parts)


CAREER_RENDERERS: dict[str, Callable[[Claim, str], str]] = {
    INTAKE: _intake,
    RETENTION: _retention,
    PROMOTION: _promotion,
    PYRAMID: _pyramid,
    RATE: _rate,
    CHANGE: _change,
    GRADE: _grade,
    MEDIAN: _median,
    NO_INTAKE: _no_intake,
    NO_MATRIX: _no_matrix,
}
