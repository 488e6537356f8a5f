"""Headcount, share and flow queries on the pre-aggregated tables; results are small tidy frames."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_workforce_cell
from di_metrics.filters import Filters
from di_metrics.privacy import withhold_small_gender_counts
from di_metrics.store import headcount_cube, transition_cube

SERIES_COLUMNS = ["date", "headcount", "women", "men", "other", "unknown", "women_share"]


def _gender_sums(table: sa.Table, count: sa.ColumnElement, gender: sa.ColumnElement) -> list[sa.ColumnElement]:
    def of(code: str) -> sa.ColumnElement:
        return sa.func.sum(sa.case((gender == code, count), else_=0))

    return [
        of("F").label("women"),
        of("M").label("men"),
        of("X").label("other"),
        sa.func.sum(sa.case((gender.is_(None), count), else_=0)).label("unknown"),
    ]


def share_series(conn: Connection, filters: Filters = Filters()) -> pd.DataFrame:
    """Women's share per snapshot date for a population, with the minimum group size applied."""
    frame = share_series_raw(conn, filters)
    frame["women_share"] = frame["women"] / frame["headcount"].where(frame["headcount"] > 0)
    frame = withhold_small_gender_counts(frame, filters.is_fine)
    return frame[[*SERIES_COLUMNS, "suppressed", "x_left_out"]]


def snapshot_dates(conn: Connection) -> list[dt.date]:
    """The stored snapshot dates, oldest first."""
    c = headcount_cube
    return [
        _as_date(d) for d in conn.execute(sa.select(c.c.snapshot_date).distinct().order_by(c.c.snapshot_date)).scalars()
    ]


def dimension_values(conn: Connection, dimension: str, filters: Filters = Filters()) -> list[str]:
    """The values a dimension takes inside a population, for filter pickers."""
    Filters.of({dimension: []})  # checks the name against the allow-list
    c = headcount_cube
    col = c.c[dimension]
    rows = conn.execute(sa.select(col).distinct().where(filters.predicate(c), col.is_not(None)).order_by(col))
    return list(rows.scalars())


def period_flows(conn: Connection, filters: Filters = Filters()) -> pd.DataFrame:
    """Hires into and exits out of the population per snapshot date and gender.

    A move counts as a flow only when it crosses the population's edge, so for every population
    the stock at t equals the stock at t-1 plus hires minus exits.
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
        .where(inside_to, sa.not_(sa.and_(inside_from, t.c.from_gender.is_not_distinct_from(t.c.to_gender))))
        .group_by(t.c.snapshot_date, t.c.to_gender)
    )
    exits = (
        sa.select(
            t.c.snapshot_date.label("date"),
            t.c.from_gender.label("gender"),
            sa.literal(0).label("hires"),
            sa.func.sum(t.c.persons).label("exits"),
        )
        .where(inside_from, sa.not_(sa.and_(inside_to, t.c.from_gender.is_not_distinct_from(t.c.to_gender))))
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
    """Years with a snapshot before 1 January and one dated in December (DESIGN 3)."""
    if not dates:
        return []
    first = min(dates)
    return sorted({d.year for d in dates if d.month == 12 and first < dt.date(d.year, 1, 1)})


def yearly_flows(conn: Connection, filters: Filters = Filters()) -> pd.DataFrame:
    """Per complete year and gender: headcount at the start, hires, exits and the attrition rate (DESIGN 3)."""
    dates = snapshot_dates(conn)
    years = complete_years(dates)
    columns = ["year", "gender", "headcount_start", "hires", "exits", "attrition_rate"]
    if not years:
        return pd.DataFrame(columns=columns)
    series = share_series_raw(conn, filters)
    flows = period_flows(conn, filters)
    flows["year"] = [d.year for d in flows["date"]]
    rows = []
    for year in years:
        start_date = max(d for d in dates if d < dt.date(year, 1, 1))
        start = series.loc[series["date"] == start_date].iloc[0] if (series["date"] == start_date).any() else None
        in_year = flows[flows["year"] == year]
        for gender, col in (("F", "women"), ("M", "men"), ("X", "other")):
            head = int(start[col]) if start is not None else 0
            g = in_year[in_year["gender"] == gender]
            hires, exits = int(g["hires"].sum()), int(g["exits"].sum())
            if gender == "X" and head == 0 and hires == 0 and exits == 0:
                continue
            rate = exits / head if head > 0 else None
            rows.append((year, gender, head, hires, exits, rate))
    return pd.DataFrame(rows, columns=columns)


def share_series_raw(conn: Connection, filters: Filters = Filters()) -> pd.DataFrame:
    """The unsuppressed series, for calculations inside the package only."""
    c = headcount_cube
    query = (
        sa.select(c.c.snapshot_date.label("date"), *_gender_sums(c, c.c.headcount, c.c.gender))
        .where(filters.predicate(c))
        .group_by(c.c.snapshot_date)
        .order_by(c.c.snapshot_date)
    )
    frame = _frame(conn, query, ["date", "women", "men", "other", "unknown"])
    for col in ("women", "men", "other", "unknown"):
        frame[col] = frame[col].astype("int64")
    frame["headcount"] = frame["women"] + frame["men"] + frame["other"]
    return frame


def _frame(conn: Connection, query: sa.Select, columns: list[str]) -> pd.DataFrame:
    rows = conn.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    if "date" in frame.columns:
        frame["date"] = [_as_date(d) for d in frame["date"]]
    return frame


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def flows_document(conn: Connection, filters: Filters = Filters()) -> dict:
    """The `flows` document of DESIGN section 5, with small counts withheld below the branch level."""
    flows = yearly_flows(conn, filters)
    k = min_workforce_cell()
    rows, shares = [], []
    for r in flows.itertuples():
        small = filters.is_fine and min(r.headcount_start, r.hires, r.exits) < k
        rows.append(
            {
                "year": int(r.year),
                "gender": r.gender,
                "headcount_start": None if small else int(r.headcount_start),
                "hires": None if small else int(r.hires),
                "exits": None if small else int(r.exits),
                "attrition_rate": None if small or pd.isna(r.attrition_rate) else float(r.attrition_rate),
                "suppressed": bool(small),
            }
        )
    for year, group in flows.groupby("year"):
        hires = group.set_index("gender")["hires"]
        total = int(hires.sum())
        small = filters.is_fine and (total < k or int(hires.get("F", 0)) < k)
        share = None if small or total == 0 else float(hires.get("F", 0)) / total
        shares.append({"year": int(year), "hiring_share_women": share, "suppressed": bool(small)})
    return {"rows": rows, "hiring_share": shares}
