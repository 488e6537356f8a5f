"""The note for a folded top rank (models/rank_fold.py), rendered from its claim (analysis/claims_notes.py) for
every view that shows folded ranks: the What-if rank chart, the Explorer's pipeline, the briefing and the CLI."""

from __future__ import annotations

from collections.abc import Mapping

from di_metrics.analysis.claims_notes import fold_claim
from di_metrics.models.rank_fold import RankFold
from di_metrics.present.claims import render

__all__ = ["fold_note", "fold_notes"]


def fold_note(fold: RankFold | None, lang: str) -> str | None:
    """ "The top rank is too small to show alone, so it is shown with the ranks below", or None: nothing folded."""
    claim = fold_claim(fold)
    return None if claim is None else render(claim, lang)


def fold_notes(folds: Mapping[str, RankFold | None], lang: str) -> list[str]:
    """The note of every ladder folded for a population (`workforce.rank_folds`), in ladder order."""
    return [note for fold in folds.values() if (note := fold_note(fold, lang))]
