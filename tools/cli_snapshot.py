"""Snapshot every JSON document the CLI prints, to compare two versions of the code byte for byte.

Builds the demo database once (fixed seed) in OUTDIR, then runs each command variant below with `--json`
and writes its stdout to OUTDIR/<variant>.json (a refusal's stderr to OUTDIR/<variant>.err.json, with its exit
code in OUTDIR/exit_codes.json). Run it on two checkouts and compare:

    python tools/cli_snapshot.py /tmp/golden-base          # at the base commit
    python tools/cli_snapshot.py /tmp/golden-branch        # on the branch
    diff -r /tmp/golden-base /tmp/golden-branch            # empty: the JSON is the same

`--text nl|en` writes the readable text in that language instead (OUTDIR/<variant>.<lang>.txt). `--db FILE`
reuses a demo database already built (it is only read, except by the `rebuild` variant, which
runs on a copy). Commands run as separate processes of the interpreter running this script, from the
current directory, so run it from the checkout's root. DuckDB runs on one thread (`?threads=1`): with more, the
order in which it adds floating-point numbers varies from run to run, and so does a sum's last digit.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

SEED = "2030"  # the demo's default seed, given explicitly so a changed default does not change the database
SIMS = ["--simulations", "200", "--seed", "7"]  # small, fixed: a Monte Carlo run is cheap and repeatable
SMALL_UNIT = ["--org-unit", "Hydrografische Dienst"]  # a small unit: the disclosure rules hide some figures

VARIANTS: dict[str, list[str]] = {
    "targets-list": ["targets", "list"],
    "status": ["status"],
    "status-branch": ["status", "--branch", "CZSK"],
    "status-category": ["status", "--category", "civilian", "--branch", "KMar", "--branch", "CLAS"],
    "status-small-unit": ["status", *SMALL_UNIT],
    "flows": ["flows"],
    "flows-branch": ["flows", "--branch", "CLSK"],
    "flows-small-unit": ["flows", *SMALL_UNIT],
    "survey": ["survey"],
    "survey-by-gender": ["survey", "--by", "gender"],
    "survey-by-branch": ["survey", "--by", "branch"],
    "survey-by-gender-branch": ["survey", "--by", "gender+branch", "--wave", "2025"],
    "survey-social-safety-reference": ["survey", "--measure", "social_safety", "--by", "gender", "--reference", "M"],
    "survey-respondents": ["survey", "--source", "respondents", "--by", "personnel_category"],
    "survey-aggregate": ["survey", "--source", "aggregate", "--measure", "inclusion_fair_treatment", "--by", "gender"],
    "survey-branch-filter": ["survey", "--branch", "DMO", "--by", "gender"],
    "survey-answers": ["survey", "--answers", "incl_belong"],
    "survey-answers-by-gender": ["survey", "--answers", "safe_speak_up", "--by", "gender", "--wave", "2023"],
    "survey-answers-small-unit": ["survey", "--answers", "incl_belong", "--by", "gender", *SMALL_UNIT],
    "reports": ["reports"],
    "reports-branch": ["reports", "--branch", "KMar"],
    "peers": ["peers"],
    "peers-branch": ["peers", "--branch", "CLAS"],
    "peers-category": ["peers", "--category", "military"],
    "measures-list": ["measures", "list"],
    "project": ["project"],
    "project-sims": ["project", *SIMS],
    "project-levers": [
        "project",
        "--hire-share",
        "0.3",
        "--attrition-women",
        "0.08",
        "--growth",
        "0.01",
        "--until",
        "2035",
        "--target",
        "0.2",
        "--deadline",
        "2032",
        *SIMS,
    ],
    "project-branch": ["project", "--branch", "CZSK", *SIMS],
    "project-explicit": [
        "project",
        "--start-year",
        "2024",
        "--women",
        "1500",
        "--men",
        "8500",
        "--other",
        "20",
        "--hire-share",
        "0.25",
        "--attrition-women",
        "0.09",
        "--attrition-men",
        "0.07",
        *SIMS,
    ],
    "project-ranks-military": ["project", "--ranks", "military"],
    "project-ranks-civilian": ["project", "--ranks", "civilian", "--branch", "DOSCO"],
    "project-small-unit": ["project", *SMALL_UNIT],
    "backtest": ["backtest"],
    "backtest-branch": ["backtest", "--branch", "BS"],
    "frontier": ["frontier"],
    "frontier-points": ["frontier", "--points", "5", "--target", "0.18", "--deadline", "2033"],
    "frontier-branch": ["frontier", "--branch", "CLSK", "--points", "7"],
    "frontier-explicit": [
        "frontier",
        "--start-year",
        "2024",
        "--women",
        "1500",
        "--men",
        "8500",
        "--hire-share",
        "0.2",
        "--attrition-women",
        "0.09",
        "--attrition-men",
        "0.07",
        "--points",
        "9",
    ],
    "frontier-unreachable": ["frontier", "--target", "0.5", "--deadline", "2027", "--points", "3"],
    "allocate": ["allocate"],
    "allocate-category": ["allocate", "--by", "category"],
    "allocate-levers": ["allocate", "--target", "0.2", "--deadline", "2031", "--growth", "0.02"],
    "allocate-branch-filter": ["allocate", "--by", "category", "--branch", "CLAS"],
    "watchlist": ["watchlist"],
    "watchlist-org-unit": ["watchlist", "--by", "org_unit"],
    "watchlist-filter": ["watchlist", "--by", "org_unit", "--branch", "CZSK"],
    # refusals: their --json documents on stderr
    "refuse-frontier-points": ["frontier", "--points", "1"],
    "refuse-project-start": ["project", "--women", "10"],
    "refuse-project-ranks-explicit": [
        "project",
        "--start-year",
        "2024",
        "--women",
        "1",
        "--men",
        "9",
        "--ranks",
        "military",
    ],
    "refuse-survey-by": ["survey", "--by", "shoe_size"],
    "refuse-targets-load": ["targets", "load"],
}
NO_DB = {"project-explicit", "frontier-explicit", "refuse-project-ranks-explicit"}


def _url(path: Path) -> str:
    return f"duckdb:///{path.resolve()}?threads=1"


def run(db_url: str, name: str, argv: list[str], outdir: Path, text: str | None = None) -> int:
    """Run one variant; its stdout (or a refusal's stderr) goes to OUTDIR/<name>.json (.err.json), or with
    `text` (a language) the readable form to OUTDIR/<name>.<lang>.txt (.err.txt)."""
    form, suffix = (["--json"], "json") if text is None else (["--lang", text], f"{text}.txt")
    command = [sys.executable, "-m", "di_metrics", *argv, *form]
    if name not in NO_DB:
        command += ["--db", db_url]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    (outdir / f"{name}.{suffix}").write_text(done.stdout, encoding="utf-8")
    if done.returncode:
        (outdir / f"{name}.err.{suffix}").write_text(done.stderr, encoding="utf-8")
    return done.returncode


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("outdir", type=Path)
    p.add_argument("--db", type=Path, default=None, help="a demo DuckDB file already built (else built in OUTDIR)")
    p.add_argument("--only", nargs="*", default=None, help="run only these variants")
    p.add_argument("--text", choices=("nl", "en"), default=None, help="the readable text in this language, not JSON")
    args = p.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    work = args.outdir / "_db"
    work.mkdir(exist_ok=True)
    db = args.db or work / "demo.duckdb"
    if args.db is None:
        build = [sys.executable, "-m", "di_metrics", "demo", "--seed", SEED, "--db", _url(db), "--json"]
        (args.outdir / "demo.json").write_text(subprocess.run(build, capture_output=True, text=True, check=True).stdout)
    codes = {}
    for name, variant in VARIANTS.items():
        if args.only is None or name in args.only:
            codes[name] = run(_url(db), name, variant, args.outdir, args.text)
            print(f"{codes[name]} {name}", file=sys.stderr)
    if args.only is None:
        copy = work / "rebuild.duckdb"
        shutil.copyfile(db, copy)
        codes["rebuild"] = run(_url(copy), "rebuild", ["rebuild"], args.outdir, args.text)
        copy.unlink()
    (args.outdir / "exit_codes.json").write_text(json.dumps(codes, indent=1, sort_keys=True) + "\n")
    shutil.rmtree(work) if args.db is None else None
    return 0


if __name__ == "__main__":
    sys.exit(main())
