"""The demo organisation keeps the shape of the motivating case, and its flows reconcile."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
import sqlalchemy as sa

from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import period_flows, share_series_raw
from di_metrics.storage import store


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
