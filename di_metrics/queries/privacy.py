"""The disclosure rules: every figure that leaves the package (workforce, survey, projections, reports) passes them.

Each rule is one function here, and every caller goes through this module, so one rule is one place:
`primary`, `complementary` (with `hide_lines` for tables of several lines), `consistent` (filters),
`missing_as_sibling` (a blank value is a group of its own) and `leave_out_x`.

Below the branch level (a filter or breakdown on unit or rank group) the workforce rules are:
- **Primary.** A group with fewer than k persons shows no counts; a group with fewer than k women or
  fewer than k men shows neither count nor the share (with the headcount shown, one gives the other away).
- **Complementary (docs/privacy.md, mechanism a).** Within a breakdown, a single hidden group could be recovered
  from the total and its siblings, so the next-smallest sibling is hidden too.
- **X (mechanism b).** A small X group is left out of the figures of its group; more X groups are left out
  until what is left out together reaches k, so the total minus the groups does not reveal one of them.
  Where all of them together stay under k, their groups' headcounts are hidden as well.
- **Consistency.** A filtered population that contains some but not all of the hidden groups of its
  parent's breakdown would reveal them by subtraction, so it is hidden as well.
- **Missing values.** Persons or respondents with a blank value of a breakdown are a sibling group of their
  own: the total minus the shown groups would otherwise give them away. Unknown genders are a count like any.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_survey_cell, min_workforce_cell
from di_metrics.queries.filters import Filters
from di_metrics.storage.store import revision
from di_metrics.vocab import GROUP_SEPARATOR

__all__ = [
    "COUNTS",
    "MISSING",
    "canonical",
    "complementary",
    "consistent",
    "decided",
    "finish",
    "hidden_groups",
    "hide_lines",
    "is_output",
    "leave_out_x",
    "missing_as_sibling",
    "output",
    "parents",
    "primary",
    "ranks_shown",
    "splits_hidden_set",
    "suppress_breakdown",
    "x_partners",
]

COUNTS = ("women", "men", "other")
MISSING = "\x1f"  # the label of a blank value: a sibling group for the rules, never shown


T = TypeVar("T")
F = TypeVar("F", bound=Callable)
OUTPUT_MARK = "__koers_output__"


def output(function: F) -> F:
    """Marks a function whose figures reach a user (page, chart, download, CLI, deck): the registry
    (di_metrics/outputs.py) is read from these marks, and every marked function passes the rules here."""
    setattr(function, OUTPUT_MARK, True)
    return function


def is_output(value: object) -> bool:
    """Whether a value is a marked output function."""
    return callable(value) and getattr(value, OUTPUT_MARK, False) is True


_DECISIONS: dict[Hashable, object] = {}
_KEEP = 512  # decisions kept, then started afresh


def decided(conn: Connection, key: Hashable, decide: Callable[[], T]) -> T:
    """A table family's hidden cells, decided once per database and data version and then read by every view
    (every write counts the version up, so new data are decided anew). The minimum sizes are part of the key."""
    url = conn.engine.url
    if url.database in (None, "", ":memory:"):
        return decide()
    version = conn.execute(sa.select(sa.func.coalesce(sa.func.max(revision.c.revision), 0))).all()[0][0]
    stamp = (url.render_as_string(hide_password=True), int(version), min_workforce_cell(), min_survey_cell())
    full = (stamp, key)
    if full not in _DECISIONS:
        if len(_DECISIONS) >= _KEEP:
            _DECISIONS.clear()
        _DECISIONS[full] = decide()
    return _DECISIONS[full]  # type: ignore[return-value]


def primary(size: pd.Series, k: int) -> pd.Series:
    """A count under the minimum is hidden."""
    return size < k


def missing_as_sibling() -> bool:
    """Whether a blank value of a breakdown takes part in the sibling rules (it must: the total shows it)."""
    return True


def canonical(keys: list[pd.Series], n: int) -> np.ndarray:
    """The positions of n rows sorted by their keys, numbers as numbers and anything else as text in code-point
    order: the same on every database and in every process, whatever order the rows came in. A rule that breaks
    ties by position reads its rows in this order, so two releases never hide different cells."""
    codes = []
    for key in keys:
        values = pd.Series(key).reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            codes.append(values.to_numpy(dtype=float, na_value=np.inf))
        else:
            codes.append(pd.factorize(values.astype(str), sort=True)[0])
    return np.lexsort(codes[::-1]) if codes else np.arange(n)


def hide_lines(
    hidden: pd.Series, size: pd.Series, lines: list[pd.Series], keys: list[pd.Series] | None = None
) -> pd.Series:
    """Complementary hiding on a table whose lines (rows, columns) each have a shown total: repeat until
    no line holds exactly one hidden cell. Equally small candidates are taken in the order of `keys` (a full
    key of the cells; default the lines, which are one where each cell has its own place on them)."""
    order = canonical(lines if keys is None else keys, len(size))

    def sorted_(series: pd.Series) -> pd.Series:
        return pd.Series(series).iloc[order].reset_index(drop=True)

    chosen = _hide_lines(sorted_(hidden), sorted_(size), [sorted_(line) for line in lines])
    out = np.empty(len(order), dtype=bool)
    out[order] = chosen.to_numpy(dtype=bool, na_value=True)
    return pd.Series(out, index=hidden.index, name=hidden.name)


def _hide_lines(hidden: pd.Series, size: pd.Series, lines: list[pd.Series]) -> pd.Series:
    hidden = hidden.copy()
    # A cell alone on some line equals that line's total, shown elsewhere: it is the last choice of complement.
    alone = np.zeros(len(size), dtype=bool)
    for line in lines:
        alone |= line.map(line.value_counts()).to_numpy() == 1
    order = size.astype(float).where(~alone, size.astype(float) + 1e12)
    changed = True
    while changed:
        changed = False
        for line in lines:
            before = hidden
            hidden = complementary(hidden, order, line)
            changed |= bool((hidden != before).any())
    return hidden


def hidden_groups(counts: pd.DataFrame, k: int, siblings: bool) -> pd.Series:
    """Groups with fewer than k respondents, and, where one is alone on a line of siblings, the next smallest.

    In a two-way table each row and each column is a line whose total is shown elsewhere; hiding repeats
    until no line holds exactly one hidden cell.
    """
    hidden = primary(counts["n"].fillna(0), k)
    if not siblings:
        return hidden
    parts = counts["group"].astype(str).str.split(GROUP_SEPARATOR, regex=False)
    lines = [counts["wave"].astype(str)]
    if parts.map(len).max() > 1:
        lines = [counts["wave"].astype(str) + "/" + parts.str[0], counts["wave"].astype(str) + "//" + parts.str[1]]
    return hide_lines(hidden, counts["n"].fillna(0), lines, [counts["wave"], counts["group"].astype(str)])


def complementary(hidden: pd.Series, size: pd.Series, group: pd.Series) -> pd.Series:
    return _hide_next_smallest(hidden, size, group)


def parents(filters: Filters, dimensions: Iterable[str] | None = None) -> list[tuple[str, Filters]]:
    """For each filter (of `dimensions`, default all): the populations its consistency is checked against, the
    filters without it and without any set of the others. So two filters that each split no hidden set of
    their own parent still cannot cut a hidden group into shown pieces (a branch and a unit in it)."""
    out = []
    for dim in filters.as_dict():
        if dimensions is not None and dim not in dimensions:
            continue
        others = [d for d in filters.as_dict() if d != dim]
        for r in range(len(others) + 1):
            for dropped in itertools.combinations(others, r):
                parent = filters.without(dim)
                for d in dropped:
                    parent = parent.without(d)
                out.append((dim, parent))
    return out


def consistent(selected: set[str], hidden: set[str]) -> bool:
    """Whether a selection may be shown: not when it holds some but not all hidden groups."""
    return not splits_hidden_set(selected, hidden)


def _hide_next_smallest(hidden: pd.Series, size: pd.Series, group: pd.Series) -> pd.Series:
    """Where a group has exactly one hidden row, also hide its smallest other row, so no subtraction recovers it.

    Ties go to the first row, so callers give the rows in canonical order (hide_lines, suppress_breakdown do);
    a row whose group is missing belongs to no group. In numpy: every table of
    every page passes here, several times."""
    codes = pd.factorize(group)[0]
    h = hidden.to_numpy(dtype=bool, na_value=True)  # an unknown flag is taken as hidden: the safe side
    inside = codes >= 0
    hidden_in_group = np.bincount(codes[inside], weights=h[inside], minlength=codes.max(initial=-1) + 1)
    lone = inside & ~h
    lone[inside] &= hidden_in_group[codes[inside]] == 1
    if not lone.any():
        return hidden
    rows = np.flatnonzero(lone)
    by_size = rows[np.lexsort((rows, size.to_numpy(dtype=float, na_value=np.nan)[rows], codes[rows]))]
    first_of_group = np.r_[True, codes[by_size][1:] != codes[by_size][:-1]]
    out = h.copy()
    out[by_size[first_of_group]] = True
    return pd.Series(out, index=hidden.index, name=hidden.name)


def leave_out_x(other: pd.Series, k: int, forced: pd.Series, group: pd.Series) -> pd.Series:
    """Rows whose X persons are left out: the small ones, then more, smallest first, until the total reaches k."""
    has_x = other > 0
    if not has_x.any():
        return has_x
    out = has_x & ((other < k) | forced)
    left_out = other.where(out, 0).groupby(group).transform("sum")
    candidates = (has_x & ~out).to_frame("c").assign(x=other, g=group.to_numpy(), left=left_out)
    candidates = candidates[candidates["c"]].sort_values(["g", "x"], kind="stable")
    before = candidates.groupby("g")["x"].cumsum() - candidates["x"]
    add = (candidates["left"] > 0) & (candidates["left"] + before < k)
    out[add[add].index] = True
    return out


def x_partners(
    x_out: pd.Series, counts: pd.DataFrame, forced: pd.Series, group: pd.Series, k: int
) -> tuple[pd.Series, pd.Series]:
    """X left out by a table's own rule that together stays under k is the shown total minus the shown
    headcounts. Where two or more rows of a line hold it, each lies anywhere in that sum, so their headcounts are
    shown (a unit of 1,000 is not hidden for its 2 X); a row that holds it alone would give it back, so only
    its headcount is hidden. (A partner with no X is no cover: other views show its X as 0.) X left out because
    the parent's pattern leaves it out is covered there, so a unit alone shows what its breakdown row shows.
    Returns the rows whose X is left out and the rows whose headcount must be hidden."""
    own = x_out & ~forced & (counts["other"] > 0)
    if not own.any():
        return x_out, own
    short = own & primary(counts["other"].where(own, 0).groupby(group).transform("sum"), k)
    return x_out, short & (short.astype(int).groupby(group).transform("sum") == 1)


def suppress_breakdown(
    frame: pd.DataFrame,
    k: int | None = None,
    by: tuple[str, ...] = ("date",),
    forced: dict[str, pd.Series] | None = None,
) -> pd.DataFrame:
    """Apply the primary, complementary and X rules to the sibling rows of each `by` group.

    Expects women, men, other and headcount (= women + men + other); returns them with hidden values as
    missing, the share recomputed over reportable persons, and flags `suppressed`, `headcount_hidden`
    and `x_left_out` (and `unknown_hidden` for an `unknown` column). `forced` marks rows whose gender counts,
    headcount, X or unknown other views already require hidden (keys "gender", "headcount", "x", "unknown").
    """
    k = k or min_workforce_cell()
    # The rows in canonical order (by every column that is not a count): equally small siblings are taken by it.
    order = canonical([frame[c] for c in frame.columns if c not in (*COUNTS, "unknown", "headcount")], len(frame))
    out = frame.reset_index(drop=True).iloc[order].reset_index(drop=True)
    flags = {
        kind: (forced or {}).get(kind, pd.Series(False, index=frame.index)).reset_index(drop=True).astype(bool)
        for kind in ("gender", "headcount", "x", "unknown")
    }
    flags = {kind: flag.iloc[order].reset_index(drop=True) for kind, flag in flags.items()}
    group = out.groupby(list(by), sort=False).ngroup() if by else pd.Series(0, index=out.index)
    x_out, short = x_partners(leave_out_x(out["other"], k, flags["x"], group), out, flags["x"], group, k)
    reportable = out["women"] + out["men"] + out["other"].where(~x_out, 0)
    head_hidden = complementary(primary(reportable, k) | flags["headcount"] | short, reportable, group)
    gender_hidden = primary(out["women"], k) | primary(out["men"], k) | head_hidden | flags["gender"]
    gender_hidden = complementary(gender_hidden, out[["women", "men"]].min(axis=1), group)
    if "unknown" in out.columns:
        unknown = primary(out["unknown"], k) | flags["unknown"]
        out["unknown_hidden"] = complementary(unknown, out["unknown"], group)
    out["x_left_out"] = x_out
    out["headcount"] = reportable
    out["headcount_hidden"] = head_hidden
    out["suppressed"] = gender_hidden
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    return finish(out).iloc[back].set_axis(frame.index)


def finish(out: pd.DataFrame) -> pd.DataFrame:
    """Blank what the flags hide and compute the share over what is shown."""
    out = out.copy()
    for col in ("headcount", *COUNTS):
        out[col] = out[col].astype("Float64")
    out["women_share"] = (out["women"] / out["headcount"].where(out["headcount"] > 0)).astype("Float64")
    out["other"] = out["other"].mask(out["x_left_out"] | out["suppressed"], np.nan)
    for col in ("women", "men", "women_share"):
        out[col] = out[col].mask(out["suppressed"], np.nan)
    out["headcount"] = out["headcount"].mask(out["headcount_hidden"], np.nan)
    if "unknown_hidden" in out.columns:
        out["unknown"] = out["unknown"].astype("Float64").mask(out["unknown_hidden"], np.nan)
    return out


def ranks_shown(pipeline: pd.DataFrame, ranks: Iterable[str], persons: float) -> bool:
    """The one privacy decision on the rank model: it may be shown only when somebody is on the ladder and the
    Overview's pipeline shows every rank group of it (its path would otherwise show what the Overview hides)."""
    return persons > 0 and not bool(pipeline[pipeline["value"].isin(list(ranks))]["suppressed"].any())


def splits_hidden_set(selected: set[str], hidden: set[str]) -> bool:
    """Whether a selection holds some but not all hidden groups: then subtraction would reveal them."""
    inside = selected & hidden
    return bool(inside) and inside != hidden
