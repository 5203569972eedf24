"""The columns of every region file, as small records that carry their own rules.

The loader parses each cell with its column's kind and reports problems as
``services.csv line 12: age_max 'ten' is not a number (expected whole years 0-23, or months such as 6m)``.
The same table drives the curation forms (one definition, one validation).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import vocab


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id, ref, text, int, float, date, enum, list, codes, age, phone, url, email, time, year, pc, lat, lon
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None  # table name a ref points to
    min: float | None = None
    max: float | None = None
    help: str = ""


def _status() -> Column:
    return Column("status", "enum", required=True, choices=vocab.STATUSES)


PROVENANCE = (
    Column("verified_at", "date"),
    Column("verified_by", "text"),
    Column("source_url", "url"),
    Column("source_year", "year"),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "areas.csv": (
        Column("code", "id", required=True, help="CBS code GMxxxx, WKxxxxxx or BUxxxxxxxx"),
        Column("kind", "enum", required=True, choices=vocab.AREA_KINDS),
        Column("name", "text", required=True),
        Column("name_source", "enum", choices=("cbs", "derived")),
        Column("parent_code", "ref", ref="areas"),
        Column("municipality_code", "ref", required=True, ref="areas"),
        Column("population", "int", min=0),
        Column("age_0_14", "int", min=0),
        Column("age_15_24", "int", min=0),
        Column("youth_source", "text"),
    ),
    "postcodes.csv": (
        Column("pc4", "pc", required=True),
        Column("buurt_code", "ref", ref="areas"),
        Column("wijk_code", "ref", required=True, ref="areas"),
        Column("municipality_code", "ref", required=True, ref="areas"),
        Column("share", "float", min=0, max=1),
        Column("inhabitants", "int", min=0),
    ),
    "organizations.csv": (
        Column("id", "id", required=True),
        Column("name", "text", required=True),
        Column("description", "text"),
        Column("url", "url"),
        Column("email", "email"),
        Column("phone", "phone"),
        _status(),
        *PROVENANCE,
    ),
    "locations.csv": (
        Column("id", "id", required=True),
        Column("organization_id", "ref", required=True, ref="organizations"),
        Column("name", "text", required=True),
        Column("address", "text"),
        Column("postcode", "text"),
        Column("city", "text"),
        Column("municipality_code", "ref", required=True, ref="areas"),
        Column("latitude", "lat", required=True),
        Column("longitude", "lon", required=True),
        _status(),
        Column("verified_at", "date"),
        Column("source_url", "url"),
    ),
    "services.csv": (
        Column("id", "id", required=True),
        Column("organization_id", "ref", required=True, ref="organizations"),
        Column("name", "text", required=True),
        Column("description", "text"),
        Column("level", "enum", required=True, choices=vocab.LEVELS),
        Column("access_route", "enum", required=True, choices=vocab.ACCESS_ROUTES),
        Column("concerns", "list", choices=vocab.CONCERNS),
        Column("professional", "text"),
        Column("age_min", "age", required=True),
        Column("age_max", "age", required=True),
        Column("languages", "list"),
        Column("cost", "enum", choices=vocab.COSTS),
        Column("waiting_weeks", "int", min=0, max=104),
        Column("waiting_as_of", "date"),
        Column("service_area", "codes", required=True),
        Column("phone", "phone"),
        Column("email", "email"),
        Column("url", "url"),
        _status(),
        *PROVENANCE,
    ),
    "service_at_location.csv": (
        Column("id", "id", required=True),
        Column("service_id", "ref", required=True, ref="services"),
        Column("location_id", "ref", required=True, ref="locations"),
    ),
    "schedules.csv": (
        Column("id", "id", required=True),
        Column("service_id", "ref", required=True, ref="services"),
        Column("location_id", "ref", ref="locations"),
        Column("kind", "enum", required=True, choices=vocab.SCHEDULE_KINDS),
        Column("weekday", "enum", required=True, choices=vocab.WEEKDAYS),
        Column("opens", "time", required=True),
        Column("closes", "time", required=True),
        Column("note", "text"),
    ),
    "gp_practices.csv": (
        Column("id", "id", required=True),
        Column("organization_id", "ref", required=True, ref="organizations"),
        Column("location_id", "ref", required=True, ref="locations"),
        Column("youth_professional", "enum", required=True, choices=vocab.GP_YOUTH_PROFESSIONALS),
        Column("youth_days", "list", choices=vocab.WEEKDAYS),
        Column("service_id", "ref", ref="services"),
    ),
}

#: Load order: a table's references point to tables earlier in this list (areas first).
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)
REQUIRED_FILES: tuple[str, ...] = ("region.yaml", "areas.geojson", *TABLES)


def columns(file: str) -> dict[str, Column]:
    return {c.name: c for c in TABLES[file]}
