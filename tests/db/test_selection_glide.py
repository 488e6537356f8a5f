"""A selection narrower than a target's population is judged against its own glide path (issue 26): the target's
state and the watchlist on a selection start the line from the selection's own share at the target's baseline
date, as the Overview's chart draws it (models.targets.glide_for), worked by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from di_metrics.analysis.claims_text import state_claim
from di_metrics.analysis.claims_whatif import card_claim
from di_metrics.analysis.watchlist import watchlist
from di_metrics.cli.main import main
from di_metrics.models.claims import holds
from di_metrics.models.targets import Target
from di_metrics.present.claims import render
from di_metrics.queries.filters import Filters
from di_metrics.queries.status import status
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file
from di_metrics.storage.targets import replace_targets

# 30% women by 31 Dec 2030 from the organisation's 16% on 31 Dec 2024 (2,191 days).
TARGET = Target("women_total", "women_share", 0.30, dt.date(2030, 12, 31), dt.date(2024, 12, 31), 0.16)
DONE = 365 / 2191  # of the way on 31 Dec 2025
ORG_LINE = 0.16 + 0.14 * DONE  # 18.33%
A_LINE = 0.10 + 0.20 * DONE  # branch A's own line, from its 10% on the baseline date: 13.33%

# Women per unit (of 500, 500 and 1,000 persons) on 31 Dec 2024 and 31 Dec 2025. Branch A (units A1, A2): 100
# of 1,000 (10%), then 150 (15%); branch B: 220, then 240; the organisation 320 of 2,000 (16%), then 390 (19.5%).
UNITS = {"A1": ("A", 500, 50, 50), "A2": ("A", 500, 50, 100), "B1": ("B", 1000, 220, 240)}


@pytest.fixture
def two_branches(engine, tmp_path):
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for day, k in (("2024-12-31", 0), ("2025-12-31", 1)):
        for unit, (branch, n, *women) in UNITS.items():
            lines += [
                f"{day},{unit}-{p},{'F' if p < women[k] else 'M'},{unit},{branch},manschappen,military"
                for p in range(n)
            ]
    path = tmp_path / "people.csv"
    path.write_text("\n".join(lines) + "\n")
    import_file(engine, "workforce", path)
    with store.connect(engine, write=True) as conn:
        replace_targets(conn, [TARGET])
    return engine


def test_a_branch_is_on_track_against_its_own_glide_path(two_branches):
    """Branch A at 15% is above its own line (13.33%) though below the organisation's (18.33%): on track
    (red before: off track, judged against the organisation's line the Overview no longer drew)."""
    with store.connect(two_branches) as conn:
        (entry,) = status(conn, Filters.of({"branch": ["A"]})).targets
        (whole,) = status(conn, Filters()).targets
    assert entry.latest == pytest.approx(0.15)
    assert entry.glide_path == pytest.approx(A_LINE) and entry.state == "on_track"
    assert holds(state_claim(entry)) and state_claim(entry).figures["baseline_value"] == pytest.approx(0.10)
    # the organisation itself keeps the target's own line: 19.5% against 18.33%
    assert whole.glide_path == pytest.approx(ORG_LINE) and whole.state == "on_track"


def test_the_watchlist_on_a_branch_uses_the_branchs_glide_path(two_branches, capsys):
    """Units of A against A's line: A1 13.33% x 500 - 50 = 16.7 short, A2 66.7 - 100 = 33.3 ahead (on the
    organisation's line they were 41.7 short and 8.3 ahead)."""
    with store.connect(two_branches) as conn:
        rows = {r.value: r for r in watchlist(conn, Filters.of({"branch": ["A"]}), "org_unit").rows}
    assert rows["A1"].glide_path == pytest.approx(A_LINE) and not rows["A1"].own_target
    assert rows["A1"].persons_short == pytest.approx(A_LINE * 500 - 50)
    assert rows["A2"].persons_short == pytest.approx(A_LINE * 500 - 100)
    url = two_branches.url.render_as_string(hide_password=False)
    assert main(["status", "--db", url, "--branch", "A", "--json"]) == 0
    (target,) = json.loads(capsys.readouterr().out)["targets"]
    assert target["glide_path"] == pytest.approx(A_LINE) and target["state"] == "on_track"
    assert target["baseline_value"] == pytest.approx(0.16)  # the registry entry is the registry's


def test_the_status_text_on_a_branch_says_what_the_page_says(two_branches, capsys):
    """Branch A: 1,000 persons, 150 women (15.0%) on 31 Dec 2025, on track on its own line; in Dutch the same."""
    url = two_branches.url.render_as_string(hide_password=False)
    assert main(["status", "--db", url, "--branch", "A", "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "As of 2025-12-31: 1,000 personnel, 15.0% women.",
        "  Women, all personnel: 15.0% (on track); target 30% by 2030.",
    ]
    assert main(["status", "--db", url, "--branch", "A", "--lang", "nl"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Per 2025-12-31: 1.000 medewerkers, 15,0% vrouwen.",
        "  Vrouwen, al het personeel: 15,0% (op koers); doel 30% per 2030.",
    ]


def test_a_survey_target_on_a_branch_is_judged_on_the_branchs_own_line(demo_db):
    """The demo's willingness target (75% by 31 Dec 2027 from the organisation's 50% on 30 Jun 2019) on the Army
    Command: its line starts from the Army's own share in the last wave on or before the baseline date (the
    safe series the card reads), and the state follows that line, worked out here (red before: the
    organisation's 50% start, unlabelled, on the card of a selection)."""
    from di_metrics.models.metrics import metric_of
    from di_metrics.queries.status import read_metric
    from di_metrics.storage.database import open_database

    army = Filters.of({"branch": ["CLAS"]})
    engine = open_database(demo_db)
    with store.connect(engine) as conn:
        entry = next(e for e in status(conn, army).targets if e.target.name == "reporting_willingness")
        points = read_metric(conn, metric_of(entry.target.metric), army, entry.target).points
    engine.dispose()
    t = entry.target
    start = max((d, v) for d, v in points if d <= t.baseline_date)[1]
    done = (entry.as_of - t.baseline_date).days / (t.deadline - t.baseline_date).days
    line = start + done * (t.target_value - start)
    assert start != pytest.approx(t.baseline_value)  # the Army's own start is not the organisation's
    assert entry.glide_from == pytest.approx(start) and entry.glide_path == pytest.approx(line)
    assert entry.state == ("on_track" if entry.latest >= line else "off_track")
    assert holds(state_claim(entry))
    # the card says its line is the Army's own, from where (red before: no word of it on the card)
    card = card_claim(entry)
    assert holds(card)
    en, nl = render(card, "en").splitlines()[-1], render(card, "nl").splitlines()[-1]
    assert en == f"- Glide path: **from this selection's own {100 * start:.1f}% on 30 Jun 2019**"
    assert nl == f"- Groeipad: **vanaf {100 * start:.1f}% van deze selectie zelf op 30 jun 2019**".replace(".", ",")
    assert not holds(dataclasses.replace(card, params={**card.params, "own_from": None}))


def test_a_card_on_the_targets_own_population_names_no_line(two_branches):
    """The organisation's card is judged on the target's own line: it adds no line row, and a card that named
    one would not hold."""
    engine = two_branches
    with store.connect(engine) as conn:
        entry = next(e for e in status(conn, Filters()).targets if e.target.name == "women_total")
    card = card_claim(entry)
    assert card.params["own_from"] is None and holds(card)
    assert "Glide path" not in render(card, "en")
    assert not holds(dataclasses.replace(card, params={**card.params, "own_from": 0.16}))


def test_a_cards_start_is_checked_against_the_selections_own_value(two_branches):
    """Branch A's card names its line's start: A's own 10% on the baseline date, 31 Dec 2024 (100 women of
    1,000), which the claim carries as read off A's series. A card whose figure says otherwise does not hold
    (red before: the checker held the stated start against the same status value it was written from)."""
    with store.connect(two_branches) as conn:
        (entry,) = status(conn, Filters.of({"branch": ["A"]})).targets
    card = card_claim(entry)
    assert card.figures["own_at_baseline"] == pytest.approx(100 / 1000)
    assert card.params["own_from"] == pytest.approx(0.10) and holds(card)
    assert render(card, "en").splitlines()[-1] == "- Glide path: **from this selection's own 10.0% on 31 Dec 2024**"
    assert render(card, "nl").splitlines()[-1] == "- Groeipad: **vanaf 10,0% van deze selectie zelf op 31 dec 2024**"
    for tampered in (0.11, 0.16, None):  # another value; the organisation's own start; no own value at all
        assert not holds(dataclasses.replace(card, figures={**card.figures, "own_at_baseline": tampered}))


def test_a_card_on_the_targets_own_population_carries_no_own_value(two_branches):
    """The organisation's card names no start and carries no own value: one that did (12%) would not hold."""
    with store.connect(two_branches) as conn:
        entry = next(e for e in status(conn, Filters()).targets if e.target.name == "women_total")
    card = card_claim(entry)
    assert card.figures["own_at_baseline"] is None and holds(card)
    assert not holds(dataclasses.replace(card, figures={**card.figures, "own_at_baseline": 0.12}))
