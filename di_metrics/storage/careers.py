"""The career summaries, kept with the cubes so the career reads never scan the person-level snapshots.

A spell is a run of consecutive snapshot dates that hold a person. `career_spell` keeps one row per spell (its
start, its end and the person's attributes at the start): the state an import extends from the previous date
alone. `spell_cube` counts those rows by start, end and attributes: what the career reads group.

An import, a replace or an undo replays the spells forward from the last unchanged date before the first
touched one (`refresh_careers`): appending a date reads that date only; a date in the middle replays the dates
after it. `rebuild_careers` makes everything again with one window over every person's history, an
independent formulation used for repair and to fill an older database once.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.storage.store import md, snapshot_calendar, workforce_snapshot
from di_metrics.vocab import DIMENSIONS

__all__ = ["CAREER_TABLES", "career_spell", "rebuild_careers", "refresh_careers", "spell_cube"]

_ATTRIBUTES = ("gender", *DIMENSIONS)


def _attribute_columns() -> list[sa.Column]:
    return [sa.Column("gender", sa.String(1)), *(sa.Column(d, sa.String) for d in DIMENSIONS)]


def _span_columns() -> list[sa.Column]:
    return [sa.Column("start_date", sa.Date, nullable=False), sa.Column("end_date", sa.Date, nullable=False)]


career_spell = sa.Table(
    "career_spell",
    md,
    sa.Column("person_id", sa.String, nullable=False),
    *_span_columns(),
    *_attribute_columns(),
)
# A step extends the spells that end on the previous date; on PostgreSQL this index finds them.
sa.Index("career_spell_end", career_spell.c.end_date, career_spell.c.person_id).ddl_if(dialect="postgresql")

spell_cube = sa.Table(
    "spell_cube", md, *_span_columns(), *_attribute_columns(), sa.Column("persons", sa.Integer, nullable=False)
)

CAREER_TABLES = (career_spell, spell_cube)


def refresh_careers(conn: Connection, touched: set[dt.date], calendar: list[dt.date]) -> None:
    """Bring the career summaries up to date after the snapshots of `touched` dates changed.

    `calendar` is every snapshot date now stored, sorted. Everything up to the last date before the first
    touched one is unchanged; the spells are cut back to it and replayed over the dates after it.
    """
    if not touched:
        return
    first = min(touched)
    kept = [d for d in calendar if d < first]
    since = kept[-1] if kept else None
    _cut_back(conn, since)
    previous = since
    for day in [d for d in calendar if since is None or d > since]:
        _step(conn, previous, day)
        previous = day
    _recount(conn, since)


def _cut_back(conn: Connection, since: dt.date | None) -> None:
    """Forget what the dates after `since` added: spells that started later go, longer ones end at `since`."""
    t = career_spell
    if since is None:
        conn.execute(t.delete())
        return
    conn.execute(t.delete().where(t.c.start_date > since))
    conn.execute(t.update().where(t.c.end_date > since).values(end_date=since))


def _step(conn: Connection, previous: dt.date | None, day: dt.date) -> None:
    """Add one snapshot date: a person who was there on the previous date continues the spell, anyone else
    starts one. Reads the snapshots of `day` only."""
    s, t = workforce_snapshot, career_spell
    here = sa.exists().where(s.c.snapshot_date == day, s.c.person_id == t.c.person_id)
    if previous is not None:
        conn.execute(t.update().where(t.c.end_date == previous, here).values(end_date=day))
    going = sa.exists().where(t.c.person_id == s.c.person_id, t.c.end_date == day)
    day_ = sa.literal(day, sa.Date)
    new = sa.select(s.c.person_id, day_, day_, *(s.c[a] for a in _ATTRIBUTES))
    conn.execute(
        t.insert().from_select(
            ["person_id", "start_date", "end_date", *_ATTRIBUTES],
            new.where(s.c.snapshot_date == day, sa.not_(going)),
        )
    )


def _recount(conn: Connection, since: dt.date | None) -> None:
    """Count the spells again where they may have changed: those ending on `since` or later."""
    t, cube = career_spell, spell_cube
    keys = ["start_date", "end_date", *_ATTRIBUTES]
    later = sa.true() if since is None else t.c.end_date >= since
    conn.execute(cube.delete().where(sa.true() if since is None else cube.c.end_date >= since))
    grouped = sa.select(*(t.c[k] for k in keys), sa.func.count()).where(later).group_by(*(t.c[k] for k in keys))
    conn.execute(cube.insert().from_select([*keys, "persons"], grouped))


def rebuild_careers(conn: Connection) -> None:
    """Make the career summaries again from every snapshot, in one pass: a person's spell begins on a row whose
    previous date in the calendar is not the person's previous row (islands: position minus row number)."""
    for table in CAREER_TABLES:
        conn.execute(table.delete())
    s, c = workforce_snapshot, snapshot_calendar
    numbered = sa.select(c.c.snapshot_date, sa.func.row_number().over(order_by=c.c.snapshot_date).label("i"))
    numbered = numbered.subquery("numbered")
    rows = sa.select(
        s.c.person_id,
        s.c.snapshot_date,
        *(s.c[a] for a in _ATTRIBUTES),
        (numbered.c.i - sa.func.row_number().over(partition_by=s.c.person_id, order_by=s.c.snapshot_date)).label(
            "island"
        ),
    )
    rows = rows.join_from(s, numbered, numbered.c.snapshot_date == s.c.snapshot_date).subquery("rows")
    first = sa.func.min(rows.c.snapshot_date).over(partition_by=(rows.c.person_id, rows.c.island))
    marked = sa.select(rows, first.label("start_date")).subquery("marked")
    spells = sa.select(
        marked.c.person_id,
        marked.c.start_date,
        sa.func.max(marked.c.snapshot_date),
        *(sa.func.max(sa.case((marked.c.snapshot_date == marked.c.start_date, marked.c[a]))) for a in _ATTRIBUTES),
    ).group_by(marked.c.person_id, marked.c.island, marked.c.start_date)
    conn.execute(career_spell.insert().from_select(["person_id", "start_date", "end_date", *_ATTRIBUTES], spells))
    _recount(conn, None)
