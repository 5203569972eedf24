"""Benchmark: Wijkprofiel / Dekking core work at national scale (regression guard).

    .venv/bin/python benchmarks/bench_profiles_national.py [--services 50000] [--region DIR]

Generates the synthetic national region once into a temp dir (``generate_national.generate``;
4,068 PC4 areas, ~3,400 wijken) unless ``--region`` names an existing one, loads it, then times:

1. the per-atlas wijk index (``profiles.wijk_index``: which services serve which wijk, distances;
   built once per atlas) plus the comparison table of all wijken and the light-help coverage at the
   region's reach (what the first run of Wijkprofiel + Dekking computes);
2. the comparison table + coverage again at another distance (a slider move: only the index is
   reused);
3. one area profile (the first wijk, cold, then a second one warm);
4. the pydeck coverage choropleth (``maps.coverage_deck``, includes the display GeoJSON once).

Targets: comparison + coverage < 10 s with 50,000 services; one profile < 1 s. Prints seconds.
Not a test: a script that prints figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _timed(label: str, fn, results: dict):
    start = time.perf_counter()
    value = fn()
    results[label] = round(time.perf_counter() - start, 3)
    print(f"{label:<44} {results[label]:>8.3f} s", flush=True)
    return value


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--services", type=int, default=50_000)
    ap.add_argument("--region", type=Path, help="an existing generated region (skips generating)")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args(argv)

    from socialmap import maps, matching, profiles, search
    from socialmap.loader import load_region

    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="socialmap-bench-profiles-") as tmp:
        folder = args.region
        if folder is None:
            from generate_national import generate

            folder = Path(tmp) / "national"
            _timed("generate national region", lambda: generate(folder, args.services), results)
        atlas = _timed("load_region", lambda: load_region(folder), results)
        print(f"  {len(atlas.services):,} services, {int((atlas.areas['kind'] == 'wijk').sum()):,} wijken, "
              f"{len(atlas.gp_practices):,} GP practices", flush=True)
        # the shared per-atlas indexes other pages build anyway (advisor, search)
        _timed("match + search index (shared, other pages)",
               lambda: (matching.match_index(atlas), search.search_index(atlas)), results)
        reach = int(atlas.region.reach_m)
        code = profiles.wijk_codes(atlas)[0]
        other = profiles.wijk_codes(atlas)[len(profiles.wijk_codes(atlas)) // 2]

        def first():
            return profiles.comparison_table(atlas, reach), profiles.coverage(atlas, reach)

        table, cov = _timed("comparison + coverage (first, incl. index)", first, results)
        _timed("comparison + coverage (other distance)",
               lambda: (profiles.comparison_table(atlas, 5000), profiles.coverage(atlas, 5000)), results)
        profile = _timed(f"area profile {code} (first)", lambda: profiles.area_profile(atlas, code), results)
        _timed(f"area profile {other}", lambda: profiles.area_profile(atlas, other), results)
        _timed("coverage deck (incl. display GeoJSON)", lambda: maps.coverage_deck(atlas, cov, "nl"), results)
        _timed("coverage deck (again)", lambda: maps.coverage_deck(atlas, cov, "nl"), results)
        print(f"  comparison rows {len(table):,}, wijken without light help {int((cov['light_services'] == 0).sum())}, "
              f"profile services {len(profile.services)}, practices {len(profile.practices)}")
    ok = results["comparison + coverage (first, incl. index)"] < 10 and results[f"area profile {code} (first)"] < 1
    print("targets (comparison + coverage < 10 s, one profile < 1 s):", "met" if ok else "NOT met")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
