"""The career sentences: one function per kind, Dutch and English from the same frozen value, carrying the
same figures; a hidden value is said to be hidden, never given a number."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from di_metrics.analysis.career import IntakeYear, Pyramid, PyramidLevel
from di_metrics.analysis.promotion import LevelRate, MedianTime
from di_metrics.analysis.retention import Difference, Milestone, Retention
from di_metrics.present import career_text


def _figures(text: str) -> list[str]:
    """The numbers of a sentence with the decimal mark made equal: 45,5% and 45.5% are one figure."""
    return [n.replace(",", ".") for n in re.findall(r"\d+(?:[.,]\d+)?", text)]


RETENTION = Retention(
    curves=(),
    milestones=(Milestone("F", 5, 0.5, 0.45, 0.55), Milestone("M", 5, 0.6, 0.57, 0.63), Milestone("F", 1, 0.9, 0.8, 1)),
    differences=(Difference("", 3, -0.01, -0.03, 0.01), Difference("", 4, -0.05, -0.08, -0.02)),
    by=None,
    minimum=5,
)
CASES = [
    (career_text.intake_text, IntakeYear(2024, "", 200, 40, 0.35, False), ["2024", "20.0", "200", "35.0", "30"]),
    (career_text.intake_text, IntakeYear(2024, "", 200, 80, 0.35, False), ["2024", "40.0", "200", "35.0"]),
    (career_text.intake_text, IntakeYear(2021, "", None, None, 0.35, True), ["2021"]),
    (career_text.retention_text, RETENTION, ["5", "50.0", "60.0", "4"]),
    (career_text.promotion_text, LevelRate("officieren", None, (2023, 2024, 2025), 400, 20, 800, 80, False), None),
    (
        career_text.pyramid_text,
        Pyramid(dt.date(2025, 12, 31), (PyramidLevel("schaal 13+", "civilian", 40, 200, 0.2, False, True),), 0.3, 0.3),
        ["13", "20.0", "30"],
    ),
]


@pytest.mark.parametrize(("render", "value", "figures"), CASES)
def test_dutch_and_english_carry_the_same_figures(render, value, figures):
    nl, en = render(value, "nl"), render(value, "en")
    assert _figures(nl) == _figures(en)
    if figures is not None:
        assert _figures(en) == figures


def test_intake_gap_by_hand():
    # 35% of 200 is 70 women; 40 were hired: 30 short
    assert IntakeYear(2024, "", 200, 40, 0.35, False).gap_persons == 30
    assert IntakeYear(2024, "", 200, 80, 0.35, False).gap_persons == 0


def test_the_flag_sentence_says_four_fifths_never_discrimination():
    level = LevelRate("officieren", None, (2023, 2024, 2025), 400, 20, 800, 80, False)  # 5% vs 10%: ratio 0.5
    assert level.flag
    for lang in ("nl", "en"):
        text = career_text.promotion_text(level, lang)
        assert "0" in text and "discrimin" not in text.lower()
    assert "four-fifths rule allows" in career_text.promotion_text(level, "en")
    assert "vier-vijfderegel toelaat" in career_text.promotion_text(level, "nl")


def test_hidden_values_are_said_hidden():
    hidden = LevelRate("officieren", None, (2025,), None, None, None, None, True)
    assert "hidden" in career_text.promotion_text(hidden, "en")
    assert "afgeschermd" in career_text.promotion_text(hidden, "nl")
    none = MedianTime("officieren", "F", None)
    assert "longer than the years shown" in career_text.median_text(
        "officieren", none, MedianTime("officieren", "M", 4.0), "en"
    )
    assert "fewer than half" in career_text.median_text("officieren", none, None, "en")
