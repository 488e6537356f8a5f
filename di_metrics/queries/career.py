"""Career reads: spells of service, promotions and time in rank, aggregated in SQL from the summaries the imports keep.

A spell is one unbroken stay: a person present in consecutive snapshots. It starts at the first snapshot that
holds the person (after a snapshot that did not) and ends at the last; the exit is seen at the next snapshot.
A person who leaves and returns has one spell per stay. Spells that are already running at the first snapshot
are not hires (their start is unseen) and are left out of intake and retention. Every read groups by the
attributes at the start of the spell (or of the time in rank), so a later move does not look like an exit.
The results are counts per group; the disclosure rules are applied by the callers in analysis/.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.models.ladders import Ladders
from di_metrics.queries.filters import Filters
from di_metrics.storage.careers import spell_cube, stay_cube
from di_metrics.storage.promotions import SEPARATOR, promotion_cube
from di_metrics.storage.store import headcount_cube, snapshot_calendar
from di_metrics.vocab import DIMENSIONS

__all__ = [
    "CENSORED",
    "LEFT",
    "PROMOTED",
    "Points",
    "intake_points",
    "matrix_pairs",
    "promotion_counts",
    "promotion_points",
    "rank_stays",
    "retention_points",
    "snapshot_index",
    "spell_counts",
]

CENSORED, PROMOTED, LEFT = 0, 1, 2  # how a stay in a rank ends: still in it at the last snapshot, up, out
_ATTRIBUTES = ("gender", *DIMENSIONS)


def snapshot_index(conn: Connection) -> pd.DataFrame:
    """Every snapshot date with its position (1 = first): spells and stays are runs of positions. Read from the
    snapshot calendar the imports keep, not from the snapshots."""
    dates = snapshot_calendar
    q = sa.select(dates.c.snapshot_date, sa.func.dense_rank().over(order_by=dates.c.snapshot_date).label("i"))
    frame = pd.DataFrame(conn.execute(q.order_by("i")).all(), columns=["snapshot_date", "i"])
    frame["snapshot_date"] = pd.to_datetime(frame["snapshot_date"]).dt.date
    return frame


def _grouped(frame_query: sa.Select, conn: Connection, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(conn.execute(frame_query).all(), columns=columns)


def _numbered(name: str) -> sa.Subquery:
    """The snapshot calendar with each date's position (1 = first), for joining a summary's dates."""
    c = snapshot_calendar
    return sa.select(c.c.snapshot_date, sa.func.dense_rank().over(order_by=c.c.snapshot_date).label("i")).subquery(name)


def spell_counts(conn: Connection, filters: Filters = Filters(), by: str | None = None) -> pd.DataFrame:
    """Spells of service counted by start position, end position, gender (and `by` at the start), read from the
    spell summary the imports keep (storage/careers.py).

    Columns: start_i, end_i, gender, [by], persons. Filters select on the attributes at the spell's start.
    """
    cube = spell_cube
    start, end = _numbered("start_at"), _numbered("end_at")
    keys = [start.c.i, end.c.i, cube.c.gender, *([cube.c[by]] if by else [])]
    q = (
        sa.select(*keys, sa.cast(sa.func.sum(cube.c.persons), sa.BigInteger).label("persons"))
        .join_from(cube, start, start.c.snapshot_date == cube.c.start_date)
        .join(end, end.c.snapshot_date == cube.c.end_date)
        .where(filters.predicate(cube))
        .group_by(*keys)
    )
    frame = _grouped(q, conn, ["start_i", "end_i", "gender", *([by] if by else []), "persons"])
    return frame.astype({"start_i": int, "end_i": int, "persons": int})


def _level_case(ladders: Ladders, column: sa.ColumnElement) -> tuple[sa.ColumnElement, sa.ColumnElement]:
    """A rank's ladder and step as SQL, from the ladder file (bound values, no code per organisation)."""
    steps = {r: ladders.level(r) for r in ladders.order}
    ladder_of = {r: ladders.category_of(r) for r in ladders.order}
    return sa.case(ladder_of, value=column, else_=None), sa.case(steps, value=column, else_=None)


def _promoted(ladders: Ladders, before: sa.ColumnElement, after: sa.ColumnElement) -> sa.ColumnElement[bool]:
    ladder_a, step_a = _level_case(ladders, before)
    ladder_b, step_b = _level_case(ladders, after)
    return sa.and_(ladder_a == ladder_b, step_b > step_a)


def _up_moves(ladders: Ladders, cube: sa.Table) -> sa.ColumnElement[bool]:
    """Whether a census group's moves include one up its own ladder (the ladder file's ranks as bound values)."""
    whens = []
    for rank in ladders.order:
        ups = [r for r in ladders.order if ladders.is_promotion(rank, r)]
        if ups:
            listed = [cube.c.moves.contains(f"{SEPARATOR}{u}{SEPARATOR}", autoescape=True) for u in ups]
            whens.append((cube.c.rank_group == rank, sa.or_(*listed)))
    return sa.case(*whens, else_=sa.false()) if whens else sa.false()


def promotion_counts(
    conn: Connection, ladders: Ladders, filters: Filters = Filters(), by: str | None = None
) -> pd.DataFrame:
    """Per year Y, rank and gender: the persons in the rank at the year's census (the last snapshot of Y-1)
    and how many of them moved up the ladder from it between consecutive snapshots during Y. Read from the
    promotion summary the imports keep (storage/promotions.py).

    Only years whose last snapshot is in December count (a year seen whole). Columns: year, rank_group,
    gender, [by], at_risk, promoted.
    """
    cube = promotion_cube
    up = sa.case((sa.and_(cube.c.moves.is_not(None), _up_moves(ladders, cube)), cube.c.persons), else_=0)
    keys = [cube.c.year, cube.c.rank_group, cube.c.gender, *([cube.c[by]] if by else [])]
    q = (
        sa.select(
            *keys,
            sa.cast(sa.func.sum(cube.c.persons), sa.BigInteger).label("at_risk"),
            sa.cast(sa.func.sum(up), sa.BigInteger).label("promoted"),
        )
        .where(filters.predicate(cube), cube.c.rank_group.in_(ladders.order))
        .group_by(*keys)
    )
    frame = _grouped(q, conn, ["year", "rank_group", "gender", *([by] if by else []), "at_risk", "promoted"])
    return frame.astype({"year": int, "at_risk": int, "promoted": int})


def rank_stays(conn: Connection, ladders: Ladders, filters: Filters = Filters()) -> pd.DataFrame:
    """Stays in one rank, from the snapshot a person is first seen in it to the move out, counted by rank,
    gender, start and end position and how the stay ended (PROMOTED, LEFT, or CENSORED: still in it at the
    last snapshot, or moved down or to another ladder). Stays already running at the first snapshot are out:
    their time in rank is unknown. Read from the stay summary the imports keep (storage/careers.py).
    Columns: rank_group, gender, start_i, end_i, outcome, persons."""
    cube = stay_cube
    start, end = _numbered("start_at"), _numbered("end_at")
    last_i = sa.select(sa.func.count()).select_from(snapshot_calendar).scalar_subquery()
    outcome = sa.case(
        (end.c.i == last_i, CENSORED),
        (sa.not_(cube.c.continued), LEFT),
        (_promoted(ladders, cube.c.rank_group, cube.c.next_rank), PROMOTED),
        else_=CENSORED,
    )
    stays = (
        sa.select(cube.c.rank_group, cube.c.gender, start.c.i.label("start_i"), end.c.i.label("end_i"))
        .add_columns(outcome.label("outcome"), cube.c.persons)
        .join_from(cube, start, start.c.snapshot_date == cube.c.start_date)
        .join(end, end.c.snapshot_date == cube.c.end_date)
        .where(filters.predicate(cube), start.c.i > 1, cube.c.rank_group.in_(ladders.order))
        .subquery("stays")
    )
    keys = [stays.c.rank_group, stays.c.gender, stays.c.start_i, stays.c.end_i, stays.c.outcome]
    q = sa.select(*keys, sa.cast(sa.func.sum(stays.c.persons), sa.BigInteger)).group_by(*keys)
    frame = _grouped(q, conn, ["rank_group", "gender", "start_i", "end_i", "outcome", "persons"])
    return frame.astype({"start_i": int, "end_i": int, "outcome": int, "persons": int})


def matrix_pairs(conn: Connection, filters: Filters, rows: str, columns: str, on: dt.date) -> pd.DataFrame:
    """The pairs of values of two dimensions someone holds on one date (blank values left out: no cell), grouped
    in SQL on the headcount cube the breakdowns read, so listing a matrix's cells scans no snapshot. Columns:
    row, column."""
    c = headcount_cube
    if rows not in DIMENSIONS or columns not in DIMENSIONS:
        raise ValueError(f"pairs are of two dimensions, not {rows} x {columns}")
    r, col = c.c[rows], c.c[columns]
    q = (
        sa.select(r, col)
        .where(c.c.snapshot_date == on, filters.predicate(c), r.is_not(None), col.is_not(None))
        .group_by(r, col)
        .having(sa.func.sum(c.c.headcount) > 0)
    )
    return _grouped(q, conn, ["row", "column"])


# Series a target can follow (the metric registry's readers): one value per year, None where it is hidden.
Points = list[tuple[dt.date, float | None]]


def _year_end(year: int) -> dt.date:
    return dt.date(int(year), 12, 31)


def _rate(part: int, whole: int, k: int) -> float | None:
    """part / whole, shown only when the part, the rest and so the whole reach k."""
    return None if whole == 0 or part < k or whole - part < k else part / whole


def intake_points(conn: Connection, filters: Filters, k: int) -> Points:
    """The women's share of hires per entry year (the intake metric); hidden when women or men hired are under k."""
    spells = spell_counts(conn, filters)
    index = snapshot_index(conn)
    hires = spells[spells["start_i"] > 1].merge(index, left_on="start_i", right_on="i")
    hires = hires.assign(year=[d.year for d in hires["snapshot_date"]])
    per_year = hires.pivot_table(index="year", columns="gender", values="persons", aggfunc="sum", fill_value=0)
    per_year = per_year.reindex(columns=["F", "M"], fill_value=0)
    return [
        (_year_end(y), _rate(int(r.F), int(r.F + r.M), k))
        for y, r in zip(per_year.index, per_year.itertuples(), strict=True)
    ]


def retention_points(conn: Connection, filters: Filters, years: int, k: int) -> Points:
    """Per entry year, the share of the women hired that year still in the same spell `years` later (the
    retention metric), dated at the end of the year it is known; only cohorts seen that long."""
    spells = spell_counts(conn, filters)
    index = snapshot_index(conn)
    dates = dict(zip(index["i"], index["snapshot_date"], strict=True))
    last = dates[int(index["i"].max())] if len(index) else None
    women = spells[(spells["start_i"] > 1) & (spells["gender"] == "F")]
    points: Points = []
    for year, cohort in women.groupby(women["start_i"].map(lambda i: dates[i].year)):
        if last is None or year + years > last.year:
            continue
        stayed = sum(
            n
            for s, e, n in zip(cohort["start_i"], cohort["end_i"], cohort["persons"], strict=True)
            if (dates[int(e)].year - dates[int(s)].year) * 12 + dates[int(e)].month - dates[int(s)].month >= 12 * years
        )
        points.append((_year_end(year + years), _rate(int(stayed), int(cohort["persons"].sum()), k)))
    return points


def promotion_points(conn: Connection, ladders: Ladders, filters: Filters, rank: str, k: int) -> Points:
    """Per year, one level's impact ratio (women's promotion rate over men's; the promotion metric); hidden when
    any of its four counts is under k."""
    counts = promotion_counts(conn, ladders, filters)
    counts = counts[counts["rank_group"] == rank]
    points: Points = []
    for year, rows in counts.groupby("year"):
        by = rows.set_index("gender")
        if not {"F", "M"} <= set(by.index):
            continue
        wa, wp, ma, mp = (int(by.loc[g, c]) for g in ("F", "M") for c in ("at_risk", "promoted"))
        hidden = min(wa, wp, ma, mp) < k
        points.append((_year_end(year), None if hidden else (wp / wa) / (mp / ma)))
    return points
