"""A selection's hires and exits read straight from the transitions table with SQL written here, so tests check
the flows against counts the flows code did not make: a hire is a move whose to side is in the selection and
whose from side is not (a hire into the organisation has no from side), an exit the other way round. And the
one-branch organisations of persons moving between units that the flow tests work by hand, imported."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from di_metrics.analysis import disclosure
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file


def own_flows(conn, selection: dict[str, list[str]]) -> dict[tuple[int, str, str], int]:
    """(year, gender, "hires" or "exits"): persons, for the selection (dimension: values); absent means 0."""
    params: dict = {}

    def inside(side: str) -> str:
        terms = [f"{side}org_unit IS NOT NULL"]
        for i, (dim, values) in enumerate(sorted(selection.items())):
            names = [f"{side}{i}_{j}" for j in range(len(values))]
            params.update(zip(names, values, strict=True))
            terms.append(f"{side}{dim} IN ({', '.join(':' + n for n in names)})")
        return "(" + " AND ".join(terms) + ")"

    to, came_from = inside("to_"), inside("from_")
    out: dict = {}
    for measure, gender, where in (
        ("hires", "to_gender", f"{to} AND NOT COALESCE({came_from}, FALSE)"),
        ("exits", "from_gender", f"{came_from} AND NOT COALESCE({to}, FALSE)"),
    ):
        query = (
            f"SELECT EXTRACT(YEAR FROM snapshot_date) AS y, {gender} AS g, SUM(persons) AS n FROM transition_cube "
            f"WHERE {where} AND {gender} IS NOT NULL GROUP BY 1, 2"
        )
        for year, g, n in conn.execute(sa.text(query), params):
            out[int(year), str(g), measure] = int(n)
    return out


HEADER = "snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"
# The two snapshots the hand-made flow organisations span, attacked over their one year of moves.
SCOPE = disclosure.Scope(
    dates=(dt.date(2022, 12, 31), dt.date(2023, 12, 31)),
    years=(2023,),
    waves=(),
    item=None,
    breakdowns=("branch", "rank_group", "org_unit"),
)


def one_branch(engine, folder, persons: list[tuple[str, str, dict]], branch_of: dict | None = None):
    """persons: (id, gender, {date: unit}); everyone manschappen and military, in branch B1 or the unit's
    `branch_of` (blank: ""). Imports them as a file and returns a connection (a context manager)."""
    lines = []
    for pid, gender, at in persons:
        for d, unit in at.items():
            lines.append(f"{d},{pid},{gender},{unit},{(branch_of or {}).get(unit, 'B1')},manschappen,military")
    return imported(engine, folder, lines)


def imported(engine, folder, lines: list[str]):
    """A workforce file of these lines (after the header) imported; a connection (a context manager)."""
    path = folder / "workforce.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    import_file(engine, "workforce", path)
    return store.connect(engine)
