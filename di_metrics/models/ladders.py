"""The rank ladders as data: which ranks each personnel category has, lowest first, and which form the top.

Read from a TOML file the administrator can change (KOERS_LADDERS_FILE; default `di_metrics/ladders.toml`,
today's Defence ladders), so an organisation with other rank names needs no code change.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_FILE", "LADDERS_ENV", "Ladders", "load_ladders", "parse_ladders"]

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "ladders.toml"
LADDERS_ENV = "KOERS_LADDERS_FILE"


@dataclass(frozen=True)
class Ladders:
    """Each category's ranks, lowest first, and the ranks shown apart as the top."""

    ladders: tuple[tuple[str, tuple[str, ...]], ...]
    top: frozenset[str] = frozenset()

    def ranks(self, category: str) -> tuple[str, ...]:
        return dict(self.ladders)[category]

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.ladders)

    @property
    def order(self) -> tuple[str, ...]:
        """Every rank, ladder after ladder, lowest first: the order charts and tables list them in."""
        return tuple(r for _, ranks in self.ladders for r in ranks)

    def level(self, rank: str) -> int | None:
        """A rank's step on its ladder (0 = lowest); None for a rank on no ladder."""
        for _, ranks in self.ladders:
            if rank in ranks:
                return ranks.index(rank)
        return None

    def category_of(self, rank: str) -> str | None:
        for category, ranks in self.ladders:
            if rank in ranks:
                return category
        return None

    def is_promotion(self, before: str, after: str) -> bool:
        """A move up one ladder: the same category, a higher step."""
        same = self.category_of(before) is not None and self.category_of(before) == self.category_of(after)
        return same and (self.level(after) or 0) > (self.level(before) or 0)


def parse_ladders(text: str) -> Ladders:
    """Ladders from TOML text (a list under `ladder`); a rank may sit on one ladder only."""
    data = tomllib.loads(text)
    entries = data.get("ladder")
    if not isinstance(entries, list) or not entries:
        raise ValueError("the ladder file needs at least one [[ladder]] with a category and its ranks")
    ladders, top, seen = [], set(), set()
    for entry in entries:
        category, ranks = entry.get("category"), entry.get("ranks")
        if not isinstance(category, str) or not isinstance(ranks, list) or not ranks:
            raise ValueError("every [[ladder]] needs a category (text) and ranks (a list, lowest first)")
        ranks = tuple(str(r) for r in ranks)
        if seen & set(ranks) or len(set(ranks)) != len(ranks):
            raise ValueError(f"a rank appears twice in the ladders ({category})")
        seen |= set(ranks)
        chosen = {str(r) for r in entry.get("top", [])}
        if not chosen <= set(ranks):
            raise ValueError(f"the top of {category} names ranks not on its ladder")
        ladders.append((category, ranks))
        top |= chosen
    return Ladders(tuple(ladders), frozenset(top))


def load_ladders(path: str | Path | None = None) -> Ladders:
    """The ladders of the file given, else of KOERS_LADDERS_FILE, else the built-in Defence ladders."""
    chosen = Path(path or os.environ.get(LADDERS_ENV) or DEFAULT_FILE)
    return parse_ladders(chosen.read_text(encoding="utf-8"))
