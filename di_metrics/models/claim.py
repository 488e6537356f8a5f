"""The typed claim: what one sentence Koers writes says (`params`) and the figures it rests on (`figures`).

Its own module so the checkers of every claim kind (models/claims.py, claims_whatif.py, claims_career.py) can
share it without importing each other."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SURFACES", "TOLERANCE", "Claim", "close"]

SURFACES = ("page", "deck", "report", "cli")
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Claim:
    """One statement: its kind, the values the sentence states (`params`), the figures they rest on
    (`figures`), and where it is shown (`surface`: page, deck, report or cli)."""

    id: str
    kind: str
    surface: str
    params: Mapping[str, Any]
    figures: Mapping[str, Any] = field(default_factory=dict)

    def on(self, surface: str) -> Claim:
        """The same claim as shown on another surface."""
        return Claim(self.id, self.kind, surface, self.params, self.figures)


def close(said: float | None, derived: float | None, within: float = 1e-6) -> bool:
    """A stated value against the one re-derived from the figures: both unknown, or equal within `within`."""
    if said is None or derived is None:
        return said is None and derived is None
    return abs(said - derived) <= within
