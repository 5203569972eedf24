"""The PostgreSQL + PostGIS store: the same model as the region folder, in tables.

Layout (created by the Alembic migrations in ``migrations/``; ``python -m socialmap db migrate``):

* ``region``: one row per region with its ``version`` (raised by every committed save);
* one table per region file (``organizations``, ``services``, ...): one column per schema column
  holding the cell text a curator types, the row's position in the file (``row_no``) and its
  ``version`` (the region version of the save that last wrote it);
* ``locations.geom_rd`` / ``geom_wgs`` and ``area_geometry``: geometry in PostGIS, RD New
  (EPSG:28992) for distances and WGS84 (EPSG:4326) for drawing;
* ``region_file``: the other files of the folder (``region.yaml``, ``SOURCES.md``, ``retired/*.csv``);
* ``history`` (who, when, action, table, record, fields, versions) and ``suggestion``.

Every write runs in one transaction that locks the region row (``SELECT ... FOR UPDATE``), checks
the caller's version, writes the region *as it would be after the change* to a temporary folder,
runs the very same curation code and validation as the file store on it (``records``,
``importer``, ``store.save`` with the loader's ``check_region``), and only then applies the
changed rows. A refused save (``ValidationFailed``, ``ConcurrentEditError``, ``InputError``)
rolls back; a writer killed mid-transaction leaves nothing (PostgreSQL aborts its transaction).
After the commit the region's version is announced with ``NOTIFY socialmap_region``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

import psycopg
import shapely
from psycopg.types.json import Jsonb

from ..curation import importer, records, store, suggestions
from ..curation.auth import Curator, require_curator
from ..errors import InputError
from ..loader import check_region
from ..schema import REQUIRED_FILES, TABLES

ENV_URL = "SOCIALMAP_DATABASE_URL"
CHANNEL = "socialmap_region"
GEOJSON = "areas.geojson"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Files and folders of a region folder that are never copied into the database.
_SKIP_PREFIXES = (".",)

#: Test hooks (stage name -> callable); empty in production.
_HOOKS: dict[str, Callable[[], None]] = {}


def _hook(stage: str) -> None:
    func = _HOOKS.get(stage)
    if func is not None:
        func()


class NotConfigured(Exception):
    """No database URL given."""


def database_url(url: str | None = None) -> str:
    url = url or os.environ.get(ENV_URL, "")
    if not url:
        raise NotConfigured(f"no database configured: set {ENV_URL} (e.g. postgresql://postgres@127.0.0.1:5432/socialmap)")
    return url


def sqlalchemy_url(url: str) -> str:
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def connect(url: str | None = None) -> psycopg.Connection:
    return psycopg.connect(database_url(url), autocommit=False)


def table_name(file: str) -> str:
    return file.removesuffix(".csv")


def key_column(file: str) -> str:
    return TABLES[file][0].name


# ---- schema ------------------------------------------------------------------------------------

def migrate(url: str | None = None, revision: str = "head") -> None:
    """Create or upgrade the schema with the Alembic migrations (idempotent)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", sqlalchemy_url(database_url(url)).replace("%", "%%"))
    command.upgrade(cfg, revision)


# ---- reading the region into a folder (dump, snapshots, validation) -------------------------------

def region_version(conn: psycopg.Connection, region: str, lock: bool = False) -> int | None:
    row = conn.execute("SELECT version FROM region WHERE id = %s" + (" FOR UPDATE" if lock else ""),
                       (region,)).fetchone()
    return None if row is None else int(row[0])


def read_table(conn: psycopg.Connection, region: str, file: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (cell texts, file order) of one region table."""
    hdr = conn.execute("SELECT header FROM region_table WHERE region_id = %s AND file = %s", (region, file)).fetchone()
    cols = [c.name for c in TABLES[file]]
    header = list(hdr[0]) if hdr else cols
    quoted = ", ".join(f'"{c}"' for c in cols)
    rows = []
    for values in conn.execute(f'SELECT {quoted}, extra FROM "{table_name(file)}" WHERE region_id = %s ORDER BY row_no',
                               (region,)):
        row = dict(zip(cols, values[:-1]))
        row.update(values[-1] or {})
        rows.append(row)
    return header, rows


def _geojson_text(conn: psycopg.Connection, region: str) -> str:
    name, crs = conn.execute("SELECT geojson_name, geojson_crs FROM region WHERE id = %s", (region,)).fetchone()
    feats = []
    for feature, wkb in conn.execute(
            "SELECT feature, ST_AsBinary(geom_rd) FROM area_geometry WHERE region_id = %s ORDER BY feature_no", (region,)):
        item = json.loads(feature)
        item["geometry"] = shapely.geometry.mapping(shapely.from_wkb(bytes(wkb)))
        feats.append(json.dumps(item, separators=(",", ":"), ensure_ascii=False))
    lines = ["{", '"type": "FeatureCollection",', f'"name": {json.dumps(name, ensure_ascii=False)},',
             f'"crs": {crs},', '"features": [', ",\n".join(feats), "]", "}"]
    return "\n".join(lines) + "\n"


def write_folder(conn: psycopg.Connection, region: str, target: Path) -> int:
    """Write the region as a folder (the same files, byte for byte, as were loaded). Returns its version."""
    version = region_version(conn, region)
    if version is None:
        raise InputError(f"region '{region}' is not in the database (load it with: python -m socialmap db load <folder>)",
                         field="region", value=region)
    target.mkdir(parents=True, exist_ok=True)
    for name, content in conn.execute("SELECT name, content FROM region_file WHERE region_id = %s", (region,)):
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(content))
    for file in TABLES:
        header, rows = read_table(conn, region, file)
        (target / file).write_text(store.rows_to_csv(header, rows), encoding="utf-8")
    (target / GEOJSON).write_text(_geojson_text(conn, region), encoding="utf-8")
    return version


def dump(region: str, target: str | Path, url: str | None = None) -> int:
    """Write a region from the database to a folder (one consistent view). Returns the version."""
    with connect(url) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return write_folder(conn, region, Path(target))


# ---- writing a folder into the database ----------------------------------------------------------

def _other_files(folder: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(_SKIP_PREFIXES) for part in rel.parts):
            continue
        name = rel.as_posix()
        if name in TABLES or name == GEOJSON:
            continue
        out[name] = path.read_bytes()
    return out


def _insert_rows(conn: psycopg.Connection, region: str, file: str, header: list[str],
                 rows: list[tuple[int, dict[str, str]]], version: int) -> None:
    cols = [c.name for c in TABLES[file]]
    quoted = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join(["%s"] * (len(cols) + 4))
    with conn.cursor() as cur:
        cur.executemany(
            f'INSERT INTO "{table_name(file)}" (region_id, row_no, version, {quoted}, extra) VALUES ({marks})',
            [(region, no, version, *[row.get(c, "") for c in cols],
              Jsonb({h: row.get(h, "") for h in header if h not in cols})) for no, row in rows])


def _update_geometry(conn: psycopg.Connection, region: str, version: int) -> None:
    conn.execute("""
        UPDATE locations SET
            geom_wgs = ST_SetSRID(ST_MakePoint(longitude::float8, latitude::float8), 4326),
            geom_rd = ST_Transform(ST_SetSRID(ST_MakePoint(longitude::float8, latitude::float8), 4326), 28992)
        WHERE region_id = %s AND version = %s""", (region, version))


def load(folder: str | Path, region: str | None = None, url: str | None = None, today: dt.date | None = None,
         who: str = "db load") -> int:
    """Validate a region folder and put it in the database (replacing that region's data).

    Refused with ``ValidationFailed`` (the loader's messages) when the folder does not validate;
    then nothing is written. Returns the new version of the region.
    """
    folder = Path(folder)
    store.recover(folder)
    region = region or folder.name
    _, errors, _ = check_region(folder, today=today)
    if errors:
        raise store.ValidationFailed(errors)
    geo = json.loads((folder / GEOJSON).read_text(encoding="utf-8-sig"))
    others = _other_files(folder)
    tables = {file: store.read_rows(folder, file) for file in TABLES}
    with connect(url) as conn:
        with conn.transaction():
            conn.execute("INSERT INTO region (id, version, geojson_crs) VALUES (%s, 0, '') ON CONFLICT (id) DO NOTHING",
                         (region,))
            before = region_version(conn, region, lock=True) or 0
            version = before + 1
            for table in ("area_geometry", "region_file", "region_table", *(table_name(f) for f in TABLES)):
                conn.execute(f'DELETE FROM "{table}" WHERE region_id = %s', (region,))
            conn.execute("UPDATE region SET version = %s, updated_at = now(), geojson_name = %s, geojson_crs = %s "
                         "WHERE id = %s", (version, geo.get("name", "areas"), json.dumps(geo.get("crs")), region))
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO region_file (region_id, name, content) VALUES (%s, %s, %s)",
                                [(region, name, data) for name, data in others.items()])
            for file, (header, rows) in tables.items():
                conn.execute("INSERT INTO region_table (region_id, file, header) VALUES (%s, %s, %s)",
                             (region, file, header))
                _insert_rows(conn, region, file, header, list(enumerate(rows)), version)
            _update_geometry(conn, region, version)
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO area_geometry (region_id, feature_no, code, feature, geom_rd, geom_wgs, version) "
                    "VALUES (%s, %s, %s, %s, ST_GeomFromWKB(%s, 28992), ST_Transform(ST_GeomFromWKB(%s, 28992), 4326), %s)",
                    [(region, number, (feat.get("properties") or {}).get("code", ""),
                      json.dumps(feat | {"geometry": None}, ensure_ascii=False),
                      wkb, wkb, version)
                     for number, feat in enumerate(geo["features"])
                     for wkb in [shapely.to_wkb(shapely.geometry.shape(feat["geometry"]))]])
            for s in suggestions.load(folder):
                conn.execute(
                    "INSERT INTO suggestion (region_id, id, service_id, field, value, note, created_at, status, "
                    "decided_by, decided_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    (region, s.id, s.service_id, s.field, s.value, s.note, s.created_at, s.status, s.decided_by,
                     s.decided_at))
            for entry in reversed(store.history(folder, limit=10**9)):  # the folder's own history, oldest first
                _history_entry(conn, region, entry)
            _history(conn, region, uuid.uuid4().hex[:12], who, "cli", "load", before, version,
                     {"source": folder.name, "files": sorted([*TABLES, GEOJSON, *others])})
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{region}:{version}"))
    return version


def _history_entry(conn: psycopg.Connection, region: str, entry: dict[str, Any]) -> None:
    """One line of a region folder's ``.history/log.jsonl`` as a history row (its versions were content hashes)."""
    core = ("txid", "at", "who", "method", "action", "version_before", "version_after")
    details = {k: v for k, v in entry.items() if k not in core}
    details["file_store_versions"] = [entry.get("version_before", ""), entry.get("version_after", "")]
    conn.execute(
        "INSERT INTO history (region_id, txid, at, who, method, action, table_name, record_id, fields, files, "
        "version_before, version_after, details) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0, 0, %s)",
        (region, str(entry.get("txid", "")), entry.get("at") or dt.datetime.now(dt.timezone.utc).isoformat(),
         str(entry.get("who", "")), str(entry.get("method", "")), str(entry.get("action", "")),
         str(entry.get("table", "")), str(entry.get("record_id", "")), [str(f) for f in entry.get("fields", []) or []],
         [str(f) for f in entry.get("files", []) or []], Jsonb(details)))


def _history(conn: psycopg.Connection, region: str, txid: str, who: str, method: str, action: str,
             before: int, after: int, details: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO history (region_id, txid, at, who, method, action, table_name, record_id, fields, files, "
        "version_before, version_after, details) VALUES (%s, %s, now(), %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (region, txid, who, method, action, details.get("table", ""), details.get("record_id", ""),
         list(details.get("fields", [])), list(details.get("files", [])), before, after, Jsonb(details)))


# ---- the store ---------------------------------------------------------------------------------------

def _parse_version(token: str) -> int:
    try:
        return int(token)
    except (TypeError, ValueError):
        return -1


def _conflict(expected: str, current: int) -> store.ConcurrentEditError:
    return store.ConcurrentEditError(
        "the data was changed by someone else after you opened this form "
        f"(version {expected} → {current}); nothing was saved: reload and make your change again")


class PgStore:
    """One region in PostgreSQL; the same operations (and errors) as the file store."""

    kind = "postgres"

    def __init__(self, region: str, url: str | None = None, publish: bool = True) -> None:
        self.region = region
        self.url = database_url(url)
        self.publish_after_save = publish

    @contextlib.contextmanager
    def _conn(self) -> Iterator[psycopg.Connection]:
        with connect(self.url) as conn:
            yield conn

    # -- reading
    def version_token(self) -> str:
        with self._conn() as conn:
            version = region_version(conn, self.region)
        return "" if version is None else str(version)

    def read_rows(self, file: str) -> tuple[list[str], list[dict[str, str]]]:
        with self._conn() as conn:
            if file in TABLES:
                return read_table(conn, self.region, file)
            row = conn.execute("SELECT content FROM region_file WHERE region_id = %s AND name = %s",
                               (self.region, file)).fetchone()
        if row is None:
            return [], []
        with tempfile.TemporaryDirectory(prefix="socialmap-read-") as tmp:
            path = Path(tmp) / "file.csv"
            path.write_bytes(bytes(row[0]))
            return store.read_rows(Path(tmp), "file.csv")

    def record(self, kind: str, record_id: str) -> dict[str, str] | None:
        file = records.KINDS[kind]
        _, rows = self.read_rows(file)
        for row in rows:
            if row.get("id") == record_id:
                return {c.name: row.get(c.name, "") for c in TABLES[file]}
        return None

    def history(self, limit: int = 50) -> list[dict[str, Any]]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT txid, at, who, method, action, table_name, record_id, fields, files, version_before, "
                "version_after, details FROM history WHERE region_id = %s ORDER BY id DESC LIMIT %s",
                (self.region, limit)).fetchall()
        out = []
        for txid, at, who, method, action, table, rid, fields, files, before, after, details in rows:
            entry = dict(details or {})
            entry.update({"txid": txid, "at": at.astimezone(dt.timezone.utc).isoformat(), "who": who,
                          "method": method, "action": action, "files": list(files), "version_before": str(before),
                          "version_after": str(after)})
            if table:
                entry.update({"table": table, "record_id": rid, "fields": list(fields)})
            out.append(entry)
        return out

    def locations_within(self, lat: float, lon: float, metres: float) -> list[tuple[str, float]]:
        """(location id, distance in metres) of the live locations within ``metres`` of a WGS84 point, nearest first.

        Measured in RD New (EPSG:28992) with the GiST index on ``locations.geom_rd``.
        """
        with self._conn() as conn:
            rows = conn.execute(
                "WITH p AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 4326), 28992) AS g) "
                "SELECT id, ST_Distance(geom_rd, p.g) FROM locations, p WHERE region_id = %s "
                "AND ST_DWithin(geom_rd, p.g, %s) ORDER BY 2, 1", (lon, lat, self.region, metres)).fetchall()
        return [(rid, float(d)) for rid, d in rows]

    def export_folder(self, target: str | Path) -> int:
        with self._conn() as conn:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return write_folder(conn, self.region, Path(target))

    # -- the write path
    def _write(self, check: Callable[[psycopg.Connection, int], None],
               operate: Callable[[Path, str], Any], after: Callable[[psycopg.Connection], None] | None = None) -> Any:
        """Run ``operate`` (file-store code) on the locked region, apply its changed files, log, commit."""
        with self._conn() as conn:
            with conn.transaction():
                current = region_version(conn, self.region, lock=True)
                if current is None:
                    raise InputError(f"region '{self.region}' is not in the database", field="region", value=self.region)
                check(conn, current)
                with tempfile.TemporaryDirectory(prefix="socialmap-tx-") as tmp:
                    folder = Path(tmp) / self.region
                    write_folder(conn, self.region, folder)
                    token = store.version_token(folder)
                    outcome = operate(folder, token)
                    result = outcome[0] if isinstance(outcome, tuple) else outcome
                    new_version = current
                    if isinstance(result, store.SaveResult) and result.files:
                        new_version = current + 1
                        log = store.history(folder, limit=1)[0]
                        for name in result.files:
                            self._apply_file(conn, folder, name, new_version)
                        _update_geometry(conn, self.region, new_version)
                        _hook("rows_written")
                        details = {k: v for k, v in log.items()
                                   if k not in ("txid", "at", "who", "method", "action", "old_copies",
                                                "version_before", "version_after")}
                        _history(conn, self.region, log["txid"], log["who"], log["method"], log["action"],
                                 current, new_version, details)
                        conn.execute("UPDATE region SET version = %s, updated_at = now() WHERE id = %s",
                                     (new_version, self.region))
                        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{self.region}:{new_version}"))
                        outcome = _with_version(outcome, str(new_version))
                    if after is not None:
                        after(conn)
                    _hook("before_commit")
        if self.publish_after_save and isinstance(outcome, tuple | store.SaveResult):
            from . import publish

            with contextlib.suppress(Exception):  # the save is committed; any process rebuilds on demand
                publish.ensure_snapshot(self.region, url=self.url)
        return outcome

    def _apply_file(self, conn: psycopg.Connection, folder: Path, name: str, version: int) -> None:
        if name not in TABLES:
            if name == GEOJSON:
                raise ValueError("areas.geojson is changed only with 'db load'")
            conn.execute("INSERT INTO region_file (region_id, name, content) VALUES (%s, %s, %s) "
                         "ON CONFLICT (region_id, name) DO UPDATE SET content = EXCLUDED.content",
                         (self.region, name, (folder / name).read_bytes()))
            return
        header, new_rows = store.read_rows(folder, name)
        _, old_rows = read_table(conn, self.region, name)
        key = key_column(name)
        table = table_name(name)
        old = {r.get(key): (no, r) for no, r in enumerate(old_rows)}
        new_keys = {r.get(key) for r in new_rows}
        for gone in set(old) - new_keys:
            conn.execute(f'DELETE FROM "{table}" WHERE region_id = %s AND "{key}" = %s', (self.region, gone))
        inserts, moved = [], []
        cols = [c.name for c in TABLES[name]]
        for no, row in enumerate(new_rows):
            rid = row.get(key)
            if rid not in old:
                inserts.append((no, row))
                continue
            old_no, old_row = old[rid]
            if any((old_row.get(h) or "") != (row.get(h) or "") for h in set(header) | set(cols)):
                conn.execute(f'DELETE FROM "{table}" WHERE region_id = %s AND "{key}" = %s', (self.region, rid))
                inserts.append((no, row))
            elif old_no != no:
                moved.append((no, self.region, rid))
        if moved:
            with conn.cursor() as cur:
                cur.executemany(f'UPDATE "{table}" SET row_no = %s WHERE region_id = %s AND "{key}" = %s', moved)
        _insert_rows(conn, self.region, name, header, inserts, version)
        conn.execute("UPDATE region_table SET header = %s WHERE region_id = %s AND file = %s", (header, self.region, name))

    def _record_check(self, file: str, record_id: str | None, expected: str) -> Callable[[psycopg.Connection, int], None]:
        """Refuse when the record changed after the form was opened (its version column is newer)."""
        wanted = _parse_version(expected)

        def check(conn: psycopg.Connection, current: int) -> None:
            if wanted < 0 or wanted > current:
                raise _conflict(expected, current)
            if record_id is None:
                return
            row = conn.execute(f'SELECT version FROM "{table_name(file)}" WHERE region_id = %s AND "{key_column(file)}" = %s',
                               (self.region, record_id)).fetchone()
            if row is not None and int(row[0]) > wanted:
                raise _conflict(expected, current)
        return check

    def _region_check(self, expected: str) -> Callable[[psycopg.Connection, int], None]:
        def check(conn: psycopg.Connection, current: int) -> None:
            if _parse_version(expected) != current:
                raise _conflict(expected, current)
        return check

    # -- curator edits
    def upsert(self, kind: str, values: dict[str, Any], curator: Curator, expected_version: str,
               original_id: str | None = None, today: dt.date | None = None) -> tuple[store.SaveResult, records.Change]:
        who = require_curator(curator)
        file = records.KINDS[kind]
        errors = records.check_cells(file, {c.name: records.clean_value(values.get(c.name)) for c in TABLES[file]}, today)
        if errors:  # the cells first, as the file store does, before any version check
            raise store.ValidationFailed(errors)
        return self._write(self._record_check(file, original_id, expected_version),
                           lambda folder, token: records.upsert(folder, kind, values, who, token, original_id, today))

    def retire(self, kind: str, record_id: str, reason: str, curator: Curator, expected_version: str,
               today: dt.date | None = None) -> tuple[store.SaveResult, records.Change]:
        who = require_curator(curator)
        return self._write(self._record_check(records.KINDS[kind], record_id, expected_version),
                           lambda folder, token: records.retire(folder, kind, record_id, reason, who, token, today))

    # -- imports
    def _with_materialised(self, func: Callable[[Path], Any]) -> Any:
        with self._conn() as conn:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            with tempfile.TemporaryDirectory(prefix="socialmap-preview-") as tmp:
                folder = Path(tmp) / self.region
                version = write_folder(conn, self.region, folder)
                return version, func(folder)

    def preview_upload(self, file: str, name: str, data: bytes, mapping: dict[str, str | None] | None = None,
                       retire_missing: bool = False, today: dt.date | None = None) -> importer.Preview:
        version, preview = self._with_materialised(
            lambda folder: importer.preview_upload(folder, file, name, data, mapping, retire_missing, today))
        preview.base_version = str(version)
        return preview

    def preview_hsds(self, name: str, data: bytes, retire_missing: bool = False,
                     today: dt.date | None = None) -> importer.Preview:
        version, preview = self._with_materialised(
            lambda folder: importer.preview_hsds(folder, name, data, retire_missing, today))
        preview.base_version = str(version)
        return preview

    def apply_import(self, preview: importer.Preview, curator: Curator, today: dt.date | None = None) -> store.SaveResult:
        who = require_curator(curator)
        if not preview.ok:
            raise store.ValidationFailed(preview.errors)

        def operate(folder: Path, token: str) -> store.SaveResult:
            import dataclasses

            return importer.apply(folder, dataclasses.replace(preview, base_version=token), who, today)
        return self._write(self._region_check(preview.base_version), operate)

    # -- suggestions
    def submit_suggestion(self, service_id: str, field: str, value: str, note: str,
                          known_services: set[str] | None = None, now: dt.datetime | None = None) -> suggestions.Suggestion:
        """Checked by the file store's own ``suggestions.submit`` (limits and messages), on the open suggestions."""
        from dataclasses import asdict

        with self._conn() as conn:
            with conn.transaction():
                region_version(conn, self.region, lock=True)  # one submission at a time per region
                open_now = [suggestions.Suggestion(*row) for row in conn.execute(
                    "SELECT id, service_id, field, value, note, created_at, status, decided_by, decided_at "
                    "FROM suggestion WHERE region_id = %s AND status = 'open' ORDER BY seq", (self.region,))]
                with tempfile.TemporaryDirectory(prefix="socialmap-suggest-") as tmp:
                    path = Path(tmp) / suggestions.SUGGESTIONS_DIR / suggestions.FILE
                    path.parent.mkdir()
                    path.write_text("".join(json.dumps({"type": "suggestion", **asdict(s)}) + "\n" for s in open_now),
                                    encoding="utf-8")
                    item = suggestions.submit(tmp, service_id, field, value, note, known_services, now)
                conn.execute("INSERT INTO suggestion (region_id, id, service_id, field, value, note, created_at) "
                             "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                             (self.region, item.id, item.service_id, item.field, item.value, item.note, item.created_at))
        return item

    def suggestions(self) -> list[suggestions.Suggestion]:
        with self._conn() as conn:
            rows = conn.execute("SELECT id, service_id, field, value, note, created_at, status, decided_by, decided_at "
                                "FROM suggestion WHERE region_id = %s ORDER BY seq", (self.region,)).fetchall()
        return [suggestions.Suggestion(*row) for row in rows]

    def open_suggestions(self) -> list[suggestions.Suggestion]:
        return [s for s in self.suggestions() if s.status == "open"]

    def _find_open(self, conn: psycopg.Connection, suggestion_id: str) -> suggestions.Suggestion:
        row = conn.execute("SELECT id, service_id, field, value, note, created_at, status, decided_by, decided_at "
                           "FROM suggestion WHERE region_id = %s AND id = %s FOR UPDATE",
                           (self.region, suggestion_id)).fetchone()
        if row is None:
            raise InputError(f"suggestion '{suggestion_id}' does not exist", field="id", value=suggestion_id)
        item = suggestions.Suggestion(*row)
        if item.status != "open":
            raise InputError(f"suggestion '{suggestion_id}' was already {item.status}", field="id", value=suggestion_id)
        return item

    def _decide(self, conn: psycopg.Connection, suggestion_id: str, status: str, who: Curator) -> None:
        stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
        conn.execute("UPDATE suggestion SET status = %s, decided_by = %s, decided_at = %s WHERE region_id = %s AND id = %s",
                     (status, who.name, stamp, self.region, suggestion_id))

    def reject_suggestion(self, suggestion_id: str, curator: Curator) -> None:
        who = require_curator(curator)
        with self._conn() as conn:
            with conn.transaction():
                self._find_open(conn, suggestion_id)
                self._decide(conn, suggestion_id, "rejected", who)

    def accept_suggestion(self, suggestion_id: str, curator: Curator, expected_version: str,
                          value: str | None = None, today: dt.date | None = None) -> Any:
        """Apply the suggestion and mark it accepted in one transaction (both or neither)."""
        who = require_curator(curator)
        with self._conn() as conn:
            item = self._find_open(conn, suggestion_id)
            conn.rollback()
        if item.field == "other":
            with self._conn() as conn:
                with conn.transaction():
                    self._find_open(conn, suggestion_id)
                    self._decide(conn, suggestion_id, "accepted", who)
            return None

        def operate(folder: Path, token: str) -> Any:
            row = records.record(folder, "service", item.service_id)
            if row is None:
                raise InputError(f"service '{item.service_id}' does not exist any more", field="service_id",
                                 value=item.service_id)
            row[item.field] = item.value if value is None else value
            return records.upsert(folder, "service", row, who, token, original_id=item.service_id, today=today)

        def after(conn: psycopg.Connection) -> None:
            self._find_open(conn, suggestion_id)
            self._decide(conn, suggestion_id, "accepted", who)

        result, _ = self._write(self._record_check("services.csv", item.service_id, expected_version), operate, after)
        return result


def _with_version(outcome: Any, version: str) -> Any:
    import dataclasses

    if isinstance(outcome, tuple):
        return (dataclasses.replace(outcome[0], version=version, history_dir=""), *outcome[1:])
    return dataclasses.replace(outcome, version=version, history_dir="")


__all__ = ["PgStore", "load", "dump", "migrate", "connect", "database_url", "ENV_URL", "CHANNEL", "REQUIRED_FILES"]
