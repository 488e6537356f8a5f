"""The gate fixture's organisation (tests/db/test_privacy_gate.py describes it), shared with the release attack
(tests/db/test_release_attack.py): the persons, respondents, formal reports and vendor rows, and the import files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from di_metrics.models.measure_slopes import Measure

D0, D1, D2 = "2023-12-31", "2024-12-31", "2025-12-31"
DATES = (D0, D1, D2)
YEARS = {2024: (D0, D1), 2025: (D1, D2)}
B1_UNITS = ("S1", "S2", "S3", "S4")
BRANCH = {"S1": "B1", "S2": "B1", "S3": "B1", "S4": "B1", "T1": "B2"}
RANKS = ("manschappen", "officieren", "")
GENDERS = ("F", "M", "X", "")
REPORTS = {
    (2024, "integriteit", "B1"): 3,
    (2024, "ongewenst", "B1"): 12,
    (2024, "integriteit", "B2"): 20,
    (2024, "ongewenst", "B2"): 7,
    (2025, "integriteit", "B1"): 9,
    (2025, "ongewenst", "B1"): 11,
    (2025, "integriteit", "B2"): 15,
    (2025, "ongewenst", "B2"): 16,
}

# A vendor's survey results (measure "belonging", wave 2024): respondents per gender and favourable (1) or not.
VENDOR = {("F", 1): 10, ("F", 0): 10, ("M", 1): 18, ("M", 0): 18, ("X", 1): 1, ("X", 0): 1}
MEASURE = Measure("mentoring", dt.date(2024, 6, 1), "women_share", scope={"org_unit": "S2"})


def persons() -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    """(id, gender, unit, rank, dates present) for every person of the organisation described above."""
    out = []

    def add(n, gender, unit, dates, rank="manschappen"):
        for _ in range(n):
            out.append((f"P{len(out)}", gender, unit, rank, dates))

    add(10, "F", "S1", DATES, "officieren")
    add(10, "F", "S1", DATES)
    add(10, "M", "S1", DATES, "officieren")
    add(20, "M", "S1", DATES)
    add(1, "X", "S1", DATES)
    add(2, "", "S1", DATES)
    add(6, "F", "S2", (D0,))
    add(3, "F", "S2", (D0, D1))
    add(43, "F", "S2", DATES)
    add(6, "F", "S2", (D1, D2))
    add(10, "M", "S2", (D0,))
    add(8, "M", "S2", (D0, D1))
    add(42, "M", "S2", DATES)
    add(10, "M", "S2", (D1, D2))
    add(8, "M", "S2", (D2,))
    add(40, "F", "S3", DATES)
    add(37, "M", "S3", DATES)
    add(3, "M", "S3", DATES, "")
    add(8, "F", "S4", (D0, D1))
    add(2, "F", "S4", DATES)
    add(30, "M", "S4", DATES)
    for gender in ("F", "M"):
        add(80, gender, "T1", DATES)
        add(10, gender, "T1", (D0,))
        add(10, gender, "T1", (D0, D1))
        add(10, gender, "T1", (D1, D2))
        add(10, gender, "T1", (D2,))
    return out


def respondents() -> list[tuple[str, str, int | None, int | None]]:
    """(unit, gender, q1, q2) per respondent of wave 2024."""
    rows = [("S3", "F", 5, 2)] * 4 + [("S3", "F", 5, None)] * 8 + [("S3", "M", 4, 4)] * 30
    rows += [("S3", "", 1, 1)] * 2 + [("S2", "M", 5, 2)] * 5 + [("S1", "M", 3, 3)] * 20
    return rows


FILES = (("workforce", "w.csv"), ("items", "items.csv"), ("survey", "s.csv"), ("reports", "r.csv"))
FILES += (("survey-results", "v.csv"),)


def write(folder: Path) -> None:
    """The import files, named as FILES says."""
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for pid, gender, unit, rank, dates in persons():
        lines += [f"{d},{pid},{gender},{unit},{BRANCH[unit]},{rank},military" for d in dates]
    (folder / "w.csv").write_text("\n".join(lines) + "\n")
    (folder / "items.csv").write_text(
        "item,construct,text_nl,text_en,scale_min,scale_max,favourable_min,reverse\n"
        "q1,inclusion,Ik hoor erbij,I belong,1,5,4,false\nq2,inclusion,Ik word gehoord,I am heard,1,5,4,false\n"
    )
    survey = ["wave,respondent_id,gender,org_unit,branch,q1,q2"]
    survey += [f"2024,R{i},{g},{u},B1,{a},{'' if b is None else b}" for i, (u, g, a, b) in enumerate(respondents())]
    (folder / "s.csv").write_text("\n".join(survey) + "\n")
    reports = ["year,category,count,branch"] + [f"{y},{c},{n},{b}" for (y, c, b), n in REPORTS.items()]
    (folder / "r.csv").write_text("\n".join(reports) + "\n")
    vendor_rows = ["wave,measure,n,pct_favourable,gender", "2024,belonging,58,50,", "2024,belonging,,,X"]
    vendor_rows += [f"2024,belonging,{VENDOR[g, 0] + VENDOR[g, 1]},50,{g}" for g in "FM"]
    (folder / "v.csv").write_text("\n".join(vendor_rows) + "\n")
