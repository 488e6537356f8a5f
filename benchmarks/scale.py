"""Koers at scale: a first import of a long monthly history, one more month, sizes, dashboard reads, memory.

    python benchmarks/scale.py --persons 1000000 --years 5     # about 60M snapshot rows; not run in CI

Prints one JSON document. The import runs in this process, so its peak memory is this process's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from run import generate, measure, peak_rss_mb  # noqa: E402

from di_metrics.storage import store  # noqa: E402
from di_metrics.storage.database import open_database  # noqa: E402
from di_metrics.storage.ingest import import_file  # noqa: E402


def sizes(engine) -> dict[str, int]:
    """Rows of the snapshot table and of each summary table."""
    with store.connect(engine) as conn:
        return {
            t.name: int(conn.exec_driver_sql(f'SELECT count(*) FROM "{t.name}"').scalar())
            for t in (store.workforce_snapshot, store.headcount_cube, store.transition_cube)
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--years", type=int, default=5)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="koers-scale-"))
    frame = generate(a.persons, a.years)
    last = frame["snapshot_date"].max()
    history, month = work / "history.parquet", work / "month.parquet"
    frame[frame["snapshot_date"] < last].to_parquet(history, index=False)
    frame[frame["snapshot_date"] == last].to_parquet(month, index=False)
    rows = len(frame)
    del frame
    db = work / "scale.duckdb"
    engine = open_database(f"duckdb:///{db}")
    out: dict = {"persons": a.persons, "years": a.years, "rows": rows, "load_before": os.getloadavg()}
    for name, path in (("first_import", history), ("one_more_month", month)):
        t, cpu = time.perf_counter(), time.process_time()
        result = import_file(engine, "workforce", path, user="scale")
        out[f"{name}_s"] = time.perf_counter() - t
        out[f"{name}_cpu_s"] = time.process_time() - cpu  # every thread's CPU: comparable under load
        out[f"{name}_rows"] = result.rows
        out[f"load_after_{name}"] = os.getloadavg()
    out["table_rows"] = sizes(engine)
    engine.dispose()
    out["database_mb"] = sum(p.stat().st_size for p in work.glob("scale.duckdb*")) / 2**20
    out["import_peak_rss_mb"] = peak_rss_mb()
    out["dashboard"] = measure("compare", f"duckdb:///{db}")
    out["load_after"] = os.getloadavg()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
