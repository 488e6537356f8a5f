"""The fold of a hidden top rank group: where the disclosure gate hides a ladder's top group, it is merged with
the next rank below (again while the merged group would still be hidden), so the pipeline and the rank model
still run on that population, both on the same folded ranks (docs/privacy.md, "the rank fold").

A fold is safe to show only if it tells nothing the other outputs do not: it holds every rank group of its
ladder that the rank breakdown hides, so its figures are the ladder's shown total minus the shown groups below
it; and, like any group, its women and men are each at least the minimum. The fold is decided over every
snapshot date at once, so one population has one set of ranks on every date and in every view.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from di_metrics.models.rank_fold import FOLD_JOIN, RankFold
from di_metrics.queries import privacy
from di_metrics.vocab import CIVILIAN, LADDERS, MILITARY, MILITARY_RANKS, RANK_ORDER

__all__ = ["decide", "fold_rows", "pipeline_rows"]


def decide(shown: pd.DataFrame, raw: pd.DataFrame, totals: pd.DataFrame, k: int) -> dict[str, RankFold | None]:
    """Per ladder, its fold for the population whose rank breakdown is `shown` (every date), whose raw counts
    per date and rank group are `raw` and whose breakdown by personnel category is `totals`; None where even
    the whole ladder folded would stay hidden, or where a fold is needed and the ladder's total is hidden
    (the fold would then be more than the total minus shown groups)."""
    totals_hidden = set(totals.loc[totals["suppressed"] | totals["headcount_hidden"], "value"])
    hidden = shown.assign(h=shown["suppressed"] | shown["headcount_hidden"]).set_index(["date", "value"])["h"]
    counts = raw.set_index(["date", "rank_group"])[["women", "men"]]
    out: dict[str, RankFold | None] = {}
    for ladder, ranks in LADDERS.items():
        depth = 1
        for day in shown["date"].unique():
            depth = max(depth, _depth(ranks, day, hidden, counts, k))
        folded = ranks[len(ranks) - depth :] if depth > 1 else ()
        refused = depth > len(ranks) - 1 or (depth > 1 and ladder in totals_hidden)
        out[ladder] = None if refused else _with_evidence(RankFold(ladder, folded), shown, hidden, counts, k)
    return out


def _with_evidence(fold: RankFold, shown: pd.DataFrame, hidden: pd.Series, counts: pd.DataFrame, k: int) -> RankFold:
    """The fold with what it was decided on, per date: the ladder's hidden ranks, the folded group's women and
    men (the figures its row shows) and its lowest rank's shown women and men (None where hidden)."""
    if not fold.folded:
        return fold
    ranks, days = LADDERS[fold.ladder], sorted(shown["date"].unique())
    by_rank = shown.set_index(["date", "value"])
    out_hidden, group, lowest = [], [], []
    for day in days:
        iso = str(pd.Timestamp(day).date())
        out_hidden.append((iso, tuple(r for r in ranks if bool(hidden.get((day, r), False)))))
        sums = counts.reindex([(day, r) for r in fold.folded]).fillna(0).sum()
        group.append((iso, float(sums["women"]), float(sums["men"])))
        low = (day, fold.folded[0])
        seen = low in by_rank.index and not bool(hidden.get(low, False))
        row = by_rank.loc[low] if seen else None
        lowest.append((iso, None, None) if row is None else (iso, float(row["women"]), float(row["men"])))
    return dataclasses.replace(
        fold, k=k, hidden=tuple(out_hidden), group_counts=tuple(group), lowest_counts=tuple(lowest)
    )


def _depth(ranks: tuple[str, ...], day: object, hidden: pd.Series, counts: pd.DataFrame, k: int) -> int:
    """How many top ranks one date needs folded: 1 when its top is shown; else the fewest that hold every
    hidden rank of the ladder and whose women and men are each at least k (len(ranks) + 1: none do)."""
    hides = {rank for rank in ranks if bool(hidden.get((day, rank), False))}
    if ranks[-1] not in hides:
        return 1
    for depth in range(2, len(ranks) + 1):
        top = ranks[len(ranks) - depth :]
        sums = counts.reindex([(day, r) for r in top]).fillna(0).sum()
        if hides <= set(top) and not bool(privacy.primary(sums, k).any()):
            return depth
    return len(ranks) + 1


def fold_rows(shown: pd.DataFrame, raw: pd.DataFrame, folds: dict[str, RankFold | None]) -> pd.DataFrame:
    """The rank breakdown with each folded ladder's top ranks as one row: their counts summed from `raw`, X
    left out where any of them leaves it out."""
    out = shown
    for fold in folds.values():
        if fold is None or not fold.folded:
            continue
        parts = shown[shown["value"].isin(fold.folded)]
        sums = raw[raw["rank_group"].isin(fold.folded)].groupby("date")[["women", "men", "other"]].sum()
        left = parts.groupby("date")["x_left_out"].any().reindex(sums.index, fill_value=False)
        rows = sums.reset_index().assign(value=fold.groups[-1], x_left_out=left.to_numpy())
        rows["headcount"] = rows["women"] + rows["men"] + rows["other"].where(~rows["x_left_out"], 0)
        rows = rows.assign(unknown=float("nan"), unknown_hidden=True, headcount_hidden=False, suppressed=False)
        out = pd.concat([out[~out["value"].isin(fold.folded)], privacy.finish(rows)], ignore_index=True)
    return out


def pipeline_rows(table: pd.DataFrame, on: object) -> pd.DataFrame:
    """One date of the (folded) rank breakdown in rank order, with each level's share relative to the level below."""
    table = table[table["date"] == on].copy()
    first = {rank: i for i, rank in enumerate(RANK_ORDER)}
    order = {v: first.get(v.split(FOLD_JOIN)[0], len(first)) for v in table["value"]}
    table["order"] = table["value"].map(order).astype(int)
    table["category"] = [MILITARY if v.split(FOLD_JOIN)[0] in MILITARY_RANKS else CIVILIAN for v in table["value"]]
    table = table.sort_values("order").reset_index(drop=True)
    below = table.groupby("category")["women_share"].shift(1)
    table["ratio_to_level_below"] = (table["women_share"] / below.where(below > 0)).astype("Float64")
    return table
