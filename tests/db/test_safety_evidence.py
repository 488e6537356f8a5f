"""The reporting rate and the measure effects on the demo organisation: years without a wave are unknown, a
hidden report count hides its rate, and the demo's two safety measures are told apart."""

from __future__ import annotations

import pytest

from di_metrics.analysis.measure_effects import measure_effects
from di_metrics.analysis.reporting import reporting_changes
from di_metrics.demo.safety import SAFETY_EFFECT_PP
from di_metrics.queries.filters import Filters
from di_metrics.queries.meldingen import reports_by_kind
from di_metrics.queries.reporting_rows import reporting_rows
from di_metrics.storage import store


@pytest.fixture
def demo(demo_db):
    eng = store.make_engine(demo_db)
    with store.connect(eng) as conn:
        yield conn
    eng.dispose()


def test_years_without_a_wave_have_no_prevalence_and_no_rate(demo):
    rows = {r.year: r for r in reporting_rows(demo)}
    assert rows[2024].prevalence is None and rows[2024].reporting_rate is None
    assert not rows[2024].suppressed
    assert rows[2025].prevalence is not None and rows[2025].reporting_rate is not None


def test_the_rate_is_the_reports_over_the_estimated_people_of_the_same_year(demo):
    row = {r.year: r for r in reporting_rows(demo)}[2025]
    assert row.reporting_rate.value == pytest.approx(row.formal_reports / (row.prevalence.share * row.headcount))
    kinds = reports_by_kind(demo, Filters())
    safety = kinds[(kinds["year"] == 2025) & (kinds["kind"] == "social_safety")]
    assert row.formal_reports == int(safety["count"].sum())


def test_a_hidden_report_count_hides_the_reports_and_the_rate(demo):
    # The demo's smallest branch has a social-safety category under the minimum in most years.
    kinds = reports_by_kind(demo, Filters.of({"branch": ["BS"]}))
    safety = kinds[kinds["kind"] == "social_safety"]
    hidden_years = set(safety.loc[safety["suppressed"], "year"])
    assert hidden_years
    for row in reporting_rows(demo, Filters.of({"branch": ["BS"]})):
        if row.year in hidden_years:
            assert row.suppressed and row.formal_reports is None and row.reporting_rate is None
        else:
            assert row.formal_reports == int(safety.loc[safety["year"] == row.year, "count"].sum())


def test_reports_of_a_filter_finer_than_branch_and_category_are_unknown_not_mixed_with_another_population(demo):
    rows = reporting_rows(demo, Filters.of({"rank_group": ["officieren"]}))
    assert rows and all(r.formal_reports is None and r.reporting_rate is None for r in rows)
    assert not any(r.suppressed for r in rows)  # unknown, not hidden
    assert all(r.reports_reason == "finer_than_kept" for r in rows)
    assert {r.year: r for r in rows}[2025].estimated_incidents is not None  # the survey's part still stands


def test_the_demo_gives_the_reporting_rate_per_personnel_category_from_its_own_reports(demo):
    whole = {r.year: r for r in reporting_rows(demo)}[2025]
    parts = [
        {r.year: r for r in reporting_rows(demo, Filters.of({"personnel_category": [g]}))}[2025]
        for g in ("military", "civilian")
    ]
    assert all(p.reporting_rate is not None and p.reports_reason is None for p in parts)
    assert sum(p.formal_reports for p in parts) == whole.formal_reports  # the demo's reports all have a category
    for part in parts:
        assert part.reporting_rate.value == pytest.approx(
            part.formal_reports / (part.prevalence.share * part.headcount)
        )


def test_changes_across_a_year_without_a_wave_are_refused_and_across_two_waves_split(demo):
    changes = reporting_changes(reporting_rows(demo))
    by_years = {(c.year_from, c.year_to): c for c in changes}
    assert by_years[2024, 2025].reason == "no_prevalence" and by_years[2024, 2025].parts is None
    split = by_years[2023, 2025]
    assert sum(p.value for p in split.parts) == pytest.approx(split.change)


def test_the_demo_measure_with_an_effect_is_graded_and_recovered_and_the_one_without_is_not(demo):
    effects = {e.measure.name: e for e in measure_effects(demo)}
    moved = effects["Confidential adviser in every unit"]
    assert moved.grade.grade == "consistent"
    assert moved.did.effect.low <= SAFETY_EFFECT_PP <= moved.did.effect.high
    assert "CZSK" not in moved.comparison_parts  # covered by the other measure on the same indicator
    still = effects["Speak-up posters"]
    assert still.grade.grade == "no_evidence"


# Branch B3 holds a social-safety category of 2 reports in 2025: hidden, with a sibling as its complement.
REPORTS = """year,category,count,branch,kind
2025,pesten,2,B3,social_safety
2025,discriminatie,9,B3,social_safety
2025,intimidatie,30,B3,social_safety
2025,pesten,12,B1,social_safety
2025,discriminatie,20,B1,social_safety
2025,intimidatie,25,B2,social_safety
2025,fraude,40,B2,integrity
"""


def test_a_year_total_is_shown_only_as_a_sum_of_shown_counts_for_every_choice_of_branches(db_url, tmp_path):
    """For every choice of branches, a year's social-safety total is shown only when every social-safety
    count the report table shows for that choice is shown, and then it is their sum: written as linear
    equations over the stored cells, the totals add nothing to what the report table already shows."""
    import itertools

    import numpy as np

    from di_metrics.cli.main import main

    (tmp_path / "r.csv").write_text(REPORTS)
    assert main(["import", "reports", str(tmp_path / "r.csv"), "--db", db_url]) == 0
    index = {tuple(line.split(",")[1:4:2]): i for i, line in enumerate(REPORTS.splitlines()[1:])}
    shown, totals = [], []
    eng = store.make_engine(db_url)
    with store.connect(eng) as conn:
        for size in (1, 2, 3):
            for chosen in itertools.combinations(("B1", "B2", "B3"), size):
                kinds = reports_by_kind(conn, Filters.of({"branch": list(chosen)}))
                safety = kinds[kinds["kind"] == "social_safety"]
                for r in kinds[~kinds["suppressed"]].itertuples():
                    shown.append([float(c == r.category and b in chosen) for c, b in index])
                (year,) = reporting_rows(conn, Filters.of({"branch": list(chosen)}))
                if safety["suppressed"].any():
                    assert year.formal_reports is None and year.suppressed, chosen
                else:
                    assert year.formal_reports == int(safety["count"].sum()), chosen
                    totals.append([float(b in chosen and c != "fraude") for c, b in index])
    eng.dispose()
    assert totals  # some choices show a total
    a = np.array(shown)
    assert np.linalg.matrix_rank(np.vstack([a, totals])) == np.linalg.matrix_rank(a)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_word_report_leads_its_measures_with_the_grade_and_splits_the_reports(demo, lang):
    import io

    import docx

    from di_metrics.i18n import t
    from di_metrics.present.report import build_report

    document = docx.Document(io.BytesIO(build_report(demo, Filters(), lang, images=False)))
    texts = [p.text for p in document.paragraphs]
    measures = texts.index(t("report.measures", lang))
    effects = texts.index(t("safety_evidence.effects_title", lang))
    caption = texts.index(t("measures.caption", lang))
    assert measures < effects < caption  # the grades come before the register's slopes
    consistent = t("safety_evidence.grade_consistent", lang)
    adviser, posters = {  # each measure by its name in the reader's language (data/examples/names)
        "nl": ("Vertrouwenspersoon in elke eenheid", "Aanspreekposters"),
        "en": ("Confidential adviser in every unit", "Speak-up posters"),
    }[lang]
    assert any(p.startswith(f"{adviser}. {consistent}: +") for p in texts[effects:caption])
    nothing = t("safety_evidence.grade_no_evidence", lang)
    assert any(p.startswith(f"{posters}. {nothing}: ") for p in texts[effects:caption])
    behaviour = texts.index(t("report.behaviour", lang))
    rate = texts.index(t("safety_evidence.title", lang))
    assert behaviour < rate < texts.index(t("report.reports", lang))
    assert texts[rate + 1].startswith("2023 ")  # the split between the last two waves leads
    headers = [c.text for table in document.tables for c in table.rows[0].cells]
    assert t("safety_evidence.col_rate", lang) in headers


def test_the_cli_prints_the_contract_and_refuses_an_unknown_measure(demo_db, capsys):
    import json

    from di_metrics.cli.main import main

    assert main(["reporting", "--db", demo_db, "--json", "--branch", "CLAS"]) == 0
    rows = {r["year"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows[2024]["prevalence"] is None and rows[2024]["reporting_rate"] is None
    assert rows[2025]["low"] <= rows[2025]["reporting_rate"] <= rows[2025]["high"]
    assert main(["measures", "effect", "Confidential adviser in every unit", "--db", demo_db, "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["rows"]
    assert (row["grade"], row["reason"]) == ("consistent", "both_agree")
    assert main(["measures", "effect", "No such measure", "--db", demo_db, "--json"]) == 2
    assert json.loads(capsys.readouterr().err)["code"] == "unknown_measure"


def test_the_reporting_rate_is_a_metric_kind_read_through_the_registry(demo):
    from di_metrics.models.metrics import REPORTING, metric_of
    from di_metrics.queries.status import read_metric

    metric = metric_of("reporting_rate")
    assert metric.kind is REPORTING
    reading = read_metric(demo, metric, Filters())
    rates = {r.year: r.reporting_rate for r in reporting_rows(demo)}
    assert {d.year: v for d, v in reading.points} == {y: None if e is None else e.value for y, e in rates.items()}


def test_the_cli_text_says_the_same_in_the_readers_language(demo_db, capsys):
    from di_metrics.cli.main import main

    assert main(["reporting", "--db", demo_db, "--lang", "nl"]) == 0
    text = capsys.readouterr().out
    assert "2024: " in text and "geen enquêteronde dit jaar" in text
    assert "Vooral een verandering in meldingsbereidheid." in text
    assert main(["measures", "effect", "Speak-up posters", "--db", demo_db, "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Speak-up posters" and lines[1].strip().startswith("No evidence: ")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_word_report_and_the_cli_write_both_methods_from_their_claims(demo, demo_db, lang, capsys):
    """Every measure's two method lines in the Word report and in `measures effect` are its claims' sentences,
    each holding (red before: they were written from loose results, and 'Mentoring network for women' read
    'slope −0.0 pp')."""
    import io

    import docx

    from di_metrics.analysis.claims_effects import did_claim, its_claim
    from di_metrics.cli.main import main
    from di_metrics.models.claims import holds
    from di_metrics.present.claims import render
    from di_metrics.present.report import build_report
    from di_metrics.queries.names import display_names

    paragraphs = [
        p.text for p in docx.Document(io.BytesIO(build_report(demo, Filters(), lang, images=False))).paragraphs
    ]
    assert main(["measures", "effect", "--db", demo_db, "--lang", lang]) == 0
    cli = [line.strip() for line in capsys.readouterr().out.splitlines()]
    named = display_names(demo).label  # the report and the CLI name the compared parts as the page does
    for e in measure_effects(demo):
        for claim in (its_claim(e, "report"), did_claim(e, "report", named)):
            assert holds(claim) and render(claim, lang) in paragraphs, claim.id
            assert render(claim.on("cli"), lang) in cli, claim.id
    assert not any("−0.0" in p or "−0,0" in p for p in paragraphs + cli)
    # red before: the CLI named them by code ('against BS, CLSK, ...'), the page by name
    assert named("branch", "BS", lang) != "BS" and not any(", BS," in line or " BS, " in line for line in cli)
