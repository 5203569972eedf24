"""Load and validate a region folder into an :class:`~socialmap.model.Atlas`.

Data is validated where it enters: every cell is parsed by its column's kind (``schema.py``),
then references, vocabularies, geography and dates are checked across files. All problems are
collected and raised together as one :class:`~socialmap.errors.DataError` whose messages name the
file, line, field and value, and what is allowed. Nothing here raises a bare traceback for a
broken file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
import yaml

from . import geo, parsing, vocab
from .errors import DataError
from .model import Atlas, Municipality, Region
from .schema import REQUIRED_FILES, TABLE_ORDER, TABLES, Column

REPO_ROOT = Path(__file__).resolve().parents[1]
REGIONS_DIR = REPO_ROOT / "data" / "regions"
DEFAULT_REGION = "kennemerland"

# re.ASCII: \d means 0-9 only (not Arabic-Indic, full-width or superscript digits).
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_CBS = re.compile(r"^(GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$", re.ASCII)  # CBS codes may end in letters (WK0363AA)
_PHONE = re.compile(r"^(112|113|14 ?0\d{2,3}|(\+31|0)[0-9][0-9 -]{6,13}[0-9])$", re.ASCII)
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~%!$&*+,;=:@/?#-]*)?$", re.ASCII)
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[a-z]{2,}$", re.IGNORECASE)
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$", re.ASCII)
_AGE = re.compile(r"^(\d{1,2})(m?)$", re.ASCII)
_PC4 = re.compile(r"^[1-9]\d{3}$", re.ASCII)
#: Limits on what the loader reads (the national benchmark region stays well below them).
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ROWS = 2_000_000
_POINT_TOLERANCE_M = 150.0
STALE_AFTER_DAYS = 365


def verified_long_ago(file: str, line: int, record_id: str, verified: dt.date) -> str:
    """The warning for a verified record last checked more than :data:`STALE_AFTER_DAYS` ago (the
    one warning that depends on the day of validation)."""
    return f"{file} line {line}: '{record_id}' was last verified on {verified.isoformat()}, more than 12 months ago"


#: Matches every :func:`verified_long_ago` warning.
VERIFIED_LONG_AGO = re.compile(r"(organizations|services)\.csv line \d+: '.*' was last verified on "
                               r"\d{4}-\d{2}-\d{2}, more than 12 months ago")


def region_path(region: str | Path) -> Path:
    """A region id (``kennemerland``) or a folder path → the folder."""
    candidate = Path(region)
    if candidate.is_dir() or candidate.is_absolute() or len(candidate.parts) > 1:
        return candidate
    return REGIONS_DIR / str(region)


@dataclass
class _Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, msg: str) -> None:
        self.errors.append(msg)

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)


@dataclass
class _Table:
    file: str
    rows: list[dict[str, Any]]  # parsed values
    lines: list[int]  # source line of each row


# ---- cell parsing ---------------------------------------------------------------------------

def _allowed(choices: tuple[str, ...]) -> str:
    return ", ".join(choices)


def _parse_cell(col: Column, raw: str, where: str, report: _Report, today: dt.date) -> Any:
    """Parse one cell; on a problem report it and return None."""
    value = raw.strip()
    if value == "":
        if col.required:
            report.error(f"{where}: {col.name} is empty (a value is required)")
        return () if col.kind in ("list", "codes") else None
    name = col.name
    kind = col.kind
    if parsing.has_control(value):
        bad = next(ch for ch in value if parsing.CONTROL.match(ch))
        report.error(f"{where}: {name} contains the control character U+{ord(bad):04X} "
                     "(allowed: text without control characters)")
        return None
    if kind == "id":
        pattern = _CBS if name == "code" else _ID
        if not pattern.match(value):
            expected = "a CBS code such as GM0392, WK039201 or BU03920101" if name == "code" else \
                "lower-case letters, digits, '-' and '_'"
            report.error(f"{where}: {name} '{value}' is not a valid id (expected {expected})")
            return None
        return value
    if kind in ("text", "ref"):
        return value
    if kind == "int":
        number = parsing.ascii_int(value)
        if number is None:
            report.error(f"{where}: {name} '{value}' is not a whole number{_range(col)}")
            return None
        if (col.min is not None and number < col.min) or (col.max is not None and number > col.max):
            report.error(f"{where}: {name} {number} is out of range{_range(col)}")
            return None
        return number
    if kind in ("float", "lat", "lon"):
        fnumber = parsing.ascii_float(value)
        if fnumber is None:
            hint = " (use a decimal point, e.g. 52.3812)" if "," in value else _range(col)
            report.error(f"{where}: {name} '{value}' is not a number{hint}")
            return None
        number = fnumber
        if (col.min is not None and number < col.min) or (col.max is not None and number > col.max):
            report.error(f"{where}: {name} {value} is out of range{_range(col)}")
            return None
        return number
    if kind == "age":
        match = _AGE.match(value.lower())
        if not match:
            report.error(f"{where}: {name} '{value}' is not a number (expected whole years 0-23, or months such as 6m)")
            return None
        number, months = int(match.group(1)), bool(match.group(2))
        if (months and number > 35) or (not months and number > vocab.AGE_MAX_YEARS):
            report.error(f"{where}: {name} '{value}' is out of range (expected whole years 0-23, or months 0m-35m)")
            return None
        return (number, months)
    if kind == "date":
        try:
            if not parsing.is_iso_date(value):
                raise ValueError(value)
            date = dt.date.fromisoformat(value)
        except ValueError:
            report.error(f"{where}: {name} '{value}' is not a date (expected YYYY-MM-DD)")
            return None
        if date > today:
            report.error(f"{where}: {name} {value} is in the future (today is {today.isoformat()})")
            return None
        return date
    if kind == "year":
        if not re.fullmatch(r"[0-9]{4}", value) or not 1900 <= int(value) <= today.year:
            report.error(f"{where}: {name} '{value}' is not a year (expected 4 digits, 1900-{today.year})")
            return None
        return int(value)
    if kind == "time":
        if not _TIME.match(value):
            report.error(f"{where}: {name} '{value}' is not a time (expected HH:MM, 00:00-24:00)")
            return None
        return value
    if kind == "enum":
        if value not in col.choices:
            report.error(f"{where}: {name} '{value}' is not allowed (allowed: {_allowed(col.choices)})")
            return None
        return value
    if kind in ("list", "codes"):
        items = tuple(part.strip() for part in value.split(";") if part.strip())
        if kind == "list" and col.choices:
            bad = [item for item in items if item not in col.choices]
            if bad:
                report.error(f"{where}: {name} '{bad[0]}' is not allowed (allowed: {_allowed(col.choices)})")
                return ()
        if kind == "codes":
            bad = [item for item in items if item != vocab.NATIONAL_AREA and not _CBS.match(item)]
            if bad:
                report.error(f"{where}: {name} '{bad[0]}' is not a CBS code (expected GM/WK/BU codes or NL, separated by ';')")
                return ()
        return items
    if kind == "phone":
        if not _PHONE.match(value):
            report.error(f"{where}: {name} '{value}' is not a Dutch phone number (expected e.g. 023-7504567, 0800-0432, 112)")
            return None
        return value
    if kind == "url":
        if not _URL.match(value):
            report.error(f"{where}: {name} '{value}' is not a web address (expected https://...)")
            return None
        return value
    if kind == "email":
        if not _EMAIL.match(value):
            report.error(f"{where}: {name} '{value}' is not an e-mail address (expected name@domain.nl)")
            return None
        return value
    if kind == "pc":
        if not _PC4.match(value):
            report.error(f"{where}: {name} '{value}' is not a 4-digit postcode (expected 1000-9999)")
            return None
        return value
    raise AssertionError(f"unknown column kind {kind}")  # a programming error, not a data error


def _short(value: object) -> str:
    """A value for a message: its JSON/YAML type and at most 40 characters of it."""
    if value is None:
        return "nothing"
    kind = {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, RecursionError):
        text = "..."
    return f"{kind} {text[:40]}{'...' if len(text) > 40 else ''}"


def _range(col: Column) -> str:
    if col.min is not None and col.max is not None:
        return f" (expected {col.min:g}-{col.max:g})"
    if col.min is not None:
        return f" (expected {col.min:g} or more)"
    return ""


# ---- files ------------------------------------------------------------------------------------

def _file_problem(path: Path) -> str | None:
    """Why ``path`` must not be read (missing, not a regular file, a link out of the folder, too
    large), or None. Checked before opening: a FIFO or device would block or never end."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return f"file is missing from {path.parent}"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "is a broken link (expected a regular file)"
        if not target.is_relative_to(path.parent.resolve()):
            return "is a link to a file outside the region folder (expected a regular file in the folder)"
        info = os.stat(target)
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a folder, pipe or device?); expected a regular file"
    if info.st_size > MAX_FILE_BYTES:
        return (f"is {info.st_size / 1024 ** 2:,.0f} MB, more than the {MAX_FILE_BYTES // 1024 ** 2} MB allowed "
                "for one data file")
    return None


def _read_text(path: Path, report: _Report) -> str | None:
    problem = _file_problem(path)
    if problem is not None:
        report.error(f"{path.name}: {problem}")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.error(f"{path.name}: cannot be read ({exc.strerror})")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.error(f"{path.name}: is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); save it as UTF-8")
        return None


def _read_table(folder: Path, file: str, report: _Report, today: dt.date) -> _Table | None:
    text = _read_text(folder / file, report)
    if text is None:
        return None
    spec = TABLES[file]
    expected = [c.name for c in spec]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        report.error(f"{file} line 1: broken CSV ({exc})")
        return None
    if not header or all(not h.strip() for h in header):
        report.error(f"{file}: file is empty (expected a header row: {', '.join(expected)})")
        return None
    header = [h.strip() for h in header]
    missing = [name for name in expected if name not in header]
    if missing:
        report.error(f"{file}: missing column '{missing[0]}' (expected columns: {', '.join(expected)})")
        return None
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        report.error(f"{file}: column '{dupes[0]}' appears twice in the header")
        return None
    index = {name: header.index(name) for name in expected}
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    errors_before = len(report.errors)
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            report.error(f"{file} line {start}: broken CSV ({exc})")
            return None
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            report.error(f"{file} line {start}: more than {MAX_ROWS:,} rows (at most {MAX_ROWS:,} allowed per table)")
            return None
        where = f"{file} line {start}"
        if len(cells) != len(header):
            what = "cut short?" if len(cells) < len(header) else "a stray comma or unquoted text?"
            report.error(f"{where}: row has {len(cells)} fields, expected {len(header)} ({what})")
            continue
        row = {col.name: _parse_cell(col, cells[index[col.name]], where, report, today) for col in spec}
        rows.append(row)
        lines.append(start)
        if len(report.errors) - errors_before > 200:
            report.error(f"{file}: too many errors, stopped reading at line {start}")
            break
    key = spec[0].name
    if spec[0].kind in ("id", "pc"):
        seen: dict[Any, int] = {}
        for row, ln in zip(rows, lines):
            value = row[key]
            if value is None:
                continue
            if value in seen:
                report.error(f"{file} line {ln}: {key} '{value}' is used twice (first at line {seen[value]})")
            else:
                seen[value] = ln
    return _Table(file, rows, lines)


def _read_region_yaml(folder: Path, report: _Report) -> dict[str, Any] | None:
    text = _read_text(folder / "region.yaml", report)
    if text is None:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        report.error(f"region.yaml{where}: broken YAML ({getattr(exc, 'problem', exc)})")
        return None
    except RecursionError:
        report.error("region.yaml: nested too deeply (expected a mapping of keys: id, name, municipalities, ...)")
        return None
    if not isinstance(data, dict):
        report.error("region.yaml: expected a mapping of keys (id, name, municipalities, ...)")
        return None
    for key in ("id", "name", "municipalities", "attribution"):
        if not data.get(key):
            report.error(f"region.yaml: {key} is missing (required keys: id, name, municipalities, attribution)")
    munis = data.get("municipalities") or []
    if not isinstance(munis, list):
        report.error("region.yaml: municipalities must be a list of {code, name}")
        data["municipalities"] = []
    else:
        for number, muni in enumerate(munis, start=1):
            if not isinstance(muni, dict):
                report.error(f"region.yaml municipality {number}: expected {{code, name}}, found {_short(muni)}")
            elif not all(isinstance(muni.get(key), str) and muni.get(key) for key in ("code", "name")):
                report.error(f"region.yaml municipality {number}: code and name must be text, "
                             f"found code {_short(muni.get('code'))}, name {_short(muni.get('name'))}")
            else:
                continue
            data["municipalities"] = []
            break
    curators = data.get("curators")
    if curators is not None and not (isinstance(curators, list) and all(isinstance(c, str) and c.strip() for c in curators)):
        report.error(f"region.yaml: curators must be a list of e-mail addresses or 'group:NAME' entries, found {_short(curators)}")
    for key in ("id", "name", "attribution"):
        if data.get(key) is not None and not isinstance(data.get(key), str):
            report.error(f"region.yaml: {key} must be text, found '{data.get(key)}'")
    post = data.get("huisartsenpost_service_id")
    if post is not None and not isinstance(post, str):
        report.error(f"region.yaml: huisartsenpost_service_id must be a service id (text), found '{post}'")
        data["huisartsenpost_service_id"] = None
    year = data.get("data_year", 2024)
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
        report.error(f"region.yaml: data_year '{year}' is not a year (expected 4 digits, e.g. 2024)")
        data["data_year"] = 2024
    reach = data.get("reach_m", 3000)
    if not isinstance(reach, int) or isinstance(reach, bool) or not 100 <= reach <= 50000:
        report.error(f"region.yaml: reach_m '{reach}' is not allowed (expected whole metres 100-50000)")
        data["reach_m"] = 3000
    return data


def _read_geometry(folder: Path, report: _Report) -> dict[str, Any] | None:
    text = _read_text(folder / "areas.geojson", report)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        report.error(f"areas.geojson line {exc.lineno}: broken JSON ({exc.msg} at column {exc.colno})")
        return None
    except RecursionError:
        report.error("areas.geojson: nested too deeply (expected a GeoJSON FeatureCollection)")
        return None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        report.error("areas.geojson: expected a GeoJSON FeatureCollection with 'features'")
        return None
    crs = json.dumps(data.get("crs", {}))
    if "28992" not in crs:
        report.error("areas.geojson: crs must be EPSG:28992 (RD New); found " + (crs if crs != "{}" else "none"))
        return None
    geoms: dict[str, Any] = {}
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            report.error(f"areas.geojson feature {number}: expected an object, found {_short(feature)}")
            continue
        props = feature.get("properties")
        if not isinstance(props, dict):
            report.error(f"areas.geojson feature {number}: properties must be an object, found {_short(props)}")
            continue
        code = props.get("code")
        if not code:
            report.error(f"areas.geojson feature {number}: property 'code' is missing")
            continue
        if not isinstance(code, str):
            report.error(f"areas.geojson feature {number}: property 'code' must be text, found {_short(code)}")
            continue
        if not isinstance(feature.get("geometry"), dict):
            report.error(f"areas.geojson feature {number} ({code}): geometry must be an object, found {_short(feature.get('geometry'))}")
            continue
        try:
            geom = shapely.geometry.shape(feature.get("geometry"))
        except Exception as exc:  # shapely raises several types for broken geometry
            report.error(f"areas.geojson feature {number} ({code}): broken geometry ({exc})")
            continue
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            report.error(f"areas.geojson feature {number} ({code}): geometry must be a non-empty (Multi)Polygon")
            continue
        if not geom.is_valid:
            report.error(f"areas.geojson feature {number} ({code}): invalid geometry ({shapely.is_valid_reason(geom)})")
            continue
        minx, miny, maxx, maxy = geom.bounds
        if not (0 <= minx and maxx <= 300_000 and 300_000 <= miny and maxy <= 625_000):
            report.error(f"areas.geojson feature {number} ({code}): coordinates are not RD New metres inside the Netherlands")
            continue
        geoms[code] = geom
    return geoms


# ---- the whole region -----------------------------------------------------------------------

def _frame(table: _Table | None, key: str) -> pd.DataFrame:
    columns = [c.name for c in TABLES[table.file]] if table else []
    frame = pd.DataFrame(table.rows if table else [], columns=columns)
    if key in frame:
        frame = frame.set_index(key, drop=True)
    frame.index = frame.index.astype(str)
    return frame


def _age_months(value: tuple[int, bool] | None, upper: bool) -> int | None:
    if value is None:
        return None
    number, months = value
    if months:
        return number
    return number * 12 + (11 if upper else 0)


def _finish_interrupted_save(folder: Path, report: _Report) -> None:
    """Roll an interrupted curation save forward (or back) before anything is read, so every
    reader (validate, triage, backup, the app) sees one whole transaction, never a mix."""
    from .curation import store  # the store imports this module

    try:
        if store.recover(folder):
            report.warn(f"{folder.name}: an interrupted save was finished before reading")
    except OSError as exc:
        report.error(f"{folder.name}: an interrupted save could not be finished ({exc.strerror}); "
                     "run 'python -m socialmap validate' with write access to the folder")


def check_region(folder: Path, today: dt.date | None = None) -> tuple[Atlas | None, list[str], list[str]]:
    """Validate a region folder: (atlas or None, errors, warnings). Never raises for bad data."""
    today = today or dt.date.today()
    report = _Report()
    if not folder.is_dir():
        report.error(f"{folder}: region folder not found (expected a folder with {', '.join(REQUIRED_FILES)})")
        return None, report.errors, report.warnings
    _finish_interrupted_save(folder, report)
    if report.errors:
        return None, report.errors, report.warnings
    try:
        return _check_region(folder, today, report)
    except RecursionError:
        report.error(f"{folder.name}: data nested too deeply to be read")
        return None, report.errors, report.warnings


def _check_region(folder: Path, today: dt.date, report: _Report) -> tuple[Atlas | None, list[str], list[str]]:
    meta = _read_region_yaml(folder, report)
    geoms = _read_geometry(folder, report)
    tables: dict[str, _Table | None] = {f: _read_table(folder, f, report, today) for f in TABLE_ORDER}
    if report.errors:
        return None, report.errors, report.warnings

    ids: dict[str, set[str]] = {}
    for file, table in tables.items():
        assert table is not None
        key = TABLES[file][0].name
        ids[file.removesuffix(".csv")] = {row[key] for row in table.rows if row[key]}

    # references between files
    for file, table in tables.items():
        assert table is not None
        for col in TABLES[file]:
            if col.kind != "ref":
                continue
            known = ids[col.ref or ""]
            target = f"{col.ref}.csv"
            for row, ln in zip(table.rows, table.lines):
                value = row[col.name]
                if value and value not in known:
                    report.error(f"{file} line {ln}: {col.name} '{value}' does not exist in {target}")

    areas_t, pcs_t, locs_t, svcs_t = (tables[f] for f in ("areas.csv", "postcodes.csv", "locations.csv", "services.csv"))
    assert areas_t and pcs_t and locs_t and svcs_t
    kinds = {row["code"]: row["kind"] for row in areas_t.rows}
    expected_parent = {"buurt": "wijk", "wijk": "gemeente"}
    for row, ln in zip(areas_t.rows, areas_t.lines):
        code, kind, parent = row["code"], row["kind"], row["parent_code"]
        if code and kind and code[:2] != {"gemeente": "GM", "wijk": "WK", "buurt": "BU"}[kind]:
            report.error(f"areas.csv line {ln}: code '{code}' does not fit kind '{kind}'")
        if kind in expected_parent and parent and kinds.get(parent) != expected_parent[kind]:
            report.error(f"areas.csv line {ln}: parent_code '{parent}' of {kind} {code} must be a {expected_parent[kind]}")
        if kind in expected_parent and not parent:
            report.error(f"areas.csv line {ln}: parent_code is empty (a {kind} needs its {expected_parent[kind]})")
        if row["municipality_code"] and kinds.get(row["municipality_code"]) != "gemeente":
            report.error(f"areas.csv line {ln}: municipality_code '{row['municipality_code']}' must be a gemeente")
    assert geoms is not None and meta is not None
    for code in sorted(set(kinds) - set(geoms)):
        report.error(f"areas.geojson: no geometry for area '{code}' of areas.csv")
    for code in sorted(set(geoms) - set(kinds)):
        report.error(f"areas.geojson: area '{code}' is not in areas.csv")
    for m in meta.get("municipalities", []):
        if kinds.get(m["code"]) != "gemeente":
            report.error(f"region.yaml: municipality '{m['code']}' is not a gemeente in areas.csv")

    for row, ln in zip(svcs_t.rows, svcs_t.lines):
        where = f"services.csv line {ln}"
        for code in row["service_area"] or ():
            if code != vocab.NATIONAL_AREA and code not in kinds:
                report.error(f"{where}: service_area '{code}' is not a CBS code in areas.csv (expected GM/WK/BU codes of this region or NL)")
        lo, hi = _age_months(row["age_min"], False), _age_months(row["age_max"], True)
        if lo is not None and hi is not None and lo > hi:
            report.error(f"{where}: age_min is above age_max")
        if row["status"] == "verified" and not (row["source_url"] and row["source_year"]):
            report.error(f"{where}: status 'verified' needs source_url and source_year")
        if row["status"] == "illustrative" and row["phone"]:
            report.error(f"{where}: illustrative record '{row['id']}' must not have a phone number")
        if row["status"] == "illustrative" and "voorbeeld" not in (row["name"] or "").lower():
            report.error(f"{where}: illustrative record '{row['id']}' must say 'voorbeeld' in its name")
    for file in ("organizations.csv", "services.csv"):
        table = tables[file]
        assert table is not None
        for row, ln in zip(table.rows, table.lines):
            verified = row["verified_at"]
            if row["status"] == "verified" and verified and (today - verified).days > STALE_AFTER_DAYS:
                report.warn(verified_long_ago(file, ln, row["id"], verified))
    huisartsenpost = meta.get("huisartsenpost_service_id")
    if huisartsenpost and huisartsenpost not in ids["services"]:
        report.error(f"region.yaml: huisartsenpost_service_id '{huisartsenpost}' does not exist in services.csv")
    elif huisartsenpost:
        post_row = next(r for r in svcs_t.rows if r["id"] == huisartsenpost)
        if not post_row["phone"]:
            report.error(f"region.yaml: huisartsenpost_service_id '{huisartsenpost}' has no phone in services.csv "
                         "(the crisis panel shows it)")

    sched_t = tables["schedules.csv"]
    assert sched_t is not None
    for row, ln in zip(sched_t.rows, sched_t.lines):
        if row["opens"] and row["closes"] and row["opens"] >= row["closes"]:
            report.error(f"schedules.csv line {ln}: opens {row['opens']} is not before closes {row['closes']}")
    gp_t = tables["gp_practices.csv"]
    assert gp_t is not None
    for row, ln in zip(gp_t.rows, gp_t.lines):
        if row["youth_professional"] == "none" and row["service_id"]:
            report.error(f"gp_practices.csv line {ln}: youth_professional is 'none' but service_id is filled in")
        if row["youth_professional"] not in (None, "none") and not row["service_id"]:
            report.error(f"gp_practices.csv line {ln}: service_id is empty (a practice with a {row['youth_professional']} needs its service)")

    if report.errors:
        return None, report.errors, report.warnings

    # geography: build frames, check points fall inside the Netherlands and their municipality
    areas = _frame(areas_t, "code")
    areas = gpd.GeoDataFrame(areas, geometry=[geoms[c] for c in areas.index], crs=geo.RD)
    locations = _frame(locs_t, "id")
    for (loc_id, lat, lon), ln in zip(locations[["latitude", "longitude"]].itertuples(), locs_t.lines):
        if not geo.in_netherlands(lon, lat):
            report.error(f"locations.csv line {ln}: latitude {lat}, longitude {lon} of '{loc_id}' lie outside the Netherlands")
    if report.errors:
        return None, report.errors, report.warnings
    x, y = geo.lonlat_to_rd(locations["longitude"].to_numpy(), locations["latitude"].to_numpy())
    locations = gpd.GeoDataFrame(locations, geometry=shapely.points(x, y), crs=geo.RD)
    muni_geom = areas.geometry
    for (loc_id, muni, point), ln in zip(locations[["municipality_code", "geometry"]].itertuples(), locs_t.lines):
        if muni_geom[muni].distance(point) > _POINT_TOLERANCE_M:
            report.error(f"locations.csv line {ln}: '{loc_id}' lies outside its municipality_code {muni} ({areas.at[muni, 'name']})")
    if report.errors:
        return None, report.errors, report.warnings

    for col in ("population", "age_0_14", "age_15_24"):
        areas[col] = areas[col].astype("Int64")
    areas["parent_code"] = areas["parent_code"].fillna("")
    postcodes = _frame(pcs_t, "pc4")
    postcodes["buurt_code"] = postcodes["buurt_code"].fillna("")
    services = _frame(svcs_t, "id")
    services["age_min_months"] = [_age_months(r["age_min"], False) for r in svcs_t.rows]
    services["age_max_months"] = [_age_months(r["age_max"], True) for r in svcs_t.rows]
    services["waiting_weeks"] = services["waiting_weeks"].astype("Int64")
    for col in ("concerns", "languages", "service_area"):
        services[col] = services[col].map(lambda v: tuple(v) if v else ())
    services = services.drop(columns=["age_min", "age_max"])
    gp = _frame(gp_t, "id")
    gp["youth_days"] = gp["youth_days"].map(lambda v: tuple(v) if v else ())
    region = Region(
        id=str(meta["id"]),
        name=str(meta["name"]),
        municipalities=tuple(Municipality(str(m["code"]), str(m["name"])) for m in meta["municipalities"]),
        huisartsenpost_service_id=huisartsenpost or None,
        reach_m=int(meta.get("reach_m", 3000)),
        attribution=str(meta["attribution"]).strip(),
        data_year=int(meta.get("data_year", 2024)),
        path=folder,
    )
    atlas = Atlas(
        region=region,
        areas=areas,
        postcodes=postcodes,
        organizations=_frame(tables["organizations.csv"], "id"),
        locations=locations,
        services=services,
        service_at_location=_frame(tables["service_at_location.csv"], "id"),
        schedules=_frame(sched_t, "id"),
        gp_practices=gp,
        warnings=tuple(report.warnings),
    )
    return atlas, report.errors, report.warnings


def load_region(region: str | Path = DEFAULT_REGION, today: dt.date | None = None) -> Atlas:
    """Load a region (id or folder) into a validated, read-only atlas; ``DataError`` if invalid."""
    atlas, errors, _ = check_region(region_path(region), today=today)
    if errors or atlas is None:
        raise DataError(errors)
    return atlas


def available_regions() -> list[str]:
    """Region ids shipped under ``data/regions``."""
    return sorted(p.name for p in REGIONS_DIR.iterdir() if (p / "region.yaml").is_file()) if REGIONS_DIR.is_dir() else []


__all__ = ["load_region", "check_region", "region_path", "available_regions", "DEFAULT_REGION"]
