"""'Meld een fout': corrections anyone may send for a service, for a curator to accept or reject.

A suggestion holds only: which service, which field, a suggested value and a short note. There
are no fields for names, e-mail addresses or other personal data of the sender, and nothing about
the sender is stored. Suggestions are JSON lines in ``<region>/.suggestions/suggestions.jsonl``
(gitignored); a decision is appended as a new line (the file is append-only).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import uuid
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..parsing import strip_invisible
from . import records, store
from .auth import Curator, require_curator

SUGGESTIONS_DIR = ".suggestions"
FILE = "suggestions.jsonl"
#: Service fields a visitor may suggest a correction for.
FIELDS: tuple[str, ...] = ("name", "description", "phone", "email", "url", "age_min", "age_max",
                           "languages", "waiting_weeks", "access_route", "cost", "other")
MAX_VALUE = 200
MAX_NOTE = 500
MAX_OPEN = 500  # per region: beyond this, new suggestions are refused (disk-flood guard)
MAX_OPEN_PER_SERVICE = 20  # so that a flood about one service does not block reports about the others
RATE_LIMIT = 3  # suggestions ...
RATE_WINDOW_S = 600  # ... per 10 minutes per client address (ClientRateLimiter)
GLOBAL_RATE_LIMIT = 200  # per RATE_WINDOW_S for the whole server: only a flood from many clients reaches it
MAX_CLIENTS = 10_000  # clients remembered per window (memory bound; the oldest are dropped first)
DECIDE_LOCK = ".decide.lock"


@dataclass
class Suggestion:
    id: str
    service_id: str
    field: str
    value: str
    note: str
    created_at: str
    status: str = "open"  # open / accepted / rejected
    decided_by: str = ""
    decided_at: str = ""


def _clean(text: str, limit: int, name: str) -> str:
    text = strip_invisible((text or "").replace("\r", "").replace("\t", " ")).strip()
    if len(text) > limit:
        raise InputError(f"{name} is {len(text)} characters long (at most {limit} allowed)", field=name, value=text[:40])
    return text


def _path(folder: Path) -> Path:
    return folder / SUGGESTIONS_DIR / FILE


class GlobalRateLimiter:
    """At most ``limit`` suggestions per ``window_s`` seconds for the whole process (thread-safe).

    Holds only timestamps: nothing about who sent a suggestion.
    """

    def __init__(self, limit: int = GLOBAL_RATE_LIMIT, window_s: float = RATE_WINDOW_S) -> None:
        self.limit = limit
        self.window_s = window_s
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self, now: float | None = None) -> bool:
        """Count one suggestion and return True, or return False (count nothing) when the limit is reached."""
        now = time.time() if now is None else now
        with self._lock:
            while self._times and now - self._times[0] >= self.window_s:
                self._times.popleft()
            if len(self._times) >= self.limit:
                return False
            self._times.append(now)
            return True

    def clear(self) -> None:
        with self._lock:
            self._times.clear()


class ClientRateLimiter:
    """At most ``limit`` suggestions per ``window_s`` seconds per client, for the whole process.

    A client is an opaque key (the caller passes a hash of the address, or of the browser
    session when no address is known); nothing is written anywhere and a key is forgotten when
    its window has passed. At most ``max_clients`` keys are kept (the oldest go first).
    """

    def __init__(self, limit: int = RATE_LIMIT, window_s: float = RATE_WINDOW_S, max_clients: int = MAX_CLIENTS) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_clients = max_clients
        self._times: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def acquire(self, client: str, now: float | None = None) -> bool:
        """Count one suggestion of ``client`` and return True, or False when it reached its limit."""
        now = time.time() if now is None else now
        with self._lock:
            times = [t for t in self._times.pop(client, []) if now - t < self.window_s]
            allowed = len(times) < self.limit
            if allowed:
                times.append(now)
            self._times[client] = times  # re-inserted: the dict keeps the most recent clients last
            while len(self._times) > self.max_clients:
                self._times.pop(next(iter(self._times)))
            return allowed

    def clear(self) -> None:
        with self._lock:
            self._times.clear()


def submit(folder: str | Path, service_id: str, field: str, value: str, note: str,
           known_services: set[str] | None = None, now: dt.datetime | None = None) -> Suggestion:
    """Store a suggestion (anyone may; no login). ``InputError`` on a bad or too long input."""
    folder = Path(folder)
    if known_services is not None and service_id not in known_services:
        raise InputError(f"service_id '{service_id}' does not exist", field="service_id", value=service_id)
    if field not in FIELDS:
        raise InputError(f"field '{field}' is not allowed (allowed: {', '.join(FIELDS)})", field="field", value=field)
    value = _clean(value, MAX_VALUE, "value")
    note = _clean(note, MAX_NOTE, "note")
    if not value and not note:
        raise InputError("value and note are both empty (write the correct value or a short note)", field="value")
    still_open = [s for s in load(folder) if s.status == "open"]
    if sum(1 for s in still_open if s.service_id == service_id) >= MAX_OPEN_PER_SERVICE:
        raise InputError(f"there are already {MAX_OPEN_PER_SERVICE} open suggestions for this service; "
                         "a curator looks at them first", field="service_id", value=service_id)
    if len(still_open) >= MAX_OPEN:
        raise InputError(f"there are already {MAX_OPEN} open suggestions; try again later", field="service_id")
    stamp = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0).isoformat()
    item = Suggestion(id=uuid.uuid4().hex[:12], service_id=service_id, field=field, value=value,
                      note=note, created_at=stamp)
    store.append_line(_path(folder), {"type": "suggestion", **asdict(item)})
    return item


def load(folder: str | Path) -> list[Suggestion]:
    """All suggestions with their latest decision, oldest first."""
    path = _path(Path(folder))
    if not path.exists():
        return []
    items: dict[str, Suggestion] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if rec.get("type") == "suggestion":
            fields = {k: rec.get(k, "") for k in Suggestion.__dataclass_fields__}
            items[rec["id"]] = Suggestion(**fields)
        elif rec.get("type") == "decision" and rec.get("id") in items:
            s = items[rec["id"]]
            s.status, s.decided_by, s.decided_at = rec["status"], rec.get("by", ""), rec.get("at", "")
    return list(items.values())


def open_suggestions(folder: str | Path) -> list[Suggestion]:
    return [s for s in load(folder) if s.status == "open"]


def _decide(folder: Path, suggestion_id: str, status: str, curator: Curator) -> None:
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    store.append_line(_path(folder), {"type": "decision", "id": suggestion_id, "status": status,
                                      "by": curator.name, "at": stamp})


def _find(folder: Path, suggestion_id: str) -> Suggestion:
    for s in load(folder):
        if s.id == suggestion_id:
            if s.status != "open":
                raise InputError(f"suggestion '{suggestion_id}' was already {s.status}", field="id", value=suggestion_id)
            return s
    raise InputError(f"suggestion '{suggestion_id}' does not exist", field="id", value=suggestion_id)


def _decision_lock(folder: Path) -> Any:
    """One decision at a time per region (across processes): the status is re-checked inside.
    A lock of its own, so that accepting can take the region's data lock inside it."""
    return store.file_lock(folder / SUGGESTIONS_DIR / DECIDE_LOCK)


def reject(folder: str | Path, suggestion_id: str, curator: Curator) -> None:
    who = require_curator(curator)
    folder = Path(folder)
    with _decision_lock(folder):
        _find(folder, suggestion_id)
        _decide(folder, suggestion_id, "rejected", who)


def accept(folder: str | Path, suggestion_id: str, curator: Curator, expected_version: str,
           value: str | None = None, today: dt.date | None = None) -> Any:
    """Apply the suggested value (or the curator's corrected ``value``) to the service and mark it accepted.

    Validated like every edit; ``field == 'other'`` suggestions can only be marked accepted
    (the curator edits the record by hand).
    """
    who = require_curator(curator)
    folder = Path(folder)
    with _decision_lock(folder):
        s = _find(folder, suggestion_id)
        result = None
        if s.field != "other":
            row = records.record(folder, "service", s.service_id)
            if row is None:
                raise InputError(f"service '{s.service_id}' does not exist any more", field="service_id", value=s.service_id)
            row[s.field] = s.value if value is None else value
            result, _ = records.upsert(folder, "service", row, who, expected_version, original_id=s.service_id, today=today)
        _decide(folder, suggestion_id, "accepted", who)
    return result
