"""Run every benchmark and print one report (Markdown) with real figures.

    .venv/bin/python benchmarks/run_all.py [--quick] [--json test-artifacts/bench/results.json]

1. Cold load: a fresh Python process imports the core and loads + validates a region
   (``socialmap.loader.load_region``) for Kennemerland and for the synthetic national region
   (``benchmarks/generate_national.py``: all 4,068 PC4 areas, 342 gemeenten, ~3,400 wijken,
   50,000 services). Wall time, peak RSS (``resource.getrusage``) and, in a second process,
   the peak of Python allocations (``tracemalloc``).
2. Advice + matching p95: ``benchmarks/bench_advice.py`` (owned by the advisor) when present.
3. Page rerun vs a blank page: Streamlit AppTest reruns of each page, median over N runs, as
   a ratio to a one-line blank page; the map page also through ``benchmarks/bench_map_page.py``.
4. Peak memory of the app process serving the pages (RSS after the page reruns).

Every step runs in its own subprocess (a cold start, and a crash does not stop the others).
``--quick`` uses fewer runs and 10,000 services for the national region (for CI smoke).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
KENNEMERLAND = ROOT / "data" / "regions" / "kennemerland"

_COLD_LOAD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from socialmap.loader import load_region
t1 = time.perf_counter()
atlas = load_region(sys.argv[1])
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "services": len(atlas.services),
                  "areas": len(atlas.areas), "postcodes": len(atlas.postcodes),
                  "schedules": len(atlas.schedules),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_TRACEMALLOC = r"""
import json, sys, tracemalloc
tracemalloc.start()
from socialmap.loader import load_region
atlas = load_region(sys.argv[1])
current, peak = tracemalloc.get_traced_memory()
print(json.dumps({"traced_peak_mb": peak / 2**20, "traced_kept_mb": current / 2**20}))
"""

_PAGES = r"""
import json, os, resource, statistics, sys, time
from streamlit.testing.v1 import AppTest
runs = int(sys.argv[1])

def median_rerun(at):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t0) * 1000)
        if at.exception:
            raise SystemExit(f"page raised: {[e.value for e in at.exception][:1]}")
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]

blank = AppTest.from_string("import streamlit as st\nst.title('blank')", default_timeout=120)
blank.run()
out = {"blank": median_rerun(blank)}
pages = {"start": None, "hulpwijzer": "views/hulpwijzer.py", "routekaart": "views/routekaart.py",
         "zorgroutes": "views/zorgroutes.py", "wijkprofiel": "views/wijkprofiel.py", "dekking": "views/dekking.py"}
for name, path in pages.items():
    at = AppTest.from_file("app.py", default_timeout=300)
    t0 = time.perf_counter()
    at.run()
    if path:
        at.switch_page(path)
        if name == "routekaart":
            at.query_params["a"] = sys.argv[2]  # after switch_page, which drops the query string
        at.run()
    first = (time.perf_counter() - t0) * 1000
    try:
        med, p95 = median_rerun(at)
    except SystemExit as exc:
        out[name] = {"error": str(exc)}
        continue
    out[name] = {"first_ms": first, "median_ms": med, "p95_ms": p95}
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def _run(cmd: list[str], env: dict[str, str] | None = None, timeout: int = 1800) -> tuple[str, float]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=timeout)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        name = cmd[1] if cmd[1] != "-c" else "inline step"
        raise RuntimeError(f"{name} failed ({proc.returncode}): {proc.stderr.strip().splitlines()[-1][:500]}")
    return proc.stdout, took


def _last_json(text: str) -> dict:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no JSON in output:\n{text[-1000:]}")


def cold_load(region: Path) -> dict:
    out, wall = _run([PY, "-c", _COLD_LOAD, str(region)])
    res = _last_json(out)
    res["process_s"] = wall
    out, _ = _run([PY, "-c", _TRACEMALLOC, str(region)])
    res.update(_last_json(out))
    return res


def advice_p95(quick: bool) -> dict:
    script = ROOT / "benchmarks" / "bench_advice.py"
    if not script.is_file():
        return {"skipped": "benchmarks/bench_advice.py is missing"}
    args = [PY, str(script)] + (["--cases", "300", "--services", "10000"] if quick else [])
    out, wall = _run(args)
    res: dict = {"output": out.strip(), "wall_s": wall}
    m = re.search(r"median ([\d.]+) ms.*?p95 ([\d.]+) ms", out, re.S)
    if m:
        res["median_ms"], res["p95_ms"] = float(m.group(1)), float(m.group(2))
    return res


def map_page(region: Path, quick: bool) -> dict:
    script = ROOT / "benchmarks" / "bench_map_page.py"
    if not script.is_file():
        return {"skipped": "benchmarks/bench_map_page.py is missing"}
    out, wall = _run([PY, str(script), "--region", str(region), "--runs", "5" if quick else "20"])
    return {"output": out.strip(), "wall_s": wall}


def page_reruns(region: Path, runs: int) -> dict:
    # A GP's route card link: age 9, anxiety, moderate impact, months, postcode 2015.
    link = "1-9-an-2-1----2015"
    out, _ = _run([PY, "-c", _PAGES, str(runs), link], env={"SOCIALMAP_REGION": str(region), "SOCIALMAP_TILES": "none"})
    return _last_json(out)


def machine() -> dict:
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    return {"python": platform.python_version(), "cpu": cpu, "cores": os.cpu_count(),
            "load_avg": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}


def report(res: dict) -> str:
    lines = [f"Machine: {res['machine']['cpu']}, {res['machine']['cores']} cores (shared; load {res['machine']['load_avg']:.1f}), "
             f"Python {res['machine']['python']}.", ""]
    lines += ["| Cold load (fresh process) | services | areas | PC4 | import | load + validate | peak RSS | traced peak |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name in ("kennemerland", "national"):
        r = res.get(f"cold_{name}")
        if not r or "error" in r:
            lines.append(f"| {name} | {r.get('error', 'not run') if r else 'not run'} | | | | | | |")
            continue
        lines.append(f"| {name} | {r['services']:,} | {r['areas']:,} | {r['postcodes']:,} | {r['import_s']:.2f} s | "
                     f"{r['load_s']:.2f} s | {r['peak_rss_mb']:.0f} MB | {r['traced_peak_mb']:.0f} MB |")
    gen = res.get("generate_national", {})
    if gen:
        lines += ["", f"National region generated in {gen.get('seconds', '?')} s "
                      f"({gen.get('bytes', 0) / 2**20:.0f} MB on disk, {gen.get('schedules', 0):,} schedules, "
                      f"{gen.get('gp_practices', 0):,} GP practices)."]
    adv = res.get("advice", {})
    lines += ["", "Advice + matching (bench_advice.py): " + (
        f"median {adv['median_ms']:.2f} ms, p95 {adv['p95_ms']:.2f} ms" if "p95_ms" in adv else json.dumps(adv)[:300])]
    for name in ("kennemerland", "national"):
        pr = res.get(f"pages_{name}")
        if not pr or "error" in pr:
            lines += ["", f"Page reruns ({name}): {pr.get('error') if pr else 'not run'}"]
            continue
        blank = pr["blank"][0]
        lines += ["", f"Page reruns, {name} (AppTest, median of N reruns; blank page {blank:.1f} ms; "
                      f"peak RSS {pr['peak_rss_mb']:.0f} MB)", "",
                  "| page | first run | median rerun | p95 | × blank |", "|---|---:|---:|---:|---:|"]
        for page, r in pr.items():
            if page in ("blank", "peak_rss_mb"):
                continue
            if "error" in r:
                lines.append(f"| {page} | error: {r['error'][:80]} | | | |")
            else:
                lines.append(f"| {page} | {r['first_ms']:.0f} ms | {r['median_ms']:.0f} ms | {r['p95_ms']:.0f} ms | "
                             f"{r['median_ms'] / blank:.0f}× |")
    for name in ("kennemerland", "national"):
        mp = res.get(f"map_{name}")
        if mp:
            lines += ["", f"Map page ({name}, bench_map_page.py):", "", "```", mp.get("output", json.dumps(mp))[-1500:], "```"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", type=Path, default=ROOT / "test-artifacts" / "bench" / "results.json")
    ap.add_argument("--skip-national-pages", action="store_true", help="skip the page reruns on the national region")
    args = ap.parse_args(argv)
    runs = 5 if args.quick else 20
    res: dict = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    tmp = Path(tempfile.mkdtemp(prefix="socialmap-bench-"))
    steps = []
    try:
        national = tmp / "national"
        steps = [
            ("cold_kennemerland", lambda: cold_load(KENNEMERLAND)),
            ("generate_national", lambda: _last_json(_run([PY, str(ROOT / "benchmarks" / "generate_national.py"),
                                                          "--out", str(national), "--no-check", "--services",
                                                          "10000" if args.quick else "50000"])[0])),
            ("cold_national", lambda: cold_load(national)),
            ("advice", lambda: advice_p95(args.quick)),
            ("pages_kennemerland", lambda: page_reruns(KENNEMERLAND, runs)),
            ("map_kennemerland", lambda: map_page(KENNEMERLAND, args.quick)),
        ]
        if not args.skip_national_pages:
            steps += [("pages_national", lambda: page_reruns(national, max(3, runs // 4))),
                      ("map_national", lambda: map_page(national, True))]
        for name, step in steps:
            t0 = time.perf_counter()
            print(f"... {name}", file=sys.stderr, flush=True)
            try:
                res[name] = step()
            except Exception as exc:  # one broken step must not hide the others' figures
                res[name] = {"error": str(exc)[-1500:]}
            print(f"    {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(res, indent=2, default=str), encoding="utf-8")
    print(report(res))
    return 1 if any(isinstance(v, dict) and "error" in v for v in res.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
