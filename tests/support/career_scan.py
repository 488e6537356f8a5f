"""The career reads as scans of the person-level snapshots, written independently of the package (plain SQL,
another formulation: a spell starts on a row with no row of the person on the previous calendar date and ends
on the first row after it with none on the next). The tests compare the summaries' reads with these."""

from __future__ import annotations

import sqlalchemy as sa

_ROWS = """
WITH dates AS (SELECT DISTINCT snapshot_date FROM workforce_snapshot),
cal AS (SELECT snapshot_date, ROW_NUMBER() OVER (ORDER BY snapshot_date) AS i FROM dates),
r AS (
    SELECT s.person_id, s.gender, s.branch, s.personnel_category, s.rank_group, s.org_unit, cal.i
    FROM workforce_snapshot s JOIN cal ON cal.snapshot_date = s.snapshot_date
)
"""

_SPELLS = (
    _ROWS
    + """,
starts AS (SELECT * FROM r WHERE NOT EXISTS (SELECT 1 FROM r p WHERE p.person_id = r.person_id AND p.i = r.i - 1)),
ends AS (
    SELECT person_id, i FROM r WHERE NOT EXISTS (SELECT 1 FROM r n WHERE n.person_id = r.person_id AND n.i = r.i + 1)
),
spells AS (
    SELECT st.*, (SELECT MIN(e.i) FROM ends e WHERE e.person_id = st.person_id AND e.i >= st.i) AS end_i FROM starts st
)
"""
)


def _rows(conn, sql: str, params: dict) -> list[tuple]:
    return sorted(
        (tuple(int(v) if isinstance(v, int) else v for v in r) for r in conn.execute(sa.text(sql), params)), key=_key
    )


def _key(row: tuple) -> tuple:
    return tuple((v is None, str(v)) for v in row)


def spells(conn, by: str | None = None, branch: str | None = None) -> list[tuple]:
    """(start_i, end_i, gender, [by], persons) for every spell, optionally of one branch at its start."""
    extra = f", {by}" if by else ""
    where = "WHERE branch = :branch" if branch else ""
    sql = _SPELLS + f"SELECT i, end_i, gender{extra}, COUNT(*) FROM spells {where} GROUP BY i, end_i, gender{extra}"
    return _rows(conn, sql, {"branch": branch} if branch else {})


def as_rows(frame) -> list[tuple]:
    """A read's frame as sorted plain tuples, to compare with a scan."""
    return sorted(
        (tuple(v.item() if hasattr(v, "item") else v for v in r) for r in frame.itertuples(index=False)), key=_key
    )


_STAYS = (
    _ROWS
    + """,
same AS (SELECT * FROM r),
starts AS (
    SELECT * FROM r WHERE NOT EXISTS (
        SELECT 1 FROM same p WHERE p.person_id = r.person_id AND p.i = r.i - 1
        AND p.rank_group IS NOT DISTINCT FROM r.rank_group
    )
),
ends AS (
    SELECT person_id, i FROM r WHERE NOT EXISTS (
        SELECT 1 FROM same n WHERE n.person_id = r.person_id AND n.i = r.i + 1
        AND n.rank_group IS NOT DISTINCT FROM r.rank_group
    )
),
stays AS (
    SELECT st.*, (SELECT MIN(e.i) FROM ends e WHERE e.person_id = st.person_id AND e.i >= st.i) AS end_i FROM starts st
)
SELECT stays.rank_group, stays.gender, stays.i, stays.end_i, nx.person_id IS NOT NULL, nx.rank_group,
    (SELECT COUNT(*) FROM cal)
FROM stays LEFT JOIN r nx ON nx.person_id = stays.person_id AND nx.i = stays.end_i + 1
"""
)


def stays(conn, ladders, branch: str | None = None) -> list[tuple]:
    """(rank_group, gender, start_i, end_i, outcome, persons) for the stays in a ladder's rank that started
    after the first snapshot; the outcome worked out here from the rank that followed."""
    sql = _STAYS + ("WHERE stays.branch = :branch" if branch else "")
    counted: dict[tuple, int] = {}
    for rank, gender, start, end, went_on, after, last in conn.execute(
        sa.text(sql), {"branch": branch} if branch else {}
    ):
        if start == 1 or rank not in ladders.order:
            continue
        up = after in ladders.order and ladders.category_of(after) == ladders.category_of(rank)
        up = up and ladders.level(after) > ladders.level(rank)
        outcome = 0 if end == last else 2 if not went_on else 1 if up else 0
        key = (rank, gender, int(start), int(end), outcome)
        counted[key] = counted.get(key, 0) + 1
    return sorted(((*k, n) for k, n in counted.items()), key=_key)


_PROMOTIONS = (
    _ROWS
    + """,
years AS (
    SELECT EXTRACT(YEAR FROM snapshot_date) AS y, MAX(i) AS last_i, MAX(EXTRACT(MONTH FROM snapshot_date)) AS m
    FROM cal GROUP BY EXTRACT(YEAR FROM snapshot_date)
),
census AS (
    SELECT r.*, yc.y AS year, yc.last_i AS close_i
    FROM r JOIN years yp ON r.i = yp.last_i JOIN years yc ON yc.y = yp.y + 1
    WHERE yc.m = 12
)
SELECT c.year, c.person_id, c.rank_group, c.gender, c.branch, n.rank_group
FROM census c
LEFT JOIN r a ON a.person_id = c.person_id AND a.rank_group = c.rank_group AND a.i >= c.i AND a.i < c.close_i
LEFT JOIN r n ON n.person_id = a.person_id AND n.i = a.i + 1
"""
)


def promotions(conn, ladders, branch: str | None = None) -> list[tuple]:
    """(year, rank_group, gender, at_risk, promoted): the persons in a ladder's rank at each year's census
    (the last snapshot of the year before, for years whose last snapshot is in December) and how many of them
    moved up from that rank to the next snapshot during the year; the verdict worked out here."""
    people: dict[tuple, bool] = {}
    for year, person, rank, gender, at_branch, after in conn.execute(sa.text(_PROMOTIONS)):
        if rank not in ladders.order or (branch and at_branch != branch):
            continue
        key = (int(year), person, rank, gender)
        people[key] = people.get(key, False) or (after is not None and ladders.is_promotion(rank, after))
    counted: dict[tuple, list[int]] = {}
    for (year, _person, rank, gender), up in people.items():
        n = counted.setdefault((year, rank, gender), [0, 0])
        n[0], n[1] = n[0] + 1, n[1] + int(up)
    return sorted(((*k, *n) for k, n in counted.items()), key=_key)
