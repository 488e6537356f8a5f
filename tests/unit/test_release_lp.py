"""The attacker's linear programs cut to size (queries/release_lp.py), on equations worked by hand.

Nine cells: x0 + x1 = 3 and x1 + x2 = 1 (one block), x3 + x4 = 0 (both known: 0), x5 = 2 (known), x7 + x8 = 5
(a second block), x6 in no equation. With counts >= 0, x1 lies in [0, 1], so x0 = 3 - x1 lies in [2, 3], x2 in
[0, 1], x0 + x2 = 4 - 2 x1 in [2, 4], x0 + x5 in [4, 5], x0 + x7 in [2, 8] (the blocks are independent) and x6 in
[0, inf)."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from di_metrics.queries import release_lp

CELLS = 9
EQUATIONS = [({0: 1, 1: 1}, 3), ({1: 1, 2: 1}, 1), ({3: 1, 4: 1}, 0), ({5: 1}, 2), ({7: 1, 8: 1}, 5)]
TRUTH = np.array([2, 1, 0, 0, 0, 2, 4, 3, 2], dtype=float)
EXPECTED = {
    "x0": ([0], (2, 3)),
    "x2": ([2], (0, 1)),
    "x0+x2": ([0, 2], (2, 4)),
    "x0+x5": ([0, 5], (4, 5)),
    "x3": ([3], (0, 0)),
    "x0+x7": ([0, 7], (2, 8)),
    "x6": ([6], (0, np.inf)),
}


def _row(cells: dict[int, float] | list[int]) -> sparse.csr_matrix:
    row = np.zeros(CELLS)
    for cell in cells:
        row[cell] = cells[cell] if isinstance(cells, dict) else 1.0
    return sparse.csr_matrix(row)


def _secrets() -> dict[str, sparse.csr_matrix]:
    return {name: _row(cells) for name, (cells, _) in EXPECTED.items()}


def test_the_shown_figures_pin_the_cells_they_hold_alone_or_at_zero():
    a = sparse.vstack([_row(cells) for cells, _ in EQUATIONS]).tocsr()
    known = release_lp.known_cells(a, np.array([v for _, v in EQUATIONS], dtype=float))
    assert {i: known[i] for i in np.flatnonzero(~np.isnan(known))} == {3: 0.0, 4: 0.0, 5: 2.0}


def test_each_interval_is_the_sum_of_its_blocks():
    rows = [_row(cells) for cells, _ in EQUATIONS]
    found = release_lp.intervals(rows, [v for _, v in EQUATIONS], _secrets(), CELLS)
    assert found == {name: bounds for name, (_, bounds) in EXPECTED.items()}


def test_figures_known_counts_hold_far_apart_are_not_solved():
    """Only the narrow intervals asked for: x6 is left out unsolved (no equation holds it), the narrow ones come
    out exact, and with a limit of one the search stops at the first."""
    rows = [_row(cells) for cells, _ in EQUATIONS]
    enough = {name: 3 - 1e-6 for name in EXPECTED}
    found = release_lp.intervals(rows, [v for _, v in EQUATIONS], _secrets(), CELLS, (enough, TRUTH))
    assert "x6" not in found  # in no equation: as wide as can be
    narrow = {name for name, (low, high) in found.items() if high - low < enough[name]}
    assert narrow == {"x0", "x2", "x0+x2", "x0+x5", "x3"}
    assert all(found[name] == EXPECTED[name][1] for name in narrow)
    first = release_lp.intervals(rows, [v for _, v in EQUATIONS], _secrets(), CELLS, (enough, TRUTH), limit=1)
    assert list(first) == ["x0"]


def test_a_part_after_an_unbounded_one_is_solved_from_a_sound_model():
    """One block with a free direction: x0 + x1 = 3 and x1 + x2 - x3 = 1. x3 = x1 + x2 - 1 grows without bound
    (x2 does), so x3 lies in [0, inf); asked after it, x0 = 3 - x1 with x1 in [0, 3] lies in [0, 3], x0 + x3 =
    2 + x2 in [2, inf) and -x1 in [-3, 0]: the model that ran unbounded gives the next parts right."""
    cells = 4
    equations = [({0: 1, 1: 1}, 3), ({1: 1, 2: 1, 3: -1}, 1)]

    def row(weights: dict[int, float]) -> sparse.csr_matrix:
        out = np.zeros(cells)
        for cell, weight in weights.items():
            out[cell] = weight
        return sparse.csr_matrix(out)

    asked = {"x3": {3: 1}, "x0": {0: 1}, "x0+x3": {0: 1, 3: 1}, "-x1": {1: -1}}
    found = release_lp.intervals(
        [row(w) for w, _ in equations],
        [v for _, v in equations],
        {name: row(weights) for name, weights in asked.items()},
        cells,
    )
    assert found == {"x3": (0, np.inf), "x0": (0, 3), "x0+x3": (2, np.inf), "-x1": (-3, 0)}
