"""A projection's two notes as claims (issue 26): where its rates come from, and a ladder's top ranks folded into
one group. Each checker against hand-worked figures, a contradicting claim of each kind caught, and each
sentence the same in meaning in Dutch and English."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from di_metrics.analysis.calibration import NEEDED, Calibration
from di_metrics.analysis.claims_notes import fold_claim, hidden_selection_claim, rates_claim
from di_metrics.models.claims import holds
from di_metrics.models.rank_fold import RankFold
from di_metrics.models.scenario import Scenario
from di_metrics.present.claims import texts

NAN = float("nan")
YEARS = [2023, 2024, 2025]
# A unit's own rates, each year shown (hire share, attrition of women and of men, growth):
OWN = {"hire_share": [0.20, 0.30, 0.25], "attrition_women": [0.10, 0.12, 0.08], "attrition_men": [0.06] * 3}
OWN |= {"growth": [0.01, 0.00, 0.02]}
# Its parent's (the same selection above the branch level): other values, every one shown.
PARENT_RATES = {"hire_share": [0.18] * 3, "attrition_women": [0.09] * 3, "attrition_men": [0.07] * 3}
PARENT_RATES |= {"growth": [0.015] * 3}
BASE = Scenario(start_year=2025, women=20, men=80)
DAY = pd.Timestamp("2025-12-31").date()


def _frame(rates: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame({"year": YEARS, **rates})


def _hide(rates: dict[str, list[float]], rate: str, *years: int) -> dict[str, list[float]]:
    """The rates with `rate` withheld (NaN) in the given years, as the gate leaves it for a small unit."""
    return {
        r: [NAN if r == rate and y in years else v for y, v in zip(YEARS, vs, strict=True)] for r, vs in rates.items()
    }


def _cal(source: str, own: dict, used: dict, withheld=(), borrowed=(), own_shown=False) -> Calibration:
    return Calibration(BASE, _frame(used), DAY, source, tuple(borrowed), _frame(own), tuple(withheld), own_shown)


HIDDEN_2024 = _hide(OWN, "hire_share", 2024)  # the hire share withheld in 2024 only
HIDDEN_ALWAYS = _hide(OWN, "hire_share", *YEARS)  # withheld in every calibration year
MIXED_USED = HIDDEN_ALWAYS | {"hire_share": PARENT_RATES["hire_share"]}  # the parent's hire share, its own others

# Hand-worked: which source each set of withheld rates decides, and the rates the projection must then use.
CASES = {
    "own": _cal("own", OWN, OWN),  # nothing withheld: its own rates
    "parent": _cal("parent", HIDDEN_2024, PARENT_RATES, [(2024, "hire_share")], NEEDED),  # one withheld: parent's
    "own_shown": _cal("own_shown", HIDDEN_2024, HIDDEN_2024, [(2024, "hire_share")], (), True),  # kept: 2 years
    "mixed": _cal("mixed", HIDDEN_ALWAYS, MIXED_USED, [(y, "hire_share") for y in YEARS], ["hire_share"], True),
}
SENTENCES = {
    "own": "Rates calibrated from this selection's own hires and exits.",
    "parent": "This selection's own hires and exits are not shown (too few, or hidden so that a smaller group "
    "cannot be worked out), so the rates of the wider population",
    "own_shown": "in the years they can be shown (a year whose flows are withheld is skipped).",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_source_holds_on_its_hand_worked_rates_and_both_languages_say_it(case):
    for form in ("line", "short"):
        claim = rates_claim(CASES[case], form=form)
        assert holds(claim), (case, form)
        nl, en = texts(claim)
        assert nl and en and nl != en
    if case in SENTENCES:
        assert SENTENCES[case] in texts(rates_claim(CASES[case]))[1]
    short = {"own": ("eigen", "own"), "parent": ("bredere populatie", "wider population")}
    short |= {"own_shown": ("eigen, getoonde jaren", "own, shown years")}
    short |= {
        "mixed": (
            "eigen; “Aandeel vrouwen in de instroom”: bredere populatie",
            "own; “Women's share of hires”: wider population",
        )
    }
    assert texts(rates_claim(CASES[case], form="short")) == short[case]


def _said(claim, **changed):
    return dataclasses.replace(claim, params=dict(claim.params) | changed)


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("own", {"rates_from": "parent", "borrowed": NEEDED}),  # nothing withheld: never the parent's
        ("own", {"rates_from": "own_shown"}),  # no year skipped
        ("parent", {"rates_from": "own", "borrowed": []}),  # a rate withheld: not 'its own flows'
        ("own_shown", {"rates_from": "own"}),  # a year skipped: not its own flows without more
        ("own_shown", {"rates_from": "parent", "borrowed": NEEDED}),  # it keeps its own shown rates
        ("mixed", {"rates_from": "own_shown", "borrowed": []}),  # the hire share is never shown: borrowed
        ("mixed", {"borrowed": ["hire_share", "growth"]}),  # the growth is its own
    ],
)
def test_a_source_the_withheld_rates_do_not_give_is_caught(case, said):
    assert not holds(_said(rates_claim(CASES[case]), **said))


def test_rates_said_own_but_not_the_selections_own_are_caught():
    """Nothing withheld, 'its own flows', but the projection ran on the parent's rates: the claim does not hold;
    nor does 'the parent's' when nothing the unit withholds was filled from the parent."""
    assert not holds(rates_claim(_cal("own", OWN, PARENT_RATES)))
    assert not holds(rates_claim(_cal("parent", HIDDEN_2024, HIDDEN_2024, [(2024, "hire_share")], NEEDED)))
    assert not holds(rates_claim(_cal("own", OWN, OWN, [(2024, "hire_share")])))  # said withheld, but shown


# The military ladder (lowest first): manschappen, onderofficieren, officieren, hoofdofficieren, opperofficieren.
# On both dates the senior officers (2 women) and the flag officers (2 women) are hidden, k = 5. Folded with
# the officers: 12 + 2 + 2 = 16 women, 20 + 10 + 5 = 35 men. One rank smaller (senior + flag officers) would
# hold 16 - 12 = 4 women, under 5: the officers are needed too.
TOP3 = ("officieren", "hoofdofficieren", "opperofficieren")
DATES = ("2023-12-31", "2024-12-31")
FOLD = RankFold(
    "military",
    TOP3,
    k=5,
    hidden=tuple((d, TOP3[1:]) for d in DATES),
    group_counts=tuple((d, 16.0, 35.0) for d in DATES),
    lowest_counts=tuple((d, 12.0, 20.0) for d in DATES),
)
FOLD_EN = (
    "The top rank group (Flag officers) is hidden on its own (too few, or hidden so that a smaller group cannot be "
    "worked out), so it is shown together with the ranks below it: Officers + Senior officers + Flag officers."
)
FOLD_NL = (
    "De hoogste ranggroep (Opperofficieren) is apart afgeschermd (te weinig, of afgeschermd zodat een kleinere "
    "groep niet af te leiden is) en staat daarom samen met de rangen eronder: Officieren + Hoofdofficieren + "
    "Opperofficieren."
)


def test_the_fold_holds_on_its_hand_worked_figures_and_both_languages_say_it():
    claim = fold_claim(FOLD)
    assert holds(claim)
    assert texts(claim) == (FOLD_NL, FOLD_EN)
    assert fold_claim(RankFold("military")) is None  # nothing folded: no note


@pytest.mark.parametrize(
    "changed",
    [
        {"hidden": tuple((d, ()) for d in DATES)},  # the top is shown on every date: no fold needed
        {"hidden": tuple((d, ("onderofficieren", "opperofficieren")) for d in DATES)},  # a hidden rank left out
        {"lowest_counts": tuple((d, 8.0, 20.0) for d in DATES)},  # 16 - 8 = 8 women: two ranks would do
        {"group_counts": tuple((d, 4.0, 35.0) for d in DATES)},  # the folded group itself under 5 women
        {"hidden": ()},  # no figures at all: nothing to check the fold against
    ],
)
def test_a_fold_its_figures_do_not_justify_is_caught(changed):
    assert not holds(fold_claim(dataclasses.replace(FOLD, **changed)))


def test_a_fold_said_of_other_ranks_than_its_figures_is_caught():
    claim = fold_claim(FOLD)
    assert not holds(_said(claim, folded=list(TOP3[1:]), group="hoofdofficieren + opperofficieren"))
    assert not holds(_said(claim, top="hoofdofficieren"))
    assert not holds(_said(claim, group="officieren + hoofdofficieren"))


def test_borrowed_rates_are_named_so_their_commas_do_not_run_together():
    """Two borrowed attrition rates read as two names ("Attrition, women" holds a comma of its own)."""
    claim = rates_claim(CASES["mixed"])
    claim = _said(claim, borrowed=["attrition_women", "attrition_men"])
    nl, en = texts(claim)
    assert "“Attrition, women” and “Attrition, men”: the wider population's" in en
    assert "“Uitstroom, vrouwen” en “Uitstroom, mannen”: die van de bredere populatie" in nl


# The stamp where nothing is projected: a selection's safe share series, its last row on 2025-12-31 (the data
# date) hidden by the gate (women and men withheld, or the headcount), shown, or absent (nobody in it then).
SERIES_DAYS = [pd.Timestamp("2024-12-31").date(), DAY]


def _series(suppressed: bool, headcount_hidden: bool, days=tuple(SERIES_DAYS)) -> pd.DataFrame:
    n = len(days)
    return pd.DataFrame(
        {"date": list(days), "suppressed": [False] * (n - 1) + [suppressed]}
        | {"headcount_hidden": [False] * (n - 1) + [headcount_hidden]}
    )


STAMP_EN = {
    True: "no scenario: this selection's figures are hidden",
    False: "no scenario: there are no rates to project with",
}
STAMP_NL = {
    True: "geen scenario: de cijfers van deze selectie zijn afgeschermd",
    False: "geen scenario: er zijn geen ratio's om mee te projecteren",
}


@pytest.mark.parametrize(
    "series, hidden",
    [
        (_series(True, False), True),  # women and men withheld
        (_series(True, True), True),  # the headcount too
        (_series(False, False), False),  # shown: not hidden
        (_series(False, False, days=SERIES_DAYS[:1]), False),  # nobody on the data date: nothing to hide
    ],
    ids=["suppressed", "headcount", "shown", "nobody"],
)
def test_the_stamp_says_hidden_exactly_where_the_gate_hides_the_selection(series, hidden):
    claim = hidden_selection_claim(series, DAY)
    assert holds(claim) and claim.params == {"date": "2025-12-31", "hidden": hidden}
    assert texts(claim) == (STAMP_NL[hidden], STAMP_EN[hidden])
    assert not holds(_said(claim, hidden=not hidden))  # the contradicting claim is caught
    assert not holds(_said(claim, date="2024-12-31"))  # said of another date than the data's
