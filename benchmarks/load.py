"""Load: N concurrent browser sessions against one Koers server on loopback, each running the what-if journey.

    python benchmarks/load.py --sessions 25 [--rounds 4] [--arrival 3] [--think 5 15] [--json]

Users arrive one every `--arrival` seconds and open the what-if page with a hiring share of their own (so
no session is served from another's cache), wait for the headline (the page load) and move the target
slider once, unmeasured: a browser's first move costs it twice the CPU of later ones while it compiles the
page's code. When all have arrived, each waits a random part of the longest think time (so that the
sessions do not move in step, as users who arrived at different times do not) and then runs `--rounds`
interactions: think for a random time in `--think` seconds, move the target slider one step, wait for
the new headline. An interaction's latency is from the
key press to the new headline on screen. `--think 0 0` is the burst case: every session presses at once.

The browsers stand in for the users' own computers. Here they share the server's two cores, so they run
at a lower CPU priority (nice 10) than the server; their rendering still counts in every latency. Reports
p50 and p95 latency, page loads, errors, the server's peak memory, and how the CPU time was shared.
Traffic stays on 127.0.0.1 and every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402

from tests.browser import CHROMIUM_ARGS, AppServer, chromium_path  # noqa: E402

CLIENT_NICENESS = 10
FIRST_TARGET = 30  # the demo's target; each move takes it one step up


def server_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time spent on anything but idling, summed over all cores."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split()[1:9]]
    idle, iowait = ticks[3], ticks[4]
    return (sum(ticks) - idle - iowait) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return ordered[max(0, round(q * len(ordered)) - 1)] if ordered else None


def headline(page, target: int):
    return page.get_by_test_id("stHeading").filter(has_text=f"To reach {target}%").first


async def arrive(page, url: str, hire_share: float, delay: float, loads: list[float], errors: list[str]) -> bool:
    """Open the what-if page after `delay` seconds and make a first, unmeasured move; True if both worked."""
    await asyncio.sleep(delay)
    try:
        start = time.perf_counter()
        await page.goto(f"{url}/whatif?lang=en&h={hire_share:g}&t={FIRST_TARGET}", wait_until="domcontentloaded")
        await headline(page, FIRST_TARGET).wait_for(timeout=180_000)
        loads.append(time.perf_counter() - start)
        await move_target(page, FIRST_TARGET + 1, 3.0)
        return True
    except Exception as exc:  # a timeout or a crash is an error of this session, counted, not raised
        errors.append(f"arrival: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
        return False


async def move_target(page, target: int, think: float) -> float:
    """Think, move the target slider one step up, and return the seconds until the new headline shows."""
    await asyncio.sleep(think)
    thumb = page.get_by_test_id("stSlider").filter(has_text="Target").get_by_role("slider")
    await thumb.focus()
    start = time.perf_counter()
    await thumb.press("ArrowRight")
    await headline(page, target).wait_for(timeout=120_000)
    return time.perf_counter() - start


async def interact(
    page, rounds: int, think: tuple[float, float], rng: random.Random, latencies: list[float], errors: list[str]
) -> None:
    try:
        await asyncio.sleep(rng.uniform(0, think[1]))  # a phase of its own, as users' moves are in steady state
        for i in range(2, rounds + 2):
            latencies.append(await move_target(page, FIRST_TARGET + i, rng.uniform(*think)))
        if await page.get_by_test_id("stException").count():
            errors.append("exception shown")
    except Exception as exc:  # a timeout or a crash is an error of this session, counted, not raised
        errors.append(f"interaction: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")


async def drive(url: str, a: argparse.Namespace, server_pid: int) -> dict:
    loads: list[float] = []
    latencies: list[float] = []
    errors: list[str] = []
    rng = random.Random(2030)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        warm = await browser.new_page()
        await arrive(warm, url, 40.0, 0, [], [])  # the first start after launch fills the shared caches
        await warm.close()
        contexts = [await browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(a.sessions)]
        pages = [await context.new_page() for context in contexts]
        arrived = await asyncio.gather(  # each session its own hiring share, so its own scenario
            *(arrive(page, url, 36 + 0.5 * k, k * a.arrival, loads, errors) for k, page in enumerate(pages))
        )
        server_cpu, busy, start = cpu_seconds(server_pid), machine_busy_seconds(), time.perf_counter()
        await asyncio.gather(
            *(
                interact(page, a.rounds, tuple(a.think), random.Random(rng.random()), latencies, errors)
                for page, ok in zip(pages, arrived, strict=True)
                if ok
            )
        )
        wall = time.perf_counter() - start
        server_cpu, busy = cpu_seconds(server_pid) - server_cpu, machine_busy_seconds() - busy
        await browser.close()
    return {
        "sessions": a.sessions,
        "arrival_s": a.arrival,
        "think_s": list(a.think),
        "interactions": len(latencies),
        "errors": errors,
        "p50_s": statistics.median(latencies) if latencies else None,
        "p95_s": percentile(latencies, 0.95),
        "page_load_p50_s": statistics.median(loads) if loads else None,
        "page_load_p95_s": percentile(loads, 0.95),
        "measured_s": wall,
        "server_cpu_share": server_cpu / busy if busy else None,
        "machine_busy_share": busy / (wall * os.cpu_count()),
    }


def run(a: argparse.Namespace) -> dict:
    app = AppServer(a.db, ROOT / "benchmarks" / "load-server.log")
    try:
        os.nice(CLIENT_NICENESS)  # after the server started: the driver and its browsers inherit it, the server not
        doc = asyncio.run(drive(app.url, a, app.proc.pid))
        doc["server_peak_rss_mb"] = server_rss_mb(app.proc.pid)
    finally:
        app.close()
    return doc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=25)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--arrival", type=float, default=3.0, help="seconds between two users' arrivals")
    ap.add_argument("--think", type=float, nargs=2, default=(5.0, 15.0), metavar=("MIN", "MAX"))
    ap.add_argument("--db", default=f"duckdb:///{ROOT / 'data' / 'koers.duckdb'}")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    doc = run(a)
    if a.json:
        print(json.dumps(doc))
        return
    fmt = lambda v: "–" if v is None else f"{v:.2f} s"  # noqa: E731
    print(
        f"{doc['sessions']} sessions (one every {a.arrival:g} s, thinking {a.think[0]:g}-{a.think[1]:g} s), "
        f"{doc['interactions']} interactions, {len(doc['errors'])} errors\n"
        f"  interaction p50 {fmt(doc['p50_s'])}, p95 {fmt(doc['p95_s'])}; "
        f"page load p50 {fmt(doc['page_load_p50_s'])}, p95 {fmt(doc['page_load_p95_s'])}\n"
        f"  server peak RSS {doc['server_peak_rss_mb']:.0f} MB; machine busy {doc['machine_busy_share']:.0%}, "
        f"of which the server {doc['server_cpu_share']:.0%} (the rest: the browsers)"
    )
    for error in doc["errors"][:5]:
        print("  error:", error)


if __name__ == "__main__":
    main()
