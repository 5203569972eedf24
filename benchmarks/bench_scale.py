"""National scale: the map, the snapshot start, matching by lookup and page runs at 3,392 / 10,000 /
50,000 / 200,000 services, every figure as a ratio to a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_scale.py [--scales 1000,10000,50000,200000] [--browser 50000]
                                               [--regions DIR] [--json test-artifacts/bench/scale.json]

``--scales`` are ``generate_national.py --services`` values (1,000 yields 3,392 services: every wijk
gets one). Generated regions are kept in ``--regions`` (default: a temp dir) and reused. For each
scale, in fresh processes:

* **cold start**: ``snapshot.load`` (content hash + read of a fresh snapshot) against the floor:
  reading the same Parquet files with pyarrow/pandas alone; 3 interleaved rounds; and the very
  first start (validate once + write the snapshot);
* **advice + matching**: 2,000 random answer sets (``triage.advise`` + ``services_for_advice`` on
  the lookup), each followed by one on Kennemerland in the same process; and 2,000 random
  ``match`` calls compared with ``match_by_lookup`` (must be identical);
* **pages** (Streamlit AppTest; not at 200,000 unless ``--pages-at-200k``): after the shared
  indexes are ready, the first run of every page, then reruns, each followed by a blank page's rerun
  in the same process; the map page also after typing postcodes; the map component's payload;
* **browser** (scales in ``--browser``): headless Chromium, a blank Streamlit page on a second
  server in the same run; time to the first map marker or cluster, websocket bytes, and server
  RSS per extra open session.

The machine is shared: read the ratios, not the absolute times.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
KENNEMERLAND = ROOT / "data" / "regions" / "kennemerland"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

_COLD_SNAPSHOT = r"""
import json, sys, time
from socialmap import snapshot
t = time.perf_counter(); atlas = snapshot.load(sys.argv[1]); took = time.perf_counter() - t
print(json.dumps({"s": took, "services": len(atlas.services)}))
"""

_COLD_FLOOR = r"""
import json, sys, time
from pathlib import Path
import pandas, pyarrow as pa, pyarrow.parquet as pq
pa.table({"a": [1]}).to_pandas()  # pyarrow imports its pandas glue lazily: not part of the read
t = time.perf_counter()
frames = [pq.read_table(p).to_pandas() for p in sorted((Path(sys.argv[1]) / ".snapshot").glob("*.parquet"))]
print(json.dumps({"s": time.perf_counter() - t, "rows": sum(len(f) for f in frames)}))
"""

_FIRST_START = r"""
import json, shutil, sys, time
from pathlib import Path
from socialmap import snapshot
shutil.rmtree(Path(sys.argv[1]) / ".snapshot", ignore_errors=True)
t = time.perf_counter(); atlas = snapshot.load(sys.argv[1]); took = time.perf_counter() - t
t = time.perf_counter(); state = snapshot.build_indexes(atlas); built = time.perf_counter() - t
import resource
print(json.dumps({"first_start_s": took, "indexes_s": built, "steps": state.steps, "error": state.error,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_ADVICE = r"""
import json, random, statistics, sys, time, datetime as dt
import numpy as np
sys.path.insert(0, "benchmarks")
from bench_advice import random_answers
from socialmap import matching, snapshot, vocab
from socialmap.triage import advise, parse_answers
big, small = snapshot.load(sys.argv[1]), snapshot.load(sys.argv[2])
n = int(sys.argv[3])
out = {}
t = time.perf_counter(); matching.lookup(big); out["lookup_build_s"] = time.perf_counter() - t
out["lookup_mb"] = matching.lookup(big).nbytes / 2**20
matching.lookup(small)
now = dt.datetime(2026, 3, 4, 10, 30)
rng = random.Random(14)
codes = list(big.areas.index)
bad = 0
for _ in range(n):
    area = big.area(rng.choice(codes))
    levels = rng.sample(vocab.LEVELS, rng.choice((1, 1, 2)))
    concerns = rng.sample(vocab.CONCERNS, rng.choice((0, 1, 2)))
    age = rng.choice((None, *range(24)))
    if matching.match(big, area, levels, age, concerns, now=now, limit=10) != matching.match_by_lookup(
            big, area, levels, age, concerns, now=now, limit=10):
        bad += 1
out["equality_cases"], out["mismatches"] = n, bad

def one(atlas, obj):
    t = time.perf_counter()
    answers = parse_answers(obj)
    advice = advise(answers)
    area = atlas.resolve(postcode=answers.postcode, area_code=answers.area_code)
    found = matching.services_for_advice(atlas, area, advice.level, advice.also, answers.age, answers.concerns, per_level=10)
    [m.to_contract() for m in found]
    return (time.perf_counter() - t) * 1000

def two(atlas, obj):  # the same with match (the reference), for the speed-up
    t = time.perf_counter()
    answers = parse_answers(obj)
    advice = advise(answers)
    area = atlas.resolve(postcode=answers.postcode, area_code=answers.area_code)
    for lvl in (advice.level, *[a for a in advice.also if a != advice.level]):
        matching.match(atlas, area, [lvl], answers.age, answers.concerns, limit=10)
    return (time.perf_counter() - t) * 1000

r = np.random.default_rng(8)
pcs_big, pcs_small = list(big.postcodes.index), list(small.postcodes.index)
tb, ts, tm, tms = [], [], [], []
for _ in range(n):
    tb.append(one(big, random_answers(r, pcs_big)))
    ts.append(one(small, random_answers(r, pcs_small)))
for _ in range(max(n // 4, 50)):
    tm.append(two(big, random_answers(r, pcs_big)))
    tms.append(two(small, random_answers(r, pcs_small)))
out.update({"p50_ms": statistics.median(tb), "p95_ms": float(np.percentile(tb, 95)),
            "kem_p50_ms": statistics.median(ts), "kem_p95_ms": float(np.percentile(ts, 95)),
            "match_p50_ms": statistics.median(tm), "match_kem_p50_ms": statistics.median(tms)})
print(json.dumps(out))
"""

_PAGES = r"""
import json, os, resource, statistics, sys, time
from streamlit.testing.v1 import AppTest
from socialmap import snapshot
from socialmap.ui import common, state
region, runs = sys.argv[1], int(sys.argv[2])
blank = AppTest.from_string("import streamlit as st\nst.title('blank')", default_timeout=120)
blank.run()

def blank_ms():
    t = time.perf_counter(); blank.run(); return (time.perf_counter() - t) * 1000

at = AppTest.from_file(os.path.abspath("app.py"), default_timeout=900)
t = time.perf_counter(); at.run(); start_first = (time.perf_counter() - t) * 1000
atlas = common.get_atlas(region)
t = time.perf_counter()
while not snapshot.readiness(atlas).ready and not snapshot.readiness(atlas).error:
    time.sleep(0.2)
print("indexes ready", time.perf_counter() - t, file=sys.stderr, flush=True)
out = {"wait_indexes_s": time.perf_counter() - t, "start_first_ms": start_first, "readiness": snapshot.readiness(atlas).as_dict()}
pages = {"start": "views/start.py", "hulpwijzer": "views/hulpwijzer.py", "routekaart": "views/routekaart.py",
         "sociale_kaart": "views/sociale_kaart.py", "wijkprofiel": "views/wijkprofiel.py", "dekking": "views/dekking.py",
         "zorgroutes": "views/zorgroutes.py", "beheer": "views/beheer.py"}
link = sys.argv[3]
for name, path in pages.items():
    at = AppTest.from_file(os.path.abspath("app.py"), default_timeout=900)
    at.run()
    at.switch_page(path)
    if name == "routekaart":
        at.query_params["a"] = link  # after switch_page, which drops the query string
    t = time.perf_counter(); at.run(); first = (time.perf_counter() - t) * 1000
    err = [str(e.value)[:200] for e in at.exception]
    page, blanks = [], []
    for _ in range(runs):
        t = time.perf_counter(); at.run(); page.append((time.perf_counter() - t) * 1000)
        blanks.append(blank_ms())
    r = {"first_ms": first, "median_ms": statistics.median(page), "blank_ms": statistics.median(blanks), "error": err}
    if name == "routekaart":
        r["has_card"] = any("Hier komt uw routekaart" not in m.value for m in at.markdown) and not any(
            "Hier komt" in i.value for i in at.info)
    if name == "sociale_kaart":
        comps = at.get("component_instance")
        if comps:
            args = json.loads(comps[0].proto.json_args)
            r["map_bytes"] = len(comps[0].proto.json_args.encode())
            r["map_feature_group_bytes"] = len((args.get("feature_group") or "").encode())
            r["map_script_bytes"] = len((args.get("script") or "").encode())
        pc_times, pc_blank = [], []
        pcs = [p for p in list(atlas.postcodes.index)[:: max(1, len(atlas.postcodes) // 7)]][:6]
        for pc in pcs:
            at.text_input(key=state.MAP_POSTCODE).set_value(pc)
            t = time.perf_counter(); at.run(); pc_times.append((time.perf_counter() - t) * 1000)
            pc_blank.append(blank_ms())
        r["postcode_rerun_ms"] = statistics.median(pc_times)
        r["postcode_blank_ms"] = statistics.median(pc_blank)
        comps = at.get("component_instance")
        if comps:
            r["map_bytes_postcode"] = len(comps[0].proto.json_args.encode())
    out[name] = r
    print(name, json.dumps(r), file=sys.stderr, flush=True)
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def _run(code_or_file: list[str], env: dict[str, str] | None = None, timeout: int = 3600) -> dict:
    proc = subprocess.run([PY, *code_or_file], cwd=ROOT, env={**os.environ, "SOCIALMAP_TILES": "none", **(env or {})},
                          capture_output=True, text=True, timeout=timeout)
    for line in reversed(proc.stdout.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {"error": (proc.stderr.strip() or proc.stdout.strip())[-1500:]}


def ensure_region(folder: Path, services: int) -> dict:
    if not (folder / "region.yaml").is_file():
        t = time.perf_counter()
        info = _run([str(ROOT / "benchmarks" / "generate_national.py"), "--out", str(folder), "--services",
                     str(services), "--no-check"])
        info["generate_s"] = time.perf_counter() - t
        return info
    return {"reused": str(folder)}


def cold(folder: Path, rounds: int = 3) -> dict:
    first = _run(["-c", _FIRST_START, str(folder)])
    snap, floor = [], []
    for _ in range(rounds):
        snap.append(_run(["-c", _COLD_SNAPSHOT, str(folder)]).get("s", math.nan))
        floor.append(_run(["-c", _COLD_FLOOR, str(folder)]).get("s", math.nan))
    med = sorted(snap)[len(snap) // 2], sorted(floor)[len(floor) // 2]
    return {**first, "snapshot_s": snap, "floor_s": floor, "snapshot_median_s": med[0], "floor_median_s": med[1],
            "ratio": med[0] / med[1]}


def _quiet_rss_mb(pid: int, quiet_s: float = 4.0, timeout_s: float = 600.0) -> tuple[float, float]:
    """The server's RSS (MB) once it is quiet: under 5% of a core for ``quiet_s`` seconds (the shared
    indexes built in the background, every rerun finished), or at ``timeout_s``. Returns (MB, wait s)."""
    tick = os.sysconf("SC_CLK_TCK")

    def sample() -> tuple[float, float]:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/status") as fh:
            rss = next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024
        return (int(fields[11]) + int(fields[12])) / tick, rss

    start = time.monotonic()
    history = [(start, *sample())]
    while time.monotonic() - start < timeout_s:
        time.sleep(0.5)
        history.append((time.monotonic(), *sample()))
        old = [h for h in history if h[0] <= history[-1][0] - quiet_s]
        if old and history[-1][1] - old[-1][1] < 0.05 * (history[-1][0] - old[-1][0]):
            break
    return history[-1][2], time.monotonic() - start


#: Put on the measured server's PYTHONPATH: on SIGUSR2 it collects garbage, hands the allocators'
#: free memory back (glibc ``malloc_trim``, Arrow's pool) and appends its RSS (MB) to a file. RSS read
#: this way is what the sessions keep, not what the allocators happen to hold on to for reuse (free
#: memory that jumps by tens of MB between steps, up or down, whatever the page does).
_TRIM_PROBE = r"""
import ctypes, gc, os, signal

def _probe(signum, frame):
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    try:
        import pyarrow
        pyarrow.default_memory_pool().release_unused()
    except Exception:
        pass
    with open("/proc/self/status") as fh:
        rss = next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024
    with open(os.environ["SOCIALMAP_BENCH_TRIM_PROBE"], "a") as fh:
        fh.write(f"{rss}\n")

signal.signal(signal.SIGUSR2, _probe)
"""


def _trimmed_rss_mb(pid: int, probe: Path, timeout_s: float = 60.0) -> float:
    """Ask the server (``_TRIM_PROBE``) for its RSS after gc and trimming; NaN without an answer."""
    import signal

    seen = len(probe.read_text().splitlines()) if probe.is_file() else 0
    os.kill(pid, signal.SIGUSR2)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        lines = probe.read_text().splitlines() if probe.is_file() else []
        if len(lines) > seen:
            return float(lines[seen])
        time.sleep(0.2)
    return math.nan


def _slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of ys over xs (MB per session: one step's noise weighs less)."""
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def browser(folder: Path, sessions: int = 5, rounds: int = 3) -> dict:
    from e2e import harness  # tests/e2e: the same server and Chromium set-up as the browser tests
    import shutil

    from playwright.sync_api import sync_playwright

    blank_app = Path(tempfile.mkdtemp(prefix="blank-")) / "blank.py"
    blank_app.write_text("import streamlit as st\nst.title('blank')\n", encoding="utf-8")
    port = harness.free_port(range(8760, 8790))
    blank = subprocess.Popen([PY, "-m", "streamlit", "run", str(blank_app), "--server.port", str(port),
                              "--server.address", "127.0.0.1", "--server.headless", "true",
                              "--browser.gatherUsageStats", "false"], cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    probe_dir = Path(tempfile.mkdtemp(prefix="trim-probe-"))
    (probe_dir / "sitecustomize.py").write_text(_TRIM_PROBE, encoding="utf-8")
    probe = probe_dir / "rss.txt"
    probe_env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(probe_dir), os.environ.get("PYTHONPATH")])),
                 "SOCIALMAP_BENCH_TRIM_PROBE": str(probe)}
    out: dict = {}
    try:
        with harness.running_server(region=folder, port=harness.free_port(range(8730, 8760)), name="bench-scale",
                                    extra_env=probe_env) as srv, \
                sync_playwright() as p:
            b = p.chromium.launch(executable_path=harness.CHROMIUM, args=harness.CHROMIUM_ARGS)
            ctx = b.new_context(viewport={"width": 1400, "height": 1000})
            marker = 'path.leaflet-interactive[stroke="#ffffff"], .socialmap-cluster'
            iframe = 'iframe[title="streamlit_folium.st_folium"]'

            def open_map(page):
                received = []
                page.on("websocket", lambda ws: ws.on("framereceived", lambda f: received.append(
                    len(f) if isinstance(f, (bytes, str)) else 0)))
                t = time.perf_counter()
                page.goto(srv.url + "/sociale_kaart", timeout=600_000)
                page.frame_locator(iframe).first.locator(marker).first.wait_for(timeout=600_000)
                took = time.perf_counter() - t
                time.sleep(2)
                return took, sum(received)

            def open_blank(page):
                t = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/", timeout=120_000)
                page.get_by_text("blank").first.wait_for(timeout=120_000)
                return time.perf_counter() - t

            # The map pages stay open to the end: a closed tab's session is kept for two minutes (for
            # a reconnect) and then dropped, which would lower RSS in the middle of the steps below.
            warm = ctx.new_page()
            out["very_first_visit_s"], _ = open_map(warm)  # cold caches after the server start
            pages = [warm]
            paint, blanks, ws = [], [], []
            for _ in range(rounds):
                pg = ctx.new_page()
                blanks.append(open_blank(pg))
                pg.close()
                pg = ctx.new_page()
                took, n = open_map(pg)
                paint.append(took)
                ws.append(n)
                pages.append(pg)
            # RSS is read when the server is quiet: the shared indexes the first visit started building
            # in the background are done (building them grows and shrinks RSS by tens of MB), and so is
            # every rerun of the page just opened (the map's view report reruns its fragment).
            # Each step: the RSS as it is (raw), then after gc and trimming (what the sessions keep).
            raw, waits, trimmed = [], [], []
            for step in range(sessions + 1):
                if step:
                    pg = ctx.new_page()
                    open_map(pg)
                    pages.append(pg)
                rss, waited = _quiet_rss_mb(srv.proc.pid)
                raw.append(rss)
                waits.append(waited)
                trimmed.append(_trimmed_rss_mb(srv.proc.pid, probe))
            # raw growth of one session: from the trimmed state before it to the raw state after it
            grown = sorted(raw[k] - trimmed[k - 1] for k in range(1, sessions + 1))
            out.update({"paint_s": paint, "blank_s": blanks, "ws_bytes": ws,
                        "paint_ratio": sorted(paint)[len(paint) // 2] / sorted(blanks)[len(blanks) // 2],
                        "sessions": sessions, "rss_quiet_wait_s": waits,
                        "rss_raw_mb": raw, "rss_trimmed_mb": trimmed,
                        "rss_before_mb": trimmed[0], "rss_after_mb": trimmed[-1],
                        "rss_per_session_mb": (trimmed[-1] - trimmed[0]) / sessions,
                        "rss_slope_mb": _slope(list(range(sessions + 1)), trimmed),
                        "rss_raw_per_session_mb": (raw[-1] - raw[0]) / sessions,
                        "rss_raw_step_median_mb": grown[len(grown) // 2]})
            b.close()
    finally:
        os.killpg(blank.pid, 15)
        blank.wait(timeout=30)
        shutil.rmtree(probe_dir, ignore_errors=True)
    return out


def exponent(xs: list[float], ys: list[float]) -> float | None:
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if x and y and y > 0 and not math.isnan(y)]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / den if den else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="1000,10000,50000,200000")
    ap.add_argument("--browser", default="50000", help="scales (generator values) measured in Chromium")
    ap.add_argument("--regions", type=Path, default=None, help="keep generated regions here (reused when present)")
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5, help="page reruns per page")
    ap.add_argument("--pages-at-200k", action="store_true")
    ap.add_argument("--only", default="cold,advice,pages,browser")
    ap.add_argument("--json", type=Path, default=ROOT / "test-artifacts" / "bench" / "scale.json")
    args = ap.parse_args(argv)
    regions = args.regions or Path(tempfile.mkdtemp(prefix="socialmap-scale-"))
    regions.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(","))
    results: dict = json.loads(args.json.read_text()) if args.json.is_file() else {}
    results["machine"] = {"cores": os.cpu_count(), "load_avg": os.getloadavg()[0]}
    link = "1-9-an-2-1----2015"
    for scale in [int(s) for s in args.scales.split(",") if s]:
        folder = regions / f"national-{scale}"
        res = results.setdefault(str(scale), {})
        print(f"... {scale}: region", file=sys.stderr, flush=True)
        res["region"] = ensure_region(folder, scale)
        steps = []
        if "cold" in only:
            steps.append(("cold", lambda: cold(folder)))
        if "advice" in only:
            steps.append(("advice", lambda: _run(["-c", _ADVICE, str(folder), str(KENNEMERLAND), str(args.cases)])))
        if "pages" in only and (scale < 200_000 or args.pages_at_200k):
            steps.append(("pages", lambda: _run(["-c", _PAGES, str(folder), str(args.runs), _national_link(folder, link)],
                                                 env={"SOCIALMAP_REGION": str(folder)})))
        if "browser" in only and str(scale) in args.browser.split(","):
            steps.append(("browser", lambda: browser(folder)))
        for name, step in steps:
            t = time.perf_counter()
            print(f"... {scale}: {name}", file=sys.stderr, flush=True)
            try:
                res[name] = step()
            except Exception as exc:  # one broken step must not hide the others' figures
                res[name] = {"error": f"{type(exc).__name__}: {exc}"[-1500:]}
            print(f"    {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    if "kennemerland" not in results and "pages" in only:
        print("... kennemerland: pages", file=sys.stderr, flush=True)
        results["kennemerland"] = {"pages": _run(["-c", _PAGES, str(KENNEMERLAND), str(args.runs), link],
                                                 env={"SOCIALMAP_REGION": str(KENNEMERLAND)})}
    if "browser" in only and "kennemerland" in args.browser.split(","):
        results.setdefault("kennemerland", {})["browser"] = browser(KENNEMERLAND)
    args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(report(results))
    return 0


def _national_link(folder: Path, link: str) -> str:
    """The route-card link with a postcode of the national region (its first PC4)."""
    with open(folder / "postcodes.csv", encoding="utf-8") as fh:
        next(fh)
        pc4 = next(fh).split(",")[0]
    return link[: link.rfind("-") + 1] + pc4


def _fmt(v: float | None, unit: str = "", digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:,.{digits}f}{unit}"


def report(results: dict) -> str:
    scales = sorted(int(k) for k in results if k.isdigit())
    services = []
    for s in scales:
        adv = results[str(s)].get("advice", {})
        cold_ = results[str(s)].get("cold", {})
        services.append({1000: 3392}.get(s, s))
    head = "| metric | " + " | ".join(f"{n:,}" for n in services) + " | growth exponent |"
    lines = [head, "|---|" + "---:|" * len(scales) + "---|"]

    def row(label, get, unit="", digits=2, exp=True):
        vals = []
        for s in scales:
            try:
                vals.append(get(results[str(s)]))
            except (KeyError, TypeError, ZeroDivisionError, IndexError):
                vals.append(None)
        e = exponent(services, vals) if exp else None
        lines.append(f"| {label} | " + " | ".join(_fmt(v, unit, digits) for v in vals) + f" | {_fmt(e, '', 2)} |")

    row("cold start from the snapshot, median s", lambda r: r["cold"]["snapshot_median_s"], " s")
    row("... floor: read the same Parquet files (pyarrow), median s", lambda r: r["cold"]["floor_median_s"], " s")
    row("... **x floor** (target <= 2)", lambda r: r["cold"]["ratio"], "x", exp=False)
    row("first start ever (validate once + write snapshot), s", lambda r: r["cold"]["first_start_s"], " s")
    row("shared indexes built in the background, s", lambda r: r["cold"]["indexes_s"], " s")
    row("advice + matching p50 (lookup), ms", lambda r: r["advice"]["p50_ms"], " ms", 3)
    row("... Kennemerland p50, same process, ms", lambda r: r["advice"]["kem_p50_ms"], " ms", 3, exp=False)
    row("... **x Kennemerland** (target <= 2 at 200k)", lambda r: r["advice"]["p50_ms"] / r["advice"]["kem_p50_ms"], "x", exp=False)
    row("advice + match (reference, no lookup) p50, ms", lambda r: r["advice"]["match_p50_ms"], " ms", 3)
    row("lookup table: build time, s", lambda r: r["advice"]["lookup_build_s"], " s")
    row("lookup table size, MB", lambda r: r["advice"]["lookup_mb"], " MB", 1)
    row("lookup == match on random cases (mismatches)", lambda r: float(r["advice"]["mismatches"]), "", 0, exp=False)
    row("map first view: component payload, KB", lambda r: r["pages"]["sociale_kaart"]["map_bytes"] / 1024, " KB", 0)
    row("map after a postcode: component payload, KB", lambda r: r["pages"]["sociale_kaart"]["map_bytes_postcode"] / 1024, " KB", 0)
    row("map rerun after a postcode, ms", lambda r: r["pages"]["sociale_kaart"]["postcode_rerun_ms"], " ms", 0)
    row("... **x blank rerun** (target <= 100)", lambda r: r["pages"]["sociale_kaart"]["postcode_rerun_ms"]
        / r["pages"]["sociale_kaart"]["postcode_blank_ms"], "x", 0, exp=False)
    for page in ("start", "hulpwijzer", "routekaart", "sociale_kaart", "wijkprofiel", "dekking", "zorgroutes", "beheer"):
        row(f"{page}: first run after the indexes are ready, ms (target <= 1000)", lambda r, p=page: r["pages"][p]["first_ms"], " ms", 0)
        row(f"{page}: rerun x blank", lambda r, p=page: r["pages"][p]["median_ms"] / r["pages"][p]["blank_ms"], "x", 0, exp=False)
    row("browser: first paint of the map, median s", lambda r: sorted(r["browser"]["paint_s"])[1], " s")
    row("... blank Streamlit page, same run, median s", lambda r: sorted(r["browser"]["blank_s"])[1], " s", exp=False)
    row("... **x blank page** (target <= 3)", lambda r: r["browser"]["paint_ratio"], "x", exp=False)
    row("browser: websocket bytes for the map page, KB", lambda r: sorted(r["browser"]["ws_bytes"])[1] / 1024, " KB", 0)
    row("server RSS per extra open map session, MB (target <= 10)", lambda r: r["browser"]["rss_per_session_mb"], " MB", 1, exp=False)
    row("... raw RSS (no gc, no trimming): (after - before) / sessions, MB", lambda r: r["browser"]["rss_raw_per_session_mb"],
        " MB", 1, exp=False)
    kem = results.get("kennemerland", {}).get("pages")
    if kem and "error" not in kem:
        lines += ["", "Kennemerland (155 services), AppTest in the same way:", "",
                  "| page | first run after the indexes are ready | rerun | blank rerun | x blank |", "|---|---:|---:|---:|---:|"]
        for page in ("start", "hulpwijzer", "routekaart", "sociale_kaart", "wijkprofiel", "dekking", "zorgroutes", "beheer"):
            r = kem.get(page)
            if r:
                lines.append(f"| {page} | {r['first_ms']:.0f} ms | {r['median_ms']:.1f} ms | {r['blank_ms']:.1f} ms | "
                             f"{r['median_ms'] / r['blank_ms']:.0f}x |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
