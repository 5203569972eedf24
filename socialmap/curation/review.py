"""Review queue for records imported from other producers' HSDS 3.0 files.

Nothing from another producer goes live on upload. :func:`enqueue` reads the file (bounded, see
``hsds.read_upload``), turns it into our rows with defaults for what only our profile has
(status ``to_verify``, municipality by point in polygon, service area from the locations) and
stores one queue item per record in ``<region>/.review/queue.json`` (gitignored). A curator then
fills what is left (care level, access route), and approves (the record, together with the
organisation and locations it needs that are still waiting, goes through the same validated save
as every edit) or rejects it. Our own CSV/XLSX imports keep their preview-then-apply.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import loader
from ..errors import InputError
from ..schema import TABLES, columns
from . import importer, store
from .auth import Curator, require_curator

QUEUE_DIR = ".review"
QUEUE_FILE = "queue.json"
KINDS = {"organization": "organizations.csv", "location": "locations.csv", "service": "services.csv"}
#: Profile fields a curator sets by hand when another producer's file has no value for them.
CURATOR_FIELDS = {"services.csv": ("level", "access_route", "service_area", "age_min", "age_max", "concerns", "cost"),
                  "locations.csv": ("municipality_code",), "organizations.csv": ()}


@dataclass
class Item:
    id: str
    kind: str  # organization, location, service
    record_id: str
    name: str
    source: str
    received_at: str
    rows: dict[str, list[dict[str, str]]]  # file -> rows (the record, and for a service its links and hours)
    needs: list[str] = field(default_factory=list)  # queue item ids this one depends on
    status: str = "pending"  # pending, approved, rejected
    decided_by: str = ""
    decided_at: str = ""

    @property
    def main(self) -> dict[str, str]:
        return self.rows[KINDS[self.kind]][0]


@dataclass
class EnqueueResult:
    added: int
    items: list[str]
    errors: list[str]


def _path(folder: Path) -> Path:
    return folder / QUEUE_DIR / QUEUE_FILE


def _load(folder: Path) -> list[Item]:
    path = _path(folder)
    if not path.exists():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return []
    return [Item(**x) for x in raw if isinstance(x, dict)]


def _save(folder: Path, items: list[Item]) -> None:
    store.atomic_write(_path(folder), json.dumps([asdict(i) for i in items], ensure_ascii=False, indent=1))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def items(folder: str | Path, status: str | None = "pending") -> list[Item]:
    """Queue items (default: the pending ones), oldest first."""
    return [i for i in _load(Path(folder)) if status is None or i.status == status]


def enqueue(folder: str | Path, name: str, data: bytes) -> EnqueueResult:
    """Put every record of another producer's HSDS file in the review queue (nothing goes live).

    Returns the number of queued records, or the reason the file cannot be read (too large, too
    deep, not HSDS) as ``errors``; never raises for bad data.
    """
    folder = Path(folder)
    try:
        tables = importer.read_hsds(folder, name, data)
    except importer.ImportError_ as exc:
        return EnqueueResult(0, [], [str(exc)])
    received = _now()
    new: list[Item] = []
    by_record: dict[tuple[str, str], Item] = {}

    def item(kind: str, row: dict[str, str], rows: dict[str, list[dict[str, str]]]) -> Item:
        it = Item(uuid.uuid4().hex[:12], kind, row.get("id", ""), row.get("name", ""), name, received, rows)
        by_record[(kind, it.record_id)] = it
        new.append(it)
        return it

    for row in tables["organizations.csv"]:
        gps = [g for g in tables["gp_practices.csv"] if g.get("organization_id") == row["id"]]
        item("organization", row, {"organizations.csv": [row], **({"gp_practices.csv": gps} if gps else {})})
    for row in tables["locations.csv"]:
        item("location", row, {"locations.csv": [row]})
    for row in tables["services.csv"]:
        links = [r for r in tables["service_at_location.csv"] if r.get("service_id") == row["id"]]
        hours = [r for r in tables["schedules.csv"] if r.get("service_id") == row["id"]]
        item("service", row, {"services.csv": [row], "service_at_location.csv": links, "schedules.csv": hours})
    for it in new:
        main = it.main
        wanted = [("organization", main.get("organization_id", ""))]
        wanted += [("location", r.get("location_id", "")) for f in ("service_at_location.csv", "schedules.csv")
                   for r in it.rows.get(f, []) if r.get("location_id")]
        it.needs = sorted({by_record[w].id for w in wanted if w in by_record and by_record[w] is not it})
    with store.region_lock(folder):
        _save(folder, _load(folder) + new)
    return EnqueueResult(len(new), [i.id for i in new], [])


def problems(folder: str | Path, item: Item, today: dt.date | None = None) -> list[str]:
    """What stops this record from going live (checked with the loader's own cell rules)."""
    today = today or dt.date.today()
    report = loader._Report()
    for file, rows in item.rows.items():
        for number, row in enumerate(rows, start=1):
            where = f"{item.kind} '{item.record_id}' ({file} row {number})"
            for col in TABLES[file]:
                loader._parse_cell(col, row.get(col.name, ""), where, report, today)
    return report.errors


def update(folder: str | Path, item_id: str, values: dict[str, str], curator: Curator) -> Item:
    """Fill or correct fields of a waiting record (only the main record's own columns)."""
    require_curator(curator)
    folder = Path(folder)
    with store.region_lock(folder):
        queue = _load(folder)
        it = _find(queue, item_id)
        allowed = columns(KINDS[it.kind])
        unknown = [k for k in values if k not in allowed or k == "id"]
        if unknown:
            raise InputError(f"{unknown[0]}: not a field of {KINDS[it.kind]} that can be changed here", field=unknown[0])
        it.main.update({k: str(v).strip() for k, v in values.items()})
        _save(folder, queue)
    return it


def _find(queue: list[Item], item_id: str) -> Item:
    for it in queue:
        if it.id == item_id and it.status == "pending":
            return it
    raise InputError(f"review item '{item_id}' is not waiting in the queue (already decided?)", field="item", value=item_id)


def approve(folder: str | Path, item_id: str, curator: Curator, expected_version: str,
            today: dt.date | None = None) -> store.SaveResult:
    """Make a waiting record live, with the waiting records it needs (its organisation, locations).

    Goes through the validated save: ``ValidationFailed`` (nothing written, the item stays
    waiting) when the record is incomplete or does not fit the region.
    """
    who = require_curator(curator)
    folder = Path(folder)
    queue = _load(folder)
    it = _find(queue, item_id)
    bundle: list[Item] = []

    def collect(x: Item) -> None:
        if x in bundle:
            return
        for dep in x.needs:
            found = next((q for q in queue if q.id == dep and q.status == "pending"), None)
            if found is not None:
                collect(found)
        bundle.append(x)

    collect(it)
    incomplete = [message for x in bundle for message in problems(folder, x, today)]
    if incomplete:
        raise store.ValidationFailed(incomplete)
    incoming: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for x in bundle:
        for file, rows in x.rows.items():
            incoming.setdefault(file, []).extend((len(incoming.get(file, [])) + n + 1, r) for n, r in enumerate(rows))
    mapped = {f: list(columns(f)) for f in incoming}
    preview = importer.preview_tables(folder, incoming, mapped, source=f"review {it.source}", today=today)
    if preview.base_version != expected_version:
        raise store.ConcurrentEditError("the data was changed after you opened the queue; nothing was saved: reload")
    if not preview.ok:
        raise store.ValidationFailed(preview.errors)
    result = importer.apply(folder, preview, who, today=today)
    with store.region_lock(folder):
        fresh = _load(folder)
        ids = {x.id for x in bundle}
        for q in fresh:
            if q.id in ids:
                q.status, q.decided_by, q.decided_at = "approved", who.name, _now()
        _save(folder, fresh)
    return result


def reject(folder: str | Path, item_id: str, curator: Curator) -> Item:
    """Drop a waiting record (kept in the queue file as rejected, for the record)."""
    who = require_curator(curator)
    folder = Path(folder)
    with store.region_lock(folder):
        queue = _load(folder)
        it = _find(queue, item_id)
        it.status, it.decided_by, it.decided_at = "rejected", who.name, _now()
        _save(folder, queue)
    return it
