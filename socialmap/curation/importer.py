"""Import CSV / XLSX uploads (with column mapping) and HSDS JSON: preview first, write on confirm.

``preview_*`` never writes: it merges the upload into a copy of the table(s) (by ``id``: new ids
are added, existing ids changed in the mapped columns, and, only when asked, ids missing from the
upload are retired), checks every cell with the loader's parser and the whole region with
``check_region``, and reports errors by upload line. ``apply`` writes the previewed change through
``store.save`` (validated again, refused if the data changed since the preview).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from .. import loader
from ..schema import TABLES, columns
from . import hsds, records, store
from .auth import Curator, require_curator

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
MAX_COLUMNS = 100
MAX_CELLS = 600_000  # 20,000 rows of 30 columns; our widest table has 23
MAX_UNPACKED = 50 * 1024 * 1024
IMPORTABLE = ("organizations.csv", "locations.csv", "services.csv", "service_at_location.csv", "schedules.csv",
              "gp_practices.csv")


class ImportError_(ValueError):
    """The upload cannot be read (wrong type, too large, no header)."""


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # id -> changed columns
    retired: list[str] = field(default_factory=list)


@dataclass
class Preview:
    base_version: str
    diffs: dict[str, TableDiff]
    errors: list[str]
    warnings: list[str]
    new_texts: dict[str, str]
    retired_rows: dict[str, list[dict[str, str]]]
    source: str

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return any(d.added or d.changed or d.retired for d in self.diffs.values())


# ---- reading uploads ---------------------------------------------------------------------------

def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_upload(name: str, data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of an uploaded CSV (UTF-8, comma or semicolon) or XLSX (first sheet)."""
    if len(data) > MAX_BYTES:
        raise ImportError_(f"{name}: file is {len(data) // 1024} KB (at most {MAX_BYTES // 1024} KB allowed)")
    lower = name.lower()
    if lower.endswith(".xlsx"):
        header, rows = _read_xlsx(name, data)
    elif lower.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportError_(f"{name}: is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); save it as UTF-8") from None
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        try:
            header, rows = _rows(name, reader)
        except csv.Error as exc:
            raise ImportError_(f"{name} line {reader.line_num}: broken CSV ({exc})") from None
    else:
        raise ImportError_(f"{name}: file type not allowed (allowed: .csv, .xlsx)")
    return header, rows


def _rows(name: str, grid: Iterator[list[str]]) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows from a stream of rows; stops reading at MAX_ROWS (never reads the rest)."""
    first = next(grid, None)
    if not first or not any(c.strip() for c in first):
        raise ImportError_(f"{name}: file is empty (expected a header row)")
    header = [c.strip() for c in first]
    if len(header) > MAX_COLUMNS:
        raise ImportError_(f"{name}: {len(header)} columns (at most {MAX_COLUMNS} allowed)")
    rows = []
    for cells in grid:
        if len(rows) >= MAX_ROWS:
            raise ImportError_(f"{name}: more than {MAX_ROWS} rows")
        rows.append({h: (cells[i].strip() if i < len(cells) and cells[i] is not None else "") for i, h in enumerate(header) if h})
    return header, rows


def _bounded_cells(name: str, rows: Iterator[tuple[Any, ...]]) -> Iterator[list[str]]:
    """Rows as text, stopping once MAX_CELLS cells were read (a sheet without a true <dimension>)."""
    seen = 0
    for row in rows:
        seen += len(row)
        if seen > MAX_CELLS:
            raise ImportError_(f"{name}: more than {MAX_CELLS} cells (at most {MAX_ROWS} rows of {MAX_CELLS // MAX_ROWS} columns)")
        yield [_cell_text(v) for v in row[:MAX_COLUMNS]]


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+[0-9]+:([A-Z]+)([0-9]+)"')
_STRING_COUNT = re.compile(rb'\b(?:uniqueCount|count)="([0-9]+)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


def _xlsx_precheck(name: str, data: bytes) -> None:
    """Refuse an XLSX by its parts' sizes and headers before openpyxl parses anything: unpacked size,
    the sheet's declared dimension and the number of shared strings (parsed in full on load)."""
    import zipfile

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportError_(f"{name}: not a readable .xlsx file (BadZipFile)") from None
    with zf:
        if sum(i.file_size for i in zf.infolist()) > MAX_UNPACKED:
            raise ImportError_(f"{name}: more than {MAX_UNPACKED // (1024 * 1024)} MB when unpacked")
        for info in zf.infolist():
            if not info.filename.startswith("xl/") or not info.filename.endswith(".xml"):
                continue
            with zf.open(info) as member:
                head = member.read(4096)
            if info.filename.startswith("xl/worksheets/"):
                match = _DIMENSION.search(head)
                if match and int(match.group(2)) > MAX_ROWS + 1:
                    raise ImportError_(f"{name}: more than {MAX_ROWS} rows")
                if match and _column_number(match.group(1)) > MAX_COLUMNS:
                    raise ImportError_(f"{name}: {_column_number(match.group(1))} columns (at most {MAX_COLUMNS} allowed)")
            elif info.filename == "xl/sharedStrings.xml":
                match = _STRING_COUNT.search(head)
                if match and int(match.group(1)) > MAX_CELLS:
                    raise ImportError_(f"{name}: more than {MAX_CELLS} cells (at most {MAX_ROWS} rows of {MAX_CELLS // MAX_ROWS} columns)")


def _read_xlsx(name: str, data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """First sheet of an XLSX, streamed (openpyxl read-only): at most MAX_COLUMNS cells per row are
    looked at and reading stops at MAX_ROWS, so a sheet of millions of cells costs no more than
    the allowed rows."""
    import openpyxl

    _xlsx_precheck(name, data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:  # openpyxl/zipfile raise many types for a broken file
        raise ImportError_(f"{name}: not a readable .xlsx file ({exc.__class__.__name__})") from None
    try:
        rows_declared, cols_declared = sheet.max_row or 0, sheet.max_column or 0  # from <dimension>, when present
        if rows_declared > MAX_ROWS + 1:
            raise ImportError_(f"{name}: more than {MAX_ROWS} rows")
        if cols_declared > MAX_COLUMNS:
            raise ImportError_(f"{name}: {cols_declared} columns (at most {MAX_COLUMNS} allowed)")
        return _rows(name, _bounded_cells(name, sheet.iter_rows(values_only=True)))
    except ImportError_:
        raise
    except Exception as exc:  # a broken sheet part inside a valid zip
        raise ImportError_(f"{name}: not a readable .xlsx file ({exc.__class__.__name__})") from None
    finally:
        book.close()


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


#: Common Dutch column names in spreadsheets -> our column.
SYNONYMS: dict[str, str] = {
    "naam": "name", "omschrijving": "description", "beschrijving": "description", "telefoon": "phone",
    "telefoonnummer": "phone", "website": "url", "email": "email", "emailadres": "email", "adres": "address",
    "plaats": "city", "woonplaats": "city", "organisatie": "organization_id", "organisatieid": "organization_id",
    "niveau": "level", "toegang": "access_route", "kosten": "cost", "talen": "languages", "wachttijd": "waiting_weeks",
    "werkgebied": "service_area", "leeftijdvan": "age_min", "leeftijdtot": "age_max", "breedtegraad": "latitude",
    "lengtegraad": "longitude", "lat": "latitude", "lon": "longitude", "lng": "longitude",
}


def suggest_mapping(header: list[str], file: str) -> dict[str, str | None]:
    """Target column -> upload column, matched by name (case and punctuation ignored, Dutch names known)."""
    by_norm: dict[str, str] = {}
    for h in header:
        if h:
            by_norm.setdefault(_norm(h), h)
            if _norm(h) in SYNONYMS:
                by_norm.setdefault(SYNONYMS[_norm(h)].replace("_", ""), h)
    return {col: by_norm.get(_norm(col)) for col in columns(file)}


# ---- preview -----------------------------------------------------------------------------------

def _same(col: Any, old: str, new: str) -> bool:
    """Equal cell values (numbers compared as numbers: 4.646790 == 4.64679)."""
    if old.strip() == new.strip():
        return True
    if col is not None and col.kind in ("float", "lat", "lon"):
        try:
            return float(old) == float(new)
        except ValueError:
            return False
    return False


_WHERE = re.compile(r"^([a-z_]+\.csv) line (\d+):")


def _merge(folder: Path, file: str, incoming: list[tuple[int, dict[str, str]]], mapped: list[str],
           retire_missing: bool, diff: TableDiff) -> tuple[list[str], list[dict[str, str]], dict[int, int], list[dict[str, str]]]:
    header, rows = store.read_rows(folder, file)
    header = header or list(columns(file))
    spec = columns(file)
    key = TABLES[file][0].name
    index = {r.get(key): i for i, r in enumerate(rows)}
    line_map: dict[int, int] = {}
    seen: set[str] = set()
    for upload_line, values in incoming:
        rid = values.get(key, "")
        seen.add(rid)
        if rid in index:
            old = rows[index[rid]]
            changes = [c for c in mapped if not _same(spec.get(c), old.get(c) or "", values.get(c, ""))]
            if changes:
                diff.changed[rid] = changes
                rows[index[rid]] = old | {c: values.get(c, "") for c in mapped}
            line_map[index[rid] + 2] = upload_line
        else:
            diff.added.append(rid)
            rows.append({h: "" for h in header} | {c: values.get(c, "") for c in mapped})
            index[rid] = len(rows) - 1
            line_map[len(rows) + 1] = upload_line
    retired_rows: list[dict[str, str]] = []
    if retire_missing:
        keep = []
        for r in rows:
            if r.get(key) in seen:
                keep.append(r)
            else:
                diff.retired.append(r.get(key, ""))
                retired_rows.append(r)
        # line numbers shift after removals: rebuild the map
        new_index = {r.get(key): i for i, r in enumerate(keep)}
        old_by_id = {rows[line - 2].get(key): up for line, up in line_map.items()}
        line_map = {new_index[rid] + 2: up for rid, up in old_by_id.items() if rid in new_index}
        rows = keep
    return header, rows, line_map, retired_rows


def preview_tables(folder: str | Path, incoming: dict[str, list[tuple[int, dict[str, str]]]],
                   mapped: dict[str, list[str]], retire_missing: bool = False, source: str = "upload",
                   today: dt.date | None = None) -> Preview:
    """Preview merging ``incoming`` rows ((upload line, values) per file) into the region."""
    folder = Path(folder)
    store.recover(folder)
    today = today or dt.date.today()
    base = store.version_token(folder)
    errors: list[str] = []
    diffs: dict[str, TableDiff] = {}
    new_texts: dict[str, str] = {}
    retired: dict[str, list[dict[str, str]]] = {}
    line_maps: dict[str, dict[int, int]] = {}
    for file, rows in incoming.items():
        if file not in IMPORTABLE:
            errors.append(f"{file}: cannot be imported (allowed: {', '.join(IMPORTABLE)})")
            continue
        key = TABLES[file][0].name
        report = loader._Report()
        ids_seen: dict[str, int] = {}
        label = source if len(incoming) == 1 else f"{source} ({file})"
        for line, values in rows:
            where = f"{label} line {line}"
            for col in TABLES[file]:
                if col.name in mapped[file]:
                    loader._parse_cell(col, values.get(col.name, ""), where, report, today)
            rid = values.get(key, "")
            if rid in ids_seen:
                report.error(f"{where}: {key} '{rid}' is used twice (first at line {ids_seen[rid]})")
            ids_seen.setdefault(rid, line)
        if key not in mapped[file]:
            report.error(f"{label}: no column is mapped to '{key}' (needed to match records)")
        errors += report.errors
        if key not in mapped[file]:
            continue
        diff = TableDiff()  # shown even when some cells are wrong, so the curator sees the whole change
        header, merged, line_map, gone = _merge(folder, file, rows, mapped[file], retire_missing, diff)
        diffs[file] = diff
        new_texts[file] = store.rows_to_csv(header, merged)
        line_maps[file] = line_map
        if gone:
            retired[file] = gone
    warnings: list[str] = []
    if not errors and new_texts:
        region_errors, warnings = store.check_with(folder, new_texts, today=today)
        for message in region_errors:
            match = _WHERE.match(message)
            if match and match.group(1) in line_maps and int(match.group(2)) in line_maps[match.group(1)]:
                upload_line = line_maps[match.group(1)][int(match.group(2))]
                message = f"{source} line {upload_line} → {message}"
            errors.append(message)
    return Preview(base, diffs, errors, warnings, new_texts, retired, source)


def preview_upload(folder: str | Path, file: str, name: str, data: bytes, mapping: dict[str, str | None] | None = None,
                   retire_missing: bool = False, today: dt.date | None = None) -> Preview:
    """Preview a CSV/XLSX upload for one table with a column mapping (target -> upload column)."""
    header, rows = read_upload(name, data)
    mapping = mapping or suggest_mapping(header, file)
    mapped = [target for target, source in mapping.items() if source]
    incoming = [(number + 2, {target: row.get(source or "", "") for target, source in mapping.items() if source})
                for number, row in enumerate(rows)]
    return preview_tables(folder, {file: incoming}, {file: mapped}, retire_missing, source=name, today=today)


def municipality_locator(folder: str | Path) -> Callable[[float, float], str | None]:
    """``locate(lat, lon)`` → the CBS code of the region's gemeente that contains the point, or None."""
    import geopandas as gpd
    import shapely

    from .. import geo

    folder = Path(folder)
    kinds = {r["code"]: r["kind"] for r in store.read_rows(folder, "areas.csv")[1]}
    frame = gpd.read_file(folder / "areas.geojson")
    polygons = [(code, geom) for code, geom in zip(frame["code"], frame.geometry, strict=True) if kinds.get(code) == "gemeente"]

    def locate(lat: float, lon: float) -> str | None:
        x, y = geo.lonlat_to_rd([lon], [lat])
        point = shapely.Point(float(x[0]), float(y[0]))
        return next((str(code) for code, geom in polygons if geom.covers(point)), None)

    return locate


def read_hsds(folder: str | Path, name: str, data: bytes) -> dict[str, list[dict[str, str]]]:
    """Our rows of an HSDS 3.0 upload (JSON or tabular zip, any producer), bounded.

    Raises ``ImportError_`` with a message naming the file, record and field for anything that is
    too large, too deep, broken or not HSDS; never another exception.
    """
    if len(data) > MAX_BYTES:
        raise ImportError_(f"{name}: file is {len(data) // 1024} KB (at most {MAX_BYTES // 1024} KB allowed)")
    try:
        orgs = hsds.read_upload(name, data)
        return hsds.package_to_rows(orgs, locate=municipality_locator(folder))
    except hsds.NotHSDS as exc:
        raise ImportError_(str(exc)) from None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise ImportError_(f"{name}: not HSDS 3.0 data ({exc.__class__.__name__}: {str(exc)[:200]})") from None


def is_own_export(tables: dict[str, list[dict[str, str]]], name: str, data: bytes) -> bool:
    """True when every record of an HSDS upload was written by a socialmap export (our profile)."""
    del tables
    try:
        orgs = hsds.read_upload(name, data)
    except (hsds.NotHSDS, ValueError):
        return False
    return all(hsds.is_own_profile(o) and all(hsds.is_own_profile(s) for s in o.get("services") or [])
               for o in orgs)


def preview_hsds(folder: str | Path, name: str, data: bytes, retire_missing: bool = False,
                 today: dt.date | None = None) -> Preview:
    """Preview an HSDS 3.0 JSON or tabular zip import (our own exports; other producers' files go
    to the review queue, see ``review.py``)."""
    try:
        tables = read_hsds(folder, name, data)
    except ImportError_ as exc:
        return Preview(store.version_token(Path(folder)), {}, [str(exc)], [], {}, {}, name)
    incoming = {f: [(i + 1, r) for i, r in enumerate(rows)] for f, rows in tables.items()}
    mapped = {f: list(columns(f)) for f in tables}
    return preview_tables(folder, incoming, mapped, retire_missing, source=f"{name} record", today=today)


def apply(folder: str | Path, preview: Preview, curator: Curator, today: dt.date | None = None) -> store.SaveResult:
    """Write a previewed import (refused when the preview has errors or the data changed since)."""
    who = require_curator(curator)
    if not preview.ok:
        raise store.ValidationFailed(preview.errors)
    folder = Path(folder)
    extra: dict[str, str] = {}
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    for file, rows in preview.retired_rows.items():
        rel = f"{store.RETIRED_DIR}/{file}"
        old_header, old_rows = store.read_rows(folder, rel)
        header = old_header or [*columns(file), *records.RETIRED_EXTRA]
        extra[rel] = store.rows_to_csv(header, old_rows + [r | {"retired_at": stamp, "retired_by": who.name,
                                                                  "reason": f"import {preview.source}"} for r in rows])
    summary = {f: {"added": d.added, "changed": sorted(d.changed), "retired": d.retired} for f, d in preview.diffs.items()}
    return store.save(folder, preview.new_texts, who, preview.base_version, "import",
                      {"source": preview.source, "summary": summary}, extra_texts=extra, today=today)
