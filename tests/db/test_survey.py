"""Survey results against hand-computed values, the Wilson formula written out here, and the privacy rules."""

from __future__ import annotations

import json
import math

import pytest

from di_metrics.cli.main import main
from di_metrics.queries.filters import Filters
from di_metrics.queries.survey import survey_table
from di_metrics.storage import store
from tests.support.survey import CODEBOOK, responses


def wilson(p, n, z=1.959963984540054):
    """Wilson (1927): (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * (centre - spread) / (1 + z * z / n), 100 * (centre + spread) / (1 + z * z / n)


@pytest.fixture
def surveyed(db_url, tmp_path):
    (tmp_path / "items.csv").write_text(CODEBOOK)
    (tmp_path / "answers.csv").write_text(responses())
    assert main(["import", "items", str(tmp_path / "items.csv"), "--db", db_url]) == 0
    assert main(["import", "survey", str(tmp_path / "answers.csv"), "--db", db_url]) == 0
    eng = store.make_engine(db_url)
    yield eng
    eng.dispose()


def _rows(engine, measure, by, **kw):
    with store.connect(engine) as conn:
        table = survey_table(conn, Filters(), measure, by, **kw)
    return {(int(r.wave), r.group): r for r in table.itertuples()}


def test_favourable_percentages_and_wilson_intervals(surveyed):
    rows = _rows(surveyed, "inclusion", "gender")
    women, men = rows[2025, "F"], rows[2025, "M"]
    assert (women.n, women.pct_favourable) == (20, pytest.approx((60 + 50) / 2))  # q1 12/20, q2 10/20
    assert (men.n, men.pct_favourable) == (30, pytest.approx((80 + 50) / 2))  # q1 24/30, q2 15/30
    assert (women.ci_low, women.ci_high) == pytest.approx(wilson(0.55, 20))
    assert (2025, "X") not in rows  # X respondents are left out of every figure
    item = _rows(surveyed, "q1", None)[2025, "all"]
    assert (item.n, item.pct_favourable) == (50, pytest.approx(72.0))  # 36 of the 50 women and men
    assert item.mean == pytest.approx((12 * 5 + 8 * 2 + 24 * 4 + 6 * 3) / 50)


def test_weighted_results_use_kish_effective_size(surveyed):
    women = _rows(surveyed, "q1", "gender")[2023, "F"]
    assert women.pct_favourable == pytest.approx(100 * (10 * 2 + 2 * 1) / 30)  # weights 2 (10x) and 1 (10x)
    assert women.n_eff == pytest.approx(30**2 / (10 * 4 + 10 * 1))  # 18
    assert (women.ci_low, women.ci_high) == pytest.approx(wilson(22 / 30, 18))


def test_significance_against_the_rest_and_a_named_reference(surveyed):
    rows = _rows(surveyed, "q3", "gender")
    women, men = rows[2025, "F"], rows[2025, "M"]
    p1, p2 = 4 / 20, 27 / 30
    pooled = (4 + 27) / 50
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / 20 + 1 / 30))
    assert women.z_reference == pytest.approx(z) and women.differs_from_reference
    assert men.differs_from_reference
    incl = _rows(surveyed, "inclusion", "gender", reference="M")[2025, "F"]
    assert not incl.differs_from_reference  # 55% on 20 against 65% on 30: z is about -0.7


def test_small_groups_are_hidden_with_a_sibling(surveyed):
    units = _rows(surveyed, "inclusion", "org_unit")
    assert units[2025, "U3"].suppressed and math.isnan(units[2025, "U3"].pct_favourable)
    assert units[2025, "U1"].suppressed  # the next smallest, or U3 would be total minus U1 and U2
    assert not units[2025, "U2"].suppressed and units[2025, "U2"].n == 25


def test_a_filter_that_isolates_a_hidden_group_is_hidden(surveyed):
    with store.connect(surveyed) as conn:
        for units in (["U3"], ["U1"], ["U2", "U3"], ["U1", "U2"]):
            table = survey_table(conn, Filters.of({"org_unit": units}), "inclusion", None)
            assert table[table["wave"] == 2025]["suppressed"].all(), units


def test_answers_off_the_scale_are_refused(db_url, tmp_path, capsys):
    (tmp_path / "items.csv").write_text(CODEBOOK)
    assert main(["import", "items", str(tmp_path / "items.csv"), "--db", db_url]) == 0
    (tmp_path / "bad.csv").write_text("wave,respondent_id,q1,q2\n2025,R1,4,2\n2025,R2,7,2\n2025,R3,3,0\n")
    assert main(["import", "survey", str(tmp_path / "bad.csv"), "--db", db_url]) == 2
    err = capsys.readouterr().err
    assert "'q1'" in err and "off the item's scale 1-5" in err and "line 3" in err and "'q2'" in err
    (tmp_path / "unknown.csv").write_text("wave,respondent_id,q9\n2025,R1,4\n")
    assert main(["import", "survey", str(tmp_path / "unknown.csv"), "--db", db_url]) == 2
    assert "'q9'" in capsys.readouterr().err


def test_cli_survey_document(surveyed, capsys):
    url = surveyed.url.render_as_string(hide_password=False)
    assert main(["survey", "--db", url, "--json", "--measure", "inclusion", "--by", "org_unit", "--wave", "2025"]) == 0
    rows = {r["group"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows["U3"] == {
        "wave": 2025,
        "group": "U3",
        "measure": "inclusion",
        "n": None,
        "pct_favourable": None,
        "ci_low": None,
        "ci_high": None,
        "suppressed": True,
        "differs_from_reference": False,
    }
    assert rows["U2"]["n"] == 25


def test_attacker_cannot_recover_a_hidden_group_from_any_shown_figures(surveyed):
    """Every figure shown for item q1 in 2025 (each unit filter, the total, the unit breakdowns) is an equation
    over the units' respondents and favourable answers; no hidden unit's values may lie in their span."""
    import itertools

    import numpy as np

    units = ["U1", "U2", "U3"]
    var = {(u, kind): i for i, (u, kind) in enumerate(itertools.product(units, ("n", "fav")))}
    equations = []

    def shown(members, row):
        if row.suppressed:
            return
        for kind in ("n", "fav"):  # n and n x % favourable are both known once a row is shown
            vec = np.zeros(len(var))
            for u in members:
                vec[var[u, kind]] = 1
            equations.append(vec)

    with store.connect(surveyed) as conn:
        populations = [list(c) for r in range(1, 4) for c in itertools.combinations(units, r)]
        for members in [*populations, None]:
            filters = Filters.of({"org_unit": members}) if members else Filters()
            total = survey_table(conn, filters, "q1", None)
            shown(members or units, total[total["wave"] == 2025].iloc[0])
            for row in survey_table(conn, filters, "q1", "org_unit").itertuples():
                if row.wave == 2025:
                    shown([row.group], row)
    a = np.array(equations)
    for unit in ("U1", "U3"):  # U3 has 5 reportable respondents; U1 is hidden with it
        for kind in ("n", "fav"):
            target = np.zeros(len(var))
            target[var[unit, kind]] = 1
            assert np.linalg.matrix_rank(np.vstack([a, target])) > np.linalg.matrix_rank(a), (unit, kind)


def test_no_marker_is_computed_against_a_hidden_group(surveyed):
    """U3 has 5 reportable respondents (hidden): as the named reference it marks nothing, and no z is shown.
    Against it U1 (100% favourable on q1) would differ from U3 (0%)."""
    with store.connect(surveyed) as conn:
        table = survey_table(conn, Filters(), "q1", "org_unit", reference="U3")
    assert table.set_index("group").loc["U3", "suppressed"]
    assert not table["differs_from_reference"].any()
    assert table["z_reference"].isna().all()


@pytest.mark.parametrize("weight", ["-1", "0", "inf"])
def test_survey_weights_must_be_finite_and_above_zero(db_url, tmp_path, capsys, weight):
    (tmp_path / "items.csv").write_text(CODEBOOK)
    (tmp_path / "answers.csv").write_text(f"wave,respondent_id,gender,weight,q1\n2025,R1,F,{weight},5\n2025,R2,M,1,4\n")
    assert main(["import", "items", str(tmp_path / "items.csv"), "--db", db_url]) == 0
    assert main(["import", "survey", str(tmp_path / "answers.csv"), "--db", db_url]) == 2
    assert "a weight must be a finite number above 0" in capsys.readouterr().err
