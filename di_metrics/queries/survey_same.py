"""Same respondents, same figure: a survey row whose respondents are exactly those of a simpler selection (a
branch filter around a unit that lies in it, a unit of another branch beside a branch's row, a breakdown value
that everyone in the selection has) is that selection's figure, so it takes that selection's decision
(docs/privacy.md, "Same respondents, same figure"). Else one road hides what another shows, and the hidden
figure equals the shown one.

A row's population is its filters and its group's values. Its canonical form drops the filter values that hold
none of its respondents, then each filter or breakdown that cuts none of them (filters first, coarse before fine,
then breakdowns), judged on all respondents of the wave.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.survey_counts import ALL
from di_metrics.storage.store import survey_respondent
from di_metrics.vocab import DIMENSIONS, GROUP_SEPARATOR, TWO_WAY, group_parts

__all__ = ["View", "canonical_views"]

View = tuple[Filters, str | None, str]  # filters, breakdown, group


def _respondents(conn: Connection, dims: tuple[str, ...]) -> pd.DataFrame:
    """Respondents per wave and value of each dimension (a blank value as privacy.MISSING), once per version."""
    r = survey_respondent

    def decide() -> pd.DataFrame:
        cols = [sa.func.coalesce(r.c[d], sa.literal(privacy.MISSING, sa.String)).label(d) for d in dims]
        query = sa.select(r.c.wave, *cols, sa.func.count().label("n")).group_by(r.c.wave, *[r.c[d] for d in dims])
        frame = pd.DataFrame([tuple(x) for x in conn.execute(query).all()], columns=["wave", *dims, "n"])
        return frame.astype({"wave": int, "n": int})

    return privacy.decided(conn, ("survey", "respondents_by", dims), decide)


def _canonical(table: pd.DataFrame, chosen: dict[str, set[str]], order: list[str]) -> dict[str, set[str]] | None:
    """The constraints left once values and dimensions that cut none of the population are dropped."""

    def inside(c: dict[str, set[str]]) -> pd.Series:
        mask = pd.Series(True, index=table.index)
        for d, values in c.items():
            mask &= table[d].isin(values)
        return mask

    population = inside(chosen)
    size = int(table.loc[population, "n"].sum())
    if size == 0:
        return None
    out = {d: v & set(table.loc[population, d]) for d, v in chosen.items()}
    for d in order:
        rest = {e: v for e, v in out.items() if e != d}
        if int(table.loc[inside(rest), "n"].sum()) == size:
            out = rest
    return out


def canonical_views(conn: Connection, filters: Filters, by: str | None, rows: pd.DataFrame) -> list[View | None]:
    """Per row (wave, group): the simplest view (filters, breakdown, group) that holds exactly its respondents,
    or None where that is the row's own view (or a blank value's row, never shown)."""
    bdims = by.split(TWO_WAY) if by else []
    fdims = [d for d in DIMENSIONS if d in filters.as_dict() and d not in bdims]
    if filters.exempt_units or rows.empty or not (fdims or bdims):
        return [None] * len(rows)
    table = _respondents(conn, tuple(dict.fromkeys([*fdims, *bdims])))
    out: list[View | None] = []
    for wave, group in zip(rows["wave"], rows["group"], strict=True):
        parts = group_parts(group) if bdims else []
        if privacy.MISSING in parts:
            out.append(None)
            continue
        chosen = {d: set(filters.as_dict()[d]) for d in fdims}
        chosen |= {d: {p} for d, p in zip(bdims, parts, strict=True)}
        kept = _canonical(table[table["wave"] == int(wave)], chosen, [*fdims, *bdims])
        if kept is None:
            out.append(None)
            continue
        view_by = [d for d in bdims if d in kept]
        view = (
            Filters.of({d: sorted(kept[d]) for d in fdims if d in kept}),
            TWO_WAY.join(view_by) or None,
            GROUP_SEPARATOR.join(next(iter(kept[d])) for d in view_by) or ALL,
        )
        out.append(None if view[:2] == (filters, by) else view)
    return out
