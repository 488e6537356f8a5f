"""The real public UK Civil Service People Survey files import through the documented mapping and give back
the published values exactly; values are read here from the raw public CSV, not from Koers."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from di_metrics.cli.main import main
from di_metrics.demo.build import EXAMPLE
from di_metrics.storage import store
from di_metrics.storage.csps import ORG_FILE
from tests.support import ROOT

PUBLIC = ROOT.parent / "shared" / "data" / "public"


def _published(year: str, organisation: str, sex: str) -> dict[str, str]:
    with open(PUBLIC / ORG_FILE, newline="", encoding="utf-8") as fh:
        return next(
            r
            for r in csv.DictReader(fh)
            if r["year"] == year and r["organisation"] == organisation and r["sex_gender"] == sex
        )


@pytest.fixture
def imported(duckdb_url, tmp_path):
    if not PUBLIC.exists():
        pytest.skip("the shared public data folder is not beside the repository")
    out = tmp_path / "csps.csv"
    assert main(["convert-csps", str(PUBLIC), "--out", str(out)]) == 0
    assert main(["import", "survey-results", str(out), "--db", duckdb_url]) == 0
    eng = store.make_engine(duckdb_url)
    with store.connect(eng) as conn:
        frame = pd.DataFrame([dict(r) for r in conn.execute(sa.select(store.survey_result)).mappings()])
    eng.dispose()
    return frame


@pytest.mark.parametrize(
    ("year", "organisation", "sex"),
    [
        ("2024", "Ministry of Defence", "female"),
        ("2016", "Ministry of Defence", "male"),
        ("2009", "Acas", "male"),
        ("2022", "Ministry of Defence", "other"),
    ],
)
def test_published_values_come_back_exactly(imported, year, organisation, sex):
    row = _published(year, organisation, sex)
    got = imported[
        (imported["wave"] == int(year))
        & (imported["org_unit"] == organisation)
        & (imported["gender"] == {"female": "F", "male": "M", "other": "X"}[sex])
    ]
    incl = got[got["measure"] == "inclusion_fair_treatment"].iloc[0]
    if row["suppressed"] == "True":
        assert incl["suppressed"] and pd.isna(incl["n"]) and pd.isna(incl["pct_favourable"])
    else:
        assert incl["pct_favourable"] == float(row["inclusion_fair_treatment_pct"])
        assert incl["n"] == round(float(row["n_respondents"]))
        e03 = got[got["measure"] == "bullying_harassment_e03"]
        if row["bullying_harassment_e03_pct"]:
            assert e03.iloc[0]["pct_favourable"] == float(row["bullying_harassment_e03_pct"])


def test_civil_service_wide_figures_and_suppressed_rows(imported):
    with open(PUBLIC / "csps_inclusion_by_sex_civil_service_2009_2024.csv", newline="", encoding="utf-8") as fh:
        published = {(r["year"], r["sex"]): r for r in csv.DictReader(fh)}
    whole = imported[imported["org_unit"].isna() & (imported["measure"] == "inclusion_fair_treatment")]
    for (year, sex), row in published.items():
        got = whole[(whole["wave"] == int(year)) & (whole["gender"] == sex[0].upper())].iloc[0]
        assert got["pct_favourable"] == float(row["inclusion_fair_treatment_pct"])
    with open(PUBLIC / ORG_FILE, newline="", encoding="utf-8") as fh:
        suppressed_at_source = sum(r["suppressed"] == "True" for r in csv.DictReader(fh))
    org_incl = imported[imported["org_unit"].notna() & (imported["measure"] == "inclusion_fair_treatment")]
    assert int(org_incl["suppressed"].sum()) == suppressed_at_source


def test_the_shipped_example_is_the_converted_public_file(tmp_path):
    if not PUBLIC.exists():
        pytest.skip("the shared public data folder is not beside the repository")
    out = tmp_path / "again.csv"
    assert main(["convert-csps", str(PUBLIC), "--out", str(out)]) == 0
    assert Path(out).read_bytes() == EXAMPLE.read_bytes()
