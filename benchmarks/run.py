"""Koers benchmark: the dashboard's query path against a raw DuckDB scan and naive pandas, at ministry scale.

    python benchmarks/run.py --persons 100000 --years 10 [--json]     # about 12M snapshot rows
    python benchmarks/run.py --quick --json                           # a small run that proves it still works

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
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from di_metrics import store  # noqa: E402
from di_metrics.database import open_database  # noqa: E402
from di_metrics.filters import Filters  # noqa: E402
from di_metrics.ingest import import_file  # noqa: E402
from di_metrics.projection import Scenario, Spread, project, simulate  # noqa: E402
from di_metrics.workforce import breakdown, flows_document, share_series  # noqa: E402

BRANCHES = ("CZSK", "CLAS", "CLSK", "KMar", "DOSCO", "DMO", "BS")
RANKS = ("manschappen", "onderofficieren", "officieren", "hoofdofficieren")
REPEATS = 5


def month_ends(years: int) -> list[dt.date]:
    """Monthly snapshot dates ending in December 2025."""
    return [
        (pd.Timestamp(y, m, 1) + pd.offsets.MonthEnd(0)).date() for y in range(2026 - years, 2026) for m in range(1, 13)
    ]


def generate(persons: int, years: int, seed: int = 1) -> pd.DataFrame:
    """A person-level workforce: each person stays for one spell of months, in one unit and rank."""
    rng = np.random.default_rng(seed)
    dates = month_ends(years)
    months = len(dates)
    start = rng.integers(-2 * months, months // 8, persons)
    length = rng.integers(2 * months, 4 * months, persons)
    first, last = np.clip(start, 0, months), np.clip(start + length, 0, months)
    keep = last > first
    first, last = first[keep], last[keep]
    n = keep.sum()
    women = rng.random(n) < 0.17
    unit = rng.integers(0, 60, n)
    rank = rng.integers(0, len(RANKS), n)
    spans = last - first
    person = np.repeat(np.arange(n), spans)
    month = np.repeat(first, spans) + (np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans))
    date_array = np.array(dates, dtype="datetime64[D]")
    return pd.DataFrame(
        {
            "snapshot_date": date_array[month],
            "person_id": pd.Series(person).map("P{:07d}".format).to_numpy(),
            "gender": np.where(women[person], "F", "M"),
            "org_unit": pd.Categorical.from_codes(unit[person], [f"Unit {i:02d}" for i in range(60)]).astype(str),
            "branch": np.array(BRANCHES)[unit[person] % len(BRANCHES)],
            "personnel_category": np.where(unit[person] % 3 == 0, "civilian", "military"),
            "rank_group": np.array(RANKS)[rank[person]],
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
           FROM (SELECT DISTINCT snapshot_date FROM workforce_snapshot)),
p AS (SELECT s.snapshot_date, s.gender, d.prev, d.nxt,
             lag(s.snapshot_date) OVER (PARTITION BY person_id ORDER BY s.snapshot_date) AS p_prev,
             lead(s.snapshot_date) OVER (PARTITION BY person_id ORDER BY s.snapshot_date) AS p_next
      FROM workforce_snapshot s JOIN d USING (snapshot_date))
SELECT year(snapshot_date) AS y, gender, sum((prev IS NOT NULL AND p_prev IS DISTINCT FROM prev)::INT) AS hires,
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
    if task == "dashboard":
        with store.connect(engine) as conn:
            out["share_ms"] = median_ms(lambda: share_series(conn, Filters()))
            out["unit_ms"] = median_ms(lambda: breakdown(conn, Filters(), "org_unit"))
            out["flows_ms"] = median_ms(lambda: flows_document(conn, Filters()))
    elif task == "raw":
        with store.connect(engine) as conn:
            raw = conn.connection.driver_connection
            out["share_ms"] = median_ms(lambda: raw.sql(RAW_SHARE).fetchall())
            out["unit_ms"] = median_ms(lambda: raw.sql(RAW_UNIT).fetchall())
            out["flows_ms"] = median_ms(lambda: raw.sql(RAW_FLOWS).fetchall(), repeats=3)
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


def measure(task: str, url: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", task, "--db", url], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(persons: int, years: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="koers-bench-"))
    frame = generate(persons, years)
    source = work / "workforce.parquet"
    frame.to_parquet(source, index=False)
    url = f"duckdb:///{work / 'bench.duckdb'}"
    engine = open_database(url)
    t = time.perf_counter()
    result = import_file(engine, "workforce", source, user="benchmark")
    import_s = time.perf_counter() - t
    engine.dispose()
    dashboard, raw, naive = measure("dashboard", url), measure("raw", url), measure("pandas", url)
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
    dashboard_q = dashboard["share_ms"] + dashboard["unit_ms"]
    raw_q = raw["share_ms"] + raw["unit_ms"]
    return {
        "rows": int(result.rows),
        "timings_ms": {
            "dashboard_share": dashboard["share_ms"],
            "dashboard_unit": dashboard["unit_ms"],
            "raw_duckdb_share": raw["share_ms"],
            "raw_duckdb_unit": raw["unit_ms"],
            "pandas_share": naive["share_ms"],
            "pandas_unit": naive["unit_ms"],
            "dashboard_flows": dashboard["flows_ms"],
            "raw_duckdb_flows": raw["flows_ms"],
            "projection_deterministic": median_ms(lambda: project(scenario), repeats=50),
            "import": import_s * 1000,
        },
        "ratios": {
            "dashboard_vs_raw_duckdb": dashboard_q / raw_q,
            "flows_vs_raw_duckdb": dashboard["flows_ms"] / raw["flows_ms"],
            "pandas_vs_dashboard": (naive["share_ms"] + naive["unit_ms"]) / dashboard_q,
        },
        "monte_carlo_ms": median_ms(lambda: simulate(scenario, 10_000)),
        "rolling_backtest_ms": rolling_backtest_ms(url),
        "import_rows_per_s": result.rows / import_s,
        "peak_rss_mb": dashboard["peak_rss_mb"],
        "peak_rss_mb_pandas": naive["peak_rss_mb"],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }


def rolling_backtest_ms(url: str) -> float:
    """The whole rolling-origin track record (every start year, 2,000 paths each), as the What-if page runs it."""
    from di_metrics.track_record import track_record

    engine = open_database(url)
    try:
        with store.connect(engine) as conn:
            return median_ms(lambda: track_record(conn), repeats=3)
    finally:
        engine.dispose()


def table(doc: dict) -> str:
    t, r = doc["timings_ms"], doc["ratios"]
    lines = [
        f"rows: {doc['rows']:,}   machine: {doc['machine']}",
        "",
        "| measure | Koers | baseline | ratio | target |",
        "|---|---|---|---|---|",
        f"| share per date + per unit (ms) | {t['dashboard_share'] + t['dashboard_unit']:.1f} | raw DuckDB "
        f"{t['raw_duckdb_share'] + t['raw_duckdb_unit']:.1f} | {r['dashboard_vs_raw_duckdb']:.3f} | <= 1.0 |",
        f"| flows per year and gender (ms) | {t['dashboard_flows']:.1f} | raw DuckDB window "
        f"{t['raw_duckdb_flows']:.1f} | {r['flows_vs_raw_duckdb']:.3f} | <= 0.2 |",
        f"| naive pandas, same questions (ms) | {t['pandas_share'] + t['pandas_unit']:.0f} | Koers | "
        f"{r['pandas_vs_dashboard']:.1f} | >= 20 |",
        f"| Monte Carlo, 10,000 paths x 11 years (ms) | {doc['monte_carlo_ms']:.1f} | | | <= 100 |",
        f"| deterministic projection (ms) | {t['projection_deterministic']:.3f} | | | |",
        f"| rolling-origin track record, 2,000 paths a start (ms) | {doc['rolling_backtest_ms']:.0f} | | | <= 2,000 |",
        f"| import incl. validation (rows/s) | {doc['import_rows_per_s']:,.0f} | | | >= 250,000 |",
        f"| peak RSS, dashboard query process (MB) | {doc['peak_rss_mb']:.0f} | pandas {doc['peak_rss_mb_pandas']:.0f} "
        "| | <= 1,000 |",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--quick", action="store_true", help="2,000 persons over 2 years")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.db)
        return
    persons, years = (2_000, 2) if a.quick else (a.persons, a.years)
    doc = run(persons, years)
    print(json.dumps(doc) if a.json else table(doc))


if __name__ == "__main__":
    main()
