"""A hand-made organisation whose every hidden group has two equally small candidate complements, for the
determinism test (tests/db/test_gate_determinism.py): which one the gate hides must not depend on the order
the database returns rows in. `write(folder, seed)` writes the same rows in an order the seed picks.

Branch B1 (units SMALL, ua, Ub, Big) and B2 (unit V1); snapshots 2022-12-31 (D0) and 2023-12-31 (D1).
- Stocks: SMALL 2 women, 10 men (its women hidden); ua and Ub 20 women, 30 men each (a tie for the complement);
  Big 60 and 60; V1 40 and 40. X: ua 2 (left out), Ub 6 and Big 6 (a tie for which X goes with ua's 2).
- 2023 hires = exits: SMALL 1 woman (hidden); ua and Ub 6 women and 6 men each (a tie); Big 8, 8; V1 7, 7.
- Survey wave 2024, q1: SMALL 4 respondents (hidden), ua and Ub 12 each (a tie), Big 30; V1 20.
- Formal reports 2024: B1 intimidatie 2 (hidden), Fraude 8, discriminatie 8 (a tie); B2 12, 9, 9.
  "Fraude" sorts before "discriminatie" byte by byte and after it in a language's collation.
- A vendor table (belonging 2024) by unit: SMALL 4, ua 12, Ub 12, Big 30.
Unit codes differ in case the same way: "Ub" < "ua" byte by byte, "ua" < "Ub" in English.
"""

from __future__ import annotations

import random
from pathlib import Path

D0, D1 = "2022-12-31", "2023-12-31"
TIED = ("ua", "Ub")
# unit: (branch, women, men, X, women hired = left, men hired = left)
UNITS = {
    "SMALL": ("B1", 2, 10, 0, 1, 0),
    "ua": ("B1", 20, 30, 2, 6, 6),
    "Ub": ("B1", 20, 30, 6, 6, 6),
    "Big": ("B1", 60, 60, 6, 8, 8),
    "V1": ("B2", 40, 40, 0, 7, 7),
}
RESPONDENTS = {"SMALL": 4, "ua": 12, "Ub": 12, "Big": 30, "V1": 20}
REPORTS = {
    ("intimidatie", "B1"): 2,
    ("Fraude", "B1"): 8,
    ("discriminatie", "B1"): 8,
    ("intimidatie", "B2"): 12,
    ("Fraude", "B2"): 9,
    ("discriminatie", "B2"): 9,
}


def _workforce() -> list[str]:
    rows = []
    for unit, (branch, women, men, x, hired_w, hired_m) in UNITS.items():
        for gender, n, moved in (("F", women, hired_w), ("M", men, hired_m), ("X", x, 0)):
            for i in range(n):
                rank = "officieren" if i < 5 and gender != "X" else "manschappen"
                dates = (D0,) if i >= n - moved else (D0, D1)
                rows += [f"{d},{unit}-{gender}{i},{gender},{unit},{branch},{rank},military" for d in dates]
            rows += [f"{D1},{unit}-{gender}new{i},{gender},{unit},{branch},manschappen,military" for i in range(moved)]
    return rows


def _survey() -> list[str]:
    rows = []
    for unit, n in RESPONDENTS.items():
        branch = UNITS[unit][0]
        for i in range(n):
            gender, answer = ("F", 5) if i % 2 else ("M", 2 + i % 3)
            rows.append(f"2024,R-{unit}-{i},{gender},{unit},{branch},{answer}")
    return rows


def write(folder: Path, seed: int | None) -> dict[str, Path]:
    """The import files by kind; the data rows shuffled by `seed` (None: as listed)."""
    shuffle = random.Random(seed).shuffle if seed is not None else (lambda rows: None)
    vendor = ["2024,belonging,58,60,,"] + [
        f"2024,belonging,{n},60,{unit},{UNITS[unit][0]}" for unit, n in RESPONDENTS.items() if unit != "V1"
    ]
    files = {
        "workforce": ("snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category", _workforce()),
        "items": (
            "item,construct,text_nl,text_en,scale_min,scale_max,favourable_min,reverse",
            ["q1,inclusion,Ik hoor erbij,I belong,1,5,4,false"],
        ),
        "survey": ("wave,respondent_id,gender,org_unit,branch,q1", _survey()),
        "reports": ("year,category,count,branch", [f"2024,{c},{n},{b}" for (c, b), n in REPORTS.items()]),
        "survey-results": ("wave,measure,n,pct_favourable,org_unit,branch", vendor),
    }
    paths = {}
    for kind, (header, rows) in files.items():
        rows = list(rows)
        shuffle(rows)
        paths[kind] = folder / f"{kind}.csv"
        paths[kind].write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return paths
