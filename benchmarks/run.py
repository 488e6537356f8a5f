"""Koers benchmark: the dashboard's query path against a raw DuckDB scan and naive pandas, at ministry scale.

    python benchmarks/run.py --persons 100000 --years 10 [--json]     # about 12M snapshot rows
    python benchmarks/run.py --quick --json                           # a small run that proves it still works
    python benchmarks/run.py --persons 50000 --db postgresql+psycopg://user:pw@host/empty_db   # on PostgreSQL

`whatif_move_cpu_s` (issue 31) is measured on the demo organisation by benchmarks/rerun_cost.py: the server CPU
seconds of the What-if page's first run, a target move and a hiring-share move, in this one run.

Every number is measured in this one run; ratios compare against the named baselines on the same data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from di_metrics.models.projection import Scenario, Spread, project, simulate  # noqa: E402
from di_metrics.queries.filters import Filters  # noqa: E402
from di_metrics.queries.workforce import breakdown, flows, share_series  # noqa: E402
from di_metrics.storage import store  # noqa: E402
from di_metrics.storage.database import open_database  # noqa: E402
from di_metrics.storage.ingest import import_file, undo_batch  # noqa: E402
from di_metrics.vocab import MILITARY_RANKS  # noqa: E402

BRANCHES = ("CZSK", "CLAS", "CLSK", "KMar", "DOSCO", "DMO", "BS")  # the synthetic rows' branches
RANKS = MILITARY_RANKS[:4]  # the four lower military ranks, as this benchmark has always drawn them
REPEATS = 5
COMPARE_ROUNDS = 41  # dashboard and raw queries alternate, so load on the shared machine hits both alike
IMPORT_ROUNDS = 3


def month_ends(years: int) -> list[dt.date]:
    """Monthly snapshot dates ending in December 2025."""
    return [
        (pd.Timestamp(y, m, 1) + pd.offsets.MonthEnd(0)).date() for y in range(2026 - years, 2026) for m in range(1, 13)
    ]


def generate(persons: int, years: int, seed: int = 1) -> pd.DataFrame:
    """A person-level workforce: each person stays for one spell of months, in one unit and rank."""
    spells = Spells(persons, years, seed)
    return spells.rows(0, spells.n)


def generate_parts(persons: int, years: int, seed: int = 1, part: int = 100_000) -> Iterator[pd.DataFrame]:
    """The rows of `generate`, `part` persons at a time, so a history of millions never sits in memory whole."""
    spells = Spells(persons, years, seed)
    for lo in range(0, spells.n, part):
        yield spells.rows(lo, min(lo + part, spells.n))


class Spells:
    """Who is employed from which month to which, and where: drawn once, expanded into rows on demand."""

    def __init__(self, persons: int, years: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.dates = np.array(month_ends(years), dtype="datetime64[D]")
        months = len(self.dates)
        start = rng.integers(-2 * months, months // 8, persons)
        length = rng.integers(2 * months, 4 * months, persons)
        first, last = np.clip(start, 0, months), np.clip(start + length, 0, months)
        keep = last > first
        self.first, self.last = first[keep], last[keep]
        self.n = int(keep.sum())
        self.women = rng.random(self.n) < 0.17
        self.unit = rng.integers(0, 60, self.n)
        self.rank = rng.integers(0, len(RANKS), self.n)

    def rows(self, lo: int, hi: int) -> pd.DataFrame:
        spans = self.last[lo:hi] - self.first[lo:hi]
        person = lo + np.repeat(np.arange(hi - lo), spans)
        offset = np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
        month = np.repeat(self.first[lo:hi], spans) + offset
        unit = self.unit[person]
        return pd.DataFrame(
            {
                "snapshot_date": self.dates[month],
                "person_id": pd.Series(person).map("P{:07d}".format).to_numpy(),
                "gender": np.where(self.women[person], "F", "M"),
                "org_unit": pd.Categorical.from_codes(unit, [f"Unit {i:02d}" for i in range(60)]).astype(str),
                "branch": np.array(BRANCHES)[unit % len(BRANCHES)],
                "personnel_category": np.where(unit % 3 == 0, "civilian", "military"),
                "rank_group": np.array(RANKS)[self.rank[person]],
            }
        )


def median_ms(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


RAW_SHARE = "SELECT snapshot_date, avg((gender = 'F')::INT) FROM workforce_snapshot GROUP BY 1 ORDER BY 1"
RAW_UNIT = (
    "SELECT snapshot_date, org_unit, count(*), sum((gender = 'F')::INT) FROM workforce_snapshot "
    "GROUP BY 1, 2 ORDER BY 1, 2"
)
RAW_FLOWS = """
WITH d AS (SELECT snapshot_date, lag(snapshot_date) OVER (ORDER BY snapshot_date) AS prev,
                  lead(snapshot_date) OVER (ORDER BY snapshot_date) AS nxt
           FROM (SELECT DISTINCT snapshot_date FROM workforce_snapshot) AS dates),
p AS (SELECT s.snapshot_date, s.gender, d.prev, d.nxt,
             lag(s.snapshot_date) OVER (PARTITION BY person_id ORDER BY s.snapshot_date) AS p_prev,
             lead(s.snapshot_date) OVER (PARTITION BY person_id ORDER BY s.snapshot_date) AS p_next
      FROM workforce_snapshot s JOIN d USING (snapshot_date))
SELECT extract(year FROM snapshot_date) AS y, gender,
       sum((prev IS NOT NULL AND p_prev IS DISTINCT FROM prev)::INT) AS hires,
       sum((nxt IS NOT NULL AND p_next IS DISTINCT FROM nxt)::INT) AS exits
FROM p GROUP BY 1, 2 ORDER BY 1, 2
"""


def peak_rss_mb() -> float:
    """This process's own high-water mark (VmHWM): unlike ru_maxrss, it starts afresh at exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(task: str, url: str) -> None:
    """Run one measured task in a fresh process and print its timing and peak memory as JSON."""
    engine = store.make_engine(url)
    out: dict[str, float] = {}
    if task == "compare":
        with store.connect(engine) as conn:
            out.update(compare(conn))
    elif task == "pandas":
        with store.connect(engine) as conn:
            raw = conn.connection.driver_connection
            t = time.perf_counter()
            frame = raw.sql("SELECT * FROM workforce_snapshot").df()
            frame.assign(w=frame["gender"].eq("F")).groupby("snapshot_date")["w"].mean()
            share = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            frame.assign(w=frame["gender"].eq("F")).groupby(["snapshot_date", "org_unit"])["w"].agg(["size", "sum"])
            out["share_ms"], out["unit_ms"] = share, share + (time.perf_counter() - t) * 1000
    out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out))


def raw_runner(conn):
    """Runs SQL as directly as the database allows: DuckDB's own connection, else the driver's."""
    if conn.dialect.name == "duckdb":
        raw = conn.connection.driver_connection
        return lambda sql: raw.sql(sql).fetchall()
    return lambda sql: conn.exec_driver_sql(sql).fetchall()


def compare(conn) -> dict[str, float]:
    """The dashboard's reads and the same questions in raw SQL, alternating round by round; the ratio is the
    median of the rounds' ratios, so a burst of load from elsewhere touches both sides of a round alike."""
    sql = raw_runner(conn)
    dash, raw, ratio = [], [], []
    for _ in range(COMPARE_ROUNDS):
        d = timed(lambda: (share_series(conn, Filters()), breakdown(conn, Filters(), "org_unit")))
        r = timed(lambda: (sql(RAW_SHARE), sql(RAW_UNIT)))
        dash.append(d)
        raw.append(r)
        ratio.append(d / r)
    return {
        "dashboard_ms": statistics.median(dash),
        "raw_ms": statistics.median(raw),
        "ratio": statistics.median(ratio),
        "share_ms": median_ms(lambda: share_series(conn, Filters())),
        "unit_ms": median_ms(lambda: breakdown(conn, Filters(), "org_unit")),
        "raw_share_ms": median_ms(lambda: sql(RAW_SHARE)),
        "raw_unit_ms": median_ms(lambda: sql(RAW_UNIT)),
        "flows_ms": median_ms(lambda: flows(conn, Filters())),
        "raw_flows_ms": median_ms(lambda: sql(RAW_FLOWS), repeats=3),
    }


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def measure(task: str, url: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", task, "--db", url], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def import_once(engine, source: Path) -> tuple[float, int, int]:
    """Seconds to import a file through the normal path (reading, validation, transaction, cubes)."""
    t = time.perf_counter()
    result = import_file(engine, "workforce", source, user="benchmark")
    return time.perf_counter() - t, result.rows, result.batch_id


def month_import_ms(engine, source: Path) -> float:
    """Median time to import one month, undoing it after each round so the next round imports it again."""
    times = []
    for _ in range(IMPORT_ROUNDS):
        seconds, _, batch = import_once(engine, source)
        times.append(seconds * 1000)
        undo_batch(engine, batch, user="benchmark")
    return statistics.median(times)


def imports(engine, frame: pd.DataFrame, work: Path) -> dict[str, float]:
    """The history's first import, and one more month into that history against the same month alone."""
    last = frame["snapshot_date"].max()
    history, month = work / "history.parquet", work / "month.parquet"
    frame[frame["snapshot_date"] < last].to_parquet(history, index=False)
    frame[frame["snapshot_date"] == last].to_parquet(month, index=False)
    into_empty = month_import_ms(engine, month)
    seconds, rows, _ = import_once(engine, history)
    into_history = month_import_ms(engine, month)
    import_once(engine, month)
    return {
        "history_rows": rows,
        "history_s": seconds,
        "month_into_empty_ms": into_empty,
        "month_into_history_ms": into_history,
    }


def whatif_moves(work: Path, quick: bool) -> dict:
    """The What-if page's first run and moves in server CPU seconds, on a new demo database (built in a child,
    whose progress output stays out of this one's JSON)."""
    from benchmarks.rerun_cost import measure as measure_moves
    from benchmarks.rerun_cost import move_cost

    url = f"duckdb:///{work / 'demo.duckdb'}"
    build = (
        "from di_metrics.storage.database import open_database as o\n"
        f"from di_metrics.demo.build import build_demo as b\nb(o({url!r}))"
    )
    subprocess.run([sys.executable, "-c", build], cwd=ROOT, capture_output=True, check=True)
    moves, opens = (3, 1) if quick else (40, 5)
    return move_cost(measure_moves(url, moves, opens, work / "whatif-server.log"))


def run(persons: int, years: int, url: str | None = None, quick: bool = False) -> dict:
    work = Path(tempfile.mkdtemp(prefix="koers-bench-"))
    frame = generate(persons, years)
    url = url or f"duckdb:///{work / 'bench.duckdb'}"
    engine = open_database(url)
    backend = engine.dialect.name
    loaded = imports(engine, frame, work)
    engine.dispose()
    compared = measure("compare", url)
    naive = measure("pandas", url) if backend == "duckdb" else None
    scenario = Scenario(
        2025,
        11_400,
        55_400,
        130,
        hire_share=0.22,
        attrition_women=0.113,
        attrition_men=0.094,
        attrition_other=0.09,
        growth=0.008,
        until=2036,
        spread=Spread(0.005, 0.002, 0.001, 0.015),
    )
    simulate(scenario, 10_000)  # warm up numpy's generators
    doc = {
        "database": backend,
        "rows": len(frame),
        "timings_ms": {
            "dashboard_share": compared["share_ms"],
            "dashboard_unit": compared["unit_ms"],
            f"raw_{backend}_share": compared["raw_share_ms"],
            f"raw_{backend}_unit": compared["raw_unit_ms"],
            "dashboard_flows": compared["flows_ms"],
            f"raw_{backend}_flows": compared["raw_flows_ms"],
            "dashboard_share_and_unit": compared["dashboard_ms"],
            f"raw_{backend}_share_and_unit": compared["raw_ms"],
            "projection_deterministic": median_ms(lambda: project(scenario), repeats=50),
            "import": loaded["history_s"] * 1000,
            "month_into_empty": loaded["month_into_empty_ms"],
            "month_into_history": loaded["month_into_history_ms"],
        },
        "ratios": {
            f"dashboard_vs_raw_{backend}": compared["ratio"],
            f"flows_vs_raw_{backend}": compared["flows_ms"] / compared["raw_flows_ms"],
        },
        "incremental_import_ratio": loaded["month_into_history_ms"] / loaded["month_into_empty_ms"],
        "monte_carlo_ms": median_ms(lambda: simulate(scenario, 10_000)),
        "rolling_backtest_ms": rolling_backtest_ms(url),
        "import_rows_per_s": loaded["history_rows"] / loaded["history_s"],
        "peak_rss_mb": compared["peak_rss_mb"],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average": os.getloadavg()[0],
    }
    doc |= whatif_moves(work, quick)
    if naive:
        doc["timings_ms"] |= {"pandas_share": naive["share_ms"], "pandas_unit": naive["unit_ms"]}
        doc["ratios"]["pandas_vs_dashboard"] = (naive["share_ms"] + naive["unit_ms"]) / compared["dashboard_ms"]
        doc["peak_rss_mb_pandas"] = naive["peak_rss_mb"]
    return doc


def rolling_backtest_ms(url: str) -> float:
    """The whole rolling-origin track record (every start year, 2,000 paths each), as the What-if page runs it."""
    from di_metrics.analysis.track_record import track_record

    engine = open_database(url)
    try:
        with store.connect(engine) as conn:
            return median_ms(lambda: track_record(conn), repeats=3)
    finally:
        engine.dispose()


def table(doc: dict) -> str:
    t, r, db = doc["timings_ms"], doc["ratios"], doc["database"]
    w, wr = doc["whatif_move_cpu_s"], doc["whatif_move_ratios"]
    name = {"duckdb": "DuckDB", "postgresql": "PostgreSQL"}.get(db, db)
    lines = [
        f"rows: {doc['rows']:,}   database: {name}   machine: {doc['machine']}   load average: "
        f"{doc['load_average']:.1f}",
        "",
        "| measure | Koers | baseline | ratio | target |",
        "|---|---|---|---|---|",
        f"| share per date + per unit (ms, median of {COMPARE_ROUNDS} alternating rounds) | "
        f"{t['dashboard_share_and_unit']:.1f} | raw {name} {t[f'raw_{db}_share_and_unit']:.1f} | "
        f"{r[f'dashboard_vs_raw_{db}']:.3f} | <= 0.5 |",
        f"| flows per year and gender (ms) | {t['dashboard_flows']:.1f} | raw {name} window "
        f"{t[f'raw_{db}_flows']:.1f} | {r[f'flows_vs_raw_{db}']:.3f} | <= 0.2 |",
    ]
    if "pandas_vs_dashboard" in r:
        lines.append(
            f"| naive pandas, same questions (ms) | {t['pandas_share'] + t['pandas_unit']:.0f} | Koers | "
            f"{r['pandas_vs_dashboard']:.1f} | >= 20 |"
        )
    lines += [
        f"| Monte Carlo, 10,000 paths x 11 years (ms) | {doc['monte_carlo_ms']:.1f} | | | <= 25 |",
        f"| deterministic projection (ms) | {t['projection_deterministic']:.3f} | | | |",
        f"| rolling-origin track record, 2,000 paths a start (ms) | {doc['rolling_backtest_ms']:.0f} | | | <= 2,000 |",
        f"| first import incl. validation (rows/s) | {doc['import_rows_per_s']:,.0f} | | | >= 500,000 |",
        f"| one more month (ms) | {t['month_into_history']:.0f} | same month into an empty database "
        f"{t['month_into_empty']:.0f} | {doc['incremental_import_ratio']:.2f} | <= 2 |",
        f"| What if: server CPU of a target move / of the page's first run (s) | {w['target']:.3f} | "
        f"{w['page']:.3f} | {wr['target']:.2f} | <= 0.15 |",
        f"| What if: server CPU of a hiring-share move / of the first run (s) | {w['hire_share']:.3f} | "
        f"{w['page']:.3f} | {wr['hire_share']:.2f} | <= 0.30 |",
        f"| peak RSS, dashboard query process (MB) | {doc['peak_rss_mb']:.0f} | "
        f"{'pandas ' + format(doc['peak_rss_mb_pandas'], '.0f') if 'peak_rss_mb_pandas' in doc else ''} | | <= 1,000 |",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--quick", action="store_true", help="2,000 persons over 2 years")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--db", help="an empty database to measure on (default: a new DuckDB file)")
    a = ap.parse_args()
    if a.child:
        child(a.child, a.db)
        return
    persons, years = (2_000, 2) if a.quick else (a.persons, a.years)
    doc = run(persons, years, a.db, a.quick)
    print(json.dumps(doc) if a.json else table(doc))


if __name__ == "__main__":
    main()
