"""Survey results as vendors deliver them: tables of n and % favourable per wave and group, made as safe and as
useful as respondent answers. Also the one entry point that picks respondent or aggregate results for a measure.

A vendor row's blank dimension means "all". A view by some dimensions under some filters reads the rows whose
present dimensions are exactly those (or, failing that, the smallest finer level, summed); disjoint rows are
combined weighted by n. Groups below the minimum are hidden with their complement by the same rules as
respondent data (survey.hidden_groups); tests against the rest, a named group or the previous wave use only
shown figures, so a hidden group is never a reference.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_survey_cell
from di_metrics.errors import InvalidChoice
from di_metrics.models.survey import SurveyResults, SurveyRow
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import splits_hidden_set
from di_metrics.queries.survey import (
    Z95,
    hidden_groups,
    load_codebook,
    survey_table,
    two_proportion_z,
    wilson,
)
from di_metrics.storage.store import survey_result
from di_metrics.vocab import BRANCH, BREAKDOWNS, GROUP_SEPARATOR, TWO_WAY, group_parts

__all__ = [
    "AGGREGATE",
    "RESPONDENTS",
    "SOURCES",
    "VALUE_COLUMNS",
    "aggregate_measures",
    "aggregate_table",
    "all_measures",
    "result_dimensions",
    "result_levels",
    "results_table",
    "sources_of",
    "survey_results",
]

RESPONDENTS, AGGREGATE = "respondents", "aggregate"
SOURCES = (RESPONDENTS, AGGREGATE)
VALUE_COLUMNS = ("n", "pct_favourable", "mean", "n_eff", "ci_low", "ci_high")


def aggregate_measures(conn: Connection) -> list[str]:
    """The measures of imported vendor tables."""
    return sorted(conn.execute(sa.select(survey_result.c.measure).distinct()).scalars())


def result_levels(conn: Connection, measure: str) -> dict[int, list[frozenset[str]]]:
    """Per wave, the combinations of dimensions a measure's rows are given for (blank columns mean 'all')."""
    t = survey_result
    present = [t.c[d].is_not(None).label(d) for d in BREAKDOWNS]
    rows = conn.execute(sa.select(t.c.wave, *present).where(t.c.measure == measure).distinct()).all()
    levels: dict[int, list[frozenset[str]]] = {}
    for wave, *has in rows:
        levels.setdefault(int(wave), []).append(frozenset(d for d, h in zip(BREAKDOWNS, has, strict=True) if h))
    return levels


def result_dimensions(conn: Connection, measure: str) -> list[str]:
    """The dimensions a measure can be broken down or filtered by."""
    levels = [level for per_wave in result_levels(conn, measure).values() for level in per_wave]
    return [d for d in BREAKDOWNS if any(d in level for level in levels)]


def _level(levels: list[frozenset[str]], wanted: set[str]) -> frozenset[str] | None:
    """Exactly the wanted dimensions, else the smallest finer level (summed over the extra dimensions).

    A level split by gender comes first when one fits: summed over women and men it leaves X out, so a total
    never differs from its women and men by the X a vendor's own total rows hold."""
    fits = [level for level in levels if wanted <= level]
    return min(fits, key=lambda level: ("gender" not in level, len(level), sorted(level)), default=None)


def _x_unreportable(conn: Connection, measure: str, waves: list[int], k: int) -> set[int]:
    """Of some waves, those split by gender whose X is not safe to show: an X row unknown or under k, or no X
    row at all (a total that holds X, shown beside its women and men, would give it away)."""
    t = survey_result
    split = sa.select(t.c.wave).where(t.c.measure == measure, t.c.gender.is_not(None), t.c.wave.in_(waves))
    x_rows = sa.select(t.c.wave, t.c.n, t.c.suppressed).where(t.c.measure == measure, t.c.gender == "X")
    unsafe = {int(w) for w in conn.execute(split).scalars()}
    safe_x = {int(w): True for w in unsafe}
    seen = set()
    for wave, n, suppressed in conn.execute(x_rows.where(t.c.wave.in_(waves))):
        seen.add(int(wave))
        safe_x[int(wave)] = safe_x.get(int(wave), True) and not (suppressed or n is None or 0 < n < k)
    return {w for w in unsafe if not (w in seen and safe_x[w])}


def _cells(
    conn: Connection, filters: Filters, measure: str, dims: list[str], level: frozenset[str], waves: list[int]
) -> pd.DataFrame:
    """The vendor rows of one level in some waves inside the filters, labelled by the breakdown; X left out."""
    t = survey_result
    label = sa.literal("all") if not dims else t.c[dims[0]]
    if len(dims) == 2:
        label = sa.func.concat(t.c[dims[0]], GROUP_SEPARATOR, t.c[dims[1]])
    where = [t.c.measure == measure, t.c.wave.in_(waves), filters.predicate(t)]
    where += [t.c[d].is_not(None) if d in level else t.c[d].is_(None) for d in BREAKDOWNS]
    if "gender" in level and "gender" not in dims:
        where.append(t.c.gender != "X")
    if "gender" in dims:
        where.append(t.c.gender != "X")  # as for respondents: X is left out of every figure
    query = sa.select(t.c.wave, label.label("grp"), t.c.n, t.c.pct_favourable, t.c.mean, t.c.suppressed).where(*where)
    rows = [tuple(r) for r in conn.execute(query).all()]
    return pd.DataFrame(rows, columns=["wave", "group", "n", "pct", "mean", "source_suppressed"])


def _combine(cells: pd.DataFrame) -> pd.DataFrame:
    """One row per wave and group: n summed, % favourable and mean weighted by n; unknown if any part is."""
    cells = cells.astype({"n": float, "pct": float, "mean": float})
    unknown = cells["source_suppressed"].astype(bool) | cells["n"].isna() | cells["pct"].isna()
    cells = cells.assign(unknown=unknown, npct=cells["n"] * cells["pct"], nmean=cells["n"] * cells["mean"])
    out = (
        cells.groupby(["wave", "group"])
        .agg(
            n=("n", "sum"),
            npct=("npct", "sum"),
            nmean=("nmean", lambda s: s.sum(min_count=len(s))),
            source_suppressed=("unknown", "any"),
        )
        .reset_index()
    )
    out["pct_favourable"] = out["npct"] / out["n"].where(out["n"] > 0)
    out["mean"] = out["nmean"] / out["n"].where(out["n"] > 0)
    out.loc[out["source_suppressed"], ["n", "pct_favourable", "mean"]] = np.nan
    return out.drop(columns=["npct", "nmean"]).astype({"wave": int})


def _raw_groups(conn: Connection, filters: Filters, measure: str, by: str | None, k: int) -> pd.DataFrame:
    """Combined rows for the breakdown under the filters, before any privacy rule; empty when the file lacks it.

    `holds_x` marks rows that hold an unreportable X (a level without gender in a wave with women and men)."""
    dims = by.split(TWO_WAY) if by else []
    for d in dims:
        if d not in BREAKDOWNS:
            raise InvalidChoice("unknown_breakdown", value=d, allowed=list(BREAKDOWNS))
    by_level: dict[frozenset[str], list[int]] = {}
    for wave, levels in result_levels(conn, measure).items():
        level = _level(levels, set(dims) | set(filters.as_dict()))
        if level is not None:  # a wave may be delivered at other levels than the next (files change over time)
            by_level.setdefault(level, []).append(wave)
    cells = [_cells(conn, filters, measure, dims, level, waves) for level, waves in by_level.items()]
    holds_x = [w for level, waves in by_level.items() if "gender" not in level for w in waves]
    hidden_x = _x_unreportable(conn, measure, holds_x, k) if holds_x else set()
    if not cells:
        return pd.DataFrame(columns=["wave", "group", "n", "source_suppressed", "pct_favourable", "mean", "holds_x"])
    combined = _combine(pd.concat(cells, ignore_index=True))
    return combined.assign(holds_x=combined["wave"].isin(hidden_x))


def _hidden(
    conn: Connection, filters: Filters, measure: str, groups: pd.DataFrame, by: str | None, k: int
) -> pd.Series:
    """Suppressed at source, under k, a lone hidden sibling's complement, or a filter that splits a hidden set."""
    counts = groups.assign(n=groups["n"].where(~groups["source_suppressed"]))
    hidden = hidden_groups(counts, k, siblings=by is not None) | _x_guard(counts, k, by)
    hidden |= _branch_splits_units(conn, filters, measure, groups, by, k)
    for dim in ("org_unit", "rank_group"):
        if dim in filters.as_dict():
            parent = _raw_groups(conn, filters.without(dim), measure, dim, k)
            if parent.empty:
                continue
            parent_counts = parent.assign(n=parent["n"].where(~parent["source_suppressed"]))
            small = parent[hidden_groups(parent_counts, k, siblings=True)].groupby("wave")["group"].apply(set)
            chosen = set(filters.as_dict()[dim])
            hidden |= (
                groups["wave"].map(lambda w, s=small, c=chosen: splits_hidden_set(c, s.get(w, set()))).astype(bool)
            )
    return hidden


def _branch_splits_units(
    conn: Connection, filters: Filters, measure: str, groups: pd.DataFrame, by: str | None, k: int
) -> pd.Series:
    """A branch (broken down by, or filtered on) that holds some but not all of a wave's hidden units: its
    figure minus its shown units would give them away."""
    dims = by.split(TWO_WAY) if by else []
    out = pd.Series(False, index=groups.index)
    if "org_unit" in dims or ("branch" not in dims and "branch" not in filters.as_dict()):
        return out  # unit rows follow the unit rules themselves
    t = survey_result
    pairs = sa.select(t.c.wave, t.c.branch, t.c.org_unit).where(
        t.c.measure == measure, t.c.branch.is_not(None), t.c.org_unit.is_not(None)
    )
    units_of: dict[tuple[int, str], set[str]] = {}
    for wave, branch, unit in conn.execute(pairs.distinct()):
        units_of.setdefault((int(wave), branch), set()).add(unit)
    if not units_of:
        return out
    units = _raw_groups(conn, filters.without("branch").without("org_unit"), measure, "org_unit", k)
    counts = units.assign(n=units["n"].where(~units["source_suppressed"]))
    small = units[hidden_groups(counts, k, siblings=True) | _x_guard(counts, k, "org_unit")].groupby("wave")["group"]
    hidden_units = small.apply(set).to_dict()
    chosen_units = set(filters.as_dict().get("org_unit", ())) or None
    for i, row in groups.iterrows():
        branches = [group_parts(row["group"])[dims.index(BRANCH)]] if BRANCH in dims else None
        branches = branches or list(filters.as_dict()["branch"])
        covered = set().union(*(units_of.get((int(row["wave"]), b), set()) for b in branches))
        covered = covered & chosen_units if chosen_units else covered
        out[i] = splits_hidden_set(covered, hidden_units.get(int(row["wave"]), set()))
    return out


def _x_guard(counts: pd.DataFrame, k: int, by: str | None) -> pd.Series:
    """Groups that hold an unreportable X: a total is hidden (it minus its women and men is X); a breakdown
    whose groups would all be shown hides its smallest with its next smallest, so they cannot be summed to it."""
    guard = counts["holds_x"].astype(bool)
    if by is None:
        return guard
    out = pd.Series(False, index=counts.index)
    for _, part in counts[guard].groupby("wave"):
        if len(part) and not (part["n"].isna() | (part["n"] < k)).any():
            out[part["n"].nsmallest(min(2, len(part))).index] = True
    return out


def aggregate_table(
    conn: Connection,
    filters: Filters,
    measure: str,
    by: str | None = None,
    reference: str | None = None,
    k: int | None = None,
) -> pd.DataFrame:
    """Vendor results per wave and group, as survey.survey_table gives respondent results: made safe first,
    then Wilson intervals from n and % favourable, and tests against shown references only."""
    if measure not in aggregate_measures(conn):
        raise InvalidChoice("unknown_measure", value=measure, allowed=list(aggregate_measures(conn)))
    k = k or min_survey_cell()
    groups = _raw_groups(conn, filters, measure, by, k)
    hidden = _hidden(conn, filters, measure, groups, by, k) if len(groups) else pd.Series(dtype=bool)
    out = groups.assign(measure=measure, suppressed=hidden.astype(bool), n_eff=groups["n"])
    for col in ("n", "pct_favourable", "mean", "n_eff"):
        out[col] = out[col].astype(float).mask(out["suppressed"], np.nan)
    pairs = zip(out["pct_favourable"], out["n"], strict=True)
    bounds = [(np.nan, np.nan) if math.isnan(p) else wilson(p / 100, n) for p, n in pairs]
    out["ci_low"] = [100 * lo for lo, _ in bounds]
    out["ci_high"] = [100 * hi for _, hi in bounds]
    totals = aggregate_table(conn, filters, measure, None, None, k) if by else out
    out["z_reference"] = _z_reference(out, totals, reference, k)
    out["z_previous"] = _z_previous(out)
    out["differs_from_reference"] = out["z_reference"].abs() > Z95
    out["differs_from_previous"] = out["z_previous"].abs() > Z95
    columns = ["wave", "group", "measure", *VALUE_COLUMNS, "z_reference", "z_previous"]
    columns += ["differs_from_reference", "differs_from_previous", "suppressed"]
    return out[columns].sort_values(["wave", "group"]).reset_index(drop=True)


def _z_reference(out: pd.DataFrame, totals: pd.DataFrame, reference: str | None, k: int) -> list[float]:
    """Against the named group, or the rest of the population (shown total minus the group, at least k)."""
    shown = out[~out["suppressed"]].set_index(["wave", "group"])
    total = totals[~totals["suppressed"]].set_index("wave")
    z = []
    for row in out.itertuples():
        if row.suppressed or row.group == reference:
            z.append(np.nan)
            continue
        if reference is not None:
            ref = shown.loc[(row.wave, reference)] if (row.wave, reference) in shown.index else None
            ref_p, ref_n = (ref["pct_favourable"] / 100, ref["n"]) if ref is not None else (np.nan, 0.0)
        elif row.wave in total.index:
            tot = total.loc[row.wave]
            ref_n = tot["n"] - row.n
            ref_p = (tot["pct_favourable"] * tot["n"] - row.pct_favourable * row.n) / (100 * ref_n) if ref_n else 0.0
            if ref_n < k:  # a rest of fewer than k respondents is itself a hidden group
                ref_p, ref_n = np.nan, 0.0
        else:
            ref_p, ref_n = np.nan, 0.0
        z.append(np.nan if math.isnan(ref_p) else two_proportion_z(row.pct_favourable / 100, row.n, ref_p, ref_n))
    return z


def _z_previous(out: pd.DataFrame) -> list[float]:
    """Against the same group in the previous wave the table has, when both are shown."""
    z = []
    waves = sorted(out["wave"].unique())
    shown = out[~out["suppressed"]].set_index(["wave", "group"])
    for row in out.itertuples():
        i = waves.index(row.wave)
        prev = (waves[i - 1], row.group) if i else None
        if row.suppressed or prev is None or prev not in shown.index:
            z.append(np.nan)
            continue
        p = shown.loc[prev]
        z.append(two_proportion_z(row.pct_favourable / 100, row.n, p["pct_favourable"] / 100, p["n"]))
    return z


def sources_of(conn: Connection, measure: str) -> list[str]:
    """Which kinds of results are stored for a measure: respondent answers, vendor tables, or both."""
    found = []
    if load_codebook(conn).items_of(measure):
        found.append(RESPONDENTS)
    if measure in aggregate_measures(conn):
        found.append(AGGREGATE)
    return found


def all_measures(conn: Connection) -> dict[str, list[str]]:
    """Every measure per source, for a chooser."""
    return {RESPONDENTS: load_codebook(conn).measures(), AGGREGATE: aggregate_measures(conn)}


def _source(conn: Connection, measure: str, source: str | None) -> str:
    found = sources_of(conn, measure)
    if source is not None and source not in SOURCES:
        raise InvalidChoice("unknown_source", value=source, allowed=list(SOURCES))
    if not found or (source is not None and source not in found):
        known = sorted({m for ms in all_measures(conn).values() for m in ms})
        raise InvalidChoice("unknown_measure", value=measure, allowed=known)
    return source or found[0]


def results_table(
    conn: Connection,
    filters: Filters,
    measure: str,
    by: str | None = None,
    reference: str | None = None,
    source: str | None = None,
) -> pd.DataFrame:
    """Safe results for a measure from the chosen source (respondent answers first when both exist)."""
    chosen = _source(conn, measure, source)
    if chosen == RESPONDENTS:
        return survey_table(conn, filters, measure, by, reference)
    return aggregate_table(conn, filters, measure, by, reference)


def survey_results(
    conn: Connection,
    filters: Filters,
    measure: str,
    by: str | None,
    wave: int | None,
    reference: str | None,
    source: str | None = None,
) -> SurveyResults:
    """A measure's safe results per wave (all without `wave`) and group, saying which source it shows."""
    chosen = _source(conn, measure, source)
    table = results_table(conn, filters, measure, by, reference, chosen)
    if wave is not None:
        table = table[table["wave"] == wave]
    rows = (
        SurveyRow(int(r.wave), r.group, r.measure, *_shown(r), bool(r.suppressed), bool(r.differs_from_reference))
        for r in table.itertuples()
    )
    return SurveyResults(tuple(rows), chosen)


def _shown(r: Any) -> tuple[int | None, float | None, float | None, float | None]:
    """A row's n, % favourable and interval; all None when the row is withheld."""
    if r.suppressed:
        return None, None, None, None
    return int(r.n), float(r.pct_favourable), float(r.ci_low), float(r.ci_high)
