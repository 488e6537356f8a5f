"""Key messages written from the data, in the chosen language: for page headlines, chart titles and the deck."""

from __future__ import annotations

from typing import Any

from di_metrics.i18n import fmt_number, fmt_pct, fmt_pp, t


def target_headline(entry: dict[str, Any], lang: str) -> str:
    """One sentence on a women's-share target: where we are, how far off, and when the current pace gets there."""
    share = fmt_pct(entry["latest"], lang)
    target = fmt_pct(entry["value"], lang, 0)
    year = entry["deadline"][:4]
    if entry["latest"] is not None and entry["latest"] >= entry["value"]:
        return t("overview.headline_met", lang, share=share, target=target, year=year)
    values = {
        "share": share,
        "target": target,
        "year": year,
        "gap": fmt_pp(entry["gap_pp"], lang),
        "needed": fmt_number(entry["women_needed"], lang),
        "reach": entry["reach_year_at_pace"],
    }
    key = "overview.headline" if entry["reach_year_at_pace"] else "overview.headline_never"
    return t(key, lang, **values)
