"""Static chart images (PNG, SVG) through kaleido and Debian's Chromium, with one browser kept alive."""

from __future__ import annotations

import atexit
import os
import shutil
import threading

import plotly.graph_objects as go

__all__ = ["FORMATS", "figure_image"]

_lock = threading.Lock()
_started = False
FORMATS = ("png", "svg")


def _browser() -> None:
    """Point kaleido at the system Chromium; it must never download one."""
    if "BROWSER_PATH" not in os.environ:
        for path in ("/usr/bin/chromium", shutil.which("chromium") or ""):
            if path and os.path.exists(path):
                os.environ["BROWSER_PATH"] = path
                break


def _ensure_server() -> None:
    global _started
    if not _started:
        import kaleido

        _browser()
        kaleido.start_sync_server(n=1, mathjax=False, silence_warnings=True)
        atexit.register(kaleido.stop_sync_server, silence_warnings=True)
        _started = True


def figure_image(
    fig: go.Figure, fmt: str = "png", width: int = 1400, height: int | None = None, scale: float = 2.0
) -> bytes:
    """The figure as PNG or SVG bytes, rendered by the one long-lived browser."""
    if fmt not in FORMATS:
        raise ValueError(f"image format must be one of {', '.join(FORMATS)}")
    import kaleido

    with _lock:
        _ensure_server()
        opts = {"format": fmt, "width": width, "height": height or int(fig.layout.height or 500), "scale": scale}
        return kaleido.calc_fig_sync(fig, opts=opts)
