"""What one what-if rerun costs the server: CPU seconds per target move and per hiring-share move.

    python benchmarks/rerun_cost.py [--moves 40] [--py-spy /path/to/py-spy] [--json]

One protocol user (benchmarks/protocol.py) opens the what-if page on one server with the DuckDB demo and
moves the sliders one after another, nobody else on the server, so the server's CPU time over the moves
divided by their number is the cost of one move: a figure that a busy machine inflates far less than a
latency. With `--py-spy`, py-spy samples the server meanwhile and the top functions are printed (by
samples in which they are on the stack, and by own samples), and the raw profile is kept in
benchmarks/work/.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import FIRST_TARGET, HIRE, TARGET, cpu_seconds, whatif_query  # noqa: E402
from benchmarks.protocol import Session  # noqa: E402
from tests.support.browser import AppServer  # noqa: E402

WORK = ROOT / "benchmarks" / "work"


async def moves(url: str, pid: int, count: int, ready=lambda: None) -> dict[str, float]:
    """Server CPU seconds per move of each slider, after a page load and two unmeasured moves (then `ready()`)."""
    session = Session(url)
    await session.open("whatif", whatif_query(37, FIRST_TARGET))
    await session.set_slider(TARGET, FIRST_TARGET + 1)
    await session.set_slider(HIRE, 37.5)
    ready()
    cost = {}
    targets, hires = [FIRST_TARGET + i % 20 for i in range(count)], [20 + 0.5 * i for i in range(count)]
    for label, values in ((TARGET, targets), (HIRE, hires)):
        before = cpu_seconds(pid)
        for value in values:
            run = await session.set_slider(label, value)
            assert not run.errors, run.errors
        cost[label] = (cpu_seconds(pid) - before) / count
    await session.close()
    return cost


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
    ap.add_argument("--db", default=f"duckdb:///{ROOT / 'data' / 'koers.duckdb'}")
    ap.add_argument("--py-spy", dest="py_spy", help="path to py-spy, to profile the server during the moves")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    WORK.mkdir(exist_ok=True)
    app = AppServer(a.db, WORK / "rerun-cost-server.log")
    spy, out = None, WORK / "rerun-profile.txt"

    def start_profile() -> None:
        nonlocal spy
        if a.py_spy:
            spy = subprocess.Popen([a.py_spy, "record", "-p", str(app.proc.pid), "-f", "raw", "-r", "100", "-o", out])

    try:
        cost = asyncio.run(moves(app.url, app.proc.pid, a.moves, start_profile))
    finally:
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(60)
        app.close()
    doc = {"server_cpu_s_per_target_move": cost[TARGET], "server_cpu_s_per_hire_move": cost[HIRE]}
    if spy is not None:
        doc["on_stack"], doc["own"] = top(out)
    if a.json:
        print(json.dumps(doc))
        return
    print(f"server CPU per target move {cost[TARGET]:.3f} s, per hiring-share move {cost[HIRE]:.3f} s")
    for heading in ("on_stack", "own"):
        for frame, share in doc.get(heading, []):
            print(f"  {heading:8} {share:6.1%}  {frame}")


if __name__ == "__main__":
    main()
