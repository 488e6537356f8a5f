"""What the enumerating attacker (di_metrics/analysis/disclosure.py) takes as unknown: where someone is and where
someone moved, never their gender. Read only where someone moved, the moves told the linear program each mover's
gender: on the 3,000-person demo a branch's one person of gender X who left was placed in their rank group because
no other X exit existed to hold them (docs/privacy.md, "What the attacker knows of the cells").

The organisation, by hand (branch B1, all military, snapshots D0 and D1): U1 holds 20 women and 20 men
manschappen and one officer of gender X, who leaves before D1; U2 holds 20 women and 20 men manschappen, and one of
its men is promoted to officer in U2. Nobody else moves."""

from __future__ import annotations

import datetime as dt

import pytest

from di_metrics.queries import cells
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_file

D0, D1 = "2024-12-31", "2025-12-31"


@pytest.fixture
def moves(tmp_path):
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for unit in ("U1", "U2"):
        for gender in "FM":
            for i in range(20):
                rank_then = "officieren" if (unit, gender, i) == ("U2", "M", 0) else "manschappen"
                lines.append(f"{D0},{unit}{gender}{i},{gender},{unit},B1,manschappen,military")
                lines.append(f"{D1},{unit}{gender}{i},{gender},{unit},B1,{rank_then},military")
    lines.append(f"{D0},U1X0,X,U1,B1,officieren,military")
    path = tmp_path / "workforce.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine = open_database(f"duckdb:///{tmp_path / 'moves.duckdb'}")
    import_file(engine, "workforce", path)
    with store.connect(engine) as conn:
        yield cells.move_cells(conn, (dt.date.fromisoformat(D0), dt.date.fromisoformat(D1)))
    engine.dispose()


def _place(frame, unit_from, rank_from, unit_to, rank_to):
    def side(col, value):
        return frame[col].isna() if value is None else frame[col] == value

    mask = side("f_org_unit", unit_from) & side("f_rank_group", rank_from)
    return frame[mask & side("org_unit", unit_to) & side("rank_group", rank_to)]


def test_the_x_exit_is_one_of_three_cells_of_its_place(moves):
    left = _place(moves, "U1", "officieren", None, None)
    assert sorted(left["f_gender"]) == ["F", "M", "X"]  # who left U1's officers: any gender, as far as known
    assert set(left["gender"]) == {""}  # an exit has no to side
    assert dict(zip(left["f_gender"], left["n"], strict=True)) == {"F": 0, "M": 0, "X": 1}


def test_a_promotion_is_a_cell_per_gender_that_keeps_its_gender(moves):
    promoted = _place(moves, "U2", "manschappen", "U2", "officieren")
    assert sorted(zip(promoted["f_gender"], promoted["gender"], strict=True)) == [("F", "F"), ("M", "M"), ("X", "X")]
    assert dict(zip(promoted["gender"], promoted["n"], strict=True)) == {"F": 0, "M": 1, "X": 0}


def test_only_places_someone_moved_are_cells(moves):
    assert len(moves) == 2 * 3  # the exit and the promotion, each for three genders; nobody hired
    assert moves["n"].sum() == 2
    assert moves["org_unit"].isna().sum() == 3 and moves["f_org_unit"].notna().all()


def test_a_gender_filled_in_is_kept_as_the_move_it_is(tmp_path):
    """A maintainer's review: a person whose blank gender is filled in is a transition from '' to F in the same
    place; completed as a move that keeps its gender, it read as '' -> '' and F -> F, which the stocks' equations
    (one blank fewer, one woman more) then contradict. By hand: U1 holds 10 women and 10 men and one person of
    blank gender on D0, who is a woman on D1."""
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for d in (D0, D1):
        lines += [f"{d},{g}{i},{g},U1,B1,manschappen,military" for g in "FM" for i in range(10)]
    lines += [f"{D0},P,,U1,B1,manschappen,military", f"{D1},P,F,U1,B1,manschappen,military"]
    path = tmp_path / "workforce.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine = open_database(f"duckdb:///{tmp_path / 'recoded.duckdb'}")
    import_file(engine, "workforce", path)
    with store.connect(engine) as conn:
        found = cells.move_cells(conn, (dt.date.fromisoformat(D0), dt.date.fromisoformat(D1)))
    engine.dispose()
    assert [(r.f_gender, r.gender, r.n) for r in found.itertuples()] == [("", "F", 1)]
