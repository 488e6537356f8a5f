"""The pre-aggregated tables, rebuilt inside every workforce import so dashboards never scan snapshots."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import DIMENSIONS
from di_metrics.store import headcount_cube, transition_cube, workforce_headcount, workforce_snapshot

_FIELDS = ("gender", *DIMENSIONS)


ALL_UNITS = "*"  # the side of an aggregate flow whose unit is not given: present, in no particular unit


def refresh_workforce_cubes(conn: Connection) -> None:
    """Rebuild the headcount and transition cubes from the person-level snapshots, and from aggregate
    headcounts for the dates that have no person-level snapshot."""
    conn.execute(headcount_cube.delete())
    conn.execute(transition_cube.delete())
    s = workforce_snapshot
    dims = [s.c[f] for f in _FIELDS]
    conn.execute(
        headcount_cube.insert().from_select(
            ["snapshot_date", *_FIELDS, "headcount"],
            sa.select(s.c.snapshot_date, *dims, sa.func.count()).group_by(s.c.snapshot_date, *dims),
        )
    )
    conn.execute(
        transition_cube.insert().from_select(
            ["snapshot_date", "prev_date", *(f"from_{f}" for f in _FIELDS), *(f"to_{f}" for f in _FIELDS), "persons"],
            _transitions(),
        )
    )
    _add_aggregates(conn)


def _add_aggregates(conn: Connection) -> None:
    h = workforce_headcount
    covered = sa.select(workforce_snapshot.c.snapshot_date).distinct()
    only = h.c.snapshot_date.not_in(covered)
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
