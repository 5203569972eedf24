"""Open Referral HSDS 3.0 export and import, HSDS tabular CSV (zipped), GeoJSON of locations.

JSON export = an HSDS ``organization_package``: a list of Organization objects, each with its
``locations`` (with ``addresses``) and ``services`` (with ``phones``, ``languages``,
``service_areas``, ``service_at_locations`` and ``schedules``).

Ids: HSDS wants UUIDs, so every record gets a stable UUIDv5 made from the region id, the table and
its own id; the project's own id travels in an HSDS ``attribute`` with ``link_type``
``socialmap:id``. All Dutch care-route fields that HSDS has no field for travel the same way, as
attributes ``socialmap:<column>`` with the CSV cell text as ``value`` (level, access_route,
concerns, professional, age_min/age_max as written (``6m``), cost, waiting_weeks, waiting_as_of,
status, verified_by, source_url, source_year, municipality_code, schedule kind, and a GP
practice as ``socialmap:gp_practice`` on its organisation with the row as JSON). The import reads
those attributes back, so export then import loses nothing. Standard fields are filled as well
(``minimum_age``/``maximum_age`` in years, ``assured_date`` = verified_at, ``status`` = active),
so other HSDS tools can read the export without knowing the attributes. Areas, postcodes and
region.yaml are not HSDS data and are not part of the export.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import zipfile
from pathlib import Path
from typing import Any

from ..schema import TABLES
from . import store

NAMESPACE = uuid.UUID("6f1c1f0e-4a57-5d1a-9a53-736f6369616c")  # fixed: ids stay the same between exports
PREFIX = "socialmap:"
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "taxonomy"))
_WEEKDAY = {"mo": "MO", "tu": "TU", "we": "WE", "th": "TH", "fr": "FR", "sa": "SA", "su": "SU"}
_WEEKDAY_BACK = {v: k for k, v in _WEEKDAY.items()}

#: Columns carried as attributes (per our table).
ATTR_FIELDS: dict[str, tuple[str, ...]] = {
    "organizations.csv": ("status", "verified_at", "verified_by", "source_url", "source_year"),
    "locations.csv": ("municipality_code", "status", "verified_at", "source_url"),
    "services.csv": ("level", "access_route", "concerns", "professional", "age_min", "age_max", "cost",
                     "waiting_weeks", "waiting_as_of", "status", "verified_by", "source_url", "source_year"),
    "schedules.csv": ("kind",),
    "service_at_location.csv": (),
}

#: HSDS tabular tables written to the zip, with their columns (= simple/schema.csv, nested arrays left out).
TABULAR: dict[str, tuple[str, ...]] = {
    "organization": ("id", "name", "alternate_name", "description", "email", "website", "year_incorporated",
                     "legal_status", "logo", "uri", "parent_organization_id"),
    "service": ("id", "organization_id", "program_id", "name", "alternate_name", "description", "url", "email",
                "status", "interpretation_services", "application_process", "fees_description", "accreditations",
                "eligibility_description", "minimum_age", "maximum_age", "assured_date", "assurer_email", "alert"),
    "attribute": ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
    "service_at_location": ("id", "service_id", "location_id", "description"),
    "location": ("id", "location_type", "url", "organization_id", "name", "alternate_name", "description",
                 "transportation", "latitude", "longitude", "external_identifier", "external_identifier_type"),
    "phone": ("id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id",
              "number", "extension", "type", "description"),
    "address": ("id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province",
                "postal_code", "country", "address_type"),
    "schedule": ("id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart",
                 "timezone", "until", "count", "wkst", "freq", "interval", "byday", "byweekno", "bymonthday",
                 "byyearday", "description", "opens_at", "closes_at", "schedule_link", "attending_type", "notes"),
    "service_area": ("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
    "language": ("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
    "taxonomy_term": ("id", "code", "name", "description", "parent_id", "language", "taxonomy_id", "term_uri"),
    "taxonomy": ("id", "name", "description", "uri"),
}
HSDS_FILES = ("organizations.csv", "locations.csv", "services.csv", "service_at_location.csv",
              "schedules.csv", "gp_practices.csv")


def uid(region: str, table: str, local_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{region}/{table}/{local_id}"))


def term_id(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"term/{key}"))


def _attr(entity: str, link_id: str, key: str, value: str) -> dict[str, str]:
    return {"id": str(uuid.uuid5(uuid.UUID(link_id), key)), "link_id": link_id, "link_entity": entity,
            "link_type": PREFIX + key, "taxonomy_term_id": term_id(key), "value": value}


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


def _raw(folder: Path) -> dict[str, list[dict[str, str]]]:
    return {f: store.read_rows(folder, f)[1] for f in HSDS_FILES}


def _region_id(folder: Path) -> str:
    import yaml

    try:
        return str((yaml.safe_load((folder / "region.yaml").read_text(encoding="utf-8")) or {}).get("id") or folder.name)
    except (OSError, yaml.YAMLError):
        return folder.name


# ---- export ----------------------------------------------------------------------------------

def export_package(folder: str | Path) -> list[dict[str, Any]]:
    """The region's organisations, locations and services as an HSDS 3.0 organization_package."""
    folder = Path(folder)
    store.recover(folder)
    region = _region_id(folder)
    data = _raw(folder)
    areas = {r["code"]: r["name"] for r in store.read_rows(folder, "areas.csv")[1]}
    U = lambda table, rid: uid(region, table, rid)  # noqa: E731

    locations: dict[str, list[dict[str, Any]]] = {}
    for row in data["locations.csv"]:
        lid = U("location", row["id"])
        loc: dict[str, Any] = {"id": lid, "location_type": "physical", "organization_id": U("organization", row["organization_id"]),
                               "name": row["name"], "latitude": float(row["latitude"]), "longitude": float(row["longitude"])}
        if row["address"] or row["postcode"] or row["city"]:
            loc["addresses"] = [{"id": str(uuid.uuid5(uuid.UUID(lid), "address")), "location_id": lid,
                                 "address_1": row["address"], "city": row["city"], "state_province": "",
                                 "postal_code": row["postcode"], "country": "NL", "address_type": "physical"}]
        loc["attributes"] = _attrs("location", lid, row, ATTR_FIELDS["locations.csv"])
        locations.setdefault(row["organization_id"], []).append(loc)

    sal_by_service: dict[str, list[dict[str, Any]]] = {}
    for row in data["service_at_location.csv"]:
        sid = U("service_at_location", row["id"])
        sal_by_service.setdefault(row["service_id"], []).append({
            "id": sid, "service_id": U("service", row["service_id"]), "location_id": U("location", row["location_id"]),
            "attributes": _attrs("service_at_location", sid, row, ())})
    sched_by_service: dict[str, list[dict[str, Any]]] = {}
    for row in data["schedules.csv"]:
        sid = U("schedule", row["id"])
        item: dict[str, Any] = {"id": sid, "service_id": U("service", row["service_id"]), "freq": "WEEKLY",
                                "byday": _WEEKDAY[row["weekday"]], "opens_at": row["opens"], "closes_at": row["closes"],
                                "attending_type": "walk-in" if row["kind"] == "walk_in" else "opening hours"}
        if row["location_id"]:
            item["location_id"] = U("location", row["location_id"])
        if row["note"]:
            item["notes"] = row["note"]
        item["attributes"] = _attrs("schedule", sid, row, ATTR_FIELDS["schedules.csv"])
        sched_by_service.setdefault(row["service_id"], []).append(item)

    services: dict[str, list[dict[str, Any]]] = {}
    for row in data["services.csv"]:
        sid = U("service", row["id"])
        svc: dict[str, Any] = {"id": sid, "organization_id": U("organization", row["organization_id"]),
                               "name": row["name"], "description": row["description"], "status": "active"}
        for key in ("url", "email"):
            if row[key]:
                svc[key] = row[key]
        for key, hsds_key in (("age_min", "minimum_age"), ("age_max", "maximum_age")):
            years = _years(row[key])
            if years is not None:
                svc[hsds_key] = years
        if row["verified_at"]:
            svc["assured_date"] = row["verified_at"]
        if row["phone"]:
            svc["phones"] = [{"id": str(uuid.uuid5(uuid.UUID(sid), "phone")), "service_id": sid, "number": row["phone"]}]
        langs = [c for c in row["languages"].split(";") if c.strip()]
        if langs:
            svc["languages"] = [{"id": str(uuid.uuid5(uuid.UUID(sid), f"language/{c.strip()}")), "service_id": sid,
                                 "code": c.strip()} for c in langs]
        codes = [c.strip() for c in row["service_area"].split(";") if c.strip()]
        if codes:
            svc["service_areas"] = [{"id": str(uuid.uuid5(uuid.UUID(sid), f"area/{c}")), "service_id": sid, "name": c,
                                     "description": "Nederland" if c == "NL" else areas.get(c, c)} for c in codes]
        if row["id"] in sal_by_service:
            svc["service_at_locations"] = sal_by_service[row["id"]]
        if row["id"] in sched_by_service:
            svc["schedules"] = sched_by_service[row["id"]]
        svc["attributes"] = _attrs("service", sid, row, ATTR_FIELDS["services.csv"])
        services.setdefault(row["organization_id"], []).append(svc)

    gp_by_org: dict[str, list[dict[str, str]]] = {}
    for row in data["gp_practices.csv"]:
        gp_by_org.setdefault(row["organization_id"], []).append(row)

    package = []
    for row in data["organizations.csv"]:
        oid = U("organization", row["id"])
        org: dict[str, Any] = {"id": oid, "name": row["name"], "description": row["description"]}
        if row["email"]:
            org["email"] = row["email"]
        if row["url"]:
            org["website"] = row["url"]
        if row["phone"]:
            org["phones"] = [{"id": str(uuid.uuid5(uuid.UUID(oid), "phone")), "organization_id": oid, "number": row["phone"]}]
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
        package.append(org)
    return package


def export_json(folder: str | Path) -> bytes:
    return json.dumps(export_package(folder), ensure_ascii=False, indent=1).encode("utf-8")


def _taxonomy_terms() -> list[dict[str, str]]:
    keys = sorted({"id", "gp_practice", *[k for ks in ATTR_FIELDS.values() for k in ks]})
    return [{"id": term_id(k), "code": PREFIX + k, "name": k, "taxonomy_id": TAXONOMY_ID,
             "description": f"Column '{k}' of the socialmap region files (see data/README.md)"} for k in keys]


def to_tabular(package: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Flatten an organization_package into HSDS tabular rows per table."""
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in TABULAR}

    def put(table: str, obj: dict[str, Any], **extra: Any) -> None:
        out[table].append({c: obj.get(c, extra.get(c, "")) for c in TABULAR[table]})
        for attr in obj.get("attributes", []):
            out["attribute"].append({c: attr.get(c, "") for c in TABULAR["attribute"]})

    for org in package:
        put("organization", org)
        out["phone"] += [{c: p.get(c, "") for c in TABULAR["phone"]} for p in org.get("phones", [])]
        for loc in org.get("locations", []):
            put("location", loc)
            out["address"] += [{c: a.get(c, "") for c in TABULAR["address"]} for a in loc.get("addresses", [])]
        for svc in org.get("services", []):
            put("service", svc)
            out["phone"] += [{c: p.get(c, "") for c in TABULAR["phone"]} for p in svc.get("phones", [])]
            out["language"] += [{c: x.get(c, "") for c in TABULAR["language"]} for x in svc.get("languages", [])]
            out["service_area"] += [{c: x.get(c, "") for c in TABULAR["service_area"]} for x in svc.get("service_areas", [])]
            for sal in svc.get("service_at_locations", []):
                put("service_at_location", sal)
            for sch in svc.get("schedules", []):
                put("schedule", sch)
    out["taxonomy_term"] = [{c: t.get(c, "") for c in TABULAR["taxonomy_term"]} for t in _taxonomy_terms()]
    out["taxonomy"] = [{"id": TAXONOMY_ID, "name": "socialmap", "uri": "",
                        "description": "Dutch youth-care fields of the socialmap project, carried as HSDS attributes"}]
    return out


def export_tabular_zip(folder: str | Path) -> bytes:
    """HSDS tabular CSV files (one per table, names and columns as in simple/schema.csv), zipped."""
    tables = to_tabular(export_package(folder))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for table, rows in tables.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=list(TABULAR[table]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            zf.writestr(f"{table}.csv", text.getvalue())
    return buf.getvalue()


def export_geojson(folder: str | Path) -> bytes:
    """Locations as a GeoJSON FeatureCollection in WGS84 (RFC 7946: [longitude, latitude])."""
    folder = Path(folder)
    store.recover(folder)
    data = _raw(folder)
    at: dict[str, list[str]] = {}
    for row in data["service_at_location.csv"]:
        at.setdefault(row["location_id"], []).append(row["service_id"])
    features = []
    for row in data["locations.csv"]:
        props = {k: row[k] for k in ("id", "name", "organization_id", "address", "postcode", "city",
                                      "municipality_code", "status", "verified_at", "source_url")}
        props["service_ids"] = at.get(row["id"], [])
        features.append({"type": "Feature", "id": row["id"], "properties": props,
                         "geometry": {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]}})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1).encode("utf-8")


# ---- import ----------------------------------------------------------------------------------

_SLUG = re.compile(r"[^a-z0-9_-]+")


def _local_id(obj: dict[str, Any]) -> str:
    for attr in obj.get("attributes", []) or []:
        if attr.get("link_type") == PREFIX + "id":
            return str(attr.get("value", ""))
    return _SLUG.sub("-", str(obj.get("id", "")).lower()).strip("-")


def _attr_values(obj: dict[str, Any]) -> dict[str, str]:
    out = {}
    for attr in obj.get("attributes", []) or []:
        link = str(attr.get("link_type", ""))
        if link.startswith(PREFIX) and link != PREFIX + "gp_practice":
            out[link[len(PREFIX):]] = "" if attr.get("value") is None else str(attr.get("value"))
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


def package_to_rows(package: Any) -> dict[str, list[dict[str, str]]]:
    """HSDS organization_package (or a list of services with nested ``organization``) → our CSV rows.

    Raises ``ValueError`` with a clear message when the JSON is not HSDS.
    """
    if isinstance(package, dict):
        package = package.get("organizations") or package.get("contents") or [package]
    if not isinstance(package, list) or not all(isinstance(x, dict) for x in package):
        raise ValueError("HSDS JSON: expected a list of organizations (organization_package) or of services")
    orgs: list[dict[str, Any]] = []
    loose_services: list[dict[str, Any]] = []
    for item in package:
        if "status" in item and ("organization_id" in item or "organization" in item) and "services" not in item:
            loose_services.append(item)
            if isinstance(item.get("organization"), dict):
                orgs.append(item["organization"])
        else:
            orgs.append(item)
    out: dict[str, list[dict[str, str]]] = {f: [] for f in HSDS_FILES}
    uuid_to_local: dict[str, str] = {}
    seen_orgs: set[str] = set()
    all_services = list(loose_services)
    for org in orgs:
        oid = _local_id(org)
        uuid_to_local[str(org.get("id"))] = oid
        for loc in org.get("locations", []) or []:
            uuid_to_local[str(loc.get("id"))] = _local_id(loc)
        all_services += org.get("services", []) or []
    for svc in all_services:
        uuid_to_local[str(svc.get("id"))] = _local_id(svc)
    L = lambda value: uuid_to_local.get(str(value), _SLUG.sub("-", str(value or "").lower()).strip("-"))  # noqa: E731

    for org in orgs:
        oid = _local_id(org)
        if oid in seen_orgs:
            continue
        seen_orgs.add(oid)
        a = _attr_values(org)
        phones = org.get("phones") or []
        out["organizations.csv"].append({
            "id": oid, "name": str(org.get("name", "")), "description": str(org.get("description") or ""),
            "url": str(org.get("website") or ""), "email": str(org.get("email") or ""),
            "phone": str(phones[0].get("number", "")) if phones else "",
            **{k: a.get(k, "") for k in ATTR_FIELDS["organizations.csv"]}})
        for attr in org.get("attributes", []) or []:
            if attr.get("link_type") == PREFIX + "gp_practice":
                gp = json.loads(attr.get("value") or "{}")
                out["gp_practices.csv"].append({c.name: str(gp.get(c.name, "")) for c in TABLES["gp_practices.csv"]})
        for loc in org.get("locations", []) or []:
            la = _attr_values(loc)
            addr = (loc.get("addresses") or [{}])[0]
            out["locations.csv"].append({
                "id": _local_id(loc), "organization_id": L(loc.get("organization_id") or org.get("id")),
                "name": str(loc.get("name") or ""), "address": str(addr.get("address_1") or ""),
                "postcode": str(addr.get("postal_code") or ""), "city": str(addr.get("city") or ""),
                "latitude": _num(loc.get("latitude")), "longitude": _num(loc.get("longitude")),
                **{k: la.get(k, "") for k in ATTR_FIELDS["locations.csv"]}})
    for svc in all_services:
        sid = _local_id(svc)
        a = _attr_values(svc)
        phones = svc.get("phones") or []
        row = {
            "id": sid, "organization_id": L(svc.get("organization_id") or (svc.get("organization") or {}).get("id")),
            "name": str(svc.get("name", "")), "description": str(svc.get("description") or ""),
            "languages": ";".join(str(x.get("code") or x.get("name") or "") for x in svc.get("languages") or []),
            "service_area": ";".join(str(x.get("name") or "") for x in svc.get("service_areas") or []),
            "phone": str(phones[0].get("number", "")) if phones else "",
            "email": str(svc.get("email") or ""), "url": str(svc.get("url") or ""),
            "verified_at": str(svc.get("assured_date") or ""),
        }
        row |= {k: a.get(k, "") for k in ATTR_FIELDS["services.csv"]}
        row["age_min"] = a.get("age_min") or _age_text(svc.get("minimum_age"))
        row["age_max"] = a.get("age_max") or _age_text(svc.get("maximum_age"))
        out["services.csv"].append(row)
        for sal in svc.get("service_at_locations", []) or []:
            out["service_at_location.csv"].append({"id": _local_id(sal), "service_id": sid,
                                                   "location_id": L(sal.get("location_id") or (sal.get("location") or {}).get("id"))})
        for sch in svc.get("schedules", []) or []:
            sa = _attr_values(sch)
            kind = sa.get("kind") or ("walk_in" if "walk" in str(sch.get("attending_type", "")).lower() else "open")
            out["schedules.csv"].append({
                "id": _local_id(sch), "service_id": sid,
                "location_id": L(sch["location_id"]) if sch.get("location_id") else "",
                "kind": kind, "weekday": _WEEKDAY_BACK.get(str(sch.get("byday", "")).upper()[:2], str(sch.get("byday", "")).lower()),
                "opens": str(sch.get("opens_at") or "")[:5], "closes": str(sch.get("closes_at") or "")[:5],
                "note": str(sch.get("notes") or sch.get("description") or "")})
    return out


def tabular_zip_to_package(data: bytes) -> list[dict[str, Any]]:
    """Read an HSDS tabular zip (as written by :func:`export_tabular_zip`) back into a package."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        tables = {}
        for name in zf.namelist():
            stem = Path(name).stem
            if stem in TABULAR:
                tables[stem] = list(csv.DictReader(io.StringIO(zf.read(name).decode("utf-8-sig"), newline="")))
    attrs: dict[str, list[dict[str, str]]] = {}
    for a in tables.get("attribute", []):
        attrs.setdefault(a["link_id"], []).append(a)

    def by(table: str, key: str) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for r in tables.get(table, []):
            grouped.setdefault(r.get(key, ""), []).append({k: v for k, v in r.items() if v != ""})
        return grouped

    addresses, sals, schedules = by("address", "location_id"), by("service_at_location", "service_id"), by("schedule", "service_id")
    langs, areas = by("language", "service_id"), by("service_area", "service_id")
    phones_s, phones_o = by("phone", "service_id"), by("phone", "organization_id")
    locs, svcs = by("location", "organization_id"), by("service", "organization_id")
    package = []
    for org in tables.get("organization", []):
        o = {k: v for k, v in org.items() if v != ""} | {"description": org.get("description", "")}
        o["attributes"] = attrs.get(org["id"], [])
        o["phones"] = phones_o.get(org["id"], [])
        o["locations"] = [l | {"addresses": addresses.get(l["id"], []), "attributes": attrs.get(l["id"], [])}
                          for l in locs.get(org["id"], [])]
        o["services"] = [s | {"attributes": attrs.get(s["id"], []), "phones": phones_s.get(s["id"], []),
                              "languages": langs.get(s["id"], []), "service_areas": areas.get(s["id"], []),
                              "service_at_locations": [x | {"attributes": attrs.get(x["id"], [])} for x in sals.get(s["id"], [])],
                              "schedules": [x | {"attributes": attrs.get(x["id"], [])} for x in schedules.get(s["id"], [])]}
                         for s in svcs.get(org["id"], [])]
        package.append(o)
    return package


# ---- schema validation ------------------------------------------------------------------------

def validate_package(package: list[dict[str, Any]], schema_dir: str | Path) -> list[str]:
    """Problems of a package against the HSDS schemas in ``schema_dir`` (empty = valid).

    Uses ``compiled/organization_package.json`` when present, and always each service against
    ``service_with_definitions.json`` (``$ref``s into ``#/definitions`` resolved) or
    ``compiled/service.json``; formats (uuid, email) are checked.
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
