"""The first start on an empty database: one demo build per server, in the background, watched by everyone.

The build runs in its own thread, so it completes when the visitor who started it closes the tab, and a
second visitor finds the same build and its progress instead of starting another.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

__all__ = ["Build", "Progress", "build_for", "forget"]

Progress = Callable[[float, str], None]


class Build:
    """One background job with its progress; started at most once."""

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        self._work = work
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._finished = threading.Event()
        self.fraction, self.step = 0.0, "…"
        self.error: BaseException | None = None

    def start(self) -> bool:
        """Start the job unless it was started before; True only for the caller that started it."""
        with self._lock:
            if self._thread is not None:
                return False
            self._thread = threading.Thread(target=self._run, name="koers-first-start", daemon=True)
            self._thread.start()
            return True

    def _run(self) -> None:
        try:
            self._work(self._report)
            self.fraction, self.step = 1.0, "…"
        except BaseException as exc:  # kept for every visitor who waits on it
            self.error = exc
        finally:
            self._finished.set()

    def _report(self, fraction: float, step: str) -> None:
        self.fraction, self.step = fraction, step

    @property
    def started(self) -> bool:
        return self._thread is not None

    @property
    def running(self) -> bool:
        return self.started and not self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the job has finished, waiting up to `timeout` seconds for it."""
        return self._finished.wait(timeout)


_builds: dict[str, Build] = {}
_registry = threading.Lock()


def build_for(key: str, work: Callable[[Progress], Any]) -> Build:
    """The one build for `key` (a database URL) in this process, created on first asking."""
    with _registry:
        if key not in _builds:
            _builds[key] = Build(work)
        return _builds[key]


def forget(key: str) -> None:
    """Drop a finished build (tests, or a database emptied again) so a later start can build anew."""
    with _registry:
        build = _builds.get(key)
        if build is not None and not build.running:
            del _builds[key]
