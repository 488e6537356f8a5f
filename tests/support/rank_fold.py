"""The hand-made organisation of the rank fold: one military ladder, two branches (one unit each), the same
persons on two year-ends (2023-12-31, 2024-12-31), except that one man of the B1 manschappen leaves in 2024 and
another is hired in his place (so the counts per date stay as below, and the attacker has flows to read).

Women / men per rank (lowest first), k = 5:
- B1 (unit U1): manschappen 30/60, onderofficieren 20/50, officieren 15/40, hoofdofficieren 8/30,
  opperofficieren 2/10. Two women flag officers hide the top; its complement is the next smallest group, the
  senior officers (8 women). Folded: senior + flag officers 10/40, and 10 >= 5, so the fold stops there.
- B2 (unit U2): manschappen 40/40, onderofficieren 20/30, officieren 12/20, hoofdofficieren 2/10,
  opperofficieren 2/5. Both top groups are hidden on their own; together they have 4 women, still under 5,
  so the fold takes the officers too: officers + senior + flag officers 16/35.
- Everyone: hoofdofficieren 10/40, opperofficieren 4/15: the top (4 women) is hidden with the senior officers
  as its complement, folded 14/55.
"""

from __future__ import annotations

from pathlib import Path

DATES = ("2023-12-31", "2024-12-31")
RANKS = ("manschappen", "onderofficieren", "officieren", "hoofdofficieren", "opperofficieren")
# branch: (unit, [(women, men) per rank, lowest first])
BRANCHES = {
    "B1": ("U1", [(30, 60), (20, 50), (15, 40), (8, 30), (2, 10)]),
    "B2": ("U2", [(40, 40), (20, 30), (12, 20), (2, 10), (2, 5)]),
}


def write_csv(path: Path) -> Path:
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for branch, (unit, counts) in BRANCHES.items():
        for rank, (women, men) in zip(RANKS, counts, strict=True):
            people = [("F", i) for i in range(women)] + [("M", i) for i in range(men)]
            for day in DATES:
                lines += [f"{day},{branch}-{rank}-{g}{i},{g},{unit},{branch},{rank},military" for g, i in people]
    left = next(i for i, line in enumerate(lines) if line.startswith(f"{DATES[1]},B1-manschappen-M0,"))
    lines[left] = lines[left].replace("-M0,", "-Mnew,")  # M0 leaves after 2023, Mnew is hired in 2024
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
