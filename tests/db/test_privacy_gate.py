"""The gate attack: every registered output path, on one hand-made organisation that holds every known case.

Each figure an output shows becomes a linear equation over the organisation's true cell counts (a count is
a sum of cells; a share s of a count over a base gives count - s * base = 0; a rate r gives events -
r * base = 0). A hidden value can be recovered exactly when its vector lies in the span of those equations.
The test fails if any does, and disabling any single rule of di_metrics.queries.privacy makes it fail.

The organisation (all military, snapshots on 31 December 2023, 2024 and 2025):
- branch B1: S1 20 women, 30 men, 1 X and 2 persons of blank gender (10 women and 10 men are officers);
  S2 52 women and 60 men, where 6 women and 10 men leave and are replaced in 2024, and in 2025 3 women
  leave (not replaced) and 8 men leave and are replaced; S3 40 women and 40 men, 3 of the men with a blank
  rank group; S4 10 women and 30 men, of whom 8 women leave in 2025 (the share of 2025 is hidden);
- branch B2: T1 100 women and 100 men, 10 of each leaving and replaced every year.
Survey wave 2024 (items q1, q2; favourable from 4): in S3 12 women answer q1 = 5 and only 4 of them q2 = 2,
30 men answer 4 and 4, and 2 of blank gender answer 1 and 1; in S2 5 men answer 5 and 2; in S1 20 men 3 and 3.
Formal reports: B1 2024 integriteit 3, ongewenst 12; B2 2024 integriteit 20, ongewenst 7; 2025 all 9-16.
A vendor's survey results (measure belonging, 2024): 20 women and 36 men at 50% favourable, an X row
suppressed at source, and a total row of 58 that holds the 2 X respondents. One measure on unit S2.

Equations are computed once per module (the `shown` fixture); the span is kept as an orthonormal basis, so
adding a stack of equations costs one SVD and testing a hidden value one projection.
"""

from __future__ import annotations

import dataclasses
import functools
import io
from collections import defaultdict

import docx
import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from di_metrics.analysis import allocation as allocation_module
from di_metrics.analysis import calibration
from di_metrics.cli import documents
from di_metrics.models.measure_slopes import before_after
from di_metrics.models.metrics import SHARE, metric_of
from di_metrics.outputs import OUTPUTS
from di_metrics.present import report as report_module
from di_metrics.queries import privacy, survey_pins
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_file
from di_metrics.storage.measure_register import load_measures, save_measure
from di_metrics.vocab import wave_date
from tests.support.gate import (
    B1_UNITS,
    BRANCH,
    D0,
    D1,
    D2,
    DATES,
    GENDERS,
    MEASURE,
    RANKS,
    REPORTS,
    VENDOR,
    YEARS,
    write,
)
from tests.support.gate import persons as _persons
from tests.support.gate import respondents as _respondents

# --- the unknowns: true cell counts ---------------------------------------------------------------------------


def _truth() -> dict[tuple, float]:
    cells: dict[tuple, float] = defaultdict(float)
    for _, gender, unit, rank, dates in _persons():
        for day in dates:
            cells["s", day, unit, rank, gender] += 1
        for year, (start, end) in YEARS.items():
            if start in dates and end not in dates:
                cells["f", year, unit, rank, gender, "exit"] += 1
            if end in dates and start not in dates:
                cells["f", year, unit, rank, gender, "hire"] += 1
    for unit, gender, *answers in _respondents():
        for item, answer in zip(("q1", "q2"), answers, strict=True):
            if answer is not None:
                cells["a", item, unit, gender, answer] += 1
    for key, count in REPORTS.items():
        cells["r", *key] += count
    for key, count in VENDOR.items():
        cells["v", *key] += count
    return cells


TRUTH = _truth()
ATOMS = sorted(
    {("s", d, u, r, g) for d in DATES for u in BRANCH for r in RANKS for g in GENDERS}
    | {("f", y, u, r, g, k) for y in YEARS for u in BRANCH for r in RANKS for g in GENDERS for k in ("exit", "hire")}
    | {("a", i, u, g, a) for i in ("q1", "q2") for u in BRANCH for g in ("F", "M", "") for a in range(1, 6)}
    | set(TRUTH),
    key=str,
)
INDEX = {atom: i for i, atom in enumerate(ATOMS)}


def cells(kind: str, *match) -> np.ndarray:
    """The sum of the cells of a kind whose fields lie in the given sets (None: any value)."""
    key = tuple(None if m is None else frozenset(m) for m in match)
    return _cells(kind, key).copy()


@functools.cache
def _cells(kind: str, match: tuple) -> np.ndarray:
    row = np.zeros(len(ATOMS))
    for atom, i in INDEX.items():
        if atom[0] == kind and all(m is None or v in m for v, m in zip(atom[1:], match, strict=False)):
            row[i] = 1
    return row


def stock(day, units, genders, ranks=None) -> np.ndarray:
    return cells("s", {str(day)}, set(units), ranks and set(ranks), set(genders))


def flows(year, units, genders, kind, ranks=None) -> np.ndarray:
    return cells("f", {year}, set(units), ranks and set(ranks), set(genders), {kind})


def answers(item, units, genders, values=(1, 2, 3, 4, 5)) -> np.ndarray:
    return cells("a", {item}, set(units), set(genders), set(values))


# --- what the outputs show, as equations ----------------------------------------------------------------------

Eq = tuple[np.ndarray, float]


def known(value) -> bool:
    return value is not None and not pd.isna(value)


def count_and_share(day, units, row, ranks=None) -> list[Eq]:
    """women, men, headcount (without X where it is left out), women's share and unknown genders of one row."""
    women, men = stock(day, units, "F", ranks), stock(day, units, "M", ranks)
    base = women + men + (0 if row.get("x_left_out") else stock(day, units, "X", ranks))
    eqs = [(v, row[k]) for k, v in (("women", women), ("men", men), ("headcount", base)) if known(row.get(k))]
    if known(row.get("women_share")):
        eqs.append((women - float(row["women_share"]) * base, 0.0))
    if known(row.get("unknown")) and not row.get("unknown_hidden", False):
        eqs.append((stock(day, units, [""], ranks), row["unknown"]))
    return eqs


def members(filters: Filters) -> list[str]:
    sel = filters.as_dict()
    units = [u for u in BRANCH if BRANCH[u] in sel.get("branch", (BRANCH[u],))]
    return [u for u in units if u in sel.get("org_unit", (u,))]


def read_series(conn, f):
    frame = OUTPUTS["workforce.share_series"](conn, f)
    return [e for r in frame.to_dict("records") for e in count_and_share(r["date"], members(f), r)]


def read_breakdown(conn, f):
    eqs = []
    for dim in ("org_unit", "rank_group", "branch"):
        for r in OUTPUTS["workforce.breakdown"](conn, f, dim).to_dict("records"):
            units = (
                [r["value"]]
                if dim == "org_unit"
                else [u for u in members(f) if dim != "branch" or BRANCH[u] == r["value"]]
            )
            eqs += count_and_share(r["date"], units, r, [r["value"]] if dim == "rank_group" else None)
    return eqs


def read_compare(conn, f):
    then = pd.Timestamp(D1).date()
    table = OUTPUTS["workforce.compare_breakdown"](conn, f, "org_unit", pd.Timestamp(D2).date(), then)
    before = OUTPUTS["workforce.breakdown"](conn, f, "org_unit").set_index(["date", "value"])
    eqs = []
    for r in table.to_dict("records"):
        eqs += count_and_share(D2, [r["value"]], r)
        if known(r["share_then"]):
            old = before.loc[(then, r["value"])].to_dict()
            eqs += count_and_share(D1, [r["value"]], {"women_share": r["share_then"], "x_left_out": old["x_left_out"]})
    return eqs


def read_pipeline(conn, f):
    table = OUTPUTS["workforce.pipeline"](conn, f, pd.Timestamp(D2).date())
    return [e for r in table.to_dict("records") for e in count_and_share(D2, members(f), r, [r["value"]])]


def _flow_rows(doc, units) -> list[Eq]:
    eqs = []
    for r in doc["rows"]:
        start = YEARS[r["year"]][0]
        head, exits = stock(start, units, r["gender"]), flows(r["year"], units, r["gender"], "exit")
        for value, row in ((r["headcount_start"], head), (r["exits"], exits)):
            if known(value):
                eqs.append((row, value))
        if known(r["hires"]):
            eqs.append((flows(r["year"], units, r["gender"], "hire"), r["hires"]))
        if known(r["attrition_rate"]):
            eqs.append((exits - r["attrition_rate"] * head, 0.0))
    for r in doc["hiring_share"]:
        if known(r["hiring_share_women"]):
            hires = flows(r["year"], units, "FMX", "hire")
            eqs.append((flows(r["year"], units, "F", "hire") - r["hiring_share_women"] * hires, 0.0))
    return eqs


def read_flows(conn, f):
    return _flow_rows(documents.flows_document(OUTPUTS["workforce.flows"](conn, f)), members(f))


def read_hiring(conn, f):
    units, eqs = members(f), []
    series = OUTPUTS["workforce.share_series"](conn, f).set_index("date")
    for r in OUTPUTS["workforce.hiring_vs_stock"](conn, f).to_dict("records"):
        start, hires = YEARS[r["year"]][0], flows(r["year"], units, "FMX", "hire")
        if known(r["hiring_share_women"]):
            eqs.append((flows(r["year"], units, "F", "hire") - r["hiring_share_women"] * hires, 0.0))
        flags = series.loc[pd.Timestamp(start).date()].to_dict()
        eqs += count_and_share(start, units, {"women_share": r["stock_share_start"], "x_left_out": flags["x_left_out"]})
        for gender, key in (("F", "attrition_women"), ("M", "attrition_men")):
            if known(r[key]):
                eqs.append((flows(r["year"], units, gender, "exit") - r[key] * stock(start, units, gender), 0.0))
    return eqs


def read_status(conn, f):
    doc = dataclasses.asdict(OUTPUTS["status.status"](conn, f))  # field names as in the JSON contract
    if doc["as_of"] is None:
        return []
    flags = OUTPUTS["workforce.share_series"](conn, f).set_index("date")["x_left_out"]
    units = members(f)
    eqs = count_and_share(doc["as_of"], units, {**doc, "x_left_out": doc["x_left_out"]})
    if known(doc["unknown_gender"]):
        eqs.append((stock(doc["as_of"], units, [""]), doc["unknown_gender"]))
    for p in doc["series"]:
        eqs += count_and_share(p["date"], units, {**p, "x_left_out": flags[pd.Timestamp(p["date"]).date()]})
    return eqs


def _rates(frame: pd.DataFrame, units, conn, f) -> list[Eq]:
    """Equations from yearly rates: attrition per gender, the hiring shares and growth."""
    flags = OUTPUTS["workforce.share_series"](conn, f).set_index("date")["x_left_out"]
    eqs = []
    for r in frame.to_dict("records"):
        start, end = YEARS[r["year"]]
        for gender, key in (("F", "attrition_women"), ("M", "attrition_men"), ("X", "attrition_other")):
            if known(r[key]):
                eqs.append((flows(r["year"], units, gender, "exit") - r[key] * stock(start, units, gender), 0.0))
        hires = flows(r["year"], units, "FMX", "hire")
        for gender, key in (("F", "hire_share"), ("X", "hire_share_other")):
            if known(r[key]):
                eqs.append((flows(r["year"], units, gender, "hire") - r[key] * hires, 0.0))
        if known(r["growth"]):
            size = {
                d: stock(d, units, "FM") + (0 if flags[pd.Timestamp(d).date()] else stock(d, units, "X"))
                for d in (start, end)
            }
            eqs.append((size[end] - (1 + r["growth"]) * size[start], 0.0))
    return eqs


def parent_of(f: Filters) -> Filters:
    return Filters(tuple(p for p in f.values if p[0] not in ("org_unit", "rank_group")))


def read_yearly_rates(conn, f):
    return _rates(OUTPUTS["calibration.yearly_rates"](conn, f), members(f), conn, f)


def _start(scenario, f, day) -> list[Eq]:
    units = members(f)
    eqs = [(stock(day, units, "F"), scenario.women), (stock(day, units, "M"), scenario.men)]
    if scenario.other:
        eqs.append((stock(day, units, "X"), scenario.other))
    return eqs


def read_calibrate(conn, f):
    try:
        cal = OUTPUTS["calibration.calibrate"](conn, f)
    except calibration.CannotProject:
        return []
    source = f if cal.rates_from == calibration.OWN else parent_of(f)
    return _start(cal.scenario, f, cal.start_date) + _rates(cal.rates, members(source), conn, source)


def read_project(conn, f):
    try:
        doc = documents.project_document(OUTPUTS["forecast.project_run"](conn, f, {}))
    except calibration.CannotProject:
        return []
    p = doc["params"]
    return _start(type("S", (), {"women": p["women"], "men": p["men"], "other": p["other"]}), f, D2)


def read_ranks(conn, f):
    try:
        s = OUTPUTS["rank_model.calibrate_ranks"](conn, f, "military")
    except ValueError:
        return []
    units, ranks, eqs = members(f), s.ranks, []
    for g, gender in enumerate("FM"):
        for r, rank in enumerate(ranks):
            eqs.append((stock(D2, units, gender, [rank]), float(s.stock[g, r])))
    starts = {
        (g, r): sum(stock(YEARS[y][0], units, "FM"[g], [ranks[r]]) for y in YEARS)
        for g in (0, 1)
        for r in range(len(ranks))
    }
    events = {
        (g, r): sum(flows(y, units, "FM"[g], "exit", [ranks[r]]) for y in YEARS)
        for g in (0, 1)
        for r in range(len(ranks))
    }
    for value in set(s.attrition.ravel().round(12)):
        same = [(g, r) for g in (0, 1) for r in range(len(ranks)) if round(s.attrition[g, r], 12) == value]
        eqs.append((sum(events[c] for c in same) - value * sum(starts[c] for c in same), 0.0))
    for g in (0, 1):
        hires = {r: sum(flows(y, units, "FM"[g], "hire", [ranks[r]]) for y in YEARS) for r in range(len(ranks))}
        for value in set(s.hire_ranks[g].round(12)):
            same = [r for r in range(len(ranks)) if round(s.hire_ranks[g, r], 12) == value]
            eqs.append((sum(hires[r] for r in same) - value * sum(hires.values()), 0.0))
    return eqs


SURVEY_BY = (None, "gender", "org_unit")


def _group_cells(f, by, group):
    units = [u for u in members(f) if BRANCH[u] == "B1"]
    if by == "gender":
        return units, [group]
    if by == "org_unit":
        return [group], ["F", "M", ""]
    return units, ["F", "M", ""]


def _survey_rows(rows, f, by, item) -> list[Eq]:
    eqs = []
    for r in rows:
        if r["suppressed"]:
            continue
        units, genders = _group_cells(f, by, r["group"])
        n = answers(item, units, genders)
        eqs.append((n, r["n"]))
        eqs.append((answers(item, units, genders, (4, 5)) - r["pct_favourable"] / 100 * n, 0.0))
        if known(r.get("mean")):
            weighted = sum(a * answers(item, units, genders, [a]) for a in range(1, 6))
            eqs.append((weighted - r["mean"] * n, 0.0))
    return eqs


def read_survey_table(conn, f):
    return [
        e
        for item in ("q1", "q2")
        for by in SURVEY_BY
        for e in _survey_rows(OUTPUTS["survey.survey_table"](conn, f, item, by).to_dict("records"), f, by, item)
    ]


def _distribution(rows, f, by) -> list[Eq]:
    eqs = []
    for r in rows:
        if r["suppressed"]:
            continue
        units, genders = _group_cells(f, by, r["group"])
        n = answers(r["item"], units, genders)
        share = TRUTH_VECTOR @ answers(r["item"], units, genders, [r["answer"]]) / (TRUTH_VECTOR @ n)
        assert share == pytest.approx(r["share"], abs=5e-4)  # exact coefficients: a stronger attacker
        eqs.append((answers(r["item"], units, genders, [r["answer"]]) - share * n, 0.0))
    return eqs


def read_distribution(conn, f):
    return [
        e
        for by in (None, "gender", "org_unit")
        for e in _distribution(
            OUTPUTS["survey.answer_distribution"](conn, f, ["q1", "q2"], 2024, by).to_dict("records"), f, by
        )
    ]


def read_answers(conn, f):
    return [
        e
        for item in ("q1", "q2")
        for by in (None, "gender")
        for e in _distribution(
            documents.answers_document(OUTPUTS["survey.answers"](conn, f, item, None, by))["rows"], f, by
        )
    ]


def read_published(conn, f):
    assert OUTPUTS["survey.published_results"](conn, "q1").empty  # no published tables in this organisation
    return []


def _reports(rows, f) -> list[Eq]:
    chosen = set(f.as_dict().get("branch", ("B1", "B2")))
    eqs = []
    for r in rows:
        if r["suppressed"]:
            continue
        branches = {r["branch"]} if r["level"] == "cell" else chosen
        categories = {r["category"]} if r["level"] == "cell" else None
        eqs.append((cells("r", {r["year"]}, categories, branches), r["count"]))
    return eqs


def read_reports(conn, f):
    return _reports(OUTPUTS["meldingen.formal_reports"](conn, f).to_dict("records"), f)


def read_reports_document(conn, f):
    return _reports(documents.reports_document(OUTPUTS["meldingen.reports"](conn, f))["rows"], f)


def read_briefing(conn, f):
    views = {v.key: v for v in OUTPUTS["briefing.build_briefing"](conn, f, "en").views}
    eqs = []
    if "whatif" in views:
        first = next(iter(views["whatif"].series.values()))[0]
        cal = OUTPUTS["calibration.calibrate"](conn, f)
        units = members(f)
        base = stock(D2, units, "FM") + (stock(D2, units, "X") if cal.scenario.other else 0)
        eqs.append((stock(D2, units, "F") - first * base, 0.0))
    pipeline = views["pipeline"]
    flags = OUTPUTS["workforce.pipeline"](conn, f, pd.Timestamp(D2).date()).set_index("value")["x_left_out"]
    for rank, share in zip(flags.index, next(iter(pipeline.series.values())), strict=True):
        eqs += count_and_share(D2, members(f), {"women_share": share, "x_left_out": flags[rank]}, [rank])
    return eqs


def vendor(genders, favourable=(0, 1)) -> np.ndarray:
    return cells("v", set(genders), set(favourable))


def _vendor_rows(rows, by) -> list[Eq]:
    eqs = []
    for r in rows:
        if r["suppressed"]:
            continue
        genders = "FM" if by is None else r["group"]  # a total is read from the gender rows, X left out
        eqs.append((vendor(genders), r["n"]))
        eqs.append((vendor(genders, [1]) - r["pct_favourable"] / 100 * vendor(genders), 0.0))
    return eqs


def read_aggregate(conn, f):
    return [
        e
        for by in (None, "gender")
        for e in _vendor_rows(
            OUTPUTS["survey_results.aggregate_table"](conn, f, "belonging", by).to_dict("records"), by
        )
    ]


def read_results_table(conn, f):
    rows = {by: OUTPUTS["survey_results.results_table"](conn, f, "belonging", by) for by in (None, "gender")}
    return [e for by, t in rows.items() for e in _vendor_rows(t.to_dict("records"), by)]


def read_survey_results(conn, f):
    """The CLI's `survey` document for both sources: respondent answers (items q1, q2) and a vendor's table."""

    def read(measure, by):
        return documents.survey_document(OUTPUTS["survey_results.survey_results"](conn, f, measure, by, None, None))

    eqs = []
    for item in ("q1", "q2"):
        for by in SURVEY_BY:
            doc = read(item, by)
            assert doc["source"] == "respondents"
            eqs += _survey_rows(doc["rows"], f, by, item)
    docs = {by: read("belonging", by) for by in (None, "gender")}
    assert all(d["source"] == "aggregate" for d in docs.values())
    return eqs + [e for by, d in docs.items() for e in _vendor_rows(d["rows"], by)]


def read_representation(conn, f):
    """The Survey page's join: per unit, its women's share (on the last snapshot up to the wave) beside women's and
    men's share favourable on an item."""
    eqs = []
    units = OUTPUTS["workforce.breakdown"](conn, f, "org_unit").set_index(["date", "value"])
    for item in ("q1", "q2"):
        rep = OUTPUTS["representation.representation"](conn, f, item, "org_unit", None)
        if rep.wave is None or rep.frame.empty:
            continue
        day = max(d for d in DATES if pd.Timestamp(d).date() <= wave_date(rep.wave))
        for r in rep.frame.to_dict("records"):
            left_out = units.loc[(pd.Timestamp(day).date(), r["group"]), "x_left_out"]
            eqs += count_and_share(day, [r["group"]], {"women_share": r["women_share"], "x_left_out": left_out})
            for gender, score in (("F", r["score_F"]), ("M", r["score_M"])):
                n = answers(item, [r["group"]], [gender])
                eqs.append((answers(item, [r["group"]], [gender], (4, 5)) - score / 100 * n, 0.0))
    return eqs


def read_reports_by_kind(conn, f):
    chosen = set(f.as_dict().get("branch", ("B1", "B2")))
    rows = OUTPUTS["meldingen.reports_by_kind"](conn, f).to_dict("records")
    return [(cells("r", {r["year"]}, {r["category"]}, chosen), r["count"]) for r in rows if not r["suppressed"]]


def _parts(f: Filters, doc) -> dict[str, Filters]:
    """The population of each part of an allocation by branch: a branch, or the hidden ones folded into "other"."""
    named = {p["value"] for p in doc["parts"]}
    rest = sorted({BRANCH[u] for u in members(f)} - named)
    return {b: Filters.of({**f.as_dict(), "branch": [b]}) for b in named if b in BRANCH.values()} | (
        {allocation_module.OTHER: Filters.of({**f.as_dict(), "branch": rest})} if rest else {}
    )


def _allocation_equations(conn, f, doc) -> list[Eq]:
    eqs, women, people, scopes = [], 0, 0, _parts(f, doc)
    for p in doc["parts"]:
        scope = scopes[p["value"]]
        units = members(scope)
        flag = OUTPUTS["workforce.share_series"](conn, scope).set_index("date")["x_left_out"][pd.Timestamp(D2).date()]
        base = stock(D2, units, "FM") + (0 if flag else stock(D2, units, "X"))
        women, people = women + stock(D2, units, "F"), people + base
        eqs.append((stock(D2, units, "F") - p["share_now"] * base, 0.0))
        eqs += read_calibrate(conn, scope)  # the part's levers come from its calibration
    if known(doc["organisation_share_now"]):
        eqs.append((women - doc["organisation_share_now"] * people, 0.0))
    return eqs


def read_allocation_document(conn, f):
    try:
        doc = documents.allocation_document(OUTPUTS["allocation.allocation_for"](conn, f, "branch", {}))
    except calibration.CannotProject:
        return []
    return _allocation_equations(conn, f, doc)


def read_allocate(conn, f):
    try:
        split = allocation_module.calibrated_split(conn, f, "branch")
    except calibration.CannotProject:
        return []
    return _allocation_equations(conn, f, documents.allocation_document(OUTPUTS["allocation.allocate"](split, {})))


def read_allocation(conn, f):
    try:
        split = allocation_module.calibrated_split(conn, f, "branch")
    except calibration.CannotProject:
        return []
    doc = OUTPUTS["allocation.allocation"](split.parts, split.target, split.deadline)
    return _allocation_equations(conn, f, documents.allocation_document(doc))


def read_watchlist(conn, f):
    eqs = []
    for by, dim in (("branch", "branch"), ("org_unit", "org_unit")):
        doc = documents.watchlist_document(OUTPUTS["watchlist.watchlist"](conn, f, by))
        flags = OUTPUTS["workforce.breakdown"](conn, f, dim).set_index(["date", "value"])["x_left_out"]
        dates = sorted({d for d, _ in flags.index})
        for r in doc["rows"]:
            units = [u for u in members(f) if (BRANCH[u] if dim == "branch" else u) == r["value"]]
            women = r["glide_path"] * r["headcount"] - r["persons_short"]
            row = {"women": round(women, 6), "headcount": r["headcount"], "women_share": r["share"]}
            eqs += count_and_share(
                r["as_of"], units, {**row, "x_left_out": flags[pd.Timestamp(r["as_of"]).date(), r["value"]]}
            )
            for day, share in zip(dates[-len(r["trend"]) :], r["trend"], strict=True):
                if known(share):
                    eqs += count_and_share(day, units, {"women_share": share, "x_left_out": flags[day, r["value"]]})
    return eqs


def _shares(conn, f, by_year: dict[int, float]) -> list[Eq]:
    """Equations from year-end women's shares of the population."""
    flags = OUTPUTS["workforce.share_series"](conn, f).set_index("date")["x_left_out"]
    return [
        e
        for year, share in by_year.items()
        if known(share)
        for e in count_and_share(
            f"{year}-12-31",
            members(f),
            {"women_share": share, "x_left_out": flags[pd.Timestamp(f"{year}-12-31").date()]},
        )
    ]


def read_track_record(conn, f):
    doc = documents.backtest_document(OUTPUTS["track_record.track_record"](conn, f))
    return _shares(
        conn, f, {r["year"]: r["actual"] for r in doc["pairs"]} | {r["origin"]: r["constant"] for r in doc["pairs"]}
    )


def read_frontier(conn, f):
    """The frontier is a function of the calibrated scenario alone: what calibrate shows, no more."""
    try:
        cal = OUTPUTS["calibration.calibrate"](conn, f)
    except calibration.CannotProject:
        return []
    doc = OUTPUTS["frontier.lever_frontier"](cal.scenario)
    assert doc.today.hire_share == pytest.approx(cal.scenario.hire_share)
    return read_calibrate(conn, f)


def read_peers(conn, f):
    return _shares(conn, f, OUTPUTS["peer_comparison.peers"](conn, f).ours)


def _measure_points(conn) -> list[Eq]:
    eqs = []
    for m in load_measures(conn):
        scope = Filters.of({d: [v] for d, v in m.scope.items()})
        flags = OUTPUTS["workforce.share_series"](conn, scope).set_index("date")["x_left_out"]
        for day, share in OUTPUTS["measure_reads.indicator_points"](conn, m):
            if known(share):
                eqs += count_and_share(day, members(scope), {"women_share": share, "x_left_out": flags[day]})
    return eqs


def read_indicator_points(conn, f):
    return _measure_points(conn)


def read_measures(conn, f):
    """The document's slopes come from the shown indicator points only (checked), so their equations suffice."""
    trends = OUTPUTS["measure_list.measure_trends"](conn)
    for m, trend in zip(load_measures(conn), trends, strict=True):
        assert trend.measure == m
        assert trend.slopes == before_after(OUTPUTS["measure_reads.indicator_points"](conn, m), m.start_date)
    return _measure_points(conn)


def read_indicator_series(conn, f):
    """An organisation-wide indicator is imported as a figure (courses, not persons): it is read, and it says
    nothing about any person's record, so it adds no equation."""
    for name in conn.execute(sa.select(store.indicator.c.indicator).distinct()).scalars().all():
        OUTPUTS["status.indicator_series"](conn, name)
    return []


def read_reporting_rows(conn, f):
    """A year's social-safety reports ("ongewenst" here) over the chosen branches, when shown. The headcount and
    the survey shares beside them are the series' and the survey table's own figures, attacked there."""
    chosen = set(f.as_dict().get("branch", ("B1", "B2")))
    rows = OUTPUTS["reporting_rows.reporting_rows"](conn, f)
    return [
        (cells("r", {r.year}, {"ongewenst"}, chosen), r.formal_reports) for r in rows if r.formal_reports is not None
    ]


def read_reporting(conn, f):
    """The rows above; each change it splits is the difference of two shown counts (checked), so adds nothing."""
    result = OUTPUTS["reporting.reporting"](conn, f)
    shown = {r.year: r.formal_reports for r in result.rows}
    for c in result.changes:
        assert c.change is None or c.change == shown[c.year_to] - shown[c.year_from]
    return read_reporting_rows(conn, f)


def _panel_equations(conn, m) -> list[Eq]:
    """A women's-share measure's panel: its own and each uncovered part's shown shares (an indicator's values
    are figures, not persons, and add none)."""
    if metric_of(m.indicator).kind is not SHARE:
        return []
    panel = OUTPUTS["effect_panels.effect_panel"](conn, m)
    dim, eqs = (next(iter(m.scope)) if len(m.scope) == 1 else None), []
    series = [(Filters.of({d: [v] for d, v in m.scope.items()}), panel.treated)]
    series += [(Filters.of({dim: [p]}), row) for p, row in zip(panel.parts, panel.untreated, strict=True)]
    for scope, values in series:
        flags = OUTPUTS["workforce.share_series"](conn, scope).set_index("date")["x_left_out"]
        for day, share in zip(panel.dates, values, strict=True):
            if known(share):
                eqs += count_and_share(day, members(scope), {"women_share": share, "x_left_out": flags[day]})
    return eqs


def read_effect_panel(conn, f):
    return [e for m in load_measures(conn) for e in _panel_equations(conn, m)]


def read_measure_effects(conn, f):
    """Each effect is computed from its panel's shown points only (checked), so the panel's equations suffice."""
    for m, effect in zip(load_measures(conn), OUTPUTS["measure_effects.measure_effects"](conn), strict=True):
        panel = OUTPUTS["effect_panels.effect_panel"](conn, m)
        own = [None if not known(v) else 100 * v for v in panel.treated]
        assert effect.measure == m and list(effect.own) == pytest.approx(own)
        parts = [[None if not known(v) else 100 * v for v in row] for row in panel.untreated]
        assert [list(u) for u in effect.untreated] == [pytest.approx(row) for row in parts]  # the parts' too
    return read_effect_panel(conn, f)


REPORT_SOURCES = {  # what the Word report reads, and the output (with its reader) each figure comes from
    "build_briefing": "briefing.build_briefing",
    "status": "status.status",
    "breakdown": "workforce.breakdown",
    "reports_by_kind": "meldingen.reports_by_kind",
    "results_table": "survey_results.results_table",
    "track_record": "track_record.track_record",
    "reporting": "reporting.reporting",
    "measure_effects": "measure_effects.measure_effects",
}


def read_report(conn, f):
    """Built only from registered outputs (every data function it calls is one), so their readers' equations
    are what it shows; its tables are read back and their numbers checked against those outputs."""
    called = set()
    originals = {name: getattr(report_module, name) for name in REPORT_SOURCES}

    def spy(name):
        def call(*args, **kwargs):
            called.add(name)
            return originals[name](*args, **kwargs)

        return call

    try:
        for name in REPORT_SOURCES:
            setattr(report_module, name, spy(name))
        data = OUTPUTS["report.build_report"](conn, f, "en", None, False)
    finally:
        for name, fn in originals.items():
            setattr(report_module, name, fn)
    _check_report_tables(conn, f, docx.Document(io.BytesIO(data)))
    eqs = []
    for name in sorted(called):
        eqs += READERS[REPORT_SOURCES[name]](conn, f)
    return eqs


def _check_report_tables(conn, f, document) -> None:
    """The branch table prints the shown breakdown's headcounts: the report's numbers are the outputs' numbers."""
    table = OUTPUTS["workforce.breakdown"](conn, f, "branch")
    latest = table[table["date"] == table["date"].max()]
    texts = {c.text.strip() for t in document.tables for row in t.rows for c in row.cells}
    for value in latest["headcount"].dropna():
        assert f"{int(value)}" in texts or f"{int(value):,}" in texts


CLAIM_SOURCES = (  # the outputs whose figures the claims state (analysis/claims*.py builds each kind from them)
    "status.status",
    "workforce.share_series",
    "workforce.pipeline",
    "calibration.calibrate",
    "forecast.project_run",
    "track_record.track_record",
    "frontier.lever_frontier",
    "allocation.allocation_for",
    "watchlist.watchlist",
    "peer_comparison.peers",
    "survey.survey_table",
    "meldingen.reports_by_kind",
    "reporting.reporting",
    "measure_effects.measure_effects",
    "career.intake",
    "retention.retention",
    "promotion.promotion",
    "career.pyramid",
)


def read_claims(conn, f):
    """Every claim is built from registered outputs (a hidden cell's claim carries no count, only the word), so
    those outputs' readers' equations are what the claims show; each claim holds against them (its checker)."""
    claims = OUTPUTS["claims.claims_for"](conn, f)
    assert claims and all(c.kind for c in claims)
    eqs = []
    for name in CLAIM_SOURCES:
        eqs += READERS[name](conn, f)
    return eqs


# The career outputs. In this organisation nobody is promoted and no hire leaves again, so a hire's spell lasts
# from its year to the last snapshot: the at-risk counts of the curves are sums of hire cells.
CENSUS = {2024: D0, 2025: D1}


def read_career_intake(conn, f):
    units = members(f)
    eqs = []
    for y in OUTPUTS["career.intake"](conn, f).years:
        if not y.suppressed and y.year in YEARS:
            eqs.append((flows(y.year, units, "F", "hire"), y.women_hired))
            eqs.append((flows(y.year, units, "FM", "hire"), y.hires))  # no X is hired here
    return eqs


def read_career_retention(conn, f):
    units = members(f)
    eqs = []
    for p in OUTPUTS["retention.retention"](conn, f).curves:
        if not p.suppressed:
            hired = [y for y in YEARS if max(YEARS) - y >= p.t]
            eqs.append((sum(flows(y, units, p.group, "hire") for y in hired), p.at_risk))
    return eqs


def read_career_promotion(conn, f):
    units = members(f)
    found = OUTPUTS["promotion.promotion"](conn, f)
    eqs = []
    for r in (*found.levels, *found.pooled):
        if not r.suppressed:
            for gender, at_risk in (("F", r.women_at_risk), ("M", r.men_at_risk)):
                eqs.append((sum(stock(CENSUS[y], units, gender, [r.rank_group]) for y in r.years), at_risk))
    return eqs


def read_career_pyramid(conn, f):
    eqs = []
    for lv in OUTPUTS["career.pyramid"](conn, f).levels:
        row = {"women": lv.women, "headcount": lv.headcount, "women_share": lv.share, "x_left_out": lv.x_left_out}
        eqs += count_and_share(D2, members(f), row, [lv.rank_group])
    return eqs


def read_career_matrix(conn, f):
    eqs = []
    for c in OUTPUTS["career.matrix"](conn, f).cells:
        if not c.suppressed:
            units = [u for u in members(f) if BRANCH[u] == c.column]
            women, x = stock(D2, units, "F", [c.row]), stock(D2, units, "X", [c.row])
            # the rule is public: X under the minimum is left out (the truth only picks which form is shown)
            base = women + stock(D2, units, "M", [c.row]) + (x if TRUTH_VECTOR @ x >= 5 else 0)
            eqs += [(women, c.women), (base, c.headcount)]
    return eqs


READERS = {
    "workforce.share_series": read_series,
    "workforce.breakdown": read_breakdown,
    "workforce.compare_breakdown": read_compare,
    "workforce.pipeline": read_pipeline,
    "workforce.flows": read_flows,
    "workforce.hiring_vs_stock": read_hiring,
    "status.status": read_status,
    "survey.survey_table": read_survey_table,
    "survey.answer_distribution": read_distribution,
    "survey.answers": read_answers,
    "survey.published_results": read_published,
    "meldingen.formal_reports": read_reports,
    "calibration.yearly_rates": read_yearly_rates,
    "calibration.calibrate": read_calibrate,
    "forecast.project_run": read_project,
    "rank_model.calibrate_ranks": read_ranks,
    "briefing.build_briefing": read_briefing,
    "survey_results.aggregate_table": read_aggregate,
    "survey_results.results_table": read_results_table,
    "survey_results.survey_results": read_survey_results,
    "meldingen.reports_by_kind": read_reports_by_kind,
    "meldingen.reports": read_reports_document,
    "allocation.allocation": read_allocation,
    "allocation.allocate": read_allocate,
    "allocation.allocation_for": read_allocation_document,
    "watchlist.watchlist": read_watchlist,
    "track_record.track_record": read_track_record,
    "representation.representation": read_representation,
    "frontier.lever_frontier": read_frontier,
    "peer_comparison.peers": read_peers,
    "measure_list.measure_trends": read_measures,
    "measure_reads.indicator_points": read_indicator_points,
    "status.indicator_series": read_indicator_series,
    "report.build_report": read_report,
    "claims.claims_for": read_claims,
    "career.intake": read_career_intake,
    "retention.retention": read_career_retention,
    "promotion.promotion": read_career_promotion,
    "career.pyramid": read_career_pyramid,
    "career.matrix": read_career_matrix,
    "reporting_rows.reporting_rows": read_reporting_rows,
    "reporting.reporting": read_reporting,
    "effect_panels.effect_panel": read_effect_panel,
    "measure_effects.measure_effects": read_measure_effects,
}
TRUTH_VECTOR = np.array([TRUTH.get(a, 0.0) for a in ATOMS])


def _units(*names: str) -> Filters:
    return Filters.of({"org_unit": list(names)})


POPULATIONS = [
    Filters(),
    Filters.of({"branch": ["B1"]}),
    Filters.of({"branch": ["B2"]}),
    _units("S1"),
    _units("S2"),
    _units("S3"),
    _units("S4"),
    _units("S2", "S3"),
    _units("S1", "S4"),
    _units(*B1_UNITS),
]
SURVEY_POPULATIONS = [Filters(), _units("S1"), _units("S3"), _units("S2", "S3"), _units("S1", "S2", "S3")]
# The slow outputs (surveys run their tests, the briefing a simulation, allocation and the report calibrate
# many populations) on fewer populations; outputs that take no filters on one.
EVERYONE = [Filters()]
FEW = [Filters(), Filters.of({"branch": ["B1"]}), _units("S2", "S3")]
FEWER = {
    "career.intake": FEW,  # calibrates the selection for the needed share
    "promotion.promotion": FEW,
    "survey.survey_table": SURVEY_POPULATIONS,
    "survey.answer_distribution": SURVEY_POPULATIONS,
    "survey.answers": SURVEY_POPULATIONS,
    "briefing.build_briefing": [Filters(), _units("S1"), _units("S2")],
    "survey_results.aggregate_table": [Filters(), _units("S1")],
    "survey_results.results_table": EVERYONE,
    "survey_results.survey_results": SURVEY_POPULATIONS,
    "representation.representation": SURVEY_POPULATIONS,
    "allocation.allocation": FEW,
    "allocation.allocate": EVERYONE,
    "allocation.allocation_for": EVERYONE,
    "frontier.lever_frontier": FEW,
    "peer_comparison.peers": FEW,
    "measure_list.measure_trends": EVERYONE,
    "measure_reads.indicator_points": EVERYONE,
    "status.indicator_series": EVERYONE,
    "effect_panels.effect_panel": EVERYONE,
    "measure_effects.measure_effects": EVERYONE,
    "report.build_report": [Filters(), _units("S1")],
    "claims.claims_for": FEW,
}

# The hidden values of the issue: (name, vector).
SECRETS = {
    "X in S1": stock(D2, ["S1"], "X"),
    "X in S1, 2024": stock(D1, ["S1"], "X"),
    "unknown gender in S1": stock(D2, ["S1"], [""]),
    "3 of 52 women leaving S2": flows(2025, ["S2"], "F", "exit"),
    "2 women of S4 in the hidden year": stock(D2, ["S4"], "F"),
    "blank rank group in B1": stock(D2, B1_UNITS, "FMX", [""]),
    "women answering q2": answers("q2", B1_UNITS, "F"),
    "women favourable on q2": answers("q2", B1_UNITS, "F", (4, 5)),
    "blank-gender respondents": answers("q1", B1_UNITS, [""]),
    "blank-gender favourable": answers("q1", B1_UNITS, [""], (4, 5)),
    "S2's five answers": answers("q1", ["S2"], ["F", "M", ""]),
    "S2's favourable": answers("q1", ["S2"], ["F", "M", ""], (4, 5)),
    "3 reports in B1, 2024": cells("r", {2024}, {"integriteit"}, {"B1"}),
    "X in the vendor's total": vendor("X"),
}


@pytest.fixture(scope="module")
def organisation(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gate")
    write(folder)
    eng = open_database(f"duckdb:///{folder / 'gate.duckdb'}")
    files = (("workforce", "w.csv"), ("items", "items.csv"), ("survey", "s.csv"), ("reports", "r.csv"))
    for kind, name in (*files, ("survey-results", "v.csv")):
        import_file(eng, kind, folder / name)
    with store.connect(eng, write=True) as conn:
        save_measure(conn, MEASURE)
    yield eng
    eng.dispose()


def shown_equations(engine, populations=None, stop_at_first=False) -> list[Eq]:
    """Every registered output on every population, as equations; optionally stop at the first recovery."""
    equations: list[Eq] = []
    span = Span()
    with store.connect(engine) as conn:
        for name in READERS:
            found = [e for f in populations or FEWER.get(name, POPULATIONS) for e in READERS[name](conn, f)]
            equations += found
            if stop_at_first and found and span.add([row for row, _ in found]).recovered():
                return equations
    return equations


class Span:
    """The row space of the equations seen so far, kept as an orthonormal basis (one SVD per added stack)."""

    def __init__(self):
        self.basis = np.zeros((0, len(ATOMS)))

    def add(self, rows) -> Span:
        _, sv, vt = np.linalg.svd(np.vstack([self.basis, *rows]), full_matrices=False)
        self.basis = vt[sv > 1e-7]
        return self

    def recovered(self) -> list[str]:
        """The hidden values whose vectors lie in the span."""
        return [
            name
            for name, s in SECRETS.items()
            if np.linalg.norm(s - self.basis.T @ (self.basis @ s)) < 1e-6 * np.linalg.norm(s)
        ]


def recovered(equations: list[Eq]) -> list[str]:
    return Span().add([row for row, _ in equations]).recovered()


def test_every_registered_output_is_attacked():
    assert set(READERS) == set(OUTPUTS)


def test_the_fixture_holds_every_case():
    assert TRUTH_VECTOR @ SECRETS["X in S1"] == 1
    assert TRUTH_VECTOR @ SECRETS["3 of 52 women leaving S2"] == 3
    assert TRUTH_VECTOR @ stock(D1, ["S2"], "F") == 52
    assert TRUTH_VECTOR @ SECRETS["2 women of S4 in the hidden year"] == 2
    assert TRUTH_VECTOR @ SECRETS["blank rank group in B1"] == 3
    assert TRUTH_VECTOR @ SECRETS["blank-gender respondents"] == 2
    assert TRUTH_VECTOR @ SECRETS["S2's five answers"] == 5
    assert TRUTH_VECTOR @ SECRETS["women answering q2"] == 4


@pytest.fixture(scope="module")
def shown(organisation) -> list[Eq]:
    return shown_equations(organisation)


def test_every_shown_figure_is_true(shown):
    for row, value in shown:
        assert row @ TRUTH_VECTOR == pytest.approx(value, abs=1e-6)


def test_no_hidden_value_lies_in_the_span_of_what_is_shown(shown):
    assert recovered(shown) == []


RULES = {
    "primary": lambda size, k: size < 0,
    "complementary": lambda hidden, size, group: hidden,
    "consistent": lambda selected, hidden: True,
    "missing_as_sibling": lambda: False,
}
# `leave_out_x` is not here: in this file's populations the one workforce decision (stock_joint) hides S4 on
# every date and S1 beside it, which protects S1's single X person as well; the release attack
# (tests/db/test_release_attack.py, RULES) shows that switching it off gives a hidden figure away.


# Blank values as siblings: since session 14 the survey tables of the whole, its branches, categories and rank
# groups are decided as one family whose linear programs (survey_family.family_decision) model the blank values
# whether or not the rule lets them take part, and hide what would give them away; the route this rule closed here
# ran through those tables. The rule still decides the workforce and the surveys' unit selections.
BLANKS_BACKED = pytest.mark.xfail(
    strict=True, reason="the survey family's linear programs protect blank values without the rule (session 14)"
)


@pytest.mark.parametrize(
    "rule", [pytest.param(r, marks=BLANKS_BACKED) if r == "missing_as_sibling" else r for r in RULES]
)
def test_disabling_any_rule_reveals_a_hidden_value(organisation, monkeypatch, rule):
    """With one rule off, the attack on a few populations already recovers a hidden value."""
    monkeypatch.setattr(privacy, rule, RULES[rule])
    # Each survey group here gives one answer, so the % favourable pins (queries/survey_pins.py) hide every group
    # and its siblings anyway: the other rules are seen without them (tests/db/test_survey_favourable_pins.py).
    pinned = survey_pins.favourable_pinned
    monkeypatch.setattr(survey_pins, "favourable_pinned", lambda counts: pinned(counts).assign(pinned=False))
    monkeypatch.setattr(privacy, "_DECISIONS", {})  # every view decided afresh with the rule off
    assert recovered(shown_equations(organisation, SURVEY_POPULATIONS, stop_at_first=True))
