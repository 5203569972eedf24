#!/usr/bin/env python
"""Build the shipped region folder ``data/regions/kennemerland`` from the raw inputs.

Reads ``shared/data/raw`` (CBS geography and statistics, public service facts) and writes the
region files described in ``data/README.md``. The output is deterministic: the same raw input
gives byte-identical files (sorted rows, fixed dates, no timestamps).

    .venv/bin/python scripts/build_kennemerland.py [--raw PATH] [--out PATH]
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from regionbuild import (  # noqa: E402
    real_location, real_org,
    EX, HAP_SCHEDULE, LICENCE_NOTE, NATIONAL_ORGS, NATIONAL_SERVICES, RAW_FILES, REPO, WORKDAYS,
    area_services, build_postcodes, build_real, buurt_picker, clean_geometry, dissolved_wijken,
    estimate_youth, example_location, example_org, example_service, hours, kwb_population, main_for,
    num, read_buurten, report, residential_buurten, sched_all_week, specialist_centres, stable,
    write_region_files, write_region_yaml, youth_table,
)

OUT_DEFAULT = REPO / "data" / "regions" / "kennemerland"

MUNIS = {"GM0392": "Haarlem", "GM0473": "Zandvoort"}


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



# ---------------------------------------------------------------------------------------------
# Areas
# ---------------------------------------------------------------------------------------------
def build_areas(raw: Path):
    buurten = read_buurten(raw, MUNIS)

    wk_raw = gpd.read_file(raw / RAW_FILES["wijken"])
    if wk_raw.crs is None or wk_raw.crs.to_epsg() != 28992:
        wk_raw = wk_raw.to_crs(28992)
    hw = wk_raw[wk_raw["gemeentecode"] == "GM0392"].sort_values("wijkcode").reset_index(drop=True)
    kwb_pop = kwb_population(raw)

    wijken: dict[str, dict] = {}
    for r in hw.itertuples():
        pop = kwb_pop.get(r.wijkcode)
        p014 = num(r.percentagePersonen0Tot15Jaar)
        p1524 = num(r.percentagePersonen15Tot25Jaar)
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
    wijken.update(dissolved_wijken(buurten, "GM0473", kwb_pop))
    return buurten, wijken, kwb_pop


# ---------------------------------------------------------------------------------------------
# Public facts
# ---------------------------------------------------------------------------------------------

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
                                 "description": "Huisartsenpost voor spoed buiten kantooruren, met posten bij Spaarne Gasthuis Haarlem-Noord en Haarlem-Zuid. "
                                                "Bronnen verschillen over het nummer: 023-750 45 67 (bron 2025/2026, hier gebruikt) en 023-224 25 26 "
                                                "(spoedpost.com, ongedateerd; Huisartsen Centrum Zandvoort, ca. 2020). Nog te controleren."},
    "org-spaarne-gasthuis": {"raw": "Spaarne Gasthuis", "row": "Locatie Haarlem-Zuid: Spoedeisende Hulp (SEH) en huisartsenpost",
                             "description": "Algemeen ziekenhuis voor Zuid-Kennemerland en Haarlemmermeer."},
    **NATIONAL_ORGS,
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
    **NATIONAL_SERVICES,
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

HOSPITALS_SOURCE = ("RIVM/VZinfo ziekenhuislocaties (november 2016, gegeocodeerd door Google), via repository "
                    "nl-hugo/mapNL, data/ziekenhuizen.rdata (commit 8230866)")
REAL_LOCATIONS: dict[str, dict] = {
    "loc-spaarne-gasthuis-noord": dict(org="org-spaarne-gasthuis", name="Spaarne Gasthuis Haarlem-Noord",
                                       address="Vondelweg 999", postcode="2026 BW", city="Haarlem", place=("wijk", "WK039216"),
                                       row="Locatie Haarlem-Noord (huisartsenpost-locatie)", point=(52.422796, 4.649582),
                                       placement=f"coördinaten en postcode uit {HOSPITALS_SOURCE}"),
    "loc-spaarne-gasthuis-zuid": dict(org="org-spaarne-gasthuis", name="Spaarne Gasthuis Haarlem-Zuid",
                                      address="Boerhaavelaan 22", postcode="2035 RC", city="Haarlem", place=("wijk", "WK039219"),
                                      row="Locatie Haarlem-Zuid: Spoedeisende Hulp (SEH) en huisartsenpost", point=(52.366939, 4.652409),
                                      placement=f"coördinaten en postcode uit {HOSPITALS_SOURCE}"),
    "loc-ggd-kennemerland-zijlweg": dict(org="org-ggd-kennemerland", name="GGD Kennemerland, hoofdlocatie",
                                         address="Zijlweg 200", postcode="2015 CK", city="Haarlem", place=("wijk", "WK039205"),
                                         row="Hoofdlocatie / algemeen",
                                         placement="representatief punt van wijk Duinwijk, die vrijwel heel PC4 2015 (van 2015 CK) beslaat; "
                                                   "zonder geocoder is de precieze plek aan de Zijlweg onbekend"),
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

SCHOTERPOORT_URL = "https://schoterpoort.praktijkinfo.nl/"
HC_ZANDVOORT_URL = "https://www.hc-zandvoort.nl/hoge-werkdruk-door-corona/"
POH_UNKNOWN = ("Of in deze praktijk een praktijkondersteuner jeugd van het CJG werkt, staat niet in de bron; in ruim "
               "90% van de praktijken in Haarlem en Zandvoort is dat zo. Nog te controleren.")

# Real GP practices (sources outside the facts file; see SOURCES.md). They replace the illustrative
# practices listed in REPLACED_PRACTICES.
REAL_GP_ORGS = (
    real_org("org-huisartsenpraktijk-schoterpoort", "Huisartsenpraktijk Schoterpoort",
             "Huisartsenpraktijk in Haarlem-Noord met vier praktijken onder één dak; open op werkdagen van 8 tot 17 uur. "
             + POH_UNKNOWN, SCHOTERPOORT_URL, "023-5410345", SCHOTERPOORT_URL, "2026"),
    real_org("org-huisartsen-centrum-zandvoort", "Huisartsen Centrum Zandvoort",
             "Huisartsenpraktijk met twee locaties in Zandvoort (Centrum en Noord), lid van de Huisartsen Coöperatie "
             "Zuid-Kennemerland. Bronnen verschillen over het nummer na 17.00 uur: deze bron (ca. 2020) noemt "
             "023-224 25 26, een nieuwere bron (2025/2026) noemt voor de Huisartsen-Spoedpost 023-750 45 67. "
             + POH_UNKNOWN, "https://www.hc-zandvoort.nl/", "023-5732023", HC_ZANDVOORT_URL, "2020"),
)
REAL_GP_LOCATIONS = (
    real_location("loc-schoterpoort-pijnboomstraat", "org-huisartsenpraktijk-schoterpoort", "Huisartsenpraktijk Schoterpoort",
                  "Pijnboomstraat 19", "2023 VN", "Haarlem", ("buurten", "BU03921201;BU03921202"), SCHOTERPOORT_URL,
                  "representatief punt van de buurten Bomenbuurt-west en Bomenbuurt-oost samen (straten met boomnamen, "
                  "PC4 2023); zonder geocoder is de precieze plek onbekend"),
    real_location("loc-hc-zandvoort-centrum", "org-huisartsen-centrum-zandvoort", "Huisartsen Centrum Zandvoort, locatie Centrum",
                  "Beatrixplantsoen 1b", "2042 PW", "Zandvoort", ("buurt", "BU04730206"), HC_ZANDVOORT_URL,
                  "representatief punt van buurt Centrum (de bron noemt het 'locatie Centrum'); precieze plek onbekend"),
    real_location("loc-hc-zandvoort-noord", "org-huisartsen-centrum-zandvoort", "Huisartsen Centrum Zandvoort, locatie Noord",
                  "Thomsonstraat 1", "2041 TA", "Zandvoort", ("buurt", "BU04730105"), HC_ZANDVOORT_URL,
                  "representatief punt van buurt Nieuw Noord - wonen (de bron noemt het 'locatie Noord'; ook de "
                  "Flemingstraat ligt hier), verschoven als daar al een locatie staat; precieze plek onbekend"),
)
REAL_GP_PRACTICES = (
    ("gp-schoterpoort", "org-huisartsenpraktijk-schoterpoort", "loc-schoterpoort-pijnboomstraat",
     "svc-voorbeeld-poh-jeugd-schoterpoort"),
    ("gp-hc-zandvoort-centrum", "org-huisartsen-centrum-zandvoort", "loc-hc-zandvoort-centrum",
     "svc-voorbeeld-poh-jeugd-hc-zandvoort"),
    ("gp-hc-zandvoort-noord", "org-huisartsen-centrum-zandvoort", "loc-hc-zandvoort-noord",
     "svc-voorbeeld-poh-jeugd-hc-zandvoort"),
)
# Whether these practices have a youth professional is unknown: each points to an illustrative
# placeholder service, so the app answers "onbekend, vraag het uw praktijk" (never a fact).
UNKNOWN_YOUTH = {
    "svc-voorbeeld-poh-jeugd-schoterpoort": ("org-huisartsenpraktijk-schoterpoort", "Huisartsenpraktijk Schoterpoort",
                                             "WK039212", ("loc-schoterpoort-pijnboomstraat",)),
    "svc-voorbeeld-poh-jeugd-hc-zandvoort": ("org-huisartsen-centrum-zandvoort", "Huisartsen Centrum Zandvoort",
                                             "GM0473", ("loc-hc-zandvoort-centrum", "loc-hc-zandvoort-noord")),
}
# Illustrative practices that real ones replace: Zandvoort's three (Huisartsen Centrum Zandvoort)
# and the second practice of Ter Kleefkwartier (Schoterpoort).
REPLACED_PRACTICES = ("wk047301-1", "wk047302-1", "wk047302-2", "wk039212-2")

SKIPPED_ROWS = {
    "Eerste CJG Haarlem in gebouw Jeugdgezondheidszorg": "HISTORISCH (2008)",
    "Jeugdgezondheidszorg 0-4 jaar (consultatiebureaus) - historische uitvoerder": "HISTORISCH",
    "Huisartsenzorg avond, nacht, weekend (bron: spoedpost.com FAQ)": "conflicterend, ouder telefoonnummer 023-224 25 26",
    "Jongerenontmoetingsplekken Noord en Zuid (gepland)": "GEPLAND, nog niet in gebruik",
    "Hoofdlocatie / algemeen": "gebruikt als locatie van GGD Kennemerland; geen jeugdaanbod, afdelingsnummers niet voor het publiek",
    "Ziekenhuis Zuid-Kennemerland (o.a. kindergeneeskunde - geen details gevonden)": "geen jeugdaanbod of contact gevonden",
    "Locatie Haarlem-Noord (huisartsenpost-locatie)": "gebruikt als locatie van de Huisartsen-Spoedpost",
    "Sociaal wijkteam - locatie Ambonstraat (vermoedelijk stadsdeel Noord)": "gebruikt als locatie van de sociale wijkteams",
    "Wijksteunpunt met o.a. Sociaal Wijkteam Zandvoort en CJG": "gebruikt als locatie (CJG, wijkteam en jongerenwerk Pluspunt)",
    "Welzijnsorganisatie: jeugd- en jongerenwerk, opvoedondersteuning (o.a. Haarlem Zuidwest/Centrum)": "bronnen t/m 2021; welzijnswerk valt sinds 2023 onder Buurts, niet actueel",
    "Welzijnswerk incl. jongerenwerk en opvoedingsondersteuning (Haarlem Noord, Oost, Schalkwijk)": "adres uit 2011; welzijnswerk valt sinds 2023 onder Buurts, niet actueel",
}


def build_real_records(facts: pd.DataFrame):
    orgs, svcs, locs = build_real(facts, REAL_ORGS, REAL_SERVICES, REAL_LOCATIONS, SKIPPED_ROWS,
                                  org_phones=("org-huisartsen-spoedpost",))
    return orgs + [dict(o) for o in REAL_GP_ORGS], svcs, locs + [dict(loc) for loc in REAL_GP_LOCATIONS]


def real_gp_practices() -> tuple[list[dict], list[dict]]:
    """gp_practices rows of the real practices and their illustrative placeholder services: whether
    a POH Jeugd works there is unknown (in over 90% of practices one does, NJi)."""
    rows = [{"id": gid, "organization_id": org, "location_id": loc, "youth_professional": "poh_jeugd",
             "youth_days": "", "service_id": sid} for gid, org, loc, sid in REAL_GP_PRACTICES]
    services = []
    for sid, (org, name, area, locs) in UNKNOWN_YOUTH.items():
        svc = example_service(
            sid, org, f"POH Jeugd voorbeeld – {name}",
            f"Voorbeeld: of {name} een praktijkondersteuner jeugd heeft, is niet bekend. In ruim 90% van de "
            f"praktijken in Haarlem en Zandvoort werkt er een van het CJG. Vraag het uw praktijk. {EX}",
            "gp_practice", "via_huisarts", "anxiety;low_mood;behaviour;sleep;school;social;self_esteem;parenting",
            "poh_jeugd", ("0", "17"), "nl", "free", "", area, locations=locs)
        svc["waiting_as_of"] = ""
        services.append(svc)
    return rows, services


# ---------------------------------------------------------------------------------------------
# Illustrative records
# ---------------------------------------------------------------------------------------------
def build_illustrative(buurten: gpd.GeoDataFrame, wijken: dict):
    orgs, services, locations, gps = [], [], [], []
    wname = {c: w["name"] for c, w in wijken.items()}
    pick_buurt = buurt_picker(buurten, wijken, NON_RESIDENTIAL)

    # -- GP practices ------------------------------------------------------------------------
    practices = []
    for code in sorted(wijken):
        w = wijken[code]
        if w["municipality_code"] != "GM0392":
            continue
        n = 2 if (w["population"] or 0) >= 2500 else 1
        cands = residential_buurten(buurten, code, NON_RESIDENTIAL)
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
        if key in REPLACED_PRACTICES:
            continue
        suffix = f" {'AB'[i - 1]}" if n > 1 and f"{code.lower()}-{3 - i}" not in REPLACED_PRACTICES else ""
        pname = f"Huisartsenpraktijk voorbeeld {wname[code]}{suffix}"
        if code.startswith("WK0473"):
            pname = f"Huisartsenpraktijk voorbeeld Zandvoort {'ABC'[len([g for g in gps if g['id'].startswith('gp-wk0473')])]}"
        prof = prof_of_second.get((code, i), "poh_jeugd")
        org_id, loc_id = f"org-huisarts-{key}", f"loc-huisarts-{key}"
        orgs.append(example_org(org_id, pname, f"Voorbeeld van een huisartsenpraktijk. {EX}"))
        locations.append(example_location(loc_id, org_id, pname, ("buurt", buurt)))
        ndays = 1 + stable(key + "days", 3)
        start = stable(key + "start", 5)
        days = [WORKDAYS[(start + 2 * d) % 5] for d in range(ndays)]
        days = [d for d in WORKDAYS if d in days]
        svc_id = ""
        if prof != "none":
            svc_id = f"svc-poh-{key}"
            where = "Zandvoort" if area == "GM0473" else wname[code]
            services.append(example_service(
                svc_id, org_id, f"{prof_label[prof]} – {pname}",
                f"Voorbeeld: de {prof_label[prof]} van deze praktijk helpt kinderen, jongeren en ouders in {where} met een paar gesprekken. U maakt een afspraak via de huisarts. {EX}",
                "gp_practice", "via_huisarts",
                "anxiety;low_mood;behaviour;sleep;school;social;self_esteem;parenting;adhd_medication;assessment",
                prof, ("0", "17"), "nl;en" if stable(key + "lang", 3) == 0 else "nl", "free",
                stable(key + "wait", 4), area, locations=(loc_id,),
                location_schedules={loc_id: hours(days, "08:30", "17:00", note="op afspraak via de huisarts")}))
        gps.append({"id": f"gp-{key}", "organization_id": org_id, "location_id": loc_id,
                    "youth_professional": prof, "youth_days": ";".join(days) if prof != "none" else "",
                    "service_id": svc_id})

    # -- per stadsdeel / Zandvoort -----------------------------------------------------------
    orgs.append(example_org("org-voorbeeld-jongerenwerk-haarlem", "Jongerenwerk Haarlem (voorbeeld)",
                     f"Voorbeeld van een organisatie voor jongerenwerk. {EX}"))
    orgs.append(example_org("org-voorbeeld-opvoedinformatie", "Opvoedinformatie Haarlem en Zandvoort (voorbeeld)",
                     f"Voorbeeld van een lokale website met opvoedinformatie. {EX}"))
    services.append(example_service("svc-voorbeeld-opvoedinformatie-haarlem", "org-voorbeeld-opvoedinformatie",
                         "Opvoedinformatie Haarlem (voorbeeld)",
                         f"Voorbeeld: een website met tips over opvoeden en een overzicht van hulp in Haarlem. {EX}",
                         "self_help", "vrij_toegankelijk", "parenting;sleep;eating;development;behaviour;school", "",
                         ("0", "17"), "nl;en;ar;tr", "free", 0, "GM0392"))
    services.append(example_service("svc-voorbeeld-opvoedinformatie-zandvoort", "org-voorbeeld-opvoedinformatie",
                         "Opvoedinformatie Zandvoort (voorbeeld)",
                         f"Voorbeeld: een website met tips over opvoeden en een overzicht van hulp in Zandvoort. {EX}",
                         "self_help", "vrij_toegankelijk", "parenting;sleep;eating;development;behaviour;school", "",
                         ("0", "17"), "nl;en", "free", 0, "GM0473"))

    for sd, (label, wks) in STADSDELEN.items():
        zandvoort = sd == "zandvoort"
        o, s, lc = area_services(
            sd, label, "GM0473" if zandvoort else ";".join(wks),
            f"in {label}" if zandvoort else f"in stadsdeel {label}", AREA_LANGUAGES[sd],
            lambda slot, wks=wks: pick_buurt(wks, slot), "org-cjg-kennemerland",
            "org-pluspunt-zandvoort" if zandvoort else "org-voorbeeld-jongerenwerk-haarlem",
            "org-pluspunt-zandvoort" if zandvoort else "org-buurts")
        orgs += o
        services += s
        locations += lc

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
    o, s, lc = specialist_centres(
        spec_defs, lambda sd, k: (STADSDELEN[sd][0], pick_buurt(STADSDELEN[sd][1], 6 + k)), BOTH)
    orgs += o
    services += s
    locations += lc
    # Zandvoort: an outreach spreekuur of a specialist team near home
    services.append(example_service(
        "svc-voorbeeld-specialist-zandvoort-spreekuur", "org-voorbeeld-specialist-angst-stemming",
        "Specialistische jeugd-GGZ voorbeeld: spreekuur Zandvoort",
        f"Voorbeeld: een specialistisch team houdt één dag per week spreekuur in Zandvoort, zodat gezinnen niet naar Haarlem hoeven. {EX}",
        "specialist_mh", "via_huisarts", "anxiety;low_mood;behaviour;assessment", "psycholoog", ("4", "17"),
        "nl;en", "jeugdwet", 8, "GM0473", locations=("loc-voorbeeld-cjg-zandvoort",),
        location_schedules={"loc-voorbeeld-cjg-zandvoort": hours(("th",), "09:00", "17:00", note="op afspraak")}))
    rows, placeholders = real_gp_practices()  # the real practices, next to the illustrative ones
    gps += rows
    services += placeholders
    return orgs, services, locations, gps


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
def build(raw: Path, out: Path, quiet: bool = False) -> dict:
    say = (lambda *a: None) if quiet else print
    out.mkdir(parents=True, exist_ok=True)
    buurten, wijken, kwb_pop = build_areas(raw)

    postcode_rows, pc_info = build_postcodes(raw, buurten, MUNIS)
    region_pc4s = {r["pc4"] for r in postcode_rows}
    youth_detail = estimate_youth(raw, wijken, region_pc4s, {"GM0473"})

    facts, orgs, svcs, locs, gps = write_region_files(
        raw, out, MUNIS, buurten, wijken, kwb_pop, postcode_rows, build_real_records, build_illustrative)

    region = {
        "id": "kennemerland",
        "name": "Kennemerland (Haarlem en Zandvoort)",
        "municipalities": [{"code": c, "name": n} for c, n in sorted(MUNIS.items())],
        "huisartsenpost_service_id": "svc-huisartsen-spoedpost",
        "reach_m": 3000,
        "data_year": 2024,
        "province": "Noord-Holland",  # state_province of HSDS addresses
        "attribution": (
            "Bron: CBS (Wijk- en buurtkaart 2024, Kerncijfers wijken en buurten 2024, Kerncijfers per "
            "postcode 2020/2021), via PDOK, CC BY 4.0. Gegevens over hulpaanbod: openbare websites, per "
            "regel genoemd in source_url. Records met 'voorbeeld' in de naam zijn niet echt."
        ),
    }
    write_region_yaml(out, region)
    write_sources(out, locs, wijken, youth_detail, pc_info, postcode_rows, facts)
    return report(say, "Haarlem + Zandvoort", postcode_rows, pc_info, svcs, gps)


def write_sources(out: Path, locs, wijken, youth_detail, pc_info, postcode_rows, facts) -> None:
    L = []
    add = L.append
    add("# Sources and provenance: region `kennemerland` (Haarlem GM0392, Zandvoort GM0473)")
    add("")
    add("All files in this folder are generated by `scripts/build_kennemerland.py` from")
    add("`shared/data/raw` (see `shared/data/raw/PROVENANCE.md`). Do not edit them by hand: change the")
    add("script and rerun it. The build is deterministic (sorted rows, fixed dates).")
    add("")
    L.extend(LICENCE_NOTE)
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
    L.extend(youth_table(youth_detail, wijken))
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
    add("### Real GP practices (sources outside the facts file)")
    add("- **Huisartsenpraktijk Schoterpoort** (Haarlem-Noord): address Pijnboomstraat 19, 2023 VN, general")
    add("  phone 023-541 03 45, opening hours Mon-Fri 08:00-17:00, from the practice website")
    add(f"  {SCHOTERPOORT_URL} as reproduced in the repository `han-s-kl/schoterpoort`, `src/data/practices.json`")
    add("  (commit 0059a520, commits 2025-2026; `source_year` 2026). Names of staff are left out. The file names two")
    add("  POH-GGZ and no POH Jeugd.")
    add("- **Huisartsen Centrum Zandvoort**: locations Centrum (Beatrixplantsoen 1b, 2042 PW) and Noord")
    add(f"  (Thomsonstraat 1, 2041 TA), phone 023-573 20 23, from {HC_ZANDVOORT_URL} (about 2020, a corona")
    add("  article; `source_year` 2020). **Conflict, kept in the organisation's description:** the page gives")
    add("  023-224 25 26 after 17:00, the number that the facts file marks as older; the newer source")
    add("  (2025/2026) gives 023-750 45 67 for the Huisartsen-Spoedpost.")
    add("- Both are `to_verify`. Whether a POH Jeugd works there is not in the sources (NJi: over 90% of the")
    add("  practices in Haarlem and Zandvoort work with one). Their `gp_practices.csv` rows therefore point to an")
    add("  **illustrative placeholder** service (" + ", ".join(f"`{k}`" for k in UNKNOWN_YOUTH) + "), whose")
    add("  description says it is not known; the app then answers \"onbekend, vraag het uw praktijk\" and never")
    add("  states a youth professional for these practices as a fact.")
    add("- They replace illustrative practices: " + ", ".join(f"`gp-{k}`" for k in REPLACED_PRACTICES)
        + " (Zandvoort's three and the second practice of Ter Kleefkwartier, where Schoterpoort lies).")
    add("")
    add("### Where real locations stand")
    add(f"- **Spaarne Gasthuis** Haarlem-Noord and Haarlem-Zuid: coordinates and postcodes from {HOSPITALS_SOURCE}.")
    add("  Same addresses as the facts file.")
    add("- **All other real addresses are placed without a geocoder** (none was available offline): at the")
    add("  `representative_point` of the buurt (or buurten, or the wijk) that holds the street, converted to")
    add("  WGS84. These points are approximate (up to a few hundred metres). All real locations have")
    add("  `status=to_verify`.")
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
    add("  Spaarndam, Waarder- en Veerpolder; in Ter Kleefkwartier the real Schoterpoort is the second),")
    add("  each with an organisation, a location and a `gp_practices.csv` row (Zandvoort: only the real")
    add("  Huisartsen Centrum Zandvoort). Most have a POH Jeugd, some an Ondersteuner Jeugd en Gezin (ojg) or")
    add("  SOH-JGGZ, two have none (always the second practice of a wijk, so every wijk keeps one). This")
    add("  mirrors the public fact that over 90% of the practices in Haarlem and Zandvoort work with a POH")
    add("  Jeugd. Each illustrative practice with a youth professional has a `gp_practice` service for its wijk.")
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
    add("All practices are illustrative except the three real rows above. `youth_days` are the weekdays the")
    add("youth professional is in the practice; the same days appear as schedules of the practice's service")
    add("(empty for the real practices: not known).")
    add("")
    (out / "SOURCES.md").write_text("\n".join(L), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    return main_for(build, __doc__, OUT_DEFAULT, argv)


if __name__ == "__main__":
    sys.exit(main())
