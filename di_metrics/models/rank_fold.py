"""A ladder's ranks as one population shows them: where the disclosure gate hides the top rank group, it is
folded into the ranks below (decided in di_metrics/queries/rank_fold.py). The fold is a typed note: every view
that shows the folded ranks says so from it (present/rank_fold_text.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from di_metrics.vocab import LADDERS

__all__ = ["FOLD_JOIN", "RankFold"]

FOLD_JOIN = " + "  # the folded group's name: its ranks, lowest first, joined


@dataclass(frozen=True)
class RankFold:
    """A ladder's rank groups as shown for one population, lowest first; `folded` names the ranks merged into
    the top group (empty: nothing folded)."""

    ladder: str
    folded: tuple[str, ...] = ()
    # What the fold was decided on, as the gate shows it (the fold's claim checks it: models/claims_notes.py):
    k: int = field(default=0, compare=False)  # the minimum group size
    hidden: tuple[tuple[str, tuple[str, ...]], ...] = field(default=(), compare=False)  # per date, ranks hidden
    group_counts: tuple[tuple[str, float, float], ...] = field(default=(), compare=False)  # the group's women, men
    lowest_counts: tuple[tuple[str, float | None, float | None], ...] = field(default=(), compare=False)

    @property
    def groups(self) -> tuple[str, ...]:
        ranks = LADDERS[self.ladder]
        if not self.folded:
            return ranks
        return (*ranks[: len(ranks) - len(self.folded)], FOLD_JOIN.join(self.folded))

    @property
    def index(self) -> dict[str, int]:
        """Each rank of the ladder to the position of its group."""
        top = len(self.groups) - 1
        return {rank: min(i, top) for i, rank in enumerate(LADDERS[self.ladder])}

    @property
    def top(self) -> str:
        """The ladder's own top rank, the one too small to show alone."""
        return LADDERS[self.ladder][-1]
