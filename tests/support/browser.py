"""Running the real app for browser tests: a Streamlit server on loopback and Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect

from tests.support import ROOT

# A rerun of the what-if page (Monte Carlo, track record, frontier) can take longer than Playwright's 5 s when
# two cores are shared with a whole test run; the tests wait for what the page shows, bounded, not for a time.
expect.set_options(timeout=30_000)

SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    for path in ("/usr/lib/chromium/chromium", "/usr/bin/chromium"):
        if os.path.exists(path):
            return path
    raise RuntimeError("Debian's chromium is not installed (apt-get install chromium); never `playwright install`")


def open_page(page, url: str) -> None:
    """Open a URL and wait for the app's own content: the page renders over a websocket after the load."""
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_test_id("stMainBlockContainer").wait_for()


def shot(page, name: str) -> None:
    """Keep a screenshot for people to look at (test-artifacts/screenshots)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """`streamlit run app.py` on a free loopback port, stopped on close."""

    def __init__(
        self,
        database_url: str,
        log_path: Path,
        single_user: bool = True,
        args: tuple[str, ...] = (),
        extra_env: dict[str, str] | None = None,
    ) -> None:
        """`single_user` starts it as `make run` does (KOERS_SINGLE_USER=1); without it, sign-in applies."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, **(extra_env or {}), "KOERS_DATABASE_URL": database_url}
        env.pop("KOERS_SINGLE_USER", None)
        if single_user:
            env["KOERS_SINGLE_USER"] = "1"
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                *args,
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(self.url + "/_stcore/health", timeout=2).read().strip() == b"ok":
                    return
            except OSError:
                time.sleep(0.3)
        self.close()
        raise RuntimeError(f"the app did not become healthy; see {log_path}")

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log, for a failure message."""
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def warm_server(database_url: str, log_path: Path, browser) -> AppServer:
    """A server past its first request, which a fresh server answers in its own way (test_browser covers it)."""
    app = AppServer(database_url, log_path)
    first = browser.new_page()
    first.goto(app.url + "/", wait_until="domcontentloaded")
    first.get_by_test_id("stMetricValue").first.wait_for(timeout=120_000)
    first.close()
    return app
