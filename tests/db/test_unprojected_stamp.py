"""The briefing's stamp where nothing is projected says why from a claim whose checker reads the gate: 'hidden' only
of a selection the disclosure rules hide on the data date, on the hand-made workforce (tests/support/handmade.py),
on DuckDB and PostgreSQL alike. Worked out by hand: on 2024-12-31 unit U2 holds P9 (M), P12 (X) and P13 (M), 3
persons, under the minimum of 5, so its figures are hidden. Added here: unit U3 holds six men on 2023-12-31 only,
all gone by 2024-06-30, so on the data date it holds nobody and nothing of it is hidden (there is simply nobody to
project)."""

from __future__ import annotations

import dataclasses

import pytest

from di_metrics.analysis.claims import claims_for
from di_metrics.models.claims import holds
from di_metrics.present.briefing import build_briefing
from di_metrics.present.claims import render
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file
from tests.support.handmade import D1, rows

HIDDEN = Filters.of({"org_unit": ["U2"]})
NOBODY = Filters.of({"org_unit": ["U3"]})
GONE = [{**rows()[0], "person_id": f"Q{i}", "gender": "M", "org_unit": "U3", "snapshot_date": D1} for i in range(6)]

# What the stamp says in place of a scenario, written out here.
SAID_HIDDEN = {
    "en": "no scenario: this selection's figures are hidden",
    "nl": "geen scenario: de cijfers van deze selectie zijn afgeschermd",
}
SAID_NO_RATES = {
    "en": "no scenario: there are no rates to project with",
    "nl": "geen scenario: er zijn geen ratio's om mee te projecteren",
}


@pytest.fixture
def handmade(engine, tmp_path):
    data = [*rows(), *GONE]
    lines = [",".join(data[0]), *(",".join(r.values()) for r in data)]
    (tmp_path / "workforce.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(engine, "workforce", tmp_path / "workforce.csv")
    return engine


def _stamp_claims(engine, filters: Filters) -> list:
    with store.connect(engine) as conn:
        return [c for c in claims_for(conn, filters) if c.kind == "selection_hidden"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_stamp_of_a_hidden_selection_is_its_claim_and_the_claim_holds(handmade, lang):
    """Red before: the stamp wrote 'hidden' from the refusal's reason, no claim behind it."""
    with store.connect(handmade) as conn:
        stamp = build_briefing(conn, HIDDEN, lang, {}).stamp
    claims = _stamp_claims(handmade, HIDDEN)
    assert sorted(c.surface for c in claims) == ["deck", "page", "report"]
    assert all(holds(c) and c.params == {"date": "2024-12-31", "hidden": True} for c in claims)
    assert render(claims[0], lang) == SAID_HIDDEN[lang] and f" · {SAID_HIDDEN[lang]} · " in stamp
    assert not holds(dataclasses.replace(claims[0], params={"date": "2024-12-31", "hidden": False}))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_selection_of_nobody_is_not_said_hidden(handmade, lang):
    """Nobody to hide: the gate hides nothing, so the stamp does not say the figures are hidden (red before: the
    refusal 'no shown figures at the start' read as hidden)."""
    with store.connect(handmade) as conn:
        stamp = build_briefing(conn, NOBODY, lang, {}).stamp
    assert SAID_HIDDEN[lang] not in stamp and f" · {SAID_NO_RATES[lang]} · " in stamp
    (claim, *_) = _stamp_claims(handmade, NOBODY)
    assert holds(claim) and claim.params["hidden"] is False
    assert not holds(dataclasses.replace(claim, params={"date": "2024-12-31", "hidden": True}))
