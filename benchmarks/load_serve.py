"""Load and failure test of ``make serve``: websocket sessions doing the GP flow, one app process killed.

    .venv/bin/python benchmarks/load_serve.py [--sessions 50] [--seconds 120] [--processes 2] [--kill-at 60]

What it does:

1. makes a fresh PostgreSQL database (dropped at the end), loads the shipped region into it and
   starts ``deploy/serve.py`` on it: ``--processes`` Streamlit processes (+ the API when present)
   behind nginx on a free port in 8700-8799;
2. runs ``--sessions`` websocket sessions (no browser), each repeating the GP's quick flow of
   ``benchmarks/ws_load.py`` (``GP_FLOW``: open the Hulpwijzer, postcode, age, a concern, impact,
   duration, open the route card; each an interaction: one rerun, timed until the server reports
   it finished), with ``--think`` seconds between interactions. The session itself
   (``benchmarks/ws_session.py``) keeps its cookie and URL and reconnects when its socket closes,
   as a browser tab does;
3. meanwhile a curator saves an edit every ``--save-every`` seconds through the PostgreSQL store
   (each save is published and picked up by both app processes);
4. at ``--kill-at`` seconds kills one app process with SIGKILL. Its sessions see their websocket
   close, reconnect through nginx (the sticky cookie now leads to the other process) and start
   again on the URL they were on;
5. reports interactions, errors (an interaction whose rerun has not finished within 30 s, or an
   app exception), p50/p95/max per interaction, reconnects, and checks that every committed save
   is in the database, in the history and in the published snapshot.

Exit code 1 on any error or lost save.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]

import psycopg  # noqa: E402
import ws_load  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from ws_session import Disconnected, RunTimeout, WsSession  # noqa: E402

SERVER = os.environ.get("SOCIALMAP_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TIMEOUT_S = 30.0
STEPS = ("open page", *(step.name for step in ws_load.GP_FLOW))


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


def free_port() -> int:
    for _ in range(200):
        port = random.randint(8700, 8795)
        if all(socket.socket().connect_ex(("127.0.0.1", p)) != 0 for p in (port, port + 1, port + 2, port + 3)):
            return port
    raise SystemExit("no free port in 8700-8799")


class Stats:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = {s: [] for s in (*STEPS, "reconnect")}
        self.errors: list[str] = []
        self.flows = 0
        self.interrupted: list[str] = []

    def add(self, step: str, ms: float) -> None:
        self.latency[step].append(ms)


async def gp_flow(s: WsSession, stats: Stats, rng: random.Random, think: float) -> None:
    """``ws_load.GP_FLOW`` (the GP's quick path as data) on a reconnecting session."""
    stats.add("open page", await s.open("/" + ws_load.START_PAGE))
    states: dict[str, WidgetState] = {}
    for step in ws_load.GP_FLOW:
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
        if step.link_label is not None:
            link = next((link for label, link in s.page_links.items() if step.link_label in label), None)
            if link is None:
                raise AssertionError(f"link {step.link_label!r} is not on the page")
            path = next((p for p, h in s.pages.items() if h == link.page_script_hash), "")
            s.query_string, s.path = link.query_string, "/" + path
            s.texts.clear()
            ms = await s.rerun([], page_script_hash=link.page_script_hash, timeout_s=TIMEOUT_S)
        else:
            widget = s.widget(step.key or "")
            assert step.value is not None
            states[widget.id] = ws_load.widget_state(widget, step.value(rng), step.label_kind)
            ms = await s.rerun(list(states.values()), timeout_s=TIMEOUT_S)
        stats.add(step.name, ms)
        if s.exceptions:
            raise AssertionError(f"app exception at {step.name}: {s.exceptions[0][:200]}")
    if not any(ws_load.CARD_MARK in text for text in s.texts):
        raise AssertionError(f"the route card ({ws_load.CARD_MARK}) is not shown")


async def session(n: int, base: str, stats: Stats, deadline: float, think: float, ramp_s: float) -> None:
    rng = random.Random(n)
    await asyncio.sleep(n * ramp_s)
    s = WsSession(base)
    while time.monotonic() < deadline:
        try:
            await gp_flow(s, stats, rng, think)
            stats.flows += 1
        except Disconnected:
            # the app process is gone: reconnect like the browser does, on the URL this session was on
            stats.interrupted.append(s.url())
            try:
                stats.add("reconnect", await s.open(s.url()))
            except Exception as exc:  # noqa: BLE001 - counted
                stats.errors.append(f"session {n} reconnect: {type(exc).__name__}: {str(exc)[:160]}")
                await asyncio.sleep(1)
        except RunTimeout as exc:
            stats.errors.append(f"session {n}: {exc}")
        except Exception as exc:  # noqa: BLE001 - counted, the session goes on
            stats.errors.append(f"session {n}: {type(exc).__name__}: {str(exc)[:160]}")
            await asyncio.sleep(1)
        finally:
            await s.close()


def curator_writer(url: str, region: str, stop: threading.Event, committed: list[tuple[str, str]],
                   problems: list[str], every_s: float) -> None:
    """A curator saving an edit every ``every_s`` seconds (a waiting time) through the PostgreSQL store."""
    from curation_helpers import curator

    from socialmap.curation import store
    from socialmap.db import pg

    s = pg.PgStore(region, url)
    who = curator("Load Curator")
    weeks = 0
    while not stop.wait(every_s):
        weeks = (weeks + 1) % 50
        try:
            values = s.record("service", "svc-cjg-kennemerland") or {}
            result, _ = s.upsert("service", values | {"waiting_weeks": str(weeks)}, who, s.version_token(),
                                 original_id="svc-cjg-kennemerland")
            committed.append((result.version, str(weeks)))
        except store.ConcurrentEditError:
            continue
        except Exception as exc:  # noqa: BLE001 - reported
            problems.append(f"save failed: {type(exc).__name__}: {str(exc)[:200]}")


async def run_sessions(base: str, sessions: int, seconds: float, think: float) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + seconds
    ramp = min(0.2, 10.0 / max(1, sessions))
    await asyncio.gather(*(session(n, base, stats, deadline, think, ramp) for n in range(sessions)))
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--kill-at", type=float, default=60, help="seconds into the run; 0: no kill")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a GP's interactions")
    parser.add_argument("--save-every", type=float, default=10.0, help="seconds between the curator's saves")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not (1 <= args.sessions <= 100 and 5 <= args.seconds <= 600):
        parser.error("sessions 1-100, seconds 5-600")

    from socialmap.db import pg

    dbname = f"socialmap_load_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(SERVER, autocommit=True)
    admin.execute(f'CREATE DATABASE "{dbname}"')
    url = SERVER.rsplit("/", 1)[0] + "/" + dbname
    run_dir = Path(tempfile.mkdtemp(prefix="socialmap-load-serve-"))
    port = free_port()
    env = {**os.environ, "SOCIALMAP_DATABASE_URL": url, "SOCIALMAP_SNAPSHOT_DIR": str(run_dir / "snapshots"),
           "SOCIALMAP_REGION": "kennemerland"}
    serve = None
    stop = threading.Event()
    committed: list[tuple[str, str]] = []
    problems: list[str] = []
    try:
        pg.migrate(url)
        pg.load(ROOT / "data/regions/kennemerland", url=url)
        serve = subprocess.Popen([sys.executable, str(ROOT / "deploy/serve.py"), "--processes", str(args.processes),
                                  "--port", str(port), "--run-dir", str(run_dir)], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = ""
        t0 = time.monotonic()
        while "behind nginx" not in line:
            line = serve.stdout.readline()
            if not line and serve.poll() is not None:
                raise SystemExit("serve did not start (see " + str(run_dir) + ")")
            if time.monotonic() - t0 > 240:
                raise SystemExit("serve did not start within 240 s")
        base = f"http://127.0.0.1:{port}"
        state = json.loads((run_dir / "serve.json").read_text())
        print(f"load: {args.sessions} sessions for {args.seconds:.0f} s against {args.processes} app processes "
              f"behind nginx at {base}", flush=True)

        async def warm() -> None:  # the first session of each process loads the atlas (not timed)
            for _ in range(args.processes * 2):
                w = WsSession(base)
                await w.open("/hulpwijzer")
                await w.close()
        asyncio.run(warm())

        writer = threading.Thread(target=curator_writer, daemon=True,
                                  args=(url, "kennemerland", stop, committed, problems, args.save_every))
        writer.start()
        killed: dict[str, object] = {}
        if args.kill_at:
            def kill() -> None:
                victim = state["app-1"]["pid"]
                os.kill(victim, signal.SIGKILL)
                killed.update({"pid": victim, "at_s": args.kill_at})
                print(f"load: killed app-1 (pid {victim}) at {args.kill_at:.0f} s", flush=True)
            timer = threading.Timer(args.kill_at, kill)
            timer.start()
        started = time.monotonic()
        stats = asyncio.run(run_sessions(base, args.sessions, args.seconds, args.think))
        elapsed = time.monotonic() - started
        stop.set()
        writer.join(30)

        # nothing saved is lost: every committed save is in the database, the history and a snapshot
        from socialmap.db import publish

        with psycopg.connect(url) as conn:
            version = pg.region_version(conn, "kennemerland")
            weeks = conn.execute("SELECT waiting_weeks FROM services WHERE region_id = 'kennemerland' "
                                 "AND id = 'svc-cjg-kennemerland'").fetchone()[0]
            logged = {str(r[0]) for r in conn.execute(
                "SELECT version_after FROM history WHERE region_id = 'kennemerland' AND action = 'edit'")}
        lost = [v for v, _ in committed if v not in logged]
        if committed and (str(version) != committed[-1][0] or weeks != committed[-1][1]):
            lost.append(f"last save {committed[-1]} but the database has version {version}, waiting_weeks {weeks}")
        os.environ[publish.SNAPSHOT_ENV] = env["SOCIALMAP_SNAPSHOT_DIR"]
        snap = publish.ensure_snapshot("kennemerland", url, version)
        snap_ok = f",{weeks}," in next(l for l in (snap / "services.csv").read_text().splitlines()
                                        if l.startswith("svc-cjg-kennemerland,"))
        figures = {
            "sessions": args.sessions, "seconds": round(elapsed, 1), "processes": args.processes,
            "think_s": args.think, "save_every_s": args.save_every, "flows": stats.flows,
            "interactions": sum(len(v) for k, v in stats.latency.items() if k != "reconnect"),
            "errors": len(stats.errors), "error_samples": stats.errors[:10],
            "killed": killed, "sessions_interrupted": len(stats.interrupted),
            "interrupted_on": sorted({u.split("?")[0] for u in stats.interrupted}),
            "steps": {k: {"n": len(v), "p50_ms": round(_p(v, 0.5)), "p95_ms": round(_p(v, 0.95)),
                          "max_ms": round(max(v))} for k, v in stats.latency.items() if v},
            "saves_committed": len(committed), "saves_lost": lost, "save_problems": problems,
            "snapshot_has_last_save": snap_ok,
        }
        print(json.dumps(figures, indent=2))
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        bad = stats.errors or lost or problems or not snap_ok
        return 1 if bad else 0
    finally:
        stop.set()
        if serve is not None and serve.poll() is None:
            serve.send_signal(signal.SIGTERM)
            try:
                serve.wait(30)
            except subprocess.TimeoutExpired:
                serve.kill()
        print(f"load: logs in {run_dir}", flush=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    raise SystemExit(main())
