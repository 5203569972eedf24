"""``make serve``: two real Streamlit processes behind a real nginx (no browser: websocket sessions).

Sticky sessions by cookie, a killed process's sessions continue on the other one, and no log of
the proxy, the app processes or the API holds the query string of a route-card link.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from conftest import ROOT, run_coroutine

sys.path.insert(0, str(ROOT / "benchmarks"))
from ws_session import Disconnected, WsSession  # noqa: E402

from test_db import pg_url  # noqa: E402,F401 - a fresh PostgreSQL database for this module

pytestmark = pytest.mark.slow


def _free_port() -> int:
    for _ in range(200):
        port = random.randint(8700, 8790)
        if all(socket.socket().connect_ex(("127.0.0.1", p)) != 0 for p in range(port, port + 4)):
            return port
    pytest.fail("no free port in 8700-8799")


def _serve(run_dir: Path, env: dict[str, str]):
    """Start deploy/serve.py with 2 app processes; yield its details; stop it."""
    ensure = subprocess.run(["bash", str(ROOT / "deploy/ensure_nginx.sh")], capture_output=True, text=True)
    assert ensure.returncode == 0, ensure.stderr
    port = _free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "deploy/serve.py"), "--processes", "2", "--port", str(port),
                             "--run-dir", str(run_dir)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    started = time.monotonic()
    line = ""
    while "behind nginx" not in line:
        line = proc.stdout.readline()
        if (not line and proc.poll() is not None) or time.monotonic() - started > 240:
            proc.kill()
            pytest.fail(f"serve did not start: {line} {proc.stdout.read() if proc.poll() is not None else ''}")
    try:
        yield {"url": f"http://127.0.0.1:{port}", "run_dir": run_dir, "proc": proc,
               "state": json.loads((run_dir / "serve.json").read_text())}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """2 app processes on the shipped region folder (the file store) behind nginx."""
    env = {k: v for k, v in os.environ.items() if k not in ("SOCIALMAP_DATABASE_URL", "SOCIALMAP_REGION")}
    yield from _serve(tmp_path_factory.mktemp("serve"), env)


def _upstreams(run_dir: Path, marker: str) -> list[str]:
    """The app process (upstream address) of each access-log line for a path containing ``marker``."""
    lines = (run_dir / "nginx-access.log").read_text().splitlines()
    return [line.split()[-1] for line in lines if marker in line]


def _get(url: str, cookie: str | None = None) -> tuple[int, str]:
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.status, resp.headers.get("Set-Cookie", "")


def test_serve_keeps_each_browser_on_one_app_process_and_spreads_browsers_over_both(served):
    cookies = []
    for number in range(12):
        _, set_cookie = _get(f"{served['url']}/zorgroutes-sticky-{number}")
        cookies.append(set_cookie.split(";")[0])
    for number, cookie in enumerate(cookies):
        for repeat in range(3):
            _get(f"{served['url']}/zorgroutes-sticky-{number}", cookie)
    time.sleep(0.5)  # the access log is written when each request ends
    per_browser = [set(_upstreams(served["run_dir"], f"/zorgroutes-sticky-{n}\"")) for n in range(12)]
    assert all(len(ups) == 1 for ups in per_browser)
    assert len(set.union(*per_browser)) == 2  # 12 browsers land on both processes


def test_no_log_of_the_proxy_the_app_processes_or_the_api_holds_a_route_card_query_string(served):
    secret = f"zz{uuid.uuid4().hex[:10]}"
    query = f"a=1-10-pa-1-1----{secret}&s=svc-{secret}&lang=nl"
    _get(f"{served['url']}/routekaart?{query}")
    _get(f"{served['url']}/api/services?postcode={secret}")

    async def visit() -> None:
        s = WsSession(served["url"])
        await s.open(f"/routekaart?{query}")
        await s.close()

    run_coroutine(visit())
    time.sleep(0.5)
    logs = [p for p in served["run_dir"].rglob("*") if p.is_file() and p.suffix in (".log", "")]
    assert {p.name for p in logs} >= {"nginx-access.log", "nginx-error.log", "app-1.log", "app-2.log"}
    assert any("/routekaart" in line for line in (served["run_dir"] / "nginx-access.log").read_text().splitlines())
    found = [p.name for p in logs if secret in p.read_text(errors="replace")]
    assert found == []


def test_when_an_app_process_is_killed_its_sessions_reconnect_to_the_other_and_the_url_brings_the_card_back(served):
    card = "/routekaart?a=1-10-pa-1-1----2011&s=svc-cjg-kennemerland"

    async def scenario() -> tuple[str, str, list[str], list[str]]:
        s = WsSession(served["url"])
        await s.open(card)
        shown = [t for t in s.texts if "Kennemerland" in t or "2011" in t]
        marker = f"/sticky-probe-{uuid.uuid4().hex[:6]}"
        await asyncio.to_thread(s._fetch_shell, marker)  # this browser's process, in the access log
        time.sleep(0.3)
        (before,) = set(_upstreams(served["run_dir"], marker + '"'))
        port = before.rsplit(":", 1)[1]
        name = next(n for n, v in served["state"].items()
                    if n.startswith("app-") and v["cmd"][v["cmd"].index("--server.port") + 1] == port)
        os.kill(served["state"][name]["pid"], signal.SIGKILL)
        with pytest.raises(Disconnected):
            for _ in range(50):
                await s.rerun([], timeout_s=5)
                await asyncio.sleep(0.1)
        assert s.url() == card
        await s.open(s.url())  # the browser reconnects on the URL it shows
        again = [t for t in s.texts if "Kennemerland" in t or "2011" in t]
        await asyncio.to_thread(s._fetch_shell, marker + "-again")
        time.sleep(0.3)
        (after,) = set(_upstreams(served["run_dir"], marker + "-again"))
        await s.close()
        return before, after, shown, again

    before, after, shown, again = run_coroutine(scenario())
    assert before != after
    assert shown and again == shown  # the route card's answers travel in its URL: the same card again


def test_on_postgresql_a_curators_save_shows_in_both_app_processes_without_a_restart(pg_url, tmp_path):
    from curation_helpers import curator

    from socialmap.db import pg

    env = {**os.environ, "SOCIALMAP_DATABASE_URL": pg_url, "SOCIALMAP_REGION": "kennemerland",
           "SOCIALMAP_SNAPSHOT_DIR": str(tmp_path / "snapshots")}
    serving = _serve(tmp_path / "run", env)
    server = next(serving)  # migrates nothing new, loads the shipped region into the database
    card = "/routekaart?a=1-10-pa-1-1----2011&s=svc-cjg-kennemerland"

    async def cards_per_process() -> dict[str, list[str]]:
        seen: dict[str, list[str]] = {}
        for number in range(20):
            s = WsSession(server["url"])
            await s.open(card)
            marker = f"/probe-{uuid.uuid4().hex[:6]}"
            await asyncio.to_thread(s._fetch_shell, marker)
            await s.close()
            time.sleep(0.2)
            (upstream,) = set(_upstreams(server["run_dir"], marker + '"'))
            seen.setdefault(upstream, [t for t in s.texts if "Wachttijd" in t])
            if len(seen) == 2:
                break
        return seen

    try:
        before = run_coroutine(cards_per_process())
        assert len(before) == 2 and all("Wachttijd: onbekend" in t[0] for t in before.values())
        s = pg.PgStore("kennemerland", pg_url)
        s.upsert("service", s.record("service", "svc-cjg-kennemerland") | {"waiting_weeks": "7"}, curator(),
                 s.version_token(), "svc-cjg-kennemerland")
        time.sleep(3)  # each process checks the version at most every 2 s
        after = run_coroutine(cards_per_process())
        assert len(after) == 2 and all("Wachttijd: ongeveer 7 weken" in t[0] for t in after.values())
    finally:
        serving.close()
