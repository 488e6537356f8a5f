"""Targets: the glide path and on-track rule worked out by hand, the registry file, and exempted units."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from di_metrics.cli.main import main
from di_metrics.errors import InvalidInput
from di_metrics.models.targets import DEFAULT_TARGETS, parse_targets, targets_to_toml
from di_metrics.queries.filters import Filters
from di_metrics.queries.status import target_status
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file
from di_metrics.storage.targets import load_targets, save_target

TOTAL = DEFAULT_TARGETS[0]  # 16% on 2022-12-31 to 30% on 2030-12-31: 2,922 days, 1,461 of them by 2026-12-31


@pytest.mark.parametrize(
    ("latest", "on", "expected"),
    [
        (0.23, dt.date(2026, 12, 31), True),  # exactly on the glide path (halfway: 0.16 + 0.07)
        (0.2299, dt.date(2026, 12, 31), False),
        (0.2301, dt.date(2026, 12, 31), True),
        (0.16, dt.date(2020, 1, 1), True),  # before the baseline the path stays at the baseline
        (0.1599, dt.date(2020, 1, 1), False),
        (0.2999, dt.date(2031, 6, 30), False),  # after the deadline the path stays at the target
        (0.30, dt.date(2031, 6, 30), True),
    ],
)
def test_on_track_around_the_glide_path(latest, on, expected):
    assert TOTAL.on_track(latest, on) is expected


def test_glide_path_and_paces_by_hand():
    assert TOTAL.glide_path(dt.date(2026, 12, 31)) == pytest.approx(0.23)
    on = dt.date(2025, 12, 31)  # five years (1,826 days) before the deadline
    assert TOTAL.required_pace(0.20, on) == pytest.approx(0.10 / (1826 / 365.25))
    assert TOTAL.year_reached_at_pace(0.20, on, 0.01) == 2035  # ten years at one point a year
    assert TOTAL.year_reached_at_pace(0.20, on, 0.0) is None
    assert TOTAL.year_reached_at_pace(0.31, on, -0.01) == 2025


def test_registry_file_round_trip_toml_and_yaml():
    targets = list(DEFAULT_TARGETS)
    assert parse_targets(targets_to_toml(targets), "t.toml") == targets
    yaml_text = """
target:
  - name: women_officers
    metric: women_share
    target_value: 0.25
    deadline: 2030-12-31
    baseline_date: 2024-12-31
    baseline_value: 0.12
    scope: {rank_group: [officieren, hoofdofficieren]}
    exempt_units: [Korps Commandotroepen]
"""
    (officers,) = parse_targets(yaml_text, "targets.yaml")
    assert officers.scope == {"rank_group": ("officieren", "hoofdofficieren")}
    assert officers.exempt_units == ("Korps Commandotroepen",)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[[target]]\nname = 'x'\n", "lacks a required field"),
        (
            "[[target]]\nname='x'\nmetric='women_share'\ntarget_value=0.3\ndeadline=2020-01-01\n"
            "baseline_date=2022-01-01\nbaseline_value=0.1\n",
            "deadline must come after",
        ),
        (
            "[[target]]\nname='x'\nmetric='women_share'\ntarget_value=30\ndeadline=2030-01-01\n"
            "baseline_date=2022-01-01\nbaseline_value=0.1\n",
            "fractions between 0 and 1",
        ),
        (
            "[[target]]\nname='x'\nmetric='women_share'\ntarget_value=0.3\ndeadline=2030-01-01\n"
            "baseline_date=2022-01-01\nbaseline_value=0.1\nscope={shoe_size=['42']}\n",
            "unknown dimension",
        ),
        ("this is = not toml =", "not valid TOML"),
    ],
)
def test_bad_registry_file_is_refused_with_a_reason(text, fragment):
    with pytest.raises(InvalidInput) as err:
        parse_targets(text, "targets.toml")
    assert fragment in str(err.value)


def _three_units(tmp_path, extra=()):
    """U1: 10 women, 20 men; U2: 6 women, 30 men; U3: 8 women, 8 men (one branch, one date)."""
    lines, n = ["snapshot_date,person_id,gender,org_unit,branch"], 0
    for unit, women, men in (("U1", 10, 20), ("U2", 6, 30), ("U3", 8, 8), *extra):
        for gender, count in (("F", women), ("M", men)):
            for _ in range(count):
                n += 1
                lines.append(f"2025-12-31,P{n},{gender},{unit},B1")
    path = tmp_path / "three.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_exempted_units_leave_the_target_population(engine, tmp_path):
    import_file(engine, "workforce", _three_units(tmp_path))
    exempt = dataclasses.replace(TOTAL, exempt_units=("U2",))
    with store.connect(engine) as conn:
        entry = target_status(conn, exempt)
        whole = target_status(conn, TOTAL)
    assert whole.latest == pytest.approx(24 / 82)
    assert entry.latest == pytest.approx(18 / 46)  # U1 and U3 only
    assert entry.women_needed == -4  # ceil(0.30 x 46 - 18) = ceil(-4.2): four more than needed
    assert entry.target.exempt_units == ("U2",)


def test_a_small_exempted_unit_cannot_be_found_by_subtraction(engine, tmp_path):
    """Exempting U4 (2 women, 3 men) would show its size as the whole minus the target population."""
    import_file(engine, "workforce", _three_units(tmp_path, extra=[("U4", 2, 3)]))
    small = dataclasses.replace(TOTAL, exempt_units=("U4",))
    with store.connect(engine, write=True) as conn:
        save_target(conn, small)
    with store.connect(engine) as conn:
        entry = target_status(conn, small)
        assert load_targets(conn)[0].exempt_units == ("U4",)
    assert entry.latest is None and entry.women_needed is None


def test_filters_and_drill_down(engine, tmp_path, capsys):
    import_file(engine, "workforce", _three_units(tmp_path))
    from di_metrics.queries.workforce import breakdown, compare_breakdown

    with store.connect(engine) as conn:
        units = breakdown(conn, Filters.of({"branch": ["B1"]}), "org_unit").set_index("value")
        both = compare_breakdown(
            conn, Filters.of({"org_unit": ["U1", "U3"]}), "org_unit", dt.date(2025, 12, 31), dt.date(2025, 12, 31)
        )
    assert list(units.index) == ["U1", "U2", "U3"]
    assert (units.loc["U2", "women"], units.loc["U2", "men"]) == (6, 30)
    assert list(both["value"]) == ["U1", "U3"] and list(both["change_pp"]) == [0.0, 0.0]
    url = engine.url.render_as_string(hide_password=False)
    assert main(["status", "--db", url, "--json", "--org-unit", "U1", "--org-unit", "U3"]) == 0
    doc = __import__("json").loads(capsys.readouterr().out)
    assert (doc["headcount"], doc["women"]) == (46, 18)
