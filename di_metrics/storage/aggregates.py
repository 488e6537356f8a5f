"""The pre-aggregated tables, kept up to date inside every workforce import so dashboards never scan snapshots.

An import, a replace or an undo redoes only the dates it touched and their next snapshot dates
(`refresh_dates`); `refresh_workforce_cubes` rebuilds everything, for repair, with an independent formulation.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.storage.careers import rebuild_careers, refresh_careers
from di_metrics.storage.store import (
    headcount_cube,
    snapshot_calendar,
    transition_cube,
    workforce_headcount,
    workforce_snapshot,
)
from di_metrics.vocab import DIMENSIONS

__all__ = ["ALL_UNITS", "flow_dates", "refresh_dates", "refresh_workforce_cubes"]

_FIELDS = ("gender", *DIMENSIONS)


_TRANSITION_COLUMNS = ["snapshot_date", "prev_date", *(f"from_{f}" for f in _FIELDS), *(f"to_{f}" for f in _FIELDS)]

ALL_UNITS = "*"  # the side of an aggregate flow whose unit is not given: present, in no particular unit


def flow_dates(conn: Connection) -> set[dt.date]:
    """The snapshot dates whose hires and exits were measured: person-level snapshots (flows are worked out
    from who came and went), and aggregate dates whose every row carries both `hires` and `exits`. On any
    other date the flows are unknown, never zero. The person-level dates come from the snapshot calendar, so a
    request does not scan the snapshots."""
    h = workforce_headcount
    people = sa.select(snapshot_calendar.c.snapshot_date)
    counted = (
        sa.select(h.c.snapshot_date)
        .group_by(h.c.snapshot_date)
        .having(sa.func.count() == sa.func.count(h.c.hires), sa.func.count() == sa.func.count(h.c.exits))
    )
    return {_day(d) for d in conn.execute(sa.union(people, counted)).scalars()}


def _day(value: object) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[return-value]


def refresh_workforce_cubes(conn: Connection) -> None:
    """Rebuild the headcount and transition cubes from the person-level snapshots, and from aggregate
    headcounts for the dates that have no person-level snapshot."""
    conn.execute(headcount_cube.delete())
    conn.execute(transition_cube.delete())
    conn.execute(snapshot_calendar.delete())
    s = workforce_snapshot
    conn.execute(snapshot_calendar.insert().from_select(["snapshot_date"], sa.select(s.c.snapshot_date).distinct()))
    dims = [s.c[f] for f in _FIELDS]
    conn.execute(
        headcount_cube.insert().from_select(
            ["snapshot_date", *_FIELDS, "headcount"],
            sa.select(s.c.snapshot_date, *dims, sa.func.count()).group_by(s.c.snapshot_date, *dims),
        )
    )
    conn.execute(
        transition_cube.insert().from_select(
            [*_TRANSITION_COLUMNS, "persons"],
            _transitions(),
        )
    )
    covered = sa.select(workforce_snapshot.c.snapshot_date).distinct()
    _add_aggregates(conn, workforce_headcount.c.snapshot_date.not_in(covered))
    rebuild_careers(conn)


def _add_aggregates(conn: Connection, only: sa.ColumnElement[bool]) -> None:
    """Headcounts, hires and exits from aggregate files, for the dates `only` selects (none with snapshots)."""
    h = workforce_headcount
    dims = [h.c[f] for f in _FIELDS]
    conn.execute(
        headcount_cube.insert().from_select(
            ["snapshot_date", *_FIELDS, "headcount"],
            sa.select(h.c.snapshot_date, *dims, sa.func.sum(h.c.headcount))
            .where(only)
            .group_by(h.c.snapshot_date, *dims),
        )
    )
    side = [h.c[f] if f != "org_unit" else sa.func.coalesce(h.c.org_unit, ALL_UNITS) for f in _FIELDS]
    none = [sa.cast(sa.null(), sa.String) for _ in _FIELDS]
    for count, from_side, to_side in ((h.c.hires, none, side), (h.c.exits, side, none)):
        conn.execute(
            transition_cube.insert().from_select(
                ["snapshot_date", *(f"from_{f}" for f in _FIELDS), *(f"to_{f}" for f in _FIELDS), "persons"],
                sa.select(h.c.snapshot_date, *from_side, *to_side, count).where(only, count > 0),
            )
        )


def _transitions() -> sa.Select:
    s = workforce_snapshot
    dates = sa.select(s.c.snapshot_date).distinct().subquery("dates")
    calendar = sa.select(
        dates.c.snapshot_date,
        sa.func.lag(dates.c.snapshot_date).over(order_by=dates.c.snapshot_date).label("prev_date"),
        sa.func.lead(dates.c.snapshot_date).over(order_by=dates.c.snapshot_date).label("next_date"),
    ).subquery("calendar")
    by_person = {"partition_by": s.c.person_id, "order_by": s.c.snapshot_date}
    person = sa.select(
        s.c.snapshot_date,
        *(s.c[f] for f in _FIELDS),
        sa.func.lag(s.c.snapshot_date).over(**by_person).label("p_prev"),
        sa.func.lead(s.c.snapshot_date).over(**by_person).label("p_next"),
        *(sa.func.lag(s.c[f]).over(**by_person).label(f"prev_{f}") for f in _FIELDS),
    ).subquery("person")
    p, c = person, calendar
    joined = p.join(c, p.c.snapshot_date == c.c.snapshot_date)
    continued = p.c.p_prev == c.c.prev_date
    changed = sa.or_(*(p.c[f].is_distinct_from(p.c[f"prev_{f}"]) for f in _FIELDS))
    null = sa.null()
    arrivals = (
        sa.select(
            p.c.snapshot_date,
            c.c.prev_date,
            *(sa.case((continued, p.c[f"prev_{f}"]), else_=null).label(f"from_{f}") for f in _FIELDS),
            *(p.c[f].label(f"to_{f}") for f in _FIELDS),
        )
        .select_from(joined)
        .where(c.c.prev_date.is_not(None), sa.or_(p.c.p_prev.is_distinct_from(c.c.prev_date), changed))
    )
    departures = (
        sa.select(
            c.c.next_date.label("snapshot_date"),
            c.c.snapshot_date.label("prev_date"),
            *(p.c[f].label(f"from_{f}") for f in _FIELDS),
            *(sa.cast(null, sa.String).label(f"to_{f}") for f in _FIELDS),
        )
        .select_from(joined)
        .where(c.c.next_date.is_not(None), p.c.p_next.is_distinct_from(c.c.next_date))
    )
    events = sa.union_all(arrivals, departures).subquery("events")
    cols = [
        events.c.snapshot_date,
        events.c.prev_date,
        *(events.c[f"from_{f}"] for f in _FIELDS),
        *(events.c[f"to_{f}"] for f in _FIELDS),
    ]
    return sa.select(*cols, sa.func.count()).group_by(*cols)


def refresh_dates(conn: Connection, touched: set[dt.date]) -> None:
    """Recompute the cubes only where an import, a replace or an undo can have changed them.

    The headcount of a date depends on that date alone; its transitions also on the snapshot date before it.
    So the dates to redo are the touched ones plus, for each, the next snapshot date (whose previous date or
    previous snapshot may have changed). The snapshot calendar comes from the cube itself (small), so the
    cost follows the touched dates, not the history. A first import of a long history goes the same way:
    one date pair at a time reads two months, where one window over every person's history sorts it all.
    """
    if not touched:
        return
    calendar = _snapshot_calendar(conn, touched)
    redo = set(touched)
    for day in touched:
        later = [d for d in calendar if d > day]
        if later:
            redo.add(later[0])
    dates = sorted(redo)
    conn.execute(headcount_cube.delete().where(headcount_cube.c.snapshot_date.in_(dates)))
    conn.execute(transition_cube.delete().where(transition_cube.c.snapshot_date.in_(dates)))
    c = snapshot_calendar.c.snapshot_date
    was = set(map(_day, conn.execute(sa.select(c).where(c.in_(sorted(touched)))).scalars()))
    _refresh_calendar(conn, touched, calendar)
    refresh_careers(conn, touched & (set(calendar) | was), calendar)
    covered = [d for d in dates if d in calendar]
    pairs = [(d, calendar[calendar.index(d) - 1]) for d in covered if calendar.index(d) > 0]
    s = workforce_snapshot
    dims = [s.c[f] for f in _FIELDS]
    if covered:
        conn.execute(
            headcount_cube.insert().from_select(
                ["snapshot_date", *_FIELDS, "headcount"],
                sa.select(s.c.snapshot_date, *dims, sa.func.count())
                .where(s.c.snapshot_date.in_(covered))
                .group_by(s.c.snapshot_date, *dims),
            )
        )
    for day, prev in pairs:
        conn.execute(
            transition_cube.insert().from_select([*_TRANSITION_COLUMNS, "persons"], _pair_transitions(day, prev))
        )
    only = [d for d in dates if d not in calendar]
    if only:
        _add_aggregates(conn, workforce_headcount.c.snapshot_date.in_(only))


def _refresh_calendar(conn: Connection, touched: set[dt.date], calendar: list[dt.date]) -> None:
    """The touched dates leave the snapshot calendar and come back if they (still) have snapshots."""
    c = snapshot_calendar
    conn.execute(c.delete().where(c.c.snapshot_date.in_(sorted(touched))))
    back = [{"snapshot_date": d} for d in sorted(touched) if d in calendar]
    if back:
        conn.execute(c.insert(), back)


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _snapshot_calendar(conn: Connection, touched: set[dt.date]) -> list[dt.date]:
    """Every date with person-level snapshots, sorted: the cube's dates outside the touched ones, less the
    dates only aggregate headcounts cover, plus the touched dates that now have snapshots."""
    s, h, c = workforce_snapshot, workforce_headcount, headcount_cube
    cube_dates = set(conn.execute(sa.select(c.c.snapshot_date).distinct()).scalars()) - touched
    aggregate_dates = set(conn.execute(sa.select(h.c.snapshot_date).distinct()).scalars())
    ask = sorted(touched | (aggregate_dates & cube_dates))
    present: set[dt.date] = set()
    for chunk in _chunks(ask, 500):
        present |= set(
            conn.execute(sa.select(s.c.snapshot_date).distinct().where(s.c.snapshot_date.in_(chunk))).scalars()
        )
    return sorted((cube_dates - aggregate_dates) | present)


def _pair_transitions(day: dt.date, prev: dt.date) -> sa.Select:
    """Who arrived, moved or left between a snapshot date and the snapshot date before it, counted per both
    sides. Each side reads one date, so the cost follows the two months, not the history."""
    s = workforce_snapshot
    now = sa.select(s).where(s.c.snapshot_date == day).subquery("now")
    before = sa.select(s).where(s.c.snapshot_date == prev).subquery("before")
    changed = sa.or_(*(now.c[f].is_distinct_from(before.c[f]) for f in _FIELDS))
    day_, prev_ = sa.literal(day, sa.Date).label("snapshot_date"), sa.literal(prev, sa.Date).label("prev_date")
    arrivals = (
        sa.select(
            day_,
            prev_,
            *(before.c[f].label(f"from_{f}") for f in _FIELDS),
            *(now.c[f].label(f"to_{f}") for f in _FIELDS),
        )
        .select_from(now.outerjoin(before, before.c.person_id == now.c.person_id))
        .where(sa.or_(before.c.person_id.is_(None), changed))
    )
    departures = (
        sa.select(
            day_,
            prev_,
            *(before.c[f].label(f"from_{f}") for f in _FIELDS),
            *(sa.cast(sa.null(), sa.String).label(f"to_{f}") for f in _FIELDS),
        )
        .select_from(before.outerjoin(now, now.c.person_id == before.c.person_id))
        .where(now.c.person_id.is_(None))
    )
    events = sa.union_all(arrivals, departures).subquery("events")
    cols = list(events.c)
    return sa.select(*cols, sa.func.count()).group_by(*cols)
