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
REPLICAS_PART = re.compile(r"(?ms)^ *# --- the replicas.*?# --- end of the replicas ---\n")


def replicas_part(ports: list[int]) -> str:
    """deploy/nginx.conf's part between its replica markers, for these replicas (the file holds it for two)."""
    pins = "".join(f"        {i}       koers_{i};\n" for i, _ in enumerate(ports, 1))
    addresses = "".join(f'        "~(^|\\s)127\\.0\\.0\\.1:{p}$" {i};\n' for i, p in enumerate(ports, 1))
    turn = "".join(f"        server 127.0.0.1:{p};\n" for p in ports)
    own = "".join(
        f"    upstream koers_{i} {{\n        server 127.0.0.1:{p};\n"
        + "".join(f"        server 127.0.0.1:{q} backup;\n" for q in ports[i:] + ports[: i - 1])
        + "    }\n"
        for i, p in enumerate(ports, 1)
    )
    return (
        "    # --- the replicas (tests/support/replicas.py writes this part for N) ---\n"
        "    # Where a request goes: a pinned browser to its replica, a new one to the next replica in turn.\n"
        f"    map $cookie_koers_replica $koers_upstream {{\n        default koers_new;\n{pins}    }}\n"
        "    # The pin a response hands out: the replica that answered (the last address tried, after a failover).\n"
        f'    map $upstream_addr $koers_pin {{\n        default                          "";\n{addresses}    }}\n\n'
        f"    upstream koers_new {{\n{turn}    }}\n{own}"
        "    # --- end of the replicas ---\n"
    )


def nginx_conf(run: Path, port: int, replica_ports: list[int]) -> str:
    """deploy/nginx.conf with its paths, its port and its replica part written for these replicas."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    conf = REPLICAS_PART.sub(lambda _: replicas_part(replica_ports), conf, count=1)
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
