"""Safe writes for a region folder: validate first, atomic multi-file commit, history, versions.

How a save works (``save``):

1. take an exclusive lock (``.history/.lock``) and roll forward any interrupted save (``recover``);
2. compare the caller's version token (a SHA-256 of all region data files, read when the form was
   opened) with the current one: a different token means someone else saved in between, and
   :class:`ConcurrentEditError` is raised; nothing is written;
3. validate the region *as it would be after the change* with the loader's ``check_region`` on a
   temporary folder (unchanged files linked, changed files written): any error raises
   :class:`ValidationFailed`; nothing is written;
4. copy the old versions of the changed files to ``.history/<stamp>-<txid>/``;
5. write every new file to a temp file in the same directory, flush + ``os.fsync``;
6. write ``.history/journal.json`` (atomically) naming the temp files and the history entry; this is
   the commit point;
7. ``os.replace`` each temp file onto its target, ``fsync`` the directories, append the history
   entry to ``.history/log.jsonl`` and delete the journal.

A crash before step 6 leaves the old data (stray temp files are removed by ``recover``); a crash
after it is rolled forward by ``recover`` to the new data. Either way the folder validates.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import fcntl
import hashlib
import io
import json
import os
import shutil
import stat
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import DataError, SocialMapError
from ..loader import check_region
from ..schema import REQUIRED_FILES
from .auth import Curator, require_curator

HISTORY_DIR = ".history"
JOURNAL = "journal.json"
LOG = "log.jsonl"
LOCK = ".lock"
RETIRED_DIR = "retired"
TMP_SUFFIX = ".tmp"

#: Test hooks for the crash tests (stage name -> callable); empty in production.
_HOOKS: dict[str, Callable[[], None]] = {}


class ConcurrentEditError(SocialMapError):
    """The data changed since the form was opened; the save was refused, nothing was written."""


class ValidationFailed(DataError):
    """The region would not validate after the change; nothing was written."""


@dataclass(frozen=True)
class SaveResult:
    version: str
    txid: str
    files: tuple[str, ...]
    history_dir: str


def _hook(stage: str) -> None:
    func = _HOOKS.get(stage)
    if func is not None:
        func()


# ---- low-level file helpers ---------------------------------------------------------------

def fsync_dir(path: Path) -> None:
    """fsync a directory so a rename in it is durable (no-op where unsupported)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:  # some filesystems refuse fsync on directories
        if exc.errno not in (errno.EINVAL, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _write_fsync(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write one file atomically: temp file in the same dir, fsync, replace, fsync the dir."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}{TMP_SUFFIX}")
    try:
        _write_fsync(tmp, payload)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    fsync_dir(path.parent)


def append_line(path: Path, record: dict[str, Any]) -> None:
    """Append one JSON line and fsync (used for logs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (across processes; created when missing)."""
    path.parent.mkdir(exist_ok=True)
    with open(path, "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


@contextlib.contextmanager
def region_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on the region folder's data (across processes)."""
    with file_lock(folder / HISTORY_DIR / LOCK):
        yield


# ---- reading ---------------------------------------------------------------------------------

def _regular_bytes(path: Path) -> bytes | None:
    """The bytes of a regular file; None when missing or not a regular file (a FIFO would block)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _digest_file(digest: Any, path: Path) -> None:
    data = _regular_bytes(path)
    digest.update(b"<missing>" if data is None else hashlib.sha256(data).digest())


def version_token(folder: Path) -> str:
    """A content hash of all region data files: changes whenever any of them changes."""
    digest = hashlib.sha256()
    for name in REQUIRED_FILES:
        digest.update(name.encode() + b"\0")
        _digest_file(digest, folder / name)
    return digest.hexdigest()[:16]


def read_rows(folder: Path, file: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and raw string rows of a CSV file of the region (or of ``retired/``)."""
    data = _regular_bytes(folder / file)
    if data is None:
        return [], []
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    rows = []
    for cells in reader:
        if not cells or all(not c.strip() for c in cells):
            continue
        rows.append({h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)})
    return header, rows


def rows_to_csv(header: list[str], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else str(row.get(h)) for h in header])
    return out.getvalue()


# ---- validation --------------------------------------------------------------------------------

def check_with(folder: Path, new_texts: dict[str, str | bytes], today: dt.date | None = None) -> tuple[list[str], list[str]]:
    """Errors and warnings of the region as it would be with ``new_texts`` applied (nothing written)."""
    with tempfile.TemporaryDirectory(prefix="socialmap-check-") as tmp:
        target = Path(tmp) / folder.name
        target.mkdir()
        for name in REQUIRED_FILES:
            if name in new_texts:
                data = new_texts[name]
                (target / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            elif (folder / name).exists():
                _link_or_copy(folder / name, target / name)
        _, errors, warnings = check_region(target, today=today)
    return errors, warnings


def _link_or_copy(src: Path, dst: Path) -> None:
    """A hard link (cheap, and a regular file for the loader), or a copy across filesystems.
    A symbolic link would point outside the check folder, which the loader refuses."""
    if src.is_symlink():
        real = src.resolve()
        if not real.is_relative_to(src.parent.resolve()):
            os.symlink(real, dst)  # a link out of the region: the loader refuses it here too
            return
        src = real
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


# ---- recovery ------------------------------------------------------------------------------------

def _logged_txids(folder: Path) -> set[str]:
    path = folder / HISTORY_DIR / LOG
    if not path.exists():
        return set()
    ids = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError):
            ids.add(json.loads(line).get("txid"))
    return ids


def _stray_temps(folder: Path) -> list[Path]:
    """Temp files of interrupted writes: data files, ``retired/`` files and the journal itself."""
    found = [p for p in folder.glob(f".*{TMP_SUFFIX}")]
    if (folder / RETIRED_DIR).is_dir():
        found += list((folder / RETIRED_DIR).glob(f".*{TMP_SUFFIX}"))
    if (folder / HISTORY_DIR).is_dir():
        found += list((folder / HISTORY_DIR).glob(f".{JOURNAL}.*{TMP_SUFFIX}"))
    return found


def _journal_is_complete(entry: object) -> bool:
    """Whether a journal has every field a roll-forward needs (files with tmp/target, log txid)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("files"), list):
        return False
    log = entry.get("log")
    if not isinstance(log, dict) or "txid" not in log:
        return False
    return all(isinstance(item, dict) and isinstance(item.get("tmp"), str) and isinstance(item.get("target"), str)
               for item in entry["files"])


def _recover_unlocked(folder: Path) -> bool:
    journal = folder / HISTORY_DIR / JOURNAL
    acted = False
    if journal.exists():
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            entry = None  # a torn journal was never committed (it is written atomically)
        if not _journal_is_complete(entry):
            entry = None  # not a journal this code wrote: nothing to roll forward
        if entry:
            dirs = set()
            for item in entry["files"]:
                tmp, target = folder / item["tmp"], folder / item["target"]
                if tmp.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(tmp, target)
                dirs.add(target.parent)
            for d in dirs:
                fsync_dir(d)
            if entry["log"]["txid"] not in _logged_txids(folder):
                append_line(folder / HISTORY_DIR / LOG, entry["log"] | {"recovered": True})
        journal.unlink()
        fsync_dir(journal.parent)
        acted = True
    for tmp in _stray_temps(folder):
        tmp.unlink()
        acted = True
    return acted


def recover(folder: str | Path) -> bool:
    """Finish or undo an interrupted save. True when something was repaired. Safe to call any time."""
    folder = Path(folder)
    if not folder.is_dir():
        return False
    hist = folder / HISTORY_DIR
    if not (hist / JOURNAL).exists() and not _stray_temps(folder):
        return False
    with region_lock(folder):
        return _recover_unlocked(folder)


# ---- saving --------------------------------------------------------------------------------------

def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def save(
    folder: str | Path,
    new_texts: dict[str, str | bytes],
    curator: Curator,
    expected_version: str,
    action: str,
    details: dict[str, Any] | None = None,
    extra_texts: dict[str, str | bytes] | None = None,
    today: dt.date | None = None,
) -> SaveResult:
    """Validate and atomically write region files (``new_texts``: file name -> full new content).

    ``extra_texts`` are files outside the validated set (the ``retired/`` archive) committed in the
    same transaction. Raises :class:`ConcurrentEditError`, :class:`ValidationFailed` or
    ``NotAuthenticated``; in each case nothing is written.
    """
    who = require_curator(curator)
    folder = Path(folder)
    unknown = [name for name in new_texts if name not in REQUIRED_FILES]
    if unknown:
        raise ValueError(f"not a region data file: {unknown[0]}")
    extra = dict(extra_texts or {})
    for name in extra:
        if not name.startswith(RETIRED_DIR + "/") or ".." in name:
            raise ValueError(f"extra file must be under {RETIRED_DIR}/: {name}")
    with region_lock(folder):
        _recover_unlocked(folder)
        current = version_token(folder)
        if current != expected_version:
            raise ConcurrentEditError(
                "the data was changed by someone else after you opened this form "
                f"(version {expected_version} → {current}); nothing was saved: reload and make your change again")
        errors, _ = check_with(folder, new_texts, today=today)
        if errors:
            raise ValidationFailed(errors)

        txid = uuid.uuid4().hex[:12]
        stamp = _now()
        all_texts: dict[str, bytes] = {
            name: (data.encode("utf-8") if isinstance(data, str) else data)
            for name, data in {**new_texts, **extra}.items()
        }
        changed = [name for name, data in all_texts.items()
                   if not (folder / name).exists() or (folder / name).read_bytes() != data]
        if not changed:
            return SaveResult(current, txid, (), "")
        hist_rel = f"{HISTORY_DIR}/{stamp.strftime('%Y%m%dT%H%M%SZ')}-{txid}"
        hist_dir = folder / hist_rel
        hist_dir.mkdir(parents=True)
        for name in changed:
            src = folder / name
            if src.exists():
                dst = hist_dir / name
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
        fsync_dir(hist_dir)

        items = []
        for name in changed:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{txid}{TMP_SUFFIX}")
            _write_fsync(tmp, all_texts[name])
            items.append({"target": name, "tmp": str(tmp.relative_to(folder))})
        for d in {(folder / n).parent for n in changed}:
            fsync_dir(d)
        _hook("temp_written")

        new_version = _version_after(folder, {n: all_texts[n] for n in changed})
        log = {
            "txid": txid, "at": stamp.isoformat(), "who": who.name, "method": who.method,
            "action": action, "files": changed, "old_copies": hist_rel,
            "version_before": current, "version_after": new_version, **(details or {}),
        }
        atomic_write(folder / HISTORY_DIR / JOURNAL, json.dumps({"files": items, "log": log}, ensure_ascii=False))
        _hook("journal_written")

        for number, item in enumerate(items):
            os.replace(folder / item["tmp"], folder / item["target"])
            if number == 0:
                _hook("renamed_one")
        for d in {(folder / n).parent for n in changed}:
            fsync_dir(d)
        append_line(folder / HISTORY_DIR / LOG, log)
        (folder / HISTORY_DIR / JOURNAL).unlink()
        fsync_dir(folder / HISTORY_DIR)
        return SaveResult(new_version, txid, tuple(changed), hist_rel)


def _version_after(folder: Path, changed: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in REQUIRED_FILES:
        digest.update(name.encode() + b"\0")
        if name in changed:
            digest.update(hashlib.sha256(changed[name]).digest())
        else:
            _digest_file(digest, folder / name)
    return digest.hexdigest()[:16]


def history(folder: str | Path, limit: int = 50) -> list[dict[str, Any]]:
    """The latest history entries, newest first."""
    path = Path(folder) / HISTORY_DIR / LOG
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError):
            entries.append(json.loads(line))
    return entries[::-1][:limit]
