"""The rules that pick among equally small cells pick the same cells whatever order the rows come in (#25,
"Determinism"): a table and the same table with its rows permuted hide the same cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from di_metrics.queries.privacy import hide_lines, suppress_breakdown

# a two-way table: rows r0..r3 by columns c0..c3, small sizes so that ties are common
cells = st.lists(st.integers(0, 8), min_size=16, max_size=16)
orders = st.permutations(range(16))


def _table(sizes: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {"row": [f"r{i // 4}" for i in range(16)], "column": [f"c{i % 4}" for i in range(16)], "n": sizes}
    )


@settings(max_examples=200, deadline=None)
@given(sizes=cells, order=orders)
def test_hide_lines_hides_the_same_cells_in_any_row_order(sizes, order):
    def hidden(table: pd.DataFrame) -> set[tuple[str, str]]:
        flags = hide_lines(table["n"] < 3, table["n"], [table["row"], table["column"]])
        return set(zip(table.loc[flags, "row"], table.loc[flags, "column"], strict=True))

    table = _table(sizes)
    assert hidden(table) == hidden(table.iloc[list(order)].reset_index(drop=True))


units = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12), st.integers(0, 7)), min_size=2, max_size=7)


@settings(max_examples=200, deadline=None)
@given(rows=units, data=st.data())
def test_suppress_breakdown_hides_the_same_rows_in_any_row_order(rows, data):
    """Units of one branch on one date (women, men, X): the same flags for each unit in any order."""
    frame = pd.DataFrame(rows, columns=["women", "men", "other"]).assign(
        date="2024-12-31", org_unit=[f"U{i}" for i in range(len(rows))], unknown=0
    )
    frame["headcount"] = frame["women"] + frame["men"] + frame["other"]
    order = data.draw(st.permutations(range(len(rows))))
    flags = ["suppressed", "headcount_hidden", "x_left_out", "unknown_hidden"]

    def decided(table: pd.DataFrame) -> pd.DataFrame:
        return suppress_breakdown(table, k=5).set_index("org_unit")[flags].sort_index()

    shuffled = frame.iloc[list(order)].reset_index(drop=True)
    pd.testing.assert_frame_equal(decided(frame), decided(shuffled))
    assert np.array_equal(frame.index, np.arange(len(rows)))  # the input is left as it was
