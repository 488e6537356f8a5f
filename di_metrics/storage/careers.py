"""The career summaries, kept with the cubes so the career reads never scan the person-level snapshots.

A spell is a run of consecutive snapshot dates that hold a person. `career_spell` keeps one row per spell (its
start, its end and the person's attributes at the start): the state an import extends from the previous date
alone. `spell_cube` counts those rows by start, end and attributes: what the career reads group.

An import, a replace or an undo replays the spells forward from the last unchanged date before the first
touched one (`refresh_careers`): appending a date reads that date only; a date in the middle replays the dates
after it. `rebuild_careers` makes everything again with one window over every person's history, an
independent formulation used for repair and to fill an older database once. The promotion summary
(`promotions`) is redone per year.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.storage.promotions import promotion_cube, rebuild_promotions, refresh_promotions
from di_metrics.storage.store import md, snapshot_calendar, workforce_snapshot
from di_metrics.vocab import DIMENSIONS

__all__ = [
    "CAREER_TABLES",
    "career_spell",
    "career_stay",
    "rebuild_careers",
    "refresh_careers",
    "spell_cube",
    "stay_cube",
]

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
# A stay in one rank: a spell that also ends where the rank changes. `continued` says the person was there on
# the next snapshot date (in `next_rank`); the reads decide with the ladder file whether that was a promotion.
career_stay = sa.Table(
    "career_stay",
    md,
    sa.Column("person_id", sa.String, nullable=False),
    *_span_columns(),
    sa.Column("next_rank", sa.String),
    sa.Column("continued", sa.Boolean, nullable=False),
    *_attribute_columns(),
)
# A step extends the runs that end on the previous date; on PostgreSQL these indexes find them.
sa.Index("career_spell_end", career_spell.c.end_date, career_spell.c.person_id).ddl_if(dialect="postgresql")
sa.Index("career_stay_end", career_stay.c.end_date, career_stay.c.person_id).ddl_if(dialect="postgresql")

spell_cube = sa.Table(
    "spell_cube", md, *_span_columns(), *_attribute_columns(), sa.Column("persons", sa.Integer, nullable=False)
)
stay_cube = sa.Table(
    "stay_cube",
    md,
    *_span_columns(),
    sa.Column("next_rank", sa.String),
    sa.Column("continued", sa.Boolean, nullable=False),
    *_attribute_columns(),
    sa.Column("persons", sa.Integer, nullable=False),
)

CAREER_TABLES = (career_spell, spell_cube, career_stay, stay_cube, promotion_cube)
_CUBES = {career_spell: spell_cube, career_stay: stay_cube}


def refresh_careers(conn: Connection, touched: set[dt.date], calendar: list[dt.date]) -> None:
    """Bring the career summaries up to date after the snapshots of `touched` dates changed.

    `calendar` is every snapshot date now stored, sorted. Everything up to the last date before the first
    touched one is unchanged; the runs are cut back to it and replayed over the dates after it.
    """
    if not touched:
        return
    first = min(touched)
    kept = [d for d in calendar if d < first]
    since = kept[-1] if kept else None
    for runs in _CUBES:
        _cut_back(conn, runs, since)
    previous = since
    for day in [d for d in calendar if since is None or d > since]:
        for runs in _CUBES:
            _step(conn, runs, previous, day)
        previous = day
    for runs in _CUBES:
        _recount(conn, runs, since)
    refresh_promotions(conn, touched, calendar)


def _cut_back(conn: Connection, t: sa.Table, since: dt.date | None) -> None:
    """Forget what the dates after `since` added: runs that started later go, longer ones end at `since`, and
    what followed a run ending on `since` is asked again."""
    if since is None:
        conn.execute(t.delete())
        return
    conn.execute(t.delete().where(t.c.end_date > since, t.c.start_date > since))  # the end's index finds them
    after = {"next_rank": None, "continued": False} if t is career_stay else {}
    conn.execute(t.update().where(t.c.end_date >= since).values(end_date=since, **after))


def _step(conn: Connection, t: sa.Table, previous: dt.date | None, day: dt.date) -> None:
    """Add one snapshot date: a person who was there on the previous date continues the run that ends there
    (a stay only in the same rank), anyone else starts one. Reads the snapshots of `day` only."""
    s = workforce_snapshot
    here = sa.exists().where(s.c.snapshot_date == day, s.c.person_id == t.c.person_id)
    if t is career_stay:
        here = here.where(s.c.rank_group.is_not_distinct_from(t.c.rank_group))
    if previous is not None:
        conn.execute(t.update().where(t.c.end_date == previous, here).values(end_date=day))
    if t is career_stay and previous is not None:
        _moved(conn, previous, day)
    going = sa.exists().where(t.c.person_id == s.c.person_id, t.c.end_date == day)
    day_ = sa.literal(day, sa.Date)
    extra = [sa.literal(False, sa.Boolean)] if t is career_stay else []
    new = sa.select(s.c.person_id, day_, day_, *extra, *(s.c[a] for a in _ATTRIBUTES))
    columns = ["person_id", "start_date", "end_date", *(["continued"] if extra else []), *_ATTRIBUTES]
    conn.execute(t.insert().from_select(columns, new.where(s.c.snapshot_date == day, sa.not_(going))))


def _moved(conn: Connection, previous: dt.date, day: dt.date) -> None:
    """A stay still ending on the previous date of a person there on `day` ended in a move: keep the new rank."""
    s, t = workforce_snapshot, career_stay
    at = sa.and_(s.c.snapshot_date == day, s.c.person_id == t.c.person_id)
    rank = sa.select(s.c.rank_group).where(at).scalar_subquery()
    moved = t.update().where(t.c.end_date == previous, sa.exists().where(at))
    conn.execute(moved.values(continued=True, next_rank=rank))


def _recount(conn: Connection, t: sa.Table, since: dt.date | None) -> None:
    """Count the runs again where they may have changed: those ending on `since` or later."""
    cube = _CUBES[t]
    keys = [c.name for c in cube.columns if c.name != "persons"]
    later = sa.true() if since is None else t.c.end_date >= since
    conn.execute(cube.delete().where(sa.true() if since is None else cube.c.end_date >= since))
    grouped = sa.select(*(t.c[k] for k in keys), sa.func.count()).where(later).group_by(*(t.c[k] for k in keys))
    conn.execute(cube.insert().from_select([*keys, "persons"], grouped))


def rebuild_careers(conn: Connection) -> None:
    """Make the career summaries again from every snapshot, in one pass: a run is an island of consecutive
    positions of a person (a stay: of a person in one rank), found as position minus row number."""
    for table in CAREER_TABLES:
        conn.execute(table.delete())
    _rebuild_runs(conn, career_spell, ())
    _rebuild_runs(conn, career_stay, ("rank_group",))
    for runs in _CUBES:
        _recount(conn, runs, None)
    calendar = [_day(d) for d in conn.execute(sa.select(snapshot_calendar.c.snapshot_date)).scalars()]
    rebuild_promotions(conn, sorted(calendar))


def _day(value: object) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[return-value]


def _rebuild_runs(conn: Connection, t: sa.Table, within: tuple[str, ...]) -> None:
    s, c = workforce_snapshot, snapshot_calendar
    numbered = sa.select(c.c.snapshot_date, sa.func.row_number().over(order_by=c.c.snapshot_date).label("i"))
    numbered = numbered.subquery("numbered")
    person = {"partition_by": s.c.person_id, "order_by": s.c.snapshot_date}
    row_number = sa.func.row_number().over(
        partition_by=[s.c.person_id, *(s.c[w] for w in within)], order_by=s.c.snapshot_date
    )
    rows = sa.select(
        s.c.person_id,
        s.c.snapshot_date,
        *(s.c[a] for a in _ATTRIBUTES),
        numbered.c.i,
        (numbered.c.i - row_number).label("island"),
        sa.func.lead(numbered.c.i).over(**person).label("next_i"),
        sa.func.lead(s.c.rank_group).over(**person).label("next_rank"),
    )
    rows = rows.join_from(s, numbered, numbered.c.snapshot_date == s.c.snapshot_date).subquery("rows")
    run = (rows.c.person_id, rows.c.island, *(rows.c[w] for w in within))
    marked = sa.select(
        rows,
        sa.func.min(rows.c.snapshot_date).over(partition_by=run).label("start_date"),
        sa.func.max(rows.c.snapshot_date).over(partition_by=run).label("end_date"),
    ).subquery("marked")
    m = marked.c
    at_start, at_end = m.snapshot_date == m.start_date, sa.and_(m.snapshot_date == m.end_date, m.next_i == m.i + 1)
    columns = [m.person_id, m.start_date, m.end_date]
    if t is career_stay:
        columns += [sa.func.max(sa.case((at_end, m.next_rank))), sa.func.max(sa.case((at_end, 1), else_=0)) == 1]
    columns += [sa.func.max(sa.case((at_start, m[a]))) for a in _ATTRIBUTES]
    names = ["person_id", "start_date", "end_date", *(["next_rank", "continued"] if t is career_stay else [])]
    runs = sa.select(*columns).group_by(m.person_id, m.island, m.start_date, m.end_date, *(m[w] for w in within))
    conn.execute(t.insert().from_select([*names, *_ATTRIBUTES], runs))
