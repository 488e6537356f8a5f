"""The README's shared deployment on one machine: N Streamlit replicas on one database behind deploy/nginx.conf."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.support import ROOT
from tests.support.browser import AppServer, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
UPSTREAM_SERVERS = re.compile(
    r"(?m)^(\s*)server 127\.0\.0\.1:__REPLICA_1__;\n(?:\s*server 127\.0\.0\.1:__REPLICA_\d+__;\n)*"
)


def nginx_conf(run: Path, port: int, replica_ports: list[int]) -> str:
    """deploy/nginx.conf with its paths, its port and one upstream line per replica filled in."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    indent = UPSTREAM_SERVERS.search(conf).group(1)
    servers = "".join(f"{indent}server 127.0.0.1:{p};\n" for p in replica_ports)
    conf = UPSTREAM_SERVERS.sub(lambda _: servers, conf, count=1)
    return conf.replace("__RUN__", str(run)).replace("__PORT__", str(port))


class Replicas:
    """`count` app servers on `database_url` with one cookie secret, and nginx in front of them; close() stops all."""

    def __init__(self, database_url: str, count: int, workdir: Path) -> None:
        self.servers: list[AppServer] = []
        self.nginx: subprocess.Popen | None = None
        env = {"STREAMLIT_SERVER_COOKIE_SECRET": "one-secret-for-every-replica"}
        try:
            for i in range(1, count + 1):
                self.servers.append(AppServer(database_url, workdir / f"replica-{i}.log", extra_env=env))
            run = workdir / "nginx"
            run.mkdir(exist_ok=True)
            port = free_port()
            (run / "nginx.conf").write_text(nginx_conf(run, port, [s.port for s in self.servers]))
            self.nginx = subprocess.Popen([NGINX, "-p", str(run), "-c", str(run / "nginx.conf"), "-g", "daemon off;"])
            self.url = f"http://127.0.0.1:{port}"
            _wait_healthy(self.url)
        except BaseException:
            self.close()
            raise

    def by_address(self) -> dict[str, AppServer]:
        """Each replica under the address nginx names in its X-Koers-Replica header."""
        return {f"127.0.0.1:{s.port}": s for s in self.servers}

    def close(self) -> None:
        if self.nginx is not None:
            self.nginx.terminate()
            self.nginx.wait(10)
        for server in self.servers:
            server.close()


def _wait_healthy(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read().strip() == b"ok":
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("nginx did not answer")
