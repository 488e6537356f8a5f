"""Per-horizon coverage and interval scores of the calibrated bands (docs/model.md, section 5), measured on
the real university department, the demo organisation and generated drifting histories.

    python benchmarks/track_bands.py [--demo-db duckdb:///path]   (without it the demo is built in a temp dir)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from di_metrics.analysis.track_record import evaluate, summarise, track_record
from tests.support import generated
from tests.support.university import university

RISING = {"hire_share": (0.15, 0.008, 0.01), "attrition_women": (0.09, 0.002, 0.005)}
FALLING = {"hire_share": (0.30, -0.006, 0.015), "attrition_women": (0.12, -0.002, 0.005)}
SHOWN = {
    "pairs": "pairs",
    "coverage90": "90% MC held",
    "coverage50": "50% MC held",
    "coverage90_calibrated": "90% cal. held",
    "coverage50_calibrated": "50% cal. held",
    "coverage90_cross": "90% cross held",
    "coverage50_cross": "50% cross held",
    "interval_score": "IS MC",
    "interval_score_random_walk": "IS walk",
    "interval_score_calibrated": "IS cal.",
    "interval_score_cross": "IS cross",
    "brier_model": "Brier MC",
    "brier_calibrated": "Brier cal.",
    "brier_climate": "Brier clim",
}


def demo_pairs(url: str | None) -> pd.DataFrame:
    from di_metrics.storage.database import open_database
    from di_metrics.storage.store import connect

    if url is None:
        from di_metrics.demo.build import build_demo

        url = f"duckdb:///{Path(tempfile.mkdtemp()) / 'demo.duckdb'}"
        build_demo(open_database(url))
    with connect(open_database(url)) as conn:
        return track_record(conn).pairs


def table(name: str, pairs: pd.DataFrame) -> str:
    h = summarise(pairs)
    pooled = summarise(pairs.assign(year=pairs["origin"] + 1))  # every pair in one row
    rows = pd.concat([h, pooled.assign(h="all")])[["h", *SHOWN]].rename(columns=SHOWN)
    for c in list(SHOWN.values())[1:]:
        rows[c] = [
            f"{100 * v:.1f}" if "IS" in c else f"{v:.3f}" if "Brier" in c else f"{100 * v:.0f}%" for v in rows[c]
        ]
    lines = ["| " + " | ".join(rows.columns) + " |", "|" + "---|" * len(rows.columns)]
    lines += ["| " + " | ".join(str(v) for v in r) + " |" for r in rows.itertuples(index=False)]
    return f"## {name} ({len(pairs)} pairs; interval scores in pp)\n\n" + "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo-db")
    parser.add_argument("--paths", type=int, default=2_000)
    args = parser.parse_args()
    print(table("University department", evaluate(*university(), paths=args.paths).pairs))
    print(table("Demo organisation", demo_pairs(args.demo_db)))
    histories = [generated.history(seed, **kind) for kind in (RISING, FALLING) for seed in range(6)]
    print(table("Generated drifting histories (12)", pd.concat([evaluate(*h, paths=1_000).pairs for h in histories])))


if __name__ == "__main__":
    main()
