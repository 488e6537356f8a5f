"""Peers: the fastest five years worked out by hand, the shipped public figures against their sources, and the
benchmark import refusing bad files whole, on DuckDB and PostgreSQL."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from di_metrics.cli.main import main
from di_metrics.errors import InvalidInput
from di_metrics.models.peer_pace import Peers, PeerWindow, fastest_window, verified, yearly_values
from di_metrics.models.targets import Target
from di_metrics.present.peers_text import peers_message
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file
from tests.support import ROOT

EXAMPLE = ROOT / "data" / "examples" / "peers"
SOURCES = EXAMPLE / "sources"
UK_FILE, US_FILE = "uk_armed_forces_women_share_1981_2025.csv", "us_dod_women_share_2004_2022.csv"
NL_FILE = "nl_defensie_women_share_reported_figures.csv"


# --- the fastest window, by hand -------------------------------------------------------------------------


def test_fastest_window_with_gaps_and_a_tie():
    # 2010->2015: (13 - 10) / 5 = 0.6; 2012->2017: (16 - 11) / 5 = 1.0; 2015->2020: (18 - 13) / 5 = 1.0 (a tie:
    # the earlier one wins); 2011, 2013, 2014 are gaps, so 2011->2016 and the like are no windows.
    yearly = {2010: 0.10, 2012: 0.11, 2015: 0.13, 2017: 0.16, 2020: 0.18}
    window = fastest_window(yearly)
    assert (window.start, window.end) == (2012, 2017)
    assert window.pp_per_year == pytest.approx(1.0)


def test_no_window_in_fewer_than_five_years_or_without_both_ends():
    assert fastest_window({2020: 0.10, 2021: 0.12, 2024: 0.20}) is None
    assert fastest_window({2010: 0.10, 2016: 0.20}) is None  # six years apart, and no value at 2015
    assert fastest_window({}) is None


def test_a_falling_series_has_a_negative_fastest_pace():
    window = fastest_window({2000: 0.20, 2005: 0.15, 2010: 0.14})
    assert (window.start, window.pp_per_year) == (2005, pytest.approx(-0.2))


def test_one_value_a_year_the_last_verified_one():
    rows = [
        (2018, dt.date(2018, 5, 1), 0.097, False),
        (2018, dt.date(2018, 12, 1), 0.14, True),  # later, but flagged: the verified May value stands
        (2019, dt.date(2019, 4, 1), 0.106, False),
        (2019, dt.date(2019, 10, 1), 0.108, False),  # the year's last
        (2020, None, 0.12, True),  # only a flagged value: it stands for the year, flagged
    ]
    yearly = yearly_values(rows)
    assert yearly == {2018: (0.097, False), 2019: (0.108, False), 2020: (0.12, True)}
    assert verified(yearly) == {2018: 0.097, 2019: 0.108}


def test_the_message_says_how_much_faster_the_target_needs():
    target = Target("women_total", "women_share", 0.3, dt.date(2030, 12, 31), dt.date(2022, 12, 31), 0.16)
    doc = Peers(
        series=(),
        fastest_5y=(PeerWindow("United States", "Active duty", 2013, 2018, 0.32),),
        needed_pp_per_year=2.56,
        ours={},
        ours_fastest_5y=None,
        target=target,
        latest=0.2,
        as_of=dt.date(2025, 12, 31),
        figures=(),
    )
    text = peers_message(doc, "en")
    assert "0.32" in text and "2.56" in text and "30%" in text and "2030" in text and "8.0" in text
    assert "0,32" in peers_message(doc, "nl")
    assert "0.32" in peers_message(dataclasses.replace(doc, needed_pp_per_year=0.1), "en")


# --- the shipped example against its public sources ------------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


SHIPPED = _rows(EXAMPLE / "peers_benchmarks.csv")


def test_shipped_uk_strength_equals_the_public_csv():
    source = [
        r
        for r in _rows(SOURCES / UK_FILE)
        if r["measure"] == "female_share_of_strength"
        and r["population"] == "UK Regular Forces"
        and r["service"] == r["rank_group"] == "all"
    ]
    published = {}
    for r in source:
        published.setdefault(r["reference_date"], set()).add(float(r["value"]))
    assert all(len(v) == 1 for v in published.values())  # one value per date in the source
    shipped = {
        (r["date"] or r["year"]): float(r["value"])
        for r in SHIPPED
        if r["peer"] == "United Kingdom"
        and r["measure"] == "women_share_strength"
        and not r["notes"].startswith("Source population")
    }
    assert shipped == {d: v.pop() for d, v in published.items()}


def test_shipped_us_active_duty_equals_the_public_csv():
    published = {
        (r["year"], float(r["value"]))
        for r in _rows(SOURCES / US_FILE)
        if r["population"] == "DoD active duty" and r["group"] == "all" and r["measure"] == "female_share"
    }
    shipped = {
        (r["year"], float(r["value"]))
        for r in SHIPPED
        if r["peer"] == "United States" and r["measure"] == "women_share_strength"
    }
    assert shipped == published


@pytest.mark.parametrize(
    ("peer", "name"), [("United Kingdom", UK_FILE), ("United States", US_FILE), ("Netherlands", NL_FILE)]
)
def test_every_shipped_value_traces_to_a_source_row(peer, name):
    source = {(r["value"], r["source"], r["source_url"]) for r in _rows(SOURCES / name)}
    mine = [r for r in SHIPPED if r["peer"] == peer]
    assert mine
    for r in mine:
        assert (r["value"], r["source"], r["url"]) in source


def test_the_flag_of_the_source_is_kept():
    flagged = [r for r in SHIPPED if r["peer"] == "United Kingdom" and r["needs_verification"] == "True"]
    assert [(r["measure"], r["value"]) for r in flagged] == [("women_share_intake", "12.2")]


def test_the_source_copies_equal_the_shared_public_files():
    shared = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.exists()), None)
    if shared is None:
        pytest.skip("the shared public data folder is not beside the repository")
    for name in (UK_FILE, US_FILE, NL_FILE):
        assert (SOURCES / name).read_bytes() == (shared / "data" / "public" / name).read_bytes()


# --- the import door ---------------------------------------------------------------------------------------

HEADER = "peer,population,date,year,measure,value,source,url,needs_verification\n"


def _stored(engine) -> tuple[int, int]:
    with store.connect(engine) as conn:
        rows = conn.execute(sa.select(sa.func.count()).select_from(store.benchmark)).scalar()
        log = store.import_log
        logged = conn.execute(sa.select(sa.func.count()).select_from(log).where(log.c.result == "imported")).scalar()
    return rows, logged


def test_the_shipped_example_imports_on_both_databases(engine):
    result = import_file(engine, "benchmarks", EXAMPLE / "peers_benchmarks.csv")
    assert result.rows == len(SHIPPED)
    with store.connect(engine) as conn:
        row = (
            conn.execute(
                sa.select(store.benchmark).where(
                    store.benchmark.c.peer == "United States", store.benchmark.c.year == 2013
                )
            )
            .mappings()
            .one()
        )
    assert row["value"] == pytest.approx(0.149) and row["date"] is None and row["needs_verification"] is False


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("UK,Regulars,,,women_share_strength,10,src,,\n", ["'date, year'", "a date or a year", "line 2"]),
        ("UK,Regulars,2020-04-01,2021,women_share_strength,10,src,,\n", ["'year'", "differs", "line 2"]),
        (
            "UK,Regulars,,2020,women_share_intake,10,src,,\nUK,Regulars,,2020,share,10,src,,\n",
            ["'measure'", "unknown value", "line 3"],
        ),
        ("UK,Regulars,,2020,women_share_strength,150,src,,\n", ["'value'", "between 0 and 100", "line 2"]),
        ("UK,Regulars,2020-02-30,,women_share_strength,10,src,,\n", ["'date'", "not a valid date", "line 2"]),
        ("UK,Regulars,,2020,women_share_strength,10,,,\n", ["'source'", "a value is required", "line 2"]),
        ("UK,Regulars,,2020,women_share_strength,10,src,,maybe\n", ["'needs_verification'", "yes/no", "line 2"]),
    ],
)
def test_a_bad_benchmark_file_is_refused_whole(engine, tmp_path, body, expected):
    good = "US,Active duty,,2019,women_share_strength,16.9,src,https://example.org,false\n"
    path = tmp_path / "peers.csv"
    path.write_text(HEADER + body + good, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        import_file(engine, "benchmarks", path)
    text = str(caught.value)
    assert "peers.csv" in text
    for fragment in expected:
        assert fragment in text
    assert _stored(engine) == (0, 0)


def test_a_file_with_years_only_imports(engine, tmp_path):
    path = tmp_path / "years.csv"
    path.write_text("peer,population,year,measure,value,source\nUS,Active duty,2019,women_share_strength,16.9,src\n")
    assert import_file(engine, "benchmarks", path).rows == 1
    with store.connect(engine) as conn:
        row = conn.execute(sa.select(store.benchmark)).mappings().one()
    assert (row["year"], row["date"], row["needs_verification"]) == (2019, None, False)


def test_a_peer_already_stored_is_replaced_only_when_asked(engine, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(HEADER + "US,Active duty,,2019,women_share_strength,16.9,src,,\n", encoding="utf-8")
    second.write_text(HEADER + "US,Active duty,,2020,women_share_strength,17.2,src,,\n", encoding="utf-8")
    import_file(engine, "benchmarks", first)
    with pytest.raises(InvalidInput, match="already stored"):
        import_file(engine, "benchmarks", second)
    assert import_file(engine, "benchmarks", second, replace=True).replaced == ("US",)
    assert _stored(engine) == (1, 2)


def test_peers_cli_contract(duckdb_url, capsys):
    assert main(["import", "benchmarks", str(EXAMPLE / "peers_benchmarks.csv"), "--db", duckdb_url]) == 0
    capsys.readouterr()
    assert main(["peers", "--json", "--db", duckdb_url]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"peer", "year", "share"} <= set(doc["series"][0])
    assert doc["needed_pp_per_year"] is None  # no workforce of our own yet
    # By hand from the public files: US active duty 14.9% (2013) -> 16.5% (2018) is 0.32 pp a year; UK Regulars
    # 10.3% (Oct 2017) -> 11.4% (Oct 2022) is 0.22; the Dutch series have no two verified values five years apart.
    fastest = {(w["peer"], w["from"], w["to"]): w["pp_per_year"] for w in doc["fastest_5y"]}
    assert fastest == {
        ("United States", 2013, 2018): pytest.approx(0.32),
        ("United Kingdom", 2017, 2022): pytest.approx(0.22),
    }
