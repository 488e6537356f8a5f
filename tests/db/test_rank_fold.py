"""The rank fold (issue 28): a hidden top rank group is folded into the ranks below, the same way in the
Overview's pipeline, the rank model, the career pyramid, the briefing and the CLI, on DuckDB and PostgreSQL.
Every expected figure is worked out by hand in tests/support/rank_fold.py; the attacker then checks that the
folded figures give no hidden top-rank count away."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from di_metrics.analysis import disclosure
from di_metrics.analysis.career import pyramid
from di_metrics.analysis.claims_notes import fold_claim
from di_metrics.analysis.evaluate import load_ranks
from di_metrics.analysis.rank_model import calibrate_ranks, project_ranks
from di_metrics.cli.main import main
from di_metrics.models.claims import holds
from di_metrics.present.briefing import pipeline_view
from di_metrics.present.claims import texts
from di_metrics.present.rank_fold_text import fold_note
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import breakdown, pipeline, rank_folds
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_file
from tests.support import rank_fold as fixture

ON = dt.date(2024, 12, 31)
ALL, B1, B2 = Filters(), Filters.of({"branch": ["B1"]}), Filters.of({"branch": ["B2"]})
SENIOR_AND_FLAG = "hoofdofficieren + opperofficieren"
OFFICERS_UP = "officieren + hoofdofficieren + opperofficieren"
TOP = fixture.RANKS[-2:]  # the senior and flag officers
LOWER = {"manschappen": (70, 100), "onderofficieren": (40, 80), "officieren": (27, 60)}


@pytest.fixture
def conn(engine, tmp_path):
    import_file(engine, "workforce", fixture.write_csv(tmp_path / "fold.csv"))
    with store.connect(engine) as c:
        yield c


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ALL, {**LOWER, SENIOR_AND_FLAG: (14, 55)}),
        (B1, {"manschappen": (30, 60), "onderofficieren": (20, 50), "officieren": (15, 40), SENIOR_AND_FLAG: (10, 40)}),
        (B2, {"manschappen": (40, 40), "onderofficieren": (20, 30), OFFICERS_UP: (16, 35)}),
    ],
)
def test_the_pipeline_folds_a_hidden_top_into_the_ranks_below(conn, filters, expected):
    table = pipeline(conn, filters, ON)
    assert list(table["value"]) == list(expected)
    assert not table["suppressed"].any()
    assert {r.value: (int(r.women), int(r.men)) for r in table.itertuples()} == expected
    (women, men), (below_w, below_m) = list(expected.values())[-1], list(expected.values())[-2]
    top = table.iloc[-1]
    assert top["women_share"] == pytest.approx(women / (women + men))
    assert top["ratio_to_level_below"] == pytest.approx(women / (women + men) / (below_w / (below_w + below_m)))


def test_the_rank_model_runs_on_the_pipelines_folded_ranks(conn):
    ranks = calibrate_ranks(conn, B2, "military")
    assert ranks.ranks == ("manschappen", "onderofficieren", OFFICERS_UP)
    assert ranks.fold.folded == ("officieren", "hoofdofficieren", "opperofficieren")
    assert ranks.stock.tolist() == [[40, 20, 16], [40, 30, 35]]
    assert load_ranks(conn, B2, "military") is not None  # the What-if page shows it
    path = project_ranks(ranks, 2027)  # nobody moves in the fixture: every share stays where it starts
    top = path[path["rank_group"] == OFFICERS_UP]
    assert top["women_share"].to_numpy() == pytest.approx([16 / 51] * 4)


def test_the_career_pyramid_shows_the_same_fold_as_its_top(conn):
    levels = pyramid(conn, B1).levels
    assert [(lv.rank_group, lv.women, lv.headcount, lv.top) for lv in levels][-2:] == [
        ("officieren", 15, 55, False),
        (SENIOR_AND_FLAG, 10, 50, True),
    ]


def test_every_view_says_the_top_is_folded_in_both_languages(conn, db_url, engine, capsys):
    fold = calibrate_ranks(conn, B1, "military").fold
    english, dutch = fold_note(fold, "en"), fold_note(fold, "nl")
    assert "(Flag officers)" in english and english.endswith("Senior officers + Flag officers.")
    assert "(Opperofficieren)" in dutch and dutch.endswith("Hoofdofficieren + Opperofficieren.")
    assert english in pipeline_view(conn, B1, ON, "en").notes  # the briefing: deck and report
    url = engine.url.render_as_string(hide_password=False)
    assert main(["project", "--db", url, "--branch", "B1", "--ranks", "military", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ranks_folded"] == {"ladder": "military", "ranks": list(fold.folded), "group": SENIOR_AND_FLAG}
    start = {r["rank"]: (r["women"], r["men"]) for r in doc["ranks"] if r["year"] == 2024}
    assert start[SENIOR_AND_FLAG] == (10, 40)
    assert main(["project", "--db", url, "--branch", "B1", "--ranks", "military", "--lang", "nl"]) == 0
    assert dutch in capsys.readouterr().out


@pytest.mark.parametrize(
    ("filters", "folded", "group", "lowest"),
    [
        (B1, TOP, (10, 40), (8, 30)),  # senior + flag officers; the senior officers hidden as the complement
        (B2, ("officieren", *TOP), (16, 35), (12, 20)),  # 4 women in the top two: the officers too
    ],
)
def test_the_fold_note_is_a_claim_checked_against_the_hidden_ranks_per_date(conn, filters, folded, group, lowest):
    """The fold's claim carries, per year-end, the ranks the breakdown hides (in both branches the senior and the
    flag officers), the folded group's women and men and its lowest rank's shown ones (worked by hand in
    tests/support/rank_fold.py); it holds, and the note on every view is its rendering."""
    fold = rank_folds(conn, filters)["military"]
    claim = fold_claim(fold, "cli")
    assert claim.params["folded"] == list(folded)
    days = fixture.DATES
    assert claim.figures["hidden"] == {d: list(TOP) for d in days}
    assert claim.figures["group"] == {d: group for d in days}
    shown_lowest = None if filters == B1 else lowest  # B1's senior officers are hidden: no shown counts
    assert claim.figures["lowest"] == {d: shown_lowest for d in days}
    assert holds(claim)
    assert texts(claim) == (fold_note(fold, "nl"), fold_note(fold, "en"))


def _read_pipeline(conn, figures: disclosure.Figures, f: Filters, scope: disclosure.Scope, folded_only: bool) -> None:
    """The pipeline's rows (and so the rank model's start, the same figures) as equations; the senior and flag
    officers the rank breakdown hides (alone or inside a fold) as the attacker's secrets. (Lower ranks hidden in
    one selection are shown in another, by design: they are no secret.)"""
    cells = figures.cells
    stock = (cells["kind"] == "s").to_numpy() & disclosure.inside(cells, f)
    ranks_by = breakdown(conn, f, "rank_group")
    for day in scope.dates:
        hidden = set(ranks_by.loc[(ranks_by["date"] == day) & ranks_by["suppressed"], "value"])
        for r in pipeline(conn, f, day).itertuples():
            ranks = r.value.split(" + ")
            on = stock & (cells["time"] == r.date).to_numpy()
            for col, gender in (("women", "F"), ("men", "M")):
                by_gender = on & (cells["gender"] == gender).to_numpy()
                if not r.suppressed and not (folded_only and len(ranks) == 1):
                    name = f"{disclosure.label(f)} {day} {r.value} {col}"
                    figures.add(by_gender & cells["rank_group"].isin(ranks).to_numpy(), getattr(r, col), name, False)
                for rank in hidden.intersection(ranks).intersection(TOP):
                    alone = by_gender & (cells["rank_group"] == rank).to_numpy()
                    figures.add(alone, None, f"{disclosure.label(f)} {day} {rank} {col}", True)


def _attack(figures: disclosure.Figures) -> set[str]:
    return set(disclosure.narrow(figures, disclosure.intervals(figures)))


def test_the_fold_gives_no_hidden_top_count_away(tmp_path):
    """The pipeline and the rank model's start for the whole, each value and each pair: no rank inside a fold
    is narrowed under 3 persons. Beside every other workforce figure, the folded rows narrow nothing the others
    leave open (those others still narrow some, which is the release's open work, not the fold's)."""
    eng = open_database(f"duckdb:///{tmp_path / 'fold.duckdb'}")
    import_file(eng, "workforce", fixture.write_csv(tmp_path / "fold.csv"))
    dates = tuple(dt.date.fromisoformat(d) for d in fixture.DATES)
    scope = disclosure.Scope(dates=dates, years=(2024,), waves=(), item=None, breakdowns=("branch", "rank_group"))
    values = {"branch": list(fixture.BRANCHES), "rank_group": list(fixture.RANKS)}
    chosen = disclosure.selections(values, lambda *_: True)
    with store.connect(eng) as conn:
        alone = disclosure.Figures(disclosure.read_cells(conn, scope), family="pipeline")
        for f in chosen:
            _read_pipeline(conn, alone, f, scope, folded_only=False)
        everything = disclosure.collect(conn, scope, {"workforce": chosen})
        before = _attack(everything)
        shown = len(everything.rows)
        for f in chosen:
            _read_pipeline(conn, everything, f, scope, folded_only=True)
    eng.dispose()
    assert "all 2024-12-31 opperofficieren women" in alone.secrets  # the whole's flag officers are folded
    truth = disclosure.truth(alone)
    for row, value in zip(alone.rows, alone.values, strict=True):
        assert (row @ truth)[0] == pytest.approx(value)  # every pipeline figure is true
    assert _attack(alone) == set()
    assert len(everything.rows) > shown  # the folded rows were read
    assert _attack(everything) - before == set()
