"""The chart builders, called by name on small hand-made tables: what each draws, in which order, colour and
words. Values are worked out here from the inputs, never read back from a figure first."""

from __future__ import annotations

import math

import pandas as pd
import pytest

# The builders under test, imported in this one place: when the chart module moves, re-point these lines.
from di_metrics.present.charts.style import ACTUAL, GENDER_COLOURS, TARGET
from di_metrics.present.charts.survey import likert_bars
from di_metrics.present.charts.whatif import decomposition_bars, rank_projection, track_record_chart
from di_metrics.present.charts.workforce import breakdown_bars, pipeline_chart

GREY = "#D5D8DC"  # a hidden group's bar


def test_breakdown_bars_sort_by_share_and_mark_a_hidden_group_instead_of_drawing_it():
    table = pd.DataFrame({"value": ["Navy", "Army", "Air", "Tiny"], "women_share": [0.182, 0.125, 0.4, None]})
    fig = breakdown_bars(table, "en", "Women per branch", 5, reference=0.3)
    (bar,) = fig.data
    assert list(bar.y) == ["Tiny", "Army", "Navy", "Air"]  # hidden first, then lowest to highest
    assert list(bar.x) == [0.0, 0.125, 0.182, 0.4]
    assert list(bar.text) == ["hidden", "12.5%", "18.2%", "40.0%"]
    assert list(bar.marker.color) == [GREY, *[GENDER_COLOURS["F"]] * 3]
    assert fig.layout.xaxis.range == (0, 0.5)  # the largest share and a quarter more, above 35%
    (line,) = fig.layout.shapes
    assert (line.x0, line.x1) == (0.3, 0.3) and fig.layout.annotations[0].text == "30%"
    nl = breakdown_bars(table, "nl", "Vrouwen per krijgsmachtdeel", 5)
    assert list(nl.data[0].text) == ["afgeschermd", "12,5%", "18,2%", "40,0%"] and not nl.layout.shapes
    assert nl.layout.xaxis.range == (0, 0.5) and nl.layout.separators == ",."


def test_breakdown_bars_keep_room_to_35_percent_for_small_shares():
    fig = breakdown_bars(pd.DataFrame({"value": ["A"], "women_share": [0.1]}), "en", "t", 5)
    assert fig.layout.xaxis.range == (0, 0.35)


def test_breakdown_bars_of_groups_all_hidden_mark_each_and_keep_the_room_to_35_percent():
    """A unit and rank group selected together can hide every group of a breakdown (the gate's shares are a
    nullable column then: pandas' missing value, not a float NaN)."""
    table = pd.DataFrame({"value": ["F1", "F2"], "women_share": pd.array([None, None], dtype="Float64")})
    fig = breakdown_bars(table, "en", "t", 5)
    assert list(fig.data[0].text) == ["hidden", "hidden"] and list(fig.data[0].x) == [0.0, 0.0]
    assert fig.layout.xaxis.range == (0, 0.35)


def test_decomposition_bars_in_points_in_a_fixed_order_coloured_by_sign():
    parts = {"promotion": 0.0012, "attrition_gap": -0.004, "hiring": 0.021}
    (bar,) = decomposition_bars(parts, "en", "Where the change comes from").data
    assert list(bar.y) == ["Hiring", "Women leaving more often", "Promotion parity (top ranks)"]
    assert list(bar.x) == pytest.approx([2.1, -0.4, 0.12])
    assert list(bar.text) == ["2.1 pp", "-0.4 pp", "0.1 pp"]
    assert list(bar.marker.color) == [GENDER_COLOURS["F"], GENDER_COLOURS["M"], GENDER_COLOURS["F"]]
    fig = decomposition_bars(parts, "nl", "t")
    assert list(fig.data[0].text) == ["2,1 pp", "-0,4 pp", "0,1 pp"]
    # room on both sides: 0.6 of the largest bar (2.1) beyond the extremes -0.4 and 2.1
    assert fig.layout.xaxis.range == pytest.approx((-0.4 - 1.26, 2.1 + 1.26))


def test_decomposition_bars_leave_out_a_part_not_given():
    (bar,) = decomposition_bars({"hiring": 0.003}, "en", "t").data
    assert list(bar.y) == ["Hiring"] and list(bar.x) == pytest.approx([0.3])


def test_the_pipeline_draws_each_category_present_with_hidden_levels_grey():
    table = pd.DataFrame(
        {
            "category": ["military", "military", "military", "civilian"],
            "value": ["manschappen", "onderofficieren", "officieren", "schaal 1-6"],
            "women_share": [0.15, None, 0.09, 0.41],
        }
    )
    military, civilian = pipeline_chart(table, "en", "The pipeline", 5).data
    assert (military.name, civilian.name) == ("Military", "Civilian")
    assert list(military.x) == ["manschappen", "onderofficieren", "officieren"]
    assert list(military.y) == [0.15, 0.0, 0.09]
    assert list(military.text) == ["15.0%", "hidden", "9.0%"]
    assert list(military.marker.color) == [ACTUAL, GREY, ACTUAL]
    assert list(civilian.y) == [0.41] and list(civilian.marker.color) == [GENDER_COLOURS["X"]]
    only = pipeline_chart(table[table["category"] == "civilian"], "en", "t", 5)
    assert [trace.name for trace in only.data] == ["Civilian"]


def test_the_rank_projection_draws_one_line_per_rank_and_the_top_one_in_the_target_colour():
    ranks = ("schaal 1-6", "schaal 7-9", "schaal 10-12", "schaal 13+")
    frame = pd.DataFrame(
        {
            "year": [2025, 2026] * 4,
            "rank_group": [r for r in ranks for _ in (0, 1)],
            "women_share": [0.3, 0.31, 0.2, 0.21, 0.18, 0.19, 0.15, 0.17],
        }
    )
    fig = rank_projection(frame, ranks, "en", "When women reach the top")
    assert [trace.name for trace in fig.data] == ["Scale 1-6", "Scale 7-9", "Scale 10-12", "Scale 13+"]
    assert list(fig.data[3].y) == [0.15, 0.17] and list(fig.data[0].x) == [2025, 2026]
    assert [trace.line.color for trace in fig.data] == ["#D5D8DC", "#AEB6BF", "#85929E", TARGET]
    assert [trace.line.width for trace in fig.data] == [2, 2, 2, 3]


def test_the_track_record_chart_shows_errors_in_points_per_horizon():
    horizons = pd.DataFrame(
        {"h": [1, 2], "mae_model": [0.004, 0.0125], "mae_constant": [0.006, 0.02], "mae_trend": [0.005, 0.03]}
    )
    model, constant, trend = track_record_chart(horizons, "en", "How far off").data
    assert list(model.x) == [1, 2]
    assert list(model.y) == pytest.approx([0.4, 1.2])  # 1.25 pp leaves as displayed: one decimal above 1
    assert list(constant.y) == pytest.approx([0.6, 2.0]) and list(trend.y) == pytest.approx([0.5, 3.0])
    assert (model.line.dash, constant.line.dash, trend.line.dash) == ("solid", "dash", "dot")


def test_likert_bars_put_unfavourable_answers_left_and_split_the_neutral_one_over_zero():
    dist = pd.DataFrame(
        {
            "item": ["q1"] * 5,
            "group": ["all"] * 5,
            "answer": [1, 2, 3, 4, 5],
            "share": [0.1, 0.2, 0.2, 0.3, 0.2],
        }
    )
    fig = likert_bars(dist, {"q1": "I belong"}, "en", "Answers")
    drawn = [(trace.name, float(trace.x[0])) for trace in fig.data]
    assert drawn == [("1", -0.1), ("2", -0.2), ("3", -0.1), ("3", 0.1), ("4", 0.3), ("5", 0.2)]
    assert math.isclose(sum(x for _, x in drawn if x < 0), -0.4)  # 10% + 20% + half of the 20% neutral
    assert [trace.showlegend for trace in fig.data] == [True, True, False, True, True, True]  # 3 once
    assert {trace.y[0] for trace in fig.data} == {"I belong"}
    assert fig.layout.barmode == "relative"
