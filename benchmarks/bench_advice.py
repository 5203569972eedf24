"""Benchmark: route advice + local service matching on a national-scale synthetic atlas.

    .venv/bin/python benchmarks/bench_advice.py [--services 50000] [--cases 2000] [--seed 7]

Builds one atlas in memory: every CBS PC4 area of the Netherlands (pc4_2020_nl_rd.gpkg, ~4,068)
as a wijk, grouped into one gemeente per PC2, and ~50,000 synthetic services at random points
inside them (seeded). Then times parse + advise + resolve postcode + match for random answer sets
and prints the median and p95 in milliseconds. Target: p95 < 20 ms. Not a test: a script.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from socialmap import vocab  # noqa: E402
from socialmap.matching import match_index, services_for_advice  # noqa: E402
from socialmap.model import Atlas, Region  # noqa: E402
from socialmap.triage import advise, parse_answers  # noqa: E402

PC4_FILE = ROOT.parent / "shared" / "data" / "raw" / "certegis_cbs_postcode4" / "pc4_2020_nl_rd.gpkg"  # ../shared
LEVEL_WEIGHTS = {"self_help": 0.04, "open_access": 0.2, "gp_practice": 0.35, "wijkteam": 0.12, "basic_mh": 0.15,
                 "specialist_mh": 0.12, "crisis": 0.02}


def build_atlas(n_services: int, seed: int) -> Atlas:
    rng = np.random.default_rng(seed)
    pc = pyogrio.read_dataframe(PC4_FILE)
    pc["pc4"] = pc["pc4"].astype(int).map(lambda v: f"{v:04d}")
    pc = pc.sort_values("pc4").reset_index(drop=True)
    wijk_codes = "WK" + pc["pc4"] + "01"
    gm_codes = "GM00" + pc["pc4"].str[:2]
    gm_geom = gpd.GeoSeries(pc.geometry.values, index=gm_codes.values).groupby(level=0).apply(
        lambda s: shapely.union_all(s.values))
    n_w, n_g = len(pc), len(gm_geom)
    areas = gpd.GeoDataFrame(
        {
            "kind": ["gemeente"] * n_g + ["wijk"] * n_w,
            "name": [f"Gemeente {c[-2:]}" for c in gm_geom.index] + [f"Postcodegebied {p}" for p in pc["pc4"]],
            "name_source": ["derived"] * (n_g + n_w),
            "parent_code": [""] * n_g + list(gm_codes),
            "municipality_code": list(gm_geom.index) + list(gm_codes),
            "population": pd.array([None] * n_g + list(pc["inwoners"].fillna(0).clip(lower=0).astype(int)), dtype="Int64"),
            "age_0_14": pd.array([None] * (n_g + n_w), dtype="Int64"),
            "age_15_24": pd.array([None] * (n_g + n_w), dtype="Int64"),
            "youth_source": [""] * (n_g + n_w),
        },
        index=pd.Index(list(gm_geom.index) + list(wijk_codes)),
        geometry=list(gm_geom.values) + list(pc.geometry.values),
        crs="EPSG:28992",
    )
    postcodes = pd.DataFrame({"buurt_code": "", "wijk_code": wijk_codes.values, "municipality_code": gm_codes.values,
                              "share": 1.0, "inhabitants": pc["inwoners"].values}, index=pd.Index(pc["pc4"].values))

    # services: a home wijk per service (weighted by inhabitants), a random point inside it
    weights = pc["inwoners"].fillna(1).clip(lower=1).to_numpy(float)
    home = rng.choice(n_w, size=n_services, p=weights / weights.sum())
    xs, ys = np.empty(n_services), np.empty(n_services)
    todo = np.arange(n_services)
    bounds = shapely.bounds(pc.geometry.values)
    while len(todo):
        b = bounds[home[todo]]
        x = rng.uniform(b[:, 0], b[:, 2])
        y = rng.uniform(b[:, 1], b[:, 3])
        inside = shapely.contains_xy(pc.geometry.values[home[todo]], x, y)
        xs[todo[inside]], ys[todo[inside]] = x[inside], y[inside]
        todo = todo[~inside]
    levels = rng.choice(list(LEVEL_WEIGHTS), size=n_services, p=list(LEVEL_WEIGHTS.values()))
    scope = rng.choice(["wijk", "gemeente", "nl", "none"], size=n_services, p=[0.6, 0.3, 0.03, 0.07])
    ids = [f"svc-{i:05d}" for i in range(n_services)]
    age_min = rng.choice([0, 0, 0, 48, 144, 216], size=n_services)
    age_max = np.maximum(age_min + 11, rng.choice([6, 4 * 12 + 11, 17 * 12 + 11, 23 * 12 + 11], size=n_services))
    concern_sets = []
    for _ in range(n_services):
        k = rng.choice([0, 0, 2, 3, 5])
        concern_sets.append(tuple(rng.choice(vocab.CONCERNS, size=k, replace=False)) if k else ())
    service_area = []
    for i in range(n_services):
        s = scope[i]
        service_area.append((wijk_codes.iloc[home[i]],) if s == "wijk" else (gm_codes.iloc[home[i]],) if s == "gemeente"
                            else ("NL",) if s == "nl" else ())
    waiting = rng.integers(0, 26, size=n_services).astype(object)
    waiting[rng.random(n_services) < 0.2] = None
    services = pd.DataFrame(
        {"organization_id": "org", "name": [f"Voorbeelddienst {i}" for i in range(n_services)], "level": levels,
         "concerns": concern_sets, "age_min_months": pd.array(age_min, dtype="Int64"),
         "age_max_months": pd.array(age_max, dtype="Int64"), "waiting_weeks": pd.array(waiting, dtype="Int64"),
         "service_area": service_area, "status": "illustrative"},
        index=pd.Index(ids),
    )
    has_loc = rng.random(n_services) < 0.92
    loc_ids = [f"loc-{i:05d}" for i in range(n_services)]
    locations = gpd.GeoDataFrame({"organization_id": "org", "name": loc_ids}, index=pd.Index(loc_ids),
                                 geometry=shapely.points(xs, ys), crs="EPSG:28992")
    sal = pd.DataFrame({"service_id": np.array(ids)[has_loc], "location_id": np.array(loc_ids)[has_loc]})
    sal.index = pd.Index([f"sal-{i}" for i in range(len(sal))])
    with_sched = np.flatnonzero(rng.random(n_services) < 0.3)
    sched_rows = [{"service_id": ids[i], "location_id": None, "kind": "open", "weekday": day, "opens": "09:00",
                   "closes": "17:00", "note": ""} for i in with_sched for day in ("mo", "tu", "we", "th", "fr")]
    schedules = pd.DataFrame(sched_rows)
    schedules.index = pd.Index([f"sch-{i}" for i in range(len(schedules))])
    region = Region("nl-synthetic", "Nederland (synthetisch)", (), None, 3000, "CBS PC4 2020 (CC BY 4.0); synthetic",
                    2020, ROOT)
    return Atlas(region, areas, postcodes, pd.DataFrame(), locations, services, sal, schedules, pd.DataFrame())


def random_answers(rng: np.random.Generator, postcodes: list[str]) -> dict:
    answers = {
        "age": int(rng.integers(0, 24)),
        "concerns": list(rng.choice(vocab.CONCERNS, size=int(rng.integers(1, 4)), replace=False)),
        "impact": str(rng.choice(vocab.IMPACTS)),
        "duration": str(rng.choice(vocab.DURATIONS)),
        "red_flags": [str(rng.choice(vocab.RED_FLAGS))] if rng.random() < 0.05 else [],
        "tried": list(rng.choice(vocab.LEVELS[:5], size=int(rng.integers(0, 2)), replace=False)),
        "context": list(rng.choice(vocab.CONTEXTS, size=int(rng.choice([0, 0, 1, 2])), replace=False)),
        "postcode": str(rng.choice(postcodes)) + ("" if rng.random() < 0.5 else " AB"),
    }
    return answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=50_000)
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    t0 = time.perf_counter()
    atlas = build_atlas(args.services, args.seed)
    t1 = time.perf_counter()
    match_index(atlas)
    t2 = time.perf_counter()
    print(f"atlas: {len(atlas.areas)} areas ({(atlas.areas['kind'] == 'wijk').sum()} PC4 wijken), "
          f"{len(atlas.services)} services, {len(atlas.service_at_location)} service locations, "
          f"{len(atlas.schedules)} schedule rows")
    print(f"build atlas: {t1 - t0:.1f} s; build match index (once per atlas): {(t2 - t1) * 1000:.0f} ms")

    rng = np.random.default_rng(args.seed + 1)
    postcodes = list(atlas.postcodes.index)
    cases = [random_answers(rng, postcodes) for _ in range(args.cases)]
    times, n_services = [], []
    for obj in cases:
        start = time.perf_counter()
        answers = parse_answers(obj)
        advice = advise(answers)
        area = atlas.resolve(postcode=answers.postcode, area_code=answers.area_code)
        matches = services_for_advice(atlas, area, advice.level, advice.also, answers.age, answers.concerns,
                                      per_level=10)
        out = advice.to_dict()
        out["area"] = area.as_contract()
        out["services"] = [m.to_contract() for m in matches]
        times.append((time.perf_counter() - start) * 1000)
        n_services.append(len(matches))
    ms = np.array(times)
    print(f"advise + match, {len(ms)} random answer sets: median {np.median(ms):.2f} ms, "
          f"p95 {np.percentile(ms, 95):.2f} ms, max {ms.max():.2f} ms "
          f"(services per answer: median {int(np.median(n_services))})")
    ok = np.percentile(ms, 95) < 20
    print("target p95 < 20 ms:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
