"""Published snapshots of a region for the app processes (PostgreSQL store).

After every committed save the writer writes the region, as of the new version, to
``<snapshot root>/<region>/v<version>/`` (a complete region folder, written to a temporary name
and renamed into place, so a reader never sees half of it) and points the symlink
``<snapshot root>/<region>/current`` at it (for readers that watch one folder, such as the API).
The new version is validated once there and stored as its Parquet snapshot (``socialmap.snapshot``),
so an app process loads it without validating again. Every app process asks the database
for the region's version (one indexed ``SELECT``, at most once per ``POLL_S`` seconds per
process) and loads the folder of that version; a process that finds no folder for it (another
host, a save from the command line) builds it itself. So a save is picked up by every process
without a restart, within ``POLL_S`` seconds plus one atlas load.

The snapshot root is ``$SOCIALMAP_SNAPSHOT_DIR`` (default: ``socialmap-snapshots`` in the system's
temporary directory); the newest ``KEEP`` versions of each region are kept, and every version for
``KEEP_S`` seconds after it was written.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

from ..errors import DataError
from . import pg

SNAPSHOT_ENV = "SOCIALMAP_SNAPSHOT_DIR"
POLL_S = 2.0
KEEP = 5
KEEP_S = 300

_lock = threading.Lock()
_versions: dict[tuple[str, str], tuple[float, int]] = {}
_conns: dict[str, "pg.psycopg.Connection"] = {}


def snapshot_root() -> Path:
    return Path(os.environ.get(SNAPSHOT_ENV) or Path(tempfile.gettempdir()) / "socialmap-snapshots")


def _folder(region: str, version: int) -> Path:
    return snapshot_root() / region / f"v{version}"


def current_version(region: str, url: str | None = None, max_age_s: float | None = None) -> int:
    """The region's committed version, asked at most once per ``max_age_s`` (``POLL_S``) seconds in this process."""
    url = pg.database_url(url)
    max_age_s = POLL_S if max_age_s is None else max_age_s
    now = time.monotonic()
    with _lock:
        cached = _versions.get((url, region))
        if cached is not None and now - cached[0] < max_age_s:
            return cached[1]
        for attempt in (1, 2):  # one retry on a fresh connection (the server may have restarted)
            try:
                conn = _conns.get(url)
                if conn is None or conn.closed:
                    conn = _conns[url] = pg.psycopg.connect(url, autocommit=True, connect_timeout=5)
                version = pg.region_version(conn, region)
                break
            except pg.psycopg.OperationalError:
                _conns.pop(url, None)
                if attempt == 2:
                    raise
        if version is None:
            raise pg.InputError(f"region '{region}' is not in the database (load it with: python -m socialmap db load <folder>)",
                                field="region", value=region)
        _versions[(url, region)] = (now, version)
        return version


def ensure_snapshot(region: str, url: str | None = None, version: int | None = None) -> Path:
    """The folder of the region's snapshot at ``version`` (default: the current one), built when missing."""
    if version is not None and (_folder(region, version) / "region.yaml").is_file():
        return _folder(region, version)
    base = snapshot_root() / region
    base.mkdir(parents=True, exist_ok=True)
    with open(base / ".lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            with pg.connect(url) as conn:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                now = pg.region_version(conn, region)
                if now is None:
                    raise pg.InputError(f"region '{region}' is not in the database", field="region", value=region)
                target = _folder(region, now)
                if not (target / "region.yaml").is_file():
                    tmp = base / f".v{now}.{uuid.uuid4().hex[:8]}"
                    pg.write_folder(conn, region, tmp)
                    if target.exists():
                        shutil.rmtree(target)
                    _prepare_atlas(tmp)
                    os.replace(tmp, target)
            _point_current(base, now)
            _prune(base)
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    with _lock:
        _versions[(pg.database_url(url), region)] = (time.monotonic(), now)
    return target


def _prepare_atlas(folder: Path) -> None:
    """Validate the new version once and store it as the Parquet snapshot every app process starts from."""
    from .. import snapshot
    from ..loader import load_region

    snapshot.load(folder, load_region)


def current_link(region: str) -> Path:
    """``<root>/<region>/current``: a symlink to the newest published version (for readers that watch one folder)."""
    return snapshot_root() / region / "current"


def _point_current(base: Path, version: int) -> None:
    link = base / "current"
    try:
        shown = int(os.readlink(link).lstrip("v"))
    except (OSError, ValueError):
        shown = -1
    if shown >= version:
        return
    tmp = base / f".current.{uuid.uuid4().hex[:8]}"
    os.symlink(f"v{version}", tmp)
    os.replace(tmp, link)  # atomic: a reader sees the old or the new version, never none


def _prune(base: Path) -> None:
    """Drop old versions: beyond the newest ``KEEP`` and older than ``KEEP_S`` (a process may still be loading one)."""
    found = sorted((int(p.name[1:]), p) for p in base.iterdir() if p.is_dir() and p.name[1:].isdigit() and p.name[0] == "v")
    for _, path in found[:-KEEP]:
        if time.time() - path.stat().st_mtime > KEEP_S:
            shutil.rmtree(path, ignore_errors=True)
    for stray in base.glob(".v*"):
        if stray.is_dir() and time.time() - stray.stat().st_mtime > 600:
            shutil.rmtree(stray, ignore_errors=True)


def newest_local(region: str) -> Path | None:
    """The newest snapshot folder of the region on this host, or None."""
    base = snapshot_root() / region
    if not base.is_dir():
        return None
    found = sorted((int(p.name[1:]), p) for p in base.iterdir()
                   if p.is_dir() and p.name[:1] == "v" and p.name[1:].isdigit() and (p / "region.yaml").is_file())
    return found[-1][1] if found else None


def published_folder(region: str, url: str | None = None) -> Path:
    """The snapshot folder an app process should load for ``region`` now.

    When the database cannot be reached the app keeps serving the newest snapshot it has (parents
    are not turned away while the database restarts); without any snapshot that is a ``DataError``.
    """
    try:
        return ensure_snapshot(region, url, current_version(region, url))
    except pg.psycopg.OperationalError as exc:
        fallback = newest_local(region)
        if fallback is not None:
            return fallback
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"the database cannot be reached and there is no snapshot of region '{region}' yet ({reason})") from None
