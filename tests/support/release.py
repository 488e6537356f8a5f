"""The hand-made organisation of the release attack: every figure is set here by hand, so tests can name
the hidden values and work out what differencing two views would give.

Workforce, snapshots 2022-12-31 (D0) and 2023-12-31 (D1), one complete year 2023, nobody moves between units:
- branch B1: U1 60 women, 60 men, 2 X; U2 50, 50, 3 X; U3 40, 40; SMALL 6, 6.
  2023 hires = exits (replaced): U1 5 women, 6 men; U2 5, 5; U3 5, 5; SMALL 1 woman, no man.
  So B1 hires 16 women, U1+U2+U3 15: their difference is SMALL's 1 woman (hidden).
- branch B2: V1 50 women, 50 men, 3 X; V2 30, 30; hires = exits 6 and 6 in V1, 5 and 5 in V2.
In every unit the first 10 women and 10 men are officers, the rest manschappen.

Survey wave 2024, item q1 (favourable from 4): B1 women 30 answer 5 and 10 answer 2 (75%); B2 women 1 answers
5 and 3 answer 2 (the hidden 25%); B1 men 30 answer 4, 10 answer 2; B2 men 15 answer 4, 5 answer 1;
12 respondents of gender X in B1 (U1), 6 answer 4 and 6 answer 2. B1 respondents are in U1 and U2 (half each).
Vendor table (measure "belonging", wave 2024), by gender and by gender x branch: women 44 at 70.45%, B1 40 at
75%, B2 suppressed at source; men 60 at 75%, B1 40, B2 20 at 75%; an "other" row of 12 at 50%.

Formal reports 2024: intimidatie B1 9, B2 1; fraude B1 6, B2 8; discriminatie B1 7, B2 30. 2025: intimidatie
12 and 11, fraude 10 and 9. Hiding along years and branches only leaves intimidatie with one hidden cell.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

D0, D1 = "2022-12-31", "2023-12-31"
# unit: (branch, women, men, X, women hired = left, men hired = left)
UNITS = {
    "U1": ("B1", 60, 60, 2, 5, 6),
    "U2": ("B1", 50, 50, 3, 5, 5),
    "U3": ("B1", 40, 40, 0, 5, 5),
    "SMALL": ("B1", 6, 6, 0, 1, 0),
    "V1": ("B2", 50, 50, 3, 6, 6),
    "V2": ("B2", 30, 30, 0, 5, 5),
}
# (branch, unit, gender): [(answer, respondents), ...]
RESPONDENTS = {
    ("B1", "U1", "F"): [(5, 15), (2, 5)],
    ("B1", "U2", "F"): [(5, 15), (2, 5)],
    ("B2", "V1", "F"): [(5, 1), (2, 3)],
    ("B1", "U1", "M"): [(4, 15), (2, 5)],
    ("B1", "U2", "M"): [(4, 15), (2, 5)],
    ("B2", "V1", "M"): [(4, 15), (1, 5)],
    ("B1", "U1", "X"): [(4, 6), (2, 6)],
}
VENDOR = [  # gender, branch, n, % favourable, suppressed at source (an empty n and %)
    ("", "", 116, 71.55, False),
    ("F", "", 44, 70.45, False),
    ("M", "", 60, 75.0, False),
    ("X", "", 12, 50.0, False),
    ("F", "B1", 40, 75.0, False),
    ("F", "B2", None, None, True),
    ("M", "B1", 40, 75.0, False),
    ("M", "B2", 20, 75.0, False),
]
REPORTS = {
    (2024, "intimidatie", "B1"): 9,
    (2024, "intimidatie", "B2"): 1,
    (2024, "fraude", "B1"): 6,
    (2024, "fraude", "B2"): 8,
    (2024, "discriminatie", "B1"): 7,
    (2024, "discriminatie", "B2"): 30,
    (2025, "intimidatie", "B1"): 12,
    (2025, "intimidatie", "B2"): 11,
    (2025, "fraude", "B1"): 10,
    (2025, "fraude", "B2"): 9,
}


def persons() -> list[tuple[str, str, str, str, str, tuple[str, ...]]]:
    """(id, gender, unit, branch, rank group, dates present) for every person."""
    out = []
    for unit, (branch, women, men, x, hired_w, hired_m) in UNITS.items():
        for gender, n, moved in (("F", women, hired_w), ("M", men, hired_m), ("X", x, 0)):
            for i in range(n):
                rank = "officieren" if i < 10 and gender != "X" else "manschappen"
                dates = (D0,) if i >= n - moved else (D0, D1)
                out.append((f"{unit}-{gender}{i}", gender, unit, branch, rank, dates))
            for i in range(moved):
                out.append((f"{unit}-{gender}new{i}", gender, unit, branch, "manschappen", (D1,)))
    return out


def write(folder: Path) -> dict[str, Path]:
    """The import files (workforce, items, survey, reports, survey-results), by import kind."""
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for pid, gender, unit, branch, rank, dates in persons():
        lines += [f"{d},{pid},{gender},{unit},{branch},{rank},military" for d in dates]
    survey = ["wave,respondent_id,gender,org_unit,branch,q1"]
    for (branch, unit, gender), answers in RESPONDENTS.items():
        for answer, n in answers:
            for _ in range(n):
                survey.append(f"2024,R{len(survey)},{gender},{unit},{branch},{answer}")
    vendor = ["wave,measure,n,pct_favourable,gender,branch"]
    for gender, branch, n, pct, _ in VENDOR:
        cells = ("" if n is None else n, "" if pct is None else pct, gender, branch)
        vendor.append("2024,belonging," + ",".join(str(c) for c in cells))
    files = {
        "workforce": lines,
        "items": [
            "item,construct,text_nl,text_en,scale_min,scale_max,favourable_min,reverse",
            "q1,inclusion,Ik hoor erbij,I belong,1,5,4,false",
        ],
        "survey": survey,
        "reports": ["year,category,count,branch"] + [f"{y},{c},{n},{b}" for (y, c, b), n in REPORTS.items()],
        "survey-results": vendor,
    }
    paths = {}
    for kind, rows in files.items():
        paths[kind] = folder / f"{kind}.csv"
        paths[kind].write_text("\n".join(rows) + "\n", encoding="utf-8")
    return paths


@contextlib.contextmanager
def imported(folder: Path) -> Iterator:
    """A DuckDB file in `folder` holding the organisation, imported as an administrator would."""
    from di_metrics.storage.database import open_database
    from di_metrics.storage.ingest import import_file

    engine = open_database(f"duckdb:///{folder / 'release.duckdb'}")
    try:
        for kind, path in write(folder).items():
            import_file(engine, kind, path)
        yield engine
    finally:
        engine.dispose()
