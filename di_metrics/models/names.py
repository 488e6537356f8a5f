"""Display names for codes: a branch, unit, rank group, peer or measure read in Dutch or English, by its code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

from di_metrics.i18n import value_label
from di_metrics.models.peer_pace import Peers

__all__ = ["NAME_DIMENSIONS", "Names", "with_peer_names"]

T = TypeVar("T")

# What a names file may name: the four workforce dimensions, peer organisations and improvement measures.
NAME_DIMENSIONS = ("branch", "personnel_category", "rank_group", "org_unit", "peer", "measure")


@dataclass(frozen=True)
class Names:
    """(dimension, code) -> (Dutch name, English name); either may be None. Empty when no names are stored."""

    rows: Mapping[tuple[str, str], tuple[str | None, str | None]] = field(default_factory=dict)

    def name(self, dimension: str, code: str | None, lang: str) -> str | None:
        """The code's name in the reader's language, or None when it has none in that language."""
        nl, en = self.rows.get((dimension, str(code)), (None, None))
        return nl if lang == "nl" else en

    def label(self, dimension: str, code: str | None, lang: str) -> str:
        """What a chart or table shows for a code: its name, else the catalogue's word for it, else the code."""
        return self.name(dimension, code, lang) or value_label(code, lang)

    def measures(self, marks: list[tuple[str, T]], lang: str) -> list[tuple[str, T]]:
        """A chart's measure marks (name, start), each measure by its name in the reader's language."""
        return [(self.label("measure", name, lang), start) for name, start in marks]


def with_peer_names(doc: Peers, names: Names, lang: str) -> Peers:
    """The peers document with each peer by its name in the reader's language, for the page's chart, tables and
    sentence (the stored figures and the claims' checks keep the codes)."""

    def named(item: object) -> object:
        return replace(item, peer=names.label("peer", item.peer, lang))  # type: ignore[attr-defined]

    return replace(
        doc,
        series=tuple(map(named, doc.series)),
        fastest_5y=tuple(map(named, doc.fastest_5y)),
        figures=tuple(map(named, doc.figures)),
    )
