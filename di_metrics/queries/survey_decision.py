"""The survey tables' hidden rows, decided once per data version (docs/privacy.md, "Survey rules"): the sibling rules
on the respondents, the consistency rule against every ancestor, a two-way table's margins, the pins of a %
favourable (queries/survey_pins.py) and the same-respondents rule (queries/survey_same.py).

A % favourable that pins a small count hides its n too: shown apart (the n decided on the respondents alone), the
gate fixture's S3 men (30) followed from S3's 44 minus the whole's 14 respondents who are not men (69 minus 55).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import sqlalchemy as sa
from scipy import sparse
from sqlalchemy.engine import Connection

from di_metrics.analysis import release_lp
from di_metrics.queries import privacy, survey_pins, survey_same, survey_x
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import hidden_groups
from di_metrics.queries.survey_counts import ALL, item_counts, load_codebook, respondents_answering
from di_metrics.storage.store import survey_answer, survey_respondent
from di_metrics.vocab import BRANCH, CATEGORY, GENDER, GENDER_X, GROUP_SEPARATOR, RANK_GROUP, TWO_WAY, group_parts

__all__ = [
    "family_cell",
    "family_decision",
    "family_distribution_rows",
    "in_family",
    "inconsistent_rows",
    "survey_table_counts",
    "table_decision",
]


def inconsistent_rows(
    conn: Connection,
    filters: Filters,
    by: str | None,
    k: int,
    parent_counts: Callable[[Filters, str], pd.DataFrame],
    key: tuple,
    parent_decision: Callable[[Filters, str], dict[tuple, set[str]] | None] | None = None,
) -> Callable[[pd.DataFrame], np.ndarray]:
    """Which rows (line, group) of a filtered table would give a hidden group away: for each filter, the table
    without it, by the filter's dimension (and by it beside each breakdown dimension), decides its hidden cells
    once; a row whose selection holds some but not all hidden cells of its line there is hidden. So a branch
    filter minus the whole is never a hidden group. `parent_decision`: the parent table's hidden cells where
    they are decided elsewhere (the survey tables' linked family), else None."""
    bad_lines, bad_parts = set(), set()
    dims = by.split(TWO_WAY) if by else []
    for dim, parent_filters in privacy.parents(filters):
        chosen = set(filters.as_dict()[dim])
        for part, table_by in [(None, dim)] + [(i, f"{d}{TWO_WAY}{dim}") for i, d in enumerate(dims) if d != dim]:
            table = privacy.decided(
                conn,
                (*key, parent_filters, table_by),
                lambda f=parent_filters, b=table_by: _parent(f, b, k, parent_counts, parent_decision),
            )
            for (line, group), hidden in table.items():
                if privacy.consistent(chosen, hidden):
                    continue
                if part is None:
                    bad_lines.add(line)
                else:
                    bad_parts.add((line, part, group))

    def rows(frame: pd.DataFrame) -> np.ndarray:
        parts = [group_parts(g) for g in frame["group"]]
        return np.array(
            [
                line in bad_lines or any((line, i, p) in bad_parts for i, p in enumerate(ps))
                for line, ps in zip(frame["wave"], parts, strict=True)
            ],
            dtype=bool,
        )

    return rows


def _parent(
    parent: Filters,
    by: str,
    k: int,
    parent_counts: Callable[[Filters, str], pd.DataFrame],
    decision: Callable[[Filters, str], dict[tuple, set[str]] | None] | None,
) -> dict[tuple, set[str]]:
    found = decision(parent, by) if decision is not None else None
    return _decide(parent, by, k, parent_counts) if found is None else found


def _decide(
    parent: Filters, by: str, k: int, parent_counts: Callable[[Filters, str], pd.DataFrame]
) -> dict[tuple, set[str]]:
    """The hidden cells of one parent table, as {(line, first part or None): hidden values of the filter's
    dimension}."""
    table = parent_counts(parent, by).reset_index(drop=True)
    if TWO_WAY in by:  # each value of the breakdown beside the filter's dimension: a margin shown elsewhere
        margin = parent_counts(parent, by.split(TWO_WAY)[0]).reset_index(drop=True)
        hidden = margin[hidden_groups(margin, k, siblings=True).to_numpy(dtype=bool)]
        margins = frozenset((w, 0, str(g)) for w, g in zip(hidden["wave"], hidden["group"], strict=True))
        table = survey_pins.under_hidden_margins(table, margins, k)
    table = table[hidden_groups(table, k, siblings=True)]
    out: dict[tuple, set[str]] = {}
    for line, group in zip(table["wave"], table["group"], strict=True):
        ps = group_parts(group)
        head, value = (None, ps[0]) if len(ps) == 1 else (ps[0], ps[1])
        out.setdefault((line, head), set()).add(value)
    return out


def survey_table_counts(conn: Connection, filters: Filters, by: str, items: list[str]) -> pd.DataFrame:
    """Respondents per wave and group, for the privacy rules only: 0 where the group's % favourable would pin a
    small count (queries/survey_pins.py), so the rules hide it as they hide a small group."""
    per_item = item_counts(conn, filters, by, items)
    frame = respondents_answering(conn, filters, by, items) if len(items) > 1 else per_item
    frame = frame[["wave", "group", "n"]]
    if frame.empty:
        return frame
    pinned = survey_pins.favourable_pinned(per_item).set_index(["wave", "group"])["pinned"]
    pins = pinned.reindex(pd.MultiIndex.from_frame(frame[["wave", "group"]]), fill_value=True).to_numpy(dtype=bool)
    return frame.assign(n=frame["n"].where(~pins, 0))


def table_decision(
    conn: Connection,
    filters: Filters,
    by: str | None,
    k: int,
    items: tuple[str, ...],
    own: bool = False,
) -> dict[tuple[int, str], bool]:
    """Which rows (wave, group) of a table are hidden, decided once per data version: the sibling rules on the
    respondents (a pinning % favourable counting as none), after the
    rows fixed elsewhere: those the consistency rule hides against an ancestor, those a two-way table's margins
    require (survey_pins.under_hidden_margins), and a row that holds exactly the respondents of a simpler view,
    which takes that view's decision (queries/survey_same.py; `own`: not that step, for the simpler view itself).
    The complements are chosen last, among the rows not fixed, so no fixed row leaves a line one hidden cell."""

    def decide() -> dict[tuple[int, str], bool]:
        counts = survey_table_counts(conn, filters, by, list(items)).reset_index(drop=True)
        if counts.empty:
            return {}
        if in_family(filters, by):  # decided with the whole linked family (family_decision)
            return _family_rows(conn, filters, by, k, items, counts)
        if by is not None and TWO_WAY in by:  # the table by each part alone is its margin (survey_pins)
            margins = frozenset(
                (w, i, g)
                for i, part in enumerate(by.split(TWO_WAY))
                for (w, g), h in table_decision(conn, filters, part, k, items).items()
                if h
            )
            counts = survey_pins.under_hidden_margins(counts, margins, k)
        parent = lambda f, b: survey_table_counts(conn, f, b, list(items))  # noqa: E731
        family = lambda f, b: _family_parent(conn, f, b, k, items)  # noqa: E731
        forced = inconsistent_rows(conn, filters, by, k, parent, ("survey", items), family)(counts)
        views = [None] * len(counts) if own else survey_same.canonical_views(conn, filters, by, counts)
        fixed = [
            None if v is None else table_decision(conn, v[0], v[1], k, items, own=True).get((int(w), v[2]), True)
            for w, v in zip(counts["wave"], views, strict=True)
        ]
        hidden = hidden_groups(_fixed(counts, forced, fixed), k, siblings=by is not None).to_numpy(dtype=bool)
        hidden = np.array([h if f is None else f for h, f in zip(hidden, fixed, strict=True)], dtype=bool)
        return {(int(w), str(g)): bool(h) for w, g, h in zip(counts["wave"], counts["group"], hidden, strict=True)}

    return privacy.decided(conn, ("survey", "table", filters, by, k, items, own), decide)


def in_family(filters: Filters, by: str | None) -> bool:
    """Whether a table is part of the linked family (its filters single values of branch, category or rank group,
    its breakdowns gender and those)."""
    dims = by.split(TWO_WAY) if by else []
    return all(d in _CUT and len(v) == 1 for d, v in filters.as_dict().items()) and all(
        d in (GENDER, *_CUT) for d in dims
    )


def _family_rows(
    conn: Connection, filters: Filters, by: str | None, k: int, items: tuple[str, ...], counts: pd.DataFrame
) -> dict[tuple[int, str], bool]:
    """A family table's rows as the family decided them (a row it does not hold: hidden, the safe side)."""
    hidden, nest = family_decision(conn, items, k)
    out = {}
    for w, g in zip(counts["wave"], counts["group"], strict=True):
        cell = family_cell(filters, by, str(g), nest)
        out[(int(w), str(g))] = True if cell is None else hidden.get((int(w), *cell), True)
    return out


def family_distribution_rows(
    conn: Connection, filters: Filters, by: str | None, k: int, frame: pd.DataFrame, wave: int
) -> np.ndarray:
    """Which rows (item, group, answer) of a family table's answer distribution are hidden: each item's family
    (its cells decided with the item's table, whose n and % favourable its answers sum to)."""
    out = []
    decided = {str(i): family_decision(conn, (str(i),), k, answers=True, wave=wave) for i in set(frame["item"])}
    for item, g in zip(frame["item"], frame["group"], strict=True):
        hidden, nest = decided[str(item)]
        cell = family_cell(filters, by, str(g), nest)
        out.append(True if cell is None else hidden.get((int(wave), *cell), True))
    return np.array(out, dtype=bool)


def _family_parent(
    conn: Connection, parent: Filters, by: str, k: int, items: tuple[str, ...]
) -> dict[tuple, set[str]] | None:
    """A consistency rule's parent table as the family decided it (None where it is no family table), in the
    form of _decide."""
    if not in_family(parent, by):
        return None
    rows = table_decision(conn, parent, by, k, items)
    out: dict[tuple, set[str]] = {}
    for (line, group), h in rows.items():
        ps = group_parts(group)
        head, value = (None, ps[0]) if len(ps) == 1 else (ps[0], ps[1])
        out.setdefault((line, head), set())
        if h:
            out[(line, head)].add(value)
    return {key: v for key, v in out.items() if v}


def _fixed(counts: pd.DataFrame, forced: np.ndarray, fixed: list[bool | None]) -> pd.DataFrame:
    """The counts the sibling rules read: a row hidden by an ancestor or by its simpler view counts as none (a
    primary), a row its simpler view shows as more than anyone (the last choice of complement: hiding it here
    would hide nothing, the same figure is shown there)."""
    n = counts["n"].to_numpy(dtype=float).copy()
    n[forced | np.array([f is True for f in fixed], dtype=bool)] = 0
    n[np.array([f is False for f in fixed], dtype=bool)] = 1e9
    return counts.assign(n=n)


# --- the linked family: gender x branch x personnel category / rank group, decided as one table ----------------

_ALL = "*"  # a dimension not cut: the cell is the line's total
_CUT = (BRANCH, CATEGORY, RANK_GROUP)  # the filters whose single values are cells of the family
ANSWER = "answer/"  # a family count of respondents giving one answer (one item's family)


def family_cell(filters: Filters, by: str | None, group: str, nest: dict[str, str] | None) -> tuple | None:
    """The family cell (gender, branch, level) a table's row stands for, the level being the whole, a category
    ("c", value) or a rank group ("r", value); None where the table is not part of the family (a unit, two
    values of one filter)."""
    chosen = filters.as_dict()
    if any(d not in _CUT or len(v) != 1 for d, v in chosen.items()):
        return None
    dims = by.split(TWO_WAY) if by else []
    if any(d not in (GENDER, *_CUT) for d in dims):
        return None
    values = {d: v[0] for d, v in chosen.items()}
    for d, v in zip(dims, group_parts(group) if dims else [], strict=True):
        if values.setdefault(d, v) != v:
            return None
    if RANK_GROUP in values:
        if CATEGORY in values and (nest or {}).get(values[RANK_GROUP]) != values[CATEGORY]:
            return None
        level: tuple | str = ("r", values[RANK_GROUP])
    else:
        level = ("c", values[CATEGORY]) if CATEGORY in values else _ALL
    return (values.get(GENDER, _ALL), values.get(BRANCH, _ALL), level)


def _nesting(conn: Connection) -> dict[str, str] | None:
    """Each rank group's personnel category, where every rank group lies in exactly one (None where not)."""
    r = survey_respondent
    pairs = conn.execute(sa.select(r.c.rank_group, r.c.personnel_category).distinct()).all()
    nest: dict[str, str] = {}
    for rank, category in pairs:
        if rank is None:
            continue  # a blank rank group: the category's line holds them beyond its rank groups
        if category is None or nest.setdefault(rank, category) != category:
            return None
    return nest


def _family_counts(
    conn: Connection, items: tuple[str, ...], values: dict[str, list[str]], wave: int | None
) -> pd.DataFrame:
    """Every cell of the family with its respondents and, per item, its favourable and other respondents, as the
    tables the release shows count them (so X is left out where they leave it out: queries/survey_x.py); with
    `wave`, that wave's cells with one more count per answer of the (one) item, as its answer distributions count
    them. Summed from the finest cells (`_atom_counts`), not read table by table."""
    levels: list[tuple[Filters, object]] = [(Filters(), _ALL)]
    levels += [(Filters.of({CATEGORY: [v]}), ("c", v)) for v in values[CATEGORY]]
    levels += [(Filters.of({RANK_GROUP: [v]}), ("r", v)) for v in values[RANK_GROUP]]
    atoms, answers = _atom_counts(conn, items)
    key = ("survey", "family counts", items)
    table = privacy.decided(conn, key, lambda: _cells(conn, atoms, levels, _table_x(items)))
    if wave is None:
        return table
    mine = table[[c[0] == wave for c in table.index]]
    item = items[0]
    scale = load_codebook(conn).items.loc[item]
    given = answers[(answers["wave"] == wave) & (answers["item"] == item)]
    if given.empty:
        return mine
    scale_values = range(int(scale["scale_min"]), int(scale["scale_max"]) + 1)
    names = sorted({*scale_values, *(int(a) for a in given["answer"])})
    per = given.pivot_table(index=_KEYS, columns="answer", values="n", aggfunc="sum", fill_value=0)
    per = per.reindex(columns=names, fill_value=0)
    per.columns = [f"{ANSWER}{int(v)}" for v in per.columns]
    per = per.reset_index()
    sides = _cells(conn, per, levels, ((item,), True), columns=list(per.columns[len(_KEYS) :]))
    return mine.join(sides, how="left").fillna(0)


_KEYS = ["wave", GENDER, BRANCH, CATEGORY, RANK_GROUP]  # a finest cell (blank values as privacy.MISSING)
_BYS = (None, GENDER, BRANCH, f"{GENDER}{TWO_WAY}{BRANCH}")  # the family's breakdowns, in the tables' order


def _table_x(items: tuple[str, ...]) -> tuple[tuple[str, ...], bool | str]:
    """The items and pins a table of the items reads the X rule with (item_counts, respondents_answering)."""
    return tuple(sorted(items)), (survey_x.FAVOURABLE if len(items) == 1 else False)


def _atom_counts(conn: Connection, items: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The finest cells (wave, gender, branch, category, rank group; a blank value as privacy.MISSING): their
    respondents who answered at least one of the items (`respondents`), and per item and answer the answers given.
    Two queries per item set and data version."""

    def read() -> tuple[pd.DataFrame, pd.DataFrame]:
        r, a = survey_respondent, survey_answer
        dims = [r.c[d] for d in _KEYS[1:]]
        join = a.join(r, sa.and_(a.c.wave == r.c.wave, a.c.respondent_id == r.c.respondent_id))
        query = (
            sa.select(r.c.wave, *dims, a.c.item, a.c.answer, sa.func.count())
            .select_from(join)
            .where(a.c.item.in_(items))
            .group_by(r.c.wave, *dims, a.c.item, a.c.answer)
        )
        answers = pd.DataFrame([tuple(x) for x in conn.execute(query).all()], columns=[*_KEYS, "item", "answer", "n"])
        answered = sa.select(a.c.wave, a.c.respondent_id).where(a.c.item.in_(items)).distinct().subquery("answered")
        query = (
            sa.select(r.c.wave, *dims, sa.func.count())
            .select_from(
                answered.join(r, sa.and_(answered.c.wave == r.c.wave, answered.c.respondent_id == r.c.respondent_id))
            )
            .group_by(r.c.wave, *dims)
        )
        people = pd.DataFrame([tuple(x) for x in conn.execute(query).all()], columns=[*_KEYS, "respondents"])
        for frame in (answers, people):
            frame[_KEYS[1:]] = frame[_KEYS[1:]].astype(object).where(frame[_KEYS[1:]].notna(), privacy.MISSING)
            frame["wave"] = frame["wave"].astype(int)
        answers["answer"] = answers["answer"].astype(int)
        scales = load_codebook(conn).items.loc[list(items)]
        low, high = scales["scale_min"].reindex(answers["item"]), scales["scale_max"].reindex(answers["item"])
        least, reverse = scales["favourable_min"].reindex(answers["item"]), scales["reverse"].reindex(answers["item"])
        value = answers["answer"].astype(float).to_numpy()
        mirrored = (low + high - least).to_numpy(dtype=float)
        fav = np.where(reverse.to_numpy(dtype=bool), value <= mirrored, value >= least.to_numpy(dtype=float))
        per_item = answers.assign(nfav=np.where(fav, answers["n"], 0), no=np.where(fav, 0, answers["n"]))
        sides = per_item.pivot_table(index=_KEYS, columns="item", values=["nfav", "no"], aggfunc="sum", fill_value=0)
        sides.columns = [f"{x}/{i}" for x, i in sides.columns]
        counts = people.set_index(_KEYS).join(sides, how="left").fillna(0)
        counted = answers.groupby(_KEYS)["n"].sum() if len(items) == 1 else counts["respondents"]
        return counts.assign(n=counted.reindex(counts.index).fillna(0)).reset_index(), answers

    return privacy.decided(conn, ("survey", "family atoms", items), read)


def _cells(
    conn: Connection,
    atoms: pd.DataFrame,
    levels: list[tuple[Filters, object]],
    x_rule: tuple[tuple[str, ...], bool | str],
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """Each family table's rows summed from the finest cells, in the tables' order (level, breakdown, wave, group):
    a row's X counts only where its population keeps X (survey_x.fold_x, with `x_rule`'s items and pins)."""
    columns = columns or ["n", *[c for c in atoms.columns if c.startswith(("nfav/", "no/"))]]
    rule, x_waves = survey_x.left_out_rule(conn), set(survey_x.waves_with_x(conn))
    wave = atoms["wave"].to_numpy(dtype=int)
    is_x = (atoms[GENDER] == GENDER_X).to_numpy()
    data = atoms[columns].to_numpy(dtype=float)
    genders, gender = np.unique(atoms[GENDER].to_numpy(dtype=str), return_inverse=True)
    branches, branch = np.unique(atoms[BRANCH].to_numpy(dtype=str), return_inverse=True)
    waves, at_wave = np.unique(wave, return_inverse=True)
    rows, names = [], []
    for f, level in levels:
        dim, chosen = (None, None) if level == _ALL else (RANK_GROUP if level[0] == "r" else CATEGORY, level[1])
        inside = np.ones(len(atoms), dtype=bool) if dim is None else (atoms[dim] == chosen).to_numpy()
        for by in _BYS:
            parts = by.split(TWO_WAY) if by else []
            g = gender if GENDER in parts else np.full(len(atoms), -1)
            b = branch if BRANCH in parts else np.full(len(atoms), -1)
            keep = inside.copy()
            for w, bb in {(int(w), int(bb)) for w, bb in zip(wave[inside & is_x], b[inside & is_x], strict=True)}:
                value = _ALL if bb < 0 else str(branches[bb])
                population = f if value in (_ALL, privacy.MISSING) else Filters.of({**f.as_dict(), BRANCH: [value]})
                if w not in x_waves or w in rule(population, *x_rule):
                    keep &= ~(is_x & (wave == w) & (b == bb))
            if not keep.any():
                continue
            key = (at_wave[keep] * (len(genders) + 1) + g[keep] + 1) * (len(branches) + 1) + b[keep] + 1
            found, group = np.unique(key, return_inverse=True)
            sums = np.zeros((len(found), len(columns)))
            np.add.at(sums, group, data[keep])
            cells = []
            for i, k in enumerate(found.tolist()):
                rest, bb = divmod(k, len(branches) + 1)
                w, gg = divmod(rest, len(genders) + 1)
                gv = _ALL if gg == 0 else str(genders[gg - 1])
                bv = _ALL if bb == 0 else str(branches[bb - 1])
                cells.append((int(waves[w]), _label(parts, gv, bv), gv, bv, i))
            for w, _, gv, bv, i in sorted(cells):
                rows.append(sums[i])
                names.append((w, gv, bv, level))
    return pd.DataFrame(rows, index=pd.Index(names, tupleize_cols=False), columns=columns)


def _label(parts: list[str], gender: str, branch: str) -> str:
    """A row's group label as the tables write it (their order is by it)."""
    named = {GENDER: gender, BRANCH: branch}
    return GROUP_SEPARATOR.join(named[p] for p in parts) if parts else ALL


def _family_lines(cells: pd.Index, nest: dict[str, str] | None) -> list[tuple[tuple, list[tuple]]]:
    """(total, cells) of every line of the family: women, men (and X) of a population; its branches; its
    categories, and a category's rank groups (where they nest, else the rank groups of the whole)."""
    present = set(cells)
    lines: dict[tuple, list[tuple]] = {}
    for cell in cells:
        w, g, b, level = cell
        if g != _ALL:
            lines.setdefault(((w, _ALL, b, level), GENDER), []).append(cell)
        if b != _ALL:
            lines.setdefault(((w, g, _ALL, level), BRANCH), []).append(cell)
        if level != _ALL:
            kind, value = level
            up = ("c", nest[value]) if kind == "r" and nest is not None else _ALL
            lines.setdefault(((w, g, b, up), kind), []).append(cell)
    return [(total, children) for (total, _), children in lines.items() if total in present]


def family_decision(
    conn: Connection, items: tuple[str, ...], k: int, answers: bool = False, wave: int | None = None
) -> tuple[dict[tuple, bool], dict | None]:
    """The hidden cells of the whole family, decided once: a cell under k or whose % favourable pins a small count
    is hidden; then, until none is left, a line (a total and the cells it sums) with exactly one hidden cell, or
    whose hidden cells together hold fewer than 3 respondents, favourable or not favourable answers on some item
    (its shown total minus its shown cells), hides its smallest shown cell. So no view of the family is another's
    complement: a category's branch is the sum of its rank groups' and the whole's branch minus the other
    category's, and these are one line each here. What the lines miss (a chain of lines), the attacker's linear
    programs find: each cell they hold narrower than 3 hides its smallest shown sibling, until they find none.
    `answers`: one item's answer distributions, which hide what its table hides and where an answer was given
    fewer than 3 times (survey_pins)."""

    def decide() -> tuple[dict[tuple, bool], dict | None]:
        nest = _nesting(conn)
        r = survey_respondent
        values = {
            d: sorted(v for v in conn.execute(sa.select(r.c[d]).distinct()).scalars() if v is not None)
            for d in (CATEGORY, RANK_GROUP)
        }
        counts = _family_counts(conn, items, values, wave if answers else None)
        if counts.empty:
            return {}, nest
        sides = [c for c in counts.columns if c != "n"]
        lines = _family_lines(counts.index, nest)
        blanks = privacy.missing_as_sibling()  # blank values take part: a cell of them is never shown
        small = privacy.primary(counts["n"], k).to_numpy(dtype=bool)
        hidden = {
            cell: bool(h) or (blanks and privacy.MISSING in str(cell))
            for cell, h in zip(counts.index, small, strict=True)
        }
        pinned = (counts[sides].to_numpy(dtype=float) < survey_pins.ANSWER_MIN).any(axis=1)
        for cell, pins in zip(counts.index, pinned, strict=True):
            hidden[cell] |= bool(pins)
        if answers:  # the item's table decides first: a distribution hides what its table hides
            table_hidden = family_decision(conn, items, k)[0]
            hidden = {cell: h or table_hidden.get(cell, True) for cell, h in hidden.items()}
        size = counts["n"].to_dict()
        table = counts[sides].to_numpy(dtype=float)
        at = {cell: i for i, cell in enumerate(counts.index)}
        # a favourable count of 0 is a figure hidden cells hold (their % favourable); an answer nobody gave, none
        gave = np.array([not c.startswith(ANSWER) for c in sides], dtype=bool)
        residual = {}
        for total, children in lines:  # what the line's total holds beyond its cells: blank values, never shown
            rest = table[at[total]] - table[[at[c] for c in children]].sum(axis=0)
            rest_n = size[total] - sum(size[c] for c in children)
            x_cell = (total[0], GENDER_X, *total[2:])  # X left out of the cells, not of the total: shown there
            if blanks and rest_n > 0 and not (total[1] == _ALL and size.get(x_cell) == rest_n and not hidden[x_cell]):
                residual[total] = (rest_n, np.maximum(rest, 0))

        def line_rules() -> None:
            changed = True
            while changed:
                changed = _line_pass(lines, hidden, residual, size, table, at, gave)

        line_rules()
        atoms = _atoms(conn, items, answers)
        atoms = atoms[atoms["wave"] == wave] if answers else atoms
        waves = {c[0] for c in counts.index}
        for _ in range(_ROUNDS):  # what the lines miss, the attacker's programs find: hide on until they find none
            before = dict(hidden)
            for cell in _narrowed_cells(counts, hidden, atoms, waves):
                _hide_beside(cell, lines, hidden, size)
            line_rules()
            waves = {c[0] for c, h in hidden.items() if h != before[c]}  # a wave's cells tie only to each other
            if not waves:
                break
        return hidden, nest

    return privacy.decided(conn, ("survey", "family", items, k, answers, wave), decide)


def _line_pass(lines, hidden, residual, size, table, at, gave) -> bool:  # noqa: ANN001
    """One pass of the line rules over the family; whether it hid anything."""
    changed = False
    for total, children in lines:
        held = [c for c in children if hidden[c]]
        extra = residual.get(total)
        count = len(held) + hidden[total] + (extra is not None)
        if count == 0:
            continue
        need = count == 1
        if not need and not hidden[total]:
            n_in = sum(size[c] for c in held) + (extra[0] if extra else 0)
            side = table[[at[c] for c in held]].sum(axis=0) + (extra[1] if extra else 0)
            small = (side < survey_pins.ANSWER_MIN) & (gave | (side > 0))
            need = n_in < survey_pins.ANSWER_MIN or bool(small.any())
        if not need:
            continue
        shown = [c for c in children if not hidden[c]] or ([] if hidden[total] else [total])
        if shown:
            hidden[min(shown, key=lambda c: (size[c], str(c)))] = True
            changed = True
    return changed


_ROUNDS = 200  # each round hides at least one more cell: the family holds fewer


def _atoms(conn: Connection, items: tuple[str, ...], answers: bool) -> pd.DataFrame:
    """The finest cells the attacker solves for: respondents per wave, gender, branch, category and rank group
    (blank values as cells of their own, X as it is, before any is left out), with the family's counts."""
    counts, given = _atom_counts(conn, items)
    out = counts.drop(columns=["n"]).rename(columns={"respondents": "n"})
    if answers:
        per = given.pivot_table(index=_KEYS, columns="answer", values="n", aggfunc="sum", fill_value=0)
        per.columns = [f"{ANSWER}{int(v)}" for v in per.columns]
        out = out.set_index(_KEYS).join(per, how="left").fillna(0).reset_index()
    return out


def _narrowed_cells(
    counts: pd.DataFrame, hidden: dict[tuple, bool], atoms: pd.DataFrame, waves: set[int]
) -> list[tuple]:
    """The hidden cells the enumerating attacker's linear programs (analysis/release_lp.py) hold narrower than 3
    from the family's shown cells, each count of a wave on its own. A cell counts the X of its finest cells where
    its figure does (they are left out of some populations' figures: queries/survey_x.py)."""
    out: set[tuple] = set()
    cells = list(counts.index)
    wave_of = np.array([c[0] for c in cells])
    for wave in sorted(waves):
        at = np.flatnonzero(wave_of == wave)
        mine = [cells[i] for i in at]
        units = atoms[atoms["wave"] == wave].reset_index(drop=True)
        if units.empty or not any(hidden[c] for c in mine):
            continue
        inside = _inside(mine, units)
        x = (units[GENDER] == GENDER_X).to_numpy()
        is_hidden = np.array([hidden[c] for c in mine], dtype=bool)
        shown = np.flatnonzero(~is_hidden)
        width = survey_pins.ANSWER_MIN - 1e-6
        for col in counts.columns:
            if col not in units:
                continue
            truth = units[col].to_numpy(dtype=float)
            value = counts[col].to_numpy(dtype=float)[at]
            with_x, without = inside @ truth, (inside & ~x) @ truth
            member = np.where((np.abs(with_x - value) < 0.5)[:, None], inside, inside & ~x).astype(float)
            if not np.all((np.abs(with_x - value) < 0.5) | (np.abs(without - value) < 0.5)):
                continue  # not one sum of finest cells (cannot happen: the figures are such sums)
            secret = np.flatnonzero(is_hidden & ~(col.startswith(ANSWER) & (value == 0)))
            matrix = sparse.csr_matrix(member)
            names = secret.tolist()
            found = release_lp.stacked_intervals(
                matrix[shown], value[shown], names, matrix[secret], (dict.fromkeys(names, width), truth)
            )
            out |= {mine[j] for j, (lo, hi) in found.items() if hi - lo < width}
    return sorted(out, key=str)


def _inside(cells: list[tuple], units: pd.DataFrame) -> np.ndarray:
    """Which finest cells each family cell holds (cells x finest cells)."""
    columns = {
        GENDER: units[GENDER].to_numpy(),
        BRANCH: units[BRANCH].to_numpy(),
        "c": units[CATEGORY].to_numpy(),
        "r": units[RANK_GROUP].to_numpy(),
    }
    masks: dict[tuple, np.ndarray] = {}

    def of(dim: str, value: str) -> np.ndarray:
        if (dim, value) not in masks:
            masks[dim, value] = columns[dim] == value
        return masks[dim, value]

    everyone = np.ones(len(units), dtype=bool)
    out = np.empty((len(cells), len(units)), dtype=bool)
    for i, (_, g, b, level) in enumerate(cells):
        mask = everyone if g == _ALL else of(GENDER, g)
        mask = mask if b == _ALL else mask & of(BRANCH, b)
        out[i] = mask if level == _ALL else mask & of(level[0], level[1])
    return out


def _hide_beside(cell: tuple, lines: list[tuple[tuple, list[tuple]]], hidden: dict[tuple, bool], size: dict) -> None:
    """Hide the smallest shown cell beside a narrowed cell (on a line it is one of the cells of)."""
    near = {c for _, children in lines if cell in children for c in children}
    shown = [c for c in near if not hidden[c]]
    if shown:
        hidden[min(shown, key=lambda c: (size[c], str(c)))] = True
