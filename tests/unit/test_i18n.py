"""Numbers and dates per language, worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from di_metrics.i18n import fmt_date, fmt_number, fmt_pct, fmt_pp, selection_text, value_label


@pytest.mark.parametrize(
    ("lang", "share", "count", "points", "day"),
    [
        ("nl", "16,4%", "1.234", "+13,1 pp", "31 dec 2025"),
        ("en", "16.4%", "1,234", "+13.1 pp", "31 Dec 2025"),
    ],
)
def test_formats(lang, share, count, points, day):
    assert fmt_pct(0.164, lang) == share
    assert fmt_number(1234, lang) == count
    assert fmt_pp(13.1, lang, signed=True) == points
    assert fmt_date(dt.date(2025, 12, 31), lang) == day


def test_missing_values_show_a_dash():
    assert fmt_pct(None, "nl") == "–" and fmt_number(float("nan"), "en") == "–"


def test_a_selection_in_words():
    chosen = (("personnel_category", ("military",)), ("branch", ("CLAS", "KMar")))
    assert selection_text(chosen, "nl") == "Personeelscategorie: Militair; Krijgsmachtdeel: CLAS, KMar"
    assert selection_text(chosen, "en") == "Personnel category: Military; Branch: CLAS, KMar"
    assert selection_text((), "en") == ""


def test_stored_codes_in_words():
    assert value_label("hoofdofficieren", "en") == "Senior officers"
    assert value_label("schaal 13+", "nl") == "Schaal 13+"
    assert value_label("civilian", "nl") == "Burger"
    assert value_label("F", "en") == "Women"
    assert value_label("KMar", "en") == "KMar"  # a branch is its own name
    assert value_label(None, "en") == "–"
    ranks = (("rank_group", ("officieren", "opperofficieren")),)
    assert selection_text(ranks, "en") == "Rank group: Officers, Flag officers"
