"""Claims (issue 26): every sentence rendered from a typed claim holds against its own figures, and its Dutch
and English state the same numbers. Fixtures are worked by hand; expected sentences are written out."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from di_metrics.analysis.claims import headline_claim, hidden_claims, peers_claim, watch_claim
from di_metrics.analysis.watchlist import WatchRow
from di_metrics.models.claims import HIDDEN, Claim, holds
from di_metrics.models.peer_pace import PeerPoint, Peers, PeerWindow, fastest_window
from di_metrics.models.projection import Projection
from di_metrics.models.standing import TargetStatus
from di_metrics.models.targets import Target
from di_metrics.present.claims import texts
from di_metrics.present.narrative import target_headline
from di_metrics.present.peers_text import peers_message
from di_metrics.present.tables import safe_table
from di_metrics.present.where_text import persons_text, watchlist_line
from di_metrics.queries.privacy import complementary, primary
from tests.support.claims import numbers

TARGET = Target("women_total", "women_share", 0.30, dt.date(2030, 12, 31), dt.date(2024, 12, 31), 0.16)

# 17.14% women on 31 Dec 2025, rising 0.42 pp a year over the last three years: the straight line reaches 30%
# after (0.30 - 0.1714) / 0.0042 = 30.6 years, in mid-2056 (at the end of 2055 it is at 29.74%).
BEHIND = TargetStatus(
    target=TARGET,
    as_of=dt.date(2025, 12, 31),
    latest=0.1714,
    glide_path=0.18,
    state="off_track",
    gap_pp=12.86,
    women_needed=8638,
    actual_pace=0.0042,
    reach_year_at_pace=2056,
)

# Today's hiring and leaving rates: the share creeps up and levels off at 19.5% by 2040, below the 30% target.
YEARS = list(range(2025, 2041))
SHARES = [0.1714 + (0.195 - 0.1714) * min(i, 10) / 10 for i in range(len(YEARS))]
LEVELS_OFF = Projection(YEARS, [0.0] * 16, [0.0] * 16, [0.0] * 16, SHARES, 0.30, 2030)


def both_hold(claim: Claim) -> tuple[str, str]:
    """The claim holds against its figures, and its two languages state the same numbers."""
    nl, en = texts(claim)
    assert holds(claim), (claim, en)
    assert sorted(numbers(nl, "nl")) == sorted(numbers(en, "en")), (nl, en)
    return nl, en


# --- the headline: the straight line and the flows projection, named apart ------------------------------------


def test_rates_that_level_off_below_the_target_are_said_beside_the_straight_line_that_reaches_it():
    assert target_headline(BEHIND, "en", LEVELS_OFF) == (
        "17.1% women; 12.9 pp and 8,638 women short of 30% in 2030. At the pace of the last 3 years 30% would be"
        " reached in 2056; at today's hiring and leaving rates the share stays below it, at about 19.5% in 2040."
    )
    assert target_headline(BEHIND, "nl", LEVELS_OFF) == (
        "17,1% vrouwen; 12,9 pp en 8.638 vrouwen te weinig voor 30% in 2030. In het tempo van de laatste 3 jaar"
        " wordt 30% bereikt in 2056; bij de huidige instroom en uitstroom blijft het aandeel eronder, rond 19,5%"
        " in 2040."
    )
    both_hold(headline_claim(BEHIND, LEVELS_OFF))


def test_rates_that_reach_the_target_say_the_year_the_path_first_gets_there():
    rising = dataclasses.replace(LEVELS_OFF, women_share=[0.1714 + 0.01 * i for i in range(16)])  # 30% in 2038
    _nl, en = both_hold(headline_claim(BEHIND, rising))
    assert en.endswith("at today's hiring and leaving rates it is reached in 2038.")


def test_without_measured_flows_the_headline_says_only_the_straight_line():
    _nl, en = both_hold(headline_claim(BEHIND, None))
    assert en.endswith("At the pace of the last 3 years 30% would be reached in 2056.")


def test_a_reach_year_the_line_does_not_bear_out_does_not_hold():
    claim = headline_claim(dataclasses.replace(BEHIND, reach_year_at_pace=2055), LEVELS_OFF)
    assert not holds(claim)  # at the end of 2055 the line is at 29.74%, below 30%
    params = dict(headline_claim(BEHIND, LEVELS_OFF).params) | {"flows_reach": 2030}
    assert not holds(dataclasses.replace(claim, params=params))  # the path never reaches 30%


def test_a_target_met_holds_in_both_languages():
    _nl, en = both_hold(headline_claim(dataclasses.replace(BEHIND, latest=0.312), LEVELS_OFF))
    assert en == "31.2% women: the target of 30% in 2030 is met."


# --- peers: the maximum over every window the rule admits, our own organisation named apart -------------------


def _peers(peer_years: dict[int, float], ours: dict[int, float]) -> Peers:
    series = tuple(PeerPoint("United States", "Active duty", y, v, False) for y, v in peer_years.items())
    w = fastest_window(peer_years)
    return Peers(
        series=series,
        fastest_5y=(PeerWindow("United States", "Active duty", w.start, w.end, w.pp_per_year),),
        needed_pp_per_year=2.58,
        ours=ours,
        ours_fastest_5y=fastest_window(ours),
        target=TARGET,
        latest=0.1714,
        as_of=dt.date(2025, 12, 31),
        figures=(),
    )


def test_our_own_pace_faster_than_every_peer_is_named_apart_and_a_six_year_window_counts():
    # US: 2013->2018 (16.6 - 15.0) / 5 = 0.32 pp; 2013->2019 (17.0 - 15.0) / 6 = 0.333 pp, the faster, in the rule
    # "any period of 5 years or more". Ours: 2018->2023 (16.3 - 14.0) / 5 = 0.46 pp, faster than every peer.
    doc = _peers({2013: 0.150, 2018: 0.166, 2019: 0.170}, {2018: 0.140, 2023: 0.163})
    assert peers_message(doc, "en") == (
        "No peer grew faster than 0.33 pp a year over any period of 5 years or more (United States, 2013–2019);"
        " 30% by 2030 needs 2.58 pp a year, 7.7 times as fast. Our own organisation, named apart: at its fastest"
        " 0.46 pp a year (2018–2023)."
    )
    assert peers_message(doc, "nl").startswith(
        "Geen andere krijgsmacht groeide over een periode van 5 jaar of langer sneller dan 0,33 pp per jaar"
    )
    both_hold(peers_claim(doc))


def test_a_peer_faster_than_us():
    # US 2010->2015: (11.5 - 10.0) / 5 = 0.30 pp; ours 2019->2024: (15.0 - 14.0) / 5 = 0.20 pp.
    doc = _peers({2010: 0.100, 2015: 0.115}, {2019: 0.140, 2024: 0.150})
    _nl, en = both_hold(peers_claim(doc))
    assert "0.30 pp a year" in en and "at its fastest 0.20 pp a year (2019–2024)" in en


def test_an_exact_five_year_maximum_does_not_hold_when_a_longer_window_is_faster():
    claim = peers_claim(_peers({2013: 0.150, 2018: 0.166, 2019: 0.170}, {}))
    stale = dict(claim.params) | {"best": 0.32, "end": 2018}
    assert not holds(dataclasses.replace(claim, params=stale))


# --- hidden cells: 'hidden', whatever the reason --------------------------------------------------------------


def test_a_complementary_hidden_cell_reads_hidden_never_fewer_than():
    # Women per rank in one branch: 3 is below k = 5 (primary); the smallest other, 47, is hidden as its complement.
    frame = pd.DataFrame({"value": ["Schaal 1-8", "Schaal 9-12", "Schaal 13+"], "women": [3, 300, 47]})
    first = primary(frame["women"], 5)
    frame["suppressed"] = complementary(first, frame["women"], pd.Series(["CLAS"] * 3))
    assert frame["suppressed"].tolist() == [True, False, True]
    for lang, word in (("en", "hidden"), ("nl", "afgeschermd")):
        shown = safe_table(frame, ["value"], lang, 5, as_text=True)
        notes = shown.iloc[:, -1].tolist()
        assert notes == [word, "", word]
    claims = hidden_claims(frame.assign(date=dt.date(2025, 12, 31)))
    assert [texts(c) for c in claims] == [("afgeschermd", "hidden")] * 2
    assert all(holds(c) for c in claims)


def test_fewer_than_k_holds_only_of_a_primary_cell_below_k():
    said = {"reason": "complement", "k": 5, "fewer_than": 5}
    assert not holds(Claim("c", HIDDEN, "page", said, {"count": 47}))
    assert holds(Claim("c", HIDDEN, "page", said | {"reason": "primary"}, {"count": 3}))


# --- the watchlist: ahead, never a negative shortfall ---------------------------------------------------------


def _row(value: str, share: float, headcount: int, glide: float) -> WatchRow:
    women = share * headcount
    return WatchRow(
        value,
        dt.date(2025, 12, 31),
        share,
        glide,
        "women_total",
        False,
        headcount,
        glide * headcount - women,
        0.009,
        (),
    )


def test_a_part_above_its_glide_path_is_ahead():
    # BS: 1,000 persons, 28.3% women (283) against a glide path of 21.3% (213): 70 ahead.
    bs = _row("BS", 0.283, 1000, 0.213)
    assert persons_text(bs, "en") == "70 ahead" and persons_text(bs, "nl") == "70 voor"
    assert watchlist_line(bs, "en") == "BS: 28.3% women, glide path 21.3%, 70 ahead, +0.9 pp over 12 months"
    both_hold(watch_claim(bs))


def test_a_part_below_its_glide_path_is_short():
    # CLAS: 10,000 persons, 13.5% women (1,350) against 21.3% (2,130): 780 short.
    clas = _row("CLAS", 0.135, 10000, 0.213)
    assert persons_text(clas, "nl") == "780 tekort"
    both_hold(watch_claim(clas))


@pytest.mark.parametrize("persons, ahead", [(-70, False), (70, False)])
def test_a_negative_or_wrongly_signed_shortfall_does_not_hold(persons, ahead):
    claim = watch_claim(_row("BS", 0.283, 1000, 0.213))
    assert not holds(dataclasses.replace(claim, params=dict(claim.params) | {"persons": persons, "ahead": ahead}))


# --- what a lever needs, within its slider ---------------------------------------------------------------------


@pytest.mark.parametrize("needed", [0.07, None])  # needs 7% (beyond the slider's 5%), or not even 10%
def test_a_growth_beyond_the_slider_is_out_of_reach_at_the_sliders_end(needed):
    from di_metrics.analysis.evaluate import within_sliders
    from di_metrics.present.narrative import lever_needed_text

    takes = within_sliders({"growth": (0.01, needed, 0.10), "hire_share": (0.22, 0.42, 1.0)})
    assert takes == {"growth": (0.01, None, 0.05), "hire_share": (0.22, 0.42, 1.0)}
    assert "5%" in lever_needed_text(*takes["growth"], "en") and "10%" not in lever_needed_text(*takes["growth"], "en")


def test_a_growth_within_the_slider_is_said():
    from di_metrics.analysis.evaluate import within_sliders

    assert within_sliders({"growth": (0.01, 0.032, 0.10)}) == {"growth": (0.01, 0.032, 0.05)}


# --- a selection's glide path ----------------------------------------------------------------------------------


def _glide(series: pd.DataFrame, selection: tuple) -> tuple[str, list, list]:
    from di_metrics.present.charts.workforce import share_trend

    (glide,) = [tr for tr in share_trend(series, TARGET, "en", "t", selection=selection).data if "Glide" in tr.name]
    return glide.name, [pd.Timestamp(x).date() for x in glide.x], list(glide.y)


CLAS = (("branch", ("CLAS",)),)


def test_a_selections_glide_path_starts_from_its_own_share_at_the_targets_baseline_date():
    # The target: 16% on 31 Dec 2024 (the organisation's baseline) to 30% on 31 Dec 2030. CLAS holds 12% women on
    # that baseline date, so its line runs from 12% on 31 Dec 2024 to 30% on 31 Dec 2030, 3 pp a year; the
    # organisation's line (16%) would float 4 pp above CLAS's own start.
    dates = [dt.date(2023, 12, 31), dt.date(2024, 12, 31), dt.date(2025, 12, 31)]
    series = pd.DataFrame({"date": dates, "women_share": [0.11, 0.12, 0.13]})
    name, x, y = _glide(series, CLAS)
    assert name == "Glide path from this selection's own baseline"
    assert x == [dt.date(2024, 12, 31), dt.date(2030, 12, 31)] and y == [0.12, 0.30]
    name, x, y = _glide(series, ())  # the organisation's own target on the organisation: its own baseline
    assert name == "Glide path" and y == [0.16, 0.30]


def test_a_selection_without_a_share_by_the_baseline_date_is_labelled_as_the_targets_line():
    series = pd.DataFrame({"date": [dt.date(2025, 12, 31)], "women_share": [0.13]})  # first snapshot after it
    name, _x, y = _glide(series, CLAS)
    assert name.startswith("Glide path of target") and y == [0.16, 0.30]


# --- the What-if headline: the hiring share the target needs ---------------------------------------------------


def test_the_required_hiring_share_holds_only_where_the_projection_bears_it_out():
    from di_metrics.analysis.claims import required_claim
    from di_metrics.models.projection import Scenario, required_hire_share

    # One year: 200 women and 800 men, 10% of each leave (100), 100 are hired; 25% women at the end of 2026 takes
    # 180 + 100 h = 250 women, h = 70%. All hires women gives 280 of 1,000: 28%.
    s = Scenario(
        start_year=2025,
        women=200,
        men=800,
        attrition_women=0.1,
        attrition_men=0.1,
        target=0.25,
        deadline=2026,
        until=2026,
    )
    assert required_hire_share(s) == pytest.approx(0.70, abs=1e-3)
    _nl, en = both_hold(required_claim(s, 0.20, required_hire_share(s), 0.28))
    assert en == (
        "To reach 25% by 2026, 70% of all hires must be women every year from 2026; over the last 3 years it was 20%."
    )
    for wrong in (0.60, 0.80):  # 24% is short of the target; at 79.5% it is already met
        assert not holds(required_claim(s, 0.20, wrong, 0.28))
    out_of_reach = dataclasses.replace(s, target=0.30)  # even all hires women: 28%
    assert holds(required_claim(out_of_reach, 0.20, None, 0.28))
    assert not holds(required_claim(out_of_reach, 0.20, None, 0.30))


def test_a_hidden_cell_is_written_by_one_function():
    """Every surface (page tables, charts, deck, report, CLI) writes a hidden cell through hidden_text (written in
    present.claims_text, whose renderers need it too, and passed on by present.claims):
    the catalogue key appears in no other module, so no surface can say "fewer than 5" of a complement again."""
    from tests.support import ROOT

    writers = [
        p.relative_to(ROOT).as_posix()
        for folder in ("di_metrics", "ui", "pages")
        for p in (ROOT / folder).rglob("*.py")
        if '"privacy.fewer_than"' in p.read_text(encoding="utf-8")
    ]
    assert writers == ["di_metrics/present/claims_text.py"]
