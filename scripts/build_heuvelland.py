#!/usr/bin/env python
"""Build the shipped region folder ``data/regions/heuvelland`` from the raw inputs.

Maastricht-Heuvelland: Maastricht (GM0935), Meerssen (GM0938), Valkenburg aan de Geul (GM0994)
and Eijsden-Margraten (GM1903). Reads ``shared/data/raw`` and writes the region files described in
``data/README.md``; the same raw input gives byte-identical files (sorted rows, fixed dates).

    .venv/bin/python scripts/build_heuvelland.py [--raw PATH] [--out PATH]
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from regionbuild import (  # noqa: E402
    real_org, real_service,
    EX, HAP_SCHEDULE, LICENCE_NOTE, NATIONAL_ORGS, NATIONAL_SERVICES, REPO, WORKDAYS,
    area_services, build_postcodes, build_real, buurt_picker, dissolved_wijken, estimate_youth,
    example_location, example_org, example_service, hours, kwb_population, main_for, read_buurten,
    report, residential_buurten, specialist_centres, stable, write_region_files, write_region_yaml,
    youth_table,
)

OUT_DEFAULT = REPO / "data" / "regions" / "heuvelland"

MUNIS = {"GM0935": "Maastricht", "GM0938": "Meerssen", "GM0994": "Valkenburg aan de Geul",
         "GM1903": "Eijsden-Margraten"}
ALL = ";".join(sorted(MUNIS))

# The Heuvelland model of the POH Jeugd: eight POH Jeugd (about 5 fte) linked to 52 GP practices in
# the four municipalities (GGD Zuid-Limburg evaluation of the GP-CJG pilots). The practices and
# POH Jeugd below are illustrative; only their numbers follow the model.
N_PRACTICES = 52
POH_PER_MUNI = {"GM0935": 5, "GM0938": 1, "GM0994": 1, "GM1903": 1}

# Areas of the illustrative local services (our own grouping of CBS wijken, see SOURCES.md).
AREAS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "maastricht-centrum": ("Maastricht Centrum en Zuid-West", ("WK093500", "WK093501"), ""),
    "maastricht-west": ("Maastricht West en Noord-West", ("WK093502", "WK093503"), ""),
    "maastricht-oost": ("Maastricht Oost en Noord-Oost", ("WK093504", "WK093505"), ""),
    "maastricht-zuid-oost": ("Maastricht Zuid-Oost", ("WK093506",), ""),
    "meerssen": ("Meerssen", ("WK093800", "WK093801", "WK093802"), "GM0938"),
    "valkenburg": ("Valkenburg aan de Geul", ("WK099400", "WK099401", "WK099402", "WK099403", "WK099404",
                                              "WK099405"), "GM0994"),
    "eijsden-margraten": ("Eijsden-Margraten", ("WK190300", "WK190301", "WK190302", "WK190303", "WK190304",
                                                "WK190305"), "GM1903"),
}
# Buurten (mostly) without homes: never used to place an illustrative location.
NON_RESIDENTIAL = {"Beatrixhaven", "Bosscherveld", "Lanakerveld", "Verspreide huizen"}

SPECIALIST = (
    ("heuvelland-angst-stemming", "angst en somberheid", "anxiety;low_mood;withdrawal;self_esteem", "psycholoog", "maastricht-centrum", ("6", "17")),
    ("heuvelland-adhd-autisme", "ADHD en autisme: onderzoek en behandeling", "assessment;adhd_medication;behaviour;social;development", "jeugdpsychiater", "maastricht-oost", ("4", "17")),
    ("heuvelland-eetproblemen", "eetproblemen", "eating;low_mood;anxiety", "jeugdpsychiater", "maastricht-zuid-oost", ("10", "23")),
    ("heuvelland-trauma", "trauma", "trauma;anxiety;sleep;behaviour", "psycholoog", "maastricht-west", ("4", "23")),
    ("heuvelland-jonge-kind", "het jonge kind (0-6)", "development;behaviour;sleep;eating;parenting;assessment", "orthopedagoog", "maastricht-centrum", ("0", "6")),
)

HAP = {
    "org": "org-huisartsenpost-maastricht-heuvelland",
    "service": "svc-huisartsenpost-maastricht-heuvelland",
    "name": "Huisartsenpost Maastricht & Heuvelland",
    "phone": "043-3877777",
    "url": "https://hapmaastricht.nl/",
    "source_url": "https://hapmaastricht.nl/en/organization/",
}


# ---------------------------------------------------------------------------------------------
# Real records
# ---------------------------------------------------------------------------------------------
def build_real_records(facts: pd.DataFrame):
    """The national lines (public-facts file) and the Huisartsenpost Maastricht & Heuvelland.

    The huisartsenpost's page is undated: ``source_year`` stays empty, which data/README.md
    defines as "year of the source unknown", and the record is ``to_verify``.
    """
    skipped = {name: "regionaal aanbod van Kennemerland" for name in facts["service_name"]
               if name not in NATIONAL_SERVICES}
    orgs, svcs, locs = build_real(facts, NATIONAL_ORGS, NATIONAL_SERVICES, {}, skipped)
    orgs.append(real_org(
        HAP["org"], HAP["name"],
        "Samenwerking van alle huisartsen in Eijsden-Margraten, Maastricht, Meerssen en Valkenburg aan de Geul "
        "voor spoed buiten kantooruren.", HAP["url"], HAP["phone"], HAP["source_url"], ""))
    svcs.append(real_service(
        HAP["service"], HAP["org"], HAP["name"],
        "Voor dringende medische zorg die niet kan wachten tot de volgende werkdag: 's avonds, 's nachts, in het "
        "weekend en op feestdagen. Bel altijd eerst; zonder afspraak binnenlopen kan niet. Bij levensgevaar belt u 112.",
        "crisis", "direct", "huisarts", ("0", "23"), "insured", ALL, HAP["phone"], HAP["url"], HAP["source_url"], "",
        waiting=0, schedules=HAP_SCHEDULE))
    return orgs, svcs, locs


# ---------------------------------------------------------------------------------------------
# Illustrative records
# ---------------------------------------------------------------------------------------------
def allocate_practices(wijken: dict) -> dict[str, int]:
    """52 practices over the wijken in proportion to their population (largest remainder)."""
    pops = {c: (w["population"] or 0) for c, w in sorted(wijken.items())}
    total = sum(pops.values())
    quota = {c: N_PRACTICES * p / total for c, p in pops.items()}
    alloc = {c: int(q) for c, q in quota.items()}
    rest = sorted(pops, key=lambda c: (-(quota[c] - alloc[c]), c))
    for c in rest[: N_PRACTICES - sum(alloc.values())]:
        alloc[c] += 1
    return alloc


def build_practices(buurten: gpd.GeoDataFrame, wijken: dict):
    """52 illustrative GP practices and the 8 illustrative POH Jeugd who serve them.

    Each POH Jeugd is one ``gp_practice`` service with a location per practice it serves; at each
    practice it works one half day a week (never two practices at the same time).
    """
    orgs, services, locations, gps = [], [], [], []
    buurt_name = dict(zip(buurten.buurtcode, buurten.buurtnaam))
    alloc = allocate_practices(wijken)
    practices = []  # (key, wijk, buurt)
    for code in sorted(wijken):
        cands = residential_buurten(buurten, code, NON_RESIDENTIAL)
        for i in range(alloc[code]):
            practices.append((f"{code.lower()}-{i + 1}", code, cands[i % len(cands)]))
    names: dict[str, int] = {}
    orgs.append(example_org("org-voorbeeld-poh-jeugd-heuvelland", "POH Jeugd Heuvelland (voorbeeld)",
                            f"Voorbeeld van de organisatie van de praktijkondersteuners jeugd in de huisartsenpraktijken. {EX}"))
    groups: list[tuple[str, list[tuple[str, str, str]]]] = []
    for muni, n_poh in POH_PER_MUNI.items():
        own = [p for p in practices if wijken[p[1]]["municipality_code"] == muni]
        size, extra = divmod(len(own), n_poh)
        start = 0
        for k in range(n_poh):
            end = start + size + (1 if k < extra else 0)
            groups.append((muni, own[start:end]))
            start = end
    for n, (muni, group) in enumerate(groups, start=1):
        svc_id = f"svc-voorbeeld-poh-jeugd-heuvelland-{n}"
        if POH_PER_MUNI[muni] == 1:
            area, where = muni, MUNIS[muni]
        else:
            area = ";".join(sorted({p[1] for p in group}))
            where = MUNIS[muni] + " (" + ", ".join(sorted({buurt_name[p[2]] for p in group})) + ")"
        loc_hours = {}
        for slot, (key, wijk, buurt) in enumerate(group):
            base = f"Huisartsenpraktijk voorbeeld {buurt_name[buurt]}"
            if muni != "GM0935":
                base += f" ({MUNIS[muni]})"
            names[base] = names.get(base, 0) + 1
            pname = base if names[base] == 1 else f"{base} {'ABCDEFGH'[names[base] - 1]}"
            org_id, loc_id = f"org-huisarts-{key}", f"loc-huisarts-{key}"
            orgs.append(example_org(org_id, pname, f"Voorbeeld van een huisartsenpraktijk. {EX}"))
            locations.append(example_location(loc_id, org_id, pname, ("buurt", buurt)))
            day = WORKDAYS[slot // 2 % 5]
            opens, closes = ("08:30", "12:30") if slot % 2 == 0 else ("13:00", "17:00")
            loc_hours[loc_id] = hours((day,), opens, closes, note="op afspraak via de huisarts")
            gps.append({"id": f"gp-{key}", "organization_id": org_id, "location_id": loc_id,
                        "youth_professional": "poh_jeugd", "youth_days": day, "service_id": svc_id})
        services.append(example_service(
            svc_id, "org-voorbeeld-poh-jeugd-heuvelland", f"POH Jeugd voorbeeld Heuvelland {n}",
            f"Voorbeeld: deze praktijkondersteuner jeugd werkt in {len(group)} huisartsenpraktijken in {where}, "
            f"elke praktijk een dagdeel per week. Een paar gesprekken voor kinderen, jongeren en ouders; u maakt "
            f"een afspraak via de huisarts. {EX}",
            "gp_practice", "via_huisarts",
            "anxiety;low_mood;behaviour;sleep;school;social;self_esteem;parenting;adhd_medication;assessment",
            "poh_jeugd", ("0", "17"), "nl;en" if muni == "GM0935" else "nl", "free",
            stable(svc_id + "wait", 4), area, locations=tuple(loc_hours), location_schedules=loc_hours))
    return orgs, services, locations, gps


def build_illustrative(buurten: gpd.GeoDataFrame, wijken: dict):
    orgs, services, locations, gps = build_practices(buurten, wijken)
    pick_buurt = buurt_picker(buurten, wijken, NON_RESIDENTIAL)
    orgs.append(example_org("org-voorbeeld-jgz-heuvelland", "Jeugdgezondheidszorg en CJG Heuvelland (voorbeeld)",
                            f"Voorbeeld van een organisatie voor jeugdgezondheidszorg en opvoedvragen. {EX}"))
    orgs.append(example_org("org-voorbeeld-jongerenwerk-heuvelland", "Jongerenwerk Heuvelland (voorbeeld)",
                            f"Voorbeeld van een organisatie voor jongerenwerk. {EX}"))
    orgs.append(example_org("org-voorbeeld-wijkteams-heuvelland", "Sociale wijkteams Heuvelland (voorbeeld)",
                            f"Voorbeeld van de organisatie van de sociale wijkteams. {EX}"))
    for sd, (label, wks, gemeente) in AREAS.items():
        o, s, lc = area_services(
            sd, label, gemeente or ";".join(wks), f"in {label}", "nl;en" if not gemeente else "nl",
            lambda slot, wks=wks: pick_buurt(wks, slot), "org-voorbeeld-jgz-heuvelland",
            "org-voorbeeld-jongerenwerk-heuvelland", "org-voorbeeld-wijkteams-heuvelland")
        orgs += o
        services += s
        locations += lc
    o, s, lc = specialist_centres(SPECIALIST, lambda sd, k: (AREAS[sd][0], pick_buurt(AREAS[sd][1], 6 + k)), ALL)
    orgs += o
    services += s
    locations += lc
    return orgs, services, locations, gps


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
def build(raw: Path, out: Path, quiet: bool = False) -> dict:
    say = (lambda *a: None) if quiet else print
    out.mkdir(parents=True, exist_ok=True)
    buurten = read_buurten(raw, MUNIS)
    kwb_pop = kwb_population(raw)
    wijken: dict[str, dict] = {}
    for muni in sorted(MUNIS):
        wijken.update(dissolved_wijken(buurten, muni, kwb_pop))

    postcode_rows, pc_info = build_postcodes(raw, buurten, MUNIS)
    youth_detail = estimate_youth(raw, wijken, {r["pc4"] for r in postcode_rows}, set(MUNIS))

    facts, orgs, svcs, locs, gps = write_region_files(
        raw, out, MUNIS, buurten, wijken, kwb_pop, postcode_rows, build_real_records, build_illustrative)

    write_region_yaml(out, {
        "id": "heuvelland",
        "name": "Maastricht-Heuvelland",
        "municipalities": [{"code": c, "name": n} for c, n in sorted(MUNIS.items())],
        "huisartsenpost_service_id": HAP["service"],
        "reach_m": 5000,
        "data_year": 2024,
        "province": "Limburg",  # state_province of HSDS addresses
        "attribution": (
            "Bron: CBS (Wijk- en buurtkaart 2024, Kerncijfers wijken en buurten 2024, Kerncijfers per "
            "postcode 2020/2021), via PDOK, CC BY 4.0. Gegevens over hulpaanbod: openbare websites, per "
            "regel genoemd in source_url. Records met 'voorbeeld' in de naam zijn niet echt."
        ),
    })
    write_sources(out, locs, wijken, youth_detail, pc_info, gps, svcs)
    return report(say, "Maastricht, Meerssen, Valkenburg aan de Geul, Eijsden-Margraten",
                  postcode_rows, pc_info, svcs, gps)


def write_sources(out: Path, locs, wijken, youth_detail, pc_info, gps, svcs) -> None:
    L: list[str] = []
    add = L.append
    add("# Sources and provenance: region `heuvelland` (Maastricht GM0935, Meerssen GM0938, "
        "Valkenburg aan de Geul GM0994, Eijsden-Margraten GM1903)")
    add("")
    add("All files in this folder are generated by `scripts/build_heuvelland.py` from `shared/data/raw`")
    add("(see `shared/data/raw/PROVENANCE.md`), with the parts it shares with Kennemerland in")
    add("`scripts/regionbuild.py`. Do not edit them by hand: change the script and rerun it. The build is")
    add("deterministic (sorted rows, fixed dates).")
    add("")
    L.extend(LICENCE_NOTE)
    add("")
    add("## region.yaml")
    add(f"`huisartsenpost_service_id` = `{HAP['service']}` (phone 043-387 77 77, status `to_verify`,")
    add(f"source {HAP['source_url']}, an undated page: `source_year` is empty = year unknown, see")
    add("`data/README.md`). `reach_m` = 5000: the Heuvelland villages lie further apart than Haarlem's wijken.")
    add("`province` = Limburg: the `state_province` of addresses in the HSDS exports.")
    add("")
    add("## areas.csv and areas.geojson")
    add("- **Gemeenten**: geometry dissolved from their wijken; population = `AantalInwoners` of CBS KWB 2024")
    add("  (`cbs_kwb_2024_gemeenten_wijken_nl/kwb_2024_85984NED_gm_wk_stripped.csv`, 85984NED); youth = sum")
    add("  of the wijken.")
    add(f"- **Wijken** ({len(wijken)}): dissolved from the generalised buurten (code convention `WK` +")
    add("  buurtcode[2:8]). CBS wijk names are not in the raw data: each is **derived** as")
    add("  `Wijk NN (<first buurt> e.o.)` (`name_source=derived`). Population from KWB 2024. Youth is an")
    add("  **estimate** (`youth_source=pc4_2021_age_bands_estimate`): the share of ages 0-14 and 15-24 in the")
    add("  PC4s that overlap the wijk (CBS PC4 population 1-1-2021), weighted by the share of each PC4's area")
    add("  inside the wijk, times the wijk's 2024 population:")
    add("")
    L.extend(youth_table(youth_detail, wijken))
    add("")
    add("- **Buurten**: generalised geometry and CBS names from")
    add("  `cartomap_cbs_buurten_2024_gegeneraliseerd/buurten_2024_gegeneraliseerd_selectie_rd.geojson`.")
    add("  No buurt statistics were available offline: population and youth are empty.")
    add("- All geometries: made valid, snapped to a 0.1 m grid, EPSG:28992.")
    add("")
    add("## postcodes.csv")
    add("- PC4 list: every 4-digit row of `certegis_cbs_postcode4/postcodes_pc2_pc3_pc4_nl_2021.csv` whose")
    add(f"  `gemeente` is one of the four ({len(pc_info['muni_pcs'])} PC4s: {', '.join(pc_info['muni_pcs'])}),")
    add(f"  plus crosswalk PC4s lying mostly in them (added: {', '.join(pc_info['extra']) or 'none'}).")
    add("- `buurt_code`: as for Kennemerland, the buurt with the largest overlap in")
    add("  `derived_pc4_crosswalk/pc4_2020_to_buurt_2024_area_overlap.csv`, each overlap weighted by its wijk's")
    add("  population density (CBS KWB 2024), so a PC4 that is mostly fields or woods resolves to where its")
    add("  residents live. Within a wijk the density cannot tell buurten apart, so the overlap with a CBS")
    add("  buurt \"Verspreide huizen\" (the thinly built rural rest of a wijk) counts for 5% only. Area-based,")
    add("  not address-based: near boundaries the buurt can be a neighbour.")
    add("")
    add("## Real records")
    add("- **National lines** (112, 113, Veilig Thuis, De Kindertelefoon, Centrum Seksueel Geweld, JouwGGD,")
    add("  Opvoeden.nl, Ouders.nl, Jongeren Hulp Online): the same records as in Kennemerland, from")
    add("  `haarlem_public_services/services_public_facts.csv`, service area `NL`.")
    add(f"- **{HAP['name']}** (`{HAP['service']}`): co-operation of all GPs in Eijsden-Margraten,")
    add("  Maastricht, Meerssen and Valkenburg aan de Geul; out of office hours (17:00-08:00), weekends and")
    add("  holidays; phone 043-387 77 77; call first, no walk-in. Sources: " + HAP["source_url"] + " and")
    add("  https://hapmaastricht.nl/fr/faq (both undated): `status=to_verify`, `source_year` empty (unknown).")
    add("  No location: the post is reached by phone first.")
    add("")
    add("## Illustrative records (`status=illustrative`, not real)")
    add("Every one has \"voorbeeld\" in its name, no phone, e-mail, URL or `source_url`; its description says")
    add("it is an example. Waiting times (as of 2026-10-01) are invented with a stable hash.")
    poh = [s for s in svcs if s["level"] == "gp_practice"]
    add(f"- **GP practices and POH Jeugd, in the Heuvelland model**: {len(gps)} practices and {len(poh)} POH")
    add("  Jeugd (the numbers of the GGD Zuid-Limburg evaluation: eight POH Jeugd, about 5 fte, linked to 52")
    add("  practices). Practices are spread over the wijken in proportion to their population (largest")
    add("  remainder) and placed in residential buurten. Maastricht has five POH Jeugd, each of the other")
    add("  municipalities one. Each POH Jeugd is one `gp_practice` service serving several practices: one")
    add("  location per practice and one half day a week in each (`youth_days`).")
    add("")
    add("  | POH Jeugd | practices | service area |")
    add("  |---|---|---|")
    for s in poh:
        n = sum(1 for g in gps if g["service_id"] == s["id"])
        add(f"  | `{s['id']}` | {n} | {s['service_area']} |")
    add("")
    add("- **Per area** (own grouping below): a JGZ/CJG location (consultatiebureau, opvoedspreekuur,")
    add("  jongerenspreekuur, Triple P, group for children of divorced parents, CJG-coach op school),")
    add("  jongerenwerk, a sociaal wijkteam with ambulante gezinsbegeleiding and three basis-GGZ practices.")
    add(f"- **Specialist jeugd-GGZ**: {len(SPECIALIST)} regional centres serving all four municipalities.")
    add("- **Locations** are placed at the `representative_point` of a residential buurt of the area they")
    add("  serve (address \"voorbeeldadres\").")
    add("")
    add("| area | wijken |")
    add("|---|---|")
    for label, wks, _ in AREAS.values():
        add(f"| {label} | {', '.join(c + ' ' + wijken[c]['name'] for c in wks)} |")
    add("")
    add("## gp_practices.csv")
    add("All practices are illustrative. `youth_days` is the weekday the POH Jeugd is in the practice; the")
    add("same half day appears as a schedule of the POH's service at the practice's location.")
    add("")
    (out / "SOURCES.md").write_text("\n".join(L), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    return main_for(build, __doc__, OUT_DEFAULT, argv)


if __name__ == "__main__":
    sys.exit(main())
