"""The workforce's one decision below the branch level: the hidden cells of the whole unit x rank group table with
its margins (a unit's total, a branch's rank group, the organisation's rank group), for all personnel categories
and for each one (the all-category figure the margin of its categories), decided once per data version and read
by every view (docs/privacy.md, "One decision on the unit x rank table").

Each view's own pattern is a one-way decision (units along a branch, rank groups along a unit); two of them can
leave a cell alone hidden on a line of the other, which the branch's exact totals then give back. Here every line
of the two-way table holds, its margin counted as a member, no hidden figure or at least two; a view's row is a
figure of the table or a sum of figures along one of its lines, shown only where the shown figures already give it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from di_metrics.config import min_workforce_cell
from di_metrics.queries import privacy, stock_links
from di_metrics.queries.filters import Filters
from di_metrics.vocab import BRANCH, CATEGORY, ORG_UNIT, RANK_GROUP

__all__ = ["MISSING", "TOTAL", "Joint", "decide", "forced_flags", "forced_for", "line_of", "read"]

TOTAL = "\x1e"  # a margin: every value of the axis
MISSING = "\0missing"  # a blank value of a breakdown, a sibling group of its own (workforce.MISSING)
KINDS = ("gender", "headcount", "x", "unknown")
FLAGS = {"gender": "suppressed", "headcount": "headcount_hidden", "x": "x_left_out", "unknown": "unknown_hidden"}
AXES = ("date", CATEGORY, BRANCH, ORG_UNIT, RANK_GROUP)
Key = tuple  # (date, category, branch, unit, rank); category TOTAL: all categories
Counter = Callable[[Connection, Filters, list[str], tuple[str, ...]], pd.DataFrame]
# The lines of the table, per category and for all of them: a unit's rank groups (its total a member), a branch's
# rank group's units (the branch's rank group a member), a branch's units and its rank groups (the branch's exact
# total: a branch's category is shown exactly too), a rank group's branches (the organisation's rank group a
# member) and the organisation's rank groups (its exact total); and every figure's categories (the all-category
# figure a member: blank categories are a category of their own, never shown).
CATEGORIES = "categories of a figure"
CELL_LINES = ("units of a rank group", "ranks of a unit", CATEGORIES)
FAMILIES = {
    "cell": CELL_LINES,
    "unit": ("ranks of a unit", "units of a branch", CATEGORIES),
    "branch rank": ("units of a rank group", "ranks of a branch", "branches of a rank group", CATEGORIES),
    "rank": ("branches of a rank group", "ranks of the organisation", CATEGORIES),
}


@dataclass(frozen=True)
class Joint:
    """The table's flags per figure (gender, headcount, x, unknown), the branches of each unit per date, and for
    each line how many of its figures are hidden (gender, headcount): a sum along a line holds all of them where
    it holds as many (its hidden members are among them), so counts do where sets of keys took more memory."""

    flags: dict[Key, tuple[bool, bool, bool, bool]]
    branch_of: dict[tuple, set[str]]  # (date, unit): branches
    hidden_on: dict[tuple, tuple[int, int]]  # line: (gender-hidden figures, headcount-hidden figures)


LINE_AXES = {  # the axes that name a line of each family
    "units of a rank group": ("date", CATEGORY, BRANCH, RANK_GROUP),
    "ranks of a unit": ("date", CATEGORY, BRANCH, ORG_UNIT),
    "units of a branch": ("date", CATEGORY, BRANCH),
    "ranks of a branch": ("date", CATEGORY, BRANCH),
    "branches of a rank group": ("date", CATEGORY, RANK_GROUP),
    "ranks of the organisation": ("date", CATEGORY),
    CATEGORIES: ("date", BRANCH, ORG_UNIT, RANK_GROUP),
}
POSITION = {axis: i for i, axis in enumerate(AXES)}
THIN = 3  # the fewest persons of a measure a line's hidden figures hold between them (the attacker's interval)


def line_of(family: str, key: Key) -> tuple:
    """The line of a family a figure lies on."""
    return (family, *(key[POSITION[a]] for a in LINE_AXES[family]))


def _table(conn: Connection, count: Counter) -> pd.DataFrame:
    """The four levels of the table (cells, units, a branch's rank groups, the organisation's rank groups), for
    all categories and per category."""
    whole, parts = Filters(), []
    for by in ([], [CATEGORY]):
        total = {} if by else {CATEGORY: TOTAL}
        parts += [
            count(conn, whole, [*by, BRANCH, ORG_UNIT, RANK_GROUP], (*by, RANK_GROUP)).assign(**total, level="cell"),
            count(conn, whole, [*by, BRANCH, ORG_UNIT], (*by, ORG_UNIT)).assign(
                **total, **{RANK_GROUP: TOTAL, "level": "unit"}
            ),
            count(conn, whole, [*by, BRANCH, RANK_GROUP], (*by, RANK_GROUP)).assign(
                **total, **{ORG_UNIT: TOTAL, "level": "branch rank"}
            ),
            count(conn, whole, [*by, RANK_GROUP], (*by, RANK_GROUP)).assign(
                **total, **{BRANCH: TOTAL, ORG_UNIT: TOTAL, "level": "rank"}
            ),
        ]
    table = pd.concat(parts, ignore_index=True)
    for axis in AXES[1:]:
        table[axis] = table[axis].astype(object)  # plain strings: the keys are read one by one below
    for kind in KINDS:
        table[f"hide_{kind}"] = False
    return table


# The one-way rules along each line, margins first (the all-category table, then each category's figures along
# their categories and along the category's own lines): a line's X left out where its margin (not given by the
# exact totals) leaves it out, so a line's X is only taken as shown where it is.
LEVELS = ("rank", "unit", "branch rank", "cell")
ALONG = ((BRANCH, ORG_UNIT, RANK_GROUP), (TOTAL, BRANCH, ORG_UNIT, RANK_GROUP))  # a figure's categories
SEEDS = (
    ("rank", ("date", CATEGORY), None),
    ("unit", ("date", CATEGORY, BRANCH), None),
    ("branch rank", ("date", CATEGORY, BRANCH), None),
    ("branch rank", ("date", CATEGORY, RANK_GROUP), (CATEGORY, TOTAL, TOTAL, RANK_GROUP)),
    ("cell", ("date", CATEGORY, BRANCH, ORG_UNIT), (CATEGORY, BRANCH, ORG_UNIT, TOTAL)),
    ("cell", ("date", CATEGORY, BRANCH, RANK_GROUP), (CATEGORY, BRANCH, TOTAL, RANK_GROUP)),
)


def _seeds() -> list[tuple[str, bool, tuple, tuple | None]]:
    """(level, the all-category table or a category's, the line's axes, its margin), margins first."""
    out = [(level, True, by, margin) for level, by, margin in SEEDS]
    for level in LEVELS:
        out.append((level, False, ("date", *ALONG[0]), ALONG[1]))
        out += [(lv, False, by, margin) for lv, by, margin in SEEDS if lv == level]
    return out


def _seed(table: pd.DataFrame, known: pd.Series) -> None:
    """Flags every figure by the one-way rules (primary, complements, X) along each of its lines, in place. A figure
    the exact totals give is shown whatever its size (a branch's civilians all in one unit: that unit's
    civilians), so it is left out of the seeds: no complement for it, and its X counts as shown."""
    index = pd.MultiIndex.from_frame(table[list(AXES)])
    given = known.to_numpy(dtype=bool)
    whole = table[CATEGORY] == TOTAL
    for level, every, by, margin in _seeds():
        rows = table.index[(table["level"] == level) & (whole == every) & ~known]
        part = table.loc[rows, [*AXES, "women", "men", "other", "unknown", "headcount"]]
        forced = None
        if margin is not None:
            of = {a: TOTAL if m == TOTAL else part[a] for a, m in zip(AXES[1:], margin, strict=True)}
            at = index.get_indexer(pd.MultiIndex.from_frame(part[["date"]].assign(**of)[list(AXES)]))
            hide_x = table["hide_x"].to_numpy(dtype=bool)  # as the seeds before this one left it
            x = (at >= 0) & hide_x[at] & ~given[at]
            forced = {"x": pd.Series(x, index=part.index)}
        shown = privacy.suppress_breakdown(part, by=by, forced=forced)
        for kind, name in FLAGS.items():
            table.loc[rows, f"hide_{kind}"] |= shown[name].to_numpy(dtype=bool)
    table["reportable"] = table["women"] + table["men"] + table["other"].where(~table["hide_x"], 0)


def decide(conn: Connection, count: Counter) -> Joint:
    """The one decision, kept per data version: the one-way rules on every line, then complements along every line
    of the table (margins as members) until none holds exactly one hidden figure."""
    return privacy.decided(conn, ("workforce joint",), lambda: _decide(conn, count))


def _decide(conn: Connection, count: Counter) -> Joint:
    table = _table(conn, count)
    keys = list(zip(*(table[a] for a in AXES), strict=True))
    levels = table["level"].tolist()
    lines, undated = [], []  # per family, a number for each line (none where a figure is on no line of it)
    for family, axes in LINE_AXES.items():
        on = table["level"].isin([lv for lv, fams in FAMILIES.items() if family in fams])
        lines.append(table.groupby(list(axes), sort=False).ngroup().where(on))
        rest = [a for a in axes if a != "date"]
        undated.append(table.groupby(rest, sort=False).ngroup().where(on, -1).to_numpy(dtype=int))
    prev, still, paired = stock_links.steps(conn, table, stock_links.touched(conn, TOTAL, MISSING))
    some, every = stock_links.components(prev, still)
    known = _known(lines, every)
    _seed(table, known)
    k = min_workforce_cell()
    big = (table[["women", "men"]].min(axis=1) >= k) & (table["reportable"] >= k)
    small_x = (table["other"] > 0) & (table["other"] < k)  # its headcount alone hidden, for its few X: not linked
    x_only = (table["hide_headcount"] & big & small_x).to_numpy(dtype=bool)
    changes = (undated, table["date"].to_numpy(), prev, paired, still, x_only)
    flags = _close(table, lines, known, (some, every), changes)
    return _joint(keys, levels, flags)


def _spread(mask: pd.Series, label: np.ndarray) -> pd.Series:
    return mask.groupby(label).transform("any").astype(bool)


def _close(table: pd.DataFrame, lines: list[pd.Series], known: pd.Series, labels: tuple, changes: tuple) -> np.ndarray:
    """Complements along every line until none holds exactly one hidden figure, and a figure hidden on one date
    hidden on the dates it stays the same or its change is given; repeated until both hold."""
    some, every = labels
    order = [table[a].astype(str) for a in AXES]
    rank = np.empty(len(table), dtype=int)
    rank[privacy.canonical(order, len(table))] = np.arange(len(table))
    codes = [line.fillna(-1).to_numpy(dtype=int) for line in lines]

    def close(first: pd.Series, size: pd.Series, masses: list[str]) -> pd.Series:
        values = [table[m].to_numpy(dtype=float) for m in masses]
        while True:
            hidden = privacy.hide_lines(first & ~known, size.astype(float).where(~known, np.inf), lines, order)
            hidden &= ~known
            more = _thin(hidden.to_numpy(dtype=bool), values, codes, known.to_numpy(dtype=bool), size, rank)
            if not more.any():
                return hidden
            first = hidden | more

    first_head, first_gender = table["hide_headcount"], table["hide_gender"]
    for _ in range(len(table)):
        head = close(first_head, table["reportable"], ["reportable"])
        gender = close(first_gender | head, table[["women", "men"]].min(axis=1), ["women", "men"])
        wider_head, wider_gender = _spread(head, every) & ~known, _spread(gender, some) & ~known
        wider_head, wider_gender = _changes(wider_head, wider_gender, changes, known)
        if wider_head.equals(head) and wider_gender.equals(gender):
            break
        first_head, first_gender = wider_head, wider_gender | wider_head
    unknown = close(_spread(table["hide_unknown"], every), table["unknown"], ["unknown"])
    return np.column_stack([gender, head, table["hide_x"], unknown]).astype(bool)


def _changes(head: pd.Series, gender: pd.Series, changes: tuple, known: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A figure hidden on one date hidden on the other where the attacker knows its change (its women's or men's
    for the gender flag, everyone's for the headcount): the shown one would give it (stock_links.given_changes).
    Not for a figure hidden for its X alone: tied, a unit of 1,000 would be hidden on every date for 2 X."""
    undated, dates, prev, paired, still, x_only = changes
    h, g = head.to_numpy(dtype=bool), gender.to_numpy(dtype=bool)
    apart = x_only | np.where(prev >= 0, x_only[np.maximum(prev, 0)], False)
    given_head = stock_links.given_changes(undated, dates, prev, paired, still.all(axis=1), ~h) & ~apart
    given = [stock_links.given_changes(undated, dates, prev, paired, still[:, i], ~g) & ~apart for i in (0, 1)]
    h = stock_links.link(h, prev, given_head) & ~known.to_numpy(dtype=bool)
    g = stock_links.link(g | h, prev, given[0] | given[1]) & ~known.to_numpy(dtype=bool)
    return pd.Series(h, index=head.index), pd.Series(g, index=gender.index)


def _thin(
    hidden: np.ndarray,
    values: list[np.ndarray],
    codes: list[np.ndarray],
    known: np.ndarray,
    size: pd.Series,
    rank: np.ndarray,
) -> np.ndarray:
    """Complements where a line's hidden figures hold fewer than 3 persons of a measure between them (a hidden 1
    beside a hidden 0 lies in 0-1 whatever the pattern): on each such line, its smallest shown figure that holds
    someone of that measure."""
    more = np.zeros(len(hidden), dtype=bool)
    cost = size.to_numpy(dtype=float)
    for code in codes:
        on, width = code >= 0, code.max(initial=-1) + 1
        count = np.bincount(code[on & hidden], minlength=width)
        for value in values:
            mass = np.bincount(code[on & hidden], weights=value[on & hidden], minlength=width)
            thin = (count > 0) & (mass < THIN)
            rows = np.flatnonzero(on & ~hidden & ~known & (value > 0))
            rows = rows[thin[code[rows]]]
            if not len(rows):
                continue
            rows = rows[np.lexsort((rank[rows], cost[rows], code[rows]))]
            first = np.r_[True, code[rows][1:] != code[rows][:-1]]
            more[rows[first]] = True
    return more


def _known(lines: list[pd.Series], every: np.ndarray) -> pd.Series:
    """The figures the exact totals give: alone on a line of a branch or the organisation, or the last one not
    given on any line, or the same figure on a date where it is given. Hiding them would hide nothing, and they
    are no complement."""
    known = pd.Series(False, index=lines[0].index)
    while True:
        before = known.copy()
        for line in lines:
            open_ = line.notna() & ~known
            count = line[open_].map(line[open_].value_counts())
            known |= (count == 1).reindex(known.index, fill_value=False)
        known = _spread(known, every)
        if (known == before).all():
            return known


def _joint(keys: list[Key], levels: list[str], flags: np.ndarray) -> Joint:
    branch_of: dict[tuple, set[str]] = {}
    for (d, c, b, u, _), level in zip(keys, levels, strict=True):
        if level == "unit" and c == TOTAL:
            branch_of.setdefault((d, u), set()).add(b)
    hidden: dict[tuple, list[int]] = {}
    for key, level, (gender, head, *_) in zip(keys, levels, flags.tolist(), strict=True):
        if not (gender or head):
            continue
        for family in FAMILIES[level]:
            counts = hidden.setdefault(line_of(family, key), [0, 0])
            counts[0] += gender
            counts[1] += head
    return Joint(
        dict(zip(keys, map(tuple, flags.tolist()), strict=True)),
        branch_of,
        {line: (g, h) for line, (g, h) in hidden.items()},
    )


def _members(joint: Joint, date: object, sel: dict) -> tuple[list[Key], str] | None:
    """The figures of the table whose sum is a population, and the line family their groups lie on; None where
    the population is not cut below the branch level (a branch's and the organisation's categories are exact)."""
    found = _positions(joint, date, sel)
    if found is None:
        return None
    positions, family = found
    categories = sorted(sel.get(CATEGORY) or [TOTAL])
    if len(categories) > 1:  # a sum of categories: given where the shown figures give each figure's categories
        family = CATEGORIES
    return [(d, c, b, u, r) for c in categories for d, b, u, r in positions], family


def _positions(joint: Joint, date: object, sel: dict) -> tuple[list[tuple], str] | None:
    """The positions (date, branch, unit, rank) of the figures whose sum is a population, and their line family."""
    branches, units, ranks = sel.get(BRANCH), sel.get(ORG_UNIT), sel.get(RANK_GROUP)
    if units:
        placed = [
            (b, u) for u in units for b in sorted(joint.branch_of.get((date, u), ())) if not branches or b in branches
        ]
        if not ranks:
            return [(date, b, u, TOTAL) for b, u in placed], "units of a branch"
        family = "ranks of a unit" if len(placed) == 1 else "units of a rank group"
        return [(date, b, u, r) for b, u in placed for r in ranks], family
    if not ranks:
        return None
    if not branches:
        return [(date, TOTAL, TOTAL, r) for r in ranks], "ranks of the organisation"
    family = "ranks of a branch" if len(branches) == 1 else "branches of a rank group"
    return [(date, b, TOTAL, r) for b in branches for r in ranks], family


def _row_flags(joint: Joint, members: list[Key], family: str) -> tuple[bool, bool, bool, bool]:
    """A sum's flags: a sum holding some but not all of a line's hidden figures is hidden (a hidden margin is one
    of them); X and unknowns are left out where any figure leaves them out."""
    present = [m for m in members if m in joint.flags]
    if not present:
        return (False, False, False, False)
    if len(present) == 1:
        gender, head, x, unknown = joint.flags[present[0]]
        return (gender, head, x or gender, unknown)  # a hidden figure shows no X either: X is left out of it
    groups: dict[tuple, list[Key]] = {}
    for m in present:
        groups.setdefault(line_of(family, m), []).append(m)
    out = [False, False]
    for index in (0, 1):
        for line, part in groups.items():
            hidden = sum(joint.flags[m][index] for m in part)
            if hidden and hidden != joint.hidden_on.get(line, (0, 0))[index]:
                out[index] = True
    x = any(joint.flags[m][2] for m in present)
    unknown = any(joint.flags[m][3] for m in present)
    return (out[0] or out[1], out[1], x or out[0] or out[1], unknown)


def forced_flags(joint: Joint, filters: Filters, dimension: str | None, rows: pd.DataFrame) -> dict | None:
    """Per row of a view (its date, and its value of the dimension), the flags the one decision forces on it; None
    for a population the table does not cut: a target's exempted units. Those are no selection a user makes: a
    target's figures are shown next to its whole, and its exempted part must itself be a reportable group
    (workforce._protect_exempted), a rule on that pair of figures that the table's lines do not hold."""
    selection = filters.as_dict()
    if filters.exempt_units:
        return None
    out = np.zeros((len(rows), len(KINDS)), dtype=bool)
    values = rows[dimension].tolist() if dimension else [None] * len(rows)
    for i, (date, value) in enumerate(zip(rows["date"].tolist(), values, strict=True)):
        sel = {d: set(v) for d, v in selection.items()}
        if dimension:
            sel[dimension] = sel.get(dimension, {value}) & {value}
        found = _members(joint, date, sel)
        if found is None:
            continue
        if not any(m in joint.flags for m in found[0]) and rows["headcount"].iat[i] > 0:
            return None  # persons the table does not hold (a blank branch): the one-way rules protect them
        out[i] = _row_flags(joint, *found)
    return {kind: pd.Series(out[:, j], index=rows.index) for j, kind in enumerate(KINDS)}


def read(
    conn: Connection, count: Counter, filters: Filters, dimension: str | None, rows: pd.DataFrame
) -> pd.DataFrame | None:
    """A view's rows (date, its dimension's value, counts) with the flags of the one decision and the hidden
    values blanked; None for a population the table does not cut, which the one-way rules protect."""
    flags = forced_for(conn, count, filters, dimension, rows)
    if flags is None:
        return None
    out = rows.assign(**{FLAGS[kind]: flags[kind].to_numpy(dtype=bool) for kind in KINDS})
    out["headcount"] = out["women"] + out["men"] + out["other"].where(~out["x_left_out"], 0)
    return privacy.finish(out)


def forced_for(
    conn: Connection, count: Counter, filters: Filters, dimension: str | None, rows: pd.DataFrame
) -> dict | None:
    """The flags the one decision forces on a view's rows (queries/workforce.py reads every view through here)."""
    return forced_flags(decide(conn, count), filters, dimension, rows)
