"""The demo organisation keeps the shape of the motivating case, and its flows reconcile."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
import sqlalchemy as sa

from di_metrics.queries.filters import Filters
from di_metrics.storage import store


def share_series_raw(conn, filters: Filters = Filters()) -> pd.DataFrame:
    """Women, men, X and headcount per snapshot date, read straight from the summary table (the package keeps
    its raw readers private)."""
    c = store.headcount_cube
    query = (
        sa.select(c.c.snapshot_date, c.c.gender, sa.func.sum(c.c.headcount))
        .where(filters.predicate(c))
        .group_by(c.c.snapshot_date, c.c.gender)
    )
    rows = pd.DataFrame([tuple(r) for r in conn.execute(query).all()], columns=["date", "gender", "n"])
    wide = rows.pivot_table(index="date", columns="gender", values="n", aggfunc="sum", fill_value=0)
    out = pd.DataFrame({col: wide.get(g, 0) for col, g in (("women", "F"), ("men", "M"), ("other", "X"))})
    out["headcount"] = out[["women", "men", "other"]].sum(axis=1)
    return out.reset_index().astype({"date": object})


def period_flows(conn, filters: Filters = Filters()) -> pd.DataFrame:
    """Hires into and exits out of the population per snapshot date and gender, from the transition table."""
    t = store.transition_cube
    inside_to = sa.and_(t.c.to_org_unit.is_not(None), filters.predicate(t, "to_"))
    inside_from = sa.and_(t.c.from_org_unit.is_not(None), filters.predicate(t, "from_"))
    parts = []
    for kind, gender, inside, outside in (
        ("hires", t.c.to_gender, inside_to, inside_from),
        ("exits", t.c.from_gender, inside_from, inside_to),
    ):
        query = (
            sa.select(t.c.snapshot_date, gender, sa.func.sum(t.c.persons))
            .where(inside, sa.not_(outside), gender.is_not(None))
            .group_by(t.c.snapshot_date, gender)
        )
        frame = pd.DataFrame([tuple(r) for r in conn.execute(query).all()], columns=["date", "gender", "n"])
        parts.append(frame.assign(kind=kind))
    both = pd.concat(parts, ignore_index=True)
    table = both.pivot_table(index=["date", "gender"], columns="kind", values="n", aggfunc="sum", fill_value=0)
    return table.reindex(columns=["hires", "exits"], fill_value=0).reset_index()


@pytest.fixture(scope="module")
def demo(demo_db):
    eng = store.make_engine(demo_db)
    yield eng
    eng.dispose()


def _share_at(engine, day: str, **selection) -> float:
    with store.connect(engine) as conn:
        series = share_series_raw(conn, Filters.of({k: [v] for k, v in selection.items()}))
    row = series[series["date"] == pd.Timestamp(day).date()].iloc[0]
    return row["women"] / row["headcount"]


def test_size_branches_and_units(demo):
    with store.connect(demo) as conn:
        series = share_series_raw(conn)
        c = store.headcount_cube
        branches = set(conn.execute(sa.select(c.c.branch).distinct()).scalars())
        units = conn.execute(sa.select(sa.func.count(sa.distinct(c.c.org_unit)))).scalar()
        unit_sizes = conn.execute(
            sa.select(c.c.org_unit, sa.func.sum(c.c.headcount))
            .where(c.c.snapshot_date == series["date"].max())
            .group_by(c.c.org_unit)
        ).all()
    assert series["headcount"].between(60_000, 70_000).all()
    assert len(series) == 44  # quarterly, 2015-2025
    assert branches == {"CZSK", "CLAS", "CLSK", "KMar", "DOSCO", "DMO", "BS"}
    assert 55 <= units <= 65
    assert sum(1 for _, n in unit_sizes if n < 20) >= 2  # a few very small units


@pytest.mark.parametrize(
    ("day", "low", "high", "selection"),
    [
        ("2015-12-31", 0.12, 0.14, {}),
        ("2022-12-31", 0.15, 0.17, {}),
        ("2022-12-31", 0.10, 0.12, {"personnel_category": "military"}),
        ("2022-12-31", 0.25, 0.29, {"personnel_category": "civilian"}),
        ("2025-12-31", 0.165, 0.185, {}),
        ("2025-12-31", 0.03, 0.08, {"rank_group": "hoofdofficieren"}),
    ],
)
def test_womens_share_follows_the_case(demo, day, low, high, selection):
    assert low <= _share_at(demo, day, **selection) <= high


def test_hires_are_about_one_fifth_women(demo):
    with store.connect(demo) as conn:
        flows = period_flows(conn)
    hires = flows.groupby("gender")["hires"].sum()
    assert 0.17 <= hires["F"] / hires.sum() <= 0.24


def test_stock_reconciles_with_flows_everywhere(demo):
    """Stock at t = stock at t-1 + hires - exits, for the whole organisation and for a unit with moves."""
    for selection in ({}, {"branch": ["KMar"]}, {"org_unit": ["Korps Mariniers"]}):
        filters = Filters.of(selection)
        with store.connect(demo) as conn:
            stock = share_series_raw(conn, filters).set_index("date")
            flows = period_flows(conn, filters)
        for gender, col in (("F", "women"), ("M", "men"), ("X", "other")):
            g = flows[flows["gender"] == gender].set_index("date")
            dates = list(stock.index)
            for prev, cur in itertools.pairwise(dates):
                hires = int(g["hires"].get(cur, 0))
                exits = int(g["exits"].get(cur, 0))
                assert stock.loc[cur, col] == stock.loc[prev, col] + hires - exits, (selection, gender, cur)


def test_survey_reports_and_training_are_there(demo):
    with store.connect(demo) as conn:
        waves = dict(
            conn.execute(
                sa.select(store.survey_respondent.c.wave, sa.func.count()).group_by(store.survey_respondent.c.wave)
            ).all()
        )
        constructs = set(conn.execute(sa.select(store.survey_item.c.construct)).scalars())
        reports = conn.execute(sa.select(sa.func.count(sa.distinct(store.formal_report.c.branch)))).scalar()
        training = conn.execute(sa.select(sa.func.max(store.indicator.c.value))).scalar()
    assert waves == {2019: 12_000, 2021: 12_000, 2023: 12_000, 2025: 12_000}
    assert {"inclusion", "social_safety", "reporting_willingness", "experienced_unwanted_behaviour"} <= constructs
    assert reports == 7
    assert 0.8 < training < 1.0
