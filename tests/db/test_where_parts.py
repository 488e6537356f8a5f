"""With a unit filter the briefing's watchlist and allocation, and the Overview's watchlist, name their one branch
row as the part of the branch the selection holds: 'Army Command within Unit: 11 Luchtmobiele Brigade'. They read
'CLAS, 283 women short' (the title by code, the bar by the branch's name) over the brigade's own figures, a false
sentence about the branch (found in the browser walk). On the demo."""

from __future__ import annotations

import csv

import pytest
import sqlalchemy as sa

from di_metrics import i18n
from di_metrics.present.briefing import build_briefing
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from tests.support import ROOT, no_failure

UNIT = "11 Luchtmobiele Brigade"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_briefing_names_a_branch_row_as_the_part_the_unit_filter_holds(demo_db, lang):
    engine = open_database(demo_db)
    with store.connect(engine) as conn:
        (branch,) = conn.execute(
            sa.text("select distinct branch from headcount_cube where org_unit = :u"), {"u": UNIT}
        ).scalars()
        views = {v.key: v for v in build_briefing(conn, Filters.of({"org_unit": [UNIT]}), lang).views}
    engine.dispose()
    assert branch == "CLAS"  # the brigade lies in the army alone: the watchlist's one row
    part = _part(lang)
    watch = views["watchlist"]
    assert watch.categories == [part]
    assert part in watch.title and all(note.startswith(part) for note in watch.notes), (watch.title, watch.notes)
    if "allocation" in views:
        assert views["allocation"].categories == [part]


def _part(lang: str) -> str:
    """The brigade's part of the army, named as the demo's names file names both (the code where it has none)."""
    with (ROOT / "data/examples/names/demo_names.csv").open(encoding="utf-8") as f:
        names = {(r["dimension"], r["code"]): r[f"name_{lang}"] for r in csv.DictReader(f)}
    unit = names.get(("org_unit", UNIT), UNIT)
    within = f"{i18n.t('filters.org_unit', lang)}: {unit}"
    return i18n.t("explorer.part_within", lang, value=names[("branch", "CLAS")], selection=within)


def test_the_overview_watchlist_names_its_row_as_the_part_the_unit_filter_holds(app, demo_db):
    at = app("pages/overview.py", lang="en", unit=UNIT)
    no_failure(at)
    table = at.dataframe[0].value
    part = _part("en")
    assert list(table.iloc[:, 0]) == [part]
