"""Survey results per wave and group: % favourable, mean, Wilson intervals and two-proportion tests.

Respondent answers are aggregated in SQL to one row per wave, group and item; constructs, intervals,
tests and the privacy rules are applied to those small results.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_survey_cell
from di_metrics.errors import InvalidChoice
from di_metrics.models.survey import AnswerShare
from di_metrics.queries import survey_pins, survey_x
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output
from di_metrics.queries.survey_counts import (
    Z95,
    answer_counts,
    item_counts,
    load_codebook,
    respondents_answering,
    shown_groups,
    two_proportion_z,
    wilson,
)
from di_metrics.queries.survey_decision import family_distribution_rows, inconsistent_rows, table_decision
from di_metrics.queries.survey_family import in_family
from di_metrics.storage.store import survey_respondent, survey_result
from di_metrics.vocab import TWO_WAY

__all__ = [
    "SHARE_DECIMALS",
    "answer_distribution",
    "answers",
    "inconsistent_rows",
    "load_codebook",
    "protect",
    "published_measures",
    "published_results",
    "respondents_answering",
    "survey_table",
]

SHARE_DECIMALS = 3  # shares leave the package rounded to what is displayed (a tenth of a percent)


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


@output
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
    `x_left_out` says where the figures leave out X that is a group elsewhere in the wave (queries/survey_x.py).

    A filter on units or rank groups that holds some but not all hidden groups of the unfiltered breakdown
    is hidden too, so no filter and its complement give a hidden group away. No marker is computed against
    a hidden group, a hidden earlier wave or a rest of the population under k.
    """
    out = groups.copy()
    decision = table_decision(conn, filters, by, k, tuple(items))
    hidden = pd.Series([decision.get((int(w), str(g)), True) for w, g in zip(out["wave"], out["group"], strict=True)])
    hidden = hidden.set_axis(out.index)
    out["suppressed"] = hidden
    out["x_left_out"] = survey_x.row_flags(conn, filters, by, out, tuple(sorted(items)))
    for col in ("pct_favourable", "ci_low", "ci_high", "mean", "n", "n_eff"):
        out[col] = out[col].astype(float).mask(hidden, np.nan)
    out = _safe_markers(out, k, reference)
    return shown_groups(out.sort_values(["wave", "group"]).reset_index(drop=True))


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


@output
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


@output
def answer_distribution(
    conn: Connection, filters: Filters, items: list[str], wave: int, by: str | None = None, k: int | None = None
) -> pd.DataFrame:
    """Per item (and group), the share of respondents giving each answer: the Likert distribution.

    The rules run per item: a group's respondents differ from item to item, so each item's groups are
    siblings of their own; a unit or rank filter inconsistent with an item's hidden groups hides that item.
    """
    k = k or min_survey_cell()
    frame = answer_counts(conn, filters, items, wave, by)
    if frame.empty:
        return frame.assign(share=[], suppressed=[], x_left_out=[])
    totals = frame.groupby(["item", "group"])[["n", "w"]].transform("sum")
    frame["share"] = frame["w"] / totals["w"]
    if in_family(filters, by):  # decided with the item's table, on the whole linked family
        hidden = family_distribution_rows(conn, filters, by, k, frame, wave)
    else:
        margins = _distribution_margins(conn, filters, items, wave, by, k)
        groups = _distributions(conn, frame, k, by is not None, margins)
        small = groups[groups["hidden"]]
        hidden = frame.set_index(["item", "group"]).index.isin(small.set_index(["item", "group"]).index)
        counts = lambda f, b: _item_groups(conn, f, items, wave, b)  # noqa: E731
        bad = inconsistent_rows(conn, filters, by, k, counts, ("answers", tuple(items), wave))
        hidden = hidden | bad(frame.rename(columns={"item": "wave"}))
    frame["suppressed"] = hidden
    frame["x_left_out"] = survey_x.row_flags(conn, filters, by, frame.assign(wave=wave), None)
    frame.loc[hidden, ["share", "n", "w"]] = np.nan
    return shown_groups(frame.drop(columns=["w"]))


@output
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
    counts = answer_counts(conn, filters, items, wave, by)
    decided = _distributions(conn, counts, min_survey_cell(), by is not None)
    return (
        decided.assign(n=decided["n"].where(~decided["hidden"], 0))
        .drop(columns=["hidden"])
        .rename(columns={"item": "wave"})
    )


def _distributions(
    conn: Connection, counts: pd.DataFrame, k: int, siblings: bool, margins: frozenset = frozenset()
) -> pd.DataFrame:
    """Per item and group: respondents and whether its distribution is hidden (queries/survey_pins.py)."""
    scale = load_codebook(conn).items
    width = scale["scale_max"] - scale["scale_min"] + 1
    return survey_pins.hidden_distributions(counts, width, k, siblings, margins)


def _distribution_margins(
    conn: Connection, filters: Filters, items: list[str], wave: int, by: str | None, k: int
) -> frozenset:
    """(item, part index, value) hidden in the distributions by each part of a two-way breakdown alone: the
    two-way table's margins (survey_pins.under_hidden_margins)."""
    if by is None or TWO_WAY not in by:
        return frozenset()
    found = set()
    for i, part in enumerate(by.split(TWO_WAY)):
        margin = answer_distribution(conn, filters, items, wave, part, k)
        hidden = margin[margin["suppressed"].astype(bool)]
        found |= {(item, i, str(g)) for item, g in zip(hidden["item"], hidden["group"], strict=True)}
    return frozenset(found)


def published_measures(conn: Connection) -> list[str]:
    """The measures of imported published results."""
    return sorted(conn.execute(sa.select(survey_result.c.measure).distinct()).scalars())
