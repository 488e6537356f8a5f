"""Which flows are hidden: decided once per data version on the whole flow table of a parent population, per
year, gender and value of a fine dimension, and read by every flow view (docs/privacy.md, "Flows").

A unit's flows beside its siblings' add up to the branch's, which is shown exactly; so a unit's hidden flow
takes the next smallest sibling with it (the complementary rule, along each year and gender of the branch, and
along each year of the unit, whose total hires the hiring share gives), and a selection that holds some but not
all of a line's hidden units is hidden too (the consistency rule).

Intake (career.intake) is the same decision: a unit's new hires into the organisation under k women or men are
primaries here too, and a unit's years are a line (retention shows its hires of all years), so below the branch
level intake hides what the flows hide and needs no complements of its own. A line's hidden cells together are
its total minus its shown cells: they never add up to under k.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_workforce_cell
from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.frames import frame
from di_metrics.storage.store import headcount_cube, transition_cube
from di_metrics.vocab import FINE_DIMENSIONS

__all__ = ["PARENTS", "hidden_flow_years"]

PARENTS = {"org_unit": ("branch",)}  # a unit's siblings are the other units of its branch


def hidden_flow_years(conn: Connection, filters: Filters) -> set[tuple[int, str]]:
    """The (year, gender) rows of a selection's flows that its fine filters' patterns hide: a selection that
    splits a line's hidden set of units (or rank groups)."""
    out: set[tuple[int, str]] = set()
    selection = filters.as_dict()
    for dim, parent in privacy.parents(filters, FINE_DIMENSIONS):
        pattern = privacy.decided(conn, ("flows", parent, dim), lambda d=dim, p=parent: _pattern(conn, p, d))
        chosen = set(selection[dim])
        lines = ["year", "gender", *PARENTS.get(dim, ())]
        for key, values in pattern[pattern["hidden"]].groupby(lines)[dim]:
            if not privacy.consistent(chosen, set(values)):
                out.add((int(key[0]), str(key[1])))
    return out


def _pattern(conn: Connection, parent: Filters, dim: str) -> pd.DataFrame:
    """The hidden cells of a parent's flow table by `dim` (and its parents): primary under k (hires, exits, and
    intake of women and men), then complementary along each year, gender and parent, each year and value, and
    each gender and value over the years, until no line's hidden cells add up to under k."""
    parents = list(PARENTS.get(dim, ()))
    cells = _grid(conn, parent, [*parents, dim], _flows_by(conn, parent, [*parents, dim]))
    size = cells[["hires", "exits"]].min(axis=1)
    women_or_men = cells["gender"] != "X"  # intake leaves fewer than k X hires out: X is no intake cell
    k = min_workforce_cell()
    first = privacy.primary(size, k) | (privacy.primary(cells["intake"], k) & women_or_men)
    year, group = cells["year"].astype(str), pd.Series("", index=cells.index)
    for p in parents:
        group = group + "/" + cells[p].astype(str)
    within = year + "/" + cells["gender"] + group
    # The hiring share's total counts X only where its row is shown: X has no line across the genders.
    value = "//" + cells[dim].astype(str)
    across = (year + value).where(women_or_men, within + value)
    # Intake's retention curves show a group's hires of all years at 0 years: the years are a line too.
    years = (cells["gender"] + group + value).where(women_or_men, within + value)
    keys = [cells[c] for c in ("year", "gender", *parents, dim)]  # equally small cells: the first by these
    hidden = privacy.hide_lines(first, size, [within, across, years], keys)
    while True:
        more = _unsafe_sums(cells, hidden, size, within, keys, k)
        if not more.any():
            return cells.assign(hidden=hidden.to_numpy())
        hidden = privacy.hide_lines(hidden | more, size, [within, across, years], keys)


def _unsafe_sums(
    cells: pd.DataFrame, hidden: pd.Series, size: pd.Series, line: pd.Series, keys: list[pd.Series], k: int
) -> pd.Series:
    """The hidden cells of a line together are its shown total minus its shown cells, and a selection of them
    all is consistent: where their hires, exits or intake add up to under k, the line's smallest shown cell
    goes too (the first in `keys` order of equally small ones)."""
    measures = cells[["hires", "exits", "intake"]].where(hidden, 0).groupby(line).transform("sum")
    lines_hidden = hidden.groupby(line).transform("any")
    unsafe = lines_hidden & (measures.min(axis=1) < k)
    order = privacy.canonical(keys, len(cells))
    candidates = pd.DataFrame({"line": line, "size": size, "pos": 0}).iloc[order]
    candidates["pos"] = range(len(candidates))
    candidates = candidates[(unsafe & ~hidden).iloc[order].to_numpy()]
    first = candidates.sort_values(["size", "pos"], kind="stable").drop_duplicates("line").index
    return pd.Series(cells.index.isin(first), index=cells.index)


def _grid(conn: Connection, filters: Filters, dims: list[str], flows: pd.DataFrame) -> pd.DataFrame:
    """Every year, gender and group of the population, zero where nothing moved (a zero is a count like any):
    women and men for every group, X for groups that ever hold or move a person of gender X."""
    c = headcount_cube
    cols = [sa.func.coalesce(c.c[d], privacy.MISSING).label(d) for d in dims]
    has_x = sa.func.max(sa.case((c.c.gender == "X", 1), else_=0))
    query = sa.select(*cols, has_x).where(filters.predicate(c)).group_by(*cols)
    groups = pd.DataFrame([tuple(r) for r in conn.execute(query).all()], columns=[*dims, "has_x"])
    groups = groups.sort_values(dims, ignore_index=True)  # a GROUP BY comes back in any order
    moved_x = flows.loc[flows["gender"] == "X", dims].drop_duplicates().assign(moved=1)
    groups = groups.merge(moved_x, on=dims, how="left")
    years = sorted(set(flows["year"]))
    xs = groups["has_x"] + groups["moved"].fillna(0)
    keys = [
        (y, g, *grp)
        for y in years
        for g, x_only in (("F", False), ("M", False), ("X", True))
        for grp, x in zip(groups[dims].itertuples(index=False, name=None), xs, strict=True)
        if not x_only or x
    ]
    index = pd.MultiIndex.from_tuples(keys, names=["year", "gender", *dims])
    full = flows.set_index(["year", "gender", *dims]).reindex(index, fill_value=0)
    return full.reset_index()


def _flows_by(conn: Connection, filters: Filters, dims: list[str]) -> pd.DataFrame:
    """Hires and exits crossing the population's edge per year, gender and the inside side's `dims` values;
    a blank value is a group of its own (privacy.MISSING). Raw: for the pattern only."""
    t = transition_cube
    inside_to = sa.and_(t.c.to_org_unit.is_not(None), filters.predicate(t, "to_"))
    inside_from = sa.and_(t.c.from_org_unit.is_not(None), filters.predicate(t, "from_"))
    new = t.c.from_org_unit.is_(None)  # a hire into the organisation: intake's count (a return too)
    parts = []
    for side, kind, inside, outside in (
        ("to_", "hires", inside_to, inside_from),
        ("from_", "exits", inside_from, inside_to),
        ("to_", "intake", sa.and_(inside_to, new), sa.false()),
    ):
        cols = [t.c[f"{side}{d}"] for d in dims]
        query = (
            sa.select(t.c.snapshot_date, t.c[f"{side}gender"], *cols, sa.func.sum(t.c.persons))
            .where(inside, sa.not_(outside), t.c[f"{side}gender"].is_not(None))
            .group_by(t.c.snapshot_date, t.c[f"{side}gender"], *cols)
        )
        got = frame(conn, query, ["date", "gender", *dims, "n"]).assign(kind=kind)
        parts.append(got)
    flows = pd.concat(parts, ignore_index=True)
    flows["year"] = [d.year for d in flows["date"]]
    for d in dims:
        flows[d] = flows[d].astype(object).where(flows[d].notna(), privacy.MISSING)
    flows["n"] = flows["n"].astype("int64")
    keys = ["year", "gender", *dims]
    table = flows.pivot_table(index=keys, columns="kind", values="n", aggfunc="sum", fill_value=0)
    return table.reindex(columns=["hires", "exits", "intake"], fill_value=0).reset_index()
