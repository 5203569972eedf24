"""Benchmark: rerun time of the Sociale kaart page and the size of what the browser gets for the map.

    .venv/bin/python benchmarks/bench_map_page.py [--region kennemerland] [--runs 30]

1. Rerun time (Streamlit AppTest, no browser): the whole app (app.py + the page) is run once to
   warm the caches, then rerun ``--runs`` times; the median is compared with the median rerun of a
   blank one-line page, and with the same app on the Start page. Target: map page median < 300 ms.
2. Size: what the map component gets for the first view (the base map's script, header and HTML
   plus the data layer of the view, as ``st_folium`` sends them) plus the vendored Leaflet JS/CSS
   the browser fetches from /app/static. Target: < 2 MB.

Tiles are off (``SOCIALMAP_TILES=none``): tiles are images fetched from PDOK by the browser and are
not part of what the app sends. Not a test: a script that prints figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _median_rerun(at, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise SystemExit(f"page raised: {[e.value for e in at.exception]}")
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--region", default=os.environ.get("SOCIALMAP_REGION", "kennemerland"))
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    os.environ["SOCIALMAP_REGION"] = args.region
    os.environ["SOCIALMAP_TILES"] = "none"
    os.chdir(ROOT)

    from streamlit.testing.v1 import AppTest

    from socialmap import maps
    from socialmap.loader import load_region

    blank = AppTest.from_string("import streamlit as st\nst.title('blank')", default_timeout=60)
    blank.run()
    blank_median, blank_p95 = _median_rerun(blank, args.runs)

    start_page = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    start_page.run()
    start_median, start_p95 = _median_rerun(start_page, args.runs)

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page("views/sociale_kaart.py")
    first = time.perf_counter()
    app.run()
    first_ms = (time.perf_counter() - first) * 1000
    map_median, map_p95 = _median_rerun(app, args.runs)

    app.text_input(key="map_postcode").input("2011").run()  # a postcode focus (Kennemerland: Haarlem)
    pc_median, pc_p95 = _median_rerun(app, max(5, args.runs // 3))

    import json

    atlas = load_region(args.region)
    [component] = app.get("component_instance")
    page = json.loads(component.proto.json_args)
    page = "".join(str(page.get(k) or "") for k in ("script", "header", "html", "feature_group"))
    vendor = ROOT / "static" / "vendor" / f"leaflet-{maps.LEAFLET_VERSION}"
    assets = sum((vendor / name).stat().st_size for name in ("leaflet.js", "leaflet.css"))
    html_bytes = len(page.encode("utf-8"))

    print(f"region: {atlas.region.name} ({len(atlas.services)} services, {len(atlas.areas)} areas)")
    print(f"blank page rerun      median {blank_median:7.1f} ms   p95 {blank_p95:7.1f} ms")
    print(f"start page (app) rerun median {start_median:6.1f} ms   p95 {start_p95:7.1f} ms")
    print(f"map page first run            {first_ms:7.1f} ms (caches warm from the start page)")
    print(f"map page rerun        median {map_median:7.1f} ms   p95 {map_p95:7.1f} ms   "
          f"ratio to blank {map_median / blank_median:5.1f}x, to start page {map_median / start_median:4.1f}x")
    print(f"map page + postcode   median {pc_median:7.1f} ms   p95 {pc_p95:7.1f} ms")
    print(f"map payload {html_bytes / 1024:7.1f} KiB + vendored Leaflet JS/CSS {assets / 1024:6.1f} KiB = "
          f"{(html_bytes + assets) / 1024:7.1f} KiB (target < 2048 KiB)")
    ok = map_median < 300 and html_bytes + assets < 2_000_000
    print("OK" if ok else "OVER TARGET")


if __name__ == "__main__":
    main()
