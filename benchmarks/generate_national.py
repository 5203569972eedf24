"""Generate a synthetic national-scale region (for benchmarks only) in the data/README.md format.

What is real and what is not:

- **Real**: all 4,068 PC4 polygons and their inhabitants (CBS Kerncijfers per postcode 2020,
  ``certegis_cbs_postcode4/pc4_2020_nl_rd.gpkg``) and the 342 gemeente and 3,393 wijk codes with
  their population (CBS KWB 2024, ``cbs_kwb_2024_gemeenten_wijken_nl``).
- **Synthetic**: which PC4s make up a gemeente and a wijk. No national gemeente/wijk geometry
  is available offline and the PC4 table uses 2021 municipality names without codes, so each
  gemeente gets a run of PC4s (in postcode order, sized by its population) and each wijk a group
  of its gemeente's PC4s (or a strip of the gemeente when it has more wijken than PC4s). Names
  are "Gemeente GMxxxx" / "Wijk WKxxxxxx". There are no buurten.
- **Synthetic**: ~50,000 services cloned from the Kennemerland services (level, concerns, ages,
  schedules), all ``illustrative`` (name says "voorbeeld", no phone number), spread over the
  wijken by population, each at a random point inside its gemeente.

Usage::

    python benchmarks/generate_national.py [--out DIR] [--services 50000] [--seed 7]

Prints the folder; it is a temp dir unless ``--out`` is given. The folder passes
``socialmap.loader.check_region`` (checked at the end unless ``--no-check``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from socialmap import geo  # noqa: E402
from socialmap.schema import TABLES  # noqa: E402

RAW = ROOT.parent / "shared" / "data" / "raw"  # ../shared next to the repository
PC4_GPKG = RAW / "certegis_cbs_postcode4" / "pc4_2020_nl_rd.gpkg"
KWB_CSV = RAW / "cbs_kwb_2024_gemeenten_wijken_nl" / "kwb_2024_85984NED_gm_wk_stripped.csv"
TEMPLATE_REGION = ROOT / "data" / "regions" / "kennemerland"

#: National shares of 0-14 and 15-24 year olds (CBS 2024, rounded); used for the youth counts.
SHARE_0_14 = 0.155
SHARE_15_24 = 0.123
SIMPLIFY_M = 20.0
LOCAL_LEVELS = {"self_help", "open_access", "gp_practice", "wijkteam"}


def _columns(file: str) -> list[str]:
    return [c.name for c in TABLES[file]]


def _write_csv(path: Path, file: str, rows: list[dict]) -> None:
    cols = _columns(file)
    with open(path / file, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: ("" if row.get(c) is None else row.get(c)) for c in cols})


def _polygonal(geom):
    """The (Multi)Polygon part of a geometry, valid; None when nothing is left."""
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        if not polys:
            return None
        geom = shapely.union_all(polys)
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        return None
    return geom if geom.is_valid else None


def _split_in_parts(n_items: int, weights: np.ndarray) -> np.ndarray:
    """Sizes (each >= 1, summing to n_items) proportional to weights."""
    k = len(weights)
    assert n_items >= k
    w = np.maximum(weights.astype(float), 1.0)
    sizes = np.ones(k, dtype=int)
    rest = n_items - k
    ideal = w / w.sum() * rest
    extra = np.floor(ideal).astype(int)
    sizes += extra
    left = rest - extra.sum()
    order = np.argsort(-(ideal - extra))
    sizes[order[:left]] += 1
    return sizes


def _numeric_wijk_codes(wijk: pd.DataFrame) -> list[str]:
    """CBS wijk codes, with the alphanumeric ones (Amsterdam: WK0363AA) renumbered to free
    WKggggnn codes, because the loader accepts digits only (WK + 6 digits). Amsterdam has 110
    such wijken and only 100 numbers fit: the last 10 are left out ("")."""
    codes = wijk["regiocode"].tolist()
    taken = set(codes)
    out = []
    for code, gm in zip(codes, wijk["gemeentecode"]):
        if code[2:].isdigit():
            out.append(code)
            continue
        number = next((f"WK{gm[2:]}{i:02d}" for i in range(100) if f"WK{gm[2:]}{i:02d}" not in taken), "")
        taken.add(number)
        out.append(number)
    return out


def build_geography():
    pc4 = gpd.read_file(PC4_GPKG)
    pc4["pc4"] = pc4["pc4"].astype(int).astype(str)
    pc4 = pc4.sort_values("pc4").reset_index(drop=True)
    pc4["geometry"] = pc4.geometry.simplify(SIMPLIFY_M, preserve_topology=True)
    pc4["geometry"] = [(_polygonal(g) or g) for g in pc4.geometry]
    kwb = pd.read_csv(KWB_CSV, dtype={"regiocode": str, "gemeentecode": str})
    gem = kwb[kwb["soort"] == "Gemeente"].sort_values("regiocode").reset_index(drop=True)
    wijk = kwb[kwb["soort"] == "Wijk"].sort_values("regiocode").reset_index(drop=True)
    wijk["regiocode"] = _numeric_wijk_codes(wijk)
    wijk = wijk[wijk["regiocode"] != ""].reset_index(drop=True)

    sizes = _split_in_parts(len(pc4), gem["AantalInwoners"].fillna(1).to_numpy())
    pc4["municipality_code"] = np.repeat(gem["regiocode"].to_numpy(), sizes)
    pc4["wijk_code"] = ""

    area_rows: list[dict] = []
    geoms: dict[str, object] = {}

    def _pop(v) -> int | None:
        return None if pd.isna(v) else int(v)

    for g in gem.itertuples():
        code = g.regiocode
        members = pc4.index[pc4["municipality_code"] == code]
        shape = _polygonal(shapely.union_all(pc4.loc[members, "geometry"].to_numpy()))
        geoms[code] = shape
        pop = _pop(g.AantalInwoners)
        area_rows.append({"code": code, "kind": "gemeente", "name": f"Gemeente {code}", "name_source": "derived",
                          "parent_code": "", "municipality_code": code, "population": pop,
                          "age_0_14": None if pop is None else round(pop * SHARE_0_14),
                          "age_15_24": None if pop is None else round(pop * SHARE_15_24),
                          "youth_source": "synthetic_national_share"})
        wk = wijk[wijk["gemeentecode"] == code]
        if wk.empty:  # a gemeente without wijken in the table: one wijk WKxxxx00
            wk = pd.DataFrame({"regiocode": [f"WK{code[2:]}00"], "AantalInwoners": [g.AantalInwoners]})
        wcodes = wk["regiocode"].tolist()
        cx = pc4.loc[members, "geometry"].centroid.x.to_numpy()
        ordered = members[np.argsort(cx)]
        if len(wcodes) <= len(ordered):
            parts = _split_in_parts(len(ordered), wk["AantalInwoners"].fillna(1).to_numpy())
            start = 0
            for wcode, n in zip(wcodes, parts):
                grp = ordered[start:start + n]
                start += n
                pc4.loc[grp, "wijk_code"] = wcode
                geoms[wcode] = _polygonal(shapely.union_all(pc4.loc[grp, "geometry"].to_numpy()))
        else:  # more wijken than PC4s: vertical strips of the gemeente
            minx, miny, maxx, maxy = shape.bounds
            width = (maxx - minx) / len(wcodes)
            for i, wcode in enumerate(wcodes):
                strip = _polygonal(shape.intersection(shapely.box(minx + i * width, miny, minx + (i + 1) * width, maxy)))
                if strip is None:
                    p = shape.representative_point()
                    strip = shapely.box(p.x - 100 + i, p.y - 100, p.x + 100 + i, p.y + 100)
                geoms[wcode] = strip
            for idx in ordered:
                point = pc4.at[idx, "geometry"].representative_point()
                hit = next((w for w in wcodes if geoms[w].covers(point)), wcodes[0])
                pc4.at[idx, "wijk_code"] = hit
        for w in wk.itertuples():
            wpop = _pop(w.AantalInwoners)
            area_rows.append({"code": w.regiocode, "kind": "wijk", "name": f"Wijk {w.regiocode}", "name_source": "derived",
                              "parent_code": code, "municipality_code": code, "population": wpop,
                              "age_0_14": None if wpop is None else round(wpop * SHARE_0_14),
                              "age_15_24": None if wpop is None else round(wpop * SHARE_15_24),
                              "youth_source": "synthetic_national_share"})
    return pc4, area_rows, geoms


def _points_in(shape, n: int, rng: np.random.Generator) -> np.ndarray:
    minx, miny, maxx, maxy = shape.bounds
    out: list[np.ndarray] = []
    got = 0
    shapely.prepare(shape)
    for _ in range(50):
        xs = rng.uniform(minx, maxx, n * 3)
        ys = rng.uniform(miny, maxy, n * 3)
        ok = shapely.contains_xy(shape, xs, ys)
        pts = np.column_stack([xs[ok], ys[ok]])
        out.append(pts)
        got += len(pts)
        if got >= n:
            break
    pts = np.vstack(out)[:n]
    if len(pts) < n:  # a sliver: fall back to its representative point
        p = shape.representative_point()
        pts = np.vstack([pts, np.tile([p.x, p.y], (n - len(pts), 1))])
    return pts


def _read_template(file: str) -> list[dict]:
    with open(TEMPLATE_REGION / file, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def build_services(area_rows: list[dict], geoms: dict, n_services: int, rng: np.random.Generator):
    templates = [s for s in _read_template("services.csv") if s["service_area"].strip() != "NL"]
    national = [s for s in _read_template("services.csv") if s["service_area"].strip() == "NL"]
    sched_by_service: dict[str, list[dict]] = {}
    for row in _read_template("schedules.csv"):
        sched_by_service.setdefault(row["service_id"], []).append(row)
    gp_templates = _read_template("gp_practices.csv")
    days_by_service = {g["service_id"]: g["youth_days"] for g in gp_templates if g["service_id"]}

    wijken = [a for a in area_rows if a["kind"] == "wijk"]
    weights = np.array([max(a["population"] or 0, 1) for a in wijken], dtype=float)
    local_n = n_services - len(national)
    per_wijk = _split_in_parts(local_n, weights) if local_n >= len(wijken) else np.ones(len(wijken), int)

    orgs: list[dict] = []
    locs: list[dict] = []
    services: list[dict] = []
    links: list[dict] = []
    schedules: list[dict] = []
    gps: list[dict] = []

    def add_schedules(template_id: str, sid: str, loc_id: str | None) -> None:
        for j, s in enumerate(sched_by_service.get(template_id, ()), start=1):
            schedules.append({**s, "id": f"{sid}-s{j}", "service_id": sid,
                              "location_id": loc_id if s.get("location_id") else ""})

    for t in national:  # the national lines once, kept as they are (real, verified numbers)
        sid = t["id"]
        org = {"id": t["organization_id"], "name": t["name"], "status": "to_verify"}
        orgs.append(org)
        services.append({**t, "status": "to_verify", "verified_at": "", "verified_by": ""})
        add_schedules(sid, sid, None)

    k = 0
    for wijk, count in zip(wijken, per_wijk):
        muni = wijk["municipality_code"]
        shape = geoms[muni]
        xy = _points_in(shape, int(count), rng)
        lon, lat = geo.rd_to_lonlat(xy[:, 0], xy[:, 1])
        for i in range(int(count)):
            t = templates[k % len(templates)]
            k += 1
            n = len(services)
            sid, oid, lid = f"svc-{n:06d}", f"org-{n:06d}", f"loc-{n:06d}"
            level = t["level"]
            area = wijk["code"] if level in LOCAL_LEVELS else muni
            name = f"{t['name']} {wijk['code'][2:]} (voorbeeld)"
            orgs.append({"id": oid, "name": name, "status": "illustrative"})
            locs.append({"id": lid, "organization_id": oid, "name": name, "address": "", "postcode": "",
                         "city": f"Gemeente {muni}", "municipality_code": muni,
                         "latitude": f"{lat[i]:.6f}", "longitude": f"{lon[i]:.6f}", "status": "illustrative"})
            services.append({**t, "id": sid, "organization_id": oid, "name": name, "service_area": area,
                             "phone": "", "email": "", "status": "illustrative", "verified_at": "",
                             "verified_by": "", "source_url": "", "source_year": ""})
            links.append({"id": f"sal-{n:06d}", "service_id": sid, "location_id": lid})
            add_schedules(t["id"], sid, lid)
            if level == "gp_practice":
                gps.append({"id": f"gp-{n:06d}", "organization_id": oid, "location_id": lid,
                            "youth_professional": t["professional"] if t["professional"] in ("poh_jeugd", "ojg", "soh_jggz") else "poh_jeugd",
                            "youth_days": days_by_service.get(t["id"], "tu"), "service_id": sid})
    return orgs, locs, services, links, schedules, gps


def generate(out: Path, n_services: int = 50_000, seed: int = 7) -> dict:
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    pc4, area_rows, geoms = build_geography()
    orgs, locs, services, links, schedules, gps = build_services(area_rows, geoms, n_services, rng)

    hap = next((s["id"] for s in services if "spoedpost" in s["id"] or "huisartsenpost" in s["id"]), None)
    munis = [{"code": a["code"], "name": a["name"]} for a in area_rows if a["kind"] == "gemeente"]
    meta = {"id": out.name, "name": "Nederland (synthetisch, voor benchmarks)", "municipalities": munis,
            "reach_m": 3000, "data_year": 2024,
            "attribution": "Bron: CBS (Kerncijfers per postcode 2020, Kerncijfers wijken en buurten 2024), CC BY 4.0. "
                           "Indeling in gemeenten en wijken en alle diensten zijn synthetisch (voorbeeld)."}
    if hap:
        meta["huisartsenpost_service_id"] = hap
    (out / "region.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")

    features = []
    for a in area_rows:
        g = geoms[a["code"]]
        features.append({"type": "Feature", "properties": {"code": a["code"]},
                         "geometry": json.loads(shapely.to_geojson(shapely.set_precision(g, 0.1)))})
    fc = {"type": "FeatureCollection", "name": "areas",
          "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}, "features": features}
    (out / "areas.geojson").write_text(json.dumps(fc, separators=(",", ":")), encoding="utf-8")

    _write_csv(out, "areas.csv", area_rows)
    inhabitants = pc4["inwoners"].fillna(0).clip(lower=0).astype(int)
    pc_rows = [{"pc4": p, "buurt_code": "", "wijk_code": w, "municipality_code": m, "share": "1", "inhabitants": int(i)}
               for p, w, m, i in zip(pc4["pc4"], pc4["wijk_code"], pc4["municipality_code"], inhabitants)]
    _write_csv(out, "postcodes.csv", pc_rows)
    _write_csv(out, "organizations.csv", orgs)
    _write_csv(out, "locations.csv", locs)
    _write_csv(out, "services.csv", services)
    _write_csv(out, "service_at_location.csv", links)
    _write_csv(out, "schedules.csv", schedules)
    _write_csv(out, "gp_practices.csv", gps)
    return {"folder": str(out), "pc4": len(pc_rows), "gemeenten": len(munis),
            "wijken": sum(a["kind"] == "wijk" for a in area_rows), "services": len(services),
            "locations": len(locs), "schedules": len(schedules), "gp_practices": len(gps),
            "seconds": round(time.perf_counter() - t0, 1),
            "bytes": sum(p.stat().st_size for p in out.iterdir())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, help="target folder (default: a new temp dir)")
    ap.add_argument("--services", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-check", action="store_true", help="skip socialmap.loader.check_region")
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="socialmap-national-")) / "national"
    info = generate(out, args.services, args.seed)
    print(json.dumps(info))
    if not args.no_check:
        from socialmap.loader import check_region

        t0 = time.perf_counter()
        atlas, errors, _ = check_region(out, today=dt.date.today())
        if errors:
            print("\n".join(errors[:30]), file=sys.stderr)
            return 1
        print(json.dumps({"check_region": "ok", "seconds": round(time.perf_counter() - t0, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
