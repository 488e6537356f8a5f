"""Checkers of the notes a projection carries: where its rates come from (the selection's own flows, its
own shown years only, or its parent's), a ladder's top ranks folded into one group, and, where there is no
projection, whether the selection's figures are hidden (the briefing's stamp) (docs/definitions.md, "claim").
Each re-derives its note from the figures it rests on. Pure: no storage, no SQL."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from di_metrics.models.claim import Claim
from di_metrics.models.rank_fold import FOLD_JOIN

__all__ = [
    "MIXED",
    "NOTES_CHECKERS",
    "OWN",
    "OWN_SHOWN",
    "PARENT",
    "RANK_FOLD",
    "RATES_SOURCE",
    "SELECTION_HIDDEN",
    "source_of",
]

RATES_SOURCE = "rates_source"  # where a projection's rates come from: own, own shown years, mixed or parent
RANK_FOLD = "rank_fold"  # a ladder's top ranks shown as one group because the top alone is hidden
SELECTION_HIDDEN = "selection_hidden"  # no scenario: the selection's figures on the data date are hidden, or not
OWN, PARENT = "own", "parent"  # the selection's own flows; its parent's rates applied to its shown stock
OWN_SHOWN = "own_shown"  # its own rates, from the years whose flows are shown (a withheld one skipped)
MIXED = "mixed"  # its own shown rates, and the parent's for those it never shows


def source_of(withheld: Sequence[Sequence[Any]], needed: Sequence[str], years: int, keeps_own: bool) -> tuple:
    """Where the rates must come from, given the (year, rate) pairs the gate withholds from the selection's own
    flows in its `years` calibration years: (source, the rates borrowed from the parent)."""
    if not withheld:
        return OWN, ()
    count = {r: sum(1 for _, rate in withheld if rate == r) for r in needed}
    every = tuple(r for r in needed if count[r] >= years)
    if not keeps_own or len(every) == len(needed):
        return PARENT, tuple(needed)
    return (MIXED, every) if every else (OWN_SHOWN, ())


def _same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= 1e-12)


def _rates_holds(c: Claim) -> bool:
    """The source and the borrowed rates are the ones the withheld rates decide; the withheld pairs are the own
    rates missing there; the rates used are the selection's own wherever not borrowed, and the parent's
    (known where its own are withheld) when borrowed."""
    p, f = c.params, c.figures
    own, used, needed = f["own"], f["used"], f["needed"]
    years = sorted({int(y) for rate in needed for y in own[rate]})
    if any(own[rate].get(year) is not None for year, rate in f["withheld"]):
        return False  # a rate said withheld that the own flows show
    source, borrowed = source_of(f["withheld"], needed, len(years), f["keeps_own"])
    if (p["rates_from"], tuple(p["borrowed"])) != (source, borrowed):
        return False
    if source == PARENT:  # the parent's rates: known where the selection's own are withheld
        return any(used[rate].get(year) is not None for year, rate in f["withheld"])
    for rate in needed:
        mine = [own[rate].get(y) for y in years]
        theirs = [used[rate].get(y) for y in years]
        if rate in borrowed and not any(a is None and b is not None for a, b in zip(mine, theirs, strict=True)):
            return False  # borrowed, but nothing the selection withholds was filled from the parent
        if rate not in borrowed and not all(_same(a, b) for a, b in zip(mine, theirs, strict=True)):
            return False  # said its own, but not the own rates
    return True


def _needed_on(hidden: Mapping[str, Sequence[str]], top: str) -> list[str]:
    """The dates on which the ladder's top rank is hidden: the dates that need a fold."""
    return sorted(day for day, ranks in hidden.items() if top in ranks)


def _fold_holds(c: Claim) -> bool:
    """The folded ranks are the ladder's top ranks, at least two; the top is hidden on some date; on each such
    date every hidden rank is inside the fold; the folded group's women and men are each at least k on every
    date; and the fold one rank smaller would not do on some date (a rank below it hidden, or the smaller group's
    women or men below k, its counts the group's less the lowest folded rank's shown counts)."""
    p, f = c.params, c.figures
    ranks, folded, k = list(f["ranks"]), list(p["folded"]), f["k"]
    if len(folded) < 2 or ranks[len(ranks) - len(folded) :] != folded or p["top"] != ranks[-1]:
        return False
    if p["group"] != FOLD_JOIN.join(folded) or list(f["folded"]) != folded:
        return False  # the counts are of another fold
    dates = _needed_on(f["hidden"], ranks[-1])
    if not dates or any(not set(f["hidden"][d]) <= set(folded) for d in dates):
        return False
    if any(min(women, men) < k for women, men in f["group"].values()):
        return False
    if len(folded) == 2:
        return True  # one rank smaller is the top alone, hidden on those dates
    smaller = set(folded[1:])
    for day in dates:
        lowest = f["lowest"].get(day)
        if not set(f["hidden"][day]) <= smaller or lowest is None:
            return True
        women, men = f["group"][day]
        if min(women - lowest[0], men - lowest[1]) < k:
            return True
    return False


def _selection_hidden_holds(c: Claim) -> bool:
    """'Hidden' exactly where the gate hides the selection on the data's last date: its row of the safe share
    series there withholds its women and men or its headcount. A selection with no row then (nobody in it) or a
    shown row is not said hidden."""
    p, f = c.params, c.figures
    row = f["row"]
    hidden = row is not None and bool(row["suppressed"] or row["headcount_hidden"])
    return p["date"] == f["date"] and p["hidden"] == hidden


NOTES_CHECKERS: dict[str, Callable[[Claim], bool]] = {
    RATES_SOURCE: _rates_holds,
    RANK_FOLD: _fold_holds,
    SELECTION_HIDDEN: _selection_hidden_holds,
}
