"""The projection's two notes on every surface that shows them are their claims' renderings (issue 26): the CLI's
`project` text and the What-if page (its caption, the allocation table's rates column and the rank chart's note),
in Dutch and English, on the demo organisation."""

from __future__ import annotations

import dataclasses

import pytest

from di_metrics.analysis.allocation import allocation_for
from di_metrics.analysis.calibration import NEEDED, calibrate
from di_metrics.analysis.claims_notes import fold_claim, rates_claim
from di_metrics.cli.main import main
from di_metrics.models.claims import holds
from di_metrics.present.claims import render
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import rank_folds
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.ingest import import_file
from tests.support import no_failure, rank_fold

# A branch whose civilian ladder folds its top scales (CLAS's civilian scales stay hidden even folded since the
# personnel category is an axis of the one workforce decision: its fold is None, nothing to say).
CZSK = Filters.of({"branch": ["CZSK"]})
B1 = Filters.of({"branch": ["B1"]})


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_cli_project_text_states_the_rates_and_fold_claims(demo_db, capsys, lang):
    with store.connect(open_database(demo_db)) as conn:
        rates = rates_claim(calibrate(conn, CZSK), "cli")
        # CZSK's military ranks fold; no branch's civilian scales do since the workforce decision ties a figure
        # whose change the moves give across dates (their top stays hidden even folded, so no fold is shown)
        fold = fold_claim(rank_folds(conn, CZSK)["military"], "cli")
    assert holds(rates) and holds(fold)
    argv = ["project", "--db", demo_db, "--branch", "CZSK", "--ranks", "military", "--lang", lang]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert render(rates, lang) in lines and render(fold, lang) in lines


def test_the_whatif_page_states_the_rates_and_fold_claims(app, demo_db):
    with store.connect(open_database(demo_db)) as conn:
        rates = rates_claim(calibrate(conn, Filters()))
        fold = fold_claim(rank_folds(conn, Filters())["military"])
        parts = allocation_for(conn, Filters(), "branch", {})
    for lang in ("nl", "en"):
        at = app("pages/whatif.py", lang=lang)
        at.toggle(key="show_allocation").set_value(True).run()
        at.toggle(key="show_ranks").set_value(True).run()
        no_failure(at)
        captions = [c.value for c in at.caption]
        assert render(rates, lang) in captions and render(fold, lang) in captions
        column = "Kansen uit" if lang == "nl" else "Rates from"
        (table,) = [d.value for d in at.dataframe if column in d.value.columns]
        assert list(table[column]) == [render(c, lang) for c in parts.rates]


def test_a_unit_whose_flows_are_withheld_says_it_borrows_and_the_claim_rechecks_it(engine, tmp_path):
    """The rank-fold organisation (tests/support/rank_fold.py): in 2024 one man of U1's 265 persons leaves and one
    is hired. U1's own hires and exits (1 each, under 5) are withheld, so its rates are the whole organisation's:
    men's attrition 1 / 295 (the men of both branches on 31 Dec 2023). Kept to its own shown rates (an exempt
    unit), the two it withholds in its only year are borrowed (men's attrition, the hiring share), and its growth
    (0) and women's attrition are its own: no woman joined or left, a 0 that hides nothing (flow_pattern)."""
    import_file(engine, "workforce", rank_fold.write_csv(tmp_path / "fold.csv"))
    u1 = Filters.of({"org_unit": ["U1"]})
    with store.connect(engine) as conn:
        parent, kept, branch = calibrate(conn, u1), calibrate(conn, u1, own_shown=True), calibrate(conn, B1)
    claim = rates_claim(parent, "cli")
    assert claim.params["rates_from"] == "parent" and holds(claim)
    assert claim.figures["used"]["attrition_men"] == {2024: pytest.approx(1 / 295)}
    assert claim.figures["own"]["attrition_men"] == {2024: None}
    assert not holds(dataclasses.replace(claim, params={**claim.params, "rates_from": "own", "borrowed": []}))
    assert render(claim, "en").startswith("This selection's own hires and exits are not shown (too few, or hidden")
    mixed = rates_claim(kept)
    borrowed = [n for n in NEEDED[:3] if n != "attrition_women"]
    assert (mixed.params["rates_from"], mixed.params["borrowed"]) == ("mixed", borrowed) and holds(mixed)
    assert rates_claim(branch).params["rates_from"] == "own" and holds(
        rates_claim(branch)
    )  # a branch: nothing withheld


def test_the_explorer_pipeline_states_the_fold_claim(app, demo_db):
    """The demo's flag officers are hidden, so the whole organisation's pipeline folds them into the senior
    officers: the note under it is the fold claim rendered, in Dutch and English."""
    with store.connect(open_database(demo_db)) as conn:
        fold = fold_claim(rank_folds(conn, Filters())["military"])
    assert holds(fold)
    for lang in ("nl", "en"):
        at = app("pages/explorer.py", lang=lang)
        no_failure(at)
        assert render(fold, lang) in [c.value for c in at.caption]
