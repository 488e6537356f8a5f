"""The Word report's section "Career": intake, retention, promotion and the pyramid, each as its sentence, its
chart and a table of the figures behind it. Hidden figures read "hidden", never a number."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import pandas as pd

from di_metrics.analysis.career import Intake, Pyramid, intake, pyramid
from di_metrics.analysis.promotion import LevelRate, Promotion, promotion
from di_metrics.analysis.retention import Retention, retention
from di_metrics.i18n import fmt_number, fmt_pct, t, value_label
from di_metrics.present import career_text
from di_metrics.present.charts.career import intake_chart, promotion_chart, pyramid_chart, retention_chart
from di_metrics.queries.filters import Filters

if TYPE_CHECKING:
    import plotly.graph_objects as go
    from sqlalchemy.engine import Connection

__all__ = ["career_section", "intake_table", "promotion_table", "pyramid_table", "retention_table"]


class Writer(Protocol):
    """What the section needs of the report being written (present/report.py's Writer)."""

    lang: str

    def heading(self, key: str, level: int = 1, **values: object) -> None: ...
    def text(self, text: str, style: str | None = None) -> None: ...
    def table(self, frame: pd.DataFrame) -> None: ...
    def chart(self, fig: go.Figure) -> None: ...


def _pct(share: float | None, lang: str) -> str:
    return t("career.hidden", lang) if share is None else fmt_pct(share, lang)


def _count(value: int | None, lang: str) -> str:
    return t("career.hidden", lang) if value is None else fmt_number(value, lang)


def intake_table(found: Intake, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("career.col_year", lang): [str(y.year) for y in found.years],
            t("career.col_hires", lang): [_count(y.hires, lang) for y in found.years],
            t("career.col_women_hired", lang): [_count(y.women_hired, lang) for y in found.years],
            t("career.share_women", lang): [_pct(y.share, lang) for y in found.years],
            t("career.needed", lang): [fmt_pct(y.needed_share, lang) for y in found.years],
            t("career.col_gap", lang): [_count(y.gap_persons, lang) for y in found.years],
        }
    )


def retention_table(found: Retention, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("career.col_group", lang): [career_text.group_label(m.group, lang) for m in found.milestones],
            t("career.years", lang): [str(m.years) for m in found.milestones],
            t("career.survival", lang): [fmt_pct(m.survival, lang) for m in found.milestones],
            t("career.col_interval", lang): [
                f"{fmt_pct(m.low, lang)} – {fmt_pct(m.high, lang)}" for m in found.milestones
            ],
        }
    )


def promotion_table(found: Promotion, lang: str) -> pd.DataFrame:
    def ratio(level: LevelRate) -> str:
        found_ratio = level.interval
        return t("career.hidden", lang) if found_ratio is None else fmt_number(found_ratio[0], lang, 2)

    return pd.DataFrame(
        {
            t("career.col_rank", lang): [value_label(r.rank_group, lang) for r in found.pooled],
            value_label("F", lang): [_pct(r.women_rate, lang) for r in found.pooled],
            value_label("M", lang): [_pct(r.men_rate, lang) for r in found.pooled],
            t("career.impact_ratio", lang): [ratio(r) for r in found.pooled],
            t("career.flag", lang): [t("career.yes", lang) if r.flag else "" for r in found.pooled],
        }
    )


def pyramid_table(found: Pyramid, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("career.col_rank", lang): [
                value_label(level.rank_group, lang) + (" ★" if level.top else "") for level in found.levels
            ],
            t("career.col_headcount", lang): [_count(level.headcount, lang) for level in found.levels],
            t("career.share_women", lang): [_pct(level.share, lang) for level in found.levels],
        }
    )


def career_section(w: Writer, conn: Connection, filters: Filters = Filters()) -> None:
    """The section, in the reader's language, for the report's selection: each view as its heading, its
    sentences, its chart and its table, in one step."""
    lang = w.lang
    w.heading("report.career")
    found_intake = intake(conn, filters)
    found_retention = retention(conn, filters)
    found_promotion = promotion(conn, filters, with_time=False)
    found_pyramid = pyramid(conn, filters)
    views = (
        (
            "career.tab_intake",
            [career_text.intake_text(y, lang) for y in found_intake.years[-3:]],
            intake_chart(found_intake, lang),
            intake_table(found_intake, lang),
        ),
        (
            "career.tab_retention",
            [career_text.retention_text(found_retention, lang)],
            retention_chart(found_retention, lang),
            retention_table(found_retention, lang),
        ),
        (
            "career.tab_promotion",
            [career_text.promotion_text(level, lang) for level in found_promotion.pooled],
            promotion_chart(found_promotion, lang),
            promotion_table(found_promotion, lang),
        ),
        (
            "career.tab_pyramid",
            [career_text.pyramid_text(found_pyramid, lang)],
            pyramid_chart(found_pyramid, lang),
            pyramid_table(found_pyramid, lang),
        ),
    )
    empty = career_text.no_intake_text(found_intake, lang)
    for heading, sentences, chart, table in views:
        w.heading(heading, 2)
        if heading == "career.tab_intake" and empty:  # a sentence, not an empty chart and table
            w.text(empty)
            continue
        for sentence in sentences:
            w.text(sentence)
        w.chart(chart)
        w.table(table)
