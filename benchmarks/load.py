"""Load: N concurrent browser sessions against one Koers server on loopback, each running the what-if journey.

    python benchmarks/load.py --sessions 25 [--rounds 3] [--json]

Each session opens the what-if page, waits for the headline, then moves the target slider and waits for the
new headline; an interaction's latency is from the key press to the new headline. Reports p50 and p95, errors,
and the server's peak memory. Traffic stays on 127.0.0.1 and every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402

from tests.browser import CHROMIUM_ARGS, AppServer, chromium_path  # noqa: E402


def server_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def journey(page, url: str, rounds: int, latencies: list[float], errors: list[str]) -> None:
    try:
        await page.goto(url + "/whatif?lang=en", wait_until="domcontentloaded")
        await page.get_by_test_id("stHeading").filter(has_text="To reach").first.wait_for(timeout=180_000)
        thumb = page.get_by_test_id("stSlider").filter(has_text="Target").get_by_role("slider")
        for i in range(rounds):
            target = 29 - i
            await thumb.focus()
            start = time.perf_counter()
            await thumb.press("ArrowLeft")
            await (
                page.get_by_test_id("stHeading").filter(has_text=f"To reach {target}%").first.wait_for(timeout=120_000)
            )
            latencies.append(time.perf_counter() - start)
        if await page.get_by_test_id("stException").count():
            errors.append("exception shown")
    except Exception as exc:  # a timeout or a crash is an error of this session, counted, not raised
        errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")


async def drive(url: str, sessions: int, rounds: int, latencies: list[float], errors: list[str]) -> None:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        warm = await browser.new_page()
        await journey(warm, url, 1, [], [])  # the first start fills caches; not measured
        await warm.close()
        pages = [
            await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
            for _ in range(sessions)
        ]
        await asyncio.gather(*(journey(page, url, rounds, latencies, errors) for page in pages))
        await browser.close()


def run(sessions: int, rounds: int, database_url: str) -> dict:
    app = AppServer(database_url, ROOT / "benchmarks" / "load-server.log")
    latencies: list[float] = []
    errors: list[str] = []
    try:
        asyncio.run(drive(app.url, sessions, rounds, latencies, errors))
        rss = server_rss_mb(app.proc.pid)
    finally:
        app.close()
    ordered = sorted(latencies)
    return {
        "sessions": sessions,
        "interactions": len(latencies),
        "errors": errors,
        "p50_s": statistics.median(ordered) if ordered else None,
        "p95_s": ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else None,
        "server_peak_rss_mb": rss,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=25)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--db", default=f"duckdb:///{ROOT / 'data' / 'koers.duckdb'}")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    doc = run(a.sessions, a.rounds, a.db)
    if a.json:
        print(json.dumps(doc))
    else:
        print(
            f"{doc['sessions']} sessions, {doc['interactions']} interactions, {len(doc['errors'])} errors; "
            f"p50 {doc['p50_s']:.2f} s, p95 {doc['p95_s']:.2f} s; server peak RSS {doc['server_peak_rss_mb']:.0f} MB"
        )
        for error in doc["errors"][:5]:
            print("  error:", error)


if __name__ == "__main__":
    main()
