"""Load: N concurrent users against Koers on loopback, each running the what-if journey.

    python benchmarks/load.py --sessions 25 [--rounds 4] [--arrival 3] [--think 5 15] [--json]
    python benchmarks/load.py --protocol --sessions 100 [--replicas 2] [--hire-moves 0.25] [--json]

Two kinds of user. By default, headless Chromium browsers (below). With `--protocol`, users who speak
Streamlit's own websocket protocol without a browser (benchmarks/protocol.py): they cost the machine a
fraction of a browser, so what is measured is the server; what rendering adds is the difference between the
two at a load both can carry. A protocol user opens the same link, waits until the script run has finished,
and in each round changes the target slider, or with probability `--hire-moves` the hiring share, and waits
until the rerun has finished (and checks that it shows the new target and no error).

`--replicas N` (protocol users only) runs the README's shared deployment: N servers on one PostgreSQL
database (`--pg`, an admin URL; the database `koers_load` on it is created and given the demo once) behind
deploy/nginx.conf. Each user first asks nginx, without a cookie, for the routing cookie a browser would get,
and opens its websocket with it, so users are spread over the replicas exactly as nginx spreads browsers.
The JSON then also reports each replica. Without `--replicas`: one server on the DuckDB demo file, as before.

Users arrive one every `--arrival` seconds and open the what-if page with a hiring share of their own (so
no session is served from another's cache), wait for the headline (the page load) and move the target
slider once, unmeasured: a browser's first move costs it twice the CPU of later ones while it compiles the
page's code. When all have arrived, each waits a random part of the longest think time (so that the
sessions do not move in step, as users who arrived at different times do not) and then runs `--rounds`
interactions: think for a random time in `--think` seconds, move the target slider one step, wait for
the new headline. An interaction's latency is from the
key press to the new headline on screen. `--think 0 0` is the burst case: every session presses at once.
The browser variant also watches each page's websocket, as Chromium reports it to the page: `sent_p50_s`,
key press until the change left the page; `finished_p50_s`, until the page took in the run's end (after the
elements sent before it, which the page handles in order). The headline is the run's first element, so the
screen's latency may end before the wire's: the wire shows where a browser's time goes, not a sum.

The browsers stand in for the users' own computers. Here they share the server's two cores, so they run
at a lower CPU priority (nice 10) than the server; their rendering still counts in every latency. Reports
p50 and p95 latency, page loads, errors, the server's peak memory, and how the CPU time was shared.
Traffic stays on 127.0.0.1 and every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import statistics
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from benchmarks import faults  # noqa: E402
from benchmarks.protocol import FINISHED, RunFailed, Session, replica_cookie, timed  # noqa: E402
from di_metrics.i18n import t  # noqa: E402
from di_metrics.models.levers import SLIDER_LEVERS  # noqa: E402
from di_metrics.vocab import DEFAULT_TARGET  # noqa: E402
from tests.support.browser import CHROMIUM_ARGS, AppServer, chromium_path  # noqa: E402
from tests.support.replicas import Replicas  # noqa: E402

CLIENT_NICENESS = 10
FIRST_TARGET = round(100 * DEFAULT_TARGET)  # the demo's target; each move takes it one step up
TARGET, HIRE = t("whatif.lever_target", "en"), t("whatif.lever_hire", "en")  # the sliders' English labels
LOAD_DATABASE = "koers_load"


def user_query(k: int) -> str:
    """User k's link: a hiring share of its own (and past 100 users a growth of its own too), so its own scenario."""
    return whatif_query(hire_share(k), FIRST_TARGET, 0.1 * (k // 100) if k >= 100 else None)


def whatif_query(hire: float, target: float, growth: float | None = None) -> str:
    """An English what-if link with these levers in percent, under the lever registry's URL names."""
    levers = {"hire": hire, "target": target, "growth": growth}
    return "&".join(["lang=en", *(f"{SLIDER_LEVERS[k].param}={v:g}" for k, v in levers.items() if v is not None)])


def hire_share(k: int) -> float:
    return 30 + 0.5 * (k % 100)


def server_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None  # a replica the drill killed


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


async def arrive(page, wire: Wire, url: str, query: str, delay: float, loads: list[float], errors: list[str]) -> bool:
    """Open the what-if page after `delay` seconds and make a first, unmeasured move; True if both worked."""
    await asyncio.sleep(delay)
    try:
        start = time.perf_counter()
        await page.goto(f"{url}/whatif?{query}", wait_until="domcontentloaded")
        await headline(page, FIRST_TARGET).wait_for(timeout=180_000)
        loads.append(time.perf_counter() - start)
        await move_target(page, wire, FIRST_TARGET + 1, 3.0)
        return True
    except Exception as exc:  # a timeout or a crash is an error of this session, counted, not raised
        errors.append(f"arrival: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
        return False


@dataclasses.dataclass
class Wire:
    """When a browser's first message after a move left on its websocket, and when the run it caused had
    finished there (Chromium reports frames as they cross the socket, before anything is drawn)."""

    sent: float | None = None
    finished: float | None = None

    def clear(self) -> None:
        self.sent = self.finished = None

    def on_sent(self, payload: bytes | str) -> None:
        self.sent = self.sent or time.perf_counter()

    def on_received(self, payload: bytes | str) -> None:
        """The first finished run after this move was sent; only small frames are read (a `script_finished`
        is a few bytes), so watching costs the client little beside the elements the page draws."""
        if self.sent is None or self.finished is not None or not isinstance(payload, bytes) or len(payload) > 256:
            return
        msg = ForwardMsg.FromString(payload)
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished in FINISHED:
            self.finished = time.perf_counter()


def watch_wire(page) -> Wire:
    """The page's Streamlit websocket, watched from outside the browser."""
    wire = Wire()

    def on_socket(ws) -> None:
        if ws.url.endswith("/_stcore/stream"):
            ws.on("framesent", wire.on_sent)
            ws.on("framereceived", wire.on_received)

    page.on("websocket", on_socket)
    return wire


@dataclasses.dataclass
class Move:
    """One move's seconds from the key press: until the browser sent it, until the run had finished on the
    wire, and until the new headline was on screen."""

    sent_s: float | None
    finished_s: float | None
    screen_s: float


async def move_target(page, wire: Wire, target: int, think: float) -> Move:
    """Think, move the target slider one step up, and time the move (`Move`)."""
    await asyncio.sleep(think)
    thumb = page.get_by_test_id("stSlider").filter(has_text="Target").get_by_role("slider")
    await thumb.focus()
    wire.clear()
    start = time.perf_counter()
    await thumb.press("ArrowRight")
    await headline(page, target).wait_for(timeout=120_000)
    screen = time.perf_counter() - start
    since = lambda t: None if t is None else t - start  # noqa: E731
    return Move(since(wire.sent), since(wire.finished), screen)


async def interact(
    page, wire: Wire, rounds: int, think: tuple[float, float], rng: random.Random, moves: list[Move], errors: list[str]
) -> None:
    try:
        await asyncio.sleep(rng.uniform(0, think[1]))  # a phase of its own, as users' moves are in steady state
        for i in range(2, rounds + 2):
            moves.append(await move_target(page, wire, FIRST_TARGET + i, rng.uniform(*think)))
        if await page.get_by_test_id("stException").count():
            errors.append("exception shown")
    except Exception as exc:  # a timeout or a crash is an error of this session, counted, not raised
        errors.append(f"interaction: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")


async def drive(url: str, a: argparse.Namespace, server_pid: int) -> dict:
    loads: list[float] = []
    moves: list[Move] = []
    errors: list[str] = []
    rng = random.Random(2030)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        warm = await browser.new_page()
        # the first start after launch fills the shared caches
        await arrive(warm, Wire(), url, whatif_query(20, FIRST_TARGET), 0, [], [])
        await warm.close()
        contexts = [await browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(a.sessions)]
        pages = [await context.new_page() for context in contexts]
        wires = [watch_wire(page) for page in pages]
        arrived = await asyncio.gather(  # each session its own hiring share, so its own scenario
            *(
                arrive(page, wire, url, user_query(k), k * a.arrival, loads, errors)
                for k, (page, wire) in enumerate(zip(pages, wires, strict=True))
            )
        )
        server_cpu, busy, start = cpu_seconds(server_pid), machine_busy_seconds(), time.perf_counter()
        await asyncio.gather(
            *(
                interact(page, wire, a.rounds, tuple(a.think), random.Random(rng.random()), moves, errors)
                for page, wire, ok in zip(pages, wires, arrived, strict=True)
                if ok
            )
        )
        wall = time.perf_counter() - start
        server_cpu, busy = cpu_seconds(server_pid) - server_cpu, machine_busy_seconds() - busy
        await browser.close()
    on_wire = {
        f"{name}_{q}_s": stat(values)
        for name, values in (
            ("sent", [m.sent_s for m in moves if m.sent_s is not None]),
            ("finished", [m.finished_s for m in moves if m.finished_s is not None]),
        )
        for q, stat in (("p50", lambda v: statistics.median(v) if v else None), ("p95", lambda v: percentile(v, 0.95)))
    }
    return {
        "client": "browser",
        **figures(a.sessions, 1, [m.screen_s for m in moves], loads, errors, server_cpu),
        **on_wire,
        "moves_without_finish_on_wire": sum(m.finished_s is None for m in moves),
        "arrival_s": a.arrival,
        "think_s": list(a.think),
        "measured_s": wall,
        "server_cpu_share": server_cpu / busy if busy else None,
        "machine_busy_share": busy / (wall * os.cpu_count()),
    }


def figures(
    sessions: int, replicas: int, latencies: list[float], loads: list[float], errors: list[str], cpu: float
) -> dict:
    """The issue's figures for one replica or for all together."""
    return {
        "sessions": sessions,
        "replicas": replicas,
        "interactions": len(latencies),
        "errors": errors,
        "p50_s": statistics.median(latencies) if latencies else None,
        "p95_s": percentile(latencies, 0.95),
        "page_load_p50_s": statistics.median(loads) if loads else None,
        "page_load_p95_s": percentile(loads, 0.95),
        "server_cpu_s_per_interaction": cpu / len(latencies) if latencies else None,
    }


@dataclasses.dataclass
class User:
    """One protocol user: its session, the replica nginx sent it to, and what it measured."""

    k: int
    replica: str
    session: Session | None = None
    loads: list[float] = dataclasses.field(default_factory=list)
    latencies: list[float] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)


def check(run, target: int) -> None:
    """A rerun a user can use: it shows the headline for `target` and no error."""
    if run.errors:
        raise RunFailed(run.errors[0])
    if faults.shows_unreachable(run):
        raise faults.Unreachable()
    if not any(h.startswith(f"To reach {target}%") for h in run.headings):
        raise RunFailed(f"no headline for {target}%")


async def protocol_arrive(user: User, url: str, delay: float) -> None:
    """Open the what-if page with the user's own link after `delay` seconds; then a first move, as the browsers do."""
    await asyncio.sleep(delay)
    try:
        cookie, replica = await asyncio.to_thread(replica_cookie, url)
        user.replica = replica or user.replica
        user.session = Session(url, cookie)
        seconds, run = await timed(user.session.open("whatif", user_query(user.k)))
        check(run, FIRST_TARGET)
        user.loads.append(seconds)
        check(await user.session.set_slider(TARGET, FIRST_TARGET + 1), FIRST_TARGET + 1)
    except Exception as exc:  # a timeout or a crash is an error of this session, counted, not raised
        user.errors.append(f"arrival: {type(exc).__name__}: {str(exc)[:120]}")
        user.session = None


async def protocol_interact(user: User, a: argparse.Namespace, rng: random.Random, drill: faults.Drill | None) -> None:
    """Rounds of: think, move the target one step up (or the hiring share half a point), wait for the rerun.
    During a drill a user comes through the fault as a browser would (benchmarks/faults.py)."""
    target, hire = FIRST_TARGET + 1, hire_share(user.k)
    session = user.session
    try:
        await faults.think(session, rng.uniform(0, a.think[1]), partial(check, target=target), drill)  # own phase
        for _ in range(a.rounds):
            await faults.think(session, rng.uniform(*a.think), partial(check, target=target), drill)
            if rng.random() < a.hire_moves:  # to and fro, so the share stays the user's own
                hire = hire + 0.5 if hire == hire_share(user.k) else hire_share(user.k)
                label, value = HIRE, hire
            else:
                target += 1
                label, value = TARGET, target
            seconds = await faults.move_through(session, label, value, partial(check, target=target), drill)
            user.latencies.append(seconds)
    except Exception as exc:  # a timeout or a crash is an error of this session, counted, not raised
        user.errors.append(f"interaction: {type(exc).__name__}: {str(exc)[:120]}")
    finally:
        await session.close()


async def drive_protocol(url: str, a: argparse.Namespace, servers: dict[str, AppServer]) -> dict:
    """All protocol users against `url`; figures in total and for each replica in `servers` (by address)."""
    for server in servers.values():  # the first run after a start fills each replica's shared caches
        warm = User(-1, "warm-up")
        await protocol_arrive(warm, server.url, 0)
        if warm.session is None:
            raise RuntimeError(f"the warm-up on {server.url} failed: {warm.errors}")
        await warm.session.close()
    only = next(iter(servers)) if len(servers) == 1 else "unknown"
    users = [User(k, only) for k in range(a.sessions)]
    await asyncio.gather(*(protocol_arrive(u, url, u.k * a.arrival) for u in users))
    cpu = {name: cpu_seconds(s.proc.pid) for name, s in servers.items()}
    busy, start = machine_busy_seconds(), time.perf_counter()
    rng = random.Random(2030)
    drill, fault = start_drill(a, servers)
    await asyncio.gather(*(protocol_interact(u, a, random.Random(rng.random()), drill) for u in users if u.session))
    if fault is not None:
        await fault
    wall, busy = time.perf_counter() - start, machine_busy_seconds() - busy
    cpu = {name: cpu_seconds(s.proc.pid) - cpu[name] for name, s in servers.items()}
    per_replica = [
        {"replica": name, **summarise([u for u in users if u.replica == name], 1, cpu[name])}
        | {"server_peak_rss_mb": server_rss_mb(server.proc.pid)}
        for name, server in servers.items()
    ]
    return {
        "client": "protocol",
        **summarise(users, len(servers), sum(cpu.values())),
        "server_peak_rss_mb": sum(r["server_peak_rss_mb"] or 0 for r in per_replica),
        "arrival_s": a.arrival,
        "think_s": list(a.think),
        "hire_moves": a.hire_moves,
        "measured_s": wall,
        "server_cpu_share": sum(cpu.values()) / busy if busy else None,
        "machine_busy_share": busy / (wall * os.cpu_count()),
        "per_replica": per_replica,
        **({"drill": drill.summary()} if drill else {}),  # the run's errors (lost users among them) are "errors"
    }


def start_drill(a: argparse.Namespace, servers: dict[str, AppServer]) -> tuple[faults.Drill | None, Any]:
    """The fault asked for, `at_s` seconds into the measured rounds: a replica killed, or PostgreSQL restarted."""
    kill, restart = getattr(a, "kill_replica_at", None), getattr(a, "restart_postgres_at", None)  # drills only
    if kill is not None:
        drill = faults.Drill("kill-replica", kill)
        return drill, asyncio.ensure_future(faults.kill_replica(drill, servers))
    if restart is not None:
        drill = faults.Drill("restart-postgres", restart)
        return drill, asyncio.ensure_future(faults.restart_postgres(drill, a.pg))
    return None, None


def summarise(users: list[User], replicas: int, cpu: float) -> dict:
    pick = lambda name: [v for u in users for v in getattr(u, name)]  # noqa: E731
    return figures(len(users), replicas, pick("latencies"), pick("loads"), pick("errors"), cpu)


def load_database(admin_url: str) -> str:
    """The benchmark's own PostgreSQL database with the demo organisation, created and built once."""
    import sqlalchemy as sa

    from di_metrics.demo.build import build_demo
    from di_metrics.storage.database import has_workforce, open_database

    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": LOAD_DATABASE}).first():
            conn.execute(sa.text(f'CREATE DATABASE "{LOAD_DATABASE}"'))
    admin.dispose()
    url = sa.engine.make_url(admin_url).set(database=LOAD_DATABASE).render_as_string(hide_password=False)
    engine = open_database(url)
    if not has_workforce(engine):
        build_demo(engine)
    engine.dispose()
    return url


def run(a: argparse.Namespace) -> dict:
    logs = ROOT / "benchmarks" / "work"  # the servers' logs and nginx's files; ignored by git
    logs.mkdir(exist_ok=True)
    if a.replicas:
        front = Replicas(load_database(a.pg), a.replicas, logs)
        url, servers = front.url, front.by_address()
    else:
        front = AppServer(a.db, logs / "load-server.log")
        url, servers = front.url, {"server": front}
    try:
        os.nice(CLIENT_NICENESS)  # after the servers started: the driver and its browsers inherit it, they not
        if a.protocol:
            return asyncio.run(drive_protocol(url, a, servers))
        doc = asyncio.run(drive(url, a, front.proc.pid))
        doc["server_peak_rss_mb"] = server_rss_mb(front.proc.pid)
        return doc
    finally:
        front.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=25)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--arrival", type=float, default=3.0, help="seconds between two users' arrivals")
    ap.add_argument("--think", type=float, nargs=2, default=(5.0, 15.0), metavar=("MIN", "MAX"))
    ap.add_argument("--db", default=f"duckdb:///{ROOT / 'data' / 'koers.duckdb'}")
    ap.add_argument("--protocol", action="store_true", help="users speak Streamlit's websocket protocol, no browser")
    ap.add_argument("--hire-moves", type=float, default=0.25, help="protocol: share of moves of the hiring share")
    ap.add_argument("--replicas", type=int, default=0, help="protocol: N servers on PostgreSQL behind nginx")
    ap.add_argument("--pg", default=os.environ.get("KOERS_TEST_POSTGRES_URL"), help="PostgreSQL admin URL")
    ap.add_argument("--kill-replica-at", type=float, metavar="T", help="replicas: kill one T s into the rounds")
    ap.add_argument("--restart-postgres-at", type=float, metavar="T", help="replicas: restart PostgreSQL at T s")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if a.replicas and not (a.protocol and a.pg):
        ap.error("--replicas needs --protocol and a PostgreSQL URL (--pg or KOERS_TEST_POSTGRES_URL)")
    if (a.kill_replica_at is not None or a.restart_postgres_at is not None) and not a.replicas:
        ap.error("the fault drills need --replicas")
    if a.kill_replica_at is not None and a.replicas < 2:
        ap.error("--kill-replica-at needs at least two replicas, so the users have somewhere to go")
    doc = run(a)
    if a.json:
        print(json.dumps(doc))
        return
    fmt = lambda v: "–" if v is None else f"{v:.2f} s"  # noqa: E731
    print(
        f"{doc['sessions']} {doc['client']} sessions on {doc['replicas']} replica(s) (one every {a.arrival:g} s, "
        f"thinking {a.think[0]:g}-{a.think[1]:g} s), {doc['interactions']} interactions, "
        f"{len(doc['errors'])} errors\n"
        f"  interaction p50 {fmt(doc['p50_s'])}, p95 {fmt(doc['p95_s'])}; "
        f"page load p50 {fmt(doc['page_load_p50_s'])}, p95 {fmt(doc['page_load_p95_s'])}\n"
        f"  server CPU {fmt(doc['server_cpu_s_per_interaction'])} per interaction, "
        f"peak RSS {doc['server_peak_rss_mb']:.0f} MB; machine busy {doc['machine_busy_share']:.0%}, "
        f"of which the server(s) {doc['server_cpu_share']:.0%}"
    )
    for replica in doc.get("per_replica", []) if doc["replicas"] > 1 else []:
        print(
            f"  {replica['replica']}: {replica['sessions']} sessions, {replica['interactions']} interactions, "
            f"p50 {fmt(replica['p50_s'])}, p95 {fmt(replica['p95_s'])}, {len(replica['errors'])} errors"
        )
    for error in doc["errors"][:5]:
        print("  error:", error)


if __name__ == "__main__":
    main()
