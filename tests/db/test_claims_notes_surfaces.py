"""The projection's two notes on every surface that shows them are their claims' renderings (issue 26): the CLI's
`project` text and the What-if page (its caption, the allocation table's rates column and the rank chart's note),
in Dutch and English, on the demo organisation."""

from __future__ import annotations

import pytest

from di_metrics.analysis.allocation import allocation_for
from di_metrics.analysis.calibration import calibrate
from di_metrics.analysis.claims_notes import fold_claim, rates_claim
from di_metrics.cli.main import main
from di_metrics.models.claims import holds
from di_metrics.present.claims import render
from di_metrics.queries.filters import Filters
from di_metrics.queries.workforce import rank_folds
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from tests.support import no_failure

CLAS = Filters.of({"branch": ["CLAS"]})


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_cli_project_text_states_the_rates_and_fold_claims(demo_db, capsys, lang):
    with store.connect(open_database(demo_db)) as conn:
        rates = rates_claim(calibrate(conn, CLAS), "cli")
        fold = fold_claim(rank_folds(conn, CLAS)["civilian"], "cli")
    assert holds(rates) and holds(fold)
    argv = ["project", "--db", demo_db, "--branch", "CLAS", "--ranks", "civilian", "--lang", lang]
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
