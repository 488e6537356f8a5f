"""The sentences written from the data, against sentences written out by hand in both languages."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from di_metrics.analysis.track_record import TrackRecord
from di_metrics.models.projection import Projection, Scenario
from di_metrics.models.standing import TargetStatus
from di_metrics.models.targets import Target
from di_metrics.present import narrative

# 17.14% women against 30% in 2030: 12.86 pp and 8,638 women short; at 0.42 pp a year the straight line reaches
# 30% after (0.30 - 0.1714) / 0.0042 = 30.6 years, in 2056.
BEHIND = TargetStatus(
    target=Target("women_total", "women_share", 0.30, dt.date(2030, 12, 31), dt.date(2024, 12, 31), 0.16),
    as_of=dt.date(2025, 12, 31),
    latest=0.1714,
    glide_path=0.18,
    state="off_track",
    gap_pp=12.86,
    women_needed=8638,
    actual_pace=0.0042,
    reach_year_at_pace=2056,
)


def test_a_target_behind_says_the_gap_in_points_and_persons_and_when_the_pace_gets_there():
    assert narrative.target_headline(BEHIND, "en") == (
        "17.1% women; 12.9 pp and 8,638 women short of 30% in 2030. At the pace of the last 3 years 30% would be"
        " reached in 2056."
    )
    assert narrative.target_headline(BEHIND, "nl") == (
        "17,1% vrouwen; 12,9 pp en 8.638 vrouwen te weinig voor 30% in 2030. "
        "In het tempo van de laatste 3 jaar wordt 30% bereikt in 2056."
    )


def test_a_pace_that_never_gets_there_says_so():
    entry = dataclasses.replace(BEHIND, reach_year_at_pace=None)
    assert narrative.target_headline(entry, "en").endswith("At the pace of the last 3 years 30% is not reached.")


@pytest.mark.parametrize("latest", [0.30, 0.312])  # exactly on the target counts as met
def test_a_target_met_says_met(latest):
    entry = dataclasses.replace(BEHIND, latest=latest)
    shown = f"{100 * latest:.1f}%"
    assert narrative.target_headline(entry, "en") == f"{shown} women: the target of 30% in 2030 is met."


def test_required_hiring_in_words_and_when_hiring_alone_cannot_do_it():
    s = Scenario(start_year=2025, women=1714, men=8286, target=0.30, deadline=2030)
    assert narrative.required_hiring_headline(s, 0.221, 0.4249, 0.2681, "en") == (
        "To reach 30% by 2030, 42% of all hires must be women every year from 2026; over the last 3 years it was 22%."
    )
    assert narrative.required_hiring_headline(s, 0.221, None, 0.2681, "nl") == (
        "30% in 2030 is met instroom alleen niet haalbaar: ook als alle instroom vrouw is, wordt het aandeel 26,8%."
    )


def _path(shares: list[float]) -> Projection:
    years = list(range(2025, 2025 + len(shares)))
    return Projection(years, [0.0] * len(years), [0.0] * len(years), [0.0] * len(years), shares, 0.30, 2030)


def test_the_outcome_with_and_without_a_chance():
    from di_metrics.models.montecarlo import Simulation

    # 24.49% in 2030, rising 1 pp a year from there: 30% first in 2035 (30.49%); a path that stays at 24.49%
    # to 2040 does not reach it. Of 1,000 simulated paths, 126 end 2030 at or above 30%: a 13% chance.
    rising = _path([0.2 + 0.0089 * i for i in range(5)] + [0.2449 + 0.012 * i for i in range(11)])
    assert narrative.outcome_sentence(rising, None, "en") == (
        "At these settings the share is 24.5% in 2030, and the target of 30% is reached in 2035."
    )
    flat = _path([0.2 + 0.0089 * i for i in range(5)] + [0.2449] * 11)
    draws = np.sort(np.array([0.25] * 874 + [0.31] * 126))
    sim = Simulation(list(range(2025, 2041)), {}, 0.126, 1000, np.tile(draws, (16, 1)))
    assert narrative.outcome_sentence(flat, sim, "nl") == (
        "Met deze instellingen is het aandeel 24,5% in 2030, en wordt het doel niet bereikt vóór 2040. "
        "De kans dat het doel op tijd wordt gehaald is 13%."
    )


@pytest.mark.parametrize(
    ("now", "needed", "expected"),
    [(0.3, 0.45, "45.0%"), (0.3, 0.3, "met already"), (0.3, None, "out of reach, even at 100%")],
)
def test_what_a_lever_needs(now, needed, expected):
    assert narrative.lever_needed_text(now, needed, 1.0, "en") == expected


def _record(horizons: list[int]) -> TrackRecord:
    """Two start years; horizons 1-3 with errors as fractions, and four pairs three years ahead of which the
    90% range held the actual share in three (2019: 0.20 above 0.19; the others inside)."""
    rows = pd.DataFrame(
        {
            "h": [1, 2, 3],
            "pairs": [2, 2, 4],
            "mae_model": [0.004, 0.0075, 0.0123],
            "mae_constant": [0.006, 0.0112, 0.0168],
            "mae_trend": [0.005, 0.01, 0.02],
            "bias_model": [0.001, -0.002, 0.003],
            "coverage50": [0.5, 0.5, 0.25],
            "coverage90": [1.0, 1.0, 0.75],
        }
    )
    pairs = pd.DataFrame(
        {
            "origin": [2016, 2017, 2018, 2019],
            "year": [2019, 2020, 2021, 2022],
            "actual": [0.15, 0.16, 0.18, 0.20],
            "p05": [0.14, 0.15, 0.16, 0.17],
            "p95": [0.16, 0.17, 0.19, 0.19],
            "p25": [0.145, 0.155, 0.17, 0.18],
            "p75": [0.155, 0.165, 0.185, 0.185],
        }
    )
    return TrackRecord([2016, 2017, 2018, 2019], pairs, rows[rows["h"].isin(horizons)].reset_index(drop=True))


def test_the_track_record_sentence_compares_three_years_ahead_with_both_baselines():
    # issue 26: the chart beside it draws the straight line too, so the sentence names it (2.0 pp at 3 years)
    assert narrative.track_comparison(_record([1, 2, 3]), "en") == (
        "From 4 start years, 3 years ahead, the projection missed by 1.2 pp on average; "
        "keeping today's share missed by 1.7 pp, and continuing the straight line by 2.0 pp."
    )
    assert narrative.track_comparison(_record([1, 2, 3]), "nl").endswith("en de rechte lijn doortrekken 2,0 pp.")
    assert narrative.track_comparison(_record([1]), "en").startswith("From 4 start years, 1 year ahead,")
    assert narrative.track_comparison(_record([]), "en") == (
        "A track record needs four complete years of data whose shares can be shown."
    )


def test_band_evidence_counts_the_pairs_whose_range_held_the_actual_share():
    """Only a horizon with at least 5 past starts is evidence: before, "1 of 1 past starts" stood beside the
    chance. Here one more start year three years ahead (2020, inside its range) makes five."""
    assert narrative.band_evidence(_record([1, 2, 3]), 7, "en") == (
        "Too few past starts to say how often the 90% range held: no horizon near 7 years ahead has 5 or more."
    )
    five = _record([1, 2, 3])
    extra = pd.DataFrame({"origin": [2020], "year": [2023], "actual": [0.2], "p05": [0.1], "p95": [0.3]})
    five = TrackRecord([*five.origins, 2020], pd.concat([five.pairs, extra]), five.horizons.assign(pairs=[2, 2, 5]))
    assert narrative.band_evidence(five, 7, "en") == (
        "In the track record, the 90% range held the actual share in 4 of 5 past starts, 3 years ahead."
    )
    assert narrative.band_evidence(_record([]), 3, "en") is None


def _judged(maes: dict[str, list[float]], pairs: list[int]) -> TrackRecord:
    n = len(pairs)
    rows = pd.DataFrame({"h": range(1, n + 1), "pairs": pairs, **{f"mae_{m}": v for m, v in maes.items()}})
    return TrackRecord([2020], pd.DataFrame({"origin": [2020], "year": [2021]}), rows)


def test_the_verdict_names_the_best_at_each_horizon_and_says_plainly_when_it_is_not_the_model():
    from di_metrics.analysis.verdict import MODEL_BEATEN, MODEL_BEST, TOO_FEW, verdict

    # a straight line best at 1-4 years, the model at 5; the 6th horizon has too few starts to judge
    record = _judged(
        {
            "model": [0.02, 0.03, 0.04, 0.05, 0.03, 0.01],
            "constant": [0.03, 0.04, 0.05, 0.06, 0.05, 0.09],
            "trend": [0.01, 0.02, 0.03, 0.04, 0.04, 0.09],
        },
        [9, 8, 7, 6, 5, 4],
    )
    v = verdict(record)
    assert (v.kind, v.horizons, v.best) == (MODEL_BEATEN, (1, 2, 3, 4, 5), ("trend",) * 4 + ("model",))
    assert narrative.verdict_text(record, "en") == (
        "On this history a straight line through the last four years forecast better than the model at 1-4 "
        "years; the model was best at 5 years; read the projection as a scenario, not a forecast."
    )
    assert narrative.verdict_text(record, "nl") == (
        "Op deze geschiedenis voorspelde een rechte lijn door de laatste vier jaar 1-4 jaar vooruit beter dan het "
        "model; het model was het beste 5 jaar vooruit; lees de projectie als scenario, niet als voorspelling."
    )
    best = _judged({"model": [0.01, 0.02], "constant": [0.02, 0.03], "trend": [0.02, 0.03]}, [6, 5])
    assert verdict(best) == verdict(best) and verdict(best).kind == MODEL_BEST
    assert narrative.verdict_text(best, "en") == (
        "On this history the model forecast better than a flat line and a straight line through the last four "
        "years at 1-2 years."
    )
    few = _judged({"model": [0.01], "constant": [0.02], "trend": [0.02]}, [4])
    assert verdict(few).kind == TOO_FEW
    assert narrative.verdict_text(few, "en").startswith("Too few past starts to judge the projection")


def test_horizons_are_written_as_runs():
    assert narrative.years_text((1, 2, 3, 4, 6, 8, 9)) == "1-4, 6, 8-9"


def test_the_track_table_shows_errors_in_points_and_hits_in_percent():
    table = narrative.track_table(_record([1, 2, 3]), "nl")
    assert table.iloc[2].tolist()[:2] == [3, 4]
    assert table.iloc[2].tolist()[2:] == ["1,23", "1,68", "2,00", "0,30", "25%", "75%"]


def test_forced_exits_are_named_only_when_there_are_any():
    path = Projection([2025, 2026], [10.0, 9.0], [30.0, 27.0], [0.0, 0.0], [0.25, 0.25], 0.3, 2030)
    assert narrative.forced_exits_note(path, "en") is None
    path.forced_exits.update({2026: 1200.4, 2027: 800.0})
    assert narrative.forced_exits_note(path, "en") == (
        "The personnel shrinks faster than people leave by themselves: the projection lets 2,000 more people leave "
        "by 2027, women and men alike."
    )
