"""The career sentences: one function per kind, Dutch and English from the same frozen value, carrying the
same figures; a hidden value is said to be hidden, never given a number."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from di_metrics.analysis.career import Intake, IntakeYear, Pyramid, PyramidLevel
from di_metrics.analysis.promotion import IncidencePoint, LevelRate, MedianTime, Promotion
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


def _promoted(women: list[float], men: list[float] | None) -> Promotion:
    """Officers' share promoted after 1, 2, ... years in rank per gender (None: no curve), and its medians."""
    points, medians = [], []
    for gender, shares in (("F", women), ("M", men)):
        if shares is None:
            continue
        points += [IncidencePoint("officieren", gender, t, 50, s, s, s, False) for t, s in enumerate(shares, 1)]
        reached = [t for t, s in enumerate(shares, 1) if s >= 0.5]
        medians.append(MedianTime("officieren", gender, float(reached[0]) if reached else None))
    return Promotion((), (), tuple(points), tuple(medians), 5)


def test_a_median_not_reached_and_a_curve_not_shown_are_said_apart():
    """Women 20% and 30% promoted after 1 and 2 years: fewer than half within the years shown. The men have no
    curve (too few): nothing is said of them (red before: 'longer than the years shown', a figure never seen)."""
    found = _promoted([0.2, 0.3], None)
    assert career_text.median_text(found, "officieren", "en") == (
        "Officers: fewer than half of the women are promoted within the years shown; no curve is shown for the men."
    )
    assert career_text.median_text(found, "officieren", "nl") == (
        "Officieren: minder dan de helft van de vrouwen is bevorderd binnen de getoonde jaren; voor de mannen wordt"
        " geen curve getoond."
    )
    both_short = _promoted([0.2, 0.3], [0.1, 0.4])
    assert "fewer than half of the women and of the men" in career_text.median_text(both_short, "officieren", "en")


def test_a_median_is_the_first_shown_year_at_half():
    """Women 20%, 45%, 55% after 1-3 years: half by 3 years; men 30%, 50%: half by 2."""
    found = _promoted([0.2, 0.45, 0.55], [0.3, 0.5])
    assert career_text.median_text(found, "officieren", "en") == (
        "Officers: half of the women are promoted within 3.0 years in rank; half of the men are promoted within"
        " 2.0 years in rank."
    )
    assert "binnen 3,0 jaar" in career_text.median_text(found, "officieren", "nl")


def test_no_intake_is_said_nobody_hired_only_where_hires_can_be_seen():
    """Without a complete year intake counts no hire: unknown then, never 'nobody'."""
    from di_metrics.analysis.career import Intake, IntakeYear
    from di_metrics.present.career_text import no_intake_text

    two = no_intake_text(Intake((), None, None, complete_years=1), "en")
    assert two.startswith("Nobody joined the organisation into this selection")
    assert no_intake_text(Intake((), None, None, complete_years=0), "en").startswith("Hires cannot be counted yet")
    assert no_intake_text(Intake((), None, None, complete_years=0), "nl").startswith("Instroom is nog niet te tellen")
    assert no_intake_text(Intake((IntakeYear(2025, "", 10, 5, None, False),), None, None), "en") is None


def test_the_intake_slide_of_a_selection_without_intake_says_why():
    """Red before: the slide and the briefing view were titled 'Intake' alone over an empty chart."""
    from di_metrics.present.career_views import intake_view

    view = intake_view(Intake((), None, None, complete_years=1), "en")
    assert view.categories == []
    assert view.title.startswith("Nobody joined the organisation into this selection")
    assert intake_view(Intake((), None, None, complete_years=0), "nl").title.startswith(
        "Instroom is nog niet te tellen"
    )


@pytest.mark.parametrize(("lang", "word"), [("en", "hidden"), ("nl", "afgeschermd")])
def test_a_hidden_matrix_cell_says_so(lang, word):
    """Red before: a hidden cell was blank, so a selection whose every cell is hidden (a unit's senior officers)
    read as an empty chart. A cell nobody is in stays blank."""
    from di_metrics.analysis.career import Cell, Matrix
    from di_metrics.present.charts.career import matrix_chart

    found = Matrix(
        "rank_group",
        "branch",
        dt.date(2025, 12, 31),
        (
            Cell("hoofdofficieren", "CLAS", None, None, True),
            Cell("officieren", "CLAS", 10, 100, False),
            Cell("officieren", "KMar", 20, 100, False),
        ),
    )
    (heat,) = matrix_chart(found, lang).data
    assert [list(row) for row in heat.text] == [[word, ""], ["", ""]]  # hoofdofficieren x KMar: nobody there
    assert [list(row) for row in heat.z] == [[None, None], [0.1, 0.2]]


def test_every_career_axis_word_names_a_dimension_a_view_accepts():
    """Age and tenure bands were withdrawn (matrix() refuses them): their axis words and band code went with
    them (red before: career.axis.age_band and career.axis.tenure_band were left, spared by the unused-keys
    test's 'career.axis.' prefix, and queries/career.py kept the bands)."""
    from di_metrics import i18n
    from di_metrics.queries import career as reads
    from di_metrics.vocab import DIMENSIONS

    for lang in ("nl", "en"):
        axes = {k.removeprefix("career.axis.") for k in i18n.catalogue(lang) if k.startswith("career.axis.")}
        assert axes <= set(DIMENSIONS), (lang, axes - set(DIMENSIONS))
    assert not {"AGE", "TENURE", "AGE_BANDS", "TENURE_BANDS"} & set(dir(reads))


@pytest.mark.parametrize(
    ("hired", "years", "key"),
    [
        (False, 10, "career.no_intake"),  # complete years, nobody hired: nobody joined
        (False, 0, "career.intake_unseen"),  # no complete year: hires cannot be counted yet, never none
        (True, 10, "career.retention_hidden"),  # some hired, too few to follow: retention's own sentence
        (None, None, "career.retention_hidden"),  # not asked: retention's own sentence
    ],
)
def test_retention_without_hires_gives_intakes_reason_not_too_few(hired, years, key):
    """Red before: every selection without a curve read 'Too few hires', nobody hired included."""
    from dataclasses import replace

    from di_metrics import i18n

    found = replace(RETENTION, milestones=(), differences=(), hired=hired, complete_years=years)
    for lang in ("nl", "en"):
        assert career_text.retention_text(found, lang) == i18n.t(key, lang)
