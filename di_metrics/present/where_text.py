"""The frontier, allocation and watchlist in words: CLI text, slide titles and part names, in either language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from di_metrics.analysis.claims import watch_claim
from di_metrics.analysis.claims_text import part_claim, watch_top_claim
from di_metrics.analysis.claims_whatif import allocation_claim, frontier_claim
from di_metrics.i18n import fmt_number, fmt_pct, fmt_pp, t
from di_metrics.present.claims import persons_against_path, render
from di_metrics.present.claims_text import part_label

if TYPE_CHECKING:
    from di_metrics.analysis.allocation import Allocation
    from di_metrics.analysis.watchlist import Watchlist, WatchRow
    from di_metrics.models.frontier import Frontier

__all__ = [
    "allocation_title",
    "cli_text",
    "frontier_title",
    "part_label",
    "persons_text",
    "points_text",
    "watchlist_line",
    "watchlist_title",
]


def points_text(points: float | None, lang: str) -> str:
    """The equal effort as signed percentage points."""
    return fmt_pp(None if points is None else 100 * points, lang, 1, signed=True)


def frontier_title(doc: Frontier, lang: str) -> str:
    """The frontier's message, rendered from its claim: the hiring share at today's attrition, and at none."""
    return render(frontier_claim(doc), lang)


def allocation_title(doc: Allocation, lang: str) -> str:
    """The allocation's message, rendered from its claim: every part's equal rise, or out of reach."""
    return render(allocation_claim(doc), lang)


def watchlist_title(doc: Watchlist, lang: str, named: dict[str, str] | None = None) -> str:
    """The watchlist slide's title, from its claim: the part furthest below its glide path (`named`: each part as
    the slide names it), or none below."""
    short = [r for r in doc.rows if r.persons_short > 0]
    label = (named or {}).get(short[0].value) if short else None
    return render(watch_top_claim(doc, label), lang)


def persons_text(row: WatchRow, lang: str) -> str:
    """A part against its glide path in persons: 'n short', or 'n ahead' above it (never a negative shortfall)."""
    return persons_against_path(watch_claim(row), lang)


def watchlist_line(row: WatchRow, lang: str, label: str | None = None) -> str:
    """One row as a line of text, rendered from its claim (`label`: the part as the slide names it)."""
    return render(watch_claim(row, label=label), lang)


def cli_text(command: str, doc: Any, lang: str) -> str:
    """The readable form of `frontier`, `allocate` and `watchlist`."""
    if command == "frontier":
        head = render(frontier_claim(doc, "cli"), lang)  # the slide's message, from the same claim
        if not doc.points:
            return head
        lines = [head, t("frontier.cli_columns", lang)]
        for p in doc.points:
            cells = (
                fmt_pct(p.hire_share, lang),
                fmt_pct(p.attrition_women, lang),
                fmt_number(p.women_hired_per_year, lang),
                fmt_number(p.leavers_avoided_per_year, lang),
            )
            lines.append("  " + "  ".join(f"{c:>8}" for c in cells))
        return "\n".join(lines)
    if command == "allocate":
        parts = (render(part_claim(doc, p), lang) for p in doc.parts)
        return "\n".join([render(allocation_claim(doc, "cli"), lang), *parts])
    lines = [t("watchlist.cli_head", lang, date=doc.as_of.isoformat() if doc.as_of else "–")]
    return "\n".join(lines + ["  " + watchlist_line(r, lang) for r in doc.rows])
