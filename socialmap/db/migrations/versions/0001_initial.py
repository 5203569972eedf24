"""The first schema: regions, one table per region file (cells as text), geometry in PostGIS, history, suggestions.

Cells are stored as the text a curator types (the CSV cell), so the loader's own parser validates
them with the same messages and a dump gives back the same bytes. Geometry is kept twice: RD New
(EPSG:28992) for distances, WGS84 (EPSG:4326) for drawing. Every data row has a ``version``: the
region version of the save that last wrote it (optimistic concurrency per record).

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: table -> (key column, columns) as in ``socialmap/schema.py`` when this migration was written.
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "areas": ("code", ("code", "kind", "name", "name_source", "parent_code", "municipality_code", "population",
                       "age_0_14", "age_15_24", "youth_source")),
    "postcodes": ("pc4", ("pc4", "buurt_code", "wijk_code", "municipality_code", "share", "inhabitants")),
    "organizations": ("id", ("id", "name", "description", "url", "email", "phone", "status", "verified_at",
                             "verified_by", "source_url", "source_year")),
    "locations": ("id", ("id", "organization_id", "name", "address", "postcode", "city", "municipality_code",
                         "latitude", "longitude", "status", "verified_at", "source_url")),
    "services": ("id", ("id", "organization_id", "name", "description", "level", "access_route", "concerns",
                        "professional", "age_min", "age_max", "languages", "cost", "waiting_weeks", "waiting_as_of",
                        "service_area", "phone", "email", "url", "status", "verified_at", "verified_by",
                        "source_url", "source_year")),
    "service_at_location": ("id", ("id", "service_id", "location_id")),
    "schedules": ("id", ("id", "service_id", "location_id", "kind", "weekday", "opens", "closes", "note")),
    "gp_practices": ("id", ("id", "organization_id", "location_id", "youth_professional", "youth_days", "service_id")),
}


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("""
        CREATE TABLE region (
            id text PRIMARY KEY,
            version bigint NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL DEFAULT now(),
            geojson_name text NOT NULL DEFAULT 'areas',
            geojson_crs text NOT NULL
        )""")
    op.execute("""
        CREATE TABLE region_table (
            region_id text NOT NULL REFERENCES region(id) ON DELETE CASCADE,
            file text NOT NULL,
            header text[] NOT NULL,
            PRIMARY KEY (region_id, file)
        )""")
    op.execute("""
        CREATE TABLE region_file (
            region_id text NOT NULL REFERENCES region(id) ON DELETE CASCADE,
            name text NOT NULL,
            content bytea NOT NULL,
            PRIMARY KEY (region_id, name)
        )""")
    for table, (key, cols) in TABLES.items():
        cells = ",\n".join(f'"{c}" text NOT NULL DEFAULT \'\'' for c in cols)
        op.execute(f"""
            CREATE TABLE "{table}" (
                region_id text NOT NULL REFERENCES region(id) ON DELETE CASCADE,
                row_no integer NOT NULL,
                version bigint NOT NULL,
                {cells},
                extra jsonb NOT NULL DEFAULT '{{}}'::jsonb,
                PRIMARY KEY (region_id, "{key}")
            )""")
    op.execute("ALTER TABLE locations ADD COLUMN geom_rd geometry(Point, 28992), ADD COLUMN geom_wgs geometry(Point, 4326)")
    op.execute("CREATE INDEX locations_geom_rd ON locations USING gist (geom_rd)")
    op.execute("""
        CREATE TABLE area_geometry (
            region_id text NOT NULL REFERENCES region(id) ON DELETE CASCADE,
            feature_no integer NOT NULL,
            code text NOT NULL,
            feature text NOT NULL,
            geom_rd geometry(Geometry, 28992) NOT NULL,
            geom_wgs geometry(Geometry, 4326) NOT NULL,
            version bigint NOT NULL,
            PRIMARY KEY (region_id, feature_no)
        )""")
    op.execute("CREATE INDEX area_geometry_geom_rd ON area_geometry USING gist (geom_rd)")
    op.execute("""
        CREATE TABLE history (
            id bigserial PRIMARY KEY,
            region_id text NOT NULL REFERENCES region(id) ON DELETE CASCADE,
            txid text NOT NULL,
            at timestamptz NOT NULL,
            who text NOT NULL,
            method text NOT NULL,
            action text NOT NULL,
            table_name text NOT NULL DEFAULT '',
            record_id text NOT NULL DEFAULT '',
            fields text[] NOT NULL DEFAULT '{}',
            files text[] NOT NULL DEFAULT '{}',
            version_before bigint NOT NULL,
            version_after bigint NOT NULL,
            details jsonb NOT NULL DEFAULT '{}'::jsonb
        )""")
    op.execute("CREATE INDEX history_region_at ON history (region_id, id DESC)")
    op.execute("""
        CREATE TABLE suggestion (
            region_id text NOT NULL REFERENCES region(id) ON DELETE CASCADE,
            id text NOT NULL,
            service_id text NOT NULL,
            field text NOT NULL,
            value text NOT NULL,
            note text NOT NULL,
            created_at text NOT NULL,
            status text NOT NULL DEFAULT 'open',
            decided_by text NOT NULL DEFAULT '',
            decided_at text NOT NULL DEFAULT '',
            seq bigserial,
            PRIMARY KEY (region_id, id)
        )""")


def downgrade() -> None:
    for table in ("suggestion", "history", "area_geometry", *reversed(list(TABLES)), "region_file", "region_table",
                  "region"):
        op.execute(f'DROP TABLE IF EXISTS "{table}"')
