"""The attacker's linear programs (analysis/disclosure.py), cut to size: each hidden figure's interval given every
shown figure and counts >= 0, solved block by block.

Solving two programs per hidden figure over every cell did not finish on the 3,000-person demo. The same
intervals come out of much smaller programs:
- cells a shown figure pins are known: a shown sum of 0 with no negative weight makes each of its cells 0, and a
  shown figure over one unknown cell gives that cell; repeated until nothing more follows;
- the unknown cells fall apart into blocks that no shown figure links (a date's stocks tied to the next by the
  moves between them, a wave's answers, a year's reports): a hidden figure's lowest and highest values are the
  sums of its parts' lowest and highest values in each block, since the blocks are independent;
- a part asked twice (the same cells of one block) is solved once;
- each block is one HiGHS model kept between its parts: only the objective changes, so primal simplex starts from
  the last optimal basis (still feasible) instead of from scratch: on the demo's people block 88 ms a part
  against 962 ms with a fresh `linprog` per program (benchmarks/audit_lp.py);
- where only the narrow intervals are wanted, a figure that two known counts of the cells (the true one, and every
  solution found so far) already hold far enough apart is not solved at all.
"""

from __future__ import annotations

from collections.abc import Iterable

import highspy
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

__all__ = ["intervals", "known_cells", "stacked_intervals"]

UNBOUNDED = (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible)


def known_cells(a: sparse.csr_matrix, b: np.ndarray) -> np.ndarray:
    """The cells the shown figures pin (NaN where a cell is not pinned), with counts >= 0."""
    known = np.full(a.shape[1], np.nan)
    while True:
        free = np.isnan(known)
        rest = b - a[:, ~free] @ known[~free]
        part = a[:, free].tocsr()
        columns = np.flatnonzero(free)
        width = part.getnnz(axis=1)
        one_sign = (part.minimum(0).getnnz(axis=1) == 0) | (part.maximum(0).getnnz(axis=1) == 0)
        found = False
        for i in np.flatnonzero(one_sign & (width > 0) & (np.abs(rest) < 1e-9)):
            known[columns[part.indices[part.indptr[i] : part.indptr[i + 1]]]] = 0.0
            found = True
        for i in np.flatnonzero(width == 1):
            at = part.indptr[i]
            if np.isnan(known[columns[part.indices[at]]]):
                known[columns[part.indices[at]]] = rest[i] / part.data[at]
                found = True
        if not found:
            return known


class _Blocks:
    """The unknown cells split into blocks no shown figure links, each with its own equations; with the true
    counts, every block keeps the counts of its cells found so far that meet its equations."""

    def __init__(self, a: sparse.csr_matrix, b: np.ndarray, truth: np.ndarray | None = None) -> None:
        used = a.getnnz(axis=0) > 0
        _, label = connected_components(sparse.csr_matrix(a.T @ a), directed=False)
        self.label = np.where(used, label, -1)  # -1: a cell no shown figure holds
        row_block = self.label[a.indices[a.indptr[:-1]]] if a.shape[0] else np.array([], dtype=int)
        self.a, self.b, self.row_block, self.truth = a, b, row_block, truth
        self.programs: dict[int, tuple] = {}
        self.models: dict[int, tuple[highspy._Highs, np.ndarray]] = {}  # block: its model, the columns costed last
        self.solved: dict[tuple[int, bytes], tuple[float, float]] = {}
        self.points: dict[int, list[np.ndarray]] = {}  # block: counts of its cells (the block's own order)

    def _parts(self, row: tuple[np.ndarray, np.ndarray]) -> Iterable[tuple[int, np.ndarray, np.ndarray]]:
        indices, data = row
        blocks = self.label[indices]
        for block in np.unique(blocks):
            at = blocks == block
            yield int(block), indices[at], data[at]

    def bounds(self, row: tuple[np.ndarray, np.ndarray]) -> tuple[float, float]:
        """The lowest and highest value of row . x over the unknown cells."""
        low = high = 0.0
        for block, cols, weights in self._parts(row):
            if block < 0:  # nothing holds these cells: any count >= 0
                low += -np.inf if (weights < 0).any() else 0.0
                high += np.inf if (weights > 0).any() else 0.0
                continue
            key = (block, cols.tobytes() + weights.tobytes())
            if key not in self.solved:
                self.solved[key] = self._solve(block, cols, weights)
            low, high = low + self.solved[key][0], high + self.solved[key][1]
        return low, high

    def _program(self, block: int) -> tuple:
        if block not in self.programs:
            mine = np.flatnonzero(self.label == block)
            rows = np.flatnonzero(self.row_block == block)
            where = np.full(self.a.shape[1], -1)
            where[mine] = np.arange(len(mine))
            self.programs[block] = (self.a[rows][:, mine].tocsc(), self.b[rows], where)
            self.points[block] = [] if self.truth is None else [self.truth[mine]]
        return self.programs[block]

    def _model(self, block: int) -> highspy._Highs:
        """The block's equations, counts >= 0, as one HiGHS model whose objective each part sets anew."""
        if block not in self.models:
            a, b, _ = self._program(block)
            lp = highspy.HighsLp()
            lp.num_col_, lp.num_row_ = a.shape[1], a.shape[0]
            lp.col_cost_, lp.col_lower_ = np.zeros(a.shape[1]), np.zeros(a.shape[1])
            lp.col_upper_ = np.full(a.shape[1], highspy.kHighsInf)
            lp.row_lower_ = lp.row_upper_ = b
            lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
            lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
            # The bare solver: highspy.Highs sets up Python callbacks that print HiGHS's banner on stdout (the
            # CLI's --json) before any option can silence it, and none are needed here.
            model = highspy._Highs()
            for option, value in (("output_flag", False), ("presolve", "off"), ("simplex_strategy", 4)):
                model.setOptionValue(option, value)  # 4: primal simplex, which a changed objective leaves feasible
            model.passModel(lp)
            self.models[block] = (model, np.array([], dtype=np.int32))
        return self.models[block][0]

    def _solve(self, block: int, cols: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
        model, where = self._model(block), self._program(block)[2]
        last, mine = self.models[block][1], where[cols].astype(np.int32)
        model.changeColsCost(len(last), last, np.zeros(len(last)))
        model.changeColsCost(len(mine), mine, weights.astype(float))
        self.models[block] = (model, mine)
        found = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            model.changeObjectiveSense(sense)
            model.run()
            status = model.getModelStatus()
            if status == highspy.HighsModelStatus.kOptimal:
                found.append(model.getInfo().objective_function_value)
                if self.truth is not None:
                    self.points[block].append(np.array(model.getSolution().col_value))
            elif status in UNBOUNDED:  # the shown figures are true counts, so the equations are feasible
                found.append(-np.inf if sense == highspy.ObjSense.kMinimize else np.inf)
            else:  # a solver failure must not read as a wide, safe interval
                raise RuntimeError(f"the attacker's program ended: {model.modelStatusToString(status)}")
        return found[0], found[1]


class _Spread:
    """How far apart the counts found so far put each hidden figure (its interval is at least this wide), kept up to
    date as the programs add counts: each new count of a block moves every figure's lowest and highest value seen
    in it (one product per count for all figures; before, every figure multiplied all the counts again)."""

    def __init__(self, blocks: _Blocks, hidden: sparse.csr_matrix) -> None:
        self.blocks, self.seen = blocks, {}
        self.outside = hidden[:, blocks.label < 0].getnnz(axis=1) > 0  # cells no shown figure holds: unbounded
        self.parts = {}
        for block in np.unique(blocks.label[hidden.indices]):
            if block >= 0:
                mine = np.flatnonzero(blocks.label == block)
                where = blocks._program(int(block))[2]
                order = np.empty(len(mine), dtype=int)
                order[where[mine]] = np.arange(len(mine))  # the block's own order of its cells
                self.parts[int(block)] = hidden[:, mine[order]].tocsr()
        self.low = {b: np.full(hidden.shape[0], np.inf) for b in self.parts}
        self.high = {b: np.full(hidden.shape[0], -np.inf) for b in self.parts}

    def of(self, i: int) -> float:
        if self.outside[i]:
            return np.inf
        total = 0.0
        for block, part in self.parts.items():
            points = self.blocks.points[block]
            if self.seen.get(block, 0) < len(points):
                values = part @ np.column_stack(points[self.seen.get(block, 0) :])
                self.low[block] = np.minimum(self.low[block], values.min(axis=1))
                self.high[block] = np.maximum(self.high[block], values.max(axis=1))
                self.seen[block] = len(points)
            if part.indptr[i + 1] > part.indptr[i]:
                total += float(self.high[block][i] - self.low[block][i])
        return total


def intervals(
    rows: list[sparse.csr_matrix],
    values: Iterable[float],
    secrets: dict[str, sparse.csr_matrix],
    cells: int,
    enough: tuple[dict[str, float], np.ndarray] | None = None,
    limit: int | None = None,
) -> dict[str, tuple[float, float]]:
    """The interval each hidden figure (name: row over the cells) can lie in, given the shown figures
    (rows . x = values) and counts >= 0. With `enough` (name: a width, and the true counts), a figure known
    to be at least that wide is left out, and with `limit` the search stops at that many figures narrower."""
    a = sparse.vstack(rows).tocsr() if rows else sparse.csr_matrix((0, cells))
    names = list(secrets)
    hidden = sparse.vstack([secrets[n] for n in names]).tocsr() if names else sparse.csr_matrix((0, cells))
    return stacked_intervals(a, values, names, hidden, enough, limit)


def stacked_intervals(
    a: sparse.csr_matrix,
    values: Iterable[float],
    names: list,
    hidden: sparse.csr_matrix,
    enough: tuple[dict, np.ndarray] | None = None,
    limit: int | None = None,
) -> dict:
    """`intervals` with the shown figures as one matrix `a` and the hidden ones as the rows of `hidden`, named
    by `names` in order (no one-row matrix per figure: on the survey family most of the time went to making them)."""
    a = sparse.csr_matrix(a)
    b = np.asarray(list(values), dtype=float)
    known = known_cells(a, b)
    free = np.isnan(known)
    rest = b - a[:, ~free] @ known[~free]
    a = a[:, free].tocsr()
    kept = a.getnnz(axis=1) > 0
    blocks = _Blocks(a[kept], rest[kept], None if enough is None else enough[1][free])
    if not names:
        return {}
    hidden = sparse.csr_matrix(hidden)
    fixed = hidden[:, ~free] @ known[~free]
    hidden = hidden[:, free].tocsr()
    hidden.sort_indices()
    spread = None if enough is None else _Spread(blocks, hidden)
    out = {}
    for i, name in enumerate(names):
        at = slice(hidden.indptr[i], hidden.indptr[i + 1])
        row = (hidden.indices[at], hidden.data[at])
        if spread is not None and spread.of(i) >= enough[0][name]:
            continue
        low, high = blocks.bounds(row)
        out[name] = (fixed[i] + low, fixed[i] + high)
        if enough is not None and high - low < enough[0][name]:
            limit = None if limit is None else limit - 1
            if limit == 0:
                break
    return out
