"""Shared parts of the region builders (``scripts/build_<region>.py``).

A region builder reads ``shared/data/raw`` and writes one region folder as described in
``data/README.md``. What every region needs lives here: CBS areas and PC4 resolution, parsing the
public-facts file, the national help lines, illustrative records, placing locations, integrity
checks and deterministic writers (sorted rows, fixed dates, no timestamps).
"""

from __future__ import annotations

import csv
import json
import re
import zlib
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import yaml
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon, mapping

REPO = Path(__file__).resolve().parents[1]
RAW_DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw"

SENTINELS = (-99995, -99997)
VERIFIED_AT = "2026-11-01"
VERIFIED_BY = "bronbestand haarlem_public_services (raw)"
WAITING_AS_OF = "2026-10-01"
WEEKDAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
WORKDAYS = WEEKDAYS[:5]
SCATTERED_WEIGHT = 0.05  # see build_postcodes
LADDER = ("self_help", "open_access", "gp_practice", "wijkteam", "basic_mh", "specialist_mh", "crisis")

RAW_FILES = {
    "wijken": "pdok_cbs_wijkenbuurten_2024_haarlem/wijken_haarlem_original.gpkg",
    "buurten": "cartomap_cbs_buurten_2024_gegeneraliseerd/buurten_2024_gegeneraliseerd_selectie_rd.geojson",
    "kwb": "cbs_kwb_2024_gemeenten_wijken_nl/kwb_2024_85984NED_gm_wk_stripped.csv",
    "pc4_csv": "certegis_cbs_postcode4/postcodes_pc2_pc3_pc4_nl_2021.csv",
    "pc4_age": "certegis_cbs_postcode4/inwoners_per_postcode_leeftijd_nl_2021.csv",
    "pc4_gpkg": "certegis_cbs_postcode4/pc4_2020_nl_rd.gpkg",
    "xw_buurt": "derived_pc4_crosswalk/pc4_2020_to_buurt_2024_area_overlap.csv",
    "xw_wijk": "derived_pc4_crosswalk/pc4_2020_to_wijk_2024_area_overlap.csv",
    "facts": "haarlem_public_services/services_public_facts.csv",
}

COLUMNS = {
    "areas.csv": ["code", "kind", "name", "name_source", "parent_code", "municipality_code",
                  "population", "age_0_14", "age_15_24", "youth_source"],
    "postcodes.csv": ["pc4", "buurt_code", "wijk_code", "municipality_code", "share", "inhabitants"],
    "organizations.csv": ["id", "name", "description", "url", "email", "phone", "status",
                          "verified_at", "verified_by", "source_url", "source_year"],
    "locations.csv": ["id", "organization_id", "name", "address", "postcode", "city",
                      "municipality_code", "latitude", "longitude", "status", "verified_at",
                      "source_url"],
    "services.csv": ["id", "organization_id", "name", "description", "level", "access_route",
                     "concerns", "professional", "age_min", "age_max", "languages", "cost",
                     "waiting_weeks", "waiting_as_of", "service_area", "phone", "email", "url",
                     "status", "verified_at", "verified_by", "source_url", "source_year"],
    "service_at_location.csv": ["id", "service_id", "location_id"],
    "schedules.csv": ["id", "service_id", "location_id", "kind", "weekday", "opens", "closes",
                      "note"],
    "gp_practices.csv": ["id", "organization_id", "location_id", "youth_professional",
                         "youth_days", "service_id"],
}


def stable(text: str, modulo: int) -> int:
    """A stable pseudo-random number in range(modulo) (crc32, same on every run and machine)."""
    return zlib.crc32(text.encode("utf-8")) % modulo



# ---------------------------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------------------------
def clean_geometry(geom):
    """Valid (Multi)Polygon snapped to a 0.1 m grid."""
    geom = shapely.make_valid(geom)
    polys: list[Polygon] = []
    for part in getattr(geom, "geoms", [geom]):
        if isinstance(part, Polygon):
            polys.append(part)
        elif isinstance(part, MultiPolygon):
            polys.extend(part.geoms)
    geom = MultiPolygon(polys) if len(polys) > 1 else polys[0]
    geom = shapely.set_precision(geom, 0.1)
    if not geom.is_valid:  # pragma: no cover - defensive
        geom = geom.buffer(0)
    return shapely.normalize(geom)


def _round_coords(obj):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), 1) for v in obj]
        return [_round_coords(v) for v in obj]
    return obj


def write_geojson(path: Path, rows: list[tuple[str, object]]) -> None:
    lines = [
        "{",
        '"type": "FeatureCollection",',
        '"name": "areas",',
        '"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},',
        '"features": [',
    ]
    feats = []
    for code, geom in rows:
        gj = mapping(geom)
        feature = {
            "type": "Feature",
            "properties": {"code": code},
            "geometry": {"type": gj["type"], "coordinates": _round_coords(gj["coordinates"])},
        }
        feats.append(json.dumps(feature, separators=(",", ":"), ensure_ascii=False))
    lines.append(",\n".join(feats))
    lines.append("]")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n", extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})


def num(value):
    if value is None or pd.isna(value):
        return None
    value = float(value)
    if value in SENTINELS:
        return None
    return value



def int_cell(value):
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else int(value)


# ---------------------------------------------------------------------------------------------
# Areas
# ---------------------------------------------------------------------------------------------
def read_buurten(raw: Path, munis: dict[str, str]) -> gpd.GeoDataFrame:
    """The generalised CBS 2024 buurten of the municipalities, sorted by code, geometry cleaned."""
    buurten = gpd.read_file(raw / RAW_FILES["buurten"])
    buurten = buurten[buurten["gemeentecode"].isin(munis)].copy()
    buurten = buurten.sort_values("buurtcode").reset_index(drop=True)
    buurten["geometry"] = [clean_geometry(g) for g in buurten.geometry]
    return buurten


def kwb_population(raw: Path) -> dict[str, float | None]:
    """Inhabitants per gemeente and wijk code (CBS KWB 2024, 85984NED)."""
    kwb = pd.read_csv(raw / RAW_FILES["kwb"], dtype={"regiocode": str})
    return {r.regiocode.strip(): num(r.AantalInwoners) for r in kwb.itertuples()}


def dissolved_wijken(buurten: gpd.GeoDataFrame, muni: str, kwb_pop: dict) -> dict[str, dict]:
    """Wijken of one municipality dissolved from its buurten; names derived from the first buurt.

    CBS wijk names are not in the raw data for these municipalities, so each wijk is labelled
    ``Wijk NN (<first buurt> e.o.)`` and marked ``name_source=derived``. Youth counts are filled
    in later by :func:`estimate_youth`.
    """
    wijken = {}
    for wcode, grp in buurten[buurten.gemeentecode == muni].groupby("wijkcode", sort=True):
        grp = grp.sort_values("buurtcode")
        first = grp.iloc[0]["buurtnaam"]
        wijken[wcode] = {
            "code": wcode, "name": f"Wijk {wcode[-2:]} ({first} e.o.)", "name_source": "derived",
            "municipality_code": muni, "population": kwb_pop.get(wcode),
            "age_0_14": None, "age_15_24": None, "youth_source": "pc4_2021_age_bands_estimate",
            "geometry": clean_geometry(shapely.union_all(list(grp.geometry))),
        }
    return wijken


def estimate_youth(raw: Path, wijken: dict, region_pc4s: set[str], munis: set[str]) -> dict[str, dict]:
    """Youth of the wijken of ``munis`` from PC4 2021 age bands, area-weighted over overlapping PC4s."""
    ages = pd.read_csv(raw / RAW_FILES["pc4_age"], dtype={"postcode": str})
    ages = ages[ages["postcode"].str.len() == 4]
    band014 = {"0-4", "5-9", "10-14"}
    band1524 = {"15-19", "20-24"}
    per_pc4: dict[str, tuple[float, float, float]] = {}
    for pc4, grp in ages.groupby("postcode"):
        total = float(grp["inwoners"].sum())
        y014 = float(grp.loc[grp.leeftijd.isin(band014), "inwoners"].sum())
        y1524 = float(grp.loc[grp.leeftijd.isin(band1524), "inwoners"].sum())
        per_pc4[pc4] = (total, y014, y1524)
    xw = pd.read_csv(raw / RAW_FILES["xw_wijk"], dtype={"pc4": str})
    detail = {}
    for wcode, w in sorted(wijken.items()):
        if w["municipality_code"] not in munis:
            continue
        rows = xw[(xw.wijkcode == wcode) & xw.pc4.isin(region_pc4s)].sort_values("pc4")
        tot = y014 = y1524 = 0.0
        used = []
        for r in rows.itertuples():
            if r.pc4 not in per_pc4 or per_pc4[r.pc4][0] <= 0:
                continue
            weight = float(r.share_of_pc4_area)
            t, a, b = per_pc4[r.pc4]
            tot += weight * t
            y014 += weight * a
            y1524 += weight * b
            used.append(f"{r.pc4} ({weight:.2f})")
        pop = w["population"]
        if tot > 0 and pop is not None:
            w["age_0_14"] = round(pop * y014 / tot)
            w["age_15_24"] = round(pop * y1524 / tot)
        detail[wcode] = {"pc4s": used, "share_0_14": y014 / tot if tot else None,
                         "share_15_24": y1524 / tot if tot else None}
    return detail


def area_rows(munis: dict[str, str], wijken: dict, buurten: gpd.GeoDataFrame, kwb_pop: dict):
    """Rows of areas.csv and (code, geometry) pairs: gemeenten (dissolved from wijken), wijken, buurten."""
    rows, geoms = [], []
    for gm, gname in sorted(munis.items()):
        ws = [w for w in wijken.values() if w["municipality_code"] == gm]
        geom = clean_geometry(shapely.union_all([w["geometry"] for w in sorted(ws, key=lambda w: w["code"])]))
        a014 = sum(w["age_0_14"] for w in ws) if all(w["age_0_14"] is not None for w in ws) else None
        a1524 = sum(w["age_15_24"] for w in ws) if all(w["age_15_24"] is not None for w in ws) else None
        src = ";".join(sorted({w["youth_source"] for w in ws}))
        rows.append({"code": gm, "kind": "gemeente", "name": gname, "name_source": "cbs",
                     "parent_code": "", "municipality_code": gm, "population": int_cell(kwb_pop.get(gm)),
                     "age_0_14": int_cell(a014), "age_15_24": int_cell(a1524), "youth_source": src})
        geoms.append((gm, geom))
    for code in sorted(wijken):
        w = wijken[code]
        rows.append({"code": code, "kind": "wijk", "name": w["name"], "name_source": w["name_source"],
                     "parent_code": w["municipality_code"], "municipality_code": w["municipality_code"],
                     "population": int_cell(w["population"]), "age_0_14": int_cell(w["age_0_14"]),
                     "age_15_24": int_cell(w["age_15_24"]), "youth_source": w["youth_source"]})
        geoms.append((code, w["geometry"]))
    for r in buurten.itertuples():
        rows.append({"code": r.buurtcode, "kind": "buurt", "name": r.buurtnaam, "name_source": "cbs",
                     "parent_code": r.wijkcode, "municipality_code": r.gemeentecode, "population": "",
                     "age_0_14": "", "age_15_24": "", "youth_source": ""})
        geoms.append((r.buurtcode, r.geometry))
    return rows, geoms


# ---------------------------------------------------------------------------------------------
# Postcodes
# ---------------------------------------------------------------------------------------------
def build_postcodes(raw: Path, buurten: gpd.GeoDataFrame, munis: dict[str, str]) -> tuple[list[dict], dict]:
    """PC4 rows of the region: every PC4 whose CBS 2021 gemeente is one of ``munis``, plus PC4s
    of the crosswalk that lie mostly in them; each resolved to one buurt (see data/README.md)."""
    pcs = pd.read_csv(raw / RAW_FILES["pc4_csv"], dtype={"postcode": str})
    pcs = pcs[pcs["postcode"].str.len() == 4]
    inhabitants = {r.postcode: int(r.inwoners) for r in pcs.itertuples() if not pd.isna(r.inwoners)}
    muni_pcs = sorted(pcs.loc[pcs["gemeente"].isin(munis.values()), "postcode"])

    xw = pd.read_csv(raw / RAW_FILES["xw_buurt"], dtype={"pc4": str})
    extra = xw[(xw.rank_in_pc4 == 1) & xw.gemeentecode.isin(munis)
               & (xw.pc4_share_within_selected_gemeenten >= 0.5)]
    wanted = sorted(set(muni_pcs) | set(extra.pc4))

    # Dasymetric choice: weight each overlap by its wijk's population density (CBS KWB 2024), so a
    # PC4 whose area is mostly dunes or water resolves to the buurt where its residents live.
    kwb = pd.read_csv(raw / RAW_FILES["kwb"], dtype={"regiocode": str})
    density = {r.regiocode: float(r.Bevolkingsdichtheid) for r in kwb.itertuples()
               if str(r.regiocode).startswith("WK") and not pd.isna(r.Bevolkingsdichtheid)
               and float(r.Bevolkingsdichtheid) > 0}
    # Within a wijk the density cannot tell buurten apart; a CBS buurt "Verspreide huizen" is the
    # thinly built rural rest of its wijk, so its overlap counts for SCATTERED_WEIGHT only.
    local = xw[xw.gemeentecode.isin(munis)].copy()
    scattered = local["buurtnaam"].str.startswith("Verspreide huizen").map({True: SCATTERED_WEIGHT, False: 1.0})
    local["weight"] = local["overlap_m2"] * local["wijkcode"].map(density).fillna(1.0) * scattered
    local = local.sort_values(["pc4", "weight", "buurtcode"], ascending=[True, False, True])
    first = local.groupby("pc4", sort=True).head(1).set_index("pc4")
    buurt_wijk = dict(zip(buurten.buurtcode, buurten.wijkcode))
    buurt_muni = dict(zip(buurten.buurtcode, buurten.gemeentecode))

    rows, info = [], {"computed": [], "unresolved": [], "muni_pcs": muni_pcs,
                      "extra": sorted(set(wanted) - set(muni_pcs))}
    missing = [p for p in wanted if p not in first.index]
    computed = overlay_pc4(raw, buurten, missing) if missing else {}
    for pc4 in wanted:
        if pc4 in first.index:
            bcode, share = first.at[pc4, "buurtcode"], float(first.at[pc4, "share_of_pc4_area"])
        elif pc4 in computed:
            bcode, share = computed[pc4]
            info["computed"].append(pc4)
        else:
            info["unresolved"].append(pc4)
            continue
        rows.append({
            "pc4": pc4, "buurt_code": bcode, "wijk_code": buurt_wijk[bcode],
            "municipality_code": buurt_muni[bcode], "share": f"{share:.4f}",
            "inhabitants": inhabitants.get(pc4, ""),
        })
    return rows, info


def overlay_pc4(raw: Path, buurten: gpd.GeoDataFrame, pc4s: list[str]) -> dict[str, tuple[str, float]]:
    """Area overlay of PC4 polygons (2020) with the buurten, for PC4s not in the crosswalk."""
    bbox = tuple(buurten.total_bounds)
    pc = gpd.read_file(raw / RAW_FILES["pc4_gpkg"], bbox=bbox)
    pc["pc4"] = pc["pc4"].astype(str).str.zfill(4)
    pc = pc[pc["pc4"].isin(pc4s)].to_crs(28992)
    out = {}
    for r in pc.sort_values("pc4").itertuples():
        geom = shapely.make_valid(r.geometry)
        best, best_area = None, 0.0
        for b in buurten.itertuples():
            a = geom.intersection(b.geometry).area
            if a > best_area:
                best, best_area = b.buurtcode, a
        if best is not None:
            out[r.pc4] = (best, best_area / geom.area)
    return out


# ---------------------------------------------------------------------------------------------
# Public facts
# ---------------------------------------------------------------------------------------------
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def parse_source_year(text: str) -> str:
    """The most recent dated source: max year per ';'-part, ignoring '(...)' and 'onbekend' parts."""
    years = []
    for part in (text or "").split(";"):
        part = part.strip()
        if not part or part.lower().startswith("onbekend"):
            continue
        part = re.sub(r"\([^)]*\)", "", part)
        years += [int(m.group(0)) for m in _YEAR.finditer(part)]
    return str(max(years)) if years else ""


def first_url(text: str) -> str:
    for token in re.split(r"[\s;]+", text or ""):
        if token.startswith(("https://", "http://")):
            return token
        if token.startswith("github.com/"):  # bare repository reference in the raw file
            return "https://" + token
    return ""


def normalise_phone(text: str) -> str:
    """One Dutch phone number in the formats of data/README.md (first number in the text)."""
    text = (text or "").strip()
    m = re.match(r"^(112|113)\b", text)
    if m:
        return m.group(1)
    m = re.search(r"\b14\s?0\d{2}\b", text)
    if m and not re.search(r"0\d{2}[\s-]?\d", text[: m.start()]):
        return "14 " + m.group(0).replace(" ", "")[2:]
    m = re.search(r"(0[\d][\d\s-]{6,14}\d)", text)
    if m:
        digits = re.sub(r"\D", "", m.group(1))
        if digits.startswith(("0800", "0900")):
            return f"{digits[:4]}-{digits[4:]}"
        if len(digits) == 10:
            if digits.startswith(("010", "013", "015", "020", "023", "024", "026", "030", "033",
                                  "035", "036", "038", "040", "043", "045", "046", "050", "053",
                                  "055", "058", "070", "071", "072", "073", "074", "075", "076",
                                  "077", "078", "079")):
                return f"{digits[:3]}-{digits[3:]}"
            return f"{digits[:4]}-{digits[4:]}"
        return digits
    return ""


def status_of(confidence: str) -> str:
    return "verified" if confidence.strip().lower() == "high" else "to_verify"


def sched_all_week(opens="00:00", closes="24:00", days=WEEKDAYS, note=""):
    return [{"kind": "open", "weekday": d, "opens": opens, "closes": closes, "note": note} for d in days]


HAP_SCHEDULE = (
    [{"kind": "open", "weekday": d, "opens": "00:00", "closes": "08:00",
      "note": "eerst bellen"} for d in WORKDAYS]
    + [{"kind": "open", "weekday": d, "opens": "17:00", "closes": "24:00",
        "note": "eerst bellen"} for d in WORKDAYS]
    + [{"kind": "open", "weekday": d, "opens": "00:00", "closes": "24:00",
        "note": "eerst bellen; ook op feestdagen de hele dag"} for d in ("sa", "su")]
)


# The national lines every region shows (rows of the public-facts file; service area NL).
NATIONAL_ORGS: dict[str, dict] = {
    "org-veilig-thuis": {"raw": "Veilig Thuis", "row": "Advies- en meldpunt huiselijk geweld en kindermishandeling (landelijk nummer; doorgeschakeld naar de regio)",
                         "description": "Advies- en meldpunt huiselijk geweld en kindermishandeling."},
    "org-113-zelfmoordpreventie": {"raw": "113 Zelfmoordpreventie", "row": "Hulplijn bij zelfmoordgedachten",
                                   "description": "Landelijke hulplijn voor mensen met gedachten aan zelfdoding en hun naasten."},
    "org-kindertelefoon": {"raw": "De Kindertelefoon", "row": "Hulplijn voor kinderen en jongeren",
                           "description": "Landelijke hulplijn voor kinderen en jongeren: bellen, chatten en forum."},
    "org-alarmnummer-112": {"raw": "Alarmnummer 112", "row": "Spoed bij direct levensgevaar",
                            "description": "Landelijk alarmnummer voor politie, ambulance en brandweer."},
    "org-centrum-seksueel-geweld": {"raw": "Centrum Seksueel Geweld", "row": "Acute hulp na verkrachting of aanranding",
                                    "description": "Landelijk netwerk voor hulp na verkrachting of aanranding."},
    "org-jouwggd": {"raw": "JouwGGD (samenwerking jeugdgezondheidsorganisaties)", "row": "Online informatie en anonieme chat voor jongeren",
                    "description": "Website en chat voor jongeren van samenwerkende jeugdgezondheidsorganisaties."},
    "org-opvoeden-nl": {"raw": "Stichting Opvoeden.nl / Opvoedinformatie Nederland", "row": "Opvoeden.nl - betrouwbare opvoedinformatie",
                        "description": "Landelijke stichting met betrouwbare informatie over opvoeden."},
    "org-ouders-online": {"raw": "Ouders Online", "row": "Ouders.nl - artikelen en forum voor ouders",
                          "description": "Onafhankelijk platform voor ouders met artikelen en een forum."},
    "org-jongeren-hulp-online": {"raw": "Jongeren Hulp Online (NCJ en Alles is Gezondheid)", "row": "Wegwijzer naar anonieme, gratis (online) hulplijnen voor jongeren",
                                 "description": "Wegwijzer naar gratis en anonieme hulplijnen voor jongeren."},
}

NATIONAL_SERVICES: dict[str, dict] = {
    "Advies- en meldpunt huiselijk geweld en kindermishandeling (landelijk nummer; doorgeschakeld naar de regio)": dict(
        id="svc-veilig-thuis", org="org-veilig-thuis", name="Veilig Thuis",
        level="crisis", access="direct", concerns="trauma", professional="hulplijn", ages=("0", "23"), cost="free", area="NL",
        description="Bel voor advies of een melding bij huiselijk geweld of kindermishandeling, ook anoniem. Dag en nacht bereikbaar; in spoed belt u 112.",
        waiting=0, schedules=sched_all_week(note="24 uur per dag")),
    "Hulplijn bij zelfmoordgedachten": dict(
        id="svc-113-zelfmoordpreventie", org="org-113-zelfmoordpreventie", name="113 Zelfmoordpreventie",
        level="crisis", access="direct", concerns="low_mood", professional="hulplijn", ages=("0", "23"), cost="free", area="NL",
        description="Praat over gedachten aan zelfdoding of zorgen om iemand anders. Bel 113 of gratis 0800-0113, of chat op 113.nl, dag en nacht en anoniem.",
        waiting=0, schedules=sched_all_week(note="24 uur per dag")),
    "Hulplijn voor kinderen en jongeren": dict(
        id="svc-kindertelefoon", org="org-kindertelefoon", name="De Kindertelefoon",
        level="self_help", access="vrij_toegankelijk", concerns="social;low_mood;anxiety;divorce;self_esteem", professional="hulplijn",
        ages=("8", "18"), cost="free", area="NL",
        description="Kinderen en jongeren kunnen gratis en anoniem bellen of chatten over grote en kleine problemen.",
        waiting=0, schedules=sched_all_week("11:00", "21:00", note="tijden uit bron 2019")),
    "Spoed bij direct levensgevaar": dict(
        id="svc-alarmnummer-112", org="org-alarmnummer-112", name="Alarmnummer 112",
        level="crisis", access="direct", concerns="", professional="hulplijn", ages=("0", "23"), cost="free", area="NL",
        description="Bij direct levensgevaar belt u altijd 112 voor politie, ambulance of brandweer.",
        waiting=0, schedules=sched_all_week(note="24 uur per dag")),
    "Acute hulp na verkrachting of aanranding": dict(
        id="svc-centrum-seksueel-geweld", org="org-centrum-seksueel-geweld", name="Centrum Seksueel Geweld",
        level="crisis", access="direct", concerns="trauma", professional="hulplijn", ages=("0", "23"), cost="free", area="NL",
        description="Medische en psychische hulp na aanranding of verkrachting, het liefst binnen 7 dagen. U wordt doorverbonden met het centrum in uw regio.",
        waiting=0, schedules=sched_all_week(note="24 uur per dag")),
    "Online informatie en anonieme chat voor jongeren": dict(
        id="svc-jouwggd", org="org-jouwggd", name="JouwGGD: informatie en chat voor jongeren",
        level="self_help", access="vrij_toegankelijk", concerns="low_mood;anxiety;social;self_esteem;eating;substance_use", professional="",
        ages=("12", "23"), cost="free", area="NL",
        description="Betrouwbare informatie voor jongeren over gevoelens, gezondheid en seks. Jongeren kunnen anoniem chatten met een professional.",
        waiting=0),
    "Opvoeden.nl - betrouwbare opvoedinformatie": dict(
        id="svc-opvoeden-nl", org="org-opvoeden-nl", name="Opvoeden.nl",
        level="self_help", access="vrij_toegankelijk", concerns="parenting;sleep;eating;development;behaviour;school", professional="",
        ages=("0", "17"), cost="free", area="NL",
        description="Betrouwbare informatie over opvoeden voor ouders van kinderen van 0 tot 18 jaar.", waiting=0),
    "Ouders.nl - artikelen en forum voor ouders": dict(
        id="svc-ouders-nl", org="org-ouders-online", name="Ouders.nl",
        level="self_help", access="vrij_toegankelijk", concerns="parenting;school;sleep", professional="",
        ages=("0", "17"), cost="free", area="NL",
        description="Artikelen over opvoeden, gezondheid en school, en een forum waar ouders elkaar vragen stellen.", waiting=0),
    "Wegwijzer naar anonieme, gratis (online) hulplijnen voor jongeren": dict(
        id="svc-jongeren-hulp-online", org="org-jongeren-hulp-online", name="Jongeren Hulp Online",
        level="self_help", access="vrij_toegankelijk", concerns="low_mood;anxiety;social;self_esteem;trauma", professional="",
        ages=("8", "23"), cost="free", area="NL",
        description="Overzicht van meer dan 20 gratis en anonieme hulplijnen voor jongeren. Een paar vragen helpen je de juiste te kiezen.",
        waiting=0),
}


def build_real(facts: pd.DataFrame, real_orgs: dict, real_services: dict, real_locations: dict,
               skipped: dict, org_phones: tuple[str, ...] = ()):
    """Organisations, services and locations from rows of the public-facts file.

    Every row must be mapped (``real_services``, or used by an organisation or location) or
    listed in ``skipped`` with a reason; ``org_phones``: organisations that show their phone.
    """
    by_name = {r["service_name"]: r for _, r in facts.iterrows()}
    unknown = sorted(set(by_name) - set(real_services) - set(skipped))
    if unknown:
        raise SystemExit(f"services_public_facts.csv has rows without a mapping: {unknown}")
    orgs, services, locations = [], [], []
    for oid, spec in sorted(real_orgs.items()):
        row = by_name[spec["row"]]
        if row["organisation"] != spec["raw"]:
            raise SystemExit(f"organisation mismatch for {oid}: {row['organisation']!r}")
        status = status_of(row["confidence"])
        orgs.append({
            "id": oid, "name": spec["raw"], "description": spec["description"],
            "url": first_url(row["website"]), "email": "",
            "phone": normalise_phone(row["phone"]) if oid in org_phones else "",
            "status": status, "verified_at": VERIFIED_AT if status == "verified" else "",
            "verified_by": VERIFIED_BY if status == "verified" else "",
            "source_url": first_url(row["source_url"]), "source_year": parse_source_year(row["source_year"]),
        })
    for lid, spec in sorted(real_locations.items()):
        row = by_name[spec["row"]]
        locations.append({"id": lid, "organization_id": spec["org"], "name": spec["name"],
                          "address": spec["address"], "postcode": spec["postcode"], "city": spec["city"],
                          "_place": spec["place"], "status": "to_verify", "verified_at": "",
                          "source_url": first_url(row["source_url"]), "_placement": spec["placement"]})
        if "point" in spec:
            locations[-1]["_point"] = spec["point"]
    for raw_name, spec in real_services.items():
        row = by_name[raw_name]
        status = status_of(row["confidence"])
        waiting = spec.get("waiting")
        services.append({
            "id": spec["id"], "organization_id": spec["org"], "name": spec["name"],
            "description": spec["description"], "level": spec["level"], "access_route": spec["access"],
            "concerns": spec["concerns"], "professional": spec["professional"],
            "age_min": spec["ages"][0], "age_max": spec["ages"][1], "languages": "nl",
            "cost": spec["cost"], "waiting_weeks": "" if waiting is None else waiting,
            "waiting_as_of": "" if waiting is None else WAITING_AS_OF, "service_area": spec["area"],
            "phone": normalise_phone(row["phone"]), "email": "", "url": first_url(row["website"]),
            "status": status, "verified_at": VERIFIED_AT if status == "verified" else "",
            "verified_by": VERIFIED_BY if status == "verified" else "",
            "source_url": first_url(row["source_url"]), "source_year": parse_source_year(row["source_year"]),
            "_locations": spec.get("locations", ()), "_schedules": spec.get("schedules", []),
            "_location_schedules": spec.get("location_schedules", {}), "_raw": raw_name,
        })
    return orgs, services, locations


def real_org(id, name, description, url, phone, source_url, source_year):
    """A real organisation from a public source outside the facts file: always ``to_verify``.

    ``source_year`` "" means the source is undated (year unknown, see data/README.md)."""
    return {"id": id, "name": name, "description": description, "url": url, "email": "", "phone": phone,
            "status": "to_verify", "verified_at": "", "verified_by": "", "source_url": source_url,
            "source_year": source_year}


def real_location(id, org, name, address, postcode, city, place, source_url, placement, point=None):
    """A real location (``to_verify``). ``place``: ("buurt" | "wijk" | "buurten", code(s)) that holds
    it; ``point``: (lat, lon) when a source gives coordinates; ``placement`` says how it was placed."""
    loc = {"id": id, "organization_id": org, "name": name, "address": address, "postcode": postcode,
           "city": city, "_place": place, "status": "to_verify", "verified_at": "", "source_url": source_url,
           "_placement": placement}
    if point is not None:
        loc["_point"] = point
    return loc


def real_service(id, org, name, description, level, access, professional, ages, cost, area, phone, url,
                 source_url, source_year, concerns="", waiting=None, locations=(), schedules=(),
                 location_schedules=None):
    """A real service from a public source outside the facts file: always ``to_verify``."""
    return {
        "id": id, "organization_id": org, "name": name, "description": description, "level": level,
        "access_route": access, "concerns": concerns, "professional": professional, "age_min": ages[0],
        "age_max": ages[1], "languages": "nl", "cost": cost, "waiting_weeks": "" if waiting is None else waiting,
        "waiting_as_of": "" if waiting is None else WAITING_AS_OF, "service_area": area, "phone": phone,
        "email": "", "url": url, "status": "to_verify", "verified_at": "", "verified_by": "",
        "source_url": source_url, "source_year": source_year, "_locations": tuple(locations),
        "_schedules": list(schedules), "_location_schedules": location_schedules or {},
    }


# ---------------------------------------------------------------------------------------------
# Illustrative records
# ---------------------------------------------------------------------------------------------
def example_service(id, org, name, description, level, access, concerns, professional, ages, languages, cost,
         waiting, area, locations=(), schedules=(), location_schedules=None):
    assert "voorbeeld" in name.lower(), name
    return {
        "id": id, "organization_id": org, "name": name, "description": description, "level": level,
        "access_route": access, "concerns": concerns, "professional": professional,
        "age_min": ages[0], "age_max": ages[1], "languages": languages, "cost": cost,
        "waiting_weeks": waiting, "waiting_as_of": WAITING_AS_OF, "service_area": area, "phone": "",
        "email": "", "url": "", "status": "illustrative", "verified_at": "", "verified_by": "",
        "source_url": "", "source_year": "", "_locations": tuple(locations),
        "_schedules": list(schedules), "_location_schedules": location_schedules or {},
    }


def example_org(id, name, description):
    assert "voorbeeld" in name.lower(), name
    return {"id": id, "name": name, "description": description, "url": "", "email": "", "phone": "",
            "status": "illustrative", "verified_at": "", "verified_by": "", "source_url": "",
            "source_year": ""}


def example_location(id, org, name, place):
    assert "voorbeeld" in name.lower(), name
    return {"id": id, "organization_id": org, "name": name, "address": "voorbeeldadres", "postcode": "",
            "city": "", "_place": place, "status": "illustrative", "verified_at": "", "source_url": "",
            "_placement": f"representatief punt van buurt {place[1]}"}


def hours(days, opens, closes, kind="open", note=""):
    return [{"kind": kind, "weekday": d, "opens": opens, "closes": closes, "note": note} for d in days]


EX = "Dit is een voorbeeld, geen echt aanbod."


def residential_buurten(buurten: gpd.GeoDataFrame, wijk: str, non_residential: set[str]) -> list[str]:
    """Buurten of a wijk with homes (all of them when none is known to be residential)."""
    sel = buurten[(buurten.wijkcode == wijk) & ~buurten.buurtnaam.isin(non_residential)]
    codes = sorted(sel.buurtcode)
    return codes or sorted(buurten.loc[buurten.wijkcode == wijk, "buurtcode"])


def area_services(sd: str, label: str, area: str, in_: str, langs: str, pick: Callable[[int], str],
                  cjg_org: str, jw_org: str, wt_org: str) -> tuple[list, list, list]:
    """Illustrative services of one area (stadsdeel, gemeente): CJG/JGZ, jongerenwerk, sociaal
    wijkteam and three basis-GGZ practices. ``sd`` is the area's slug, ``area`` its service area,
    ``in_`` the phrase "in <area>", ``pick(slot)`` a residential buurt of the area for a location.
    Returns (organisations, services, locations) in a fixed order."""
    orgs: list[dict] = []
    services: list[dict] = []
    locations: list[dict] = []
    cjg_loc = f"loc-voorbeeld-cjg-{sd}"
    locations.append(example_location(cjg_loc, cjg_org, f"CJG-locatie {label} (voorbeeld)", ("buurt", pick(0))))
    services.append(example_service(
        f"svc-voorbeeld-consultatiebureau-{sd}", cjg_org, f"Consultatiebureau {label} (voorbeeld)",
        f"Voorbeeld: de jeugdverpleegkundige en jeugdarts volgen de groei en ontwikkeling van uw kind van 0 tot 4 jaar {in_}. {EX}",
        "open_access", "vrij_toegankelijk", "development;sleep;eating;parenting", "jeugdverpleegkundige",
        ("0", "4"), langs, "free", 0, area, locations=(cjg_loc,),
        location_schedules={cjg_loc: hours(WORKDAYS, "08:30", "17:00", note="op afspraak")
                            + hours(("tu",), "09:00", "11:00", "walk_in", "inloopspreekuur")}))
    services.append(example_service(
        f"svc-voorbeeld-cjg-inloop-{sd}", cjg_org, f"CJG opvoedspreekuur {label} (voorbeeld)",
        f"Voorbeeld: loop binnen met een vraag over opvoeden of opgroeien {in_}. Een CJG-medewerker denkt met u mee. {EX}",
        "open_access", "vrij_toegankelijk", "parenting;behaviour;sleep;school;divorce;social", "cjg_coach",
        ("0", "17"), langs, "free", 0, area, locations=(cjg_loc,),
        location_schedules={cjg_loc: hours(("we",), "13:00", "15:00", "walk_in", "inloop, zonder afspraak")
                            + hours(("fr",), "09:00", "11:00", "walk_in", "inloop, zonder afspraak")}))
    services.append(example_service(
        f"svc-voorbeeld-jeugdverpleegkundige-{sd}", cjg_org, f"Jongerenspreekuur jeugdverpleegkundige {label} (voorbeeld)",
        f"Voorbeeld: jongeren van 12 tot 18 jaar praten met de jeugdverpleegkundige over gezondheid, gevoelens of school. {EX}",
        "open_access", "vrij_toegankelijk", "low_mood;anxiety;self_esteem;social;school;eating;sleep;substance_use",
        "jeugdverpleegkundige", ("12", "17"), langs, "free", 0, area, locations=(cjg_loc,),
        location_schedules={cjg_loc: hours(("th",), "14:00", "17:00", "walk_in", "inloop voor jongeren")}))
    services.append(example_service(
        f"svc-voorbeeld-triple-p-{sd}", cjg_org, f"Triple P oudercursus {label} (voorbeeld)",
        f"Voorbeeld: een groepscursus van acht avonden voor ouders die het opvoeden lastig vinden. {EX}",
        "open_access", "vrij_toegankelijk", "parenting;behaviour;sleep", "cjg_coach",
        ("2", "12"), "nl", "free", 0, area, locations=(cjg_loc,),
        location_schedules={cjg_loc: hours(("mo",), "19:30", "21:30", note="cursusavond, acht weken")}))
    services.append(example_service(
        f"svc-voorbeeld-kies-{sd}", cjg_org, f"Groep voor kinderen van gescheiden ouders {label} (voorbeeld)",
        f"Voorbeeld: kinderen van 6 tot 12 jaar praten en spelen in een groep over de scheiding van hun ouders. {EX}",
        "open_access", "vrij_toegankelijk", "divorce;low_mood;social", "cjg_coach",
        ("6", "12"), "nl", "free", 0, area, locations=(cjg_loc,),
        location_schedules={cjg_loc: hours(("we",), "14:00", "15:30", note="acht bijeenkomsten")}))
    services.append(example_service(
        f"svc-voorbeeld-cjg-coach-school-{sd}", cjg_org, f"CJG-coach op school {label} (voorbeeld)",
        f"Voorbeeld: de CJG-coach van de school {in_} praat met ouders en kinderen over zorgen thuis of op school. {EX}",
        "open_access", "vrij_toegankelijk", "school;behaviour;parenting;social", "cjg_coach",
        ("4", "17"), langs, "free", 0, area))

    # jongerenwerk
    jw_loc = f"loc-voorbeeld-jongerenwerk-{sd}"
    locations.append(example_location(jw_loc, jw_org, f"Jongerencentrum {label} (voorbeeld)", ("buurt", pick(1))))
    services.append(example_service(
        f"svc-voorbeeld-jongerenwerk-{sd}", jw_org, f"Jongerenwerk {label} (voorbeeld)",
        f"Voorbeeld: jongerenwerkers bieden een plek om te chillen, te sporten en te praten, en helpen als het niet lekker gaat. {EX}",
        "open_access", "vrij_toegankelijk", "social;self_esteem;school;substance_use;behaviour", "jongerenwerker",
        ("12", "23"), langs, "free", 0, area, locations=(jw_loc,),
        location_schedules={jw_loc: hours(("tu", "th"), "15:00", "21:00", "walk_in", "vrije inloop")
                            + hours(("fr",), "19:00", "23:00", "walk_in", "vrije inloop")}))

    # sociaal wijkteam
    wt_loc = f"loc-voorbeeld-wijkteam-{sd}"
    locations.append(example_location(wt_loc, wt_org, f"Sociaal wijkteam {label} (voorbeeld)", ("buurt", pick(2))))
    wait = 1 + stable(sd + "wt", 4)
    services.append(example_service(
        f"svc-voorbeeld-wijkteam-{sd}", wt_org, f"Sociaal wijkteam {label} (voorbeeld)",
        f"Voorbeeld: het wijkteam {in_} helpt gezinnen bij zorgen over opvoeden, geld, wonen of scheiding, met één plan. {EX}",
        "wijkteam", "via_wijkteam", "parenting;divorce;behaviour;school;development", "wijkteam_medewerker",
        ("0", "23"), langs, "free", wait, area, locations=(wt_loc,),
        location_schedules={wt_loc: hours(WORKDAYS, "09:00", "17:00")
                            + hours(("mo",), "13:00", "15:00", "walk_in", "inloopspreekuur")}))
    services.append(example_service(
        f"svc-voorbeeld-gezinsbegeleiding-{sd}", wt_org, f"Ambulante gezinsbegeleiding {label} (voorbeeld)",
        f"Voorbeeld: een gezinsbegeleider komt thuis en helpt het gezin weer op weg, na een beschikking van het wijkteam. {EX}",
        "wijkteam", "via_wijkteam", "parenting;behaviour;divorce;development", "wijkteam_medewerker",
        ("0", "17"), langs, "jeugdwet", 1 + stable(sd + "gb", 4), area, locations=(wt_loc,)))

    # basis-GGZ: three practices per area
    for k, (kind, concerns, prof, ages) in enumerate((
        ("kind", "anxiety;low_mood;behaviour;sleep;self_esteem;trauma", "psycholoog", ("4", "12")),
        ("jeugd", "anxiety;low_mood;self_esteem;social;withdrawal;eating;substance_use", "psycholoog", ("12", "17")),
        ("gezin", "behaviour;divorce;parenting;development;assessment", "orthopedagoog", ("0", "17")),
    )):
        x = f"{sd}-{k + 1}"
        org_id = f"org-voorbeeld-basis-ggz-{x}"
        pname = f"Praktijk voor kind en jeugd voorbeeld {label} {k + 1}"
        orgs.append(example_org(org_id, pname, f"Voorbeeld van een praktijk voor basis-GGZ voor kinderen en jongeren. {EX}"))
        loc = f"loc-voorbeeld-basis-ggz-{x}"
        locations.append(example_location(loc, org_id, pname, ("buurt", pick(3 + k))))
        what = {"kind": "kinderen van 4 tot 12 jaar", "jeugd": "jongeren van 12 tot 18 jaar",
                "gezin": "kinderen en hun ouders"}[kind]
        services.append(example_service(
            f"svc-voorbeeld-basis-ggz-{x}", org_id, f"Basis jeugd-GGZ – {pname}",
            f"Voorbeeld: korte behandeling, bijvoorbeeld cognitieve gedragstherapie, voor {what}. Met een verwijzing van huisarts, wijkteam of jeugdarts. {EX}",
            "basic_mh", "via_huisarts", concerns, prof, ages, langs if k == 0 else "nl", "jeugdwet",
            3 + stable(x + "wait", 8), area, locations=(loc,),
            location_schedules={loc: hours(WORKDAYS[: 4 if k else 5], "09:00", "17:00", note="op afspraak")}))
    return orgs, services, locations


def specialist_centres(defs, place: Callable[[str, int], tuple[str, str]], area: str) -> tuple[list, list, list]:
    """Illustrative regional centres for specialist youth mental health care.

    ``defs``: (slug, topic, concerns, professional, area slug, ages); ``place(area slug, k)`` gives
    the (label, buurt code) where centre ``k`` stands; ``area`` the service area of all of them.
    """
    orgs, services, locations = [], [], []
    for k, (slug, topic, concerns, prof, sd, ages) in enumerate(defs):
        org_id = f"org-voorbeeld-specialist-{slug}"
        name = f"Centrum voor jeugd-GGZ voorbeeld – {topic}"
        orgs.append(example_org(org_id, name, f"Voorbeeld van een centrum voor specialistische jeugd-GGZ. {EX}"))
        loc = f"loc-voorbeeld-specialist-{slug}"
        label, buurt = place(sd, k)
        locations.append(example_location(loc, org_id, f"Centrum voor jeugd-GGZ voorbeeld {label} ({slug})",
                                          ("buurt", buurt)))
        services.append(example_service(
            f"svc-voorbeeld-specialist-{slug}", org_id, f"Specialistische jeugd-GGZ voorbeeld: {topic}",
            f"Voorbeeld: onderzoek en behandeling bij ernstige of langdurige problemen rond {topic}. Alleen met een verwijzing. {EX}",
            "specialist_mh", "via_huisarts", concerns, prof, ages, "nl;en", "jeugdwet",
            6 + stable(slug + "wait", 15), area, locations=(loc,),
            location_schedules={loc: hours(WORKDAYS, "08:30", "17:00", note="op afspraak")}))
    return orgs, services, locations


# ---------------------------------------------------------------------------------------------
# Assembling and writing a region
# ---------------------------------------------------------------------------------------------
def candidate_points(polygon):
    """Representative point of the polygon, then of its four bounding-box quadrants, then ninths."""
    yield polygon.representative_point()
    minx, miny, maxx, maxy = polygon.bounds
    for n in (2, 3):
        dx, dy = (maxx - minx) / n, (maxy - miny) / n
        for i in range(n):
            for j in range(n):
                box = shapely.box(minx + i * dx, miny + j * dy, minx + (i + 1) * dx, miny + (j + 1) * dy)
                part = polygon.intersection(box)
                if not part.is_empty and part.area > 0:
                    yield part.representative_point()


def place_locations(locs: list[dict], buurten: gpd.GeoDataFrame, wijken: dict, muni_geom: dict,
                    munis: dict[str, str]) -> None:
    """Give every location without coordinates a WGS84 point in its buurt or wijk (in place).

    A location carries ``_place`` = ("buurt" | "wijk" | "buurten", code or "code;code"), and
    ``_point`` = (lat, lon) when its source gives coordinates (then only checked, not moved). Placed points: the polygon's representative point, moved to a part
    of the polygon when another location already stands there; always inside the municipality.
    """
    to_wgs = Transformer.from_crs(28992, 4326, always_xy=True)
    to_rd = Transformer.from_crs(4326, 28992, always_xy=True)
    buurt_geom = dict(zip(buurten.buurtcode, buurten.geometry))
    buurt_muni = dict(zip(buurten.buurtcode, buurten.gemeentecode))
    buurt_wijk = dict(zip(buurten.buurtcode, buurten.wijkcode))
    buurt_name = dict(zip(buurten.buurtcode, buurten.buurtnaam))
    used: set[tuple[str, str]] = set()
    for loc in locs:
        kind, code = loc.pop("_place")
        if kind == "buurt":
            muni = buurt_muni[code]
            polygon = buurt_geom[code]
        elif kind == "buurten":  # a street on the boundary of neighbouring buurten: their union
            codes = code.split(";")
            muni = buurt_muni[codes[0]]
            polygon = shapely.union_all([buurt_geom[c] for c in codes])
        else:
            muni = wijken[code]["municipality_code"]
            polygon = wijken[code]["geometry"]
        given = loc.pop("_point", None)
        if given is not None:
            x, y = to_rd.transform(given[1], given[0])
            assert muni_geom[muni].distance(shapely.Point(x, y)) < 100, loc["id"]
            loc["latitude"], loc["longitude"] = f"{given[0]:.6f}", f"{given[1]:.6f}"
            used.add((loc["latitude"], loc["longitude"]))
            loc["municipality_code"] = muni
            continue
        # No two locations on the same spot: try the polygon, then its bounding-box quadrants.
        pt, moved = None, False
        for n_try, candidate in enumerate(candidate_points(polygon)):
            if not muni_geom[muni].contains(candidate):
                continue
            lon, lat = to_wgs.transform(candidate.x, candidate.y)
            key = (f"{lat:.6f}", f"{lon:.6f}")
            if key not in used:
                pt, moved = candidate, n_try > 0
                break
        if pt is None and kind == "buurt":
            pt = wijken[buurt_wijk[code]]["geometry"].representative_point()
        assert pt is not None and muni_geom[muni].contains(pt), loc["id"]
        lon, lat = to_wgs.transform(pt.x, pt.y)
        loc["latitude"], loc["longitude"] = f"{lat:.6f}", f"{lon:.6f}"
        used.add((loc["latitude"], loc["longitude"]))
        loc["municipality_code"] = muni
        if loc["status"] == "illustrative":
            loc["city"] = munis[muni]
            loc["_placement"] = f"representatief punt van buurt {code} ({buurt_name[code]})"
        if moved:
            loc["_placement"] += "; verschoven naar een deel van het gebied, zodat twee locaties niet op hetzelfde punt staan"


def link_services(svcs: list[dict]) -> tuple[list[dict], list[dict]]:
    """service_at_location and schedule rows from the services' ``_locations`` and ``_schedules``."""
    sal, sched = [], []
    for s in svcs:
        for lid in s["_locations"]:
            sal.append({"id": f"sal-{s['id'][4:]}--{lid[4:]}", "service_id": s["id"], "location_id": lid})
        n = 0
        for entry in s["_schedules"]:
            n += 1
            sched.append({"id": f"sched-{s['id'][4:]}-{n:02d}", "service_id": s["id"], "location_id": "", **entry})
        for lid, entries in s["_location_schedules"].items():
            assert lid in s["_locations"], (s["id"], lid)
            for entry in entries:
                n += 1
                sched.append({"id": f"sched-{s['id'][4:]}-{n:02d}", "service_id": s["id"], "location_id": lid, **entry})
    return sal, sched


def summarise(svcs, gps) -> dict:
    per_level, per_status, gp_prof = {}, {}, {}
    for s in svcs:
        per_level[s["level"]] = per_level.get(s["level"], 0) + 1
        per_status[s["status"]] = per_status.get(s["status"], 0) + 1
    for g in gps:
        gp_prof[g["youth_professional"]] = gp_prof.get(g["youth_professional"], 0) + 1
    return {"total": len(svcs), "per_level": dict(sorted(per_level.items())),
            "per_status": dict(sorted(per_status.items())), "gp_total": len(gps),
            "gp_youth": sum(1 for g in gps if g["youth_professional"] != "none"),
            "gp_prof": dict(sorted(gp_prof.items()))}


def check_integrity(orgs, svcs, locs, sal, sched, gps, wijken) -> None:
    ids = [r["id"] for r in orgs + svcs + locs + sal + sched + gps]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    assert not dup, f"duplicate ids: {dup}"
    idre = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
    bad = [i for i in ids if not idre.match(i)]
    assert not bad, f"bad ids: {bad[:5]}"
    org_ids, loc_ids = {o["id"] for o in orgs}, {loc["id"] for loc in locs}
    for s in svcs:
        assert s["organization_id"] in org_ids, s["id"]
    for loc in locs:
        assert loc["organization_id"] in org_ids, loc["id"]
    for r in sal:
        assert r["location_id"] in loc_ids, r
    for code, w in wijken.items():
        chain = {code, w["municipality_code"], "NL"}
        for level in LADDER:
            assert any(s["level"] == level and chain & set(s["service_area"].split(";")) for s in svcs), (code, level)
    for rec in orgs + svcs:
        if rec["status"] == "illustrative":
            assert "voorbeeld" in rec["name"].lower() and not rec["phone"] and not rec["source_url"], rec["id"]
        if rec["status"] == "verified":
            assert rec["source_url"] and rec["source_year"], rec["id"]


def write_tables(out: Path, orgs, svcs, locs, sal, sched, gps) -> None:
    """The six record files, rows sorted by id, helper keys (``_...``) left out."""
    key = lambda r: r["id"]  # noqa: E731
    write_csv(out / "organizations.csv", COLUMNS["organizations.csv"], sorted(orgs, key=key))
    write_csv(out / "locations.csv", COLUMNS["locations.csv"],
              sorted(({k: v for k, v in loc.items() if not k.startswith("_")} for loc in locs), key=key))
    write_csv(out / "services.csv", COLUMNS["services.csv"],
              sorted(({k: v for k, v in s.items() if not k.startswith("_")} for s in svcs), key=key))
    write_csv(out / "service_at_location.csv", COLUMNS["service_at_location.csv"], sorted(sal, key=key))
    write_csv(out / "schedules.csv", COLUMNS["schedules.csv"], sorted(sched, key=key))
    write_csv(out / "gp_practices.csv", COLUMNS["gp_practices.csv"], sorted(gps, key=key))


def write_region_yaml(out: Path, region: dict) -> None:
    """Write region.yaml; a curator allow-list (``curators``) already in the file is kept."""
    path = out / "region.yaml"
    if path.is_file():
        old = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if isinstance(old, dict) and old.get("curators"):
            region = {**region, "curators": old["curators"]}
    (out / "region.yaml").write_text(
        yaml.safe_dump(region, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


def report(say: Callable[..., None], label: str, postcode_rows, pc_info, svcs, gps) -> dict:
    """Print coverage and counts; stop the build when a PC4 of the municipalities is unresolved."""
    resolved = {r["pc4"] for r in postcode_rows}
    muni_pcs = pc_info["muni_pcs"]
    cov = sum(1 for p in muni_pcs if p in resolved)
    say(f"PC4 coverage ({label}): {cov}/{len(muni_pcs)} resolved; "
        f"{len(postcode_rows)} PC4 rows in total (extra from crosswalk: {', '.join(pc_info['extra']) or '-'})")
    if pc_info["computed"]:
        say(f"PC4s computed by own overlay: {', '.join(pc_info['computed'])}")
    stats = summarise(svcs, gps)
    say(f"services: {stats['total']} | per level: {stats['per_level']} | per status: {stats['per_status']}")
    say(f"GP practices: {stats['gp_total']}, with youth professional: {stats['gp_youth']} {stats['gp_prof']}")
    if cov != len(muni_pcs):
        raise SystemExit(f"unresolved PC4s: {pc_info['unresolved']}")
    return stats


def buurt_picker(buurten: gpd.GeoDataFrame, wijken: dict, non_residential: set[str]) -> Callable[[tuple[str, ...], int], str]:
    """``pick(wijk_codes, slot)``: spread the locations of one area over its populated wijken and
    their residential buurten (slot 0, 1, 2, ... land in different places where possible)."""
    def pick(wijk_codes: tuple[str, ...], slot: int) -> str:
        ranked = sorted(wijk_codes, key=lambda c: (-(wijken[c]["population"] or 0), c))
        ranked = [c for c in ranked if (wijken[c]["population"] or 0) >= 1000] or ranked
        wijk = ranked[slot % len(ranked)]
        cands = residential_buurten(buurten, wijk, non_residential)
        return cands[(slot // len(ranked) + slot) % len(cands)]
    return pick


def youth_table(youth_detail: dict, wijken: dict) -> list[str]:
    """Markdown rows of SOURCES.md: how the youth of each wijk was estimated."""
    lines = ["  | wijk | PC4s (area weight) | share 0-14 | share 15-24 |", "  |---|---|---|---|"]
    for code, d in sorted(youth_detail.items()):
        s1 = "" if d["share_0_14"] is None else f"{d['share_0_14']:.3f}"
        s2 = "" if d["share_15_24"] is None else f"{d['share_15_24']:.3f}"
        lines.append(f"  | {code} {wijken[code]['name']} | {', '.join(d['pc4s'])} | {s1} | {s2} |")
    return lines


LICENCE_NOTE = [
    "Licence of the geography and statistics: **CBS, CC BY 4.0** (\"Bron: CBS, via PDOK\"). Service",
    "facts: public web pages named per record in `source_url`. Illustrative records: made for this",
    "project (CC0), **not real**.",
]


def main_for(build: Callable[..., dict], doc: str, out_default: Path, argv: list[str] | None = None) -> int:
    """The command line of a region builder: ``--raw``, ``--out``, ``--quiet``."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=RAW_DEFAULT, help="raw data folder (shared/data/raw)")
    parser.add_argument("--out", type=Path, default=out_default, help="region folder to write")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    if not args.raw.is_dir():
        print(f"raw data folder not found: {args.raw}", file=sys.stderr)
        return 2
    build(args.raw, args.out, quiet=args.quiet)
    return 0


def write_region_files(raw: Path, out: Path, munis: dict[str, str], buurten: gpd.GeoDataFrame, wijken: dict,
                       kwb_pop: dict, postcode_rows: list[dict], real: Callable, illustrative: Callable):
    """Write areas, postcodes and the record files of a region (not region.yaml or SOURCES.md).

    ``real(facts)`` gives the real (organisations, services, locations); ``illustrative(buurten,
    wijken)`` the illustrative ones plus the GP practices. Returns (facts, orgs, services,
    locations, gp_practices) for the region's SOURCES.md and summary.
    """
    rows, geoms = area_rows(munis, wijken, buurten, kwb_pop)
    write_csv(out / "areas.csv", COLUMNS["areas.csv"], rows)
    write_geojson(out / "areas.geojson", geoms)
    write_csv(out / "postcodes.csv", COLUMNS["postcodes.csv"], postcode_rows)

    facts = pd.read_csv(raw / RAW_FILES["facts"], dtype=str, keep_default_na=False)
    r_orgs, r_svcs, r_locs = real(facts)
    i_orgs, i_svcs, i_locs, gps = illustrative(buurten, wijken)
    orgs, svcs, locs = r_orgs + i_orgs, r_svcs + i_svcs, r_locs + i_locs
    place_locations(locs, buurten, wijken, dict(geoms[:len(munis)]), munis)
    sal, sched = link_services(svcs)
    check_integrity(orgs, svcs, locs, sal, sched, gps, wijken)
    write_tables(out, orgs, svcs, locs, sal, sched, gps)
    return facts, orgs, svcs, locs, gps
