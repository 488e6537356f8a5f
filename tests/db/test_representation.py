"""The representation output: per unit, the women's share beside women's and men's scores, shown only where
both sides may be shown (a hand-worked survey beside hand-made units)."""

from __future__ import annotations

import pytest

from di_metrics.cli.main import main
from di_metrics.queries.filters import Filters
from di_metrics.queries.representation import NO_MATCH, NO_SCORES, representation
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file
from tests.support.survey import CODEBOOK

# Wave 2025, q1 (favourable from 4), per unit and gender: (answering favourably, not). Every group has at least 3 on
# each side, so its % favourable is shown (docs/privacy.md: a % favourable with fewer would pin a hidden count).
ANSWERS = {("U1", "F"): (6, 4), ("U1", "M"): (7, 3), ("U2", "F"): (3, 7), ("U2", "M"): (12, 3), ("U3", "M"): (3, 3)}


def responses() -> str:
    lines = ["wave,respondent_id,gender,org_unit,branch,weight,q1,q2,q3"]
    for (unit, gender), (yes, no) in ANSWERS.items():
        lines += [f"2025,R{len(lines) + i},{gender},{unit},B1,,{5 if i < yes else 2},," for i in range(yes + no)]
    return "\n".join(lines) + "\n"


def _units(path, units: dict[str, tuple[int, int]]) -> str:
    """Person-level snapshots of branch B1 on the survey wave's date: per unit (women, men)."""
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    n = 0
    for unit, (women, men) in units.items():
        for gender, count in (("F", women), ("M", men)):
            for _ in range(count):
                n += 1
                lines.append(f"2025-06-30,P{n},{gender},{unit},B1,manschappen,military")
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.fixture
def surveyed(db_url, tmp_path, monkeypatch):
    """With the survey's minimum group at its floor of 5, every unit's women and men of wave 2025 are shown."""
    monkeypatch.setenv("KOERS_MIN_SURVEY_CELL", "5")
    (tmp_path / "items.csv").write_text(CODEBOOK)
    (tmp_path / "answers.csv").write_text(responses())
    assert main(["import", "items", str(tmp_path / "items.csv"), "--db", db_url]) == 0
    assert main(["import", "survey", str(tmp_path / "answers.csv"), "--db", db_url]) == 0
    eng = store.make_engine(db_url)
    yield eng, tmp_path
    eng.dispose()


def _shown(eng, selection: Filters | None = None):
    with store.connect(eng) as conn:
        return representation(conn, selection or Filters(), "q1", "org_unit", None)


def test_a_unit_appears_with_its_share_and_both_scores(surveyed):
    eng, tmp = surveyed
    import_file(eng, "workforce", _units(tmp / "w.csv", {"U1": (40, 60), "U2": (30, 20), "U3": (25, 25)}))
    found = _shown(eng)
    assert found.wave == 2025 and found.missing is None
    rows = found.frame.set_index("group")
    # q1 (I belong): U1's women 6 of 10 favourable, its men 7 of 10; U2's women 3 of 10, its men 12 of 15.
    # U3 has no women in the survey: it has no pair to show.
    assert rows.loc["U1"].tolist() == pytest.approx([0.4, 60.0, 70.0])
    assert rows.loc["U2"].tolist() == pytest.approx([0.6, 30.0, 80.0])
    assert sorted(rows.index) == ["U1", "U2"]


def test_a_unit_whose_share_is_withheld_is_left_out(surveyed):
    """U2 has 2 women in its workforce: its share is withheld, and so is U1's beside it in the one branch (or
    U2's would follow from the branch): nothing may be set side by side."""
    eng, tmp = surveyed
    import_file(eng, "workforce", _units(tmp / "w.csv", {"U1": (40, 60), "U2": (2, 30)}))
    found = _shown(eng)
    assert found.missing == NO_MATCH and found.frame.empty


def test_a_selection_nobody_answered_in_says_so(surveyed):
    eng, tmp = surveyed
    import_file(eng, "workforce", _units(tmp / "w.csv", {"U1": (40, 60)}))
    assert _shown(eng, Filters.of({"branch": ["B9"]})).missing == NO_SCORES
