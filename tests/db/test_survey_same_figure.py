"""Two survey rules of issue 25, worked by hand (docs/privacy.md, "Same respondents, same figure" and "% favourable
pins"):

1. The release attack's organisation (tests/support/release.py): U2 holds 20 women (15 answer 5, 5 answer 2) and
   20 men (15 answer 4, 5 answer 2), all in branch B1, so U2 alone by gender shows 20 women at 15/20 = 75% and 20
   men at 75%. `branch=B1 org_unit=U2` is the same 40 respondents, and the row B1 of `org_unit=U2|V1` by gender
   and branch is U2's women (V1 is in B2): the same figures, which were hidden there and shown alone.
2. The gate fixture (tests/support/gate.py): unit S3 has 12 women (answer 5), 30 men (answer 4) and 2 respondents
   of blank gender (answer 1): 42 of 44 favourable. Shown, that % holds each hidden group inside S3 to at most 2
   unfavourable answers (the blank-gender pair's answer 1 among them); so S3's % favourable is hidden. The whole
   (S1's 20 men answer 3, S2's 5 men answer 5) shows 69 at 47/69: 22 unfavourable.
"""

from __future__ import annotations

import pytest

from di_metrics.analysis import disclosure
from di_metrics.cli.main import main
from di_metrics.queries import privacy, survey_pins
from di_metrics.queries.filters import Filters
from di_metrics.queries.survey import survey_table
from di_metrics.storage import store
from tests.support import gate, release


def _imported(db_url, folder, files):
    for kind, path in files:
        assert main(["import", kind, str(path), "--db", db_url]) == 0
    return store.make_engine(db_url)


@pytest.fixture
def release_org(db_url, tmp_path):
    eng = _imported(db_url, tmp_path, release.write(tmp_path).items())
    yield eng
    eng.dispose()


@pytest.fixture
def gate_org(db_url, tmp_path):
    gate.write(tmp_path)
    eng = _imported(db_url, tmp_path, [(kind, tmp_path / name) for kind, name in gate.FILES])
    yield eng
    eng.dispose()


def _rows(engine, selection, by):
    with store.connect(engine) as conn:
        table = survey_table(conn, Filters.of(selection), "q1", by)
    return {r.group: (None if r.suppressed else (r.n, round(r.pct_favourable, 3))) for r in table.itertuples()}


def test_a_selection_holding_a_units_respondents_shows_what_the_unit_shows(release_org):
    assert _rows(release_org, {"org_unit": ["U2"]}, "gender") == {"F": (20, 75.0), "M": (20, 75.0)}
    assert _rows(release_org, {"branch": ["B1"], "org_unit": ["U2"]}, "gender") == {"F": (20, 75.0), "M": (20, 75.0)}
    two_way = _rows(release_org, {"org_unit": ["U2", "V1"]}, "gender+branch")
    assert (two_way["F | B1"], two_way["M | B1"]) == ((20, 75.0), (20, 75.0))
    assert two_way["F | B2"] is None  # V1's 4 women


def test_a_pct_favourable_with_fewer_than_3_unfavourable_is_hidden(gate_org):
    assert _rows(gate_org, {"org_unit": ["S3"]}, None) == {"all": None}
    assert _rows(gate_org, {}, None) == {"all": (69, round(100 * 47 / 69, 3))}


def test_without_the_favourable_pins_the_attacker_holds_s3s_answer_1_under_3(gate_org, monkeypatch):
    scope = disclosure.Scope(dates=(), years=(), waves=(2024,), item="q1", survey_by=(None,))
    chosen = {"survey": [Filters(), Filters.of({"org_unit": ["S3"]})]}
    secret = "org_unit=S3 answers by None 2024 all 1"

    def narrowed():
        with store.connect(gate_org) as conn:
            figures = disclosure.collect(conn, scope, chosen)
        return disclosure.narrow(figures, disclosure.intervals(figures))

    assert secret not in narrowed()
    pinned = survey_pins.favourable_pinned
    monkeypatch.setattr(survey_pins, "favourable_pinned", lambda counts: pinned(counts).assign(pinned=False))
    monkeypatch.setattr(privacy, "_DECISIONS", {})  # every view decided afresh with the rule off
    assert narrowed()[secret] == (0.0, pytest.approx(2.0))
