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

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_workforce_cell
from di_metrics.models.flows import FlowRow
from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.frames import frame
from di_metrics.storage.store import headcount_cube, transition_cube
from di_metrics.vocab import FINE_DIMENSIONS

__all__ = ["MEASURES", "PARENTS", "flow_row", "hidden_flows"]

PARENTS = {"org_unit": ("branch",)}  # a unit's siblings are the other units of its branch
MEASURES = ("hires", "exits")  # the figures a flow row shows; intake (career.intake) is decided with them


def hidden_flows(conn: Connection, filters: Filters, stocks: tuple) -> tuple[dict, dict]:
    """Per (year, gender) of a selection's flows, the measures (hires, exits) its fine filters' patterns hide (a
    selection that splits a line's hidden set of units or rank groups for that measure, or holds a line's lone
    hidden count: where someone moved between the line's groups, a count is no line's total minus the rest, so it
    may be hidden with every other count of its line known, 0), and those they know: the selection's count is
    known on the table of its direct parent (0, or given by the exact totals).
    `stocks`: the workforce's snapshot dates and its breakdown (the flows' ties to the stocks)."""
    hidden: dict[tuple[int, str], set[str]] = {}
    given: dict[tuple[int, str], set[str]] = {}
    selection, own = filters.as_dict(), None
    for dim, parent in privacy.parents(filters, FINE_DIMENSIONS):
        pattern = privacy.decided(conn, ("flows", parent, dim), lambda d=dim, p=parent: _pattern(conn, p, d, stocks))
        chosen = set(selection[dim])
        lines = ["year", "gender", *PARENTS.get(dim, ())]
        for measure in MEASURES:
            for key, values in pattern[pattern[f"hide_{measure}"]].groupby(lines)[dim]:
                lone = set(values) if len(values) == 1 else set()  # no complement: every other count known
                if not privacy.consistent(chosen, set(values)) or chosen & lone:
                    hidden.setdefault((int(key[0]), str(key[1])), set()).add(measure)
            if parent == filters.without(dim) and len(set(selection) & set(FINE_DIMENSIONS)) == 1:
                own = own if own is not None else _flows_by(conn, filters, []).set_index(["year", "gender"])
                _given(pattern, dim, chosen, (measure, own[measure].to_dict()), lines, given)
    return hidden, given


def _given(pattern: pd.DataFrame, dim: str, chosen: set, counted: tuple, lines: list, out: dict) -> None:
    """Adds (year, gender): measure where the chosen cells' sum is given on every line: none of its chosen cells
    is hidden (each known or shown), or (the line's total shown exactly, nobody moved between the line's groups)
    it holds every hidden count of the line (the total minus the shown and the known). A sum of groups is their
    cells' only where nobody moved between them (a move between two is in both cells but not in the sum):
    `counted` is the measure and the selection's own counts per (year, gender)."""
    measure, own = counted
    picked = pattern[dim].isin(chosen).to_numpy()
    hidden = pattern[f"hide_{measure}"].to_numpy()
    moved = pattern[f"inside_{measure}"].to_numpy()
    inexact = ~pattern["exact"].to_numpy()
    frame = pattern[lines].assign(
        line_hidden=hidden, mine_hidden=picked & hidden, mine=picked, moved=moved, inexact=inexact
    )
    per_line = frame.groupby(lines)[["line_hidden", "mine_hidden", "mine", "moved", "inexact"]].sum()
    per_line = per_line[per_line["mine"] > 0]
    whole = (per_line["inexact"] == 0) & (per_line["moved"] == 0) & (per_line["mine_hidden"] == per_line["line_hidden"])
    ok = (per_line["mine_hidden"] == 0) | whole
    summed = pattern[picked].groupby(["year", "gender"])[measure].sum()
    for (year, gender), good in ok.groupby(level=[0, 1]):
        if good.all() and summed.get((year, gender), 0) == own.get((year, gender), 0):
            out.setdefault((int(year), str(gender)), set()).add(measure)


def flow_row(r: object, fine: bool, k: int, hidden_dates: set, pattern: set[str], given: set[str]) -> FlowRow:
    """One year's row for a gender. Below the branch level a count is withheld where the row is small (a count
    or the stock at the start under k, a stock at either end withheld: hires and exits go together, the stocks
    tie them) or where the flow pattern hides that measure; a count an attacker knows is shown (0: nobody moved;
    or `given`: nobody of any gender moved, the line's exact total, or a parent's shown count of the same persons
    gives it; a gender's 0 where someone else moved is a count under k like any), and the pattern
    takes none as a complement, except beside a withheld count where both stocks are shown: their change and one
    count give the other, so both are withheld. `suppressed`: the row is protected (some count withheld, or
    small)."""
    moved = () if pd.isna(r.hires) else (int(r.hires), int(r.exits))  # not measured: None, never 0
    unknown_zero = any(m == 0 and name not in given for name, m in zip(MEASURES, moved or (None, None), strict=True))
    small = fine and (
        r.headcount_start < k
        or any(0 < m < k for m in moved)
        or unknown_zero
        or bool({r.start_date, r.end_date} & hidden_dates)
    )
    shown = {}
    for name, value in zip(("hires", "exits"), moved or (None, None), strict=True):
        known = name in given and value is not None  # the selection's own count, given by shown figures
        withheld = value is not None and not known and (small or name in pattern)
        shown[name] = None if withheld else value
    tied = not {r.start_date, r.end_date} & hidden_dates  # both stocks shown: hires minus exits is their change
    if fine and tied and None in shown.values():
        shown = dict.fromkeys(shown)  # one shown beside the stocks would give the other (a 0 hired too)
    hidden = small or any(shown[m] is None and v is not None for m, v in zip(shown, moved or (), strict=False))
    head = None if hidden else int(r.headcount_start)
    rate = None if hidden or shown["exits"] is None or pd.isna(r.attrition_rate) else float(r.attrition_rate)
    return FlowRow(int(r.year), r.gender, head, shown["hires"], shown["exits"], rate, bool(hidden))


def _pattern(conn: Connection, parent: Filters, dim: str, stocks: tuple) -> pd.DataFrame:
    """The hidden cells of a parent's flow table by `dim` (and its parents), per measure (hires, exits, intake).

    A count nobody moved in is 0 and known (no move to hide), and so is the last count not known on a line whose
    total is shown exactly (a unit alone moving in its branch): neither is hidden nor a complement. Primary: a
    cell with a count under k that is not known (hires and exits go together: the stocks tie them); then
    complements per measure along each year, gender and parent, each year and value, and each gender and value
    over the years, until no line holds exactly one hidden count and no line's hidden counts add up to under k."""
    parents = list(PARENTS.get(dim, ()))
    cells = _grid(conn, parent, [*parents, dim], _flows_by(conn, parent, [*parents, dim]))
    women_or_men = cells["gender"] != "X"  # intake leaves fewer than k X hires out: X is no intake cell
    k = min_workforce_cell()
    year, group = cells["year"].astype(str), pd.Series("", index=cells.index)
    for p in parents:
        group = group + "/" + cells[p].astype(str)
    within = year + "/" + cells["gender"] + group
    # The hiring share's total counts X only where its row is shown: X has no line across the genders.
    value = "//" + cells[dim].astype(str)
    across = (year + value).where(women_or_men, within + value)
    # Intake's retention curves show a group's hires of all years at 0 years: the years are a line too.
    years = (cells["gender"] + group + value).where(women_or_men, within + value)
    stock_hidden = _stocks(conn, parent, dim, cells, stocks)
    inside = _moved_inside(conn, parent, parents, cells)
    exact = pd.Series(not parent.is_fine, index=cells.index)  # the line's total shown exactly: above the branch
    for p in parents:
        exact &= cells[p] != privacy.MISSING  # a blank branch's total is shown nowhere
    known = _known(cells, within, inside, exact)
    small = pd.Series(False, index=cells.index)
    for measure in MEASURES:
        small |= privacy.primary(cells[measure], k) & ~known[measure]
    small |= privacy.primary(cells["intake"], k) & women_or_men & ~known["intake"]
    small |= stock_hidden & ~(known["hires"] & known["exits"])
    keys = [cells[c] for c in ("year", "gender", *parents, dim)]  # equally small cells: the first by these
    hidden = _close(cells, small, known, [within, across, years], keys, k)
    return cells.assign(
        hidden=hidden.to_numpy(),
        exact=exact.to_numpy(),
        **{f"hide_{m}": (hidden & ~known[m]).to_numpy() for m in (*MEASURES, "intake")},
        **{f"known_{m}": known[m].to_numpy() for m in MEASURES},
        **{f"inside_{m}": inside[m].to_numpy() for m in MEASURES},
    )


def _stocks(conn: Connection, parent: Filters, dim: str, cells: pd.DataFrame, stocks: tuple) -> pd.Series:
    """Per cell, whether the workforce's decision hides its stock (of its gender) at the start or the end of the
    year: the end is the start plus hires minus exits, so a flow shown beside one stock shown gives the other; a
    hidden stock makes its cell's flows primaries here (their complements taken on the flows' lines too).
    `stocks`: the workforce's snapshot dates and its (safe) breakdown."""
    snapshot_dates, breakdown = stocks
    dates = snapshot_dates(conn)
    table = breakdown(conn, parent, dim)
    gender_hidden = table["suppressed"].astype(bool)
    x_hidden = gender_hidden | table["x_left_out"].astype(bool)
    hidden = set()
    for gender, flags in (("F", gender_hidden), ("M", gender_hidden), ("X", x_hidden)):
        hidden |= {(d, v, gender) for d, v, h in zip(table["date"], table["value"], flags, strict=True) if h}
    out = []
    for year, gender, value in zip(cells["year"], cells["gender"], cells[dim], strict=True):
        ends = [max((d for d in dates if d < _jan1(year)), default=None), max(d for d in dates if d.year == year)]
        out.append(any((d, value, gender) in hidden for d in ends))
    return pd.Series(out, index=cells.index)


def _jan1(year: int) -> dt.date:
    return dt.date(int(year), 1, 1)


def _moved_inside(conn: Connection, parent: Filters, parents: list[str], cells: pd.DataFrame) -> pd.DataFrame:
    """Per cell and measure, whether anyone moved between two groups of its line (a promotion, a transfer between
    units of a branch): the line's cells then add up to more than the line's own flows (the move is a hire of
    one group and an exit of another, but neither of the line's), so no cell is the line's total minus the rest."""
    line = _flows_by(conn, parent, parents).set_index(["year", "gender", *parents])
    keys = ["year", "gender", *parents]
    out = {}
    for measure in MEASURES:
        summed = cells.groupby(keys)[measure].transform("sum")
        own = line[measure].reindex(pd.MultiIndex.from_frame(cells[keys])).fillna(0).to_numpy()
        out[measure] = summed.to_numpy() != own
    return pd.DataFrame(out, index=cells.index).assign(intake=False)


def _known(cells: pd.DataFrame, within: pd.Series, inside: pd.DataFrame, exact: pd.Series) -> pd.DataFrame:
    """Per measure, the counts an attacker who knows where nobody moved knows without any flow shown: 0 where
    nobody of any gender moved (where someone did, a gender's 0 is a count like any: the attacker knows where
    someone moved, not their gender), and,
    where the line's total is shown exactly (a parent above the branch level) and nobody moved between its groups
    (`inside`), the last count on a line that is not known. (With both stocks of a cell shown, one count known
    gives the other too; the view then withholds both, `flow_row`, for a reader who does not know the 0: only the
    workforce decision could hide them.)"""
    place = [c for c in cells.columns if c not in ("gender", *MEASURES, "intake")]  # year, parents, dimension
    known = pd.DataFrame({m: cells.groupby(place)[m].transform("sum") == 0 for m in (*MEASURES, "intake")})
    while True:
        before = known.copy()
        for measure in known.columns:
            open_ = ~known[measure]
            known[measure] |= exact & open_ & ~inside[measure] & (open_.groupby(within).transform("sum") == 1)
        if known.equals(before):
            return known


def _close(
    cells: pd.DataFrame, first: pd.Series, known: pd.DataFrame, lines: list[pd.Series], keys: list, k: int
) -> pd.Series:
    """Complements per measure (a known count lies on no line: it is no cover) until no line holds exactly one
    hidden count of a measure and no line's hidden counts add up to under k."""
    hidden = first.copy()
    while True:
        wider = hidden.copy()
        for measure in known.columns:
            on = [line.where(~known[measure]) for line in lines]
            size = cells[measure].astype(float)
            wider |= privacy.hide_lines(hidden & ~known[measure], size, on, keys) & ~known[measure]
            wider |= _unsafe_sums(cells[measure], wider & ~known[measure], size, on[0], keys, k)
        if wider.equals(hidden):
            return hidden
        hidden = wider


def _unsafe_sums(
    counts: pd.Series, hidden: pd.Series, size: pd.Series, line: pd.Series, keys: list[pd.Series], k: int
) -> pd.Series:
    """The hidden counts of a line together are its shown total minus its shown counts, and a selection of them
    all is consistent: where they add up to under k, the line's smallest shown count goes too (the first in
    `keys` order of equally small ones)."""
    total = counts.where(hidden, 0).groupby(line).transform("sum")
    lines_hidden = hidden.groupby(line).transform("any").fillna(False).astype(bool)
    unsafe = lines_hidden & (total.fillna(k) < k) & line.notna()
    order = privacy.canonical(keys, len(counts))
    candidates = pd.DataFrame({"line": line, "size": size, "pos": 0}).iloc[order]
    candidates["pos"] = range(len(candidates))
    candidates = candidates[(unsafe & ~hidden).iloc[order].to_numpy()]
    first = candidates.sort_values(["size", "pos"], kind="stable").drop_duplicates("line").index
    return pd.Series(counts.index.isin(first), index=counts.index)


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
    """Hires and exits per year, gender and group of `dims` values (inside the population), each counted on the
    group's own edge: a move between two groups (a promotion, a transfer inside the population) is an exit of
    the one and a hire of the other, as the group's own flows count it. A blank value is a group of its own
    (privacy.MISSING). Intake: new hires into the organisation. Raw: for the pattern only."""
    t = transition_cube
    inside_to = sa.and_(t.c.to_org_unit.is_not(None), filters.predicate(t, "to_"))
    inside_from = sa.and_(t.c.from_org_unit.is_not(None), filters.predicate(t, "from_"))
    stays = sa.and_(inside_to, inside_from, *(t.c[f"from_{d}"].is_not_distinct_from(t.c[f"to_{d}"]) for d in dims))
    new = t.c.from_org_unit.is_(None)  # a hire into the organisation: intake's count (a return too)
    parts = []
    for side, kind, moved in (
        ("to_", "hires", sa.and_(inside_to, sa.not_(stays))),
        ("from_", "exits", sa.and_(inside_from, sa.not_(stays))),
        ("to_", "intake", sa.and_(inside_to, new)),
    ):
        cols = [t.c[f"{side}{d}"] for d in dims]
        query = (
            sa.select(t.c.snapshot_date, t.c[f"{side}gender"], *cols, sa.func.sum(t.c.persons))
            .where(moved, t.c[f"{side}gender"].is_not(None))
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
