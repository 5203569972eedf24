"""Shared pieces for the browser tests and the load test: a local Streamlit server, headless
Debian Chromium, and waits that follow Streamlit's own script state instead of sleeping.

Only loopback is used: the server listens on 127.0.0.1 and the browser is launched without
background networking. Nothing here downloads a browser.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
LOGS = ARTIFACTS / "logs"
SHIPPED_REGION = ROOT / "data" / "regions" / "kennemerland"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: Every url path of the app (``app.py`` lists them with ``st.navigation``).
PAGES = ("start", "hulpwijzer", "routekaart", "sociale_kaart", "wijkprofiel", "zorgroutes", "dekking", "beheer")
#: Where a test opens a page: the start page is the default page, served at the root.
#: (/start itself is checked by test_the_crisis_panel_is_visible_at_the_top_of_every_page.)
PAGE_URL = {p: ("" if p == "start" else p) for p in PAGES}
#: Ports reserved for the end-to-end tests (CONTRIBUTING.md).
PORT_RANGE = range(8615, 8631)

SERVER_START_TIMEOUT_S = 90.0
#: Longest a single rerun of the app may take before a test fails (2 shared cores, cold caches).
RERUN_TIMEOUT_MS = 45_000

_LIVE: set["StreamlitServer"] = set()


def free_port(ports: range = PORT_RANGE) -> int:
    """The first port in ``ports`` nobody listens on (checked by binding it on loopback)."""
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1} on 127.0.0.1")


class StreamlitServer:
    """``streamlit run app.py`` on 127.0.0.1; ``start()`` returns once /_stcore/health says ok.

    The process runs in its own process group, so ``stop()`` also ends anything it started. A
    server that is still running when Python exits is stopped by an ``atexit`` hook.
    """

    def __init__(self, region: Path | str | None = None, port: int | None = None, name: str = "e2e",
                 extra_env: dict[str, str] | None = None) -> None:
        self.region = str(region) if region else None
        self.port = port
        self.name = name
        self.extra_env = extra_env or {}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = LOGS / f"streamlit-{name}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "StreamlitServer":
        LOGS.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        env = dict(os.environ)
        env.update({"SOCIALMAP_TILES": "none", "PYTHONUNBUFFERED": "1"})
        if self.region:
            env["SOCIALMAP_REGION"] = self.region
        env.update(self.extra_env)
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py",
               "--server.port", str(self.port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
        log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self._log = log
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        _LIVE.add(self)
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        last = ""
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {self.proc.returncode} before it was healthy:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200 and resp.read().strip() == b"ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
                last = str(exc)
            time.sleep(0.25)  # polling interval of an explicit, bounded wait
        raise TimeoutError(f"streamlit on {self.url} not healthy after {SERVER_START_TIMEOUT_S:.0f}s ({last}):\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            self._log.flush()
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        _LIVE.discard(self)
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        with contextlib.suppress(Exception):
            self._log.close()

    def __enter__(self) -> "StreamlitServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@atexit.register
def _stop_all() -> None:
    for server in list(_LIVE):
        server.stop()


def launch_chromium(playwright):  # -> playwright.sync_api.Browser
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run 'bash scripts/ensure_browser.sh' (installs Debian chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


# ---- waiting for Streamlit ------------------------------------------------------------------

_COUNT_RUNS_JS = """
() => {
  // Counts finished script runs: every change of data-test-script-state away from 'running',
  // on whichever element carries it (the whole document is observed, so a re-mounted stApp
  // is still seen).
  if (!window.__smObs) {
    window.__smRuns = 0;
    window.__smLastChange = performance.now();
    window.__smObs = new MutationObserver((records) => {
      window.__smLastChange = performance.now();
      for (const r of records) if (r.oldValue === 'running') window.__smRuns += 1;
    });
    window.__smObs.observe(document.documentElement, {attributes: true, attributeOldValue: true,
      subtree: true, attributeFilter: ['data-test-script-state']});
  }
  return window.__smRuns;
}
"""

_IDLE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  const state = app.getAttribute('data-test-script-state');
  const conn = app.getAttribute('data-test-connection-state');
  return state === 'notRunning' && conn === 'CONNECTED'
    && !document.querySelector('[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]');
}
"""


def wait_idle(page, timeout_ms: int = RERUN_TIMEOUT_MS) -> None:
    """Wait until the app is connected and no script run is going on."""
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=timeout_ms)
    page.wait_for_function(_IDLE_JS, timeout=timeout_ms)


_ERROR_JS = """
() => {
  const box = [...document.querySelectorAll('[data-testid="stException"], [data-testid="stAlert"]')]
    .find(e => e.getAttribute('data-testid') === 'stException'
               || e.innerText.includes('This app has encountered an error'));
  return box ? box.innerText.slice(0, 500) : '';
}
"""


class AppError(AssertionError):
    """The app showed an uncaught exception (fail fast instead of waiting for a widget)."""


def check_app(page) -> None:
    message = page.evaluate(_ERROR_JS)
    if message:
        raise AppError(f"the app shows an error on {page.url}: {message}")


def settle(page, quiet_ms: int = 800, timeout_ms: int = RERUN_TIMEOUT_MS) -> None:
    """Wait until the app is idle and its script state has not changed for ``quiet_ms``.

    For reruns nobody clicked for: a component (the map) reports its first value back to the
    server once it has drawn, which starts a rerun a moment later.
    """
    page.evaluate(_COUNT_RUNS_JS)
    page.wait_for_function(
        f"() => ({_IDLE_JS})() && performance.now() - window.__smLastChange > {quiet_ms}",
        timeout=timeout_ms, polling=100)


def track_runs(page) -> None:
    """Count the app's finished script runs from the messages the server sends over the page's
    websocket (``ForwardMsg.script_finished``). Call it before the page connects (``open_page``
    does); calling it again does nothing.

    Why not the DOM: ``data-test-script-state`` only shows what React rendered. When the
    "run started" and "run finished" messages reach the browser close together (a quick rerun,
    a busy browser), React renders both in one batch and the attribute never shows 'running',
    although the click reached the server and the run finished. Counting the DOM then reports a
    lost click that was not lost.
    """
    if getattr(page, "sm_finished_runs", None) is not None:
        return
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    page.sm_finished_runs = 0
    early = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN

    def on_frame(payload) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(bytes(payload))
        except Exception:  # noqa: BLE001 - not a ForwardMsg: not a run
            return
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished != early:
            page.sm_finished_runs += 1

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))


def finished_runs(page) -> int:
    """Finished script runs of this page so far (see ``track_runs``); the DOM count if untracked."""
    count = getattr(page, "sm_finished_runs", None)
    return page.evaluate(_COUNT_RUNS_JS) if count is None else count


def rerun(page, action: Callable[[], object], timeout_ms: int = RERUN_TIMEOUT_MS, expect_run: bool = True) -> None:
    """Do ``action`` (a click, a key press) and wait for the rerun it starts to finish.

    If ``expect_run`` is true and no run finished within ``timeout_ms``, the action did not reach
    the server and the wait fails. Otherwise a missing run (after 3 s) is fine (the widget did not
    change).
    """
    page.evaluate(_COUNT_RUNS_JS)  # keeps settle()'s last-change clock running
    before = finished_runs(page)
    action()
    deadline = time.monotonic() + (timeout_ms if expect_run else 3_000) / 1000
    while finished_runs(page) <= before:
        if time.monotonic() > deadline:
            if expect_run:
                raise AssertionError(f"the action did not lead to a finished rerun of the app within {timeout_ms / 1000:.0f} s")
            break
        page.wait_for_timeout(50)  # lets Playwright deliver the websocket frames it has received
    wait_idle(page, timeout_ms)
    check_app(page)


def open_page(page, base_url: str, path: str = "", query: str = "") -> None:
    """Go to a url path of the app and wait until its script has run."""
    url = f"{base_url}/{path}" + (f"?{query}" if query else "")
    track_runs(page)
    page.goto(url, wait_until="domcontentloaded")
    wait_idle(page)
    page.evaluate(_COUNT_RUNS_JS)
    # The first websocket message may still be on its way: wait for the page body itself.
    page.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"]',
                           state="attached", timeout=RERUN_TIMEOUT_MS)
    wait_idle(page)
    check_app(page)


def warm_up(browser, base_url: str, path: str = "") -> None:
    """Open one page in a throw-away context and wait until it has run."""
    ctx = browser.new_context()
    try:
        open_page(ctx.new_page(), base_url, path)
    finally:
        ctx.close()


def shot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot as a test artefact under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    path = SCREENSHOTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def block_internet(target) -> list[str]:
    """Abort every request that does not go to 127.0.0.1 (a page or a context). Returns the
    list the blocked urls are appended to."""
    blocked: list[str] = []

    def handle(route) -> None:
        url = route.request.url
        if re.match(r"^(https?|wss?)://127\.0\.0\.1(:\d+)?/", url) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    target.route("**/*", handle)
    return blocked


def copy_region(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".history", ".suggestions"))
    return dst


@contextlib.contextmanager
def running_server(**kwargs) -> Iterator[StreamlitServer]:
    server = StreamlitServer(**kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()
