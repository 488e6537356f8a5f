"""Faults under load: one replica killed, or PostgreSQL restarted, while protocol users work; how they came through.

A user whose websocket drops does what the browser's own client does: it connects again with the same cookie
(nginx sends it to a replica that is alive) and reruns the page at the address it shows, so the view comes back
from its URL; then it makes the move it was making. A user whose run says the database cannot be reached (the
page's message in the user's language, not an error) waits a second and makes the move again. Either way the
seconds from the fault until the user's next good run are its recovery; a user not back within `PATIENCE`
seconds is lost, and that is an error.
"""

from __future__ import annotations

import asyncio
import dataclasses
import statistics
import subprocess
import time
from pathlib import Path

import sqlalchemy as sa
import websockets

from di_metrics.i18n import t

PATIENCE = 120.0  # seconds a user keeps trying before it gives up
UNREACHABLE = t("app.unreachable", "en")  # what the page says while the database cannot be reached
LOST = (websockets.ConnectionClosed, OSError, asyncio.TimeoutError)


class Unreachable(Exception):
    """The run showed the page's message that the database cannot be reached."""


@dataclasses.dataclass
class Drill:
    """One fault: what it was, when it began and ended (perf_counter), and what each user went through."""

    kind: str
    at_s: float
    target: str = ""
    began: float | None = None
    ended: float | None = None
    recoveries: list[float] = dataclasses.field(default_factory=list)  # seconds from the fault to a good run
    message_runs: int = 0  # runs that showed the database-unreachable message
    lost: int = 0

    def summary(self) -> dict:
        back = self.recoveries
        return {
            "kind": self.kind,
            "at_s": self.at_s,
            "target": self.target,
            "fault_s": None if self.began is None or self.ended is None else self.ended - self.began,
            "sessions_hit": len(back) + self.lost,
            "sessions_recovered": len(back),
            "sessions_lost": self.lost,
            "recovery_p50_s": statistics.median(back) if back else None,
            "recovery_max_s": max(back) if back else None,
            "message_runs": self.message_runs,
        }


async def kill_replica(drill: Drill, servers: dict) -> None:
    """After `at_s` seconds, kill the first replica outright (SIGKILL: no goodbye to its users). It is reaped
    when the run closes the replicas, so its CPU time can still be read meanwhile."""
    await asyncio.sleep(drill.at_s)
    drill.target, server = next(iter(servers.items()))
    drill.began = time.perf_counter()
    server.proc.kill()
    drill.ended = time.perf_counter()


async def restart_postgres(drill: Drill, admin_url: str) -> None:
    """After `at_s` seconds, restart the PostgreSQL server behind `admin_url` (fast mode: sessions are cut)."""
    await asyncio.sleep(drill.at_s)
    data = await asyncio.to_thread(data_directory, admin_url)
    drill.target = data
    drill.began = time.perf_counter()
    await asyncio.to_thread(pg_ctl, data, "restart")
    drill.ended = time.perf_counter()


def data_directory(admin_url: str) -> str:
    engine = sa.create_engine(admin_url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SHOW data_directory")).scalar_one()
    finally:
        engine.dispose()


def pg_ctl(data: str, action: str) -> None:
    """`pg_ctl start|stop|restart` on the local server that owns `data`, as its owner; a restart or a start keeps
    the options it was first started with (postmaster.opts), so it comes back on the same port."""
    binary = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
    log = str(Path(data) / "restart.log")
    subprocess.run(
        ["runuser", "-u", "postgres", "--", str(binary), "-D", data, "-l", log, "-m", "fast", "-w", action],
        check=True,
        capture_output=True,
        timeout=120,
    )


async def think(session, seconds: float, check, drill: Drill | None) -> None:
    """Think for `seconds`; a socket that drops meanwhile is reconnected at once, as the browser's client does."""
    if drill is None:
        await asyncio.sleep(seconds)
        return
    closed = asyncio.ensure_future(session.ws.wait_closed())
    try:
        await asyncio.wait([closed], timeout=seconds)
    finally:
        closed.cancel()
    if session.ws.state.name == "CLOSED" and drill.began is not None:
        await recover(session, session.reconnect, check, drill, reconnect=False)


async def move_through(session, label: str, value: float, check, drill: Drill | None) -> float:
    """Make one move and check its run; through a fault, recover as a browser would. Returns the move's seconds."""
    start = time.perf_counter()
    try:
        check(await session.set_slider(label, value))
        return time.perf_counter() - start
    except (*LOST, Unreachable) as exc:
        if drill is None or drill.began is None:
            raise
        drill.message_runs += isinstance(exc, Unreachable)
        lost = not isinstance(exc, Unreachable)
    await recover(session, lambda: session.set_slider(label, value), check, drill, reconnect=lost)
    return time.perf_counter() - start


async def recover(session, step, check, drill: Drill, reconnect: bool) -> None:
    """Try `step` (reconnecting first while the socket is lost) every second until its run is good."""
    deadline = time.perf_counter() + PATIENCE
    while time.perf_counter() < deadline:
        try:
            if reconnect:
                await session.reconnect()
                reconnect = False
            check(await step())
            drill.recoveries.append(time.perf_counter() - drill.began)
            return
        except Unreachable:
            drill.message_runs += 1
        except LOST:
            reconnect = True
        await asyncio.sleep(1.0)
    drill.lost += 1
    raise RuntimeError(f"not back within {PATIENCE:g} s of the {drill.kind}")


def shows_unreachable(run) -> bool:
    return any(w.startswith(UNREACHABLE[:40]) for w in run.warnings)
