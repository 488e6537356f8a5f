"""A PostgreSQL server of a test's own, which the test may stop, start and restart without touching anyone else's."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from benchmarks.faults import pg_ctl
from tests.support.browser import free_port

PASSWORD = "own-pw"


def available() -> bool:
    """Root with Debian's server binaries: the only way here to run a server as the postgres user."""
    return os.geteuid() == 0 and bool(shutil.which("runuser")) and bool(list(Path("/usr/lib/postgresql").glob("*")))


class OwnPostgres:
    """initdb in a fresh directory and a server on a free loopback port; close() stops it and removes it all."""

    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="koers-own-pg."))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        (self.root / "pw").write_text(PASSWORD)
        shutil.chown(self.root / "pw", "postgres")
        bin_dir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        as_postgres = ["runuser", "-u", "postgres", "--"]
        self.data.mkdir()
        shutil.chown(self.data, "postgres", "postgres")
        subprocess.run(
            [*as_postgres, str(bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "scram-sha-256",
             f"--pwfile={self.root / 'pw'}", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        self._start = [
            *as_postgres, str(bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.data / "server.log"),
            "-w", "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off", "start",
        ]  # fmt: skip
        self.start()
        self.url = f"postgresql+psycopg://postgres:{PASSWORD}@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        subprocess.run(self._start, check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        pg_ctl(str(self.data), "stop")

    def restart(self) -> None:
        pg_ctl(str(self.data), "restart")

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
