"""Which figures of the workforce's unit x rank table stay the same from one snapshot to the next: nobody of a
gender moved into or out of them. Such a figure shown on one date gives the other date's away (the stock is the
one before plus who came minus who went), so the one decision (queries/stock_joint.py) hides it on both or
neither, and where one side is given by the exact totals, the other is given too."""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.queries.frames import frame
from di_metrics.storage.aggregates import flow_dates
from di_metrics.storage.store import transition_cube
from di_metrics.vocab import BRANCH, CATEGORY, ORG_UNIT, RANK_GROUP

__all__ = ["components", "touched"]

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


def components(conn: Connection, table: pd.DataFrame, moved: set[tuple]) -> tuple[np.ndarray, np.ndarray]:
    """Two labellings of the table's figures: the same label for one figure on consecutive dates where its women
    or its men stayed the same (a hidden one hides the other), and where everyone stayed (the same figure)."""
    measured = flow_dates(conn)
    keys = [CATEGORY, BRANCH, ORG_UNIT, RANK_GROUP]
    order = table.sort_values([*keys, "date"], kind="stable").index.to_numpy()
    dates = table["date"].to_numpy()
    figure = list(zip(*(table[k].to_numpy() for k in keys), strict=True))
    some, every = np.zeros(len(table), dtype=int), np.zeros(len(table), dtype=int)
    label_some = label_every = -1
    prev = None
    for i in order:
        linked = prev is not None and figure[prev] == figure[i] and dates[i] in measured
        still = {g: (dates[i], *figure[i], g) not in moved for g in ("F", "M", "X")} if linked else {}
        if not (linked and (still["F"] or still["M"])):
            label_some += 1
        if not (linked and all(still.values())):
            label_every += 1
        some[i], every[i] = label_some, label_every
        prev = i
    return some, every
