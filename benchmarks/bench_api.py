"""Benchmark: the HSDS API's ``/service_at_locations?postcode=...&proximity=...`` at national scale.

    .venv/bin/python benchmarks/bench_api.py [--services 50000] [--region DIR] [--requests 200]

Generates the synthetic national region (``generate_national.generate``, all services
illustrative, so the requests ask ``include_illustrative=true``) into a temp dir unless
``--region`` names one, builds the API app once (timed) and calls it in-process through its ASGI
interface (httpx, no network), alternating the measured request with a same-run baseline
(``GET /``, the cheapest endpoint) so that the ratio holds on a busy machine. Postcodes are drawn
from the region's PC4s (fixed seed). Prints p50/p95 in milliseconds and the ratio to the
baseline. Not a test: a script that prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def _measure(app, pc4s: list[str], proximity: int, requests: int, seed: int) -> dict[str, list[float]]:
    import httpx

    rng = random.Random(seed)
    times: dict[str, list[float]] = {"baseline": [], "proximity": [], "postcode": []}
    counts: list[int] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        await client.get("/")  # warm-up
        for _ in range(requests):
            pc = rng.choice(pc4s)
            for label, url in (("baseline", "/"),
                               ("proximity", f"/service_at_locations?postcode={pc}&proximity={proximity}"
                                             "&include_illustrative=true&per_page=50"),
                               ("postcode", f"/service_at_locations?postcode={pc}&include_illustrative=true&per_page=50")):
                start = time.perf_counter()
                response = await client.get(url)
                times[label].append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{url}: {response.status_code} {response.text[:200]}")
                if label == "proximity":
                    counts.append(response.json()["total_items"])
    print(f"  results within {proximity} m: median {statistics.median(counts):.0f}, max {max(counts)}", flush=True)
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--services", type=int, default=50_000)
    ap.add_argument("--region", type=Path, help="an existing generated region (skips generating)")
    ap.add_argument("--requests", type=int, default=200, help="measured requests per kind (default 200)")
    ap.add_argument("--proximity", type=int, default=2000, help="metres (default 2000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args(argv)

    from socialmap.api.app import create_app

    with tempfile.TemporaryDirectory(prefix="socialmap-bench-api-") as tmp:
        folder = args.region
        if folder is None:
            from generate_national import generate

            folder = Path(tmp) / "national"
            start = time.perf_counter()
            generate(folder, args.services)
            print(f"generate national region            {time.perf_counter() - start:8.1f} s", flush=True)
        start = time.perf_counter()
        app = create_app(folder)
        build_s = time.perf_counter() - start
        directory = app.state.holder.get()
        print(f"build API data (load + HSDS objects)  {build_s:8.1f} s  "
              f"({len(directory.services):,} services, {len(directory.sal):,} service_at_locations)", flush=True)
        pc4s = sorted(pc for d in directory.directories.values() for pc in d.atlas.postcodes.index)
        times = asyncio.run(_measure(app, pc4s, args.proximity, args.requests, args.seed))
    figures: dict[str, float | int] = {"services": len(directory.services), "build_s": round(build_s, 1),
                                       "requests": args.requests, "proximity_m": args.proximity}
    base50 = _pct(times["baseline"], 0.5)
    for label, values in times.items():
        p50, p95 = _pct(values, 0.5), _pct(values, 0.95)
        figures[f"{label}_p50_ms"], figures[f"{label}_p95_ms"] = round(p50, 2), round(p95, 2)
        print(f"{label:<10} p50 {p50:8.2f} ms   p95 {p95:8.2f} ms   p50 ratio to GET / {p50 / base50:6.1f}x", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
