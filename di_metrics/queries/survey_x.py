"""Which survey figures leave respondents of gender X out: one decision per population and wave, read by every
survey figure (tables, totals, rest-of-population markers, answer distributions).

X is a group of its own wherever it is at least the minimum. A population leaves its X out of all its figures
when its X would be a hidden row: fewer than k X respondents, or it holds an X group that its parent's pattern
leaves out (`privacy.leave_out_x` over the values of each filtered dimension, against every ancestor population).
X left out is not a hidden cell: women and men are never hidden to protect it, and no shown line ties X to them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_survey_cell
from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.survey_pins import ANSWER_MIN
from di_metrics.storage.store import survey_answer, survey_item, survey_respondent
from di_metrics.vocab import DIMENSIONS, GENDER, GENDER_X, ORG_UNIT, TWO_WAY, group_parts

__all__ = [
    "ALL",
    "FAVOURABLE",
    "IS_X",
    "fold_x",
    "is_x",
    "left_out_rule",
    "left_out_waves",
    "row_flags",
    "waves_with_x",
]

IS_X = "is_x"
FAVOURABLE = "favourable"  # one item's table: X left out where its row would be pinned (survey_pins.favourable_pinned)
ALL = "all"  # the group of a table without breakdown (re-exported by survey_counts, which imports this module)


def is_x(r: sa.Table) -> sa.ColumnElement[int]:
    """1 for a respondent of gender X, else 0: the counts are split by it, then folded (`fold_x`). Written with
    literal constants, so the GROUP BY repeats the selected expression exactly (PostgreSQL compares them)."""
    one, zero = sa.literal_column("1"), sa.literal_column("0")
    return sa.case((r.c.gender == sa.literal_column(f"'{GENDER_X}'"), one), else_=zero)


def waves_with_x(conn: Connection) -> list[int]:
    """The waves whose respondents of gender X are at least the survey minimum: there X is a group of its own.
    Decided once per data version, for every survey figure alike."""
    r = survey_respondent

    def decide() -> list[int]:
        query = (
            sa.select(r.c.wave)
            .where(r.c.gender == GENDER_X)
            .group_by(r.c.wave)
            .having(sa.func.count() >= min_survey_cell())
        )
        return sorted(int(w) for (w,) in conn.execute(query).all())

    return privacy.decided(conn, ("survey", "x_waves"), decide)


class _XPeople:
    """Every answer of a respondent of gender X (wave, respondent, their dimensions, item, answer), the items'
    scales and the X rule's decisions made so far: the X rule reads only these few dozen people, so each
    population's X is counted in memory, not by a query per population. One per data version (`_x_people`)."""

    def __init__(self, rows: list[tuple], scales: dict[str, tuple]) -> None:
        self.rows, self.scales = rows, scales
        self.memo: dict[tuple, object] = {}

    def inside(self, population: Filters) -> list[tuple]:
        """The rows inside a population, as Filters.predicate selects them (a blank value of a filtered dimension
        is outside; a blank unit is not an exempt one)."""
        key = ("inside", population)
        if key not in self.memo:
            at = {d: 2 + i for i, d in enumerate(DIMENSIONS)}
            checks = [(at[d], set(v)) for d, v in population.values]
            exempt, unit = set(population.exempt_units), at[ORG_UNIT]
            self.memo[key] = [
                row
                for row in self.rows
                if all(row[i] in v for i, v in checks) and (row[unit] is None or row[unit] not in exempt)
            ]
        return self.memo[key]  # type: ignore[return-value]

    @staticmethod
    def value(row: tuple, dim: str | None) -> str:
        """A row's value of `dim` (all: one value; a blank one as privacy.MISSING)."""
        if dim is None:
            return ALL
        found = row[2 + DIMENSIONS.index(dim)]
        return privacy.MISSING if found is None else found


def _x_people(conn: Connection) -> _XPeople:
    """The X rule's people (_XPeople), read once per data version."""
    r, a, i = survey_respondent, survey_answer, survey_item

    def read() -> _XPeople:
        query = (
            sa.select(r.c.wave, r.c.respondent_id, *[r.c[d] for d in DIMENSIONS], a.c.item, a.c.answer)
            .select_from(a.join(r, sa.and_(a.c.wave == r.c.wave, a.c.respondent_id == r.c.respondent_id)))
            .where(r.c.gender == GENDER_X)
        )
        rows = [(int(x[0]), *x[1:]) for x in conn.execute(query).all()]
        scales = conn.execute(sa.select(i.c.item, i.c.scale_min, i.c.scale_max, i.c.favourable_min, i.c.reverse))
        return _XPeople(rows, {str(x[0]): tuple(x[1:]) for x in scales.all()})

    return privacy.decided(conn, ("survey", "x_people"), read)


def _x_by(people: _XPeople, parent: Filters, dim: str | None, items: tuple[str, ...]) -> dict[tuple[int, str], int]:
    """X respondents who answered at least one of the items, per (wave, value of `dim`) (all: one value) inside a
    population (a blank value as privacy.MISSING): the count the table's own rules read."""
    answered = {(row[0], row[1]): row for row in people.inside(parent) if row[-2] in items}
    return dict(Counter((w, people.value(row, dim)) for (w, _), row in answered.items()))


def _x_pinning(people: _XPeople, parent: Filters, dim: str | None, item: str, pins: object) -> set[tuple[int, str]]:
    """(wave, value) whose X distribution of an item would be hidden: some answer of the scale given by fewer than
    ANSWER_MIN of them (queries/survey_pins.py); with pins "favourable", whose X row of the item's table would be
    hidden: fewer than ANSWER_MIN favourable or not favourable."""
    table = Counter((row[0], people.value(row, dim), row[-1]) for row in people.inside(parent) if row[-2] == item)
    low, high, least, reverse = people.scales[item]
    if pins == FAVOURABLE:
        sides: dict[tuple[int, str], list[int]] = {}
        for (wave, value, answer), n in table.items():
            good = float(answer) <= low + high - least if reverse else float(answer) >= least
            sides.setdefault((wave, value), [0, 0])[0 if good else 1] += n
        return {key for key, (fav, rest) in sides.items() if fav < ANSWER_MIN or rest < ANSWER_MIN}
    per: dict[tuple[int, str], list[int]] = {}
    for (wave, value, _), n in table.items():
        per.setdefault((wave, value), []).append(n)
    return {key for key, ns in per.items() if len(ns) < high - low + 1 or min(ns) < ANSWER_MIN}


def _left_out(
    people: _XPeople, parent: Filters, dim: str, items: tuple[str, ...], pins: bool | str
) -> dict[int, set[str]]:
    """Per wave, the values of `dim` whose X the parent's pattern leaves out: the small ones (with `pins`, those
    whose X distribution would be hidden too), then more, smallest first (in canonical order), until what is left
    out together reaches k."""
    key = ("left out", parent, dim, items, pins)
    if key in people.memo:
        return people.memo[key]  # type: ignore[return-value]
    counts = _x_by(people, parent, dim, items)
    pinning = _x_pinning(people, parent, dim, items[0], pins) if pins and counts else set()
    same = ("leave out", frozenset(counts.items()), frozenset(pinning & set(counts)))  # the rule reads only these
    if same not in people.memo:
        found: dict[int, set[str]] = {}
        if counts:
            table = pd.DataFrame([(w, v, n) for (w, v), n in counts.items()], columns=["wave", "value", "n"])
            table = table.iloc[privacy.canonical([table["wave"], table["value"]], len(table))].reset_index(drop=True)
            forced = pd.Series([(int(w), v) in pinning for w, v in zip(table["wave"], table["value"], strict=True)])
            out = privacy.leave_out_x(table["n"], min_survey_cell(), forced, table["wave"])
            for wave, value in zip(table.loc[out, "wave"], table.loc[out, "value"], strict=True):
                found.setdefault(int(wave), set()).add(value)
        people.memo[same] = found
    people.memo[key] = people.memo[same]
    return people.memo[key]  # type: ignore[return-value]


def left_out_rule(conn: Connection) -> Callable[[Filters, tuple[str, ...], bool | str], frozenset[int]]:
    """`left_out_waves` for many populations of one data version: read once, then decided in memory."""
    people = _x_people(conn)
    return lambda population, items, pins=False: _waves_of(people, population, items, pins)


def left_out_waves(
    conn: Connection, population: Filters, items: tuple[str, ...], pins: bool | str = False
) -> frozenset[int]:
    """The waves in which a population leaves its X out of every figure of some items: its X who answered them
    under k (the whole wave's too; with `pins`, for an answer distribution of one item, also where X's own
    distribution would be hidden), or a filter that holds an X group its parent leaves out (`parents`: every
    ancestor). Decided once per data version."""
    return _waves_of(_x_people(conn), population, items, pins)


def _waves_of(people: _XPeople, population: Filters, items: tuple[str, ...], pins: bool | str) -> frozenset[int]:
    key = ("waves", population, items, pins)
    if key not in people.memo:
        own = _x_by(people, population, None, items)
        out = {w for (w, _), n in own.items() if n < min_survey_cell()}
        if pins:
            out |= {w for w, _ in _x_pinning(people, population, None, items[0], pins)}
        chosen = population.as_dict()
        for dim, parent in privacy.parents(population):
            for wave, values in _left_out(people, parent, dim, items, pins).items():
                if values & set(chosen[dim]):
                    out.add(wave)
        people.memo[key] = frozenset(out)
    return people.memo[key]  # type: ignore[return-value]


def _population(filters: Filters, by: str | None, group: str) -> Filters:
    """The population a row of a table stands for: the filters with the row's values of its breakdown (but
    gender); a blank value (never shown) stands for the filters' own population."""
    chosen = filters.as_dict()
    dims = by.split(TWO_WAY) if by else []
    for dim, value in zip(dims, group_parts(group), strict=False):
        if dim != GENDER and value != privacy.MISSING:
            chosen[dim] = (value,)
    return Filters.of(chosen, exempt_units=filters.exempt_units)


def _left_out_rows(
    conn: Connection, filters: Filters, by: str | None, rows: pd.DataFrame, items: tuple[str, ...] | None
) -> np.ndarray:
    """Per row (wave, group, and item where `items` is None: an answer distribution, whose X is left out where
    its distribution would be hidden too): whether its population leaves X out (each read once). One item's table
    leaves its X out where its X row would be pinned (FAVOURABLE): its distribution shows the same people and
    leaves that X out, so the table must not hide a woman or man group beside it (survey_family.family_decision)."""
    sets = [items or (str(i),) for i in (rows["item"] if items is None else [None] * len(rows))]
    pins = True if items is None else FAVOURABLE if len(items) == 1 else False
    rule = left_out_rule(conn)
    of = {(g, s): rule(_population(filters, by, g), s, pins) for g, s in set(zip(rows["group"], sets, strict=True))}
    return np.array([int(w) in of[g, s] for w, g, s in zip(rows["wave"], rows["group"], sets, strict=True)], dtype=bool)


def row_flags(
    conn: Connection, filters: Filters, by: str | None, rows: pd.DataFrame, items: tuple[str, ...] | None
) -> np.ndarray:
    """Per row (wave, group; item where `items` is None): whether its figures leave out X that is a group of its
    own in that wave."""
    if rows.empty:
        return np.zeros(0, dtype=bool)
    x_waves = rows["wave"].astype(int).isin(waves_with_x(conn)).to_numpy()
    return x_waves & _left_out_rows(conn, filters, by, rows, items)


def fold_x(
    conn: Connection,
    filters: Filters,
    by: str | None,
    frame: pd.DataFrame,
    sums: list[str],
    items: tuple[str, ...] | None,
) -> pd.DataFrame:
    """Counts split by `is_x` folded back: a row's X counts only where its population keeps X for the items
    (one set for the table, or each row's own item where `items` is None)."""
    if frame.empty:
        return frame.drop(columns=[IS_X])
    x_rows = frame[IS_X].astype(bool).to_numpy()
    drop = x_rows.copy()  # in a wave without an X group every population leaves X out (fewer than the whole's)
    grouped = x_rows & frame["wave"].astype(int).isin(waves_with_x(conn)).to_numpy()
    drop[grouped] = _left_out_rows(conn, filters, by, frame[grouped], items)
    keys = [c for c in frame.columns if c not in (*sums, IS_X)]
    return frame[~drop].groupby(keys, as_index=False, sort=True, dropna=False)[sums].sum()
