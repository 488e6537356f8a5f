"""The career views in words: each sentence about the data is rendered from a typed claim (present/claims_career.py)
that its checker verifies, so Dutch and English carry the same figures (page, deck, report and CLI call these)."""

from __future__ import annotations

from di_metrics.analysis.career import Intake, IntakeYear, Matrix, Pyramid
from di_metrics.analysis.claims_career import (
    intake_claim,
    median_claim,
    no_intake_claim,
    no_matrix_claim,
    promotion_claim,
    pyramid_claim,
    retention_claim,
)
from di_metrics.analysis.promotion import LevelRate, Promotion
from di_metrics.analysis.retention import Retention
from di_metrics.i18n import t, value_label
from di_metrics.present.claims import render
from di_metrics.vocab import group_parts

__all__ = [
    "group_label",
    "intake_text",
    "matrix_title",
    "median_text",
    "no_intake_text",
    "no_matrix_text",
    "promotion_text",
    "pyramid_text",
    "retention_text",
]


def group_label(group: str, lang: str) -> str:
    """A curve's group in words: "Women" or "Women | CLAS"."""
    return " | ".join(value_label(part, lang) for part in group_parts(group))


def intake_text(year: IntakeYear, lang: str) -> str:
    """One year's intake against the needed share, and the women hires it was short (from its claim)."""
    return render(intake_claim(year), lang)


def no_intake_text(found: Intake | Retention, lang: str) -> str | None:
    """Why there is no intake to show: nobody joined the selection, or hires cannot be counted (no complete
    year: unknown, never none); None where there is some (from its claim)."""
    claim = no_intake_claim(found)
    return None if claim is None else render(claim, lang)


def no_matrix_text(found: Matrix, lang: str) -> str | None:
    """Why a matrix has nothing to draw (every cell hidden, or nobody in any); None where a cell is shown (from
    its claim)."""
    claim = no_matrix_claim(found)
    return None if claim is None else render(claim, lang)


def retention_text(found: Retention, lang: str, part: str = "") -> str:
    """Retention of women and men at the longest milestone both show, and the first year the curves part
    (from its claim); where nobody was hired, why, as the intake says it (never 'too few')."""
    empty = no_intake_claim(found)
    return render(empty if empty is not None else retention_claim(found, part), lang)


def promotion_text(level: LevelRate, lang: str) -> str:
    """One level's promotion: the two rates, the impact ratio with its interval, and what the flag says (from
    its claim)."""
    return render(promotion_claim(level), lang)


def median_text(found: Promotion, rank: str, lang: str) -> str:
    """A rank's median years in rank to promotion for women and men, where half are promoted while the curve is
    shown (from its claim)."""
    return render(median_claim(found, rank), lang)


def pyramid_text(found: Pyramid, lang: str) -> str:
    """The women's share at the top against the top's target, or the general target (from its claim)."""
    return render(pyramid_claim(found), lang)


def matrix_title(found: Matrix, lang: str) -> str:
    return t(
        "career.matrix_title",
        lang,
        rows=t(f"career.axis.{found.rows}", lang),
        columns=t(f"career.axis.{found.columns}", lang),
    )
