"""The promotion summary, kept with the cubes so the promotion read never scans the person-level snapshots.

Per year Y: the persons at the census (the last snapshot of Y-1), counted by their rank, gender and dimensions
there and by the ranks they moved to from that rank between consecutive snapshots during Y (`moves`, the
distinct ranks between separators, or none). Only years whose last snapshot is in December count (a year seen
whole). The ladder file decides at read time which moves are up, so a changed ladder needs no rebuild.

A year depends on the snapshots from its census to its last date only, so a touched date redoes its own
year and the next (whose census it may be): the cost follows those two years, not the history.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Connection

from di_metrics.storage.store import md, snapshot_calendar, workforce_snapshot
from di_metrics.vocab import DIMENSIONS

__all__ = ["SEPARATOR", "promotion_cube", "rebuild_promotions", "refresh_promotions"]

SEPARATOR = "\x1f"  # between the ranks in `moves` (and around them): a character no rank name holds
_ATTRIBUTES = ("gender", *DIMENSIONS)

promotion_cube = sa.Table(
    "promotion_cube",
    md,
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("gender", sa.String(1)),
    *(sa.Column(d, sa.String) for d in DIMENSIONS),
    sa.Column("moves", sa.String),
    sa.Column("persons", sa.Integer, nullable=False),
)
sa.Index("promotion_cube_year", promotion_cube.c.year).ddl_if(dialect="postgresql")


def refresh_promotions(conn: Connection, touched: set[dt.date], calendar: list[dt.date]) -> None:
    """Redo the years the touched snapshot dates can change: their own and the next. `calendar` is every
    snapshot date now stored, sorted (the snapshot calendar is already up to date)."""
    for year in sorted({d.year for d in touched} | {d.year + 1 for d in touched}):
        _redo_year(conn, year, calendar)


def rebuild_promotions(conn: Connection, calendar: list[dt.date]) -> None:
    """Make the whole summary again, year by year."""
    conn.execute(promotion_cube.delete())
    for year in sorted({d.year + 1 for d in calendar}):
        _redo_year(conn, year, calendar)


def _redo_year(conn: Connection, year: int, calendar: list[dt.date]) -> None:
    conn.execute(promotion_cube.delete().where(promotion_cube.c.year == year))
    before = [d for d in calendar if d.year == year - 1]
    during = [d for d in calendar if d.year == year]
    if not before or not during or during[-1].month != 12:
        return
    census, close = before[-1], during[-1]
    s = workforce_snapshot
    people = sa.select(s.c.person_id, *(s.c[a] for a in _ATTRIBUTES)).where(s.c.snapshot_date == census)
    people = people.subquery("census")
    moves = _moves(census, close)
    joined = people.outerjoin(
        moves, sa.and_(moves.c.person_id == people.c.person_id, moves.c.from_rank == people.c.rank_group)
    )
    keys = [*(people.c[a] for a in _ATTRIBUTES), moves.c.moves]
    counted = sa.select(sa.literal(year, sa.Integer), *keys, sa.func.count()).select_from(joined).group_by(*keys)
    conn.execute(promotion_cube.insert().from_select(["year", *_ATTRIBUTES, "moves", "persons"], counted))


def _moves(census: dt.date, close: dt.date) -> sa.Subquery:
    """Per person and rank, the distinct ranks moved to from it between consecutive snapshots from the census
    to the year's last date, listed in order between separators."""
    s, c = workforce_snapshot, snapshot_calendar
    within = s.c.snapshot_date.between(census, close)
    numbered = sa.select(c.c.snapshot_date, sa.func.row_number().over(order_by=c.c.snapshot_date).label("i"))
    numbered = numbered.where(c.c.snapshot_date.between(census, close)).subquery("numbered")
    person = {"partition_by": s.c.person_id, "order_by": numbered.c.i}
    rows = sa.select(
        s.c.person_id,
        s.c.rank_group,
        numbered.c.i,
        sa.func.lead(numbered.c.i).over(**person).label("next_i"),
        sa.func.lead(s.c.rank_group).over(**person).label("next_rank"),
    )
    rows = rows.join_from(s, numbered, numbered.c.snapshot_date == s.c.snapshot_date).where(within).subquery("rows")
    moved = sa.and_(
        rows.c.next_i == rows.c.i + 1,
        rows.c.next_rank.is_not(None),
        rows.c.next_rank.is_distinct_from(rows.c.rank_group),
    )
    pairs = sa.select(rows.c.person_id, rows.c.rank_group.label("from_rank"), rows.c.next_rank.label("to_rank"))
    pairs = pairs.where(moved).distinct().subquery("pairs")
    sep = sa.literal(SEPARATOR, sa.String)
    listed = sa.func.string_agg(pairs.c.to_rank, aggregate_order_by(sep, pairs.c.to_rank), type_=sa.String)
    return (
        sa.select(pairs.c.person_id, pairs.c.from_rank, (sep + listed + sep).label("moves"))
        .group_by(pairs.c.person_id, pairs.c.from_rank)
        .subquery("moves")
    )
