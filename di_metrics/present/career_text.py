"""The career views in words: one function per kind of sentence, each written from one frozen value, so the
Dutch and English sentences carry the same figures (page, deck, report and CLI text all call these)."""

from __future__ import annotations

from di_metrics.analysis.career import IntakeYear, Matrix, Pyramid
from di_metrics.analysis.promotion import LevelRate, MedianTime
from di_metrics.analysis.retention import Retention
from di_metrics.i18n import fmt_number, fmt_pct, t, value_label
from di_metrics.vocab import GROUP_SEPARATOR, group_parts

__all__ = [
    "group_label",
    "intake_text",
    "matrix_title",
    "median_text",
    "promotion_text",
    "pyramid_text",
    "retention_text",
]


def group_label(group: str, lang: str) -> str:
    """A curve's group in words: "Women" or "Women | CLAS"."""
    return " | ".join(value_label(part, lang) for part in group_parts(group))


def intake_text(year: IntakeYear, lang: str) -> str:
    """One year's intake against the needed share, and the women hires it was short."""
    if year.suppressed:
        return t("career.intake_hidden", lang, year=year.year)
    values = {"year": year.year, "share": fmt_pct(year.share, lang), "hires": fmt_number(year.hires, lang)}
    if year.needed_share is None:
        return t("career.intake_no_need", lang, **values)
    values |= {"needed": fmt_pct(year.needed_share, lang), "gap": fmt_number(year.gap_persons, lang)}
    return t("career.intake_short" if year.gap_persons else "career.intake_met", lang, **values)


def _group(gender: str, part: str) -> str:
    return f"{gender}{GROUP_SEPARATOR}{part}" if part else gender


def retention_text(found: Retention, lang: str, part: str = "") -> str:
    """Retention of women and men at the longest milestone both show, and the first year the curves part."""
    marks = {(m.group, m.years): m for m in found.milestones}
    both = [y for y in sorted({m.years for m in found.milestones}) if all((_group(g, part), y) in marks for g in "FM")]
    if not both:
        return t("career.retention_hidden", lang)
    women, men = marks[(_group("F", part), both[-1])], marks[(_group("M", part), both[-1])]
    values = {"years": both[-1], "women": fmt_pct(women.survival, lang), "men": fmt_pct(men.survival, lang)}
    parted = found.parting_years(part)
    if not parted:
        return t("career.retention_together", lang, **values)
    return t("career.retention_parted", lang, **values, first=parted[0])


def promotion_text(level: LevelRate, lang: str) -> str:
    """One level's promotion: the two rates, the impact ratio with its interval, and what the flag says."""
    rank = value_label(level.rank_group, lang)
    if level.suppressed or level.interval is None:
        return t("career.promotion_hidden", lang, rank=rank)
    ratio, low, high = level.interval
    values = {
        "rank": rank,
        "women": fmt_pct(level.women_rate, lang),
        "men": fmt_pct(level.men_rate, lang),
        "ratio": fmt_number(ratio, lang, 2),
        "low": fmt_number(low, lang, 2),
        "high": fmt_number(high, lang, 2) if high != float("inf") else "∞",
    }
    if level.flag:
        return t("career.promotion_flag", lang, **values)
    kind = "career.promotion_within" if ratio >= 0.8 else "career.promotion_unclear"
    return t(kind, lang, **values)


def median_text(rank: str, women: MedianTime | None, men: MedianTime | None, lang: str) -> str:
    """Median years in a rank to promotion for women and men, where half are promoted while it is shown."""

    def years(m: MedianTime | None) -> str:
        if m is None or m.years is None:
            return t("career.not_reached", lang)
        return t("career.years_value", lang, years=fmt_number(m.years, lang, 1))

    if all(m is None or m.years is None for m in (women, men)):
        return t("career.median_none", lang, rank=value_label(rank, lang))
    return t("career.median", lang, rank=value_label(rank, lang), women=years(women), men=years(men))


def pyramid_text(found: Pyramid, lang: str) -> str:
    """The women's share at the top against the top's target (or the general target)."""
    shown = [level for level in found.top if not level.suppressed and level.share is not None]
    target = found.top_target if found.top_target is not None else found.target
    if not shown:
        return t("career.pyramid_top_hidden", lang, target=fmt_pct(target, lang, 0))
    parts = "; ".join(f"{value_label(level.rank_group, lang)} {fmt_pct(level.share, lang)}" for level in shown)
    return t("career.pyramid_top", lang, parts=parts, target=fmt_pct(target, lang, 0))


def matrix_title(found: Matrix, lang: str) -> str:
    return t(
        "career.matrix_title",
        lang,
        rows=t(f"career.axis.{found.rows}", lang),
        columns=t(f"career.axis.{found.columns}", lang),
    )
