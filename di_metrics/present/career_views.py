"""The career views as briefing views: one slide each for intake, retention, promotion, the pyramid and the
rank-by-branch matrix, built from the frozen career values with the career sentences as titles and notes.
Hidden figures travel as gaps (None), never as zeros."""

from __future__ import annotations

from typing import TYPE_CHECKING

from di_metrics.analysis.career import Intake, Matrix, Pyramid, intake, matrix, pyramid
from di_metrics.analysis.promotion import Promotion, promotion
from di_metrics.analysis.retention import Retention, retention
from di_metrics.i18n import t, value_label
from di_metrics.models.names import Names
from di_metrics.present import career_text
from di_metrics.present.views import View
from di_metrics.queries.filters import Filters
from di_metrics.queries.names import display_names

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "career_views",
    "intake_view",
    "matrix_view",
    "promotion_view",
    "pyramid_view",
    "retention_view",
]


def intake_view(found: Intake, lang: str) -> View:
    years = [y for y in found.years if not y.group]
    series = {t("career.share_women", lang): [y.share for y in years]}
    codes = ["F"]
    if found.needed_share is not None:
        series[t("career.needed", lang)] = [found.needed_share] * len(years)
        codes.append("target")
    title = career_text.intake_text(years[-1], lang) if years else career_text.no_intake_text(found, lang)
    notes = [career_text.intake_text(y, lang) for y in years[-3:]]
    return View("career_intake", title, "column", [str(y.year) for y in years], series, notes, codes=tuple(codes))


def retention_view(found: Retention, lang: str) -> View:
    """Women's and men's retention after 1, 3 and 5 years; a milestone too few reach is a gap."""
    marks = {(m.group, m.years): m.survival for m in found.milestones}
    years = sorted({m.years for m in found.milestones})
    series = {value_label(g, lang): [marks.get((g, y)) for y in years] for g in ("F", "M")}
    title = career_text.retention_text(found, lang)
    categories = [t("career.year_n", lang, years=y) for y in years]
    return View("career_retention", title, "column", categories, series, [title], codes=("F", "M"))


def promotion_view(found: Promotion, lang: str) -> View:
    """Women's and men's promotion rate per level, pooled over the last three years."""
    levels = list(found.pooled)
    series = {
        value_label("F", lang): [level.women_rate for level in levels],
        value_label("M", lang): [level.men_rate for level in levels],
    }
    notes = [career_text.promotion_text(level, lang) for level in levels]
    flagged = [level for level in levels if level.flag]
    title = notes[levels.index(flagged[0])] if flagged else (notes[0] if notes else t("career.tab_promotion", lang))
    categories = [value_label(level.rank_group, lang) for level in levels]
    return View("career_promotion", title, "bar", categories, series, notes, codes=("F", "M"))


def pyramid_view(found: Pyramid, lang: str) -> View:
    levels = list(found.levels)
    categories = [value_label(level.rank_group, lang) + (" ★" if level.top else "") for level in levels]
    series = {
        t("career.share_women", lang): [level.share for level in levels],
        t("career.target_line", lang): [found.target] * len(levels),
    }
    title = career_text.pyramid_text(found, lang)
    return View("career_pyramid", title, "bar", categories, series, [title], codes=("F", "target"))


def matrix_view(found: Matrix, lang: str, names: Names | None = None) -> View:
    """The matrix as grouped bars: one bar group per row, one series per column; hidden cells are gaps. A matrix
    with no cell shown is its sentence alone, no chart of gaps. Values by their stored names, as the page."""
    names = names or Names()
    empty = career_text.no_matrix_text(found, lang)
    if empty:
        return View("career_matrix", empty, "bar", [], {}, [empty])
    rows = list(dict.fromkeys(c.row for c in found.cells))
    columns = list(dict.fromkeys(c.column for c in found.cells))
    lookup = {(c.row, c.column): c.share for c in found.cells}
    series = {names.label(found.columns, col, lang): [lookup.get((r, col)) for r in rows] for col in columns}
    title = career_text.matrix_title(found, lang)
    return View("career_matrix", title, "bar", [names.label(found.rows, r, lang) for r in rows], series, [title])


def career_views(conn: Connection, filters: Filters, lang: str) -> list[View]:
    """The five career slides for a selection (promotion without its time-to-promotion curves: no slide draws them)."""
    return [
        intake_view(intake(conn, filters), lang),
        retention_view(retention(conn, filters), lang),
        promotion_view(promotion(conn, filters, with_time=False), lang),
        pyramid_view(pyramid(conn, filters), lang),
        matrix_view(matrix(conn, filters), lang, display_names(conn)),
    ]
