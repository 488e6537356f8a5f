"""A small person-level workforce whose every figure is worked out by hand in the tests.

Snapshots 2023-12-31 (d1), 2024-06-30 (d2), 2024-12-31 (d3). P4 and P5 are civilian, the rest military.
- d1: women P1-P3; men P4-P10, P14                          -> 3 F, 8 M, 0 X (11)
- d2: P10 and P14 leave; P11 (F) joins                      -> 4 F, 6 M, 0 X (10)
- d3: P3 leaves; P12 (X) and P13 (M) join; P14 returns;     -> 3 F, 8 M, 1 X (12)
      P9 moves from unit U1 to unit U2
"""

from __future__ import annotations

from pathlib import Path

D1, D2, D3 = "2023-12-31", "2024-06-30", "2024-12-31"
GENDER = {"P1": "F", "P2": "F", "P3": "F", "P11": "F", "P12": "X"}
CIVILIAN = {"P4", "P5"}
PRESENT = {
    D1: ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10", "P14"],
    D2: ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P11"],
    D3: ["P1", "P2", "P4", "P5", "P6", "P7", "P8", "P9", "P11", "P12", "P13", "P14"],
}
IN_U2 = {D3: {"P9", "P12", "P13"}}


def rows() -> list[dict[str, str]]:
    out = []
    for day, people in PRESENT.items():
        for pid in people:
            out.append(
                {
                    "snapshot_date": day,
                    "person_id": pid,
                    "gender": GENDER.get(pid, "M"),
                    "org_unit": "U2" if pid in IN_U2.get(day, set()) else "U1",
                    "branch": "B1",
                    "personnel_category": "civilian" if pid in CIVILIAN else "military",
                    "rank_group": "officieren" if pid in ("P1", "P6") else "manschappen",
                }
            )
    return out


def write_csv(path: Path, sep: str = ",") -> Path:
    data = rows()
    header = list(data[0])
    lines = [sep.join(header)] + [sep.join(r[c] for c in header) for r in data]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
