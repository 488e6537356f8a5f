"""Three briefing views on where the change must come from: the lever frontier, the allocation over branches,
and the watchlist. Each is one slide in the deck and one view on the briefing page."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from di_metrics.analysis.allocation import EXEMPT, OTHER, Allocation, allocation_for
from di_metrics.analysis.calibration import CannotProject
from di_metrics.analysis.watchlist import Watchlist, watchlist
from di_metrics.i18n import fmt_number, fmt_pct, part_text, t
from di_metrics.models.frontier import Frontier, lever_frontier
from di_metrics.models.names import Names
from di_metrics.models.projection import Scenario
from di_metrics.present.views import View
from di_metrics.present.where_text import allocation_title, frontier_title, watchlist_line, watchlist_title
from di_metrics.present.where_text import part_label as _part_label
from di_metrics.queries.filters import Filters
from di_metrics.queries.names import display_names
from di_metrics.vocab import BRANCH, CLI_NAME, ORG_UNIT

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["SLIDE_POINTS", "SLIDE_ROWS", "allocation_view", "frontier_view", "watchlist_view", "where_views"]

SLIDE_POINTS = 11
SLIDE_ROWS = 8


def where_views(conn: Connection, filters: Filters, base: Scenario | None, s: Scenario | None, lang: str) -> list[View]:
    """The frontier and allocation (when the selection can be projected) and the watchlist."""
    views, names = [], display_names(conn)
    if base is not None and s is not None:
        views.append(frontier_view(lever_frontier(s, base), lang))
        with contextlib.suppress(CannotProject):  # a selection whose parts cannot be shown has no allocation
            allocation = allocation_for(conn, filters, CLI_NAME[BRANCH], _given(s))
            views.append(allocation_view(allocation, lang, names, filters.as_dict()))
    by = CLI_NAME[ORG_UNIT] if BRANCH in filters.as_dict() else CLI_NAME[BRANCH]
    views.append(watchlist_view(watchlist(conn, filters, by), lang, names, filters.as_dict()))
    return views


def _given(s: Scenario) -> dict[str, Any]:
    return {"target": s.target, "deadline": s.deadline}


def frontier_view(doc: Frontier, lang: str) -> View:
    """The frontier as a line over hiring shares: the women's attrition each still allows, up to two and a half
    times today's (as on the page), next to today's attrition."""
    today = doc.today
    top = min(1.0, max(0.05, 2.5 * today.attrition_women))
    points = [p for p in doc.points if p.attrition_women <= top]
    step = max(1, (len(points) - 1) // (SLIDE_POINTS - 1))
    shown = points[::step]
    if points and shown[-1] is not points[-1]:
        shown.append(points[-1])
    notes = [
        t(
            "frontier.briefing_note",
            lang,
            hire=fmt_pct(today.hire_share, lang),
            attrition=fmt_pct(today.attrition_women, lang),
            hired=fmt_number(today.women_hired_per_year, lang),
        ),
        t("frontier.caption", lang),
    ]
    return View(
        "frontier",
        frontier_title(doc, lang),
        "line",
        [t("frontier.briefing_category", lang, hire=fmt_pct(p.hire_share, lang, 0)) for p in shown],
        {
            t("frontier.briefing_series", lang): [p.attrition_women for p in shown],
            t("frontier.today", lang): [today.attrition_women] * len(shown),
        },
        notes,
    )


def allocation_view(doc: Allocation, lang: str, names: Names | None = None, selection: dict | None = None) -> View:
    """Per part (by its display name when `names` has one, as the part of it the `selection` holds): the women's
    share of hires now and what equal effort needs."""
    parts = doc.parts
    names = names or Names()

    def part_label(value: str, lang: str) -> str:
        dimension = {cli: dim for dim, cli in CLI_NAME.items()}.get(doc.by or CLI_NAME[BRANCH], BRANCH)
        if value in (OTHER, EXEMPT):
            return _part_label(value, lang)
        return part_text(names.label(dimension, value, lang), dimension, selection or {}, lang, names.label)

    notes = [
        t(
            "allocation.briefing_note",
            lang,
            part=part_label(p.value, lang),
            now=fmt_pct(p.hire_share_now, lang),
            needed=fmt_pct(p.hire_share_needed, lang),
            share=fmt_pct(p.share_at_deadline, lang),
            deadline=doc.deadline,
        )
        for p in parts
    ]
    return View(
        "allocation",
        allocation_title(doc, lang),
        "bar",
        [part_label(p.value, lang) for p in parts],
        {
            t("allocation.col_hire_now", lang): [p.hire_share_now for p in parts],
            t("allocation.col_needed", lang): [p.hire_share_needed for p in parts],
        },
        notes,
    )


def watchlist_view(doc: Watchlist, lang: str, names: Names | None = None, selection: dict | None = None) -> View:
    """The branches or units furthest below their glide path, in persons, each by its display name if it has one
    and as the part of it the `selection` holds ('Army Command within Unit: ...': never the branch's own figure)."""
    rows = [r for r in doc.rows if r.persons_short > 0][:SLIDE_ROWS]
    names = names or Names()
    named = {
        r.value: part_text(names.label(doc.by, r.value, lang), doc.by, selection or {}, lang, names.label)
        for r in doc.rows
    }
    return View(
        "watchlist",
        watchlist_title(doc, lang, named),
        "bar",
        [named[r.value] for r in rows],
        {t("watchlist.briefing_series", lang): [round(r.persons_short) for r in rows]},
        [watchlist_line(r, lang, named[r.value]) for r in rows],
        percent=False,
    )
