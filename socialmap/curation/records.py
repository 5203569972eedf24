"""Add, edit and retire organisations, locations and services: one record per save.

Values come in as the strings a curator types (the CSV cell text). Each cell is checked with the
loader's own cell parser (``loader._parse_cell``, the column specs of ``schema.py``), then the
whole region is validated with the change applied (``store.save``): a save writes only if the
region still validates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import loader
from ..errors import InputError
from ..schema import TABLES, columns
from . import store
from .auth import Curator, require_curator

#: Editable record kinds and their file.
KINDS: dict[str, str] = {
    "organization": "organizations.csv",
    "location": "locations.csv",
    "service": "services.csv",
}
RETIRED_EXTRA = ("retired_at", "retired_by", "reason")
#: Link tables whose rows go with a retired record: (table, column pointing at it).
_CASCADE: dict[str, tuple[tuple[str, str], ...]] = {
    "services.csv": (("service_at_location.csv", "service_id"), ("schedules.csv", "service_id")),
    "locations.csv": (("service_at_location.csv", "location_id"),),
    "organizations.csv": (),
}


@dataclass(frozen=True)
class Change:
    file: str
    record_id: str
    action: str  # add / edit / retire
    fields: tuple[str, ...]


def clean_value(value: Any) -> str:
    """A form value as CSV cell text (no surrounding spaces, no CR, None -> '')."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v).strip() for v in value if str(v).strip())
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r", "").strip()


def check_cells(file: str, values: dict[str, str], today: dt.date | None = None) -> list[str]:
    """Cell errors for one record, with the loader's messages (``services.csv (svc-x): ...``)."""
    report = loader._Report()
    rid = values.get(TABLES[file][0].name, "") or "new"
    where = f"{file} ({rid})"
    for col in TABLES[file]:
        loader._parse_cell(col, values.get(col.name, ""), where, report, today or dt.date.today())
    return report.errors


def retired_ids(folder: Path, file: str) -> set[str]:
    _, rows = store.read_rows(folder, f"{store.RETIRED_DIR}/{file}")
    return {r.get("id", "") for r in rows}


def upsert(folder: str | Path, kind: str, values: dict[str, Any], curator: Curator, expected_version: str,
           original_id: str | None = None, today: dt.date | None = None) -> tuple[store.SaveResult, Change]:
    """Add (``original_id`` None) or edit one record. Raises InputError / ValidationFailed / ConcurrentEditError."""
    who = require_curator(curator)
    folder = Path(folder)
    file = KINDS[kind]
    spec = columns(file)
    cells = {name: clean_value(values.get(name)) for name in spec}
    errors = check_cells(file, cells, today)
    if errors:
        raise store.ValidationFailed(errors)
    header, rows = store.read_rows(folder, file)
    header = header or list(spec)
    rid = cells["id"]
    index = {r.get("id"): i for i, r in enumerate(rows)}
    if original_id is None:
        if rid in index:
            raise InputError(f"{file}: id '{rid}' is already used (ids are unique)", field="id", value=rid)
        if rid in retired_ids(folder, file):
            raise InputError(f"{file}: id '{rid}' belonged to a retired record (never reuse an id)", field="id", value=rid)
        new_row = {h: "" for h in header} | cells
        rows.append(new_row)
        changed = tuple(n for n in spec if cells[n])
        action = "add"
    else:
        if original_id not in index:
            raise InputError(f"{file}: id '{original_id}' does not exist (was it retired?)", field="id", value=original_id)
        if rid != original_id:
            raise InputError(f"{file}: id '{original_id}' cannot be changed (ids are stable keys)", field="id", value=rid)
        old = rows[index[rid]]
        changed = tuple(n for n in spec if (old.get(n) or "").strip() != cells[n])
        rows[index[rid]] = old | cells
        action = "edit"
    change = Change(file, rid, action, changed)
    result = store.save(folder, {file: store.rows_to_csv(header, rows)}, who, expected_version, action,
                        {"table": file, "record_id": rid, "fields": list(changed)}, today=today)
    return result, change


def retire(folder: str | Path, kind: str, record_id: str, reason: str, curator: Curator, expected_version: str,
           today: dt.date | None = None) -> tuple[store.SaveResult, Change]:
    """Retire a record: remove it (and its link rows) from the live data, archive it in ``retired/``.

    The save is refused (``ValidationFailed``) when other records still point at it, e.g. an
    organisation that still has services: retire or move those first.
    """
    who = require_curator(curator)
    folder = Path(folder)
    file = KINDS[kind]
    reason = clean_value(reason)[:300]
    header, rows = store.read_rows(folder, file)
    keep = [r for r in rows if r.get("id") != record_id]
    if len(keep) == len(rows):
        raise InputError(f"{file}: id '{record_id}' does not exist", field="id", value=record_id)
    gone = [r for r in rows if r.get("id") == record_id]
    new_texts = {file: store.rows_to_csv(header, keep)}
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    extra: dict[str, str] = {}
    archive: dict[str, list[dict[str, str]]] = {file: gone}
    for link_file, col in _CASCADE[file]:
        lh, lrows = store.read_rows(folder, link_file)
        lkeep = [r for r in lrows if r.get(col) != record_id]
        if len(lkeep) != len(lrows):
            new_texts[link_file] = store.rows_to_csv(lh, lkeep)
            archive[link_file] = [r for r in lrows if r.get(col) == record_id]
    for arch_file, arch_rows in archive.items():
        live_header = list(columns(arch_file))
        rel = f"{store.RETIRED_DIR}/{arch_file}"
        old_header, old_rows = store.read_rows(folder, rel)
        out_header = old_header or [*live_header, *RETIRED_EXTRA]
        stamped = [r | {"retired_at": stamp, "retired_by": who.name, "reason": reason} for r in arch_rows]
        extra[rel] = store.rows_to_csv(out_header, old_rows + stamped)
    change = Change(file, record_id, "retire", ())
    result = store.save(folder, new_texts, who, expected_version, "retire",
                        {"table": file, "record_id": record_id, "reason": reason,
                         "cascade": {k: [r.get("id") for r in v] for k, v in archive.items() if k != file}},
                        extra_texts=extra, today=today)
    return result, change


def record(folder: str | Path, kind: str, record_id: str) -> dict[str, str] | None:
    """The raw cell texts of one record (for a form), or None."""
    _, rows = store.read_rows(Path(folder), KINDS[kind])
    for row in rows:
        if row.get("id") == record_id:
            return {name: row.get(name, "") for name in columns(KINDS[kind])}
    return None
