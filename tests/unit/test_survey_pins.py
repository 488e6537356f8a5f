"""No shown answer count pins a hidden group's answers (queries/survey_pins.py), on hand-made distributions of one
item with answers 1-5 and a minimum of 10 respondents."""

from __future__ import annotations

import pandas as pd

from di_metrics.queries.survey_pins import favourable_pinned, hidden_distributions

WIDTH = pd.Series({"q1": 5})


def _counts(groups: dict[str, list[int]]) -> pd.DataFrame:
    """Answer counts from {group: [respondents answering 1, 2, 3, 4, 5]}; zeros are absent, as SQL gives them."""
    rows = [("q1", g, a, n) for g, ns in groups.items() for a, n in enumerate(ns, start=1) if n]
    return pd.DataFrame(rows, columns=["item", "group", "answer", "n"])


def _hidden(groups: dict[str, list[int]], siblings: bool = True) -> set[str]:
    out = hidden_distributions(_counts(groups), WIDTH, 10, siblings)
    return set(out.loc[out["hidden"], "group"])


def test_a_group_that_never_gives_an_answer_is_hidden_with_its_complement():
    # B2 (20) never answers 1: shown, it would say that no hidden group inside it answers 1. The next smallest,
    # B3 (15), goes with it; together they answered 1 three times, so neither is held to fewer.
    assert _hidden({"B1": [4, 4, 4, 4, 4], "B2": [0, 5, 5, 5, 5], "B3": [3, 3, 3, 3, 3]}) == {"B2", "B3"}
    assert _hidden({"all": [0, 5, 5, 5, 5]}, siblings=False) == {"all"}
    assert _hidden({"all": [3, 5, 5, 5, 5]}, siblings=False) == set()


def test_an_answer_the_hidden_groups_gave_once_or_twice_together_takes_another_group_with_them():
    # B2 (4) and B3 (5) are under 10; together they answered 1 once, so the total minus B1 and B4 would hold each
    # to 0 or 1 respondent answering 1. The smallest shown group that answered 1, B1 (15), is hidden too.
    groups = {"B1": [3, 3, 3, 3, 3], "B2": [1, 0, 0, 3, 0], "B3": [0, 0, 0, 0, 5], "B4": [4, 4, 4, 4, 4]}
    assert _hidden(groups) == {"B1", "B2", "B3"}


def test_a_pct_favourable_needs_3_respondents_on_each_side_of_every_item():
    # Per wave, group and item: respondents and how many answered favourably. S3: 42 of 44 favourable (2 not), so
    # its % favourable would hold each hidden group inside it to at most 2 unfavourable answers; S1: 20 of 20
    # favourable (0 not); S2: 3 of 6 (3 and 3) is shown; B on two items, the second 2 of 12 favourable.
    per_item = pd.DataFrame(
        [
            (2024, "S3", "q1", 44, 42),
            (2024, "S1", "q1", 20, 20),
            (2024, "S2", "q1", 6, 3),
            (2024, "B", "q1", 30, 15),
            (2024, "B", "q2", 12, 2),
        ],
        columns=["wave", "group", "item", "n", "nfav"],
    )
    out = favourable_pinned(per_item)
    assert dict(zip(out["group"], out["pinned"], strict=True)) == {"B": True, "S1": True, "S2": False, "S3": True}
