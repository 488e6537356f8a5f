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
from sqlalchemy.engine import Connection

from di_metrics.queries import privacy, survey_pins, survey_same
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import hidden_groups
from di_metrics.queries.survey_counts import item_counts, respondents_answering
from di_metrics.queries.survey_family import family_cell, family_decision, in_family
from di_metrics.vocab import TWO_WAY, group_parts

__all__ = ["family_distribution_rows", "inconsistent_rows", "survey_table_counts", "table_decision"]


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
