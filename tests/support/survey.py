"""A hand-worked survey: a codebook of three items and the answers of two waves, whose figures the survey tests
work out by hand; and hand-made one-item surveys, each test giving only its own groups."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import Engine

from di_metrics.cli.main import main
from di_metrics.storage import store

CODEBOOK = """item,construct,text_nl,text_en,scale_min,scale_max,favourable_min,reverse
q1,inclusion,Ik hoor erbij,I belong,1,5,4,false
q2,inclusion,Ik word buitengesloten,I am left out,1,5,4,true
q3,reporting_willingness,Ik meld ongewenst gedrag,I report unwanted behaviour,1,5,4,false
"""


def responses() -> str:
    """Wave 2025: 20 women, 30 men and 3 X respondents in three units; wave 2023 weighted women only.

    Women: q1 favourable (5) for 12 of 20; q2 (reversed) favourable (1) for 10; q3 favourable for 4.
    Men:   q1 favourable (4) for 24 of 30; q2 favourable (2) for 15; q3 favourable for 27.
    Units: women 0-9 and men 0-9 in U1 (20), women 10-19 and men 10-24 in U2 (25), men 25-29 in U3 (5)
    with the X respondents (who are left out of every figure), so U3 has 5 reportable respondents.
    """
    lines = ["wave,respondent_id,gender,org_unit,branch,weight,q1,q2,q3"]
    for i in range(20):
        unit = "U1" if i < 10 else "U2"
        lines.append(f"2025,F{i},F,{unit},B1,,{5 if i < 12 else 2},{1 if i < 10 else 4},{5 if i < 4 else 2}")
    for j in range(30):
        unit = "U1" if j < 10 else ("U2" if j < 25 else "U3")
        lines.append(f"2025,M{j},M,{unit},B1,,{4 if j < 24 else 3},{2 if j < 15 else 5},{4 if j < 27 else 1}")
    for x in range(3):
        lines.append(f"2025,X{x},X,U3,B1,,1,5,1")
    for i in range(20):  # 2023: women only, weight 2 for the first ten
        lines.append(f"2023,W{i},F,U1,B1,{2.0 if i < 10 else 1.0},{5 if i < 12 else 2},,")
    return "\n".join(lines) + "\n"


def imported(db_url: str, folder: Path, codebook: str, lines: list[str]) -> Engine:
    """A database holding the codebook and the survey's answer lines, imported as a user would (the CLI)."""
    (folder / "items.csv").write_text(codebook)
    (folder / "s.csv").write_text("\n".join(lines) + "\n")
    assert main(["import", "items", str(folder / "items.csv"), "--db", db_url]) == 0
    assert main(["import", "survey", str(folder / "s.csv"), "--db", db_url]) == 0
    return store.make_engine(db_url)


# One inclusion item, as a hand-made survey's codebook.
ONE_ITEM = "item,construct,text_nl,text_en,scale_min,scale_max,favourable_min,reverse\n"
ONE_ITEM += "q1,inclusion,Ik hoor erbij,I belong,1,5,4,false\n"


@contextlib.contextmanager
def halves(db_url: str, folder: Path, columns: tuple[str, ...], groups: dict, **same: str) -> Iterator[Engine]:
    """A one-item survey of wave 2025 imported as a user would: each group (its values of `columns`, with `same`
    for every respondent) of n respondents, half answering q1 5 and half 2 (the first 2: a group of one answers
    2), so the tests work its figures out from the group sizes alone."""
    lines = [",".join(("wave", "respondent_id", *columns, *same, "q1"))]
    for values, n in groups.items():
        for i in range(n):
            lines.append(",".join(("2025", f"R{len(lines)}", *values, *same.values(), "5" if i % 2 else "2")))
    eng = imported(db_url, folder, ONE_ITEM, lines)
    try:
        yield eng
    finally:
        eng.dispose()
