"""Which groups of an answer distribution are hidden: the survey rules, and the rule that no shown answer count
pins a hidden group's answers (docs/privacy.md, "Answer distributions").

A shown count of 0, 1 or 2 respondents giving some answer holds every hidden group inside that population to
at most that many giving it: a whole whose men never answer 5 gives a hidden branch's answer-5 count to its
women. So a group's distribution is shown only where every answer of the scale has at least ANSWER_MIN
respondents; and where the hidden groups of a line together gave some answer 1 or 2 times (the line's total
minus its shown groups), the next smallest shown group that gave it is hidden too, until none is.

A shown % favourable is two counts, the favourable and the rest: where either is 0, 1 or 2 it pins every hidden
group inside it the same way (42 of 44 favourable holds each hidden group's unfavourable answers to at most 2), so
the group's % favourable is shown only where both sides have at least ANSWER_MIN respondents, on every item.

A group hidden as such a group's complement in a table by one dimension is the sum of its cells in the table by two
(`under_hidden_margins`): there too one of them is hidden.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from di_metrics.queries.privacy import canonical, hidden_groups
from di_metrics.vocab import GROUP_SEPARATOR, group_parts

__all__ = ["ANSWER_MIN", "favourable_pinned", "hidden_distributions", "under_hidden_margins"]

ANSWER_MIN = 3  # the narrowest interval a hidden count may be held to, in respondents


def hidden_distributions(
    counts: pd.DataFrame, width: pd.Series, k: int, siblings: bool, margins: frozenset = frozenset()
) -> pd.DataFrame:
    """Per item and group (from answer counts: item, group, answer, n; `width`: each item's number of answers):
    its respondents and whether its distribution is hidden (`margins`: see under_hidden_margins, by item)."""
    keys = ["item", "group"]
    if counts.empty:
        return pd.DataFrame({"item": [], "group": [], "n": [], "hidden": []})
    per_group = counts.groupby(keys)
    out = per_group["n"].sum().reset_index()
    given = per_group["answer"].nunique().to_numpy()
    smallest = per_group["n"].min().to_numpy()
    pins = (given < width.reindex(out["item"]).to_numpy()) | (smallest < ANSWER_MIN)
    rule = under_hidden_margins(out.assign(n=out["n"].where(~pins, 0), wave=out["item"]), margins, k)
    hidden = hidden_groups(rule, k, siblings).to_numpy(dtype=bool)
    if siblings:
        table = counts.pivot_table(index=keys, columns="answer", values="n", aggfunc="sum", fill_value=0)
        table = table.reindex(pd.MultiIndex.from_frame(out[keys]), fill_value=0).to_numpy(dtype=float)
        hidden = _widen(table, out, hidden)
    return out.assign(hidden=hidden)


def _lines(groups: pd.DataFrame) -> list[np.ndarray]:
    """The lines of siblings whose total is shown elsewhere: per item, and in a two-way table its rows and columns."""
    item = groups["item"].astype(str)
    parts = groups["group"].astype(str).str.split(GROUP_SEPARATOR, regex=False)
    if parts.map(len).max() > 1:
        return [(item + "/" + parts.str[0]).to_numpy(), (item + "//" + parts.str[1]).to_numpy()]
    return [item.to_numpy()]


def _widen(table: np.ndarray, groups: pd.DataFrame, hidden: np.ndarray) -> np.ndarray:
    """Hide the next smallest shown group of a line that gave an answer its hidden groups gave 1 or 2 times
    together, until no line holds such an answer (ties in canonical order)."""
    h = hidden.copy()
    order = canonical([groups["n"], groups["item"], groups["group"].astype(str)], len(groups))
    rank = np.empty(len(order), dtype=int)
    rank[order] = np.arange(len(order))
    changed = True
    while changed:
        changed = False
        for line in _lines(groups):
            for key in np.unique(line):
                rows = np.flatnonzero(line == key)
                sums = table[rows[h[rows]]].sum(axis=0)
                for answer in np.flatnonzero((sums > 0) & (sums < ANSWER_MIN)):
                    candidates = rows[~h[rows] & (table[rows, answer] > 0)]
                    if len(candidates):
                        h[candidates[np.argmin(rank[candidates])]] = True
                        changed = True
                        break
    return h


def favourable_pinned(per_item: pd.DataFrame) -> pd.DataFrame:
    """Per wave and group (from item counts: wave, group, item, n, nfav): whether its % favourable would pin a
    small count, fewer than ANSWER_MIN respondents favourable or not favourable on some item."""
    unfavourable = per_item["n"] - per_item["nfav"]
    small = (per_item["nfav"] < ANSWER_MIN) | (unfavourable < ANSWER_MIN)
    return per_item.assign(pinned=small).groupby(["wave", "group"], as_index=False)["pinned"].any()


def under_hidden_margins(table: pd.DataFrame, margins: frozenset, k: int) -> pd.DataFrame:
    """A two-way table (wave, group, n) whose line of some value is hidden in the table by that part alone (its
    margin: `margins` holds (wave, part index, value)) and holds no hidden cell counts its smallest cell as none,
    so the line rules hide two of its cells. Else the two-way table shows every cell of the line, whose sum is the
    hidden margin (a branch hidden as a complement in the whole by branch, its women and men shown)."""
    if not margins or table.empty:
        return table
    out = table.reset_index(drop=True)
    already = hidden_groups(out, k, siblings=True).to_numpy(dtype=bool)
    n = out["n"].to_numpy(dtype=float).copy()
    parts = [group_parts(str(g)) for g in out["group"]]
    for i in (0, 1):
        lines: dict[tuple, list[int]] = {}
        for row, (wave, ps) in enumerate(zip(out["wave"], parts, strict=True)):
            if len(ps) > i and (wave, i, ps[i]) in margins:
                lines.setdefault((wave, i, ps[i]), []).append(row)
        for rows in lines.values():
            if not already[rows].any():
                n[min(rows, key=lambda r: (n[r], str(out["group"][r])))] = 0
    return out.assign(n=n)
