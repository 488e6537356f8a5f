"""The peers finding in words, in either language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from di_metrics.analysis.claims import peers_claim
from di_metrics.present.claims import render

if TYPE_CHECKING:
    from di_metrics.models.peer_pace import Peers

__all__ = ["peers_message"]


def peers_message(doc: Peers, lang: str) -> str:
    """The finding in one sentence, rendered from the peers claim (models/claims.py checks it)."""
    return render(peers_claim(doc), lang)
