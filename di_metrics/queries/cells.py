"""The true cells of the organisation, raw, for the disclosure audit only (analysis/disclosure.py): persons per
snapshot date, gender and dimension values; moves between snapshots; answers per wave, group and answer. They
never reach a user: the audit prints intervals and shares, never a cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.queries.survey_counts import waves_with_x
from di_metrics.storage.store import headcount_cube, survey_answer, survey_item, survey_respondent, transition_cube
from di_metrics.vocab import DIMENSIONS

__all__ = ["answer_cells", "complete", "dimension_values", "move_cells", "stock_cells", "survey_waves_and_item"]


def stock_cells(conn: Connection, dates: tuple[dt.date, ...]) -> pd.DataFrame:
    c = headcount_cube
    cols = [c.c.snapshot_date, c.c.gender, *(c.c[d] for d in DIMENSIONS)]
    query = sa.select(*cols, sa.func.sum(c.c.headcount)).where(c.c.snapshot_date.in_(dates)).group_by(*cols)
    frame = pd.DataFrame([tuple(r) for r in conn.execute(query).all()], columns=["time", "gender", *DIMENSIONS, "n"])
    frame = complete(frame.assign(gender=frame["gender"].fillna("")), ["time", *DIMENSIONS], "gender", "FMX")
    return frame.assign(kind="s")


def complete(frame: pd.DataFrame, groups: list[str], column: str, values: Iterable) -> pd.DataFrame:
    """Every value of `column` in every group present, zero where there is none: the attacker does not know
    where a count is zero."""
    present = frame[groups].drop_duplicates()
    grid = present.merge(pd.DataFrame({column: sorted(set(values) | set(frame[column]))}), how="cross")
    full = grid.merge(frame, on=[*groups, column], how="left", sort=False)
    return full.assign(n=full["n"].fillna(0))


def move_cells(conn: Connection, dates: tuple[dt.date, ...]) -> pd.DataFrame:
    """Persons per snapshot date moving from one (gender, dimension values) to another; a hire has no from side,
    an exit no to side. As for stocks, the attacker knows where someone moved, not their gender: every move
    present is a cell for every gender, zero where nobody of it moved (a person keeps their gender across a move).
    Read only where moves were, the LP would know an X exit's rank group from there being no other X exit cell.
    A gender filled in or changed between snapshots is a move of its own, kept as it is (the attacker then knows
    more, never less: the truth must meet every stock's equation)."""
    t = transition_cube
    sides = [t.c.from_gender, *(t.c[f"from_{d}"] for d in DIMENSIONS), t.c.to_gender]
    sides += [t.c[f"to_{d}"] for d in DIMENSIONS]
    first, last = min(dates), max(dates)
    query = (
        sa.select(t.c.snapshot_date, *sides, sa.func.sum(t.c.persons))
        .where(t.c.snapshot_date > first, t.c.snapshot_date <= last)
        .group_by(t.c.snapshot_date, *sides)
    )
    names = ["time", "f_gender", *(f"f_{d}" for d in DIMENSIONS), "gender", *DIMENSIONS, "n"]
    frame = pd.DataFrame([tuple(r) for r in conn.execute(query).all()], columns=names)
    hire, leave = frame["f_org_unit"].isna(), frame["org_unit"].isna()
    recoded = ~hire & ~leave & (frame["f_gender"].fillna("") != frame["gender"].fillna(""))
    kept, frame = frame[recoded], frame[~recoded]  # a gender filled in or changed: kept as it is (more known)
    hire, leave = hire[~recoded], leave[~recoded]
    frame = frame.assign(mover=frame["gender"].where(leave.eq(False), frame["f_gender"]).fillna(""))
    frame["side"] = np.select([hire, leave], ["hire", "exit"], "move")
    places = ["time", "side", *(f"f_{d}" for d in DIMENSIONS), *DIMENSIONS]
    present = frame.drop(columns=["gender", "f_gender"]).astype({p: object for p in places})
    present[places] = present[places].where(present[places].notna(), _NONE)
    full = complete(present, places, "mover", "FMX")
    full[places] = full[places].where(full[places] != _NONE, None)
    gender = full["mover"].where(full["side"] != "exit", "")
    f_gender = full["mover"].where(full["side"] != "hire", "")
    full = full.drop(columns=["mover", "side"]).assign(gender=gender, f_gender=f_gender)
    kept = kept.assign(gender=kept["gender"].fillna(""), f_gender=kept["f_gender"].fillna(""))
    return pd.concat([full, kept[full.columns]], ignore_index=True).assign(kind="t")


_NONE = "\x01"  # a missing side (a hire's from, an exit's to) as a key value (pandas reads "\x00" as "")


def answer_cells(conn: Connection, item: str, waves: tuple[int, ...]) -> pd.DataFrame:
    r, a = survey_respondent, survey_answer
    x_waves = waves_with_x(conn)
    cols = [r.c.wave, r.c.gender, *(r.c[d] for d in DIMENSIONS), a.c.answer]
    query = (
        sa.select(*cols, sa.func.count())
        .select_from(a.join(r, sa.and_(a.c.wave == r.c.wave, a.c.respondent_id == r.c.respondent_id)))
        .where(a.c.item == item, r.c.wave.in_(waves))
        .group_by(*cols)
    )
    names = ["time", "gender", *DIMENSIONS, "answer", "n"]
    frame = pd.DataFrame([tuple(x) for x in conn.execute(query).all()], columns=names)
    frame = frame[(frame["gender"] != "X") | frame["time"].isin(x_waves)]  # X never enters a figure there
    frame = frame.assign(gender=frame["gender"].fillna(""))
    scale = conn.execute(
        sa.select(survey_item.c.scale_min, survey_item.c.scale_max).where(survey_item.c.item == item)
    ).one()
    frame = complete(frame, ["time", "gender", *DIMENSIONS], "answer", range(scale[0], scale[1] + 1))
    return frame.assign(kind="a")


def survey_waves_and_item(conn: Connection) -> tuple[list[int], str | None]:
    """The survey's waves, oldest first, and the item answered most."""
    waves = sorted(int(w) for (w,) in conn.execute(sa.select(survey_respondent.c.wave).distinct()).all())
    a = survey_answer
    top = conn.execute(sa.select(a.c.item).group_by(a.c.item).order_by(sa.func.count().desc(), a.c.item)).all()
    return waves, (top[0][0] if top else None)


def dimension_values(conn: Connection) -> dict[str, list[str]]:
    """Every stored value of every dimension."""
    c = headcount_cube
    return {
        d: sorted(v for (v,) in conn.execute(sa.select(c.c[d]).distinct().where(c.c[d].is_not(None))).all())
        for d in DIMENSIONS
    }
