"""A small person-level workforce for the career views, every figure of which is worked out by hand in the tests.

Yearly snapshots on 31 December 2018 (position 1) to 2024 (position 7).
Branch B1, civilian "schaal 1-6" (retention and intake):
- cohort A: 10 women first seen 2019 (position 2). A1 and A2 are gone in 2020 (exit after 1 year), A3 in 2022
  (after 3 years); A4 is gone in 2023 (after 4 years) and back in 2024 (a second spell, censored at 0 years);
  A5-A10 stay to 2024 (censored at 5 years).
- cohort B: 4 women first seen 2021; B1 is gone in 2022 (after 1 year), B2-B4 stay (censored at 3 years).
- cohort C: 12 men first seen 2019; C1 is gone in 2020, C2-C12 stay (censored at 5 years).
Branch B1, military, present from 2018 (stock, no hires) in "manschappen": 20 women W1-W20, 20 men M1-M20.
- promoted to "onderofficieren" in 2019: W1-W5 and M1-M10; in 2020: W6-W10 and M11-M15.
Branch B2, military "manschappen", first seen 2019 (time in rank):
- 10 women E1-E10: E1, E2 gone in 2020 (left after 1 year); E3-E7 promoted in 2022 (after 3 years); E8-E10 stay.
- 10 men D1-D10: D1, D2 gone in 2020; D3-D7 promoted in 2021 (after 2 years); D8-D10 stay.
"""

from __future__ import annotations

from pathlib import Path

YEARS = list(range(2018, 2025))
DATES = [f"{y}-12-31" for y in YEARS]


def _person(pid: str, gender: str, branch: str, category: str, ranks: dict[int, str]) -> list[dict[str, str]]:
    """Rows for the years in `ranks` (year -> rank group)."""
    return [
        {
            "snapshot_date": f"{year}-12-31",
            "person_id": pid,
            "gender": gender,
            "org_unit": f"U{branch}",
            "branch": branch,
            "personnel_category": category,
            "rank_group": rank,
            "birth_year": "1990",
            "hire_date": f"{min(ranks)}-06-30",
        }
        for year, rank in sorted(ranks.items())
    ]


def _span(first: int, last: int, rank: str, up: int | None = None, to: str = "onderofficieren") -> dict[int, str]:
    return {y: (to if up is not None and y >= up else rank) for y in range(first, last + 1)}


def rows() -> list[dict[str, str]]:
    civ, mil, s16, man = "civilian", "military", "schaal 1-6", "manschappen"
    out = []
    cohort_a = {1: (2019, 2019), 2: (2019, 2019), 3: (2019, 2021), 4: (2019, 2022)}
    for n in range(1, 11):
        first, last = cohort_a.get(n, (2019, 2024))
        out += _person(f"A{n}", "F", "B1", civ, _span(first, last, s16))
    out += [r for r in _person("A4", "F", "B1", civ, {2024: s16}) if r["snapshot_date"] == "2024-12-31"]
    for n in range(1, 5):
        out += _person(f"B{n}", "F", "B1", civ, _span(2021, 2021 if n == 1 else 2024, s16))
    for n in range(1, 13):
        out += _person(f"C{n}", "M", "B1", civ, _span(2019, 2019 if n == 1 else 2024, s16))
    for n in range(1, 21):
        up = 2019 if n <= 5 else 2020 if n <= 10 else None
        out += _person(f"W{n}", "F", "B1", mil, _span(2018, 2024, man, up))
        up = 2019 if n <= 10 else 2020 if n <= 15 else None
        out += _person(f"M{n}", "M", "B1", mil, _span(2018, 2024, man, up))
    for n in range(1, 11):
        last = 2019 if n <= 2 else 2024
        out += _person(f"E{n}", "F", "B2", mil, _span(2019, last, man, 2022 if 3 <= n <= 7 else None))
        out += _person(f"D{n}", "M", "B2", mil, _span(2019, last, man, 2021 if 3 <= n <= 7 else None))
    return out


def write_csv(path: Path) -> Path:
    data = rows()
    header = list(data[0])
    lines = [",".join(header)] + [",".join(r[c] for c in header) for r in data]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
