"""Open Referral HSDS 3.0 export (JSON, tabular zip, GeoJSON) and reading HSDS back into rows.

The Dutch extension is documented as a profile in ``docs/hsds-profile.md``. In short:

* **JSON** (``export_document``): ``{"hsds_version", "profile", "license", "attribution",
  "organizations"}`` where ``organizations`` is an HSDS ``organization_package`` (a list of
  Organization objects with their ``locations`` and ``services``).
* **Tabular** (``export_tabular_zip``): every table of the official ``datapackage.json`` (plural
  file names, every column), with that ``datapackage.json`` (plus licence and sources) inside the
  zip. Free-text cells starting with ``=``, ``+``, ``-`` or ``@`` get a leading ``'`` so that a
  spreadsheet does not run them as formulas; structured columns (ids, phones, numbers) are not
  touched.
* **GeoJSON** (``export_geojson``): RFC 7946 (WGS84 ``[lon, lat]``, no ``crs``): the CBS areas as
  polygons and the locations as points.

Honest semantics: illustrative records are left out unless ``include_illustrative=True``; then
they are ``inactive`` with an ``alert`` saying they are examples. ``to_verify`` services carry an
alert. Care levels, concerns, access routes and professions are HSDS taxonomies; each value is
one ``attribute`` pointing at its term, so ``taxonomy_term_id`` filters work. Other Dutch fields
travel as attributes ``socialmap:<column>`` of the ``socialmap-fields`` taxonomy. The curation
history (``.history/log.jsonl``) becomes ``metadata`` rows.

Ids: every record gets a stable UUIDv5 (region id, table, own id); the own id travels in the
attribute ``socialmap:id``. Export then import gives back the same rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import re
import uuid
import zipfile
from pathlib import Path
from typing import Any

from .. import i18n, vocab
from ..schema import TABLES
from . import store

NAMESPACE = uuid.UUID("6f1c1f0e-4a57-5d1a-9a53-736f6369616c")  # fixed: ids stay the same between exports
PREFIX = "socialmap:"
HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/socialmap/socialmap/blob/main/docs/hsds-profile.md"
OFFICIAL = Path(__file__).parent / "hsds-3.0"
CBS_LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
               "title": "Creative Commons Attribution 4.0 (CBS geography and population figures)"}
DATA_LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 (the social map's own records)"}
#: A CBS area as a resolvable URI: the feature in PDOK's OGC API of the CBS Wijk- en buurtkaart.
CBS_AREA_URI = "https://api.pdok.nl/cbs/wijken-en-buurten-{year}/ogc/v1/collections/{collection}/items?{key}={code}"
_CBS_COLLECTION = {"GM": ("gemeenten", "gemeentecode"), "WK": ("wijken", "wijkcode"), "BU": ("buurten", "buurtcode")}
NL_URI = "https://www.iso.org/obp/ui/#iso:code:3166:NL"

_WEEKDAY = {"mo": "MO", "tu": "TU", "we": "WE", "th": "TH", "fr": "FR", "sa": "SA", "su": "SU"}
_WEEKDAY_BACK = {v: k for k, v in _WEEKDAY.items()}
_FORMULA_START = ("=", "+", "-", "@")

#: Published taxonomies: name -> (our column, description). One attribute per term.
TAXONOMIES: dict[str, tuple[str, str]] = {
    "socialmap-care-levels": ("level", "Zorgniveaus van de zorgroute jeugd (triagecontract v2), lichtste eerst"),
    "socialmap-concerns": ("concerns", "Zorgen of vragen waarvoor een aanbod bedoeld is"),
    "socialmap-access-routes": ("access_route", "Hoe je bij een aanbod komt (vrij toegankelijk, via de huisarts, ...)"),
    "socialmap-professions": ("professional", "Beroep van wie de hulp geeft"),
    "socialmap-fields": ("", "Overige velden van het socialmap-profiel, als attribuut met de celtekst als value"),
}
TAXONOMY_OF = {col: name for name, (col, _) in TAXONOMIES.items() if col}
_LABEL_KIND = {"level": "level", "concerns": "concern", "access_route": "access", "professional": "professional"}

#: Columns carried as ``socialmap-fields`` attributes (per our table).
ATTR_FIELDS: dict[str, tuple[str, ...]] = {
    "organizations.csv": ("phone", "status", "verified_at", "verified_by", "source_url", "source_year"),
    "locations.csv": ("address", "postcode", "city", "municipality_code", "status", "verified_at", "source_url"),
    "services.csv": ("phone", "age_min", "age_max", "cost", "waiting_weeks", "waiting_as_of", "status", "verified_by",
                     "source_url", "source_year"),
    "schedules.csv": ("kind",),
    "service_at_location.csv": (),
}
HSDS_FILES = ("organizations.csv", "locations.csv", "services.csv", "service_at_location.csv",
              "schedules.csv", "gp_practices.csv")

_COST_TEXT = {
    "free": ("Gratis.", 0.0),
    "jeugdwet": ("Gratis voor ouders: de gemeente betaalt (Jeugdwet), meestal na een verwijzing of beschikking.", 0.0),
    "insured": ("Vergoed via de zorgverzekering (eigen risico kan gelden).", None),
    "paid": ("Zelf betalen.", None),
}
_ACCESS_TEXT = {
    "vrij_toegankelijk": "Vrij toegankelijk: zonder verwijzing; bel, mail of loop binnen.",
    "via_huisarts": "Via de huisarts: bespreek het eerst met de huisarts of de praktijkondersteuner jeugd; "
                    "die verwijst zo nodig door.",
    "via_wijkteam": "Via het sociaal wijkteam (of CJG): zij bekijken samen met u wat nodig is en regelen zo nodig "
                    "een beschikking.",
    "via_jeugdarts": "Via de jeugdarts of jeugdverpleegkundige (JGZ/consultatiebureau).",
    "direct": "Direct: bel of ga er meteen heen.",
}
ALERT_ILLUSTRATIVE = ("Voorbeeld: dit record is illustratief en bestaat niet echt. Niet gebruiken om door te "
                      "verwijzen. (Example: an illustrative record, not a real service.)")
ALERT_TO_VERIFY = ("Nog niet geverifieerd: gegevens uit openbare bronnen, controleer ze voordat u verwijst. "
                   "(Not yet verified: check before referring.)")


@functools.lru_cache(maxsize=4096)
def _ns_bytes(namespace: str) -> bytes:
    return bytes.fromhex(namespace.replace("-", ""))


def uuid5(namespace: str | uuid.UUID, name: str) -> str:
    """``str(uuid.uuid5(namespace, name))``, without building UUID objects (exports make millions)."""
    ns = namespace.bytes if isinstance(namespace, uuid.UUID) else _ns_bytes(namespace)
    digest = bytearray(hashlib.sha1(ns + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@functools.lru_cache(maxsize=262_144)
def uid(region: str, table: str, local_id: str) -> str:
    return uuid5(NAMESPACE, f"{region}/{table}/{local_id}")


@functools.lru_cache(maxsize=1024)
def term_id(key: str) -> str:
    """Term id of a ``socialmap-fields`` column (``status``, ``source_url``, ...)."""
    return uuid5(NAMESPACE, f"term/{key}")


@functools.lru_cache(maxsize=4096)
def value_term_id(taxonomy: str, value: str) -> str:
    """Term id of a value in a published taxonomy (``socialmap-concerns``/``anxiety``)."""
    return uuid5(NAMESPACE, f"term/{taxonomy}/{value}")


@functools.lru_cache(maxsize=64)
def taxonomy_id(name: str) -> str:
    return uuid5(NAMESPACE, f"taxonomy/{name}")


def _attr(entity: str, link_id: str, key: str, value: str) -> dict[str, str]:
    return {"id": uuid5(link_id, key), "link_id": link_id, "link_entity": entity,
            "link_type": PREFIX + key, "taxonomy_term_id": term_id(key), "value": value}


def _term_attr(entity: str, link_id: str, column: str, value: str) -> dict[str, str]:
    tax = TAXONOMY_OF[column]
    return {"id": uuid5(link_id, f"{column}/{value}"), "link_id": link_id,
            "link_entity": entity, "link_type": PREFIX + column, "taxonomy_term_id": value_term_id(tax, value),
            "value": value}


def _attrs(entity: str, link_id: str, row: dict[str, str], keys: tuple[str, ...]) -> list[dict[str, str]]:
    out = [_attr(entity, link_id, "id", row["id"])]
    out += [_attr(entity, link_id, k, row[k]) for k in keys if row.get(k, "")]
    return out


def _years(age: str) -> float | None:
    if not age:
        return None
    if age.endswith("m"):
        return round(int(age[:-1]) / 12, 2)
    return int(age)


def phone_number(raw: str) -> str:
    """E.164 when the number can be dialled from abroad, the national form otherwise (112, 14 023)."""
    import phonenumbers

    text = (raw or "").strip()
    try:
        number = phonenumbers.parse(text, "NL")
    except phonenumbers.NumberParseException:
        return text
    if phonenumbers.is_valid_number(number) and phonenumbers.can_be_internationally_dialled(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return text


def national_phone(raw: Any) -> str:
    """A phone number from another producer in the Dutch national form our data uses (023 511 4477)."""
    import phonenumbers

    text = _text(raw)
    try:
        number = phonenumbers.parse(text, "NL")
    except phonenumbers.NumberParseException:
        return text
    if number.country_code == 31 and phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return text


def _time(value: str) -> str:
    """``HH:MM`` → ``HH:MM:SS``; ``24:00`` (end of day) → ``23:59:59``."""
    if not value:
        return ""
    if value.startswith("24"):
        return "23:59:59"
    return value if value.count(":") == 2 else f"{value}:00"


def _raw(folder: Path) -> dict[str, list[dict[str, str]]]:
    return {f: store.read_rows(folder, f)[1] for f in HSDS_FILES}


def _region_yaml(folder: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load((folder / "region.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _region_id(folder: Path) -> str:
    return str(_region_yaml(folder).get("id") or folder.name)


def license_info(folder: Path) -> dict[str, Any]:
    """Licences and attribution carried by every export."""
    meta = _region_yaml(folder)
    return {"licenses": [DATA_LICENSE, CBS_LICENSE],
            "attribution": str(meta.get("attribution") or "Bron: CBS, CC BY 4.0")}


def taxonomy_label(column: str, value: str, lang: str = "nl") -> str:
    kind = _LABEL_KIND.get(column, column)
    return i18n.label(kind, value, lang)


@functools.lru_cache(maxsize=8)
def _area_extents(areas_path: str, mtime: float, year: int) -> dict[str, tuple[str, str, str]]:
    """CBS code → (name, GeoJSON extent in WGS84 as text, URI); simplified to about 5 m."""
    import geopandas as gpd

    del mtime  # part of the cache key only
    frame = gpd.read_file(areas_path)
    if frame.crs is None:
        frame = frame.set_crs(28992)
    frame["geometry"] = frame.geometry.simplify(5.0, preserve_topology=True)
    frame = frame.to_crs(4326)
    out: dict[str, tuple[str, str, str]] = {}
    for code, geom in zip(frame["code"], frame.geometry, strict=True):
        shape = json.loads(json.dumps(geom.__geo_interface__), parse_float=lambda x: round(float(x), 6))
        collection, key = _CBS_COLLECTION.get(str(code)[:2], ("gebieden", "code"))
        uri = CBS_AREA_URI.format(year=year, collection=collection, key=key, code=code)
        out[str(code)] = ("", json.dumps(shape, separators=(",", ":")), uri)
    return out


def area_extents(folder: Path) -> dict[str, tuple[str, str, str]]:
    path = folder / "areas.geojson"
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    year = int(_region_yaml(folder).get("data_year") or 2024)
    return _area_extents(str(path), mtime, year)


# ---- metadata (curation history) --------------------------------------------------------------

_TABLE_ENTITY = {"organizations.csv": "organization", "locations.csv": "location", "services.csv": "service",
                 "schedules.csv": "schedule", "service_at_location.csv": "service_at_location"}


def history_metadata(folder: Path, region: str) -> dict[str, list[dict[str, str]]]:
    """HSDS ``metadata`` objects per exported record uuid, from ``.history/log.jsonl``.

    An edit gives one row per changed field with the value before and after (read from the kept
    old copies); an import or a create gives one row with ``field_name`` ``*``. Empty values are
    written as ``(leeg)`` (the tabular standard requires a value).
    """
    entries = list(reversed(store.history(folder, limit=100_000)))
    out: dict[str, list[dict[str, str]]] = {}

    def table_rows(rel_folder: str, table: str) -> dict[str, dict[str, str]]:
        path = folder / rel_folder / table if rel_folder else folder / table
        if not path.exists():
            return {}
        return {r.get("id", ""): r for r in store.read_rows(path.parent, path.name)[1]}

    def after_copy(index: int, table: str) -> dict[str, dict[str, str]]:
        for later in entries[index + 1:]:
            if table in (later.get("files") or []):
                return table_rows(str(later.get("old_copies", "")), table)
        return table_rows("", table)

    def add(entity: str, table: str, rid: str, entry: dict[str, Any], field_name: str, before: str, after: str) -> None:
        ruid = uid(region, entity, rid)
        number = len(out.get(ruid, []))
        out.setdefault(ruid, []).append({
            "id": uuid5(ruid, f"metadata/{entry.get('txid', '')}/{field_name}/{number}"),
            "resource_id": ruid, "resource_type": entity,
            "last_action_date": str(entry.get("at", ""))[:10], "last_action_type": str(entry.get("action", "")),
            "field_name": field_name, "previous_value": before or "(leeg)", "replacement_value": after or "(leeg)",
            "updated_by": str(entry.get("who", "") or "(onbekend)")})

    for index, entry in enumerate(entries):
        table, rid = entry.get("table"), entry.get("record_id")
        if table in _TABLE_ENTITY and rid:
            entity = _TABLE_ENTITY[table]
            fields = entry.get("fields") or []
            if entry.get("action") == "edit" and fields:
                before = table_rows(str(entry.get("old_copies", "")), table).get(rid, {})
                after = after_copy(index, table).get(rid, {})
                for name in fields:
                    add(entity, table, rid, entry, name, str(before.get(name, "")), str(after.get(name, "")))
            else:
                add(entity, table, rid, entry, "*", "", str(entry.get("action", "")))
        for file, change in (entry.get("summary") or {}).items():
            if file in _TABLE_ENTITY and isinstance(change, dict):
                for kind in ("added", "changed"):
                    for cid in change.get(kind) or []:
                        add(_TABLE_ENTITY[file], file, str(cid), entry, "*", "", f"import ({kind})")
    return out


# ---- export ----------------------------------------------------------------------------------

def _keep(row: dict[str, str], include_illustrative: bool) -> bool:
    return include_illustrative or row.get("status") != "illustrative"


def export_package(folder: str | Path, include_illustrative: bool = False) -> list[dict[str, Any]]:
    """The region's organisations, locations and services as an HSDS 3.0 organization_package."""
    folder = Path(folder)
    store.recover(folder)
    region = _region_id(folder)
    meta = _region_yaml(folder)
    province = str(meta.get("province") or "")
    data = _raw(folder)
    area_names = {r["code"]: r["name"] for r in store.read_rows(folder, "areas.csv")[1]}
    extents = area_extents(folder)
    history = history_metadata(folder, region)
    U = lambda table, rid: uid(region, table, rid)  # noqa: E731

    services_rows = [r for r in data["services.csv"] if _keep(r, include_illustrative)]
    locations_rows = [r for r in data["locations.csv"] if _keep(r, include_illustrative)]
    kept_services = {r["id"] for r in services_rows}
    kept_locations = {r["id"] for r in locations_rows}
    needed_orgs = {r["organization_id"] for r in services_rows} | {r["organization_id"] for r in locations_rows}
    org_rows = [r for r in data["organizations.csv"] if _keep(r, include_illustrative) or r["id"] in needed_orgs]

    def with_metadata(obj: dict[str, Any]) -> dict[str, Any]:
        if obj["id"] in history:
            obj["metadata"] = history[obj["id"]]
        return obj

    locations: dict[str, list[dict[str, Any]]] = {}
    for row in locations_rows:
        lid = U("location", row["id"])
        loc: dict[str, Any] = {"id": lid, "location_type": "physical", "organization_id": U("organization", row["organization_id"]),
                               "name": row["name"], "latitude": float(row["latitude"]), "longitude": float(row["longitude"])}
        address = row["address"].strip()
        if address and row["postcode"].strip() and row["city"].strip() and province and "voorbeeld" not in address.lower():
            loc["addresses"] = [{"id": uuid5(lid, "address"), "location_id": lid,
                                 "address_1": address, "city": row["city"], "state_province": province,
                                 "postal_code": row["postcode"], "country": "NL", "address_type": "physical"}]
        elif address and "voorbeeld" not in address.lower():
            loc["description"] = ", ".join(x for x in (address, row["postcode"], row["city"]) if x.strip())
        loc["attributes"] = _attrs("location", lid, row, ATTR_FIELDS["locations.csv"])
        locations.setdefault(row["organization_id"], []).append(with_metadata(loc))

    sal_by_service: dict[str, list[dict[str, Any]]] = {}
    for row in data["service_at_location.csv"]:
        if row["service_id"] not in kept_services or row["location_id"] not in kept_locations:
            continue
        sid = U("service_at_location", row["id"])
        sal_by_service.setdefault(row["service_id"], []).append({
            "id": sid, "service_id": U("service", row["service_id"]), "location_id": U("location", row["location_id"]),
            "attributes": _attrs("service_at_location", sid, row, ())})
    sched_by_service: dict[str, list[dict[str, Any]]] = {}
    for row in data["schedules.csv"]:
        if row["service_id"] not in kept_services:
            continue
        sid = U("schedule", row["id"])
        item: dict[str, Any] = {"id": sid, "service_id": U("service", row["service_id"]), "freq": "WEEKLY",
                                "byday": _WEEKDAY[row["weekday"]], "opens_at": _time(row["opens"]),
                                "closes_at": _time(row["closes"]),
                                "attending_type": "walk-in" if row["kind"] == "walk_in" else "opening hours"}
        if row["location_id"] and row["location_id"] in kept_locations:
            item["location_id"] = U("location", row["location_id"])
        if row["note"]:
            item["notes"] = row["note"]
        if row["closes"].startswith("24"):
            item["description"] = "Open tot middernacht (einde van de dag)."
        item["attributes"] = _attrs("schedule", sid, row, ATTR_FIELDS["schedules.csv"])
        sched_by_service.setdefault(row["service_id"], []).append(item)

    services: dict[str, list[dict[str, Any]]] = {}
    for row in services_rows:
        sid = U("service", row["id"])
        illustrative = row["status"] == "illustrative"
        svc: dict[str, Any] = {"id": sid, "organization_id": U("organization", row["organization_id"]),
                               "name": row["name"], "description": row["description"],
                               "status": "inactive" if illustrative else "active"}
        if illustrative:
            svc["alert"] = ALERT_ILLUSTRATIVE
        elif row["status"] == "to_verify":
            svc["alert"] = ALERT_TO_VERIFY
        for key in ("url", "email"):
            if row[key]:
                svc[key] = row[key]
        for key, hsds_key in (("age_min", "minimum_age"), ("age_max", "maximum_age")):
            years = _years(row[key])
            if years is not None:
                svc[hsds_key] = years
        if row["verified_at"]:
            svc["assured_date"] = row["verified_at"]
        if row["access_route"] in _ACCESS_TEXT:
            svc["application_process"] = _ACCESS_TEXT[row["access_route"]]
        if row["access_route"] == "via_huisarts" and row["level"] in ("basic_mh", "specialist_mh"):
            svc["required_documents"] = [{"id": uuid5(sid, "document/verwijzing"), "service_id": sid,
                                          "document": "Verwijzing van de huisarts (of jeugdarts, wijkteam)"}]
        if row["cost"] in _COST_TEXT:
            text, amount = _COST_TEXT[row["cost"]]
            svc["fees_description"] = text
            option: dict[str, Any] = {"id": uuid5(sid, "cost"), "service_id": sid,
                                      "option": taxonomy_label("cost", row["cost"]), "amount_description": text}
            if amount is not None:
                option |= {"amount": amount, "currency": "EUR"}
            svc["cost_options"] = [option]
        concerns = [c for c in row["concerns"].split(";") if c.strip()]
        if concerns or row["age_min"]:
            ages = f"{row['age_min']}-{row['age_max']} jaar".replace("m-", " maanden-")
            svc["eligibility_description"] = (f"Leeftijd {ages}." +
                                              (" Voor: " + ", ".join(taxonomy_label("concerns", c) for c in concerns) + "."
                                               if concerns else ""))
        if row["phone"]:
            svc["phones"] = [{"id": uuid5(sid, "phone"), "service_id": sid,
                              "number": phone_number(row["phone"]), "type": "voice"}]
        langs = [c.strip() for c in row["languages"].split(";") if c.strip()]
        if langs:
            svc["languages"] = [{"id": uuid5(sid, f"language/{c}"), "service_id": sid, "code": c,
                                 "name": i18n.label("language", c, "nl")} for c in langs]
        codes = [c.strip() for c in row["service_area"].split(";") if c.strip()]
        if codes:
            areas = []
            for c in codes:
                area: dict[str, Any] = {"id": uuid5(sid, f"area/{c}"), "service_id": sid, "name": c,
                                        "description": "Nederland" if c == vocab.NATIONAL_AREA else area_names.get(c, c)}
                if c == vocab.NATIONAL_AREA:
                    area["uri"] = NL_URI
                elif c in extents:
                    _, extent, uri = extents[c]
                    area |= {"extent": extent, "extent_type": "geojson", "uri": uri}
                areas.append(area)
            svc["service_areas"] = areas
        if row["id"] in sal_by_service:
            svc["service_at_locations"] = sal_by_service[row["id"]]
        if row["id"] in sched_by_service:
            svc["schedules"] = sched_by_service[row["id"]]
        attributes = _attrs("service", sid, row, ATTR_FIELDS["services.csv"])
        for column in ("level", "access_route", "concerns", "professional"):
            attributes += [_term_attr("service", sid, column, v.strip()) for v in row[column].split(";") if v.strip()]
        svc["attributes"] = attributes
        services.setdefault(row["organization_id"], []).append(with_metadata(svc))

    gp_by_org: dict[str, list[dict[str, str]]] = {}
    for row in data["gp_practices.csv"]:
        if row["location_id"] in kept_locations:
            gp_by_org.setdefault(row["organization_id"], []).append(row)

    package = []
    for row in org_rows:
        oid = U("organization", row["id"])
        org: dict[str, Any] = {"id": oid, "name": row["name"], "description": row["description"] or row["name"]}
        if row["email"]:
            org["email"] = row["email"]
        if row["url"]:
            org["website"] = row["url"]
        if row["phone"]:
            org["phones"] = [{"id": uuid5(oid, "phone"), "organization_id": oid,
                              "number": phone_number(row["phone"]), "type": "voice"}]
        attributes = _attrs("organization", oid, row, ATTR_FIELDS["organizations.csv"])
        for gp in gp_by_org.get(row["id"], []):
            attributes.append(_attr("organization", oid, f"gp_practice/{gp['id']}", json.dumps(gp, ensure_ascii=False, sort_keys=True)))
            attributes[-1]["link_type"] = PREFIX + "gp_practice"
            attributes[-1]["taxonomy_term_id"] = term_id("gp_practice")
        org["attributes"] = attributes
        if row["id"] in locations:
            org["locations"] = locations[row["id"]]
        if row["id"] in services:
            org["services"] = services[row["id"]]
        package.append(with_metadata(org))
    return package


def export_document(folder: str | Path, include_illustrative: bool = False) -> dict[str, Any]:
    """The JSON export: licence, attribution, profile and the organization_package."""
    folder = Path(folder)
    package = export_package(folder, include_illustrative)
    return {"hsds_version": HSDS_VERSION, "profile": PROFILE_URL, **license_info(folder),
            "generated_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "includes_illustrative": include_illustrative, "taxonomies": taxonomies(package),
            "organizations": package}


def export_json(folder: str | Path, include_illustrative: bool = False) -> bytes:
    return json.dumps(export_document(folder, include_illustrative), ensure_ascii=False, indent=1).encode("utf-8")


def taxonomies(package: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The published taxonomies with their terms (values of the vocabularies and those used)."""
    used: dict[str, set[str]] = {col: set() for col in TAXONOMY_OF}
    for org in package or []:
        for svc in org.get("services", []):
            for attr in svc.get("attributes", []):
                col = str(attr.get("link_type", "")).removeprefix(PREFIX)
                if col in used:
                    used[col].add(str(attr.get("value")))
    known = {"level": set(vocab.LEVELS), "concerns": set(vocab.CONCERNS), "access_route": set(vocab.ACCESS_ROUTES),
             "professional": set()}
    fields = sorted({"id", "gp_practice", *[k for ks in ATTR_FIELDS.values() for k in ks]})
    out = []
    for name, (column, description) in TAXONOMIES.items():
        tid = taxonomy_id(name)
        if column:
            order = list(vocab.LEVELS) if column == "level" else sorted(known[column] | used[column])
            terms = [{"id": value_term_id(name, v), "code": v, "name": taxonomy_label(column, v),
                      "description": f"{taxonomy_label(column, v)} ({taxonomy_label(column, v, 'en')})",
                      "taxonomy": name, "taxonomy_id": tid, "language": "nl"} for v in order]
        else:
            terms = [{"id": term_id(k), "code": PREFIX + k, "name": k, "taxonomy": name, "taxonomy_id": tid,
                      "language": "nl", "description": f"Kolom '{k}' van de socialmap-regiobestanden (data/README.md)"}
                     for k in fields]
        out.append({"id": tid, "name": name, "description": description, "uri": f"{PROFILE_URL}#{name}",
                    "version": "1", "terms": terms})
    return out


# ---- tabular ------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def datapackage() -> dict[str, Any]:
    """The official HSDS 3.0 ``datapackage.json`` (Open Referral, CC BY-SA 4.0)."""
    return json.loads((OFFICIAL / "datapackage.json").read_text(encoding="utf-8"))


def tabular_columns() -> dict[str, tuple[str, ...]]:
    """HSDS table name (singular, as in the datapackage) → its columns, in order."""
    return {r["name"]: tuple(f["name"] for f in r["schema"]["fields"]) for r in datapackage()["resources"]}


def tabular_paths() -> dict[str, str]:
    return {r["name"]: r["path"] for r in datapackage()["resources"]}


#: Free-text columns that may be neutralised against spreadsheet formulas (never ids, numbers, phones).
_TEXT_COLUMNS = {"name", "alternate_name", "description", "alert", "application_process", "fees_description",
                 "eligibility_description", "accreditations", "interpretation_services", "notes", "address_1",
                 "address_2", "attention", "city", "region", "state_province", "transportation", "value",
                 "option", "amount_description", "document", "previous_value", "replacement_value", "updated_by",
                 "title", "department", "source", "details", "licenses", "wait_time", "fees", "legal_status"}


def neutralise(value: Any) -> Any:
    """A text cell that would start a spreadsheet formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_tabular(package: list[dict[str, Any]], taxonomy_list: list[dict[str, Any]] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Flatten an organization_package into HSDS tabular rows per table (every datapackage table)."""
    cols = tabular_columns()
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in cols}

    def put(table: str, obj: dict[str, Any], **extra: Any) -> None:
        out[table].append({c: obj.get(c, extra.get(c, "")) for c in cols[table]})
        for attr in obj.get("attributes", []):
            out["attribute"].append({c: attr.get(c, "") for c in cols["attribute"]})
        for meta in obj.get("metadata", []):
            out["metadata"].append({c: meta.get(c, "") for c in cols["metadata"]})

    def children(table: str, items: list[dict[str, Any]]) -> None:
        for item in items:
            put(table, item)

    for org in package:
        put("organization", org)
        children("phone", org.get("phones", []))
        for loc in org.get("locations", []):
            put("location", loc)
            children("address", loc.get("addresses", []))
        for svc in org.get("services", []):
            put("service", svc)
            children("phone", svc.get("phones", []))
            children("language", svc.get("languages", []))
            children("service_area", svc.get("service_areas", []))
            children("cost_option", svc.get("cost_options", []))
            children("required_document", svc.get("required_documents", []))
            children("service_at_location", svc.get("service_at_locations", []))
            children("schedule", svc.get("schedules", []))
    for tax in taxonomy_list if taxonomy_list is not None else taxonomies(package):
        out["taxonomy"].append({c: tax.get(c, "") for c in cols["taxonomy"]})
        out["taxonomy_term"] += [{c: term.get(c, "") for c in cols["taxonomy_term"]} for term in tax["terms"]]
    return out


def _csv_text(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: (neutralise(v) if c in _TEXT_COLUMNS else v) for c, v in row.items()})
    return text.getvalue()


def export_tabular_zip(folder: str | Path, include_illustrative: bool = False) -> bytes:
    """Every HSDS tabular CSV of the official datapackage (names and columns as there), zipped with
    that ``datapackage.json`` (plus this export's licences, sources and attribution)."""
    folder = Path(folder)
    package = export_package(folder, include_illustrative)
    tables = to_tabular(package)
    cols, paths = tabular_columns(), tabular_paths()
    info = license_info(folder)
    descriptor = dict(datapackage())
    descriptor |= {"name": f"socialmap-{_region_id(folder)}-hsds".lower(),
                   "title": f"Sociale kaart {_region_yaml(folder).get('name', _region_id(folder))} (HSDS 3.0)",
                   "licenses": info["licenses"],
                   "sources": [{"title": info["attribution"]}],
                   "description": f"{info['attribution']} HSDS 3.0 met het socialmap-profiel ({PROFILE_URL}). "
                                  + ("Bevat illustratieve records (status inactive, met alert)."
                                     if include_illustrative else "Zonder illustratieve records.")}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=1))
        for table, rows in tables.items():
            zf.writestr(paths[table], _csv_text(cols[table], rows))
    return buf.getvalue()


def export_geojson(folder: str | Path, include_illustrative: bool = False) -> bytes:
    """RFC 7946 GeoJSON (WGS84 [longitude, latitude], no ``crs``): CBS areas and locations."""
    folder = Path(folder)
    store.recover(folder)
    data = _raw(folder)
    at: dict[str, list[str]] = {}
    services = {r["id"]: r for r in data["services.csv"]}
    for row in data["service_at_location.csv"]:
        svc = services.get(row["service_id"])
        if svc is not None and _keep(svc, include_illustrative):
            at.setdefault(row["location_id"], []).append(row["service_id"])
    features: list[dict[str, Any]] = []
    extents = area_extents(folder)
    for row in store.read_rows(folder, "areas.csv")[1]:
        if row["code"] in extents:
            _, extent, uri = extents[row["code"]]
            props = {"feature_type": "area", "code": row["code"], "kind": row["kind"], "name": row["name"],
                     "municipality_code": row["municipality_code"], "population": row["population"], "uri": uri}
            features.append({"type": "Feature", "id": row["code"], "properties": props, "geometry": json.loads(extent)})
    for row in data["locations.csv"]:
        if not _keep(row, include_illustrative):
            continue
        props: dict[str, Any] = {k: row[k] for k in ("id", "name", "organization_id", "address", "postcode", "city",
                                                     "municipality_code", "status", "verified_at", "source_url")}
        props["feature_type"] = "location"
        props["service_ids"] = at.get(row["id"], [])
        features.append({"type": "Feature", "id": row["id"], "properties": props,
                         "geometry": {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]}})
    doc = {"type": "FeatureCollection", **license_info(folder), "includes_illustrative": include_illustrative,
           "features": features}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


# ---- reading HSDS back into our rows ------------------------------------------------------------

_SLUG = re.compile(r"[^a-z0-9_-]+")


def _local_id(obj: dict[str, Any]) -> str:
    for attr in obj.get("attributes", []) or []:
        if isinstance(attr, dict) and attr.get("link_type") == PREFIX + "id":
            return str(attr.get("value", ""))
    return _SLUG.sub("-", str(obj.get("id", "")).lower()).strip("-")


def _attr_values(obj: dict[str, Any]) -> dict[str, str]:
    """``socialmap:`` attributes → column values (several term attributes of one column joined by ';')."""
    out: dict[str, str] = {}
    for attr in obj.get("attributes", []) or []:
        if not isinstance(attr, dict):
            continue
        link = str(attr.get("link_type", ""))
        if link.startswith(PREFIX) and link != PREFIX + "gp_practice":
            key, value = link[len(PREFIX):], "" if attr.get("value") is None else str(attr.get("value"))
            out[key] = f"{out[key]};{value}" if key in TAXONOMY_OF and out.get(key) else value
    return out


def _num(value: Any) -> str:
    if value is None or value == "":
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _age_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    number = float(value)
    return str(int(number)) if number >= 1 or number == 0 else f"{round(number * 12)}m"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def is_own_profile(obj: dict[str, Any]) -> bool:
    """True when a record carries our ``socialmap:id`` attribute (written by a socialmap export)."""
    return any(isinstance(a, dict) and a.get("link_type") == PREFIX + "id" for a in obj.get("attributes") or [])


def _time_back(value: Any) -> str:
    text = _text(value)[:8]
    if text.startswith("23:59"):
        return "24:00"
    return text[:5]


def organizations_of(package: Any) -> list[dict[str, Any]]:
    """The organisations of an HSDS JSON document: our export document, an organization_package,
    a ``Page`` (``contents``) or a list of services with nested ``organization``."""
    if isinstance(package, dict):
        for key in ("organizations", "contents"):
            if isinstance(package.get(key), list):
                package = package[key]
                break
        else:
            package = [package]
    if not isinstance(package, list) or not all(isinstance(x, dict) for x in package):
        raise ValueError("expected a list of organizations (organization_package) or of services")
    orgs: list[dict[str, Any]] = []
    loose: dict[str, list[dict[str, Any]]] = {}
    by_id: dict[str, dict[str, Any]] = {}
    for item in package:
        if "status" in item and ("organization_id" in item or "organization" in item) and "services" not in item:
            org = item.get("organization") if isinstance(item.get("organization"), dict) else {"id": item.get("organization_id")}
            key = str(org.get("id"))
            if key not in by_id:
                by_id[key] = dict(org)
                orgs.append(by_id[key])
            loose.setdefault(key, []).append({k: v for k, v in item.items() if k != "organization"})
        else:
            orgs.append(item)
    for key, services in loose.items():
        by_id[key]["services"] = [*(by_id[key].get("services") or []), *services]
    return orgs


def package_to_rows(package: Any, locate: Any = None) -> dict[str, list[dict[str, str]]]:
    """HSDS JSON (see :func:`organizations_of`) → our CSV rows per file.

    Records of our own profile come back exactly. Records of another producer get defaults for
    what only our profile has: status ``to_verify``; the municipality of a location from
    ``locate(lat, lon) -> code | None`` (point in polygon); a service's service area from its
    locations' municipalities (or CBS codes in ``service_areas``); ages from minimum/maximum_age.
    Care level and access route stay empty for the curator. Raises ``ValueError`` for data that is
    not HSDS (the message names the record and field).
    """
    orgs = organizations_of(package)
    out: dict[str, list[dict[str, str]]] = {f: [] for f in HSDS_FILES}
    uuid_to_local: dict[str, str] = {}
    loc_muni: dict[str, str] = {}
    seen_orgs: set[str] = set()
    all_services: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for org in orgs:
        uuid_to_local[str(org.get("id"))] = _local_id(org)
        for loc in org.get("locations") or []:
            uuid_to_local[str(loc.get("id"))] = _local_id(loc)
        all_services += [(org, s) for s in org.get("services") or []]
    for _, svc in all_services:
        uuid_to_local[str(svc.get("id"))] = _local_id(svc)
    L = lambda value: uuid_to_local.get(str(value), _SLUG.sub("-", str(value or "").lower()).strip("-"))  # noqa: E731

    for org in orgs:
        oid = _local_id(org)
        if oid in seen_orgs:
            continue
        seen_orgs.add(oid)
        own = is_own_profile(org)
        a = _attr_values(org)
        phones = org.get("phones") or []
        description = _text(org.get("description"))
        out["organizations.csv"].append({
            "id": oid, "name": _text(org.get("name")), "description": "" if description == _text(org.get("name")) else description,
            "url": _text(org.get("website")), "email": _text(org.get("email")),
            **{k: a.get(k, "") for k in ATTR_FIELDS["organizations.csv"]}})
        out["organizations.csv"][-1]["phone"] = a.get("phone") or (national_phone(phones[0].get("number")) if phones else "")
        if not own:
            out["organizations.csv"][-1]["status"] = "to_verify"
        for attr in org.get("attributes") or []:
            if attr.get("link_type") == PREFIX + "gp_practice":
                gp = json.loads(attr.get("value") or "{}")
                out["gp_practices.csv"].append({c.name: str(gp.get(c.name, "")) for c in TABLES["gp_practices.csv"]})
        for loc in org.get("locations") or []:
            la = _attr_values(loc)
            addr = (loc.get("addresses") or [{}])[0]
            row = {
                "id": _local_id(loc), "organization_id": L(loc.get("organization_id") or org.get("id")),
                "name": _text(loc.get("name")),
                "latitude": _num(loc.get("latitude")), "longitude": _num(loc.get("longitude")),
                **{k: la.get(k, "") for k in ATTR_FIELDS["locations.csv"]}}
            if not is_own_profile(loc):
                row |= {"address": _text(addr.get("address_1")), "postcode": _text(addr.get("postal_code")),
                        "city": _text(addr.get("city"))}
            if not is_own_profile(loc):
                row["status"] = "to_verify"
                if locate is not None and row["latitude"] and row["longitude"]:
                    row["municipality_code"] = locate(float(row["latitude"]), float(row["longitude"])) or ""
            loc_muni[str(loc.get("id"))] = row["municipality_code"]
            out["locations.csv"].append(row)
    for org, svc in all_services:
        sid = _local_id(svc)
        a = _attr_values(svc)
        phones = svc.get("phones") or []
        row = {
            "id": sid, "organization_id": L(svc.get("organization_id") or org.get("id")),
            "name": _text(svc.get("name")), "description": _text(svc.get("description")),
            "languages": ";".join(_text(x.get("code") or x.get("name")) for x in svc.get("languages") or []),
            "service_area": ";".join(_text(x.get("name")) for x in svc.get("service_areas") or []),
            "email": _text(svc.get("email")), "url": _text(svc.get("url")),
            "verified_at": _text(svc.get("assured_date"))[:10],
        }
        row |= {k: a.get(k, "") for k in (*ATTR_FIELDS["services.csv"], *TAXONOMY_OF)}
        row["phone"] = a.get("phone") or (national_phone(phones[0].get("number")) if phones else "")
        row["age_min"] = a.get("age_min") or _age_text(svc.get("minimum_age"))
        row["age_max"] = a.get("age_max") or _age_text(svc.get("maximum_age"))
        if not is_own_profile(svc):
            row["status"] = "to_verify"
            row["verified_at"] = ""
            codes = [c for c in row["service_area"].split(";") if re.fullmatch(r"(GM|WK|BU)\d{4,8}[A-Z]*|NL", c)]
            if not codes:
                codes = sorted({loc_muni.get(str(x.get("location_id")), "") for x in svc.get("service_at_locations") or []} - {""})
            if not codes:
                codes = sorted({loc_muni.get(str(x.get("id")), "") for x in org.get("locations") or []} - {""})
            fees = _text(svc.get("fees_description")).lower()
            if not row["cost"] and re.search(r"\b(gratis|free|kosteloos)\b", fees):
                row["cost"] = "free"
            row["service_area"] = ";".join(codes)
            row["age_min"] = row["age_min"] or "0"
            row["age_max"] = row["age_max"] or str(vocab.AGE_MAX_YEARS)
            row["languages"] = ";".join(c.lower() for c in row["languages"].split(";") if re.fullmatch(r"[A-Za-z]{2,3}", c))
        out["services.csv"].append(row)
        for sal in svc.get("service_at_locations") or []:
            out["service_at_location.csv"].append({"id": _local_id(sal), "service_id": sid,
                                                   "location_id": L(sal.get("location_id") or (sal.get("location") or {}).get("id"))})
        for sch in svc.get("schedules") or []:
            sa = _attr_values(sch)
            kind = sa.get("kind") or ("walk_in" if "walk" in _text(sch.get("attending_type")).lower() else "open")
            days = [d.strip().upper()[-2:] for d in _text(sch.get("byday")).split(",") if d.strip()] or [""]
            for number, day in enumerate(days):
                out["schedules.csv"].append({
                    "id": _local_id(sch) + (f"-{day.lower()}" if len(days) > 1 else ""), "service_id": sid,
                    "location_id": L(sch["location_id"]) if sch.get("location_id") else "",
                    "kind": kind, "weekday": _WEEKDAY_BACK.get(day, day.lower()),
                    "opens": _time_back(sch.get("opens_at")), "closes": _time_back(sch.get("closes_at")),
                    "note": _text(sch.get("notes") if is_own_profile(sch) else (sch.get("notes") or sch.get("description")))})
                del number
    return out


# ---- bounded reading of uploads -------------------------------------------------------------------

MAX_DEPTH = 32
MAX_ROWS = 20_000
MAX_DECOMPRESSED = 50 * 1024 * 1024
MAX_CELL_CHARS = 100_000
_STRINGS = re.compile(r'"(?:\\.|[^"\\])*"')
_ARRAYS = ("services", "locations", "addresses", "phones", "languages", "service_areas", "service_at_locations",
           "schedules", "attributes", "metadata", "cost_options", "required_documents", "contacts", "programs",
           "organization_identifiers", "funding", "accessibility")
_SCALARS = ("id", "name", "description", "status", "website", "url", "email", "organization_id", "location_id",
            "number", "code", "value", "link_type", "latitude", "longitude", "address_1", "postal_code", "city",
            "opens_at", "closes_at", "byday", "notes", "minimum_age", "maximum_age", "assured_date", "attending_type")


_REQUIRED = {"services": ("id", "name"), "locations": ("id",), "phones": ("number",), "attributes": (),
             "metadata": (), "languages": (), "service_areas": (), "addresses": ()}


class NotHSDS(ValueError):
    """The upload is not HSDS 3.0 data we can read (the message names record and field)."""


def nesting_depth(text: str) -> int:
    """Deepest ``[``/``{`` nesting of a JSON text (strings skipped), without parsing it."""
    depth = best = 0
    for char in re.sub(r"[^\[\]{}]", "", _STRINGS.sub("", text)):
        depth += 1 if char in "[{" else -1
        best = max(best, depth)
    return best


def check_structure(orgs: list[dict[str, Any]]) -> list[str]:
    """Wrong types in the fields we read: ``organization 2 ('x') services: expected a list, found str``."""
    problems: list[str] = []

    def walk(obj: dict[str, Any], where: str, required: tuple[str, ...] = ()) -> None:
        for key in required:
            if obj.get(key) in (None, ""):
                problems.append(f"{where} field '{key}' is missing (required)")
        for key in _SCALARS:
            value = obj.get(key)
            if value is not None and not isinstance(value, (str, int, float, bool)):
                problems.append(f"{where} field '{key}': expected text or a number, found {type(value).__name__}")
        for key in ("latitude", "longitude", "minimum_age", "maximum_age"):
            value = obj.get(key)
            if isinstance(value, str) and value.strip():
                try:
                    float(value)
                except ValueError:
                    problems.append(f"{where} field '{key}': '{value[:40]}' is not a number")
        for key in _ARRAYS:
            value = obj.get(key)
            if value is None:
                continue
            if not isinstance(value, list):
                problems.append(f"{where} field '{key}': expected a list, found {type(value).__name__}")
                continue
            for number, item in enumerate(value, start=1):
                if not isinstance(item, dict):
                    problems.append(f"{where} field '{key}' item {number}: expected an object, found {type(item).__name__}")
                else:
                    walk(item, f"{where} {key[:-1] if key.endswith('s') else key} {number} ('{str(item.get('id', ''))[:40]}')",
                         _REQUIRED.get(key, ("id",)))
        for key in ("organization", "location"):
            if key in obj and obj[key] is not None and not isinstance(obj[key], dict):
                problems.append(f"{where} field '{key}': expected an object, found {type(obj[key]).__name__}")

    for number, org in enumerate(orgs, start=1):
        walk(org, f"organization {number} ('{str(org.get('id', ''))[:40]}')", ("id", "name"))
        if len(problems) >= 50:
            break
    return problems[:50]


def read_json(name: str, data: bytes) -> list[dict[str, Any]]:
    """Organisations of an HSDS JSON upload; ``NotHSDS`` for too deep, broken or wrongly typed data."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotHSDS(f"{name}: is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start})") from None
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise NotHSDS(f"{name}: nested {depth} levels deep (at most {MAX_DEPTH} allowed)")
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise NotHSDS(f"{name}: broken JSON ({getattr(exc, 'msg', exc)} at line {getattr(exc, 'lineno', '?')})") from None
    try:
        orgs = organizations_of(document)
    except ValueError as exc:
        raise NotHSDS(f"{name}: not HSDS 3.0 data ({exc})") from None
    problems = check_structure(orgs)
    if problems:
        raise NotHSDS(f"{name}: not HSDS 3.0 data: " + "; ".join(problems[:10]))
    return orgs


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int], name: str) -> list[dict[str, str]]:
    """CSV rows of one zip member, streamed: stops at MAX_ROWS and at the decompressed budget."""
    rows: list[dict[str, str]] = []
    with zf.open(info) as raw:
        text = io.TextIOWrapper(_Limited(raw, budget, f"{name}: more than {MAX_DECOMPRESSED // (1024 * 1024)} MB "
                                                       "when unpacked"), encoding="utf-8-sig", newline="")
        try:
            reader = csv.DictReader(text)
            for row in reader:
                if len(rows) >= MAX_ROWS:
                    raise NotHSDS(f"{name} ({info.filename}): more than {MAX_ROWS} rows")
                cells = {str(k): (v or "") for k, v in row.items() if k is not None and isinstance(v, str)}
                if any(len(v) > MAX_CELL_CHARS for v in cells.values()):
                    raise NotHSDS(f"{name} ({info.filename}) line {reader.line_num}: a cell is longer than "
                                  f"{MAX_CELL_CHARS} characters")
                rows.append(cells)
        except csv.Error as exc:
            raise NotHSDS(f"{name} ({info.filename}) line {reader.line_num + 1}: broken CSV ({exc})") from None
        except UnicodeDecodeError:
            raise NotHSDS(f"{name} ({info.filename}): is not UTF-8 text") from None
    return rows


class _Limited(io.RawIOBase):
    def __init__(self, raw: Any, budget: list[int], message: str) -> None:
        self.raw, self.budget, self.message = raw, budget, message

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.raw.read(min(len(buffer), 65536))
        self.budget[0] -= len(chunk)
        if self.budget[0] < 0:
            raise NotHSDS(self.message)
        buffer[:len(chunk)] = chunk
        return len(chunk)


def read_tabular_zip(name: str, data: bytes) -> list[dict[str, Any]]:
    """Organisations of an HSDS tabular zip (official plural names or singular ones, any producer)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise NotHSDS(f"{name}: not a zip file") from None
    stems = {Path(p).stem: t for t, p in tabular_paths().items()} | {t: t for t in tabular_paths()}
    tables: dict[str, list[dict[str, str]]] = {}
    budget = [MAX_DECOMPRESSED]
    with zf:
        for info in zf.infolist():
            stem = Path(info.filename).stem
            if stem in stems and info.filename.lower().endswith(".csv"):
                tables[stems[stem]] = _read_member(zf, info, budget, name)
    if "organization" not in tables and "service" not in tables:
        raise NotHSDS(f"{name}: no organizations.csv or services.csv in the zip")
    return tabular_to_package(tables)


def tabular_to_package(tables: dict[str, list[dict[str, str]]]) -> list[dict[str, Any]]:
    """HSDS tabular rows (table → rows) into nested organisations."""
    attrs: dict[str, list[dict[str, str]]] = {}
    for a in tables.get("attribute", []):
        attrs.setdefault(a.get("link_id", ""), []).append(a)

    def by(table: str, key: str) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for r in tables.get(table, []):
            grouped.setdefault(r.get(key, ""), []).append({k: v for k, v in r.items() if v != ""})
        return grouped

    addresses, sals, schedules = by("address", "location_id"), by("service_at_location", "service_id"), by("schedule", "service_id")
    langs, areas = by("language", "service_id"), by("service_area", "service_id")
    phones_s, phones_o = by("phone", "service_id"), by("phone", "organization_id")
    locs, svcs = by("location", "organization_id"), by("service", "organization_id")
    orgs = list(tables.get("organization", []))
    known = {o.get("id") for o in orgs}
    orgs += [{"id": oid, "name": oid} for oid in list(svcs) + list(locs) if oid not in known and not known.add(oid)]  # type: ignore[func-returns-value]
    package = []
    for org in orgs:
        oid = org.get("id", "")
        o = {k: v for k, v in org.items() if v != ""} | {"description": org.get("description", "")}
        o["attributes"] = attrs.get(oid, [])
        o["phones"] = phones_o.get(oid, [])
        o["locations"] = [loc | {"addresses": addresses.get(loc["id"], []), "attributes": attrs.get(loc["id"], [])}
                          for loc in locs.get(oid, []) if "id" in loc]
        o["services"] = [s | {"attributes": attrs.get(s["id"], []), "phones": phones_s.get(s["id"], []),
                              "languages": langs.get(s["id"], []), "service_areas": areas.get(s["id"], []),
                              "service_at_locations": [x | {"attributes": attrs.get(x.get("id", ""), [])} for x in sals.get(s["id"], [])],
                              "schedules": [x | {"attributes": attrs.get(x.get("id", ""), [])} for x in schedules.get(s["id"], [])]}
                         for s in svcs.get(oid, []) if "id" in s]
        package.append(o)
    return package


def read_upload(name: str, data: bytes) -> list[dict[str, Any]]:
    """Organisations of an HSDS upload (``.json`` or tabular ``.zip``), bounded; ``NotHSDS`` otherwise."""
    if name.lower().endswith(".zip"):
        return read_tabular_zip(name, data)
    return read_json(name, data)


# ---- schema validation ------------------------------------------------------------------------

def validate_package(package: list[dict[str, Any]], schema_dir: str | Path) -> list[str]:
    """Problems of a package against the HSDS schemas in ``schema_dir`` (empty = valid).

    Uses ``compiled/organization_package.json`` when present, and always each service against
    ``service_with_definitions.json`` (``$ref``s into ``#/definitions`` resolved) or
    ``compiled/service.json``; formats (uuid, email, uri, date) are checked.
    """
    import jsonschema

    schema_dir = Path(schema_dir)
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    problems: list[str] = []

    def run(schema: dict[str, Any], instance: Any, label: str) -> None:
        validator = jsonschema.Draft202012Validator(schema, format_checker=checker)
        for err in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
            path = "/".join(str(p) for p in err.absolute_path)
            problems.append(f"{label} {path}: {err.message}")

    candidates = [schema_dir / "compiled" / "service_with_definitions.json", schema_dir / "service_with_definitions.json",
                  schema_dir / "compiled" / "service.json"]
    service_schema_path = next((p for p in candidates if p.exists()), None)
    if service_schema_path is None:
        raise FileNotFoundError(f"no HSDS service schema in {schema_dir}")
    service_schema = json.loads(service_schema_path.read_text(encoding="utf-8"))
    for org in package:
        for svc in org.get("services", []):
            run(service_schema, svc, f"service {svc.get('id')}")
        if "definitions" in service_schema:
            org_schema = {"$ref": "#/definitions/organization", "definitions": service_schema["definitions"]}
            run(org_schema, {k: v for k, v in org.items() if k != "services"}, f"organization {org.get('id')}")
    full = schema_dir / "compiled" / "organization_package.json"
    if full.exists():
        run(json.loads(full.read_text(encoding="utf-8")), package, "organization_package")
    return problems
