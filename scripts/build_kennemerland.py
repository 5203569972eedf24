#!/usr/bin/env python
"""Build the shipped region folder ``data/regions/kennemerland`` from the raw inputs.

Reads ``shared/data/raw`` (CBS geography and statistics, public service facts) and writes the
region files described in ``data/README.md``. The output is deterministic: the same raw input
gives byte-identical files (sorted rows, fixed dates, no timestamps).

    .venv/bin/python scripts/build_kennemerland.py [--raw PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import zlib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import yaml
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon, mapping

REPO = Path(__file__).resolve().parents[1]
RAW_DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw"
OUT_DEFAULT = REPO / "data" / "regions" / "kennemerland"

MUNIS = {"GM0392": "Haarlem", "GM0473": "Zandvoort"}
SENTINELS = (-99995, -99997)
VERIFIED_AT = "2026-11-01"
VERIFIED_BY = "bronbestand haarlem_public_services (raw)"
WAITING_AS_OF = "2026-10-01"
WEEKDAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
WORKDAYS = WEEKDAYS[:5]
ALL_ROUND = "00:00"

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

# Haarlem stadsdelen (illustrative grouping of CBS wijken, documented in SOURCES.md) and Zandvoort.
STADSDELEN: dict[str, tuple[str, tuple[str, ...]]] = {
    "centrum": ("Centrum", ("WK039201",)),
    "zuid-west": ("Zuid-West", ("WK039202", "WK039203", "WK039204", "WK039205")),
    "oost": ("Oost", ("WK039206", "WK039207", "WK039208", "WK039209")),
    "noord": ("Noord", ("WK039210", "WK039211", "WK039212", "WK039213", "WK039214", "WK039215",
                        "WK039216", "WK039217")),
    "schalkwijk": ("Schalkwijk", ("WK039218", "WK039219", "WK039220", "WK039221")),
    "zandvoort": ("Zandvoort", ("WK047301", "WK047302", "WK047303", "WK047304")),
}
AREA_LANGUAGES = {
    "centrum": "nl;en", "zuid-west": "nl;en", "oost": "nl;tr;pl", "noord": "nl;tr",
    "schalkwijk": "nl;ar;tr", "zandvoort": "nl;en;pl",
}
# Buurten that are (mostly) without homes: never used to place an illustrative location.
NON_RESIDENTIAL = {
    "Waarderpolder", "Buitengebied Zuiderpolder", "Sport Circuit", "Nieuw Noord - bedrijven",
    "Recreatiepark", "Van der Aart sportpark", "Reinaldapark", "Meerwijkplas", "Molenplas",
    "Noord duinen", "Zuid duinen", "Noord strand", "Zuid strand", "Oude Spaarndammerpolder",
    "Schoterveenpolder", "Schoteroog en Veerpolder", "Hekslootpolder", "Zuiderhout",
    "Haarlemmerhout", "Spaarndammerpolder-zuid", "Winkelcentrum Schalkwijk",
    "Tuinbouwgebied-noord", "Tuinbouwgebied-zuid", "Zuid-Schalkwijkerweg",
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


def _num(value):
    if value is None or pd.isna(value):
        return None
    value = float(value)
    if value in SENTINELS:
        return None
    return value


# ---------------------------------------------------------------------------------------------
# Areas
# ---------------------------------------------------------------------------------------------
def build_areas(raw: Path):
    buurten = gpd.read_file(raw / RAW_FILES["buurten"])
    buurten = buurten[buurten["gemeentecode"].isin(MUNIS)].copy()
    buurten = buurten.sort_values("buurtcode").reset_index(drop=True)
    buurten["geometry"] = [clean_geometry(g) for g in buurten.geometry]

    wk_raw = gpd.read_file(raw / RAW_FILES["wijken"])
    if wk_raw.crs is None or wk_raw.crs.to_epsg() != 28992:
        wk_raw = wk_raw.to_crs(28992)
    hw = wk_raw[wk_raw["gemeentecode"] == "GM0392"].sort_values("wijkcode").reset_index(drop=True)

    kwb = pd.read_csv(raw / RAW_FILES["kwb"], dtype={"regiocode": str})
    kwb_pop = {r.regiocode.strip(): _num(r.AantalInwoners) for r in kwb.itertuples()}

    wijken: dict[str, dict] = {}
    for r in hw.itertuples():
        pop = kwb_pop.get(r.wijkcode)
        p014 = _num(r.percentagePersonen0Tot15Jaar)
        p1524 = _num(r.percentagePersonen15Tot25Jaar)
        wijken[r.wijkcode] = {
            "code": r.wijkcode, "name": r.wijknaam, "name_source": "cbs",
            "municipality_code": "GM0392", "population": pop,
            "age_0_14": None if pop is None or p014 is None else round(pop * p014 / 100),
            "age_15_24": None if pop is None or p1524 is None else round(pop * p1524 / 100),
            "youth_source": "kwb2024_percentages", "geometry": clean_geometry(r.geometry),
        }
    missing_h = set(buurten.loc[buurten.gemeentecode == "GM0392", "wijkcode"]) - set(wijken)
    if missing_h:
        raise SystemExit(f"Haarlem wijken missing from the PDOK file: {sorted(missing_h)}")

    # Zandvoort wijken: dissolved from buurten; name derived from the first buurt.
    zb = buurten[buurten.gemeentecode == "GM0473"]
    for wcode, grp in zb.groupby("wijkcode", sort=True):
        grp = grp.sort_values("buurtcode")
        first = grp.iloc[0]["buurtnaam"]
        wijken[wcode] = {
            "code": wcode, "name": f"Wijk {wcode[-2:]} ({first} e.o.)", "name_source": "derived",
            "municipality_code": "GM0473", "population": kwb_pop.get(wcode),
            "age_0_14": None, "age_15_24": None, "youth_source": "pc4_2021_age_bands_estimate",
            "geometry": clean_geometry(shapely.union_all(list(grp.geometry))),
        }
    return buurten, wijken, kwb_pop


def estimate_zandvoort_youth(raw: Path, wijken: dict, region_pc4s: set[str]) -> dict[str, dict]:
    """Youth of Zandvoort wijken from PC4 2021 age bands, area-weighted over overlapping PC4s."""
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
        if w["municipality_code"] != "GM0473":
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


# ---------------------------------------------------------------------------------------------
# Postcodes
# ---------------------------------------------------------------------------------------------
def build_postcodes(raw: Path, buurten: gpd.GeoDataFrame) -> tuple[list[dict], dict]:
    pcs = pd.read_csv(raw / RAW_FILES["pc4_csv"], dtype={"postcode": str})
    pcs = pcs[pcs["postcode"].str.len() == 4]
    inhabitants = {r.postcode: int(r.inwoners) for r in pcs.itertuples() if not pd.isna(r.inwoners)}
    muni_pcs = sorted(pcs.loc[pcs["gemeente"].isin(MUNIS.values()), "postcode"])

    xw = pd.read_csv(raw / RAW_FILES["xw_buurt"], dtype={"pc4": str})
    extra = xw[(xw.rank_in_pc4 == 1) & xw.gemeentecode.isin(MUNIS)
               & (xw.pc4_share_within_selected_gemeenten >= 0.5)]
    wanted = sorted(set(muni_pcs) | set(extra.pc4))

    # Dasymetric choice: weight each overlap by its wijk's population density (CBS KWB 2024), so a
    # PC4 whose area is mostly dunes or water resolves to the buurt where its residents live.
    kwb = pd.read_csv(raw / RAW_FILES["kwb"], dtype={"regiocode": str})
    density = {r.regiocode: float(r.Bevolkingsdichtheid) for r in kwb.itertuples()
               if str(r.regiocode).startswith("WK") and not pd.isna(r.Bevolkingsdichtheid)
               and float(r.Bevolkingsdichtheid) > 0}
    local = xw[xw.gemeentecode.isin(MUNIS)].copy()
    local["weight"] = local["overlap_m2"] * local["wijkcode"].map(density).fillna(1.0)
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
HAP_NOORD_SCHEDULE = (
    [{"kind": "open", "weekday": d, "opens": "17:00", "closes": "23:00",
      "note": "alleen na telefonische afspraak; 's nachts gesloten (bron 2025/2026)"} for d in WORKDAYS]
    + [{"kind": "open", "weekday": d, "opens": "08:00", "closes": "23:00",
        "note": "alleen na telefonische afspraak (bron 2025/2026)"} for d in ("sa", "su")]
)

# Real organisations: id -> (raw organisation name used for its source, own description)
REAL_ORGS: dict[str, dict] = {
    "org-cjg-kennemerland": {"raw": "CJG Kennemerland (Centrum voor Jeugd en Gezin)", "row": "Centrum voor Jeugd en Gezin - informatie, advies en lichte hulp",
                             "description": "Centrum voor Jeugd en Gezin voor Haarlem en Zandvoort: vragen over opvoeden en opgroeien, lichte hulp en coaching."},
    "org-huisartsen-spoedpost": {"raw": "Huisartsen-Spoedpost (Haarlem)", "row": "Huisartsenzorg avond, nacht, weekend en feestdagen",
                                 "description": "Huisartsenpost voor spoed buiten kantooruren, met posten bij Spaarne Gasthuis Haarlem-Noord en Haarlem-Zuid."},
    "org-spaarne-gasthuis": {"raw": "Spaarne Gasthuis", "row": "Locatie Haarlem-Zuid: Spoedeisende Hulp (SEH) en huisartsenpost",
                             "description": "Algemeen ziekenhuis voor Zuid-Kennemerland en Haarlemmermeer."},
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
    "org-jeugdhulpregio-zkij": {"raw": "Jeugdhulpregio Zuid-Kennemerland en IJmond", "row": "Informatie over toegang en verwijzing naar jeugdhulp",
                                "description": "Samenwerking van gemeenten in Zuid-Kennemerland en IJmond voor jeugdhulp."},
    "org-buurts": {"raw": "Buurts", "row": "Sociale wijkteams Haarlem",
                   "description": "Maatschappelijke organisatie in Haarlem met de sociale wijkteams en de Huizen van de Buurt (sinds 2023)."},
    "org-gemeente-haarlem": {"raw": "Gemeente Haarlem (uitvoering ook voor Zandvoort)", "row": "Schulddienstverlening - crisisbalie publiekshal en 14 023",
                             "description": "Gemeente Haarlem; voert schulddienstverlening ook uit voor Zandvoort."},
    "org-flintys": {"raw": "Jongerencentrum Flinty's", "row": "Stedelijk jongerencentrum",
                    "description": "Stedelijk jongerencentrum in de binnenstad van Haarlem."},
    "org-triple-threat": {"raw": "Triple Threat", "row": "Basketbal- en lifestylecommunity voor jongeren in Schalkwijk",
                          "description": "Basketbal- en lifestylecommunity voor jongeren in Schalkwijk."},
    "org-humanitas-zuid-kennemerland": {"raw": "Humanitas Zuid-Kennemerland", "row": "Home-Start Haarlem",
                                        "description": "Vrijwilligersorganisatie; voert in Haarlem Home-Start uit."},
    "org-kenter-jeugdhulp": {"raw": "Kenter Jeugdhulp", "row": "Specialistische jeugd- en opvoedhulp incl. jeugd-GGZ",
                             "description": "Aanbieder van specialistische jeugd- en opvoedhulp in Zuid-Kennemerland en IJmond; sinds 2023 deel van Sparq Jeugdhulp."},
    "org-sparq-jeugdhulp": {"raw": "Sparq Jeugdhulp (samenwerking Youz, Kenter Jeugdhulp en Hartekamp Groep)", "row": "Gezamenlijke voordeur voor aanmeldingen specialistische jeugdhulp",
                            "description": "Samenwerking van Youz, Kenter Jeugdhulp en Hartekamp Groep met één voordeur voor aanmeldingen (sinds 2023)."},
    "org-youz": {"raw": "Youz (Parnassia Groep)", "row": "Jeugd-GGZ (partner in Sparq Jeugdhulp)",
                 "description": "Jeugd-GGZ, onderdeel van Parnassia Groep; partner in Sparq Jeugdhulp."},
    "org-hartekamp-groep": {"raw": "Hartekamp Groep", "row": "Ondersteuning mensen met een verstandelijke beperking (partner in Sparq Jeugdhulp)",
                            "description": "Ondersteuning van mensen met een verstandelijke beperking; partner in Sparq Jeugdhulp."},
    "org-levvel": {"raw": "Levvel (voorheen Levvel5 / Lijn5)", "row": "Jeugdhulp voor jongeren met lichte verstandelijke beperking en gedragsproblemen",
                   "description": "Jeugdhulp voor jongeren met een lichte verstandelijke beperking en gedragsproblemen."},
    "org-parlan": {"raw": "Parlan", "row": "Locatie Haarlem (JeugdzorgPlus / intensieve jeugdhulp)",
                   "description": "Aanbieder van intensieve jeugdhulp en JeugdzorgPlus in Noord-Holland."},
    "org-ggz-ingeest": {"raw": "GGZ inGeest", "row": "GGZ: preventieve hulp, basis-ggz en specialistische ggz",
                        "description": "GGZ-organisatie met preventieve hulp, basis-GGZ en specialistische GGZ."},
    "org-bct": {"raw": "Brede Centrale Toegang (BCT)", "row": "Toegang maatschappelijke opvang (o.a. Spaarnezicht voor jongeren)",
                "description": "Toegang tot de maatschappelijke opvang in de regio Kennemerland."},
    "org-pluspunt-zandvoort": {"raw": "Stichting Pluspunt (Zandvoort)", "row": "Welzijn, sociaal maatschappelijk werk, jeugdwerk, preventie en sociale wijkteams",
                               "description": "Welzijnsorganisatie van Zandvoort, met jeugdwerk en de sociale wijkteams."},
    "org-ook-zandvoort": {"raw": "Wijksteunpunt OOK Zandvoort (samenwerkingsverband, gerund door Pluspunt)", "row": "Wijksteunpunt met o.a. Sociaal Wijkteam Zandvoort en CJG",
                          "description": "Wijksteunpunt in Zandvoort-Noord waar onder andere het sociaal wijkteam en het CJG zitten."},
    "org-ggd-kennemerland": {"raw": "GGD Kennemerland", "row": "Meldpunt Zorg en Overlast (incl. Wvggz-meldingen)",
                             "description": "Publieke gezondheidsdienst voor de regio Kennemerland."},
}

BOTH = "GM0392;GM0473"

# Real services: raw service_name -> fields. Rows not listed here are skipped (see SOURCES.md).
REAL_SERVICES: dict[str, dict] = {
    "Centrum voor Jeugd en Gezin - informatie, advies en lichte hulp": dict(
        id="svc-cjg-kennemerland", org="org-cjg-kennemerland", name="CJG Kennemerland: informatie, advies en lichte hulp",
        level="open_access", access="vrij_toegankelijk", concerns="parenting;development;sleep;eating;behaviour;school;social;divorce",
        professional="cjg_coach", ages=("0", "17"), cost="free", area=BOTH,
        description="Eerste plek voor vragen over opvoeden en opgroeien. Het CJG geeft advies en lichte hulp en kan zelf naar jeugdhulp verwijzen.",
        locations=("loc-ook-zandvoort-flemingstraat",)),
    "CJG-coach (per basisschool / wijk)": dict(
        id="svc-cjg-coach-school", org="org-cjg-kennemerland", name="CJG-coach op school",
        level="open_access", access="vrij_toegankelijk", concerns="parenting;behaviour;school;social;divorce",
        professional="cjg_coach", ages=("4", "17"), cost="free", area=BOTH,
        description="Elke basisschool heeft een eigen CJG-coach. De coach helpt gezinnen bij opvoed- en opgroeivragen en maakt samen met het gezin één plan."),
    "Praktijkondersteuner Jeugd (POH Jeugd) in de huisartsenpraktijk": dict(
        id="svc-cjg-poh-jeugd", org="org-cjg-kennemerland", name="POH Jeugd in de huisartsenpraktijk (CJG)",
        level="gp_practice", access="via_huisarts", concerns="anxiety;low_mood;behaviour;sleep;school;social;self_esteem;parenting;divorce",
        professional="poh_jeugd", ages=("0", "17"), cost="free", area=BOTH,
        description="In de meeste huisartsenpraktijken werkt een praktijkondersteuner jeugd van het CJG. Die geeft korte hulp bij opvoeden en opgroeien en verwijst door als dat nodig is. U maakt een afspraak via de huisarts."),
    "Informatie over toegang en verwijzing naar jeugdhulp": dict(
        id="svc-jeugdhulpregio-toegang", org="org-jeugdhulpregio-zkij", name="Informatie over de weg naar jeugdhulp",
        level="self_help", access="vrij_toegankelijk", concerns="", professional="", ages=("0", "17"), cost="free", area=BOTH,
        description="Website met uitleg wie naar jeugdhulp kan verwijzen: het CJG, de huisarts samen met de praktijkondersteuner jeugd, of een gecertificeerde instelling.",
        waiting=0),
    "Meldpunt Zorg en Overlast (incl. Wvggz-meldingen)": dict(
        id="svc-ggd-meldpunt-zorg-overlast", org="org-ggd-kennemerland", name="Meldpunt Zorg en Overlast",
        level="crisis", access="direct", concerns="", professional="", ages=("0", "23"), cost="free", area=BOTH,
        description="Hier meldt u zorgen over iemand die hulp nodig lijkt te hebben maar die zelf niet wil. Bij direct gevaar belt u 112.",
        waiting=0, schedules=sched_all_week("09:00", "17:00", ("mo", "tu", "we"), "tijden uit bron 2020")
        + sched_all_week("09:00", "22:00", ("th", "fr", "sa", "su"), "tijden uit bron 2020")),
    "Huisartsenzorg avond, nacht, weekend en feestdagen": dict(
        id="svc-huisartsen-spoedpost", org="org-huisartsen-spoedpost", name="Huisartsen-Spoedpost Haarlem",
        level="crisis", access="direct", concerns="", professional="huisarts", ages=("0", "23"), cost="insured", area=BOTH,
        description="Voor dringende medische zorg die niet kan wachten tot de volgende werkdag. Bel altijd eerst; bij levensgevaar belt u 112.",
        waiting=0, schedules=HAP_SCHEDULE,
        locations=("loc-spaarne-gasthuis-noord", "loc-spaarne-gasthuis-zuid"),
        location_schedules={"loc-spaarne-gasthuis-noord": HAP_NOORD_SCHEDULE}),
    "Locatie Haarlem-Zuid: Spoedeisende Hulp (SEH) en huisartsenpost": dict(
        id="svc-spaarne-seh-zuid", org="org-spaarne-gasthuis", name="Spoedeisende Hulp Spaarne Gasthuis Haarlem-Zuid",
        level="crisis", access="direct", concerns="", professional="arts", ages=("0", "23"), cost="insured", area=BOTH,
        description="Spoedeisende hulp van het ziekenhuis, dag en nacht open. Bij levensgevaar belt u 112.",
        waiting=0, locations=("loc-spaarne-gasthuis-zuid",),
        location_schedules={"loc-spaarne-gasthuis-zuid": sched_all_week(note="24 uur per dag")}),
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
    "Sociale wijkteams Haarlem": dict(
        id="svc-buurts-sociale-wijkteams", org="org-buurts", name="Sociale wijkteams Haarlem (Buurts)",
        level="wijkteam", access="via_wijkteam", concerns="parenting;divorce;behaviour;school", professional="wijkteam_medewerker",
        ages=("0", "23"), cost="free", area="GM0392",
        description="Het sociaal wijkteam kijkt met het hele gezin naar wat nodig is, met één plan en één contactpersoon. Ook voor hulp bij geldzorgen.",
        locations=("loc-buurts-ambonstraat",)),
    "Huizen van de Buurt (welzijn, ontmoeting, activiteiten)": dict(
        id="svc-buurts-huizen-van-de-buurt", org="org-buurts", name="Huizen van de Buurt",
        level="open_access", access="vrij_toegankelijk", concerns="social", professional="",
        ages=("0", "23"), cost="free", area="GM0392",
        description="Buurthuizen van Buurts met activiteiten en ontmoeting voor jong en oud."),
    "Schulddienstverlening - crisisbalie publiekshal en 14 023": dict(
        id="svc-haarlem-schulddienstverlening", org="org-gemeente-haarlem", name="Schulddienstverlening en crisisbalie geldzorgen",
        level="wijkteam", access="direct", concerns="", professional="", ages=("0", "23"), cost="free", area=BOTH,
        description="Hulp bij schulden. Dreigt ontruiming of afsluiting van gas, water of licht? Kom op een werkdag met de brief naar de balie.",
        locations=("loc-gemeente-haarlem-zijlvest",),
        location_schedules={"loc-gemeente-haarlem-zijlvest": [
            {"kind": "walk_in", "weekday": d, "opens": "09:00", "closes": "16:00",
             "note": "crisisbalie: kom langs met de brief"} for d in WORKDAYS]}),
    "Stedelijk jongerencentrum": dict(
        id="svc-flintys-jongerencentrum", org="org-flintys", name="Jongerencentrum Flinty's",
        level="open_access", access="vrij_toegankelijk", concerns="social;self_esteem", professional="jongerenwerker",
        ages=("12", "23"), cost="free", area="GM0392",
        description="Stedelijk jongerencentrum in de binnenstad van Haarlem. Openingstijden zijn niet bekend.",
        locations=("loc-flintys-gedempte-oude-gracht",)),
    "Basketbal- en lifestylecommunity voor jongeren in Schalkwijk": dict(
        id="svc-triple-threat", org="org-triple-threat", name="Triple Threat: basketbal en meer voor jongeren",
        level="open_access", access="vrij_toegankelijk", concerns="social;self_esteem;behaviour", professional="jongerenwerker",
        ages=("12", "23"), cost="free", area="WK039218;WK039219;WK039220;WK039221",
        description="Jongeren in Schalkwijk doen mee met basketbal, dans en bootcamp en hebben een plek om elkaar te ontmoeten."),
    "Home-Start Haarlem": dict(
        id="svc-home-start-haarlem", org="org-humanitas-zuid-kennemerland", name="Home-Start Haarlem",
        level="open_access", access="vrij_toegankelijk", concerns="parenting;development", professional="vrijwilliger",
        ages=("0", "17"), cost="free", area="GM0392",
        description="Een getrainde vrijwilliger met eigen ervaring als ouder komt elke week een dagdeel langs bij een gezin waar het even niet goed gaat."),
    "Specialistische jeugd- en opvoedhulp incl. jeugd-GGZ": dict(
        id="svc-kenter-jeugdhulp", org="org-kenter-jeugdhulp", name="Kenter Jeugdhulp: specialistische jeugd- en opvoedhulp",
        level="specialist_mh", access="via_wijkteam", concerns="behaviour;trauma;anxiety;low_mood;divorce;assessment",
        professional="orthopedagoog", ages=("0", "17"), cost="jeugdwet", area=BOTH,
        description="Gespecialiseerde hulp voor kinderen en gezinnen, zoals gezinsbehandeling, jeugd-GGZ en crisishulp. Aanmelden met een verwijzing, via de voordeur van Sparq Jeugdhulp."),
    "Gezamenlijke voordeur voor aanmeldingen specialistische jeugdhulp": dict(
        id="svc-sparq-voordeur", org="org-sparq-jeugdhulp", name="Sparq Jeugdhulp: gezamenlijke aanmelding",
        level="specialist_mh", access="via_huisarts", concerns="behaviour;anxiety;low_mood;trauma;eating;assessment;withdrawal;social;development",
        professional="jeugdpsychiater", ages=("0", "17"), cost="jeugdwet", area=BOTH,
        description="Eén plek voor alle aanmeldingen bij Youz, Kenter Jeugdhulp en Hartekamp Groep. Samen kiezen zij wie het snelst de best passende hulp kan geven. Een verwijzing is nodig."),
    "Jeugd-GGZ (partner in Sparq Jeugdhulp)": dict(
        id="svc-youz-jeugd-ggz", org="org-youz", name="Youz: jeugd-GGZ",
        level="specialist_mh", access="via_huisarts", concerns="anxiety;low_mood;eating;trauma;assessment;adhd_medication;withdrawal",
        professional="jeugdpsychiater", ages=("0", "17"), cost="jeugdwet", area=BOTH,
        description="Hulp voor kinderen en jongeren met psychische of psychiatrische problemen en hun ouders. Aanmelden via Sparq Jeugdhulp."),
    "Ondersteuning mensen met een verstandelijke beperking (partner in Sparq Jeugdhulp)": dict(
        id="svc-hartekamp-lvb", org="org-hartekamp-groep", name="Hartekamp Groep: ondersteuning bij een verstandelijke beperking",
        level="specialist_mh", access="via_wijkteam", concerns="development;behaviour",
        professional="orthopedagoog", ages=("0", "23"), cost="jeugdwet", area=BOTH,
        description="Begeleiding, behandeling en wonen voor mensen met een verstandelijke beperking. Aanmelden via Sparq Jeugdhulp."),
    "Jeugdhulp voor jongeren met lichte verstandelijke beperking en gedragsproblemen": dict(
        id="svc-levvel-lvb", org="org-levvel", name="Levvel: jeugdhulp bij lichte verstandelijke beperking",
        level="specialist_mh", access="via_wijkteam", concerns="behaviour;development;substance_use",
        professional="orthopedagoog", ages=("4", "23"), cost="jeugdwet", area=BOTH,
        description="Begeleiding en behandeling voor jongeren met een lichte verstandelijke beperking en ernstige gedragsproblemen."),
    "Locatie Haarlem (JeugdzorgPlus / intensieve jeugdhulp)": dict(
        id="svc-parlan-intensief", org="org-parlan", name="Parlan: intensieve jeugdhulp (JeugdzorgPlus)",
        level="specialist_mh", access="via_wijkteam", concerns="behaviour;substance_use;trauma",
        professional="orthopedagoog", ages=("12", "17"), cost="jeugdwet", area=BOTH,
        description="Intensieve hulp voor jongeren met complexe problemen die een gevaar voor zichzelf of anderen kunnen zijn. Alleen na een verwijzing."),
    "GGZ: preventieve hulp, basis-ggz en specialistische ggz": dict(
        id="svc-ggz-ingeest-basis", org="org-ggz-ingeest", name="GGZ inGeest: preventie en basis-GGZ",
        level="basic_mh", access="via_huisarts", concerns="anxiety;low_mood",
        professional="psycholoog", ages=("18", "23"), cost="insured", area=BOTH,
        description="Hulp bij beginnende psychische klachten zonder verwijzing, en korte behandeling in de basis-GGZ met een verwijzing van de arts. Een jeugdaanbod is niet bekend."),
    "Toegang maatschappelijke opvang (o.a. Spaarnezicht voor jongeren)": dict(
        id="svc-bct-toegang-opvang", org="org-bct", name="Brede Centrale Toegang: opvang bij dakloosheid",
        level="wijkteam", access="direct", concerns="", professional="", ages=("18", "23"), cost="free", area=BOTH,
        description="Ben je dakloos of dreig je dat te worden? Kom op een werkdag tussen 9 en 12 uur langs op het spreekuur.",
        locations=("loc-bct-wilhelminastraat",),
        location_schedules={"loc-bct-wilhelminastraat": [
            {"kind": "walk_in", "weekday": d, "opens": "09:00", "closes": "12:00",
             "note": "spreekuur, zelf langskomen"} for d in WORKDAYS]}),
    "Spaarnezicht - maatschappelijke opvang voor jongeren": dict(
        id="svc-kenter-spaarnezicht", org="org-kenter-jeugdhulp", name="Spaarnezicht: opvang voor jongeren",
        level="wijkteam", access="via_wijkteam", concerns="", professional="", ages=("18", "23"), cost="", area=BOTH,
        description="Opvang voor dakloze jongeren van 18 tot 23 jaar. Aanmelden via de Brede Centrale Toegang (BCT)."),
    "Welzijn, sociaal maatschappelijk werk, jeugdwerk, preventie en sociale wijkteams": dict(
        id="svc-pluspunt-sociaal-wijkteam", org="org-pluspunt-zandvoort", name="Sociaal wijkteam Zandvoort (Pluspunt)",
        level="wijkteam", access="via_wijkteam", concerns="parenting;divorce;behaviour;school", professional="wijkteam_medewerker",
        ages=("0", "23"), cost="free", area="GM0473",
        description="Pluspunt organiseert in Zandvoort het sociaal wijkteam en maatschappelijk werk voor gezinnen.",
        locations=("loc-ook-zandvoort-flemingstraat",)),
    "Jongerenwerk: Chill Out en Jeugdhonk": dict(
        id="svc-pluspunt-jongerenwerk", org="org-pluspunt-zandvoort", name="Jongerenwerk Zandvoort: Chill Out en Jeugdhonk",
        level="open_access", access="vrij_toegankelijk", concerns="social;self_esteem", professional="jongerenwerker",
        ages=("9", "18"), cost="free", area="GM0473",
        description="Vrije inloop voor kinderen van 9 tot 12 jaar (Chill Out) en jongeren van 12 tot 18 jaar (Jeugdhonk, woensdag- en vrijdagavond). Tijden uit 2021.",
        locations=("loc-ook-zandvoort-flemingstraat",)),
}

REAL_LOCATIONS: dict[str, dict] = {
    "loc-spaarne-gasthuis-noord": dict(org="org-spaarne-gasthuis", name="Spaarne Gasthuis Haarlem-Noord",
                                       address="Vondelweg 999", postcode="", city="Haarlem", place=("wijk", "WK039216"),
                                       row="Locatie Haarlem-Noord (huisartsenpost-locatie)",
                                       placement="representatief punt van wijk Vondelkwartier (Vondelweg, bij Delftplein)"),
    "loc-spaarne-gasthuis-zuid": dict(org="org-spaarne-gasthuis", name="Spaarne Gasthuis Haarlem-Zuid",
                                      address="Boerhaavelaan 22", postcode="", city="Haarlem", place=("wijk", "WK039219"),
                                      row="Locatie Haarlem-Zuid: Spoedeisende Hulp (SEH) en huisartsenpost",
                                      placement="representatief punt van wijk Boerhaavewijk (Boerhaavelaan)"),
    "loc-bct-wilhelminastraat": dict(org="org-bct", name="Brede Centrale Toegang", address="Wilhelminastraat 10",
                                     postcode="2011 VM", city="Haarlem", place=("wijk", "WK039201"),
                                     row="Toegang maatschappelijke opvang (o.a. Spaarnezicht voor jongeren)",
                                     placement="representatief punt van wijk Oude Stad (PC4 2011 ligt voor 97% in deze wijk)"),
    "loc-gemeente-haarlem-zijlvest": dict(org="org-gemeente-haarlem", name="Publiekshal gemeente Haarlem",
                                          address="Zijlvest 39", postcode="", city="Haarlem", place=("wijk", "WK039201"),
                                          row="Schulddienstverlening - crisisbalie publiekshal en 14 023",
                                          placement="representatief punt van wijk Oude Stad (Zijlvest ligt in de binnenstad)"),
    "loc-flintys-gedempte-oude-gracht": dict(org="org-flintys", name="Jongerencentrum Flinty's",
                                             address="Gedempte Oude Gracht 138", postcode="", city="Haarlem",
                                             place=("buurt", "BU03920102"), row="Stedelijk jongerencentrum",
                                             placement="representatief punt van buurt Binnenstad (Gedempte Oude Gracht)"),
    "loc-buurts-ambonstraat": dict(org="org-buurts", name="Sociaal wijkteam Ambonstraat", address="Ambonstraat",
                                   postcode="", city="Haarlem", place=("buurt", "BU03921104"),
                                   row="Sociaal wijkteam - locatie Ambonstraat (vermoedelijk stadsdeel Noord)",
                                   placement="representatief punt van buurt Molukkenbuurt (Ambonstraat; huisnummer onbekend)"),
    "loc-ook-zandvoort-flemingstraat": dict(org="org-ook-zandvoort", name="Wijksteunpunt OOK Zandvoort",
                                            address="Flemingstraat", postcode="", city="Zandvoort",
                                            place=("buurt", "BU04730105"),
                                            row="Wijksteunpunt met o.a. Sociaal Wijkteam Zandvoort en CJG",
                                            placement="representatief punt van buurt Nieuw Noord - wonen (Flemingstraat; huisnummer onbekend)"),
}

SKIPPED_ROWS = {
    "Eerste CJG Haarlem in gebouw Jeugdgezondheidszorg": "HISTORISCH (2008)",
    "Jeugdgezondheidszorg 0-4 jaar (consultatiebureaus) - historische uitvoerder": "HISTORISCH",
    "Huisartsenzorg avond, nacht, weekend (bron: spoedpost.com FAQ)": "conflicterend, ouder telefoonnummer 023-224 25 26",
    "Jongerenontmoetingsplekken Noord en Zuid (gepland)": "GEPLAND, nog niet in gebruik",
    "Hoofdlocatie / algemeen": "GGD-hoofdlocatie: geen jeugdaanbod, afdelingsnummers niet voor het publiek",
    "Ziekenhuis Zuid-Kennemerland (o.a. kindergeneeskunde - geen details gevonden)": "geen jeugdaanbod of contact gevonden",
    "Locatie Haarlem-Noord (huisartsenpost-locatie)": "gebruikt als locatie van de Huisartsen-Spoedpost",
    "Sociaal wijkteam - locatie Ambonstraat (vermoedelijk stadsdeel Noord)": "gebruikt als locatie van de sociale wijkteams",
    "Wijksteunpunt met o.a. Sociaal Wijkteam Zandvoort en CJG": "gebruikt als locatie (CJG, wijkteam en jongerenwerk Pluspunt)",
    "Welzijnsorganisatie: jeugd- en jongerenwerk, opvoedondersteuning (o.a. Haarlem Zuidwest/Centrum)": "bronnen t/m 2021; welzijnswerk valt sinds 2023 onder Buurts, niet actueel",
    "Welzijnswerk incl. jongerenwerk en opvoedingsondersteuning (Haarlem Noord, Oost, Schalkwijk)": "adres uit 2011; welzijnswerk valt sinds 2023 onder Buurts, niet actueel",
}


def build_real(facts: pd.DataFrame):
    by_name = {r["service_name"]: r for _, r in facts.iterrows()}
    unknown = sorted(set(by_name) - set(REAL_SERVICES) - set(SKIPPED_ROWS))
    if unknown:
        raise SystemExit(f"services_public_facts.csv has rows without a mapping: {unknown}")
    orgs, services, locations = [], [], []
    org_rows = {}
    for oid, spec in sorted(REAL_ORGS.items()):
        row = by_name[spec["row"]]
        if row["organisation"] != spec["raw"]:
            raise SystemExit(f"organisation mismatch for {oid}: {row['organisation']!r}")
        status = status_of(row["confidence"])
        org_rows[oid] = row
        orgs.append({
            "id": oid, "name": spec["raw"], "description": spec["description"],
            "url": first_url(row["website"]), "email": "",
            "phone": normalise_phone(row["phone"]) if oid == "org-huisartsen-spoedpost" else "",
            "status": status, "verified_at": VERIFIED_AT if status == "verified" else "",
            "verified_by": VERIFIED_BY if status == "verified" else "",
            "source_url": first_url(row["source_url"]), "source_year": parse_source_year(row["source_year"]),
        })
    for lid, spec in sorted(REAL_LOCATIONS.items()):
        row = by_name[spec["row"]]
        locations.append({"id": lid, "organization_id": spec["org"], "name": spec["name"],
                          "address": spec["address"], "postcode": spec["postcode"], "city": spec["city"],
                          "_place": spec["place"], "status": "to_verify", "verified_at": "",
                          "source_url": first_url(row["source_url"]), "_placement": spec["placement"]})
    for raw_name, spec in REAL_SERVICES.items():
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


# ---------------------------------------------------------------------------------------------
# Illustrative records
# ---------------------------------------------------------------------------------------------
def _svc(id, org, name, description, level, access, concerns, professional, ages, languages, cost,
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


def _org(id, name, description):
    assert "voorbeeld" in name.lower(), name
    return {"id": id, "name": name, "description": description, "url": "", "email": "", "phone": "",
            "status": "illustrative", "verified_at": "", "verified_by": "", "source_url": "",
            "source_year": ""}


def _loc(id, org, name, place):
    assert "voorbeeld" in name.lower(), name
    return {"id": id, "organization_id": org, "name": name, "address": "voorbeeldadres", "postcode": "",
            "city": "", "_place": place, "status": "illustrative", "verified_at": "", "source_url": "",
            "_placement": f"representatief punt van buurt {place[1]}"}


def _hours(days, opens, closes, kind="open", note=""):
    return [{"kind": kind, "weekday": d, "opens": opens, "closes": closes, "note": note} for d in days]


EX = "Dit is een voorbeeld, geen echt aanbod."


def residential_buurten(buurten: gpd.GeoDataFrame, wijk: str) -> list[str]:
    sel = buurten[(buurten.wijkcode == wijk) & ~buurten.buurtnaam.isin(NON_RESIDENTIAL)]
    codes = sorted(sel.buurtcode)
    return codes or sorted(buurten.loc[buurten.wijkcode == wijk, "buurtcode"])


def build_illustrative(buurten: gpd.GeoDataFrame, wijken: dict):
    orgs, services, locations, gps = [], [], [], []
    wname = {c: w["name"] for c, w in wijken.items()}

    def pick_buurt(wijk_codes: tuple[str, ...], slot: int) -> str:
        """Spread locations of one area over its populated wijken and their buurten."""
        ranked = sorted(wijk_codes, key=lambda c: (-(wijken[c]["population"] or 0), c))
        ranked = [c for c in ranked if (wijken[c]["population"] or 0) >= 1000] or ranked
        wijk = ranked[slot % len(ranked)]
        cands = residential_buurten(buurten, wijk)
        return cands[(slot // len(ranked) + slot) % len(cands)]

    # -- GP practices ------------------------------------------------------------------------
    practices = []
    for code in sorted(wijken):
        w = wijken[code]
        if w["municipality_code"] != "GM0392":
            continue
        n = 2 if (w["population"] or 0) >= 2500 else 1
        cands = residential_buurten(buurten, code)
        for i in range(n):
            practices.append((code, i + 1, n, cands[(i * len(cands)) // n], code))
    zand_slots = [("WK047302", 1, "BU04730206"), ("WK047302", 2, "BU04730203"), ("WK047301", 1, "BU04730105")]
    for code, i, buurt in zand_slots:
        practices.append((code, i, 2, buurt, "GM0473"))

    seconds = [p for p in practices if p[1] == 2]
    prof_of_second = {}
    for k, p in enumerate(seconds):
        prof_of_second[(p[0], p[1])] = ("none" if k in (3, 10, 15) else "ojg" if k in (1, 6, 12, 17)
                                        else "soh_jggz" if k in (4, 9, 14) else "poh_jeugd")
    prof_label = {"poh_jeugd": "POH Jeugd", "ojg": "Ondersteuner Jeugd en Gezin", "soh_jggz": "SOH-JGGZ"}
    for code, i, n, buurt, area in practices:
        key = f"{code.lower()}-{i}"
        suffix = f" {'AB'[i - 1]}" if n > 1 else ""
        pname = f"Huisartsenpraktijk voorbeeld {wname[code]}{suffix}"
        if code.startswith("WK0473"):
            pname = f"Huisartsenpraktijk voorbeeld Zandvoort {'ABC'[len([g for g in gps if g['id'].startswith('gp-wk0473')])]}"
        prof = prof_of_second.get((code, i), "poh_jeugd")
        org_id, loc_id = f"org-huisarts-{key}", f"loc-huisarts-{key}"
        orgs.append(_org(org_id, pname, f"Voorbeeld van een huisartsenpraktijk. {EX}"))
        locations.append(_loc(loc_id, org_id, pname, ("buurt", buurt)))
        ndays = 1 + stable(key + "days", 3)
        start = stable(key + "start", 5)
        days = [WORKDAYS[(start + 2 * d) % 5] for d in range(ndays)]
        days = [d for d in WORKDAYS if d in days]
        svc_id = ""
        if prof != "none":
            svc_id = f"svc-poh-{key}"
            where = "Zandvoort" if area == "GM0473" else wname[code]
            services.append(_svc(
                svc_id, org_id, f"{prof_label[prof]} – {pname}",
                f"Voorbeeld: de {prof_label[prof]} van deze praktijk helpt kinderen, jongeren en ouders in {where} met een paar gesprekken. U maakt een afspraak via de huisarts. {EX}",
                "gp_practice", "via_huisarts",
                "anxiety;low_mood;behaviour;sleep;school;social;self_esteem;parenting;adhd_medication;assessment",
                prof, ("0", "17"), "nl;en" if stable(key + "lang", 3) == 0 else "nl", "free",
                stable(key + "wait", 4), area, locations=(loc_id,),
                location_schedules={loc_id: _hours(days, "08:30", "17:00", note="op afspraak via de huisarts")}))
        gps.append({"id": f"gp-{key}", "organization_id": org_id, "location_id": loc_id,
                    "youth_professional": prof, "youth_days": ";".join(days) if prof != "none" else "",
                    "service_id": svc_id})

    # -- per stadsdeel / Zandvoort -----------------------------------------------------------
    orgs.append(_org("org-voorbeeld-jongerenwerk-haarlem", "Jongerenwerk Haarlem (voorbeeld)",
                     f"Voorbeeld van een organisatie voor jongerenwerk. {EX}"))
    orgs.append(_org("org-voorbeeld-opvoedinformatie", "Opvoedinformatie Haarlem en Zandvoort (voorbeeld)",
                     f"Voorbeeld van een lokale website met opvoedinformatie. {EX}"))
    services.append(_svc("svc-voorbeeld-opvoedinformatie-haarlem", "org-voorbeeld-opvoedinformatie",
                         "Opvoedinformatie Haarlem (voorbeeld)",
                         f"Voorbeeld: een website met tips over opvoeden en een overzicht van hulp in Haarlem. {EX}",
                         "self_help", "vrij_toegankelijk", "parenting;sleep;eating;development;behaviour;school", "",
                         ("0", "17"), "nl;en;ar;tr", "free", 0, "GM0392"))
    services.append(_svc("svc-voorbeeld-opvoedinformatie-zandvoort", "org-voorbeeld-opvoedinformatie",
                         "Opvoedinformatie Zandvoort (voorbeeld)",
                         f"Voorbeeld: een website met tips over opvoeden en een overzicht van hulp in Zandvoort. {EX}",
                         "self_help", "vrij_toegankelijk", "parenting;sleep;eating;development;behaviour;school", "",
                         ("0", "17"), "nl;en", "free", 0, "GM0473"))

    for sd, (label, wks) in STADSDELEN.items():
        area = "GM0473" if sd == "zandvoort" else ";".join(wks)
        langs = AREA_LANGUAGES[sd]
        in_ = f"in {label}" if sd == "zandvoort" else f"in stadsdeel {label}"
        cjg_loc = f"loc-voorbeeld-cjg-{sd}"
        locations.append(_loc(cjg_loc, "org-cjg-kennemerland", f"CJG-locatie {label} (voorbeeld)",
                              ("buurt", pick_buurt(wks, 0))))
        services.append(_svc(
            f"svc-voorbeeld-consultatiebureau-{sd}", "org-cjg-kennemerland", f"Consultatiebureau {label} (voorbeeld)",
            f"Voorbeeld: de jeugdverpleegkundige en jeugdarts volgen de groei en ontwikkeling van uw kind van 0 tot 4 jaar {in_}. {EX}",
            "open_access", "vrij_toegankelijk", "development;sleep;eating;parenting", "jeugdverpleegkundige",
            ("0", "4"), langs, "free", 0, area, locations=(cjg_loc,),
            location_schedules={cjg_loc: _hours(WORKDAYS, "08:30", "17:00", note="op afspraak")
                                + _hours(("tu",), "09:00", "11:00", "walk_in", "inloopspreekuur")}))
        services.append(_svc(
            f"svc-voorbeeld-cjg-inloop-{sd}", "org-cjg-kennemerland", f"CJG opvoedspreekuur {label} (voorbeeld)",
            f"Voorbeeld: loop binnen met een vraag over opvoeden of opgroeien {in_}. Een CJG-medewerker denkt met u mee. {EX}",
            "open_access", "vrij_toegankelijk", "parenting;behaviour;sleep;school;divorce;social", "cjg_coach",
            ("0", "17"), langs, "free", 0, area, locations=(cjg_loc,),
            location_schedules={cjg_loc: _hours(("we",), "13:00", "15:00", "walk_in", "inloop, zonder afspraak")
                                + _hours(("fr",), "09:00", "11:00", "walk_in", "inloop, zonder afspraak")}))
        services.append(_svc(
            f"svc-voorbeeld-jeugdverpleegkundige-{sd}", "org-cjg-kennemerland", f"Jongerenspreekuur jeugdverpleegkundige {label} (voorbeeld)",
            f"Voorbeeld: jongeren van 12 tot 18 jaar praten met de jeugdverpleegkundige over gezondheid, gevoelens of school. {EX}",
            "open_access", "vrij_toegankelijk", "low_mood;anxiety;self_esteem;social;school;eating;sleep;substance_use",
            "jeugdverpleegkundige", ("12", "17"), langs, "free", 0, area, locations=(cjg_loc,),
            location_schedules={cjg_loc: _hours(("th",), "14:00", "17:00", "walk_in", "inloop voor jongeren")}))
        services.append(_svc(
            f"svc-voorbeeld-triple-p-{sd}", "org-cjg-kennemerland", f"Triple P oudercursus {label} (voorbeeld)",
            f"Voorbeeld: een groepscursus van acht avonden voor ouders die het opvoeden lastig vinden. {EX}",
            "open_access", "vrij_toegankelijk", "parenting;behaviour;sleep", "cjg_coach",
            ("2", "12"), "nl", "free", 0, area, locations=(cjg_loc,),
            location_schedules={cjg_loc: _hours(("mo",), "19:30", "21:30", note="cursusavond, acht weken")}))
        services.append(_svc(
            f"svc-voorbeeld-kies-{sd}", "org-cjg-kennemerland", f"Groep voor kinderen van gescheiden ouders {label} (voorbeeld)",
            f"Voorbeeld: kinderen van 6 tot 12 jaar praten en spelen in een groep over de scheiding van hun ouders. {EX}",
            "open_access", "vrij_toegankelijk", "divorce;low_mood;social", "cjg_coach",
            ("6", "12"), "nl", "free", 0, area, locations=(cjg_loc,),
            location_schedules={cjg_loc: _hours(("we",), "14:00", "15:30", note="acht bijeenkomsten")}))
        services.append(_svc(
            f"svc-voorbeeld-cjg-coach-school-{sd}", "org-cjg-kennemerland", f"CJG-coach op school {label} (voorbeeld)",
            f"Voorbeeld: de CJG-coach van de school {in_} praat met ouders en kinderen over zorgen thuis of op school. {EX}",
            "open_access", "vrij_toegankelijk", "school;behaviour;parenting;social", "cjg_coach",
            ("4", "17"), langs, "free", 0, area))

        # jongerenwerk
        jw_loc = f"loc-voorbeeld-jongerenwerk-{sd}"
        jw_org = "org-pluspunt-zandvoort" if sd == "zandvoort" else "org-voorbeeld-jongerenwerk-haarlem"
        locations.append(_loc(jw_loc, jw_org, f"Jongerencentrum {label} (voorbeeld)", ("buurt", pick_buurt(wks, 1))))
        services.append(_svc(
            f"svc-voorbeeld-jongerenwerk-{sd}", jw_org, f"Jongerenwerk {label} (voorbeeld)",
            f"Voorbeeld: jongerenwerkers bieden een plek om te chillen, te sporten en te praten, en helpen als het niet lekker gaat. {EX}",
            "open_access", "vrij_toegankelijk", "social;self_esteem;school;substance_use;behaviour", "jongerenwerker",
            ("12", "23"), langs, "free", 0, area, locations=(jw_loc,),
            location_schedules={jw_loc: _hours(("tu", "th"), "15:00", "21:00", "walk_in", "vrije inloop")
                                + _hours(("fr",), "19:00", "23:00", "walk_in", "vrije inloop")}))

        # sociaal wijkteam
        wt_loc = f"loc-voorbeeld-wijkteam-{sd}"
        wt_org = "org-pluspunt-zandvoort" if sd == "zandvoort" else "org-buurts"
        locations.append(_loc(wt_loc, wt_org, f"Sociaal wijkteam {label} (voorbeeld)", ("buurt", pick_buurt(wks, 2))))
        wait = 1 + stable(sd + "wt", 4)
        services.append(_svc(
            f"svc-voorbeeld-wijkteam-{sd}", wt_org, f"Sociaal wijkteam {label} (voorbeeld)",
            f"Voorbeeld: het wijkteam {in_} helpt gezinnen bij zorgen over opvoeden, geld, wonen of scheiding, met één plan. {EX}",
            "wijkteam", "via_wijkteam", "parenting;divorce;behaviour;school;development", "wijkteam_medewerker",
            ("0", "23"), langs, "free", wait, area, locations=(wt_loc,),
            location_schedules={wt_loc: _hours(WORKDAYS, "09:00", "17:00")
                                + _hours(("mo",), "13:00", "15:00", "walk_in", "inloopspreekuur")}))
        services.append(_svc(
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
            orgs.append(_org(org_id, pname, f"Voorbeeld van een praktijk voor basis-GGZ voor kinderen en jongeren. {EX}"))
            loc = f"loc-voorbeeld-basis-ggz-{x}"
            locations.append(_loc(loc, org_id, pname, ("buurt", pick_buurt(wks, 3 + k))))
            what = {"kind": "kinderen van 4 tot 12 jaar", "jeugd": "jongeren van 12 tot 18 jaar",
                    "gezin": "kinderen en hun ouders"}[kind]
            services.append(_svc(
                f"svc-voorbeeld-basis-ggz-{x}", org_id, f"Basis jeugd-GGZ – {pname}",
                f"Voorbeeld: korte behandeling, bijvoorbeeld cognitieve gedragstherapie, voor {what}. Met een verwijzing van huisarts, wijkteam of jeugdarts. {EX}",
                "basic_mh", "via_huisarts", concerns, prof, ages, langs if k == 0 else "nl", "jeugdwet",
                3 + stable(x + "wait", 8), area, locations=(loc,),
                location_schedules={loc: _hours(WORKDAYS[: 4 if k else 5], "09:00", "17:00", note="op afspraak")}))

    # -- specialist jeugd-GGZ (regional) ------------------------------------------------------
    spec_defs = (
        ("angst-stemming", "angst en somberheid", "anxiety;low_mood;withdrawal;self_esteem", "psycholoog", "noord", ("6", "17")),
        ("adhd-autisme", "ADHD en autisme: onderzoek en behandeling", "assessment;adhd_medication;behaviour;social;development", "jeugdpsychiater", "zuid-west", ("4", "17")),
        ("eetproblemen", "eetproblemen", "eating;low_mood;anxiety", "jeugdpsychiater", "schalkwijk", ("10", "23")),
        ("trauma", "trauma", "trauma;anxiety;sleep;behaviour", "psycholoog", "oost", ("4", "23")),
        ("jongvolwassenen", "jongvolwassenen 16-23", "low_mood;anxiety;substance_use;withdrawal;self_esteem", "psycholoog", "centrum", ("16", "23")),
        ("jonge-kind", "het jonge kind (0-6)", "development;behaviour;sleep;eating;parenting;assessment", "orthopedagoog", "schalkwijk", ("0", "6")),
        ("verslaving", "verslaving bij jongeren", "substance_use;behaviour", "psycholoog", "noord", ("12", "23")),
    )
    for k, (slug, topic, concerns, prof, sd, ages) in enumerate(spec_defs):
        org_id = f"org-voorbeeld-specialist-{slug}"
        name = f"Centrum voor jeugd-GGZ voorbeeld – {topic}"
        orgs.append(_org(org_id, name, f"Voorbeeld van een centrum voor specialistische jeugd-GGZ. {EX}"))
        loc = f"loc-voorbeeld-specialist-{slug}"
        locations.append(_loc(loc, org_id, f"Centrum voor jeugd-GGZ voorbeeld {STADSDELEN[sd][0]} ({slug})",
                              ("buurt", pick_buurt(STADSDELEN[sd][1], 6 + k))))
        services.append(_svc(
            f"svc-voorbeeld-specialist-{slug}", org_id, f"Specialistische jeugd-GGZ voorbeeld: {topic}",
            f"Voorbeeld: onderzoek en behandeling bij ernstige of langdurige problemen rond {topic}. Alleen met een verwijzing. {EX}",
            "specialist_mh", "via_huisarts", concerns, prof, ages, "nl;en", "jeugdwet",
            6 + stable(slug + "wait", 15), BOTH, locations=(loc,),
            location_schedules={loc: _hours(WORKDAYS, "08:30", "17:00", note="op afspraak")}))
    # Zandvoort: an outreach spreekuur of a specialist team near home
    services.append(_svc(
        "svc-voorbeeld-specialist-zandvoort-spreekuur", "org-voorbeeld-specialist-angst-stemming",
        "Specialistische jeugd-GGZ voorbeeld: spreekuur Zandvoort",
        f"Voorbeeld: een specialistisch team houdt één dag per week spreekuur in Zandvoort, zodat gezinnen niet naar Haarlem hoeven. {EX}",
        "specialist_mh", "via_huisarts", "anxiety;low_mood;behaviour;assessment", "psycholoog", ("4", "17"),
        "nl;en", "jeugdwet", 8, "GM0473", locations=("loc-voorbeeld-cjg-zandvoort",),
        location_schedules={"loc-voorbeeld-cjg-zandvoort": _hours(("th",), "09:00", "17:00", note="op afspraak")}))
    return orgs, services, locations, gps


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
def build(raw: Path, out: Path, quiet: bool = False) -> dict:
    say = (lambda *a: None) if quiet else print
    out.mkdir(parents=True, exist_ok=True)
    buurten, wijken, kwb_pop = build_areas(raw)

    postcode_rows, pc_info = build_postcodes(raw, buurten)
    region_pc4s = {r["pc4"] for r in postcode_rows}
    youth_detail = estimate_zandvoort_youth(raw, wijken, region_pc4s)

    # gemeenten dissolved from their wijken
    area_rows, geoms = [], []
    for gm, gname in sorted(MUNIS.items()):
        ws = [w for w in wijken.values() if w["municipality_code"] == gm]
        geom = clean_geometry(shapely.union_all([w["geometry"] for w in sorted(ws, key=lambda w: w["code"])]))
        a014 = sum(w["age_0_14"] for w in ws) if all(w["age_0_14"] is not None for w in ws) else None
        a1524 = sum(w["age_15_24"] for w in ws) if all(w["age_15_24"] is not None for w in ws) else None
        src = ";".join(sorted({w["youth_source"] for w in ws}))
        pop = kwb_pop.get(gm)
        area_rows.append({"code": gm, "kind": "gemeente", "name": gname, "name_source": "cbs",
                          "parent_code": "", "municipality_code": gm, "population": _int(pop),
                          "age_0_14": _int(a014), "age_15_24": _int(a1524), "youth_source": src})
        geoms.append((gm, geom))
    for code in sorted(wijken):
        w = wijken[code]
        area_rows.append({"code": code, "kind": "wijk", "name": w["name"], "name_source": w["name_source"],
                          "parent_code": w["municipality_code"], "municipality_code": w["municipality_code"],
                          "population": _int(w["population"]), "age_0_14": _int(w["age_0_14"]),
                          "age_15_24": _int(w["age_15_24"]), "youth_source": w["youth_source"]})
        geoms.append((code, w["geometry"]))
    for r in buurten.itertuples():
        area_rows.append({"code": r.buurtcode, "kind": "buurt", "name": r.buurtnaam, "name_source": "cbs",
                          "parent_code": r.wijkcode, "municipality_code": r.gemeentecode, "population": "",
                          "age_0_14": "", "age_15_24": "", "youth_source": ""})
        geoms.append((r.buurtcode, r.geometry))
    write_csv(out / "areas.csv", COLUMNS["areas.csv"], area_rows)
    write_geojson(out / "areas.geojson", geoms)
    write_csv(out / "postcodes.csv", COLUMNS["postcodes.csv"], postcode_rows)

    # services
    facts = pd.read_csv(raw / RAW_FILES["facts"], dtype=str, keep_default_na=False)
    r_orgs, r_svcs, r_locs = build_real(facts)
    i_orgs, i_svcs, i_locs, gps = build_illustrative(buurten, wijken)
    orgs, svcs, locs = r_orgs + i_orgs, r_svcs + i_svcs, r_locs + i_locs

    # place locations
    to_wgs = Transformer.from_crs(28992, 4326, always_xy=True)
    buurt_geom = dict(zip(buurten.buurtcode, buurten.geometry))
    buurt_muni = dict(zip(buurten.buurtcode, buurten.gemeentecode))
    buurt_wijk = dict(zip(buurten.buurtcode, buurten.wijkcode))
    muni_geom = dict(geoms[:2])
    used: set[tuple[str, str]] = set()
    for loc in locs:
        kind, code = loc.pop("_place")
        if kind == "buurt":
            muni, wijk = buurt_muni[code], buurt_wijk[code]
            polygon = buurt_geom[code]
        else:
            muni = wijken[code]["municipality_code"]
            polygon = wijken[code]["geometry"]
        # No two locations on the same spot: try the polygon, then its bounding-box quadrants.
        pt, moved = None, False
        for n_try, candidate in enumerate(_candidate_points(polygon)):
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
            loc["city"] = MUNIS[muni]
            loc["_placement"] = f"representatief punt van buurt {code} ({buurten.loc[buurten.buurtcode == code, 'buurtnaam'].iloc[0]})"
        if moved:
            loc["_placement"] += "; verschoven naar een deel van het gebied, zodat twee locaties niet op hetzelfde punt staan"

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

    check_integrity(orgs, svcs, locs, sal, sched, gps, wijken)

    key = lambda r: r["id"]  # noqa: E731
    write_csv(out / "organizations.csv", COLUMNS["organizations.csv"], sorted(orgs, key=key))
    write_csv(out / "locations.csv", COLUMNS["locations.csv"],
              sorted(({k: v for k, v in loc.items() if not k.startswith("_")} for loc in locs), key=key))
    write_csv(out / "services.csv", COLUMNS["services.csv"],
              sorted(({k: v for k, v in s.items() if not k.startswith("_")} for s in svcs), key=key))
    write_csv(out / "service_at_location.csv", COLUMNS["service_at_location.csv"], sorted(sal, key=key))
    write_csv(out / "schedules.csv", COLUMNS["schedules.csv"], sorted(sched, key=key))
    write_csv(out / "gp_practices.csv", COLUMNS["gp_practices.csv"], sorted(gps, key=key))

    hap = "svc-huisartsen-spoedpost"
    region = {
        "id": "kennemerland",
        "name": "Kennemerland (Haarlem en Zandvoort)",
        "municipalities": [{"code": c, "name": n} for c, n in sorted(MUNIS.items())],
        "huisartsenpost_service_id": hap,
        "reach_m": 3000,
        "data_year": 2024,
        "province": "Noord-Holland",  # state_province of HSDS addresses
        "attribution": (
            "Bron: CBS (Wijk- en buurtkaart 2024, Kerncijfers wijken en buurten 2024, Kerncijfers per "
            "postcode 2020/2021), via PDOK, CC BY 4.0. Gegevens over hulpaanbod: openbare websites, per "
            "regel genoemd in source_url. Records met 'voorbeeld' in de naam zijn niet echt."
        ),
    }
    (out / "region.yaml").write_text(
        yaml.safe_dump(region, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    write_sources(out, locs, wijken, youth_detail, pc_info, postcode_rows, facts)

    resolved = {r["pc4"] for r in postcode_rows}
    muni_pcs = pc_info["muni_pcs"]
    cov = sum(1 for p in muni_pcs if p in resolved)
    say(f"PC4 coverage (Haarlem + Zandvoort): {cov}/{len(muni_pcs)} resolved; "
        f"{len(postcode_rows)} PC4 rows in total (extra from crosswalk: {', '.join(pc_info['extra']) or '-'})")
    if pc_info["computed"]:
        say(f"PC4s computed by own overlay: {', '.join(pc_info['computed'])}")
    stats = summarise(svcs, gps)
    say(f"services: {stats['total']} | per level: {stats['per_level']} | per status: {stats['per_status']}")
    say(f"GP practices: {stats['gp_total']}, with youth professional: {stats['gp_youth']} {stats['gp_prof']}")
    if cov != len(muni_pcs):
        raise SystemExit(f"unresolved PC4s: {pc_info['unresolved']}")
    return stats


def _candidate_points(polygon):
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


def _int(value):
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else int(value)


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
    ladder = ("self_help", "open_access", "gp_practice", "wijkteam", "basic_mh", "specialist_mh", "crisis")
    for code, w in wijken.items():
        chain = {code, w["municipality_code"], "NL"}
        for level in ladder:
            assert any(s["level"] == level and chain & set(s["service_area"].split(";")) for s in svcs), (code, level)
    for rec in orgs + svcs:
        if rec["status"] == "illustrative":
            assert "voorbeeld" in rec["name"].lower() and not rec["phone"] and not rec["source_url"], rec["id"]
        if rec["status"] == "verified":
            assert rec["source_url"] and rec["source_year"], rec["id"]


def write_sources(out: Path, locs, wijken, youth_detail, pc_info, postcode_rows, facts) -> None:
    L = []
    add = L.append
    add("# Sources and provenance: region `kennemerland` (Haarlem GM0392, Zandvoort GM0473)")
    add("")
    add("All files in this folder are generated by `scripts/build_kennemerland.py` from")
    add("`shared/data/raw` (see `shared/data/raw/PROVENANCE.md`). Do not edit them by hand: change the")
    add("script and rerun it. The build is deterministic (sorted rows, fixed dates).")
    add("")
    add("Licence of the geography and statistics: **CBS, CC BY 4.0** (\"Bron: CBS, via PDOK\"). Service")
    add("facts: public web pages named per record in `source_url`. Illustrative records: made for this")
    add("project (CC0), **not real**.")
    add("")
    add("## region.yaml")
    add("Hand-set metadata. `huisartsenpost_service_id` = `svc-huisartsen-spoedpost` (phone 023-7504567,")
    add("status `to_verify`: the number comes from a GP practice website 2025/2026 and conflicts with an")
    add("undated 023-224 25 26 on spoedpost.com; the older number is not used).")
    add("")
    add("## areas.csv and areas.geojson")
    add("- **Gemeenten** GM0392, GM0473: geometry dissolved from their wijken (below); population =")
    add("  `AantalInwoners` from `cbs_kwb_2024_gemeenten_wijken_nl/kwb_2024_85984NED_gm_wk_stripped.csv`")
    add("  (CBS 85984NED); youth = sum of the wijken.")
    add("- **Haarlem wijken** (21): full-resolution geometry from")
    add("  `pdok_cbs_wijkenbuurten_2024_haarlem/wijken_haarlem_original.gpkg` (PDOK Wijk- en buurtkaart 2024,")
    add("  filtered on gemeentecode GM0392, EPSG:28992). Population from KWB 2024; `age_0_14` =")
    add("  round(population x percentagePersonen0Tot15Jaar / 100), `age_15_24` likewise with")
    add("  percentagePersonen15Tot25Jaar (`youth_source=kwb2024_percentages`). The percentages are rounded")
    add("  to whole percents by CBS, so the counts are approximate.")
    add("- **Zandvoort wijken** (4): dissolved from the generalised buurten. Names are not in the raw data and")
    add("  are **derived** as `Wijk NN (<first buurt> e.o.)` (`name_source=derived`). Population from KWB")
    add("  2024. Youth is an **estimate** (`youth_source=pc4_2021_age_bands_estimate`): the share of")
    add("  ages 0-14 (bands 0-4, 5-9, 10-14) and 15-24 (15-19, 20-24) in the PC4s that overlap the wijk")
    add("  (CBS PC4 population 1-1-2021, `inwoners_per_postcode_leeftijd_nl_2021.csv`), weighted by the")
    add("  share of each PC4's area inside the wijk (`pc4_2020_to_wijk_2024_area_overlap.csv`), times the")
    add("  wijk's 2024 population:")
    add("")
    add("  | wijk | PC4s (area weight) | share 0-14 | share 15-24 |")
    add("  |---|---|---|---|")
    for code, d in sorted(youth_detail.items()):
        s1 = "" if d["share_0_14"] is None else f"{d['share_0_14']:.3f}"
        s2 = "" if d["share_15_24"] is None else f"{d['share_15_24']:.3f}"
        add(f"  | {code} {wijken[code]['name']} | {', '.join(d['pc4s'])} | {s1} | {s2} |")
    add("")
    add("- **Buurten** (111 Haarlem + 19 Zandvoort): generalised geometry from")
    add("  `cartomap_cbs_buurten_2024_gegeneraliseerd/buurten_2024_gegeneraliseerd_selectie_rd.geojson`")
    add("  (CBS 2024 via PDOK/cartomap). No buurt statistics were available offline: population and youth")
    add("  are empty.")
    add("- All geometries: made valid (`shapely.make_valid`), snapped to a 0.1 m grid, EPSG:28992.")
    add("  Sentinels -99995 / -99997 are treated as missing.")
    add("")
    add("## postcodes.csv")
    add("- PC4 list: every 4-digit row of `certegis_cbs_postcode4/postcodes_pc2_pc3_pc4_nl_2021.csv` whose")
    add(f"  `gemeente` is Haarlem or Zandvoort ({len(pc_info['muni_pcs'])} PC4s), plus PC4s from the derived")
    add("  crosswalk whose largest buurt lies in GM0392/GM0473 with `pc4_share_within_selected_gemeenten`")
    add(f"  >= 0.5 (added: {', '.join(pc_info['extra']) or 'none'}). `inhabitants` = CBS 1-1-2021.")
    add("- `buurt_code` = the buurt of GM0392/GM0473 with the largest overlap in")
    add("  `derived_pc4_crosswalk/pc4_2020_to_buurt_2024_area_overlap.csv`, each overlap weighted by its")
    add("  wijk's population density (`Bevolkingsdichtheid`, CBS KWB 2024): a dasymetric choice, so that a")
    add("  PC4 that is mostly dunes, water or park resolves to where its residents live; `share` = that buurt's share of")
    add("  the PC4 area; `wijk_code` and `municipality_code` = that buurt's wijk and gemeente (so the three")
    add("  codes are always one consistent chain). PC4s missing from the crosswalk would be overlaid with")
    add(f"  `pc4_2020_nl_rd.gpkg` by the script (this run: {', '.join(pc_info['computed']) or 'none needed'}).")
    add("- **Caveats.** The overlay is area-based (no address table offline), PC4 geometry is from 2020 and")
    add("  buurten from 2024 (generalised); within a wijk the density weighting cannot tell buurten apart,")
    add("  so near boundaries the resolved buurt can be a neighbour. Services in Zandvoort are given the")
    add("  whole gemeente GM0473 as service area.")
    add("")
    add("## organizations.csv, services.csv, locations.csv, service_at_location.csv, schedules.csv")
    add("### Real records (from `haarlem_public_services/services_public_facts.csv`)")
    add("- `status`: confidence high -> `verified` (`verified_at` 2026-11-01, `verified_by` \"bronbestand")
    add("  haarlem_public_services (raw)\"); medium/low -> `to_verify`. `source_url` = first URL of the row;")
    add("  `source_year` = most recent year named in the row's `source_year` (empty when 'onbekend').")
    add("- Phones normalised to one number per record (e.g. `023-750 45 67` -> `023-7504567`,")
    add("  `113 of 0800-0113` -> `113`). Descriptions are short B1 Dutch rewrites of the row. Levels, access")
    add("  routes, concerns and ages were assigned by the builder following `shared/contracts/triage.md`.")
    add("- Waiting times of real services are unknown and left empty, except 0 for phone lines, websites and")
    add("  emergency services.")
    add("- Rows mapped to services:")
    add("")
    add("  | raw service_name | record |")
    add("  |---|---|")
    for raw_name, spec in REAL_SERVICES.items():
        add(f"  | {raw_name} | `{spec['id']}` ({spec['level']}) |")
    add("")
    add("- Rows not turned into a service:")
    add("")
    add("  | raw service_name | reason |")
    add("  |---|---|")
    for raw_name, reason in SKIPPED_ROWS.items():
        add(f"  | {raw_name} | {reason} |")
    add("")
    add("- **Real addresses, placed without a geocoder.** No geocoder was available offline: each real")
    add("  address is placed at the `representative_point` of the buurt (or, when the buurt is not known,")
    add("  the wijk) that holds the street, converted to WGS84. The points are therefore approximate (up to")
    add("  a few hundred metres); all real locations have `status=to_verify`.")
    add("")
    add("  | location | address | placement |")
    add("  |---|---|---|")
    for loc in sorted(locs, key=lambda r: r["id"]):
        if loc["status"] != "illustrative":
            add(f"  | `{loc['id']}` | {loc['address']} | {loc['_placement']} |")
    add("")
    add("### Illustrative records (`status=illustrative`, not real)")
    add("Made by the builder so that the app shows what a complete social map looks like. Every one has")
    add("\"voorbeeld\" in its name, no phone number, no e-mail, no URL and no `source_url`; its description")
    add("says it is an example. Waiting times (as of 2026-10-01) are invented within the ranges of the")
    add("brief (gp_practice 0-3, wijkteam 1-4, basic_mh 3-10, specialist_mh 6-20 weeks) with a stable hash.")
    add("- **GP practices**: two per Haarlem wijk (one where the wijk has fewer than 2,500 inhabitants:")
    add("  Spaarndam, Waarder- en Veerpolder) and three in Zandvoort, each with an organisation, a location")
    add("  and a `gp_practices.csv` row. Most have a POH Jeugd, some an Ondersteuner Jeugd en Gezin (ojg) or")
    add("  SOH-JGGZ, three have none (always the second practice of a wijk, so every wijk keeps one). This")
    add("  mirrors the public fact that over 90% of the practices in Haarlem and Zandvoort work with a POH")
    add("  Jeugd. Each practice with a youth professional has a `gp_practice` service for its wijk (Zandvoort:")
    add("  the whole gemeente).")
    add("- **Per stadsdeel** (Haarlem) and for Zandvoort: a CJG location (consultatiebureau,")
    add("  opvoedspreekuur, jongerenspreekuur, Triple P, group for children of divorced parents) under the")
    add("  real CJG Kennemerland organisation, a CJG-coach op school, jongerenwerk, a sociaal wijkteam and")
    add("  ambulante gezinsbegeleiding under the real Buurts (Haarlem) / Pluspunt (Zandvoort) organisation,")
    add("  and three basis-GGZ practices (\"Praktijk voor kind en jeugd voorbeeld ...\").")
    add("- **Specialist jeugd-GGZ**: seven illustrative regional centres (serving both gemeenten) plus a")
    add("  Zandvoort spreekuur, next to the real Sparq Jeugdhulp voordeur, Kenter, Youz, Hartekamp, Levvel")
    add("  and Parlan (`to_verify`).")
    add("- **Self-help**: \"Opvoedinformatie Haarlem (voorbeeld)\" and \"Opvoedinformatie Zandvoort (voorbeeld)\"")
    add("  next to the real national sites.")
    add("- **Locations** are placed at the `representative_point` of a residential buurt in the area they")
    add("  serve (address \"voorbeeldadres\").")
    add("")
    add("#### Stadsdeel mapping (illustrative grouping, used only for the illustrative records)")
    add("")
    add("| stadsdeel | wijken |")
    add("|---|---|")
    for sd, (label, wks) in STADSDELEN.items():
        names = ", ".join(c + " " + wijken[c]["name"] for c in wks)
        add(f"| {label} | {names} |")
    add("")
    add("## gp_practices.csv")
    add("All practices are illustrative (see above). `youth_days` are the weekdays the youth professional")
    add("is in the practice; the same days appear as schedules of the practice's service.")
    add("")
    (out / "SOURCES.md").write_text("\n".join(L), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=RAW_DEFAULT, help="raw data folder (shared/data/raw)")
    parser.add_argument("--out", type=Path, default=OUT_DEFAULT, help="region folder to write")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    if not args.raw.is_dir():
        print(f"raw data folder not found: {args.raw}", file=sys.stderr)
        return 2
    build(args.raw, args.out, quiet=args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
