"""A Streamlit user without a browser: the websocket and protobuf messages the browser's own client exchanges.

The browser opens `/_stcore/stream` with the subprotocol `streamlit` and sends a `BackMsg.rerun_script`
(a `ClientState`: the page, the URL's query string and the widget values). The server answers with
`ForwardMsg`s: the page's elements as deltas, the query string the script wrote, and `script_finished`.
A widget change is the same `rerun_script` with the new value; for a widget inside an `st.fragment` it
names the fragment, and the server reruns only that. Like the browser, a session tells the server which
cacheable messages it already holds, so they come back as a short reference. Unlike the browser, which
re-sends every widget's value, it sends the values it set: a keyed widget keeps its value in the session.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import urllib.request
from dataclasses import dataclass, field

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class RunFailed(Exception):
    """The server did not finish a run the way a user needs it to."""


@dataclass(frozen=True)
class Widget:
    id: str
    fragment_id: str
    kind: str
    options: tuple[str, ...] = ()  # a select slider's options as shown ("22.6%", "22,6%"); a plain slider: none


@dataclass
class Run:
    """What one script run sent: its headings, and the errors a user would see."""

    headings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def replica_cookie(url: str, timeout: float = 30, cookie: str | None = None) -> tuple[str | None, str | None]:
    """What a browser's request to the load balancer gets: its routing cookie and the replica it names.

    A browser's first request has no `cookie`; later ones send the one it got. A plain server (no nginx in
    front) hands out neither: (None, None).
    """
    request = urllib.request.Request(url + "/_stcore/health", headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        cookies = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or ()]
        replica = response.headers.get("X-Koers-Replica")
    return next((c for c in cookies if c.startswith("koers_replica=")), None), replica


class Session:
    """One user's session: open a page, change widgets, and wait for each run to finish."""

    def __init__(self, url: str, cookie: str | None = None, timeout: float = 180) -> None:
        self.ws_url = url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.cookie = cookie
        self.timeout = timeout
        self.ws = None
        self.page_name = ""
        self.page_hash = ""
        self.query = ""
        self.widgets: dict[str, Widget] = {}  # by label, as a user finds them
        self.values: dict[str, WidgetState] = {}  # every value set so far, sent with each rerun like the browser
        self.cached: set[str] = set()

    async def open(self, page: str, query: str) -> Run:
        """Connect and run `page` with `query` (no leading '?'), as a browser opening that link."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.ws = await websockets.connect(
            self.ws_url, subprotocols=["streamlit"], additional_headers=headers, max_size=None, open_timeout=60
        )
        self.query, self.page_name = query, page
        return await self._rerun(page_name=page)

    async def reconnect(self) -> Run:
        """What a browser does when its websocket drops: connect again with the same cookie and rerun the page
        at the address it shows. The new server has none of the old session, so widgets and cache start afresh."""
        await self.close()
        self.values.clear()
        self.cached.clear()
        self.widgets.clear()
        return await self.open(self.page_name, self.query)

    async def set_slider(self, label: str, value: float) -> Run:
        """Move the slider called `label` to `value` and wait until the (fragment's) rerun has finished."""
        widget = self.widgets[label]
        state = WidgetState(id=widget.id)
        if widget.options:  # a select slider sends the option's text, as the browser does
            state.string_array_value.data.append(next(o for o in widget.options if _number(o) == value))
        else:
            state.double_array_value.data.append(value)
        self.values[widget.id] = state
        return await self._rerun(fragment_id=widget.fragment_id)

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):  # a socket the server dropped may refuse a clean close
                await self.ws.close()

    async def _rerun(self, page_name: str = "", fragment_id: str = "") -> Run:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = page_name
        state.fragment_id = fragment_id
        state.widget_states.widgets.extend(self.values.values())
        state.cached_message_hashes.extend(sorted(self.cached))
        await self.ws.send(msg.SerializeToString())
        return await asyncio.wait_for(self._until_finished(), self.timeout)

    async def _until_finished(self) -> Run:
        run = Run()
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            kind = msg.WhichOneof("type")
            if msg.metadata.cacheable and msg.hash:
                self.cached.add(msg.hash)
            if kind == "delta":
                self._read_delta(msg, run)
            elif kind == "navigation":
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "script_finished":
                if msg.script_finished in FINISHED:
                    return run
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RunFailed("the script did not compile")
                run = Run()  # finished early for a rerun the script asked for: the next run is the page

    def _read_delta(self, msg: ForwardMsg, run: Run) -> None:
        if msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        inner = getattr(element, kind)
        if kind == "heading":
            run.headings.append(inner.body)
        elif kind == "exception":
            run.errors.append(f"exception shown: {inner.type}: {inner.message[:120]}")
        elif kind == "alert" and inner.format == Alert.ERROR:
            run.errors.append(f"error shown: {inner.body[:120]}")
        elif kind == "alert" and inner.format == Alert.WARNING:
            run.warnings.append(inner.body)
        if getattr(inner, "id", "") and getattr(inner, "label", ""):
            options = tuple(getattr(inner, "options", ()))
            self.widgets[inner.label] = Widget(inner.id, msg.delta.fragment_id, kind, options)


def _number(option: str) -> float:
    """The number an option's text shows, in either language: "22,6%" and "22.6%" are 22.6."""
    return float(option.rstrip("%").replace(",", "."))


async def timed(step) -> tuple[float, Run]:
    """Seconds from sending a change until the run it caused has finished, and what that run sent."""
    start = time.perf_counter()
    run = await step
    return time.perf_counter() - start, run
