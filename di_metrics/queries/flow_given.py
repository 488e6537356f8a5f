"""The flow counts a selection's parents and holding populations give (queries/flow_pattern.py decides the rest):
a count that is its parent's figure (the same movers of every gender), shown or withheld as the parent's is,
and a 0 a holding population shows where nobody moved across the selection's edge inside it. The attacker knows
where someone moved, not their gender: a count equal to the parent's for one gender alone gives nothing."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_workforce_cell
from di_metrics.queries.filters import Filters
from di_metrics.queries.flow_pattern import MEASURES
from di_metrics.storage.store import headcount_cube, transition_cube
from di_metrics.vocab import BRANCH, CATEGORY, ORG_UNIT, RANK_GROUP

__all__ = ["as_parents", "shown_zeros"]


def as_parents(conn: Connection, filters: Filters, yearly: pd.DataFrame, given: dict, read: tuple) -> tuple[dict, dict]:
    """A count that is a direct parent's (the filters without one dimension) is the parent's figure: shown where
    the parent shows it (added to `given`), withheld where the parent withholds it (the second dict). It is the
    parent's where the same persons make both: every move across the parent's edge (for that year and measure)
    crosses the selection's too, and every move across the selection's edge crosses the parent's (no promotion or
    transfer inside the parent); equal counts alone are not the same persons. Shown, the moves of every gender
    (`_same_movers`: the attacker knows where someone moved, not their gender; a gender's own would give the
    others' 0s). A count under k is
    not shown that way: the parent's figure does not say its persons are all in the selection (the selection's
    siblings may have moved too, inside the parent), so only the line's known counts (`_known`) give it.
    `read`: the raw and the shown yearly flows."""
    raw, shown_flows = read
    mine = yearly.set_index(["year", "gender"])
    out, forced = {key: set(v) for key, v in given.items()}, {}
    for dim in filters.as_dict():  # a personnel category too: a unit's military may be all its movers
        parent = filters.without(dim)
        theirs = raw(conn, parent).set_index(["year", "gender"])
        both = _crossing(conn, filters, parent)
        shown = {(r.year, r.gender): r for r in shown_flows(conn, parent).rows}
        same = _same_movers(mine, theirs, both)
        for key in mine.index.intersection(theirs.index):
            for measure in MEASURES:
                count = mine.at[key, measure]
                if key not in shown or pd.isna(count) or count != theirs.at[key, measure]:
                    continue
                if count != both.get((int(key[0]), str(key[1]), measure), 0):
                    continue  # as many, but not the same persons
                side = out if getattr(shown[key], measure) is not None else forced
                if side is out and (count < min_workforce_cell() or (int(key[0]), measure) not in same):
                    continue  # the parent's persons, but that they are all in the selection is not shown
                side.setdefault(key, set()).add(measure)
    for key, measures in forced.items():
        out[key] = out.get(key, set()) - measures
    return out, forced


def _same_movers(mine: pd.DataFrame, theirs: pd.DataFrame, both: dict) -> set[tuple[int, str]]:
    """(year, measure) where every move of any gender across the parent's edge crossed the selection's too, and
    every move across the selection's edge crossed the parent's: the attacker, who knows where someone moved but
    not their gender, knows then that each gender's count is the parent's (per gender alone it would not)."""
    crossed = _every_gender(both)
    own, parents = (f.groupby(level="year")[list(MEASURES)].sum() for f in (mine, theirs))
    return {
        (int(year), m)
        for year in own.index.intersection(parents.index)
        for m in MEASURES
        if own.at[year, m] == parents.at[year, m] == crossed.get((int(year), m), 0)
    }


def _every_gender(both: dict) -> dict:
    """Per (year, measure), the moves of every gender across both edges (`_crossing`'s counts summed)."""
    out: dict = {}
    for (year, _, measure), n in both.items():
        out[(year, measure)] = out.get((year, measure), 0) + n
    return out


def shown_zeros(conn: Connection, filters: Filters, yearly: pd.DataFrame, shown_flows: object) -> dict:
    """Per (year, gender), the measures whose 0 a shown 0 gives: a population holding the selection (the filters
    without one of them, or a unit's branch) shows 0 for that gender, and nobody of any gender moved across the
    selection's edge inside it (the attacker knows where someone moved, not their gender), so every move of the
    selection crossed that population's edge too, and none of that gender did. Such a 0 hides nothing."""
    mine = yearly.set_index(["year", "gender"])
    moved = _every_gender(_crossing(conn, filters, filters))  # every move across the selection's edge (a blank
    out: dict = {}  # gender too: the attacker knows someone moved there, not of which gender)
    for holder in _holders(conn, filters):
        crossed = _every_gender(_crossing(conn, filters, holder))
        for r in shown_flows(conn, holder).rows:
            if (r.year, r.gender) not in mine.index:
                continue
            for measure in MEASURES:
                alone = moved.get((int(r.year), measure), 0) == crossed.get((int(r.year), measure), 0)
                if getattr(r, measure) == 0 and mine.at[(r.year, r.gender), measure] == 0 and alone:
                    out.setdefault((int(r.year), str(r.gender)), set()).add(measure)
    return out


def _holders(conn: Connection, filters: Filters) -> list[Filters]:
    """The populations a selection lies in that a view shows: the filters without one of them, and for units of
    one branch that branch, for rank groups of one personnel category that category (with the other filters)."""
    out = [filters.without(d) for d in filters.as_dict()]
    chosen = filters.as_dict()
    c = headcount_cube
    for fine, coarse in _NESTS.items():
        if fine not in chosen or coarse in chosen:
            continue
        query = sa.select(c.c[coarse]).where(c.c[fine].in_(chosen[fine])).distinct()
        wider = list(conn.execute(query).scalars())
        if len(wider) == 1 and wider[0] is not None:
            out.append(Filters.of({**{d: v for d, v in chosen.items() if d != fine}, coarse: wider}))
    return out


_NESTS = {ORG_UNIT: BRANCH, RANK_GROUP: CATEGORY}  # a value of the first lies in one value of the second


def _crossing(conn: Connection, inner: Filters, outer: Filters) -> dict:
    """Per (year, gender, measure), the moves across both edges: hires into `inner` from outside `outer`, exits
    out of `inner` to outside `outer` (`inner` lies inside `outer`; `outer` = `inner`: its own edge). A blank
    gender is "", counted too."""
    t = transition_cube
    into = sa.and_(t.c.to_org_unit.is_not(None), inner.predicate(t, "to_"))
    out_of = sa.and_(t.c.from_org_unit.is_not(None), inner.predicate(t, "from_"))
    came = sa.not_(sa.and_(t.c.from_org_unit.is_not(None), outer.predicate(t, "from_")))
    went = sa.not_(sa.and_(t.c.to_org_unit.is_not(None), outer.predicate(t, "to_")))
    counts: dict = {}
    for measure, gender, moved in (
        ("hires", t.c.to_gender, sa.and_(into, came)),
        ("exits", t.c.from_gender, sa.and_(out_of, went)),
    ):
        query = sa.select(t.c.snapshot_date, gender, sa.func.sum(t.c.persons)).where(moved)
        for day, g, n in conn.execute(query.group_by(t.c.snapshot_date, gender)):
            key = (pd.Timestamp(day).year, g or "", measure)  # a blank gender ("") moves too
            counts[key] = counts.get(key, 0) + int(n)
    return counts
