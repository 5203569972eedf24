"""A Streamlit session over its websocket, without a browser (for load tests against ``make serve``).

One :class:`WsSession` is what one browser tab is to the server: a cookie jar (the proxy's sticky
cookie), one websocket to ``/_stcore/stream``, ``BackMsg.rerun_script`` messages with the widget
states a browser would send, and the ``ForwardMsg`` stream back. :meth:`WsSession.rerun` returns
when the server reports the run finished (``script_finished``), so its duration is what a user
waits for. Widgets are found by their key in the elements the server sent.
"""

from __future__ import annotations

import asyncio
import http.cookies
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

_EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


class RunTimeout(Exception):
    """The rerun did not finish in time."""


class Disconnected(Exception):
    """The websocket closed (the app process is gone)."""


@dataclass
class Widget:
    id: str
    kind: str
    proto: Any

    def options(self) -> list[str]:
        opts = list(getattr(self.proto, "options", []))
        return [getattr(o, "content", o) for o in opts]


@dataclass
class WsSession:
    base_url: str  # http://host:port
    cookies: dict[str, str] = field(default_factory=dict)
    widgets: dict[str, Widget] = field(default_factory=dict)
    page_links: dict[str, Any] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # url path -> page_script_hash
    exceptions: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # markdown, html and headings of this page load
    page_script_hash: str = ""
    query_string: str = ""
    path: str = "/"  # the URL path the browser shows
    ws: Any = None
    _runs_finished: int = 0
    _reader: asyncio.Task | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    closed: bool = False

    # -- connection
    def _fetch_shell(self, path: str) -> None:
        """The page shell over HTTP, as a browser loads it first: this is where the sticky cookie is set."""
        req = urllib.request.Request(self.base_url + path)
        if self.cookies:
            req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        with urllib.request.urlopen(req, timeout=30) as resp:
            for header in resp.headers.get_all("Set-Cookie") or []:
                jar = http.cookies.SimpleCookie(header)
                self.cookies.update({k: m.value for k, m in jar.items()})
            resp.read()

    async def open(self, path: str) -> float:
        """Load ``path`` (with its query string) like a browser: shell, websocket, first run. Returns ms."""
        t0 = time.perf_counter()
        await asyncio.to_thread(self._fetch_shell, path)
        parsed = urllib.parse.urlsplit(path)
        ws_url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        self.ws = await websockets.connect(
            ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=30, ping_interval=None,
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                                "Origin": self.base_url})
        self.closed = False
        self.widgets.clear()
        self.page_links.clear()
        self.exceptions.clear()
        self.texts.clear()
        self.page_script_hash = ""  # a page load: the server picks the page from the URL path
        self._reader = asyncio.create_task(self._read())
        self.query_string = parsed.query
        self.path = parsed.path or "/"
        await self.rerun(page_name=parsed.path.strip("/"), states=[])
        return (time.perf_counter() - t0) * 1000

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()

    async def _read(self) -> None:
        try:
            async for data in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg)
        except websockets.ConnectionClosed:
            pass
        finally:
            self.closed = True
            self._changed.set()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            ns = msg.new_session
            self.pages = {p.url_pathname: p.page_script_hash for p in ns.app_pages}
            self.page_script_hash = ns.page_script_hash
        elif kind == "navigation":
            nav = msg.navigation
            self.pages = {p.url_pathname: p.page_script_hash for p in nav.app_pages}
            self.page_script_hash = nav.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            etype = element.WhichOneof("type")
            inner = getattr(element, etype) if etype else None
            if etype == "exception":
                self.exceptions.append(inner.message)
            elif etype in ("markdown", "html", "heading"):
                self.texts.append(inner.body)
            elif etype == "page_link":
                self.page_links[inner.label] = inner
            elif inner is not None and hasattr(inner, "id") and getattr(inner, "id", ""):
                self.widgets[inner.id] = Widget(inner.id, etype, inner)
        elif kind == "script_finished" and msg.script_finished != _EARLY:
            self._runs_finished += 1
            self._changed.set()

    # -- interaction
    def url(self) -> str:
        """The path and query string the browser shows now (what it reloads on a reconnect)."""
        return self.path + (f"?{self.query_string}" if self.query_string else "")

    def widget(self, key: str) -> Widget:
        for wid, w in self.widgets.items():
            if wid.endswith("-" + key) or wid == key:
                return w
        raise KeyError(f"no widget with key {key} (have: {sorted(self.widgets)[:8]} ...)")

    async def rerun(self, states: list[Any], page_name: str = "", page_script_hash: str | None = None,
                    query_string: str | None = None, timeout_s: float = 30.0) -> float:
        """Send one rerun (an interaction) and wait until the server has finished it. Returns ms."""
        if self.closed:
            raise Disconnected("websocket closed")
        back = BackMsg()
        cs = back.rerun_script
        cs.query_string = self.query_string if query_string is None else query_string
        cs.page_script_hash = self.page_script_hash if page_script_hash is None else page_script_hash
        cs.page_name = page_name
        for state in states:
            cs.widget_states.widgets.append(state)
        before = self._runs_finished
        t0 = time.perf_counter()
        self._changed.clear()
        await self.ws.send(back.SerializeToString())
        deadline = t0 + timeout_s
        while self._runs_finished <= before:
            if self.closed:
                raise Disconnected("websocket closed during the run")
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise RunTimeout(f"no finished run within {timeout_s:.0f} s")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass
        return (time.perf_counter() - t0) * 1000
