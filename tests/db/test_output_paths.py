"""Every function that hands figures to a page, a download, the CLI or the deck applies the privacy rules.

The public functions of the query modules are enumerated: each is either an output path, registered in
di_metrics.outputs (and attacked in tests/db/test_privacy_attack.py), or explicitly internal (INTERNAL). A new
public function fails this test until someone decides which it is.
"""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pandas as pd
import pytest

from di_metrics.analysis import (
    allocation,
    calibration,
    career,
    forecast,
    intake_years,
    measure_effects,
    promotion,
    rank_model,
    reporting,
    retention,
    watchlist,
)
from di_metrics.analysis import measure_list as measures_analysis
from di_metrics.analysis import peer_comparison as peers_analysis
from di_metrics.models.measure_slopes import Measure
from di_metrics.outputs import OUTPUTS
from di_metrics.queries import career as career_reads
from di_metrics.queries import (
    effect_panels,
    measure_reads,
    meldingen,
    peer_figures,
    rank_flows,
    reporting_rows,
    representation,
    status,
    survey,
    survey_decision,
    survey_family,
    survey_family_counts,
    survey_results,
    workforce,
)
from di_metrics.queries.filters import Filters
from di_metrics.storage.ingest import import_file

INTERNAL = {
    workforce: {
        "snapshot_dates",
        "dimension_values",
        "complete_years",
        "rank_folds",  # which ranks fold, no figures: the pipeline and the rank model show the folded figures
    },
    survey: {
        "wilson",
        "two_proportion_z",
        "load_codebook",
        "item_counts",
        "respondents_answering",
        "protect",
        "published_measures",
        "inconsistent_rows",
    },
    survey_decision: {  # decisions; counts, no output
        "family_distribution_rows",
        "inconsistent_rows",
        "survey_table_counts",
        "table_decision",
    },
    survey_family: {"family_cell", "family_decision", "in_family"},  # the linked family's decision
    survey_family_counts: {"family_counts", "atoms"},  # its counts, for the decision only
    survey_results: {
        "aggregate_measures",
        "result_levels",
        "result_dimensions",
        "sources_of",
        "all_measures",
    },
    # release: the decision itself (never a figure); years_without_category: which cells are stored, no count
    meldingen: {"report_kind", "report_cells", "hidden_reports", "release", "years_without_category"},
    representation: set(),
    status: {
        "survey_series",
        "read_metric",  # part of status.status and measure_reads.indicator_points
        "target_status",
        "load_targets",
        "women_needed",
        "leading_target",
        "leading_status",
        "year_change",
        "_target_points",
        "glide_target",  # the line watchlist.watchlist judges a selection by, from read_metric's safe series
    },
    allocation: {
        "first_year_hires",
        "raised",
        "organisation_share",
        "equal_effort",
        "part_row",
        "calibrated_parts",
        "calibrated_split",
    },
    watchlist: {"own_target", "row"},
    peer_figures: {"benchmark_rows"},
    peers_analysis: set(),
    measure_reads: {"share_marks", "marks_for"},
    measures_analysis: set(),
    rank_flows: {"shown_stock", "rank_rates"},  # part of rank_model.calibrate_ranks
    calibration: {
        "rates_to_use",
        "needs_parent",
        "parent_of",
        "start_counts",
        "shown_counts",
        "scenario_from_rates",
        "require_flows",  # a refusal, no figure
    },
    forecast: {"scenario_from", "scenario_and_source", "rank_path"},  # rank_path: part of project_run
    rank_model: {"project_ranks", "promotion_effect"},
    # The career reads are counts before the rules: only the analysis functions registered above hand them out.
    career_reads: {
        "snapshot_index",
        "spell_counts",
        "promotion_counts",
        "rank_stays",
        "matrix_pairs",  # the pairs of values a matrix lists, no count
        "intake_points",  # the metric registry's readers: hidden values are None
        "retention_points",
        "promotion_points",
    },
    career: {
        "intake_from",
        "needed_hiring_share",
        "career_view",
    },  # career_view: the outputs, by request
    retention: {  # hidden_cap: where a curve stops, no count
        "retention_from",
        "spell_durations",
        "months_between",
        "hidden_cap",
    },
    intake_years: {"hidden_intake_years", "small_cohorts"},  # which entry years are hidden, no count
    promotion: {"level_rates", "time_to_promotion"},
    reporting: {"reporting_changes"},  # splits the rows reporting_rows shows; no figure of its own
    # one measure of measure_effects; its effect on an already safe panel; a date on the methods' time scale
    measure_effects: {"effect_of", "effect_from", "in_years"},
    effect_panels: set(),
    reporting_rows: set(),
}
MODULES = list(INTERNAL)
OUTPUT = {m: {n.split(".")[1] for n, f in OUTPUTS.items() if f.__module__ == m.__name__} for m in MODULES}


def _public(module) -> set[str]:
    return {
        n
        for n, f in inspect.getmembers(module, inspect.isfunction)
        if not n.startswith("_") and f.__module__ == module.__name__
    }


@pytest.mark.parametrize("module", MODULES)
def test_every_public_function_is_classified(module):
    assert _public(module) == OUTPUT[module] | (INTERNAL[module] & _public(module))
    assert not (OUTPUT[module] & INTERNAL[module])


def test_docs_list_exactly_the_registered_output_paths():
    text = (Path(__file__).resolve().parents[2] / "docs" / "privacy.md").read_text(encoding="utf-8")
    section = text.split("## Output paths", 1)[1].split("\n## ", 1)[0]
    listed = {line.split("`")[1] for line in section.splitlines() if line.startswith("- `")}
    assert listed == set(OUTPUTS)


def _import_units(engine, path, days: dict[str, dict[str, tuple[int, int]]]) -> None:
    """Person-level snapshots of one branch: per date, per unit, (women, men)."""
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for day, units in days.items():
        n = 0
        for unit, (women, men) in units.items():
            for gender, count in (("F", women), ("M", men)):
                for _ in range(count):
                    n += 1
                    lines.append(f"{day},P{n},{gender},{unit},B1,manschappen,military")
    path.write_text("\n".join(lines) + "\n")
    import_file(engine, "workforce", path)


@pytest.fixture
def small_unit(engine, tmp_path):
    """U1: 40 women, 60 men; U2: 2 women, 30 men, in one branch, on two year-end dates."""
    units = {"U1": (40, 60), "U2": (2, 30)}
    _import_units(engine, tmp_path / "w.csv", {"2024-12-31": units, "2025-12-31": units})
    return engine


def _numbers(obj) -> list[float]:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return _numbers(dataclasses.asdict(obj))
    if isinstance(obj, pd.DataFrame):
        cols = [c for c in ("women", "men", "headcount", "headcount_start", "hires", "exits") if c in obj.columns]
        return [float(v) for c in cols for v in obj[c].dropna()]
    if isinstance(obj, dict):
        return [x for v in obj.values() for x in _numbers(v)]
    if isinstance(obj, list | tuple):
        return [x for v in obj for x in _numbers(v)]
    return []


def test_no_workforce_output_path_shows_the_two_women(small_unit):
    from di_metrics.storage import store

    unit = Filters.of({"org_unit": ["U2"]})
    with store.connect(small_unit) as conn:
        outputs = [
            workforce.share_series(conn, unit),
            workforce.breakdown(conn, Filters(), "org_unit"),
            workforce.compare_breakdown(
                conn, Filters(), "org_unit", pd.Timestamp("2025-12-31").date(), pd.Timestamp("2024-12-31").date()
            ),
            workforce.pipeline(conn, unit, pd.Timestamp("2025-12-31").date()),
            workforce.flows(conn, unit),
            workforce.hiring_vs_stock(conn, unit),
            status.status(conn, unit),
            watchlist.watchlist(conn, Filters(), "org_unit"),
        ]
        units = allocation.allocation_for(conn, Filters.of({"org_unit": ["U1", "U2"]}), "category", {})
    for output in outputs:
        assert 2.0 not in _numbers(output)
    table = outputs[1]
    assert table[table["value"] == "U2"]["women"].isna().all()
    assert [r.value for r in outputs[-1].rows] == []  # U2 withheld, and U1 as its complement
    assert [p.value for p in units.parts] == ["military"]  # both units together: shown as a whole


def test_peers_and_measures_read_our_share_only_where_it_may_be_shown(small_unit):
    """Our series on the Peers page and a measure's points come from the safe series: the whole organisation
    shows both dates, U2 (2 women, and so U1 beside it in the same branch) shows none."""
    from di_metrics.storage import store

    start = pd.Timestamp("2025-01-01").date()
    with store.connect(small_unit) as conn:
        for scope, shown in (({}, 2), ({"org_unit": "U2"}, 0), ({"org_unit": "U1"}, 0)):
            selection = Filters.of({dim: [value] for dim, value in scope.items()})
            assert len(peers_analysis.peers(conn, selection).ours) == shown
            points = measure_reads.indicator_points(conn, Measure("m", start, "women_share", scope=scope))
            assert len([v for _, v in points if v is not None]) == shown


def test_an_earlier_share_withheld_is_explained_not_just_missing(engine, tmp_path):
    """U2 grows from 2 women and 30 men to 20 women and 30 men: its share then stays hidden, and says why. U1
    grows too (40 and 60 to 42 and 63): a unit that stayed the same would be one figure on both dates
    (queries/stock_links.py), hidden now as well, since its earlier figure is U2's complement."""
    from di_metrics.present.tables import safe_table
    from di_metrics.storage import store

    days = {"2024-12-31": {"U1": (40, 60), "U2": (2, 30)}, "2025-12-31": {"U1": (42, 63), "U2": (20, 30)}}
    _import_units(engine, tmp_path / "w.csv", days)
    with store.connect(engine) as conn:
        table = workforce.compare_breakdown(
            conn, Filters(), "org_unit", pd.Timestamp("2025-12-31").date(), pd.Timestamp("2024-12-31").date()
        )
    shown = safe_table(table, ["value", "women_share", "share_then"], "en", 5, as_text=True).set_index("Group")
    assert shown.loc["U2", "Women (%)"] == "40.0" and shown.loc["U2", "Women then (%)"] == "–"
    assert shown.loc["U2", "Note"] == "earlier share not shown: a group of fewer than 5 then, or hidden to protect one"
    assert shown.loc["U1", "Note"] == shown.loc["U2", "Note"]  # a complement is not said to be small itself
    assert shown.loc["U1", "Women then (%)"] == "–"  # its complement, or U2 would follow from the total
    assert shown.loc["U1", "Women (%)"] == "40.0"


def test_the_report_does_not_show_the_two_women(small_unit):
    """The integrated report is an output path too: for unit U2 no table holds the 2 women."""
    import io

    import docx

    from di_metrics.present.report import build_report
    from di_metrics.storage import store

    with store.connect(small_unit) as conn:
        document = docx.Document(io.BytesIO(build_report(conn, Filters.of({"org_unit": ["U2"]}), "en", images=False)))
    cells = [c.text for table in document.tables for row in table.rows[1:] for c in row.cells]
    assert cells and "2" not in cells
