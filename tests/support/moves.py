"""A selection's hires and exits read straight from the transitions table with SQL written here, so tests check
the flows against counts the flows code did not make: a hire is a move whose to side is in the selection and
whose from side is not (a hire into the organisation has no from side), an exit the other way round."""

from __future__ import annotations

import sqlalchemy as sa


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
