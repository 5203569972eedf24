"""Two stores, one model: the region folder (default) or PostgreSQL + PostGIS.

``SOCIALMAP_DATABASE_URL`` unset: the file store (``socialmap/curation/store.py``; nothing
changes for ``make run``). Set (``postgresql://user@host:5432/db``): the PostgreSQL store
(``pg.py``), with the same operations, validation, messages and errors::

    from socialmap import db
    s = db.open_store("kennemerland")
    token = s.version_token()
    s.upsert("service", values, curator, token, original_id="svc-x")   # ConcurrentEditError, ValidationFailed, ...

The app loads its atlas from :func:`atlas_folder` (the region folder, or the published snapshot
of the database's current version), and the curation page can take its modules from
:func:`curation_modules` (the file-store modules themselves, or adapters with the same functions
that write to the database).
"""

from __future__ import annotations

import datetime as dt
import os
import types
from pathlib import Path
from typing import Any, Protocol

from ..curation import importer, records, store, suggestions
from ..curation.auth import Curator
from ..loader import DEFAULT_REGION, region_path

ENV_URL = "SOCIALMAP_DATABASE_URL"


class RegionStore(Protocol):
    """What both stores do for one region."""

    kind: str

    def version_token(self) -> str: ...
    def read_rows(self, file: str) -> tuple[list[str], list[dict[str, str]]]: ...
    def record(self, kind: str, record_id: str) -> dict[str, str] | None: ...
    def history(self, limit: int = 50) -> list[dict[str, Any]]: ...
    def export_folder(self, target: str | Path) -> Any: ...
    def upsert(self, kind: str, values: dict[str, Any], curator: Curator, expected_version: str,
               original_id: str | None = None, today: dt.date | None = None) -> tuple[store.SaveResult, records.Change]: ...
    def retire(self, kind: str, record_id: str, reason: str, curator: Curator, expected_version: str,
               today: dt.date | None = None) -> tuple[store.SaveResult, records.Change]: ...
    def preview_upload(self, file: str, name: str, data: bytes, mapping: dict[str, str | None] | None = None,
                       retire_missing: bool = False, today: dt.date | None = None) -> importer.Preview: ...
    def preview_hsds(self, name: str, data: bytes, retire_missing: bool = False,
                     today: dt.date | None = None) -> importer.Preview: ...
    def apply_import(self, preview: importer.Preview, curator: Curator, today: dt.date | None = None) -> store.SaveResult: ...
    def submit_suggestion(self, service_id: str, field: str, value: str, note: str,
                          known_services: set[str] | None = None, now: dt.datetime | None = None) -> suggestions.Suggestion: ...
    def suggestions(self) -> list[suggestions.Suggestion]: ...
    def open_suggestions(self) -> list[suggestions.Suggestion]: ...
    def accept_suggestion(self, suggestion_id: str, curator: Curator, expected_version: str,
                          value: str | None = None, today: dt.date | None = None) -> Any: ...
    def reject_suggestion(self, suggestion_id: str, curator: Curator) -> None: ...


class FileStore:
    """The region folder, through the existing curation modules (unchanged behaviour)."""

    kind = "files"

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def version_token(self) -> str:
        store.recover(self.folder)
        return store.version_token(self.folder)

    def read_rows(self, file: str) -> tuple[list[str], list[dict[str, str]]]:
        return store.read_rows(self.folder, file)

    def record(self, kind: str, record_id: str) -> dict[str, str] | None:
        return records.record(self.folder, kind, record_id)

    def history(self, limit: int = 50) -> list[dict[str, Any]]:
        return store.history(self.folder, limit)

    def export_folder(self, target: str | Path) -> str:
        import shutil

        shutil.copytree(self.folder, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".*"))  # history, suggestions, caches
        return store.version_token(self.folder)

    def upsert(self, kind: str, values: dict[str, Any], curator: Curator, expected_version: str,
               original_id: str | None = None, today: dt.date | None = None) -> tuple[store.SaveResult, records.Change]:
        return records.upsert(self.folder, kind, values, curator, expected_version, original_id, today)

    def retire(self, kind: str, record_id: str, reason: str, curator: Curator, expected_version: str,
               today: dt.date | None = None) -> tuple[store.SaveResult, records.Change]:
        return records.retire(self.folder, kind, record_id, reason, curator, expected_version, today)

    def preview_upload(self, file: str, name: str, data: bytes, mapping: dict[str, str | None] | None = None,
                       retire_missing: bool = False, today: dt.date | None = None) -> importer.Preview:
        return importer.preview_upload(self.folder, file, name, data, mapping, retire_missing, today)

    def preview_hsds(self, name: str, data: bytes, retire_missing: bool = False,
                     today: dt.date | None = None) -> importer.Preview:
        return importer.preview_hsds(self.folder, name, data, retire_missing, today)

    def apply_import(self, preview: importer.Preview, curator: Curator, today: dt.date | None = None) -> store.SaveResult:
        return importer.apply(self.folder, preview, curator, today)

    def submit_suggestion(self, service_id: str, field: str, value: str, note: str,
                          known_services: set[str] | None = None, now: dt.datetime | None = None) -> suggestions.Suggestion:
        return suggestions.submit(self.folder, service_id, field, value, note, known_services, now)

    def suggestions(self) -> list[suggestions.Suggestion]:
        return suggestions.load(self.folder)

    def open_suggestions(self) -> list[suggestions.Suggestion]:
        return suggestions.open_suggestions(self.folder)

    def accept_suggestion(self, suggestion_id: str, curator: Curator, expected_version: str,
                          value: str | None = None, today: dt.date | None = None) -> Any:
        return suggestions.accept(self.folder, suggestion_id, curator, expected_version, value, today)

    def reject_suggestion(self, suggestion_id: str, curator: Curator) -> None:
        suggestions.reject(self.folder, suggestion_id, curator)


def database_url() -> str:
    """The configured database URL, or '' for the file store."""
    return os.environ.get(ENV_URL, "").strip()


def region_id() -> str:
    return os.environ.get("SOCIALMAP_REGION", DEFAULT_REGION)


def open_store(region: str | None = None, url: str | None = None) -> RegionStore:
    """The store of a region: PostgreSQL when a database URL is configured, else the region folder."""
    region = region or region_id()
    url = url if url is not None else database_url()
    if url:
        from .pg import PgStore

        return PgStore(Path(region).name, url)
    return FileStore(region_path(region))


def atlas_folder(region: str | None = None) -> Path:
    """The folder the app loads the region's atlas from: the region folder, or the published snapshot."""
    region = region or region_id()
    if not database_url():
        return region_path(region)
    from . import publish

    return publish.published_folder(Path(region).name, database_url())


def curation_modules(region: str | None = None) -> tuple[Any, Any, Any, Any]:
    """``(store, records, suggestions, importer)`` for the curation page.

    Without a database these are the file-store modules themselves. With one they are adapters with
    the same functions and constants whose first argument (the folder) is ignored: reads and writes
    go to the database.
    """
    if not database_url():
        return store, records, suggestions, importer
    target: RegionStore = open_store(region)
    return _adapters(target)


def _namespace(base: types.ModuleType, **overrides: Any) -> types.SimpleNamespace:
    names = {name: getattr(base, name) for name in dir(base) if not name.startswith("__")}
    return types.SimpleNamespace(**(names | overrides))


def _adapters(s: RegionStore) -> tuple[Any, Any, Any, Any]:
    a_store = _namespace(
        store,
        version_token=lambda folder: s.version_token(),
        read_rows=lambda folder, file: s.read_rows(file),
        history=lambda folder, limit=50: s.history(limit),
        recover=lambda folder: False,
    )
    a_records = _namespace(
        records,
        record=lambda folder, kind, record_id: s.record(kind, record_id),
        upsert=lambda folder, *args, **kw: s.upsert(*args, **kw),
        retire=lambda folder, *args, **kw: s.retire(*args, **kw),
    )
    a_suggestions = _namespace(
        suggestions,
        submit=lambda folder, *args, **kw: s.submit_suggestion(*args, **kw),
        load=lambda folder: s.suggestions(),
        open_suggestions=lambda folder: s.open_suggestions(),
        accept=lambda folder, *args, **kw: s.accept_suggestion(*args, **kw),
        reject=lambda folder, *args, **kw: s.reject_suggestion(*args, **kw),
    )
    a_importer = _namespace(
        importer,
        preview_upload=lambda folder, *args, **kw: s.preview_upload(*args, **kw),
        preview_hsds=lambda folder, *args, **kw: s.preview_hsds(*args, **kw),
        apply=lambda folder, *args, **kw: s.apply_import(*args, **kw),
    )
    return a_store, a_records, a_suggestions, a_importer


__all__ = ["RegionStore", "FileStore", "open_store", "atlas_folder", "curation_modules", "database_url", "ENV_URL"]
