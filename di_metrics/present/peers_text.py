"""The peers finding in words, in either language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from di_metrics.i18n import fmt_number, fmt_pct, t
from di_metrics.models.peer_pace import WINDOW_YEARS

if TYPE_CHECKING:
    from di_metrics.models.peer_pace import Peers

__all__ = ["peers_message"]


def peers_message(doc: Peers, lang: str) -> str:
    """The finding in one sentence, written from the data."""
    needed, windows = doc.needed_pp_per_year, doc.fastest_5y
    if not windows:
        return t("peers.msg_no_window", lang, years=WINDOW_YEARS)
    best = windows[0]
    values = {
        "best": fmt_number(best.pp_per_year, lang, 2),
        "peer": best.peer,
        "years": WINDOW_YEARS,
        "start": best.start,
        "end": best.end,
    }
    if needed is None or doc.target is None:
        return t("peers.msg_fastest", lang, **values)
    target = doc.target
    values |= {
        "needed": fmt_number(needed, lang, 2),
        "target": fmt_pct(target.target_value, lang, 0),
        "deadline": target.deadline.year,
        "times": fmt_number(needed / best.pp_per_year, lang, 1) if best.pp_per_year > 0 else "–",
    }
    return t("peers.msg_beyond" if needed > best.pp_per_year else "peers.msg_within", lang, **values)
