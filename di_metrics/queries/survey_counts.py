"""Survey answers aggregated in SQL (one row per wave, group and item) and the statistics on them: the raw
counts the survey tables are made from, for the privacy rules and the tables only (queries/survey.py).

Respondents of gender X are a group of their own where they are at least the survey minimum; a population whose
X row would be hidden leaves its X out of every figure (queries/survey_x.py), so the total minus women and men
never gives them away and no woman or man is hidden to protect them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.errors import InvalidChoice
from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.survey_x import ALL, IS_X, fold_x, is_x, waves_with_x
from di_metrics.storage.store import survey_answer, survey_item, survey_respondent
from di_metrics.vocab import BREAKDOWNS, GROUP_SEPARATOR, TWO_WAY

__all__ = [
    "ALL",
    "MISSING",
    "Z95",
    "Codebook",
    "answer_counts",
    "group_by",
    "item_counts",
    "load_codebook",
    "respondents_answering",
    "shown_groups",
    "two_proportion_z",
    "waves_with_x",
    "wilson",
]

Z95 = 1.959963984540054


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion p observed on n (possibly effective) respondents."""
    if n <= 0:
        return (math.nan, math.nan)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


def two_proportion_z(p1: float, n1: float, p2: float, n2: float) -> float:
    """The pooled two-proportion z statistic."""
    if n1 <= 0 or n2 <= 0:
        return math.nan
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return (p1 - p2) / se if se > 0 else 0.0


@dataclass(frozen=True)
class Codebook:
    """Items with their construct, texts, scale and favourable threshold."""

    items: pd.DataFrame  # indexed by item

    def measures(self) -> list[str]:
        return sorted(set(self.items["construct"])) + sorted(self.items.index)

    def items_of(self, measure: str) -> list[str]:
        if measure in self.items.index:
            return [measure]
        return sorted(self.items.index[self.items["construct"] == measure])


def load_codebook(conn: Connection) -> Codebook:
    rows = conn.execute(sa.select(survey_item)).mappings().all()
    frame = pd.DataFrame([dict(r) for r in rows])
    if frame.empty:
        frame = pd.DataFrame(columns=[c.name for c in survey_item.columns])
    return Codebook(frame.set_index("item"))


def _favourable(answer: sa.ColumnElement, item: sa.Table) -> sa.ColumnElement:
    """1 for a favourable answer: at or above the threshold, or at or below its mirror for reversed items."""
    mirrored = item.c.scale_min + item.c.scale_max - item.c.favourable_min
    return sa.case(
        (sa.and_(item.c.reverse, answer <= mirrored), 1.0),
        (sa.and_(sa.not_(item.c.reverse), answer >= item.c.favourable_min), 1.0),
        else_=0.0,
    )


MISSING = privacy.MISSING  # the label of a blank value: a sibling group for the privacy rules, never shown


def group_by(r: sa.Table, by: str | None) -> tuple[sa.ColumnElement, list[sa.ColumnElement], list[sa.ColumnElement]]:
    """The group label for a breakdown by one dimension, or by two joined as 'a+b'; and its GROUP BY and NOT NULL.

    Respondents with a blank value form the group MISSING, so the sibling rules see them (dropped after)."""
    if not by:
        return sa.literal_column(f"'{ALL}'"), [], []
    dims = by.split(TWO_WAY)
    for d in dims:
        if d not in BREAKDOWNS:
            raise InvalidChoice("unknown_breakdown", value=d, allowed=list(BREAKDOWNS))
    cols = [r.c[d] for d in dims]
    if not privacy.missing_as_sibling():
        label = cols[0] if len(cols) == 1 else sa.func.concat(cols[0], GROUP_SEPARATOR, cols[1])
        return label, cols, [c.is_not(None) for c in cols]
    named = [sa.func.coalesce(c, sa.literal(MISSING, sa.String)) for c in cols]
    label = named[0] if len(named) == 1 else sa.func.concat(named[0], GROUP_SEPARATOR, named[1])
    return label, cols, []


def shown_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Without the blank-value groups, which took part in the rules but are never shown."""
    keep = ~frame["group"].astype(str).str.contains(MISSING, regex=False)
    return frame[keep].reset_index(drop=True)


def item_counts(conn: Connection, filters: Filters, by: str | None, items: list[str]) -> pd.DataFrame:
    """Per wave, group and item: respondents, weighted favourable share, weight sums, the mean answer and the
    respondents answering favourably (`nfav`, for the rule that a shown % favourable pins no small count)."""
    r, a, i = survey_respondent, survey_answer, survey_item
    group, group_cols, present = group_by(r, by)
    grouping = [r.c.wave, *group_cols, a.c.item]
    weight = sa.func.coalesce(r.c.weight, 1.0)
    fav = _favourable(a.c.answer, i)
    x = is_x(r)
    query = (
        sa.select(
            r.c.wave,
            group.label("grp"),
            a.c.item,
            x.label(IS_X),
            sa.func.count().label("n"),
            sa.func.sum(weight).label("w"),
            sa.func.sum(weight * weight).label("w2"),
            sa.func.sum(weight * fav).label("wfav"),
            sa.func.sum(weight * a.c.answer).label("wanswer"),
            sa.func.sum(fav).label("nfav"),
        )
        .select_from(
            a.join(r, sa.and_(a.c.wave == r.c.wave, a.c.respondent_id == r.c.respondent_id)).join(
                i, a.c.item == i.c.item
            )
        )
        .where(filters.predicate(r), a.c.item.in_(items), *present)
        .group_by(*grouping, x)
    )
    sums = ["n", "w", "w2", "wfav", "wanswer", "nfav"]
    frame = pd.DataFrame([tuple(x) for x in conn.execute(query).all()], columns=["wave", "group", "item", IS_X, *sums])
    frame = fold_x(conn, filters, by, frame, sums, tuple(sorted(items)))
    return frame.astype({"n": int, "w": float, "w2": float, "wfav": float, "wanswer": float, "nfav": int})


def respondents_answering(conn: Connection, filters: Filters, by: str | None, items: list[str]) -> pd.DataFrame:
    """Per wave and group: respondents who answered at least one of the items, and their effective number."""
    r, a = survey_respondent, survey_answer
    group, group_cols, present = group_by(r, by)
    answered = sa.select(a.c.wave, a.c.respondent_id).where(a.c.item.in_(items)).distinct().subquery("answered")
    weight = sa.func.coalesce(r.c.weight, 1.0)
    x = is_x(r)
    query = (
        sa.select(
            r.c.wave,
            group.label("grp"),
            x.label(IS_X),
            sa.func.count().label("n"),
            sa.func.sum(weight).label("w"),
            sa.func.sum(weight * weight).label("w2"),
        )
        .select_from(
            answered.join(r, sa.and_(answered.c.wave == r.c.wave, answered.c.respondent_id == r.c.respondent_id))
        )
        .where(filters.predicate(r), *present)
        .group_by(r.c.wave, *group_cols, x)
    )
    frame = pd.DataFrame([tuple(x) for x in conn.execute(query).all()], columns=["wave", "group", IS_X, "n", "w", "w2"])
    frame = fold_x(conn, filters, by, frame, ["n", "w", "w2"], tuple(sorted(items)))
    return frame.astype({"n": int, "w": float, "w2": float})


def answer_counts(conn: Connection, filters: Filters, items: list[str], wave: int, by: str | None) -> pd.DataFrame:
    r, a = survey_respondent, survey_answer
    group, group_cols, present = group_by(r, by)
    weight = sa.func.coalesce(r.c.weight, 1.0)
    x = is_x(r)
    counts = [sa.func.count().label("n"), sa.func.sum(weight).label("w")]
    query = (
        sa.select(a.c.item, group.label("grp"), a.c.answer, x.label(IS_X), *counts)
        .select_from(a.join(r, sa.and_(a.c.wave == r.c.wave, a.c.respondent_id == r.c.respondent_id)))
        .where(filters.predicate(r), a.c.item.in_(items), a.c.wave == wave, *present)
        .group_by(a.c.item, *group_cols, a.c.answer, x)
    )
    names = ["item", "group", "answer", IS_X, "n", "w"]
    frame = pd.DataFrame([tuple(x) for x in conn.execute(query).all()], columns=names).assign(wave=wave)
    return fold_x(conn, filters, by, frame, ["n", "w"], None).drop(columns=["wave"])
