"""Headcount, share and flow queries on the pre-aggregated tables; results are small tidy frames."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_workforce_cell
from di_metrics.errors import InvalidChoice
from di_metrics.models.flows import Flows, HiringShare
from di_metrics.models.rank_fold import RankFold
from di_metrics.queries import privacy, rank_fold, stock_joint
from di_metrics.queries.filters import Filters
from di_metrics.queries.flow_given import as_parents, shown_zeros
from di_metrics.queries.flow_pattern import MEASURES, flow_row, hidden_flows
from di_metrics.queries.frames import as_date as _as_date
from di_metrics.queries.frames import frame as _frame
from di_metrics.queries.privacy import output, suppress_breakdown
from di_metrics.queries.stock_pattern import inherit
from di_metrics.storage.aggregates import flow_dates
from di_metrics.storage.store import headcount_cube, transition_cube
from di_metrics.vocab import (
    BRANCH,
    CATEGORY,
    DIMENSIONS,
    FINE_DIMENSIONS,
    ORG_UNIT,
    RANK_GROUP,
)

__all__ = [
    "MISSING",
    "PARENT_DIMENSION",
    "SERIES_COLUMNS",
    "breakdown",
    "compare_breakdown",
    "complete_years",
    "dimension_values",
    "flows",
    "hiring_vs_stock",
    "pipeline",
    "rank_folds",
    "share_series",
    "snapshot_dates",
]

# The hierarchy: a unit's siblings are the other units of its branch, whose total is shown exactly.
PARENT_DIMENSION = {ORG_UNIT: (BRANCH,)}
SERIES_COLUMNS = ["date", "headcount", "women", "men", "other", "unknown", "women_share"]
MISSING = stock_joint.MISSING  # a blank value of a breakdown, kept as a sibling group for the privacy rules


def _gender_sums(table: sa.Table, count: sa.ColumnElement, gender: sa.ColumnElement) -> list[sa.ColumnElement]:
    """Counts per gender as whole numbers: a bare SUM is a 38-digit decimal on DuckDB (NUMERIC on PostgreSQL),
    which reaches Python as one Decimal object per cell, costlier than the query."""

    def total(when: sa.ColumnElement[bool]) -> sa.ColumnElement:
        return sa.cast(sa.func.sum(sa.case((when, count), else_=0)), sa.BigInteger)

    return [
        total(gender == "F").label("women"),
        total(gender == "M").label("men"),
        total(gender == "X").label("other"),
        total(gender.is_(None)).label("unknown"),
    ]


@output
def share_series(conn: Connection, filters: Filters = Filters()) -> pd.DataFrame:
    """Women's share per snapshot date for a population, with the privacy rules applied below the branch level."""
    frame = _safe_counts(conn, filters, None)
    if "unknown_hidden" not in frame.columns:
        frame = frame.assign(unknown_hidden=False)
    return frame[[*SERIES_COLUMNS, "suppressed", "x_left_out", "headcount_hidden", "unknown_hidden"]]


@output
def breakdown(conn: Connection, filters: Filters, dimension: str) -> pd.DataFrame:
    """Headcount, women, men and share per value of a dimension and snapshot date, safe to show."""
    return _safe_counts(conn, filters, _checked(dimension)).rename(columns={dimension: "value"})


def _safe_counts(conn: Connection, filters: Filters, dimension: str | None) -> pd.DataFrame:
    """The protected counts of one view, decided once per data version and then read by every caller (the
    dashboard's read is a lookup, not a suppression pass per rerun); a copy, so no caller changes the decision."""
    key = ("workforce view", filters, dimension)
    return privacy.decided(conn, key, lambda: _protected_counts(conn, filters, dimension)).copy()


def _protected_counts(conn: Connection, filters: Filters, dimension: str | None) -> pd.DataFrame:
    """Counts per date (and per value of a dimension) with the suppression pattern every view shares.

    Below the branch level each fine dimension's pattern is computed once on its parent population
    (the filters without that dimension) and every row inherits it: a row that is a hidden group stays
    hidden, and a row that holds some but not all hidden groups is hidden too, so no pair of views
    gives a hidden group away by subtraction.
    """
    extra = [dimension] if dimension else []
    parents = list(PARENT_DIMENSION.get(dimension or "", ()))
    if parents and dimension not in filters.as_dict() and not filters.is_fine and not filters.exempt_units:
        # The breakdown and its own suppression pattern are the same query: group once, by parent too.
        rows = _grouped_counts(conn, filters, [*parents, dimension], missing=_missing(dimension))
        shown = stock_joint.read(conn, _grouped_counts, filters, dimension, rows)
        if shown is None:
            shown = suppress_breakdown(rows, by=("date", *parents))
        shown = shown.drop(columns=parents)
        return shown[shown[dimension] != MISSING].reset_index(drop=True)
    rows = _grouped_counts(conn, filters, extra)
    if not filters.is_fine and dimension not in FINE_DIMENSIONS and not filters.exempt_units:
        shown = rows.assign(suppressed=False, headcount_hidden=False, x_left_out=False)
        shown["women_share"] = shown["women"] / shown["headcount"].where(shown["headcount"] > 0)
        return shown
    joint = stock_joint.read(conn, _grouped_counts, filters, dimension, rows)  # the one decision (unit x rank)
    if joint is not None:
        return joint
    forced = {kind: pd.Series(False, index=rows.index) for kind in ("gender", "headcount", "x", "unknown")}
    selection = filters.as_dict()
    for dim in FINE_DIMENSIONS:
        if dim not in selection and dim != dimension:
            continue
        within = [d for d in extra if d != dim]
        siblings = [*within, *(p for p in PARENT_DIMENSION.get(dim, ()) if p not in within)]
        parent = filters.without(dim)
        pattern = privacy.decided(
            conn,
            ("workforce", parent, dim, tuple(siblings)),
            lambda p=parent, s=siblings, d=dim: _pattern(conn, p, s, d),
        )
        inherit(pattern, rows, forced, dim, dimension, within, siblings, selection)
    if filters.exempt_units:
        _protect_exempted(conn, filters, extra, rows, forced)
    return suppress_breakdown(rows, by=("date",), forced=forced)


def _pattern(conn: Connection, parent: Filters, siblings: list[str], dim: str) -> pd.DataFrame:
    grouped = _grouped_counts(conn, parent, [*siblings, dim], missing=_missing(dim))
    return suppress_breakdown(grouped, by=("date", *siblings))


def _protect_exempted(
    conn: Connection, filters: Filters, extra: list[str], rows: pd.DataFrame, forced: dict[str, pd.Series]
) -> None:
    """A target's population without its exempted units is shown next to the whole: their difference,
    the exempted units, must itself be a reportable group, or the figures are withheld."""
    keys = ["date", *extra]
    part = _grouped_counts(conn, filters.exempted_part(), extra).set_index(keys)
    aligned = part.reindex(_index(rows, keys), fill_value=0)
    k = min_workforce_cell()
    small = ((aligned["women"] < k) | (aligned["men"] < k)) & (aligned["headcount"] > 0)
    forced["gender"] |= small.to_numpy()
    forced["headcount"] |= ((aligned["headcount"] > 0) & (aligned["headcount"] < k)).to_numpy()
    forced["x"] |= ((aligned["other"] > 0) & (aligned["other"] < k)).to_numpy()


def _index(rows: pd.DataFrame, keys: list[str]) -> pd.Index:
    return pd.MultiIndex.from_frame(rows[keys]) if len(keys) > 1 else pd.Index(rows[keys[0]])


def _missing(dimension: str) -> str | None:
    return dimension if privacy.missing_as_sibling() else None


def _grouped_counts(
    conn: Connection, filters: Filters, dimensions: list[str], missing: str | tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Unsuppressed counts per snapshot date and dimension values: for calculations inside the package only.

    Rows with a blank value are left out, except for the `missing` dimensions, where they form the group MISSING.
    """
    blank = (missing,) if isinstance(missing, str) else tuple(missing or ())
    c = headcount_cube
    cols = [c.c[_checked(d)].label(d) for d in dimensions]
    present = [c.c[d].is_not(None) for d in dimensions if d not in blank]
    query = (
        sa.select(c.c.snapshot_date.label("date"), *cols, *_gender_sums(c, c.c.headcount, c.c.gender))
        .where(filters.predicate(c), *present)
        .group_by(c.c.snapshot_date, *cols)
        .order_by(c.c.snapshot_date, *cols)
    )
    frame = _frame(conn, query, ["date", *dimensions, "women", "men", "other", "unknown"])
    for name in ("women", "men", "other", "unknown"):
        frame[name] = frame[name].astype("int64")
    for name in blank:
        frame[name] = frame[name].astype(object).where(frame[name].notna(), MISSING)
    frame["headcount"] = frame["women"] + frame["men"] + frame["other"]
    return frame


@output
def compare_breakdown(conn: Connection, filters: Filters, dimension: str, on: dt.date, then: dt.date) -> pd.DataFrame:
    """One row per value: the figures on a date, the share on an earlier date, and the change in points."""
    table = breakdown(conn, filters, dimension)
    now = table[table["date"] == on].set_index("value")
    before = table[table["date"] == then].set_index("value")
    now = now.assign(
        share_then=before["women_share"].reindex(now.index),
        then_hidden=before["suppressed"].reindex(now.index).fillna(False).astype(bool),
    )
    now["change_pp"] = (100 * (now["women_share"] - now["share_then"])).astype("Float64")
    return now.reset_index()


@output
def pipeline(conn: Connection, filters: Filters, on: dt.date) -> pd.DataFrame:
    """The women's share per rank group in rank order, with each level's share relative to the level below; a
    ladder whose top group is hidden shows it folded into the ranks below (queries/rank_fold.py)."""
    return rank_fold.pipeline_rows(_folded_ranks(conn, filters)[0], on)


def rank_folds(conn: Connection, filters: Filters) -> dict[str, RankFold | None]:
    """Each ladder's fold for a population, as the pipeline folds it (None: even folded it stays hidden)."""
    return _folded_ranks(conn, filters)[1]


def _folded_ranks(conn: Connection, filters: Filters) -> tuple[pd.DataFrame, dict[str, RankFold | None]]:
    shown = breakdown(conn, filters, RANK_GROUP)
    raw = _grouped_counts(conn, filters, [RANK_GROUP])
    folds = rank_fold.decide(shown, raw, breakdown(conn, filters, CATEGORY), min_workforce_cell())
    return rank_fold.fold_rows(shown, raw, folds), folds


def snapshot_dates(conn: Connection) -> list[dt.date]:
    """The stored snapshot dates, oldest first."""
    c = headcount_cube
    return [
        _as_date(d) for d in conn.execute(sa.select(c.c.snapshot_date).distinct().order_by(c.c.snapshot_date)).scalars()
    ]


def dimension_values(conn: Connection, dimension: str, filters: Filters = Filters()) -> list[str]:
    """The values a dimension takes inside a population, for filter pickers."""
    c = headcount_cube
    col = c.c[_checked(dimension)]
    rows = conn.execute(sa.select(col).distinct().where(filters.predicate(c), col.is_not(None)).order_by(col))
    return list(rows.scalars())


def _period_flows(conn: Connection, filters: Filters = Filters()) -> pd.DataFrame:
    """Hires into and exits out of the population per snapshot date and gender (definitions: docs/definitions.md).

    A move counts as a flow only when it crosses the population's edge, so for every population the
    stock at t equals the stock at t-1 plus hires minus exits. A person whose recorded gender changes
    stays in the population: no hire and no exit, so for that gender alone the sum is off by them.
    """
    t = transition_cube
    inside_to = sa.and_(t.c.to_org_unit.is_not(None), filters.predicate(t, "to_"))
    inside_from = sa.and_(t.c.from_org_unit.is_not(None), filters.predicate(t, "from_"))
    hires = (
        sa.select(
            t.c.snapshot_date.label("date"),
            t.c.to_gender.label("gender"),
            sa.func.sum(t.c.persons).label("hires"),
            sa.literal(0).label("exits"),
        )
        .where(inside_to, sa.not_(inside_from))
        .group_by(t.c.snapshot_date, t.c.to_gender)
    )
    exits = (
        sa.select(
            t.c.snapshot_date.label("date"),
            t.c.from_gender.label("gender"),
            sa.literal(0).label("hires"),
            sa.func.sum(t.c.persons).label("exits"),
        )
        .where(inside_from, sa.not_(inside_to))
        .group_by(t.c.snapshot_date, t.c.from_gender)
    )
    both = sa.union_all(hires, exits).subquery()
    query = (
        sa.select(
            both.c.date,
            both.c.gender,
            sa.func.sum(both.c.hires).label("hires"),
            sa.func.sum(both.c.exits).label("exits"),
        )
        .where(both.c.gender.is_not(None))
        .group_by(both.c.date, both.c.gender)
        .order_by(both.c.date, both.c.gender)
    )
    frame = _frame(conn, query, ["date", "gender", "hires", "exits"])
    frame[["hires", "exits"]] = frame[["hires", "exits"]].astype("int64")
    return frame


def complete_years(dates: list[dt.date]) -> list[int]:
    """Years with a snapshot before 1 January and one dated in December (definitions: docs/definitions.md)."""
    if not dates:
        return []
    first = min(dates)
    return sorted({d.year for d in dates if d.month == 12 and first < dt.date(d.year, 1, 1)})


def _yearly_flows(conn: Connection, filters: Filters = Filters()) -> pd.DataFrame:
    """Per complete year and gender: headcount at the start, hires, exits, attrition (docs/definitions.md);
    hires, exits and attrition are None (unknown) in a year with a date whose flows were not measured."""
    dates, measured = snapshot_dates(conn), flow_dates(conn)
    years = complete_years(dates)
    columns = ["year", "gender", "start_date", "end_date", "headcount_start", "hires", "exits", "attrition_rate"]
    if not years:
        return pd.DataFrame(columns=columns)
    series = _share_series_raw(conn, filters).set_index("date")
    flows = _period_flows(conn, filters)
    flows["year"] = [d.year for d in flows["date"]]
    rows = []
    for year in years:
        start_date = max(d for d in dates if d < dt.date(year, 1, 1))
        end_date = max(d for d in dates if d.year == year)
        in_year, known = flows[flows["year"] == year], all(d in measured for d in dates if start_date < d <= end_date)
        for gender, col in (("F", "women"), ("M", "men"), ("X", "other")):
            head = int(series[col].get(start_date, 0))
            g = in_year[in_year["gender"] == gender]
            hires, exits = (int(g["hires"].sum()), int(g["exits"].sum())) if known else (None, None)
            if gender == "X" and head == 0 and not hires and not exits:
                continue
            rate = exits / head if head > 0 and exits is not None else None
            rows.append((year, gender, start_date, end_date, head, hires, exits, rate))
    return pd.DataFrame(rows, columns=columns)


def _share_series_raw(conn: Connection, filters: Filters = Filters()) -> pd.DataFrame:
    """The unsuppressed series, for calculations inside the package only."""
    return _grouped_counts(conn, filters, [])


def _checked(dimension: str) -> str:
    if dimension not in DIMENSIONS:
        raise InvalidChoice("unknown_dimension", value=dimension, allowed=list(DIMENSIONS))
    return dimension


@output
def flows(conn: Connection, filters: Filters = Filters()) -> Flows:
    """Hires, exits and attrition per complete year and gender (docs/cli.md, `flows`), safe to show.

    Below the branch level a count is withheld when it is under the minimum and the shown figures do not give it,
    when the stock at the start or end of the year is withheld (flows would give it back by addition), or when
    the flow pattern of the parent population hides it (flow_pattern: complements and consistency across units).
    The hiring share leaves X out where X's hires are withheld. Flows not measured are None, never 0.
    Decided once per data version and selection (a later read is a lookup)."""
    return privacy.decided(conn, ("flows view", filters), lambda: _safe_flows(conn, filters))


def _raw_flows(conn: Connection, filters: Filters) -> pd.DataFrame:
    """A selection's unprotected yearly flows, read once per data version (a view and its children read them)."""
    return privacy.decided(conn, ("flows raw", filters), lambda: _yearly_flows(conn, filters))


def _safe_flows(conn: Connection, filters: Filters) -> Flows:
    yearly = _raw_flows(conn, filters)
    k = min_workforce_cell()
    hidden_dates, hidden_rows, given = set(), {}, {}
    if filters.is_fine:
        stock = share_series(conn, filters)
        hidden_dates = set(stock.loc[stock["suppressed"], "date"])
        hidden_rows, given = hidden_flows(conn, filters, (snapshot_dates, breakdown))
        given, forced = as_parents(conn, filters, yearly, given, (_raw_flows, flows))
        for key, measures in forced.items():
            hidden_rows[key] = hidden_rows.get(key, set()) | measures
        for key, measures in shown_zeros(conn, filters, yearly, flows).items():
            given[key] = given.get(key, set()) | measures
    nobody = {  # per year, the measures nobody of any gender moved in: the attacker knows those 0s
        int(year): {m for m in MEASURES if group[m].notna().all() and (group[m] == 0).all()}
        for year, group in yearly.groupby("year")
    }
    rows, shares = [], []
    for r in yearly.itertuples():
        key, known = (r.year, r.gender), given.get((r.year, r.gender), set()) | nobody.get(int(r.year), set())
        rows.append(flow_row(r, filters.is_fine, k, hidden_dates, hidden_rows.get(key, set()), known))
    for year, group in yearly.groupby("year"):
        hires = group.set_index("gender")["hires"]
        if hires.isna().any():  # not measured: the share is unknown, never 0
            shares.append(HiringShare(int(year), None, "not_measured"))
            continue
        hidden = {r.gender for r in rows if r.year == year and r.hires is None}  # hires withheld
        total = int(hires.drop(index=["X"] if "X" in hidden else []).sum())  # X left out where its row is hidden
        women = int(hires.get("F", 0))
        small = filters.is_fine and (min(total - women, women) < k or bool(hidden & {"F", "M"}))
        # Nobody hired where every gender's hires are shown as 0 (the table says so; not 'withheld' for a total < k)
        reason = "none_hired" if total == 0 and not hidden else "withheld" if small else "shown"
        shares.append(HiringShare(int(year), women / total if reason == "shown" else None, reason))
    return Flows(tuple(rows), tuple(shares))


@output
def hiring_vs_stock(conn: Connection, filters: Filters = Filters()) -> pd.DataFrame:
    """Per complete year: the women's share of hires next to their share of the stock at the start, attrition,
    and why a missing share of hires is missing (`hires_state`: the reason `flows` decided with the share)."""
    doc, dates, rows = flows(conn, filters), snapshot_dates(conn), []
    stock = share_series(conn, filters).set_index("date")["women_share"]
    for entry in doc.hiring_share:
        share = stock.get(max(d for d in dates if d < dt.date(entry.year, 1, 1)))
        rates = {r.gender: r.attrition_rate for r in doc.rows if r.year == entry.year}
        start = None if pd.isna(share) else float(share)
        rows.append((entry.year, entry.hiring_share_women, start, rates.get("F"), rates.get("M"), entry.reason))
    columns = ["year", "hiring_share_women", "stock_share_start", "attrition_women", "attrition_men", "hires_state"]
    return pd.DataFrame(rows, columns=columns)
