"""Where the change must come from: the lever frontier, the allocation over parts, and the watchlist,
each against figures worked out by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from di_metrics.analysis.allocation import Part, allocation, allocation_for
from di_metrics.analysis.watchlist import watchlist
from di_metrics.cli.main import main
from di_metrics.models.frontier import frontier, lever_frontier
from di_metrics.models.projection import Scenario, project
from di_metrics.models.targets import Target
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_file
from di_metrics.storage.targets import load_targets, save_target

# One year from 200 women and 800 men, men's attrition 0.1, no growth, target 25% in 2026:
# W1 = 200 (1 - a) + h (200 a + 80) = 250  =>  a(h) = (80 h - 50) / (200 (1 - h)).
# a = 0 needs h = 50/80 = 0.625; with a = 1 every hire is a replacement: 280 h = 250, h = 25/28.
ONE_YEAR = Scenario(
    start_year=2025,
    women=200,
    men=800,
    hire_share=0.5,
    attrition_women=0.1,
    attrition_men=0.1,
    target=0.25,
    deadline=2026,
    until=2026,
)


def test_the_frontier_of_one_year_by_hand():
    curve = frontier(ONE_YEAR, points=8)
    assert len(curve) == 8
    assert curve[0].hire_share == pytest.approx(0.625, abs=1e-6) and curve[0].attrition_women == 0.0
    assert curve[-1].hire_share == pytest.approx(25 / 28, abs=1e-6) and curve[-1].attrition_women == 1.0
    assert [p.hire_share for p in curve] == sorted(p.hire_share for p in curve)
    for p in curve:
        h, a = p.hire_share, p.attrition_women
        assert a == pytest.approx((80 * h - 50) / (200 * (1 - h)), abs=1e-6)
        assert p.women_hired_per_year == pytest.approx(h * (200 * a + 80), abs=1e-4)
        assert p.leavers_avoided_per_year == pytest.approx((0.1 - a) * 200, abs=1e-4)


def test_the_marked_points_by_hand():
    # At 23.5%: hiring alone needs (235 - 180) / 100 = 0.55; attrition alone at h = 0.5: 240 - 100 a = 235, a = 0.05.
    doc = lever_frontier(dataclasses.replace(ONE_YEAR, target=0.235))
    assert doc.today.hire_share == 0.5 and doc.today.share_at_deadline == pytest.approx(0.23)
    assert doc.today.women_hired_per_year == pytest.approx(50)  # half of 20 + 80 hires
    hire, attrition = doc.hire_alone, doc.attrition_alone
    assert hire.hire_share == pytest.approx(0.55, abs=1e-6) and hire.attrition_women == 0.1
    assert attrition.attrition_women == pytest.approx(0.05, abs=1e-6) and attrition.hire_share == 0.5
    assert attrition.leavers_avoided_per_year == pytest.approx(10, abs=1e-3)  # 0.05 of 200 women stay
    assert lever_frontier(ONE_YEAR).attrition_alone is None  # would need a = -0.1


def test_out_of_reach_has_no_frontier():
    # Even with no woman leaving and every hire a woman: 200 + 80 = 280 of 1000.
    assert frontier(dataclasses.replace(ONE_YEAR, target=0.29)) == []


SEVEN_YEARS = Scenario(
    start_year=2025,
    women=11_000,
    men=55_000,
    other=100,
    hire_share=0.22,
    hire_share_other=0.002,
    attrition_women=0.11,
    attrition_men=0.09,
    attrition_other=0.09,
    growth=0.01,
    until=2040,
)


def test_every_frontier_point_projects_to_the_target():
    curve = frontier(SEVEN_YEARS)
    assert len(curve) > 10
    for p in curve:
        mix = dataclasses.replace(SEVEN_YEARS, hire_share=p.hire_share, attrition_women=p.attrition_women)
        assert abs(project(mix).share_at_deadline - 0.30) < 0.0005  # within 0.05 pp


def test_cli_frontier_points_agree_with_cli_project(capsys):
    options = ["--start-year", "2025", "--women", "11000", "--men", "55000", "--attrition-men", "0.09"]
    options += ["--growth", "0.01", "--deadline", "2029"]
    assert main(["frontier", *options, "--hire-share", "0.22", "--attrition-women", "0.11", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["target"] == 0.3 and doc["deadline"] == 2029
    assert set(doc["points"][0]) >= {"hire_share", "attrition_women", "women_hired_per_year", "share_at_deadline"}
    middle = doc["points"][len(doc["points"]) // 2]
    mix = ["--hire-share", repr(middle["hire_share"]), "--attrition-women", repr(middle["attrition_women"])]
    assert main(["project", *options, *mix, "--json"]) == 0
    assert abs(json.loads(capsys.readouterr().out)["share_at_deadline"] - 0.30) < 0.0005
    assert main(["frontier", *options, "--hire-share", "0.22", "--attrition-women", "0.11", "--lang", "en"]) == 0
    head, columns, first = capsys.readouterr().out.splitlines()[:3]
    # the slide's message, from the document above: the hiring share alone would take (at today's 11%), and the
    # lowest hiring share of the mixes, the one with no woman leaving
    alone = doc["single_lever"]["hire_share"]
    low = min(doc["points"], key=lambda p: p["hire_share"])
    assert low["attrition_women"] == 0 and alone["attrition_women"] == 0.11
    hire, hire_low = (f"{100 * x:.0f}%" for x in (alone["hire_share"], low["hire_share"]))
    assert head == f"30% by 2029: {hire} of hires women at today's attrition, or {hire_low} with no woman leaving"
    assert columns.startswith("Every mix that reaches it:") and first.split()[0] == f"{100 * low['hire_share']:.1f}%"
    assert main(["frontier", *options, "--hire-share", "0.22", "--attrition-women", "0.11", "--points", "1"]) == 2


# Two parts, one year, attrition 0.1 everywhere, no growth. A: 60 women of 600, hiring share 0.2 (60 hires);
# B: 200 of 400, hiring share 0.5 (40 hires). W1 = 234 + 60 (0.2 + d) + 40 (0.5 + d) = 266 + 100 d = 300
# at 30%: d = 0.34, so A needs 0.54 and B 0.84; A ends at (54 + 32.4) / 600, B at (180 + 33.6) / 400.
def _part(value: str, women: float, men: float, h: float, exempt: bool = False) -> Part:
    s = Scenario(2025, women, men, hire_share=h, attrition_women=0.1, attrition_men=0.1, until=2026)
    return Part(value, s, exempt)


def test_equal_effort_by_hand():
    doc = allocation([_part("A", 60, 540, 0.2), _part("B", 200, 200, 0.5)], 0.30, 2026)
    a, b = doc.parts
    assert doc.effort_points == pytest.approx(0.34, abs=1e-6)
    assert a.hire_share_needed == pytest.approx(0.54, abs=1e-6) and b.hire_share_needed == pytest.approx(0.84)
    assert a.share_now == pytest.approx(0.1) and b.hire_share_now == 0.5
    assert a.share_of_hires == pytest.approx(0.6) and b.share_of_hires == pytest.approx(0.4)
    assert a.share_at_deadline == pytest.approx(86.4 / 600, abs=1e-6)
    assert b.share_at_deadline == pytest.approx(213.6 / 400, abs=1e-6)
    assert doc.organisation_share_at_deadline == pytest.approx(0.30, abs=1e-6)
    assert doc.organisation_share_now == pytest.approx(0.26)


def test_exempt_parts_keep_their_hiring_and_the_others_make_up_for_them():
    # B exempt: 266 + 60 d = 300, d = 34/60; A needs 0.2 + 34/60; B stays at 0.5 and ends at (180 + 20) / 400.
    doc = allocation([_part("A", 60, 540, 0.2), _part("B", 200, 200, 0.5, exempt=True)], 0.30, 2026)
    a, b = doc.parts
    assert a.hire_share_needed == pytest.approx(0.2 + 34 / 60, abs=1e-6)
    assert b.hire_share_needed == 0.5 and b.exempt and b.share_at_deadline == pytest.approx(0.5)
    assert doc.organisation_share_at_deadline == pytest.approx(0.30, abs=1e-6)


def test_a_part_at_all_hires_women_stays_there():
    # 45%: 266 + 100 d would need d = 1.84; with B capped at 1: 234 + 60 (0.2 + d) + 40 = 450 -> d = 2.4 > 1.
    doc = allocation([_part("A", 60, 540, 0.2), _part("B", 200, 200, 0.5)], 0.45, 2026)
    assert doc.effort_points is None and doc.organisation_share_at_deadline is None
    # 33%: 266 + 100 d = 330, d = 0.64: B at 1.14 is capped at 1, so 234 + 12 + 60 d + 40 = 330: d = 44/60.
    doc = allocation([_part("A", 60, 540, 0.2), _part("B", 200, 200, 0.5)], 0.33, 2026)
    assert doc.parts[1].hire_share_needed == 1.0
    assert doc.parts[0].hire_share_needed == pytest.approx(0.2 + 44 / 60, abs=1e-6)


def _people(day: str, branch: str, unit: str, category: str, women: list[str], men: list[str]) -> list[str]:
    return [f"{day},{p},F,{unit},{branch},manschappen,{category}" for p in women] + [
        f"{day},{p},M,{unit},{branch},manschappen,{category}" for p in men
    ]


@pytest.fixture
def two_branches(engine, tmp_path):
    """A: 20 women and 80 men; B: 50 and 50. In 2025 a tenth of each gender leaves and as many join:
    A hires 2 women and 8 men (hiring share 0.2), B 5 and 5 (0.5). Headcounts stay."""
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    a_w, a_m = [f"AW{i}" for i in range(20)], [f"AM{i}" for i in range(80)]
    b_w, b_m = [f"BW{i}" for i in range(50)], [f"BM{i}" for i in range(50)]
    lines += _people("2024-12-31", "A", "UA", "military", a_w, a_m) + _people(
        "2024-12-31", "B", "UB", "civilian", b_w, b_m
    )
    a_w, a_m = [*a_w[2:], "AW90", "AW91"], a_m[8:] + [f"AM9{i}" for i in range(8)]
    b_w, b_m = b_w[5:] + [f"BW9{i}" for i in range(5)], b_m[5:] + [f"BM9{i}" for i in range(5)]
    lines += _people("2025-12-31", "A", "UA", "military", a_w, a_m) + _people(
        "2025-12-31", "B", "UB", "civilian", b_w, b_m
    )
    path = tmp_path / "two.csv"
    path.write_text("\n".join(lines) + "\n")
    import_file(engine, "workforce", path)
    return engine.url.render_as_string(hide_password=False)


def test_allocation_over_branches_from_the_database(two_branches, capsys):
    # 2026 at 38%: W1 = 63 + 10 (0.2 + d) + 10 (0.5 + d) = 70 + 20 d = 76: d = 0.3, A needs 0.5, B 0.8.
    assert (
        main(["allocate", "--db", two_branches, "--by", "branch", "--target", "0.38", "--deadline", "2026", "--json"])
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    parts = {p["value"]: p for p in doc["parts"]}
    assert set(parts) == {"A", "B"}
    assert parts["A"]["share_now"] == pytest.approx(0.2) and parts["A"]["hire_share_now"] == pytest.approx(0.2)
    assert parts["A"]["hire_share_needed"] == pytest.approx(0.5, abs=1e-6)
    assert parts["B"]["hire_share_needed"] == pytest.approx(0.8, abs=1e-6)
    assert parts["A"]["share_of_hires"] == pytest.approx(0.5)
    women = people = 0.0
    for value, part in parts.items():  # each part projected on its own with its needed share, then added up
        args = ["project", "--db", two_branches, "--branch", value, "--deadline", "2026", "--json"]
        assert main([*args, "--hire-share", repr(part["hire_share_needed"])]) == 0
        projected = json.loads(capsys.readouterr().out)
        women, people = women + projected["women"][1], people + projected["women"][1] + projected["men"][1]
    assert abs(women / people - 0.38) < 0.001  # within 0.1 pp
    assert doc["organisation_share_at_deadline"] == pytest.approx(0.38, abs=1e-6)


def test_allocation_with_an_exempt_unit_from_the_database(two_branches, capsys):
    """The organisation's target exempts unit UB (all of branch B): B keeps hiring half women, and A makes up
    for it. 2026 at 38%: W1 = 63 + 10 (0.2 + d) + 10 x 0.5 = 70 + 10 d = 76: d = 0.6, A needs 0.8."""
    engine = open_database(two_branches)
    with store.connect(engine, write=True) as conn:
        total = next(t for t in load_targets(conn) if t.name == "women_total")
        save_target(conn, dataclasses.replace(total, exempt_units=("UB",)))
    engine.dispose()
    assert main(["allocate", "--db", two_branches, "--target", "0.38", "--deadline", "2026", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(p["value"], p["exempt"]) for p in doc["parts"]] == [("A", False), ("exempt", True)]
    a, exempt = doc["parts"]
    assert a["hire_share_needed"] == pytest.approx(0.8, abs=1e-6) and doc["effort_points"] == pytest.approx(0.6)
    assert exempt["hire_share_needed"] == exempt["hire_share_now"] == pytest.approx(0.5)
    assert doc["organisation_share_at_deadline"] == pytest.approx(0.38, abs=1e-6)
    assert main(["allocate", "--db", two_branches, "--target", "0.38", "--deadline", "2026", "--lang", "nl"]) == 0
    text = capsys.readouterr().out
    assert "elk onderdeel verhoogt zijn aandeel vrouwen in de instroom met +60,0 pp" in text
    assert "Uitgezonderde eenheden (instroom als nu)" in text


def test_allocation_over_categories_folds_a_hidden_part_into_other(engine, tmp_path):
    """Unit U: 40 women and 60 military men, 2 civilian women and 30 civilian men. Selected on the unit,
    the civilians are below the minimum; alone in "other" they would still show, so the military join them.
    (V has civilians too, 20 and 20: were U's civilians all of A's, the branch would show them exactly.)"""
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for day in ("2024-12-31", "2025-12-31"):
        lines += _people(day, "A", "U", "military", [f"MW{i}" for i in range(40)], [f"MM{i}" for i in range(60)])
        lines += _people(day, "A", "U", "civilian", ["CW1", "CW2"], [f"CM{i}" for i in range(30)])
        lines += _people(day, "A", "V", "military", [f"VW{i}" for i in range(40)], [f"VM{i}" for i in range(60)])
        lines += _people(day, "A", "V", "civilian", [f"VCW{i}" for i in range(20)], [f"VCM{i}" for i in range(20)])
    (tmp_path / "u.csv").write_text("\n".join(lines) + "\n")
    import_file(engine, "workforce", tmp_path / "u.csv")
    with store.connect(engine) as conn:
        doc = allocation_for(conn, Filters.of({"org_unit": ["U"]}), "category", {})
        whole = allocation_for(conn, Filters(), "category", {})
    assert [p.value for p in doc.parts] == ["other"]
    assert doc.parts[0].share_now == pytest.approx(42 / 132)
    assert {p.value for p in whole.parts} == {"civilian", "military"}  # at the top, no cell is small


def _units(day: str, counts: dict[str, tuple[int, int]]) -> list[str]:
    out = []
    for unit, (women, men) in counts.items():
        out += _people(
            day, "B1", unit, "military", [f"{unit}W{i}" for i in range(women)], [f"{unit}M{i}" for i in range(men)]
        )
    return out


@pytest.fixture
def four_units(engine, tmp_path):
    """U1 35 -> 40 women of 100; U2 2 women of 32 (hidden); U3 20 -> 30 women of 200 (its own target);
    U4 8 women of 20 (hidden as U2's complement: the smallest of the rest)."""
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    lines += _units("2024-12-31", {"U1": (35, 65), "U2": (2, 30), "U3": (20, 180), "U4": (8, 12)})
    lines += _units("2025-12-31", {"U1": (40, 60), "U2": (2, 30), "U3": (30, 170), "U4": (8, 12)})
    (tmp_path / "units.csv").write_text("\n".join(lines) + "\n")
    import_file(engine, "workforce", tmp_path / "units.csv")
    with store.connect(engine, write=True) as conn:
        save_target(
            conn,
            Target("u3", "women_share", 0.5, dt.date(2030, 12, 31), dt.date(2024, 12, 31), 0.1, {"org_unit": ("U3",)}),
        )
    return engine


def test_watchlist_by_hand(four_units, capsys):
    on = dt.date(2025, 12, 31)
    org_glide = 0.16 + 0.14 * (on - dt.date(2022, 12, 31)).days / (dt.date(2030, 12, 31) - dt.date(2022, 12, 31)).days
    u3_glide = 0.1 + 0.4 * 365 / (dt.date(2030, 12, 31) - dt.date(2024, 12, 31)).days
    url = four_units.url.render_as_string(hide_password=False)
    assert main(["watchlist", "--db", url, "--by", "org_unit", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["value"] for r in doc["rows"]] == ["U3", "U1"]  # U2 and U4 stay hidden
    u3, u1 = doc["rows"]
    assert u3["glide_path"] == pytest.approx(u3_glide) and u3["own_target"]
    assert u3["persons_short"] == pytest.approx(u3_glide * 200 - 30)
    assert u1["glide_path"] == pytest.approx(org_glide) and not u1["own_target"]
    assert u1["persons_short"] == pytest.approx(org_glide * 100 - 40)
    assert u1["change_12m"] == pytest.approx(0.05) and u3["change_12m"] == pytest.approx(0.05)
    assert u1["share"] == pytest.approx(0.4) and u1["trend"] == pytest.approx([0.35, 0.4])
    assert "U2" not in json.dumps(doc) and "U4" not in json.dumps(doc)
    assert main(["watchlist", "--db", url, "--by", "org_unit", "--lang", "nl"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("  U3: 15,0% vrouwen, groeipad 16,7%, 3 tekort")
    with store.connect(four_units) as conn:
        (branch,) = watchlist(conn, Filters(), "branch").rows
    assert branch.value == "B1" and branch.persons_short == pytest.approx(org_glide * 352 - 80)
