"""What several test files share: the repository root, a second process holding a database, and the check
that an AppTest run ended without failure. Data made for the tests lives beside this module (handmade,
generated, university, survey); running the real app lives in browser and replicas."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def held_by_another_process(duckdb_url: str) -> Iterator[None]:
    """Another process keeps the DuckDB file open, as a running import or a second server would."""
    path = duckdb_url.removeprefix("duckdb:///")
    code = f"import duckdb, time; c = duckdb.connect({path!r}); print('held', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()


def no_failure(at) -> None:
    """The AppTest run raised nothing and showed neither language's general error message."""
    from di_metrics import i18n

    assert not at.exception
    errors = [e.value for e in at.error]
    assert i18n.t("app.error", "nl") not in errors and i18n.t("app.error", "en") not in errors
