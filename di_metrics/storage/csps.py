"""The public example: UK Civil Service People Survey results (Open Government Licence v3.0), mapped to the
survey-results format.

Mapping (see data/examples/csps/README.md):
- wave = year; gender = F/M/X from female/male/other; org_unit = organisation; branch = department group;
- measures: inclusion_fair_treatment (the theme score, % favourable), the four theme items (b_*), and
  discrimination_e01 / bullying_harassment_e03 (% answering "yes": higher is worse);
- rows suppressed at source (fewer than 10 respondents) keep empty n and pct_favourable.
2009-2019 values were published as whole percentages; group definitions changed in 2017, 2020 and 2024.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["CIVIL_SERVICE_FILE", "CIVIL_SERVICE_MEASURES", "GENDERS", "ORG_FILE", "ORG_MEASURES", "convert", "write"]

GENDERS = {"female": "F", "male": "M", "other": "X"}
ORG_MEASURES = {
    "inclusion_fair_treatment_pct": "inclusion_fair_treatment",
    "discrimination_e01_pct": "discrimination_e01",
    "bullying_harassment_e03_pct": "bullying_harassment_e03",
}
CIVIL_SERVICE_MEASURES = {
    **ORG_MEASURES,
    "b_treated_fairly_pct": "b_treated_fairly",
    "b_treated_with_respect_pct": "b_treated_with_respect",
    "b_feel_valued_pct": "b_feel_valued",
    "b_respects_individual_differences_pct": "b_respects_individual_differences",
}
ORG_FILE = "csps_inclusion_by_organisation_and_sex_2009_2024.csv"
CIVIL_SERVICE_FILE = "csps_inclusion_by_sex_civil_service_2009_2024.csv"


def _long(frame: pd.DataFrame, measures: dict[str, str], dims: dict[str, str]) -> pd.DataFrame:
    parts = []
    for column, measure in measures.items():
        part = pd.DataFrame(
            {
                "wave": frame["year"].astype(int),
                "measure": measure,
                "n": frame["n_respondents"],
                "pct_favourable": frame[column],
                "gender": frame["_gender"].map(GENDERS),
                **{target: frame[source] for target, source in dims.items()},
            }
        )
        if "suppressed" in frame.columns:
            part.loc[frame["suppressed"].astype(str).str.lower().eq("true").to_numpy(), ["n", "pct_favourable"]] = None
        parts.append(part[part["pct_favourable"].notna() | part["n"].isna()])
    return pd.concat(parts, ignore_index=True)


def convert(folder: Path) -> pd.DataFrame:
    """Both public files in `folder` as one survey-results table."""
    org = pd.read_csv(folder / ORG_FILE).rename(columns={"sex_gender": "_gender"})
    civil = pd.read_csv(folder / CIVIL_SERVICE_FILE).rename(columns={"sex": "_gender"})
    org = _long(org, ORG_MEASURES, {"org_unit": "organisation", "branch": "dept_group"})
    civil = _long(civil, CIVIL_SERVICE_MEASURES, {})
    out = pd.concat([civil, org], ignore_index=True)
    out["n"] = out["n"].round().astype("Int64")
    return out[["wave", "measure", "n", "pct_favourable", "gender", "branch", "org_unit"]]


def write(folder: Path, out: Path) -> int:
    """Convert and write the CSV that `import survey-results` reads; returns the number of rows."""
    table = convert(folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False)
    return len(table)
