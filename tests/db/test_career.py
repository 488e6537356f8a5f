"""The career views on the hand-made workforce of tests/support/career.py, on DuckDB and PostgreSQL: every
expected value below is worked out by hand from the fixture's story, not read from the code."""

from __future__ import annotations

import math
import warnings

import pytest

from di_metrics.analysis import career, promotion, retention
from di_metrics.models.ladders import load_ladders, parse_ladders
from di_metrics.queries import career as reads
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file
from tests.support import career as fixture

Z = 1.959963984540054
B1, B2 = Filters.of({"branch": ["B1"]}), Filters.of({"branch": ["B2"]})


@pytest.fixture
def conn(engine, tmp_path):
    import_file(engine, "workforce", fixture.write_csv(tmp_path / "career.csv"))
    with store.connect(engine) as c:
        yield c


def _loglog_band(s: float, greenwood: float) -> tuple[float, float]:
    """Kaplan-Meier's exponential Greenwood interval (lifelines' default), written out."""
    spread = Z * math.sqrt(greenwood / math.log(s) ** 2)
    return s ** math.exp(spread), s ** math.exp(-spread)


def test_a_return_is_a_second_spell(conn):
    spells = reads.spell_counts(conn, B1.narrowed_to({"personnel_category": ["civilian"]}))
    women = spells[spells["gender"] == "F"].set_index(["start_i", "end_i"])["persons"].to_dict()
    # A1, A2 (2019 only), A3 (2019-2021), A4 (2019-2022, then 2024), A5-A10, B1 (2021), B2-B4 (2021-2024)
    assert women == {(2, 2): 2, (2, 4): 1, (2, 5): 1, (7, 7): 1, (2, 7): 6, (4, 4): 1, (4, 7): 3}


def test_kaplan_meier_of_the_hand_made_cohorts(conn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = retention.retention(conn, B1)
    marks = {(m.group, m.years): m for m in found.milestones}
    # Women: 15 spells; at 1 year 14 at risk and 3 exits; at 3 years 11 at risk, 1 exit; at 4 years 7, 1 exit.
    s1, s3, s5 = 11 / 14, 11 / 14 * 10 / 11, 11 / 14 * 10 / 11 * 6 / 7
    assert marks[("F", 1)].survival == pytest.approx(s1)
    assert marks[("F", 3)].survival == pytest.approx(s3)
    assert marks[("F", 5)].survival == pytest.approx(s5)
    g1 = 3 / (14 * 11)
    assert (marks[("F", 1)].low, marks[("F", 1)].high) == pytest.approx(_loglog_band(s1, g1))
    assert marks[("M", 1)].survival == pytest.approx(11 / 12)
    difference = {d.years: d for d in found.differences}
    se = math.sqrt(s1**2 * g1 + (11 / 12) ** 2 * 1 / (12 * 11))
    assert difference[1].difference == pytest.approx(s1 - 11 / 12)
    assert (difference[1].low, difference[1].high) == pytest.approx((s1 - 11 / 12 - Z * se, s1 - 11 / 12 + Z * se))
    assert sorted(difference) == [1, 2, 3, 4, 5]


def test_a_curve_stops_where_fewer_than_the_minimum_are_at_risk(conn):
    found = retention.retention_from(
        retention.spell_durations(reads.spell_counts(conn, B1), reads.snapshot_index(conn)), k=7
    )
    women = [p for p in found.curves if p.group == "F"]
    # at risk: 15 at 0 years, 14 at 1, 11 at 3, 7 at 4, 6 at 5: the curve stops, hidden, at 5 years
    assert [(p.t, p.at_risk) for p in women] == [(0.0, 15), (1.0, 14), (3.0, 11), (4.0, 7), (5.0, None)]
    assert women[-1].suppressed and women[-1].survival is None
    assert (("F", 5) not in {(m.group, m.years) for m in found.milestones}) and ("F", 3) in {
        (m.group, m.years) for m in found.milestones
    }


def test_promotion_counts_by_hand(conn):
    counts = reads.promotion_counts(conn, load_ladders(), B1)
    got = counts.set_index(["year", "rank_group", "gender"])[["at_risk", "promoted"]].apply(tuple, axis=1).to_dict()
    assert got[(2019, "manschappen", "F")] == (20, 5)
    assert got[(2019, "manschappen", "M")] == (20, 10)
    assert got[(2020, "manschappen", "F")] == (15, 5)
    assert got[(2020, "manschappen", "M")] == (10, 5)
    assert got[(2021, "manschappen", "M")] == (5, 0)
    assert got[(2021, "onderofficieren", "M")] == (15, 0)
    assert got[(2020, "schaal 1-6", "F")] == (10, 0)  # cohort A at the 2019 census
    assert sorted({y for y, _, _ in got}) == [2019, 2020, 2021, 2022, 2023, 2024]


def test_promotion_rates_hidden_and_flagged(conn):
    levels, pooled = promotion.level_rates(reads.promotion_counts(conn, load_ladders(), B1), load_ladders(), 5)
    by = {(r.rank_group, r.year): r for r in levels}
    first = by[("manschappen", 2019)]
    assert (first.women_rate, first.men_rate) == (0.25, 0.5)
    assert first.interval[0] == pytest.approx(0.5)
    assert first.flag == (first.interval[2] < 1)
    assert by[("manschappen", 2021)].suppressed and by[("manschappen", 2021)].women_rate is None  # 0 promoted
    assert all(r.suppressed for r in pooled)  # nobody was promoted in 2022-2024
    assert "opperofficieren" not in {r.rank_group for r in levels}  # the top has nowhere to go


def test_time_to_promotion_with_leaving_competing(conn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = promotion.promotion(conn, B2)
    women = {p.t: p for p in found.incidence if p.rank_group == "manschappen" and p.gender == "F"}
    # 10 women: 2 leave at 1 year (S = 0.8), then 5 of the 8 at risk are promoted at 3: 0.8 * 5/8 = 0.5
    assert women[1.0].incidence == pytest.approx(0.0)
    assert women[3.0].incidence == pytest.approx(0.5)
    assert women[3.0].at_risk == 8
    assert women[5.0].suppressed  # 3 still in rank at 5 years: fewer than the minimum
    medians = {(m.rank_group, m.gender): m.years for m in found.medians}
    assert medians[("manschappen", "F")] == 3.0
    assert medians[("manschappen", "M")] == 2.0


def test_intake_against_the_needed_share(conn):
    durations = retention.spell_durations(reads.spell_counts(conn, B1), reads.snapshot_index(conn))
    found = career.intake_from(durations, 0.5, k=5)
    by_year = {y.year: y for y in found.years}
    assert (by_year[2019].hires, by_year[2019].women_hired) == (22, 10)
    assert by_year[2019].share == pytest.approx(10 / 22)
    assert by_year[2019].gap_persons == 1  # half of 22 is 11 women: one more
    assert by_year[2021].suppressed and by_year[2021].hires is None  # 4 women, no men
    assert by_year[2024].suppressed  # A4's return alone


def test_a_ladder_with_other_rank_names_needs_no_code(engine, tmp_path, monkeypatch):
    """An organisation whose ranks are junior < senior < chief: its promotions are counted from its file."""
    data = fixture.rows()
    rename = {"manschappen": "junior", "onderofficieren": "senior", "schaal 1-6": "staff"}
    for row in data:
        row["rank_group"] = rename.get(row["rank_group"], row["rank_group"])
    header = list(data[0])
    path = tmp_path / "other.csv"
    path.write_text("\n".join([",".join(header)] + [",".join(r[c] for c in header) for r in data]) + "\n")
    import_file(engine, "workforce", path)
    ladder_file = tmp_path / "ladders.toml"
    ladder_file.write_text(
        '[[ladder]]\ncategory = "military"\nranks = ["junior", "senior", "chief"]\ntop = ["chief"]\n\n'
        '[[ladder]]\ncategory = "civilian"\nranks = ["staff"]\n'
    )
    monkeypatch.setenv("KOERS_LADDERS_FILE", str(ladder_file))
    ladders = load_ladders()
    assert ladders.top == frozenset({"chief"}) and ladders.level("senior") == 1
    with store.connect(engine) as c:
        counts = reads.promotion_counts(c, ladders, B1)
    got = counts.set_index(["year", "rank_group", "gender"])["promoted"].to_dict()
    assert got[(2019, "junior", "F")] == 5 and got[(2019, "junior", "M")] == 10


def test_the_default_ladders_are_todays_defence_ladders():
    from di_metrics import vocab

    ladders = load_ladders()
    assert dict(ladders.ladders) == vocab.LADDERS
    assert ladders.top == frozenset({"opperofficieren", "schaal 13+"})
    with pytest.raises(ValueError):
        parse_ladders('[[ladder]]\ncategory = "a"\nranks = ["x", "x"]\n')


def test_matrix_hides_small_cells_with_complements(conn):
    found = career.matrix(conn, Filters(), rows="rank_group", columns="branch")
    hidden = {(c.row, c.column) for c in found.cells if c.suppressed}
    # 2024 cells: B1 manschappen 10 F + 5 M, onderofficieren 10 F + 15 M, schaal 1-6 10 F + 11 M;
    # B2 manschappen 3 F + 3 M (primary), onderofficieren 5 F + 5 M. Row manschappen then hides B1's cell,
    # column B2 hides onderofficieren, and column B1 its smallest other cell that is not alone on its row
    # (schaal 1-6 is: hiding it would leave its row with one hidden cell), onderofficieren, which also closes
    # that row. Four cells go and schaal 1-6 stays: the hidden headcounts a (B1 man), b (B2 man), c (B1 onder),
    # d (B2 onder) meet a + b = 21, c + d = 35, a + c = 40, b + d = 16, one equation short, so b can be 0 to 12.
    assert hidden == {
        ("manschappen", "B1"),
        ("manschappen", "B2"),
        ("onderofficieren", "B1"),
        ("onderofficieren", "B2"),
    }
    assert len(found.cells) == 5


def test_the_series_a_target_can_follow(conn):
    import datetime as dt

    intake = dict(reads.intake_points(conn, B1, 5))
    assert intake[dt.date(2019, 12, 31)] == pytest.approx(10 / 22)
    assert intake[dt.date(2021, 12, 31)] is None  # 4 women, no men
    # cohort 2019: 8 of its 10 women still in their spell a year on; cohort 2021: 3 of 4
    retained = dict(reads.retention_points(conn, B1, 1, 1))
    assert retained == {dt.date(2020, 12, 31): pytest.approx(0.8), dt.date(2022, 12, 31): pytest.approx(0.75)}
    assert dict(reads.retention_points(conn, B1, 1, 3))[dt.date(2020, 12, 31)] is None  # 2 left: under 3
    ratio = dict(reads.promotion_points(conn, load_ladders(), B1, "manschappen", 5))
    assert ratio[dt.date(2019, 12, 31)] == pytest.approx((5 / 20) / (10 / 20))
    assert ratio[dt.date(2020, 12, 31)] == pytest.approx((5 / 15) / (5 / 10))
    assert ratio[dt.date(2021, 12, 31)] is None  # nobody promoted


def test_a_target_on_a_career_metric_reads_through_the_registry(conn):
    """A target on "promotion:manschappen" (an impact ratio of 1 by 2030) reads its series by the registry's
    reader, with no code outside the registry knowing the kind: 2019's 0.5, 2020's (5/15) / (5/10), and from
    2021 on hidden (nobody promoted), so its latest value is unknown, not zero."""
    import datetime as dt

    from di_metrics.models.metrics import metric_of
    from di_metrics.models.targets import Target
    from di_metrics.queries.status import read_metric, target_status

    reading = read_metric(conn, metric_of("promotion:manschappen"), B1)
    values = dict(reading.points)
    assert values[dt.date(2019, 12, 31)] == pytest.approx(0.5)
    assert values[dt.date(2020, 12, 31)] == pytest.approx(2 / 3)
    assert values[dt.date(2024, 12, 31)] is None
    target = Target("parity", "promotion:manschappen", 1.0, dt.date(2030, 12, 31), dt.date(2019, 12, 31), 0.5)
    assert target_status(conn, target, B1).latest is None


def test_promotion_of_a_selection_with_nobody_is_empty(conn):
    # B2 has no civilians: no level, no year (it raised a KeyError)
    found = promotion.promotion(conn, B2.narrowed_to({"personnel_category": ["civilian"]}), with_time=False)
    assert found.levels == () and found.pooled == ()
