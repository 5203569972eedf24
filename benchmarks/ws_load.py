"""Load test at the websocket level: many Streamlit sessions, no browser per session.

    .venv/bin/python benchmarks/ws_load.py [--sessions 20 50] [--duration 60] [--url http://HOST:PORT]
                                           [--think 1.0] [--sticky-cookie NAME] [--json out.json]

Each simulated GP opens its own websocket to ``/_stcore/stream`` (one Streamlit session, as a
browser tab would) and speaks Streamlit's own protocol: it sends ``BackMsg.rerun_script`` with a
``ClientState`` (page, query string, widget values) and reads the ``ForwardMsg`` protobufs the
server sends back (the elements of the page, then ``script_finished``). An interaction is timed
from sending the message until the run it started has finished. No browser runs, so the server
gets the machine, not the browsers.

The GP flow is data (:data:`GP_FLOW`): each step names a widget by its key (or label) and the
value to give it; a redesigned page needs only a new list. The route card is opened the way the
browser does: the page link's page and query string from the result, as a new run.

Pointing it at a load balancer: ``--url`` is the base address. Before each session the client
fetches ``/`` over HTTP and sends the cookies it got (a sticky-session cookie, ``--sticky-cookie``
checks it is there) on the websocket handshake, so a cookie-based load balancer keeps a session
on one process. Without ``--url`` a server is started here on 127.0.0.1 (port 8700-8799) and
stopped at the end; its CPU time and memory are reported as well.

Exit code 1 when any error occurred (a timeout, an exception shown by the app, a dropped socket).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ClientState_pb2 import ClientState  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from socialmap import i18n, vocab  # noqa: E402

STEP_TIMEOUT_S = 60.0
FINISHED_EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
WIDGETS = {"text_input", "text_area", "number_input", "multiselect", "selectbox", "radio", "button_group",
           "checkbox", "slider"}


# ---- the flow (data) -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One interaction: give the widget with ``key`` (or ``label``) a value, or follow a page link.

    ``value(rng)`` returns the option *value* (as the app's code knows it); ``label_kind`` turns it
    into the label shown (``i18n.label``), which is what Streamlit sends for option widgets.
    """

    name: str
    key: str | None = None
    label: str | None = None
    value: Callable[[random.Random], Any] | None = None
    label_kind: str | None = None
    link_label: str | None = None  # follow the page link with this label (a new page run)


def _postcodes() -> list[str]:
    import csv

    with open(ROOT / "data" / "regions" / "kennemerland" / "postcodes.csv", encoding="utf-8") as fh:
        return [row["pc4"] for row in csv.DictReader(fh)]


POSTCODES = _postcodes()
CONCERNS = ("anxiety", "low_mood", "sleep", "behaviour", "parenting", "school", "social")

#: The GP's fast path through the Hulpwijzer (quick mode), then the route card.
GP_FLOW: tuple[Step, ...] = (
    Step("postcode", key="_adv_q_postcode", value=lambda r: r.choice(POSTCODES)),
    Step("age", key="_adv_q_age", value=lambda r: r.randint(1, 17)),
    Step("concern", key="_adv_q_concerns", value=lambda r: [r.choice(CONCERNS)], label_kind="concern"),
    Step("impact", key="_adv_q_impact", value=lambda r: r.choice(("mild", "moderate", "severe")), label_kind="impact"),
    Step("duration", key="_adv_q_duration", value=lambda r: r.choice(vocab.DURATIONS), label_kind="duration"),
    Step("route card", link_label=i18n.t("advisor.result.routecard_button", "nl")),
)
START_PAGE = "hulpwijzer"
CARD_MARK = "sm-card"  # the route card's HTML (what the browser load test waits for)


# ---- one session ----------------------------------------------------------------------------------

class FlowError(Exception):
    pass


@dataclass
class Widget:
    id: str
    kind: str
    label: str
    proto: Any


@dataclass
class Session:
    """One Streamlit session over one websocket: run the page, collect widgets and links."""

    ws: Any
    widgets: dict[str, Widget] = field(default_factory=dict)  # by id
    links: list[Any] = field(default_factory=list)
    states: dict[str, WidgetState] = field(default_factory=dict)
    page_hash: str = ""
    exceptions: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # markdown and HTML of the last run
    query: str = ""

    async def run(self, state: ClientState) -> None:
        """Send one rerun and read until that run (and any rerun it triggers) has finished."""
        self.widgets.clear()
        self.links.clear()
        self.texts.clear()
        msg = BackMsg()
        msg.rerun_script.CopyFrom(state)
        await self.ws.send(msg.SerializeToString())
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FlowError(f"no finished run within {STEP_TIMEOUT_S:.0f} s")
            try:
                frame = await asyncio.wait_for(self.ws.recv(), remaining)
            except asyncio.TimeoutError:
                raise FlowError(f"no finished run within {STEP_TIMEOUT_S:.0f} s") from None
            if isinstance(frame, str):
                continue
            fwd = ForwardMsg()
            fwd.ParseFromString(frame)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = fwd.new_session.page_script_hash or self.page_hash
            elif kind == "navigation":
                self.page_hash = fwd.navigation.page_script_hash or self.page_hash
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string  # the browser keeps it in its URL
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._element(fwd.delta.new_element)
            elif kind == "script_finished" and fwd.script_finished != FINISHED_EARLY:
                if self.exceptions:
                    raise FlowError("the app showed an error: " + self.exceptions[0][:200])
                return

    def _element(self, element: Any) -> None:
        etype = element.WhichOneof("type")
        if etype == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif etype == "page_link":
            self.links.append(element.page_link)
        elif etype in ("markdown", "html"):
            self.texts.append(getattr(element, etype).body)
        elif etype in WIDGETS:
            proto = getattr(element, etype)
            self.widgets[proto.id] = Widget(proto.id, etype, getattr(proto, "label", ""), proto)

    def find(self, key: str | None, label: str | None) -> Widget:
        for widget in self.widgets.values():
            if key and (widget.id.endswith(f"-{key}") or widget.id == key):
                return widget
            if label and widget.label == label:
                return widget
        raise FlowError(f"widget {key or label!r} is not on the page (found: "
                        f"{', '.join(sorted(w.id.rsplit('-', 1)[-1] for w in self.widgets.values()))[:300]})")

    def state(self, query: str | None = None, page_hash: str | None = None, page_name: str = "") -> ClientState:
        cs = ClientState(query_string=self.query if query is None else query,
                         page_script_hash=self.page_hash if page_hash is None else page_hash,
                         page_name=page_name)
        cs.widget_states.widgets.extend(self.states.values())
        cs.context_info.locale = "nl-NL"
        cs.context_info.timezone = "Europe/Amsterdam"
        return cs


def widget_state(widget: Widget, value: Any, label_kind: str | None) -> WidgetState:
    """A widget value as the browser sends it: option widgets send the labels shown."""
    shown = (lambda v: i18n.label(label_kind, v, "nl")) if label_kind else str
    ws = WidgetState(id=widget.id)
    if widget.kind in ("multiselect", "button_group"):
        ws.string_array_value.data.extend(shown(v) for v in (value if isinstance(value, list) else [value]))
    elif widget.kind in ("radio", "selectbox"):
        ws.string_value = shown(value)
    elif widget.kind == "number_input":
        ws.double_value = float(value)
    elif widget.kind == "checkbox":
        ws.bool_value = bool(value)
    else:
        ws.string_value = str(value)
    return ws


@dataclass
class Stats:
    latency: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    flows: int = 0

    def add(self, step: str, ms: float) -> None:
        self.latency.setdefault(step, []).append(ms)


def _cookies(base_url: str, sticky: str | None) -> str:
    """Cookies the server (or a load balancer in front of it) sets on the first page request."""
    with urllib.request.urlopen(base_url + "/", timeout=STEP_TIMEOUT_S) as resp:
        jar = SimpleCookie()
        for header in resp.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    if sticky and sticky not in jar:
        raise FlowError(f"the sticky-session cookie {sticky!r} was not set by {base_url}/")
    return "; ".join(f"{k}={m.value}" for k, m in jar.items())


async def gp_flow(base_url: str, stats: Stats, rng: random.Random, think_s: float, sticky: str | None) -> None:
    parts = urlsplit(base_url)
    ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
    cookie = await asyncio.to_thread(_cookies, base_url, sticky)
    headers = {"Cookie": cookie} if cookie else {}
    t0 = time.perf_counter()
    async with websockets.connect(ws_url, subprotocols=["streamlit"], origin=f"{parts.scheme}://{parts.netloc}",
                                  additional_headers=headers, max_size=64 * 1024 * 1024,
                                  open_timeout=STEP_TIMEOUT_S, ping_interval=None) as ws:
        session = Session(ws)
        current = "open page"
        try:
            await session.run(session.state(query="", page_hash="", page_name=START_PAGE))
            stats.add("open page", (time.perf_counter() - t0) * 1000)
            for step in GP_FLOW:
                current = step.name
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)
                if step.link_label is not None:
                    link = next((link for link in session.links if step.link_label in link.label), None)
                    if link is None:
                        raise FlowError(f"link {step.link_label!r} is not on the page")
                    session.states.clear()  # a new page: its own widgets
                    state = session.state(query=link.query_string, page_hash=link.page_script_hash)
                    session.page_hash, session.query = link.page_script_hash, link.query_string
                else:
                    widget = session.find(step.key, step.label)
                    assert step.value is not None
                    session.states[widget.id] = widget_state(widget, step.value(rng), step.label_kind)
                    state = session.state()
                t1 = time.perf_counter()
                await session.run(state)
                stats.add(step.name, (time.perf_counter() - t1) * 1000)
            if not any(CARD_MARK in text for text in session.texts):
                raise FlowError(f"the last page does not show {CARD_MARK!r}")
        except (FlowError, websockets.ConnectionClosed, OSError) as exc:
            raise FlowError(f"step {current}: {type(exc).__name__}: {str(exc)[:200]}") from None


async def session_loop(n: int, base_url: str, stats: Stats, deadline: float, think_s: float, ramp_s: float,
                       sticky: str | None) -> None:
    rng = random.Random(n)
    await asyncio.sleep(n * ramp_s)  # GPs do not all open the app in the same millisecond
    flow = 0
    while time.monotonic() < deadline:
        try:
            await gp_flow(base_url, stats, rng, think_s, sticky)
            stats.flows += 1
        except Exception as exc:  # counted; the session goes on with a new flow
            stats.errors.append(f"session {n} flow {flow}: {exc}")
        flow += 1


async def run_load(base_url: str, sessions: int, seconds: float, think_s: float, sticky: str | None) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + seconds
    ramp_s = min(0.2, seconds / 4 / max(sessions, 1))
    await asyncio.gather(*(session_loop(n, base_url, stats, deadline, think_s, ramp_s, sticky) for n in range(sessions)))
    return stats


# ---- reporting and the server -------------------------------------------------------------------

def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


def summary(stats: Stats, sessions: int, seconds: float) -> dict[str, Any]:
    order = ["open page", *(s.name for s in GP_FLOW)]
    return {
        "sessions": sessions, "seconds": seconds, "flows": stats.flows, "errors": len(stats.errors),
        "first_errors": stats.errors[:5],
        "steps": {s: {"n": len(stats.latency.get(s, [])), "p50_ms": round(_p(stats.latency.get(s, []), 0.5)),
                      "p95_ms": round(_p(stats.latency.get(s, []), 0.95)),
                      "max_ms": round(max(stats.latency.get(s, [float("nan")])))}
                  for s in order if stats.latency.get(s)},
        "interaction_p50_ms": round(statistics.median([v for s in order[1:] for v in stats.latency.get(s, [])] or [0])),
    }


def _free_port() -> int:
    ports = list(range(8700, 8800))
    random.shuffle(ports)
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8700-8799")


def _proc_stats(pid: int) -> tuple[float, float]:
    """(CPU seconds, RSS MB) of a process and its children (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    cpu = sum(int(v) for v in fields[11:15]) / tick
    with open(f"/proc/{pid}/status") as fh:
        rss = next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:")) / 1024
    return cpu, rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[20, 50], help="concurrent sessions per run (<= 200)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run (<= 600)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a GP's answers in seconds")
    parser.add_argument("--url", help="base URL of a running server or load balancer (default: start one here)")
    parser.add_argument("--sticky-cookie", help="cookie name a load balancer uses to keep a session on one process")
    parser.add_argument("--json", help="write the results as JSON to this file")
    args = parser.parse_args(argv)
    if any(not 1 <= s <= 200 for s in args.sessions) or not 1 <= args.duration <= 600:
        parser.error("sessions must be 1-200 and duration 1-600 s")
    server = None
    base_url = (args.url or "").rstrip("/")
    if not base_url:
        from e2e.harness import StreamlitServer

        server = StreamlitServer(port=_free_port(), name="ws-load").start()
        base_url = server.url
    results = []
    try:
        asyncio.run(run_load(base_url, 1, min(10.0, args.duration), args.think, args.sticky_cookie))  # warm up
        for sessions in args.sessions:
            before = _proc_stats(server.proc.pid) if server and server.proc else None
            load_before = os.getloadavg()[0]
            t0 = time.monotonic()
            stats = asyncio.run(run_load(base_url, sessions, args.duration, args.think, args.sticky_cookie))
            result = summary(stats, sessions, round(time.monotonic() - t0, 1))
            result["machine_load_1min"] = {"before": round(load_before, 1), "after": round(os.getloadavg()[0], 1)}
            if before and server and server.proc:
                cpu, rss = _proc_stats(server.proc.pid)
                result["server_cpu_s"] = round(cpu - before[0], 1)
                result["server_rss_mb"] = {"before": round(before[1]), "after": round(rss)}
            results.append(result)
            print(json.dumps(result, indent=1), flush=True)
    finally:
        if server is not None:
            server.stop()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
