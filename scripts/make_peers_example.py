"""Build data/examples/peers/peers_benchmarks.csv from the public source copies beside it.

Each shipped row is one row of a source file, chosen by the rules below; values are copied as written.
Run from the repository root: python scripts/make_peers_example.py
"""

from __future__ import annotations

import csv
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "data" / "examples" / "peers"
SOURCES = FOLDER / "sources"
COLUMNS = ("peer", "population", "date", "year", "measure", "value", "source", "url", "needs_verification", "notes")

UK_STRENGTH = {"UK Regular Forces", "United Kingdom's Armed Forces", "Armed forces (total strength, as stated)"}
UK_INTAKE = {
    "Intake into UK Regular Forces + FR20 combined",
    "Intake into the Armed Forces (Regulars and Reserves, as described by source)",
    "Armed forces new recruits",
}
# Dutch rows: (reference_date, population in the source) -> (population shipped, needs verification, why)
NL_ROWS = {
    ("1990-03-01", "Krijgsmacht (armed forces)"): ("Defensie, military", False, ""),
    ("1999", "Defensie als geheel (military, as described)"): ("Defensie, military", False, ""),
    ("2018-05", "Militairen"): ("Defensie, military", False, "May 2018."),
    ("2018-12", "Militairen (as described by source)"): (
        "Defensie, military",
        True,
        "December 2018; conflicts with 9.7% (NOS, May 2018), definitions unclear.",
    ),
    ("2022-03", "Militairen"): ("Defensie, military", False, "March 2022."),
    ("2017", "Defensie existing personnel (as described by source)"): (
        "Defensie, all personnel",
        True,
        "Population definition unclear in the source.",
    ),
    ("2022-03", "Defensie total personnel"): ("Defensie, all personnel", False, "March 2022."),
    ("2025-03", "Defensie total personnel"): ("Defensie, all personnel", False, "March 2025."),
    ("2017", "Military inflow (instromende militairen) 2017"): ("Defensie, military", False, ""),
}


def _read(name: str) -> list[dict[str, str]]:
    with open(SOURCES / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _preferred(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """One row per reference date: a headline before a comparison value, an official release first."""

    def rank(r: dict[str, str]) -> tuple[bool, bool]:
        return (r["reported_as"] != "headline", not r["source_type"].startswith("official"))

    chosen: dict[str, dict[str, str]] = {}
    for r in rows:
        key = r["reference_date"]
        if key not in chosen or rank(r) < rank(chosen[key]):
            chosen[key] = r
    return chosen


def _dated(text: str) -> tuple[str, str]:
    """A source date as (date, year): full dates stay dates, a year or a month becomes the year."""
    return (text, text[:4]) if len(text) == 10 else ("", text[:4])


def uk_rows() -> list[dict[str, str]]:
    rows = _read("uk_armed_forces_women_share_1981_2025.csv")
    out = []
    for measure, populations, shipped, ours in (
        ("female_share_of_strength", UK_STRENGTH, "Regular Forces", "women_share_strength"),
        ("female_share_of_intake", UK_INTAKE, "Intake, Regulars and Reserves", "women_share_intake"),
    ):
        part = [
            r
            for r in rows
            if r["measure"] == measure and r["population"] in populations and r["service"] == r["rank_group"] == "all"
        ]
        for r in _preferred(part).values():
            date, year = _dated(r["reference_date"]) if r["reference_date"] else ("", "2017")
            other = "" if r["population"] == "UK Regular Forces" else f"Source population: {r['population']}. "
            note = (other + r["notes"]).strip()
            out.append(_row("United Kingdom", shipped, date, year, ours, r, r["needs_verification"], note))
    exits = next(r for r in rows if r["measure"] == "female_exit_rate")
    out.append(_row("United Kingdom", "Armed forces", "1999-06-18", "1999", "attrition_women", exits, "False", ""))
    return out


def us_rows() -> list[dict[str, str]]:
    out, seen = [], set()
    for r in _read("us_dod_women_share_2004_2022.csv"):
        if r["population"] != "DoD active duty":
            continue
        if r["measure"] == "female_share" and r["group"] == "all" and r["year"] not in seen:
            seen.add(r["year"])
            out.append(_row("United States", "DoD active duty", "", r["year"], "women_share_strength", r, "False", ""))
        elif r["measure"] == "annual_attrition_rate":
            measure = "attrition_women" if r["sex"] == "female" else "attrition_men"
            out.append(_row("United States", "DoD active duty, enlisted", "", r["year"], measure, r, "False", ""))
    return out


def nl_rows() -> list[dict[str, str]]:
    out = []
    for r in _read("nl_defensie_women_share_reported_figures.csv"):
        key = (r["reference_date"], r["population"])
        if key in NL_ROWS and r["sex"] == "female" and r["unit"] == "percent":
            population, flagged, why = NL_ROWS[key]
            measure = "women_share_intake" if "inflow" in r["measure"] else "women_share_strength"
            date, year = _dated(r["reference_date"])
            out.append(_row("Netherlands", population, date, year, measure, r, str(flagged), why))
    return out


def _row(
    peer: str, population: str, date: str, year: str, measure: str, r: dict[str, str], flagged: str, note: str
) -> dict[str, str]:
    """A shipped row: the source row's value, source and address, under the benchmark format's columns."""
    values = (peer, population, date, year, measure, r["value"], r["source"], r["source_url"], flagged, note)
    return dict(zip(COLUMNS, values, strict=True))


def main() -> None:
    with open(FOLDER / "peers_benchmarks.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, COLUMNS)
        writer.writeheader()
        writer.writerows([*uk_rows(), *us_rows(), *nl_rows()])


if __name__ == "__main__":
    main()
