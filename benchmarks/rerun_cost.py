"""What one what-if rerun costs the server: CPU seconds of the page's first run, of a target move and of a
hiring-share move, measured in one run, so that their ratios hold on a busy machine (issue 31's goals: a target
move <= 0.15x the first run, a hiring-share move <= 0.30x).

    python benchmarks/rerun_cost.py [--moves 40] [--opens 5] [--py-spy /path/to/py-spy] [--json]

The first run: a new session opens the page with a hiring share no session used before (so no cache serves
its Monte Carlo, figures or sections), after one unmeasured open that loads the code; the median of `--opens`.

One protocol user (benchmarks/protocol.py) opens the what-if page on one server with the DuckDB demo and
moves the sliders one after another, nobody else on the server, so the server's CPU time over the moves
divided by their number is the cost of one move: a figure that a busy machine inflates far less than a
latency. With `--py-spy`, py-spy samples the server meanwhile and the top functions are printed (by
samples in which they are on the stack, and by own samples), one profile for the target moves and one for the
hiring-share moves, and the raw profiles are kept in benchmarks/work/.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import signal
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import FIRST_TARGET, HIRE, TARGET, cpu_seconds, whatif_query  # noqa: E402
from benchmarks.protocol import Session  # noqa: E402
from tests.support.browser import AppServer  # noqa: E402

WORK = ROOT / "benchmarks" / "work"


async def moves(url: str, pid: int, count: int, phase=lambda label: None) -> dict[str, float]:
    """Server CPU seconds per move of each slider, after a page load and two unmeasured moves; `phase(label)` is
    called as each slider's moves begin, `phase(None)` after the last (a profile per slider)."""
    session = Session(url)
    await session.open("whatif", whatif_query(37, FIRST_TARGET))
    await session.set_slider(TARGET, FIRST_TARGET + 1)
    await session.set_slider(HIRE, 37.5)
    cost = {}
    targets, hires = [FIRST_TARGET + i % 20 for i in range(count)], [20 + 0.5 * i for i in range(count)]
    for label, values in ((TARGET, targets), (HIRE, hires)):
        phase(label)
        before = cpu_seconds(pid)
        for value in values:
            run = await session.set_slider(label, value)
            assert not run.errors, run.errors
        cost[label] = (cpu_seconds(pid) - before) / count
    phase(None)
    await session.close()
    return cost


async def first_runs(url: str, pid: int, count: int) -> float:
    """Median server CPU seconds of the what-if page's first run in a new session, each on a new scenario."""
    costs = []
    for i in range(count + 1):
        session = Session(url)
        before = cpu_seconds(pid)
        run = await session.open("whatif", whatif_query(23.5 + 1.5 * i, FIRST_TARGET))
        assert not run.errors, run.errors
        costs.append(cpu_seconds(pid) - before)
        await session.close()
    return statistics.median(costs[1:])  # the first open also loads the page's code


def move_cost(doc: dict[str, float]) -> dict[str, float]:
    """`whatif_move_cpu_s` as benchmarks/run.py reports it, and the two ratios of issue 31."""
    page = doc["page"]
    return {
        "whatif_move_cpu_s": doc,
        "whatif_move_ratios": {"target": doc["target"] / page, "hire_share": doc["hire_share"] / page},
    }


def measure(db: str, moves_each: int = 40, opens: int = 5, log: Path | None = None) -> dict[str, float]:
    """Start a server on `db`, measure the first run and both moves, stop it: `whatif_move_cpu_s`."""
    WORK.mkdir(exist_ok=True)
    app = AppServer(db, log or WORK / "rerun-cost-server.log")
    try:
        page = asyncio.run(first_runs(app.url, app.proc.pid, opens))
        cost = asyncio.run(moves(app.url, app.proc.pid, moves_each))
    finally:
        app.close()
    return {"target": cost[TARGET], "hire_share": cost[HIRE], "page": page}


def frame_name(frame: str) -> str:
    """'function (path/to/file.py:line)' as 'function (file.py)'."""
    function, _, where = frame.partition(" (")
    return f"{function} ({where.split(':')[0].split('/')[-1]})"


def top(profile: Path, n: int = 15) -> tuple[list, list]:
    """The functions most often on the stack, and most often on top of it, in py-spy's raw (collapsed) output."""
    inclusive, own, total = collections.Counter(), collections.Counter(), 0
    for line in profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [frame_name(f) for f in stack.split(";")]
        total += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
        own[frames[-1]] += int(count)
    share = lambda counter: [(f, round(c / total, 3)) for f, c in counter.most_common(n)]  # noqa: E731
    return share(inclusive), share(own)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--moves", type=int, default=40, help="moves of each slider")
    ap.add_argument("--opens", type=int, default=5, help="first runs of the page, each in a new session")
    ap.add_argument("--db", default=f"duckdb:///{ROOT / 'data' / 'koers.duckdb'}")
    ap.add_argument("--py-spy", dest="py_spy", help="path to py-spy, to profile the server during the moves")
    ap.add_argument("--top", type=int, default=15, help="functions listed per profile")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    WORK.mkdir(exist_ok=True)
    app = AppServer(a.db, WORK / "rerun-cost-server.log")
    spy, profiles = None, {}

    def stop_profile() -> None:
        nonlocal spy
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(60)
            spy = None

    def profile(label: str | None) -> None:
        """One py-spy profile per slider's moves: what a target move and a hiring-share move cost, apart."""
        nonlocal spy
        stop_profile()
        if a.py_spy and label is not None:
            name = "target" if label == TARGET else "hire_share"
            profiles[name] = WORK / f"rerun-profile-{name}.txt"
            command = [a.py_spy, "record", "-p", str(app.proc.pid), "-f", "raw", "-r", "100", "--threads"]
            spy = subprocess.Popen([*command, "-o", str(profiles[name])], stdout=subprocess.DEVNULL)  # --json clean

    try:
        page = asyncio.run(first_runs(app.url, app.proc.pid, a.opens))
        cost = asyncio.run(moves(app.url, app.proc.pid, a.moves, profile))
    finally:
        stop_profile()
        app.close()
    doc = move_cost({"target": cost[TARGET], "hire_share": cost[HIRE], "page": page})
    for name, out in profiles.items():
        doc[f"{name}_on_stack"], doc[f"{name}_own"] = top(out, a.top)
    if a.json:
        print(json.dumps(doc))
        return
    c, r = doc["whatif_move_cpu_s"], doc["whatif_move_ratios"]
    print(
        f"server CPU: first run of the page {c['page']:.3f} s, target move {c['target']:.3f} s "
        f"({r['target']:.2f}x, goal <= 0.15x), hiring-share move {c['hire_share']:.3f} s "
        f"({r['hire_share']:.2f}x, goal <= 0.30x)"
    )
    for name in profiles:
        for heading in (f"{name}_on_stack", f"{name}_own"):
            for frame, share in doc.get(heading, []):
                print(f"  {heading:20} {share:6.1%}  {frame}")


if __name__ == "__main__":
    main()
