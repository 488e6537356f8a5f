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

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from di_metrics.analysis import disclosure
from di_metrics.analysis.career import intake
from di_metrics.queries.filters import Filters

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


def write_csv(path: Path, units: bool = False) -> Path:
    """The organisation described above as a workforce file; `units`: the second one, with units (below)."""
    data = unit_rows() if units else rows()
    header = list(data[0])
    lines = [",".join(header)] + [",".join(r[c] for c in header) for r in data]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- units inside the branches (the career attacker's unit selections) ------------------------------------------
# A second, separate organisation: snapshots 31 December 2021 to 2024 (flow years 2022-2024), military
# "manschappen". Branch B1 holds U1, U2, U3 and SMALL, branch B2 holds V1 and V2 (no unit is its whole branch).
# Every unit but SMALL starts with 20 women and 20 men, of whom 5 women and 5 men leave each year; SMALL starts
# with 6 and 6, of whom 1 and 1 leave each year. New hires into the organisation (women, men) stay to the end.
# The only move between units: 3 women of U2's stock move to U3 in 2024, so in 2022 and 2023 every unit's
# flows' hires are its intake (nobody moved in from the rest of the organisation). Every unit hires a woman and
# a man every year: the attacker's unknowns are the cells that hold someone, so a zero would be known to it.
UNIT_YEARS = [2021, 2022, 2023, 2024]
UNIT_BRANCH = {"U1": "B1", "U2": "B1", "U3": "B1", "SMALL": "B1", "V1": "B2", "V2": "B2"}
UNIT_HIRES = {
    "U1": {2022: (6, 7), 2023: (2, 8), 2024: (7, 6)},
    "U2": {2022: (8, 9), 2023: (6, 7), 2024: (9, 8)},
    "U3": {2022: (10, 11), 2023: (9, 10), 2024: (8, 12)},
    "SMALL": {2022: (1, 2), 2023: (1, 1), 2024: (2, 1)},
    "V1": {2022: (6, 6), 2023: (7, 5), 2024: (8, 9)},
    "V2": {2022: (9, 9), 2023: (5, 6), 2024: (2, 7)},
}
UNIT_MOVERS = 3  # women of U2's stock, in U3 from 2024


def _unit_person(pid: str, gender: str, units: dict[int, str]) -> list[dict[str, str]]:
    return [
        {
            "snapshot_date": f"{year}-12-31",
            "person_id": pid,
            "gender": gender,
            "org_unit": unit,
            "branch": UNIT_BRANCH[unit],
            "personnel_category": "military",
            "rank_group": "manschappen",
        }
        for year, unit in sorted(units.items())
    ]


def unit_rows() -> list[dict[str, str]]:
    """The organisation with units, as described above."""
    out = []
    for unit, hires in UNIT_HIRES.items():
        stock, leave = (6, 1) if unit == "SMALL" else (20, 5)
        for g in "FM":
            for i in range(stock):
                gone = 2022 + i // leave  # the first year not seen: 2022, 2023, 2024, or 2025 (stays)
                span = {y: unit for y in range(2021, min(gone, 2025))}
                if unit == "U2" and g == "F" and 3 * leave <= i < 3 * leave + UNIT_MOVERS:
                    span[2024] = "U3"
                out += _unit_person(f"{unit}-{g}s{i}", g, span)
            for year, counts in hires.items():
                for i in range(counts[0 if g == "F" else 1]):
                    out += _unit_person(f"{unit}-{g}h{year}-{i}", g, {y: unit for y in range(year, 2025)})
    return out


# --- the career attackers' reading of intake (tests/db/test_career_attack.py, test_career_units_attack.py) ------


def hired(figures: disclosure.Figures, f: Filters) -> np.ndarray:
    """The cells of f's hires: transition cells with no from side (a return too), into a unit of f."""
    cells = figures.cells
    mask = (cells["kind"] == "t").to_numpy() & cells["f_org_unit"].isna().to_numpy()
    return mask & cells["org_unit"].notna().to_numpy() & disclosure.inside(cells, f)


def read_intake(
    conn, figures: disclosure.Figures, f: Filters, breakdowns: Iterable[str | None], years: Iterable[int]
) -> None:
    """f's intake, whole (None) and by each breakdown, in `years`: the women and the hires of a year (and part)
    as equations over the cells of its hires into that year's snapshot."""
    cells, base, shown_years = figures.cells, hired(figures, f), set(years)
    year = np.array([getattr(t, "year", 0) for t in cells["time"]])
    for by in breakdowns:
        for y in intake(conn, f, by=by).years:
            if y.year not in shown_years:
                continue
            mask = base & (year == y.year) & ((cells[by] == y.group).to_numpy() if by else True)
            name = f"{disclosure.label(f)} intake{f' by {by}' if by else ''} {y.year} {y.group}"
            figures.add(mask & (cells["gender"] == "F").to_numpy(), y.women_hired, f"{name} women", y.suppressed)
            figures.add(mask & cells["gender"].isin(["F", "M"]).to_numpy(), y.hires, f"{name} hires", y.suppressed)
