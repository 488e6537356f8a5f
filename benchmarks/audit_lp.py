"""The attacker's linear programs on the 3,000-person demo (`privacy audit`'s figures): one HiGHS model per block,
warm-started from its last basis (queries/release_lp.py), against a fresh `scipy.optimize.linprog` per program
(how they were solved before), on the same parts of the people block, in this one run.

    python benchmarks/audit_lp.py [--parts 40] [--db duckdb:///path]   (without --db the demo is built in a temp dir)

The two take turns, a few parts at a time, so load on a shared machine falls on both alike; both must give the
same intervals.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from di_metrics.analysis import disclosure
from di_metrics.queries import release_lp
from di_metrics.storage import store
from di_metrics.storage.database import open_database

TURN = 5  # parts per turn


def _fresh(a: sparse.csc_matrix, b: np.ndarray, cost: np.ndarray) -> tuple[float, float]:
    """The old way: two programs from scratch."""
    low = linprog(cost, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
    high = linprog(-cost, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
    return low.fun, np.inf if high.status == 3 else -high.fun


def people_block(url: str) -> tuple[release_lp._Blocks, int, list[tuple[np.ndarray, np.ndarray]]]:
    """The audit's figures, cut as `release_lp.intervals` cuts them; the largest block and its distinct parts."""
    with store.connect(open_database(url)) as conn:
        figures = disclosure.collect(conn, disclosure.default_scope(conn), disclosure.default_selections(conn))
    a = sparse.vstack(figures.rows).tocsr()
    b = np.asarray(figures.values, dtype=float)
    known = release_lp.known_cells(a, b)
    free = np.isnan(known)
    rest = b - a[:, ~free] @ known[~free]
    a = a[:, free].tocsr()
    kept = a.getnnz(axis=1) > 0
    blocks = release_lp._Blocks(a[kept], rest[kept])
    hidden = sparse.vstack(list(figures.secrets.values())).tocsr()[:, free].tocsr()
    parts: dict[tuple[int, bytes], tuple[int, np.ndarray, np.ndarray]] = {}
    for i in range(hidden.shape[0]):
        for block, cols, weights in blocks._parts((hidden[i].indices, hidden[i].data)):
            if block >= 0:
                parts.setdefault((block, cols.tobytes() + weights.tobytes()), (block, cols, weights))
    sizes = np.bincount([block for block, _, _ in parts.values()])
    big = int(sizes.argmax())
    return blocks, big, [(cols, weights) for block, cols, weights in parts.values() if block == big]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", type=int, default=40)
    ap.add_argument("--db")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db
        if not url:
            from di_metrics.demo.build import build_demo

            url = f"duckdb:///{Path(tmp) / 'demo.duckdb'}"
            engine = open_database(url)
            build_demo(engine, persons=3000)
            engine.dispose()
        blocks, big, parts = people_block(url)
    a, b, where = blocks._program(big)
    chosen = parts[: args.parts]
    spent = {"warm": 0.0, "fresh": 0.0}
    worst = 0.0
    for start in range(0, len(chosen), TURN):
        turn = chosen[start : start + TURN]
        began = time.perf_counter()
        warm = [blocks._solve(big, cols, weights) for cols, weights in turn]
        spent["warm"] += time.perf_counter() - began
        began = time.perf_counter()
        fresh = []
        for cols, weights in turn:
            cost = np.zeros(a.shape[1])
            cost[where[cols]] = weights
            fresh.append(_fresh(a, b, cost))
        spent["fresh"] += time.perf_counter() - began
        for (lo1, hi1), (lo2, hi2) in zip(warm, fresh, strict=True):
            worst = max(worst, abs(lo1 - lo2), 0.0 if np.isinf(hi1) and np.isinf(hi2) else abs(hi1 - hi2))
    n = len(chosen)
    print(f"people block: {a.shape[1]:,} cells, {a.shape[0]:,} equations, {len(parts):,} distinct parts; timed {n}")
    print(f"warm-started model: {1000 * spent['warm'] / n:.0f} ms per part (two programs)")
    print(f"fresh linprog:      {1000 * spent['fresh'] / n:.0f} ms per part")
    print(f"ratio fresh / warm: {spent['fresh'] / spent['warm']:.1f}; largest difference in a bound: {worst:.1e}")


if __name__ == "__main__":
    main()
