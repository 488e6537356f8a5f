"""The benchmark still runs: its quick form prints the documented JSON (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support import ROOT


def test_quick_benchmark_prints_the_documented_document():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    doc = json.loads(done.stdout)
    assert {
        "rows",
        "timings_ms",
        "ratios",
        "monte_carlo_ms",
        "import_rows_per_s",
        "incremental_import_ratio",
        "peak_rss_mb",
        "whatif_move_cpu_s",
    } <= doc.keys()
    assert set(doc["whatif_move_cpu_s"]) == {"target", "hire_share", "page"}
    assert set(doc["ratios"]) == {"dashboard_vs_raw_duckdb", "flows_vs_raw_duckdb", "pandas_vs_dashboard"}
    assert doc["rows"] > 10_000 and all(v > 0 for v in doc["ratios"].values())
