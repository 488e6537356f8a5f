"""Koers at scale: a first import of a long monthly history, one more month, sizes, dashboard reads, memory.

    python benchmarks/scale.py --persons 1000000 --years 5     # about 60M snapshot rows; not run in CI

Prints one JSON document. Generating the data, each import and the dashboard's reads run in fresh processes
of their own, so each peak memory (VmHWM) is that step's alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import numpy as np  # noqa: E402
from run import generate_parts, measure, month_ends, peak_rss_mb  # noqa: E402

from di_metrics.storage import store  # noqa: E402
from di_metrics.storage.database import open_database  # noqa: E402
from di_metrics.storage.ingest import import_file  # noqa: E402

SUMMARY_TABLES = (store.headcount_cube, store.transition_cube)


STAMP = "files.json"  # written last: the generated files are whole and were made for these arguments


def write_files(persons: int, years: int, work: Path) -> dict:
    """The history (every month but the last) and the last month, as Parquet files, written part by part."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = ("person_id", "gender", "org_unit", "branch", "personnel_category", "rank_group")
    schema = pa.schema([("snapshot_date", pa.date32()), *((name, pa.string()) for name in text)])
    last = np.datetime64(month_ends(years)[-1], "D")
    writers = {name: pq.ParquetWriter(work / f"{name}.parquet", schema) for name in ("history", "month")}
    rows = 0
    for part in generate_parts(persons, years):
        rows += len(part)
        for name, rows_of in (("history", part["snapshot_date"] < last), ("month", part["snapshot_date"] == last)):
            table = pa.Table.from_pandas(part[rows_of], schema=schema, preserve_index=False)
            writers[name].write_table(table, row_group_size=1_000_000)
    for writer in writers.values():
        writer.close()
    stamp = {
        "persons": persons,
        "years": years,
        "rows": rows,
        "file_mb": (work / "history.parquet").stat().st_size / 2**20,
    }
    (work / STAMP).write_text(json.dumps(stamp))
    return stamp


def files_for(persons: int, years: int, work: Path) -> dict:
    """The files of an earlier run in `work` when they were made whole for these arguments, else new ones."""
    stamp = work / STAMP
    if stamp.exists():
        made = json.loads(stamp.read_text())
        if (made["persons"], made["years"]) == (persons, years):
            return made
    stamp.unlink(missing_ok=True)
    return in_child("files", str(persons), str(years), str(work))


def import_one(url: str, path: Path) -> dict:
    engine = open_database(url)
    t, cpu = time.perf_counter(), time.process_time()
    result = import_file(engine, "workforce", path, user="scale")
    out = {"s": time.perf_counter() - t, "cpu_s": time.process_time() - cpu, "rows": result.rows}
    engine.dispose()
    return out | {"peak_rss_mb": peak_rss_mb(), "load": os.getloadavg()[0]}


def sizes(url: str) -> dict:
    """Rows of the snapshot and summary tables, and the summary tables' storage (DuckDB's blocks, 256 KiB)."""
    engine = store.make_engine(url)
    out: dict = {}
    with store.connect(engine) as conn:
        for t in (store.workforce_snapshot, *SUMMARY_TABLES):
            out[f"{t.name}_rows"] = int(conn.exec_driver_sql(f'SELECT count(*) FROM "{t.name}"').scalar())
        for t in SUMMARY_TABLES:
            blocks = conn.exec_driver_sql(
                f"SELECT count(DISTINCT block_id) FROM pragma_storage_info('{t.name}') WHERE block_id >= 0"
            ).scalar()
            out[f"{t.name}_mb"] = int(blocks or 0) * 256 / 1024
    engine.dispose()
    return out


def in_child(step: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", step, *args], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--work", type=Path, help="a folder to keep the files in; files already there are reused")
    ap.add_argument("--files-only", action="store_true", help="only write the Parquet files (into --work)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        step, *args = a.child
        if step == "files":
            print(json.dumps(write_files(int(args[0]), int(args[1]), Path(args[2]))))
        else:
            print(json.dumps(import_one(args[0], Path(args[1]))))
        return
    work = a.work or Path(tempfile.mkdtemp(prefix="koers-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    url = f"duckdb:///{work / 'scale.duckdb'}"
    out: dict = files_for(a.persons, a.years, work)
    if a.files_only:
        print(json.dumps(out))
        return
    for old in work.glob("scale.duckdb*"):
        old.unlink()
    out["load_before"] = os.getloadavg()[0]
    out["first_import"] = in_child("import", url, str(work / "history.parquet"))
    out["one_more_month"] = in_child("import", url, str(work / "month.parquet"))
    out["first_import_rows_per_s"] = out["first_import"]["rows"] / out["first_import"]["s"]
    out |= sizes(url)
    out["database_mb"] = sum(p.stat().st_size for p in work.glob("scale.duckdb*")) / 2**20
    out["dashboard"] = measure("compare", url)
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
