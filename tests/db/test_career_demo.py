"""The demo organisation tells a plausible career story: women leave more in years 3-8 and are promoted more
slowly to the senior levels, and its target registry holds a target for the top."""

from __future__ import annotations

import warnings

import pytest

from di_metrics.analysis import promotion, retention
from di_metrics.storage import store
from di_metrics.storage.database import open_database
from di_metrics.storage.targets import load_targets


@pytest.fixture(scope="module")
def demo(demo_db):
    engine = open_database(demo_db)
    with store.connect(engine) as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield retention.retention(conn), promotion.promotion(conn), load_targets(conn)
    engine.dispose()


def test_women_leave_more_in_the_middle_of_the_career(demo):
    found, _, _ = demo
    parted = found.parting_years()
    assert 1 not in parted  # the first year: no clear difference
    assert {5, 6, 7, 8} <= set(parted)
    assert all(d.difference < 0 for d in found.differences if d.years in parted)


def test_women_are_promoted_more_slowly_to_the_senior_levels(demo):
    _, found, _ = demo
    pooled = {r.rank_group: r for r in found.pooled}
    assert pooled["officieren"].flag and pooled["schaal 10-12"].flag
    assert not pooled["onderofficieren"].flag


def test_the_demo_has_a_target_for_the_top(demo):
    _, _, targets = demo
    top = [t for t in targets if t.name == "women_top"]
    assert top and set(top[0].scope["rank_group"]) == {"opperofficieren", "schaal 13+"}


@pytest.mark.parametrize(
    ("lang", "title", "parts"),
    [
        ("nl", "9. Loopbaan", ["Instroom", "Behoud", "Bevordering", "Rangpiramide"]),
        ("en", "9. Career", ["Intake", "Retention", "Promotion", "Rank pyramid"]),
    ],
)
def test_the_word_report_has_a_career_section(demo_db, lang, title, parts):
    import io

    from docx import Document

    from di_metrics.present.report import build_report
    from di_metrics.queries.filters import Filters

    engine = open_database(demo_db)
    with store.connect(engine) as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        document = Document(io.BytesIO(build_report(conn, Filters(), lang, images=False)))
    engine.dispose()
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    start = headings.index(title)
    assert headings[start + 1 : start + 5] == parts
