"""The words for a folded top rank (models/rank_fold.py), one sentence in both languages for every view that
shows folded ranks: the What-if rank chart, the Overview's pipeline, the briefing and the career pyramid."""

from __future__ import annotations

from collections.abc import Iterable

from di_metrics.i18n import t, value_label
from di_metrics.models.rank_fold import FOLD_JOIN, RankFold
from di_metrics.vocab import LADDERS

__all__ = ["fold_note", "folds_in"]


def fold_note(fold: RankFold | None, lang: str) -> str | None:
    """ "The top rank is too small to show alone, so it is shown with the ranks below", or None: nothing folded."""
    if fold is None or not fold.folded:
        return None
    return t("explorer.ranks_folded", lang, top=value_label(fold.top, lang), group=value_label(fold.groups[-1], lang))


def folds_in(values: Iterable[str]) -> list[RankFold]:
    """The folds a (pipeline) table's rank values show: each folded group's name lists its ranks."""
    out = []
    for value in values:
        ranks = tuple(str(value).split(FOLD_JOIN))
        ladder = next((name for name, own in LADDERS.items() if ranks[-1] == own[-1]), None)
        if len(ranks) > 1 and ladder is not None:
            out.append(RankFold(ladder, ranks))
    return out
