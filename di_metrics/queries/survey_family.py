"""The surveys' linked family: every branch, personnel category, rank group and gender table decided as one
table of cells (docs/privacy.md, "Survey rules"): line rules with nesting, then the attacker's own linear programs
on the finest cells, hiding a sibling of each narrowed cell. queries/survey_decision.py reads it for each table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa
from scipy import sparse
from sqlalchemy.engine import Connection

from di_metrics.queries import privacy, release_lp, survey_pins
from di_metrics.queries.filters import Filters
from di_metrics.queries.survey_family_counts import ANSWER, WHOLE, atoms, family_counts
from di_metrics.storage.store import survey_respondent
from di_metrics.vocab import BRANCH, CATEGORY, GENDER, GENDER_X, RANK_GROUP, TWO_WAY, group_parts

__all__ = ["family_cell", "family_decision", "in_family"]


def in_family(filters: Filters, by: str | None) -> bool:
    """Whether a table is part of the linked family (its filters single values of branch, category or rank group,
    its breakdowns gender and those)."""
    dims = by.split(TWO_WAY) if by else []
    return all(d in _CUT and len(v) == 1 for d, v in filters.as_dict().items()) and all(
        d in (GENDER, *_CUT) for d in dims
    )


_CUT = (BRANCH, CATEGORY, RANK_GROUP)  # the filters whose single values are cells of the family


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
        level = ("c", values[CATEGORY]) if CATEGORY in values else WHOLE
    return (values.get(GENDER, WHOLE), values.get(BRANCH, WHOLE), level)


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


def _family_lines(cells: pd.Index, nest: dict[str, str] | None) -> list[tuple[tuple, list[tuple]]]:
    """(total, cells) of every line of the family: women, men (and X) of a population; its branches; its
    categories, and a category's rank groups (where they nest, else the rank groups of the whole)."""
    present = set(cells)
    lines: dict[tuple, list[tuple]] = {}
    for cell in cells:
        w, g, b, level = cell
        if g != WHOLE:
            lines.setdefault(((w, WHOLE, b, level), GENDER), []).append(cell)
        if b != WHOLE:
            lines.setdefault(((w, g, WHOLE, level), BRANCH), []).append(cell)
        if level != WHOLE:
            kind, value = level
            up = ("c", nest[value]) if kind == "r" and nest is not None else WHOLE
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
        counts = family_counts(conn, items, _values(conn), wave if answers else None)
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
        residual = _residuals(lines, hidden, size, table, at) if blanks else {}

        def line_rules() -> None:
            changed = True
            while changed:
                changed = _line_pass(lines, hidden, residual, size, table, at, gave)

        line_rules()
        finest = atoms(conn, items, answers)
        finest = finest[finest["wave"] == wave] if answers else finest
        waves = {c[0] for c in counts.index}
        for _ in range(_ROUNDS):  # what the lines miss, the attacker's programs find: hide on until they find none
            before = dict(hidden)
            for cell in _narrowed_cells(counts, hidden, finest, waves):
                _hide_beside(cell, lines, hidden, size)
            line_rules()
            waves = {c[0] for c, h in hidden.items() if h != before[c]}  # a wave's cells tie only to each other
            if not waves:
                break
        return hidden, nest

    return privacy.decided(conn, ("survey", "family", items, k, answers, wave), decide)


def _values(conn: Connection) -> dict[str, list[str]]:
    """The personnel categories and rank groups respondents gave (blank left out)."""
    r = survey_respondent
    return {
        d: sorted(v for v in conn.execute(sa.select(r.c[d]).distinct()).scalars() if v is not None)
        for d in (CATEGORY, RANK_GROUP)
    }


def _residuals(lines: list, hidden: dict, size: dict, table: np.ndarray, at: dict) -> dict:
    """What each line's total holds beyond its cells (blank values, never shown), where it holds anyone: X left
    out of the cells but not of the total is shown there, so it is no residual."""
    residual = {}
    for total, children in lines:
        rest = table[at[total]] - table[[at[c] for c in children]].sum(axis=0)
        rest_n = size[total] - sum(size[c] for c in children)
        x_cell = (total[0], GENDER_X, *total[2:])
        if rest_n > 0 and not (total[1] == WHOLE and size.get(x_cell) == rest_n and not hidden[x_cell]):
            residual[total] = (rest_n, np.maximum(rest, 0))
    return residual


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


def _narrowed_cells(
    counts: pd.DataFrame, hidden: dict[tuple, bool], atoms: pd.DataFrame, waves: set[int]
) -> list[tuple]:
    """The hidden cells the enumerating attacker's linear programs (queries/release_lp.py) hold narrower than 3
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
        mask = everyone if g == WHOLE else of(GENDER, g)
        mask = mask if b == WHOLE else mask & of(BRANCH, b)
        out[i] = mask if level == WHOLE else mask & of(level[0], level[1])
    return out


def _hide_beside(cell: tuple, lines: list[tuple[tuple, list[tuple]]], hidden: dict[tuple, bool], size: dict) -> None:
    """Hide the smallest shown cell beside a narrowed cell (on a line it is one of the cells of)."""
    near = {c for _, children in lines if cell in children for c in children}
    shown = [c for c in near if not hidden[c]]
    if shown:
        hidden[min(shown, key=lambda c: (size[c], str(c)))] = True
