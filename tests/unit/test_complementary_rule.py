"""The complementary rule against a plain reading of it, row by row, on random tables."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from di_metrics.queries.privacy import complementary

rows = st.lists(
    st.tuples(
        st.booleans(),  # hidden already
        st.one_of(st.integers(0, 9), st.just(math.nan)),  # size
        st.one_of(st.sampled_from("abc"), st.none()),  # group (None: in no group)
    ),
    min_size=1,
    max_size=25,
)


def by_hand(table: list[tuple[bool, float, str | None]]) -> list[bool]:
    """For each group with exactly one hidden row, hide its smallest other row (the first of equals; a row of
    unknown size only when no other is known: hiding it is the safe side)."""
    out = [h for h, _, _ in table]
    for g in {g for _, _, g in table if g is not None}:
        members = [i for i, (_, _, gi) in enumerate(table) if gi == g]
        if sum(table[i][0] for i in members) != 1:
            continue
        others = [i for i in members if not table[i][0]]
        if others:
            unknown = lambda i: math.isnan(table[i][1])  # noqa: E731
            out[min(others, key=lambda i: (unknown(i), 0 if unknown(i) else table[i][1], i))] = True
    return out


@settings(max_examples=400)
@given(table=rows, shift=st.integers(0, 50))
def test_complementary_hides_what_a_hand_reading_hides(table, shift):
    index = pd.RangeIndex(shift, shift + len(table))  # labels that are not positions
    hidden = pd.Series([h for h, _, _ in table], index=index)
    size = pd.Series([s for _, s, _ in table], index=index, dtype=float)
    group = pd.Series([g for _, _, g in table], index=index, dtype=object)
    assert complementary(hidden, size, group).tolist() == by_hand(table)
