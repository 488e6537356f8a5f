"""Which figures of the workforce's unit x rank table stay the same from one snapshot to the next (nobody of a
gender moved into or out of them), and whose change the attacker who ties stocks by the moves knows (shown on
both dates, or the last change not known on a line). Such a figure shown on one date gives the other date's away
(the stock is the one before plus who came minus who went), so the one decision (queries/stock_joint.py) hides it
on both or neither, and where one side is given by the exact totals, the other is given too."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import sqlalchemy as sa
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sqlalchemy.engine import Connection

from di_metrics.queries.frames import frame
from di_metrics.storage.aggregates import flow_dates
from di_metrics.storage.store import transition_cube
from di_metrics.vocab import BRANCH, CATEGORY, ORG_UNIT, RANK_GROUP

__all__ = ["components", "given_changes", "link", "steps", "touched"]

SIDE = ("gender", CATEGORY, BRANCH, ORG_UNIT, RANK_GROUP)
PLACES = ((True, True, True), (True, True, False), (True, False, True), (False, False, True))  # cell, unit, ...


def touched(conn: Connection, total: str, missing: str) -> set[tuple]:
    """(date, category, branch, unit, rank, gender) of every figure of the table (margins `total`) that someone of
    that gender moved into or out of in the period ending on the date (a hire, an exit, a move, a change of gender
    or of personnel category)."""
    t = transition_cube
    differs = sa.or_(*(t.c[f"from_{c}"].is_distinct_from(t.c[f"to_{c}"]) for c in SIDE))
    cols = [t.c[f"{s}_{c}"] for s in ("from", "to") for c in SIDE]
    query = sa.select(t.c.snapshot_date, *cols).where(differs).distinct()
    moves = frame(conn, query, ["date", *(f"{s}_{c}" for s in ("from", "to") for c in SIDE)])
    out: set[tuple] = set()
    for keep in ((c, *place) for c in (True, False) for place in PLACES):
        sides = {}
        for s in ("from", "to"):
            present = moves[f"{s}_{ORG_UNIT}"].notna()
            key = [
                moves[f"{s}_{c}"].fillna(missing).where(present, None) if k else pd.Series(total, index=moves.index)
                for c, k in zip((CATEGORY, BRANCH, ORG_UNIT, RANK_GROUP), keep, strict=True)
            ]
            sides[s] = (present, key, moves[f"{s}_gender"].fillna(""))
        same = sides["from"][0] & sides["to"][0] & (sides["from"][2] == sides["to"][2])
        for a, b in zip(sides["from"][1], sides["to"][1], strict=True):
            same &= a == b
        for present, key, gender in sides.values():
            rows = present & ~same
            found = pd.DataFrame({"date": moves["date"], **{str(i): k for i, k in enumerate(key)}, "g": gender})
            found = found[rows].drop_duplicates()
            out.update(zip(*(found[c].tolist() for c in found.columns), strict=True))
    return out


def steps(conn: Connection, table: pd.DataFrame, moved: set[tuple]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per figure of the table: the row of the same figure on the date before (-1 where the moves between the two
    are not measured, or it is new), whether nobody of each gender (F, M, X) moved into or out of it since then,
    and whether the moves before its date are measured (a figure with no row before is then new: its stock is
    its change)."""
    measured = flow_dates(conn)
    keys = [CATEGORY, BRANCH, ORG_UNIT, RANK_GROUP]
    order = table.sort_values([*keys, "date"], kind="stable").index.to_numpy()
    dates = table["date"].to_numpy()
    first = min(dates, default=None)
    figure = list(zip(*(table[k].to_numpy() for k in keys), strict=True))
    prev = np.full(len(table), -1)
    still = np.zeros((len(table), 3), dtype=bool)
    paired = np.array([d in measured and d != first for d in dates], dtype=bool)
    before = None
    for i in order:
        if before is not None and figure[before] == figure[i] and paired[i]:
            prev[i] = before
            still[i] = [(dates[i], *figure[i], g) not in moved for g in ("F", "M", "X")]
        before = i
    return prev, still, paired


def components(prev: np.ndarray, still: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two labellings of the table's figures: the same label for one figure on consecutive dates where its women
    or its men stayed the same (a hidden one hides the other), and where everyone stayed (the same figure)."""
    linked = np.flatnonzero(prev >= 0)
    some = _labels(prev, linked[(still[linked, 0] | still[linked, 1])])
    return some, _labels(prev, linked[still[linked].all(axis=1)])


def _labels(prev: np.ndarray, joined: np.ndarray) -> np.ndarray:
    graph = sparse.coo_matrix((np.ones(len(joined)), (joined, prev[joined])), shape=(len(prev), len(prev)))
    return connected_components(graph, directed=False)[1]


def given_changes(
    lines: list[np.ndarray],
    dates: np.ndarray,
    prev: np.ndarray,
    paired: np.ndarray,
    still: np.ndarray,
    shown: np.ndarray,
) -> np.ndarray:
    """Per figure (with a row before), whether the attacker who ties stocks by the moves between them knows its
    change since then: nobody moved (`still`), shown on both dates, or the last change not known on a line (a
    line's figures on both dates, `lines` without the date: its shown totals give the sum of the changes). A
    figure hidden on one date and shown on the other is then given by the shown one; so it is hidden on both."""
    n = len(prev)
    has = prev >= 0
    succ = np.full(n, -1)
    succ[prev[has]] = np.flatnonzero(has)
    ordered = sorted(set(dates))
    later = set(dates[paired])
    nexts = {d: e for d, e in itertools.pairwise(ordered) if e in later}
    # the changes between two dates: each figure of the later date, and each figure gone by then
    gone_rows = np.flatnonzero((succ < 0) & np.array([d in nexts for d in dates], dtype=bool))
    row = np.r_[np.flatnonzero(paired), gone_rows]
    gone = np.r_[np.zeros(int(paired.sum()), dtype=bool), np.ones(len(gone_rows), dtype=bool)]
    pair = pd.factorize(np.array([nexts[d] if g else d for d, g in zip(dates[row], gone, strict=True)]))[0]
    was = shown[np.where(has[row], prev[row], row)]
    known = shown[row] if not len(row) else np.where(has[row] & ~gone, still[row] | (shown[row] & was), shown[row])
    groups = []
    for line in lines:
        code = line[row]
        on = code >= 0
        groups.append((on, pair[on] * (code.max(initial=0) + 1) + code[on]))
    while True:
        before = known.copy()
        for on, group in groups:
            open_ = ~known[on]
            count = np.bincount(group[open_], minlength=group.max(initial=-1) + 1)
            known[np.flatnonzero(on)[open_ & (count[group] == 1)]] = True
        if (known == before).all():
            break
    out = np.zeros(n, dtype=bool)
    mine = ~gone & has[row]
    out[row[mine]] = known[mine]
    return out


def link(hidden: np.ndarray, prev: np.ndarray, given: np.ndarray) -> np.ndarray:
    """A figure hidden on one date hidden on the dates its change is given."""
    out = hidden.copy()
    at = np.flatnonzero((prev >= 0) & given)
    while True:
        both = out[at] | out[prev[at]]
        if (both == out[at]).all() and (both == out[prev[at]]).all():
            return out
        out[at] |= both
        out[prev[at]] |= both
