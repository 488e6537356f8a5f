"""Survey results per wave and group: % favourable, mean, Wilson intervals and two-proportion tests.

Respondent answers are aggregated in SQL to one row per wave, group and item; constructs, intervals,
tests and the privacy rules are applied to those small results.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_survey_cell, min_workforce_cell
from di_metrics.errors import InvalidChoice
from di_metrics.models.survey import AnswerShare
from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.storage.store import formal_report, survey_answer, survey_item, survey_respondent, survey_result
from di_metrics.vocab import BREAKDOWNS, DIMENSIONS, FINE_DIMENSIONS, GROUP_SEPARATOR, TWO_WAY

__all__ = [
    "ALL",
    "MISSING",
    "REPORT_CATEGORY",
    "REPORT_COLUMNS",
    "SHARE_DECIMALS",
    "Z95",
    "Codebook",
    "answer_distribution",
    "answers",
    "formal_reports",
    "hidden_groups",
    "inconsistent_lines",
    "item_counts",
    "load_codebook",
    "protect",
    "published_measures",
    "published_results",
    "report_cells",
    "report_kind",
    "respondents_answering",
    "survey_table",
    "survey_table_counts",
    "two_proportion_z",
    "wilson",
]

Z95 = 1.959963984540054
SHARE_DECIMALS = 3  # shares leave the package rounded to what is displayed (a tenth of a percent)
ALL = "all"


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


MISSING = "\x1f"  # the label of a blank value: a sibling group for the privacy rules, never shown


def _group(r: sa.Table, by: str | None) -> tuple[sa.ColumnElement, list[sa.ColumnElement], list[sa.ColumnElement]]:
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


def _shown_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Without the blank-value groups, which took part in the rules but are never shown."""
    keep = ~frame["group"].astype(str).str.contains(MISSING, regex=False)
    return frame[keep].reset_index(drop=True)


def item_counts(conn: Connection, filters: Filters, by: str | None, items: list[str]) -> pd.DataFrame:
    """Per wave, group and item: respondents, weighted favourable share, weight sums and the mean answer."""
    r, a, i = survey_respondent, survey_answer, survey_item
    group, group_cols, present = _group(r, by)
    grouping = [r.c.wave, *group_cols, a.c.item]
    weight = sa.func.coalesce(r.c.weight, 1.0)
    fav = _favourable(a.c.answer, i)
    query = (
        sa.select(
            r.c.wave,
            group.label("grp"),
            a.c.item,
            sa.func.count().label("n"),
            sa.func.sum(weight).label("w"),
            sa.func.sum(weight * weight).label("w2"),
            sa.func.sum(weight * fav).label("wfav"),
            sa.func.sum(weight * a.c.answer).label("wanswer"),
        )
        .select_from(
            a.join(r, sa.and_(a.c.wave == r.c.wave, a.c.respondent_id == r.c.respondent_id)).join(
                i, a.c.item == i.c.item
            )
        )
        .where(filters.predicate(r), a.c.item.in_(items), r.c.gender.is_distinct_from("X"), *present)
        .group_by(*grouping)
    )
    rows = conn.execute(query).all()
    frame = pd.DataFrame([tuple(x) for x in rows], columns=["wave", "group", "item", "n", "w", "w2", "wfav", "wanswer"])
    return frame.astype({"n": int, "w": float, "w2": float, "wfav": float, "wanswer": float})


def respondents_answering(conn: Connection, filters: Filters, by: str | None, items: list[str]) -> pd.DataFrame:
    """Per wave and group: respondents who answered at least one of the items, and their effective number."""
    r, a = survey_respondent, survey_answer
    group, group_cols, present = _group(r, by)
    answered = sa.select(a.c.wave, a.c.respondent_id).where(a.c.item.in_(items)).distinct().subquery("answered")
    weight = sa.func.coalesce(r.c.weight, 1.0)
    query = (
        sa.select(
            r.c.wave,
            group.label("grp"),
            sa.func.count().label("n"),
            sa.func.sum(weight).label("w"),
            sa.func.sum(weight * weight).label("w2"),
        )
        .select_from(
            answered.join(r, sa.and_(answered.c.wave == r.c.wave, answered.c.respondent_id == r.c.respondent_id))
        )
        .where(filters.predicate(r), r.c.gender.is_distinct_from("X"), *present)
        .group_by(r.c.wave, *group_cols)
    )
    rows = conn.execute(query).all()
    return pd.DataFrame([tuple(x) for x in rows], columns=["wave", "group", "n", "w", "w2"]).astype(
        {"n": int, "w": float, "w2": float}
    )


def _measure_rows(counts: pd.DataFrame, answering: pd.DataFrame, measure: str, items: list[str]) -> pd.DataFrame:
    """One row per wave and group: n, % favourable (mean of the items' percentages), mean answer, n effective."""
    per_item = counts.assign(pct=100 * counts["wfav"] / counts["w"], mean=counts["wanswer"] / counts["w"])
    out = (
        per_item.groupby(["wave", "group"])
        .agg(pct_favourable=("pct", "mean"), mean=("mean", "mean"), n_items=("item", "nunique"))
        .reset_index()
    )
    n = per_item[["wave", "group", "n", "w", "w2"]] if len(items) == 1 else answering
    out = out.merge(n, on=["wave", "group"], how="left")
    out["n_eff"] = out["w"] ** 2 / out["w2"]
    out["measure"] = measure
    return out


def survey_table(
    conn: Connection,
    filters: Filters,
    measure: str,
    by: str | None = None,
    reference: str | None = None,
    k: int | None = None,
) -> pd.DataFrame:
    """Results per wave and group with intervals, tests against the reference and the previous wave, made safe.

    The reference is the named group, or else the rest of the population (the population's total minus the group).
    """
    codebook = load_codebook(conn)
    items = codebook.items_of(measure)
    if not items:
        raise InvalidChoice("unknown_measure", value=measure, allowed=list(codebook.measures()))
    k = k or min_survey_cell()
    groups = _measure_rows(
        item_counts(conn, filters, by, items), respondents_answering(conn, filters, by, items), measure, items
    )
    totals = _measure_rows(
        item_counts(conn, filters, None, items), respondents_answering(conn, filters, None, items), measure, items
    ).set_index("wave")
    groups = _intervals_and_tests(groups, totals, reference)
    return protect(conn, filters, groups, by, k, measure, items, reference)


def _intervals_and_tests(groups: pd.DataFrame, totals: pd.DataFrame, reference: str | None) -> pd.DataFrame:
    out = groups.copy()
    p = out["pct_favourable"] / 100
    bounds = [wilson(pi, ni) for pi, ni in zip(p, out["n_eff"], strict=True)]
    out["ci_low"] = [100 * lo for lo, _ in bounds]
    out["ci_high"] = [100 * hi for _, hi in bounds]
    z_ref, z_prev, rest_n = [], [], []
    for row in out.itertuples():
        if reference is not None:
            ref = out[(out["wave"] == row.wave) & (out["group"] == reference)]
            ref_p, ref_n = (ref["pct_favourable"].iloc[0] / 100, ref["n_eff"].iloc[0]) if len(ref) else (np.nan, 0)
        else:  # the rest of the population: the total minus this group, by weighted counts
            tot = totals.loc[row.wave]
            rest_w = tot["w"] - row.w
            ref_p = (
                (tot["pct_favourable"] * tot["w"] - row.pct_favourable * row.w) / (100 * rest_w)
                if rest_w > 0
                else np.nan
            )
            ref_n = tot["n_eff"] - row.n_eff
        rest_n.append(tot["n"] - row.n if reference is None else np.nan)
        z_ref.append(
            np.nan if reference == row.group else two_proportion_z(row.pct_favourable / 100, row.n_eff, ref_p, ref_n)
        )
        prev = out[(out["group"] == row.group) & (out["wave"] < row.wave)].sort_values("wave").tail(1)
        z_prev.append(
            two_proportion_z(
                row.pct_favourable / 100, row.n_eff, prev["pct_favourable"].iloc[0] / 100, prev["n_eff"].iloc[0]
            )
            if len(prev)
            else np.nan
        )
    out["z_reference"], out["z_previous"], out["rest_n"] = z_ref, z_prev, rest_n
    out["differs_from_reference"] = out["z_reference"].abs() > Z95
    out["differs_from_previous"] = out["z_previous"].abs() > Z95
    return out


def hidden_groups(counts: pd.DataFrame, k: int, siblings: bool) -> pd.Series:
    """Groups with fewer than k respondents, and, where one is alone on a line of siblings, the next smallest.

    In a two-way table each row and each column is a line whose total is shown elsewhere; hiding repeats
    until no line holds exactly one hidden cell.
    """
    hidden = privacy.primary(counts["n"].fillna(0), k)
    if not siblings:
        return hidden
    parts = counts["group"].astype(str).str.split(GROUP_SEPARATOR, regex=False)
    lines = [counts["wave"].astype(str)]
    if parts.map(len).max() > 1:
        lines = [counts["wave"].astype(str) + "/" + parts.str[0], counts["wave"].astype(str) + "//" + parts.str[1]]
    return privacy.hide_lines(hidden, counts["n"].fillna(0), lines)


def inconsistent_lines(
    conn: Connection, filters: Filters, k: int, parent_counts: Callable[[Filters, str], pd.DataFrame]
) -> set:
    """The lines (waves, or items) on which a unit or rank filter holds some but not all hidden groups of
    the unfiltered breakdown: there the filtered figures would give those groups away."""
    out = set()
    for dim in FINE_DIMENSIONS:
        if dim not in filters.as_dict():
            continue
        parent = parent_counts(filters.without(dim), dim).reset_index(drop=True)
        parent = parent[hidden_groups(parent, k, siblings=True)]
        chosen = set(filters.as_dict()[dim])
        for line, groups in parent.groupby("wave")["group"].apply(set).items():
            if not privacy.consistent(chosen, groups):
                out.add(line)
    return out


def protect(
    conn: Connection,
    filters: Filters,
    groups: pd.DataFrame,
    by: str | None,
    k: int,
    measure: str,
    items: list[str],
    reference: str | None = None,
) -> pd.DataFrame:
    """Fewer than k respondents: no value, no interval, no n; a lone hidden sibling takes the next smallest with it.

    A filter on units or rank groups that holds some but not all hidden groups of the unfiltered breakdown
    is hidden too, so no filter and its complement give a hidden group away. No marker is computed against
    a hidden group, a hidden earlier wave or a rest of the population under k.
    """
    out = groups.copy()
    hidden = hidden_groups(out, k, siblings=by is not None)
    bad = inconsistent_lines(conn, filters, k, lambda f, dim: survey_table_counts(conn, f, dim, items))
    hidden |= out["wave"].isin(bad)
    out["suppressed"] = hidden
    for col in ("pct_favourable", "ci_low", "ci_high", "mean", "n", "n_eff"):
        out[col] = out[col].astype(float).mask(hidden, np.nan)
    out = _safe_markers(out, k, reference)
    return _shown_groups(out.sort_values(["wave", "group"]).reset_index(drop=True))


def _safe_markers(out: pd.DataFrame, k: int, reference: str | None) -> pd.DataFrame:
    """Markers only between shown groups: never against a hidden cell or a small rest of the population."""
    hidden_at = set(zip(out.loc[out["suppressed"], "wave"], out.loc[out["suppressed"], "group"], strict=True))
    previous = out.sort_values("wave").groupby("group")["wave"].shift(1).reindex(out.index)
    prev_hidden = [(w, g) in hidden_at for w, g in zip(previous, out["group"], strict=True)]
    ref_hidden = pd.Series([(w, reference) in hidden_at for w in out["wave"]], index=out.index)
    small_rest = out["rest_n"].notna() & (out["rest_n"] < k)
    no_ref = out["suppressed"] | small_rest | ref_hidden
    no_prev = out["suppressed"] | pd.Series(prev_hidden, index=out.index)
    out["differs_from_reference"] = out["differs_from_reference"].mask(no_ref, False)
    out["differs_from_previous"] = out["differs_from_previous"].mask(no_prev, False)
    out["z_reference"] = out["z_reference"].mask(no_ref, np.nan)
    out["z_previous"] = out["z_previous"].mask(no_prev, np.nan)
    return out.drop(columns=["rest_n"])


def survey_table_counts(conn: Connection, filters: Filters, by: str, items: list[str]) -> pd.DataFrame:
    """Respondents per wave and group, for the privacy rules only."""
    frame = (
        respondents_answering(conn, filters, by, items)
        if len(items) > 1
        else (item_counts(conn, filters, by, items)[["wave", "group", "n"]])
    )
    return frame


def published_results(conn: Connection, measure: str, by: str | None = None) -> pd.DataFrame:
    """Aggregate results imported from published tables; rows suppressed at source stay suppressed."""
    t = survey_result
    query = sa.select(t).where(t.c.measure == measure)
    frame = pd.DataFrame([dict(r) for r in conn.execute(query).mappings().all()])
    if frame.empty:
        return frame
    k = min_survey_cell()
    small = frame["n"].fillna(0) < k
    frame["suppressed"] = frame["suppressed"] | small
    frame.loc[frame["suppressed"], ["n", "pct_favourable", "mean"]] = np.nan
    return frame


def answer_distribution(
    conn: Connection, filters: Filters, items: list[str], wave: int, by: str | None = None, k: int | None = None
) -> pd.DataFrame:
    """Per item (and group), the share of respondents giving each answer: the Likert distribution.

    The rules run per item: a group's respondents differ from item to item, so each item's groups are
    siblings of their own; a unit or rank filter inconsistent with an item's hidden groups hides that item.
    """
    k = k or min_survey_cell()
    frame = _answer_counts(conn, filters, items, wave, by)
    if frame.empty:
        return frame.assign(share=[], suppressed=[])
    totals = frame.groupby(["item", "group"])[["n", "w"]].transform("sum")
    frame["share"] = frame["w"] / totals["w"]
    groups = frame.groupby(["item", "group"])["n"].sum().reset_index()
    small = groups[hidden_groups(groups.assign(wave=groups["item"]), k, by is not None)]
    hidden = frame.set_index(["item", "group"]).index.isin(small.set_index(["item", "group"]).index)
    bad = inconsistent_lines(conn, filters, k, lambda f, dim: _item_groups(conn, f, items, wave, dim))
    hidden = hidden | frame["item"].isin(bad).to_numpy()
    frame["suppressed"] = hidden
    frame.loc[hidden, ["share", "n", "w"]] = np.nan
    return _shown_groups(frame.drop(columns=["w"]))


def answers(conn: Connection, filters: Filters, item: str, wave: int | None, by: str | None) -> tuple[AnswerShare, ...]:
    """The answer distribution of one item per wave (all waves without `wave`) and group, as the page shows it."""
    if item not in load_codebook(conn).items.index:
        raise InvalidChoice("unknown_item", value=item)
    r = survey_respondent
    waves = [wave] if wave is not None else sorted(conn.execute(sa.select(r.c.wave).distinct()).scalars())
    rows = []
    for w in waves:
        table = answer_distribution(conn, filters, [item], int(w), by)
        for x in table.sort_values(["group", "answer"]).itertuples():
            hidden = bool(x.suppressed)
            share = None if hidden else round(float(x.share), SHARE_DECIMALS)
            rows.append(AnswerShare(int(w), x.group, x.item, x.answer, share, hidden))
    return tuple(rows)


def _item_groups(conn: Connection, filters: Filters, items: list[str], wave: int, by: str) -> pd.DataFrame:
    """Respondents per item and group, with the item in the 'wave' column: the lines of the sibling rule."""
    counts = _answer_counts(conn, filters, items, wave, by)
    return counts.groupby(["item", "group"])["n"].sum().reset_index().rename(columns={"item": "wave"})


def _answer_counts(conn: Connection, filters: Filters, items: list[str], wave: int, by: str | None) -> pd.DataFrame:
    r, a = survey_respondent, survey_answer
    group, group_cols, present = _group(r, by)
    weight = sa.func.coalesce(r.c.weight, 1.0)
    query = (
        sa.select(a.c.item, group.label("grp"), a.c.answer, sa.func.count().label("n"), sa.func.sum(weight).label("w"))
        .select_from(a.join(r, sa.and_(a.c.wave == r.c.wave, a.c.respondent_id == r.c.respondent_id)))
        .where(filters.predicate(r), a.c.item.in_(items), a.c.wave == wave, r.c.gender.is_distinct_from("X"), *present)
        .group_by(a.c.item, *group_cols, a.c.answer)
    )
    return pd.DataFrame([tuple(x) for x in conn.execute(query).all()], columns=["item", "group", "answer", "n", "w"])


REPORT_CATEGORY = "category"  # a formal report's own category column, not the personnel category
REPORT_COLUMNS = ["year", REPORT_CATEGORY, "kind", "level", "count", "suppressed", *DIMENSIONS]


def formal_reports(conn: Connection, filters: Filters) -> pd.DataFrame:
    """Formal report counts (meldingen), safe to show: level "cell" per year, kind, category and branch, and
    level "total" per year for the selected branches (kind and category "all").

    Counts under the minimum workforce cell are hidden everywhere, with complements along each year and
    each year's branch (both totals are shown); a selection's total that holds some but not all hidden
    cells of its year is hidden too.
    """
    k = min_workforce_cell()
    cells = report_cells(conn)
    if cells.empty:
        return pd.DataFrame(columns=REPORT_COLUMNS)
    first = privacy.primary(cells["count"], k)
    lines = [cells["year"].astype(str), cells["year"].astype(str) + "/" + cells["branch"]]
    cells["suppressed"] = privacy.hide_lines(first, cells["count"], lines)
    chosen = set(dict(filters.values).get("branch", ())) or set(cells["branch"]) - {MISSING}
    inside = cells[cells["branch"].isin(chosen)]
    totals = inside.groupby("year", as_index=False)["count"].sum()
    hidden_cells = cells[cells["suppressed"]].groupby("year")["key"].apply(set)
    split = [
        not privacy.consistent(set(inside.loc[inside["year"] == y, "key"]), hidden_cells.get(y, set()))
        for y in totals["year"]
    ]
    totals["suppressed"] = privacy.primary(totals["count"], k) | np.array(split, dtype=bool)
    totals = totals.assign(category=ALL, kind=ALL, level="total", branch=None)
    shown = pd.concat([inside.assign(level="cell"), totals], ignore_index=True)
    shown["count"] = shown["count"].astype("Float64").mask(shown["suppressed"].astype(bool), np.nan)
    for dim in DIMENSIONS:
        if dim not in shown.columns:
            shown[dim] = None
    return shown[REPORT_COLUMNS].sort_values(["year", "level", "kind", "category", "branch"]).reset_index(drop=True)


def report_kind(t: sa.Table) -> sa.ColumnElement:
    """The stored kind, or for rows stored before kinds existed, the one their category names."""
    integrity = sa.func.lower(t.c.category).like("%integr%")
    return sa.case(
        (t.c.kind.is_not(None), t.c.kind), (integrity, sa.literal("integrity")), else_=sa.literal("social_safety")
    )


def report_cells(conn: Connection) -> pd.DataFrame:
    """Every stored report count per year, category and branch; a blank branch is a sibling of its own."""
    t = formal_report
    kind = report_kind(t)
    query = sa.select(t.c.year, kind, t.c.category, t.c.branch, sa.func.sum(t.c.count)).group_by(
        t.c.year, kind, t.c.category, t.c.branch
    )
    columns = ["year", "kind", "category", "branch", "count"]
    cells = pd.DataFrame([tuple(x) for x in conn.execute(query).all()], columns=columns)
    cells["branch"] = cells["branch"].astype(object).where(cells["branch"].notna(), MISSING)
    cells["count"] = cells["count"].astype("int64")
    cells["key"] = cells["kind"].astype(str) + "/" + cells["category"].astype(str) + "/" + cells["branch"].astype(str)
    return cells


def published_measures(conn: Connection) -> list[str]:
    """The measures of imported published results."""
    return sorted(conn.execute(sa.select(survey_result.c.measure).distinct()).scalars())
