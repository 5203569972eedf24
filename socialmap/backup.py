"""``python -m socialmap backup|restore``: archive a region's data, or restore it from an archive.

``backup [--region ID] [--out DIR]`` writes ``<DIR>/<region>-<UTC stamp>.tar.gz`` (default DIR:
``backups/``, gitignored) with the region's data files, its ``retired/`` archive, ``SOURCES.md``
and its curation history (``.history/``, ``.suggestions/``).

``restore ARCHIVE [--region ID]`` first validates the archive (it is unpacked into a temporary
folder and checked with the loader; nothing is touched when it is invalid), then makes a backup
of the current data, then swaps the restored data in with the same journalled, all-or-nothing
commit as every curation save (see ``socialmap/curation/store.py``).
Exit codes: 0 done, 1 invalid archive or data, 2 wrong command line.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import lzma
import os
import sys
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath
from typing import TextIO

from .loader import DEFAULT_REGION, REPO_ROOT, check_region, region_path
from .schema import REQUIRED_FILES, TABLES

DEFAULT_OUT = REPO_ROOT / "backups"
EXTRA_FILES = ("SOURCES.md",)
EXTRA_DIRS = ("retired", ".history", ".suggestions")
MAX_MEMBER_BYTES = 200 * 1024 * 1024
#: All members together (unpacked): a restore never writes more than this.
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 100_000
#: Columns a ``retired/<table>.csv`` file has on top of the table's own (see curation/records.py).
RETIRED_EXTRA = ("retired_at", "retired_by", "reason")


def _default_region() -> str:
    return os.environ.get("SOCIALMAP_REGION", DEFAULT_REGION)


def make_backup(folder: Path, out_dir: Path) -> Path:
    """Write a tar.gz of the region; returns its path."""
    from .curation import store

    store.recover(folder)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = out_dir / f"{folder.name}-{stamp}.tar.gz"
    tmp = target.with_name("." + target.name + ".tmp")
    manifest: dict[str, str] = {}
    with tarfile.open(tmp, "w:gz") as tar:
        for name in (*REQUIRED_FILES, *EXTRA_FILES):
            path = folder / name
            if path.is_file():
                manifest[name] = hashlib.sha256(path.read_bytes()).hexdigest()
                tar.add(path, arcname=name)
        for dirname in EXTRA_DIRS:
            base = folder / dirname
            if base.is_dir():
                for path in sorted(base.rglob("*")):
                    if path.is_file() and path.name not in (store.LOCK, store.JOURNAL) and not path.name.endswith(store.TMP_SUFFIX):
                        tar.add(path, arcname=str(path.relative_to(folder)))
        data = json.dumps({"region": folder.name, "created": stamp, "sha256": manifest}, indent=1).encode()
        info = tarfile.TarInfo("MANIFEST.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    store.fsync_dir(out_dir)
    return target


def _safe_name(name: str) -> bool:
    """A relative path inside the archive: no absolute path, no '..', no empty or odd parts."""
    p = PurePosixPath(name)
    return bool(name) and not p.is_absolute() and ".." not in p.parts and "\\" not in name and "\0" not in name


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    total = 0
    for m in tar:  # streamed: stops at the first bad member instead of listing a huge archive first
        if not _safe_name(m.name) or not (m.isfile() or m.isdir()):
            raise ValueError(f"archive member '{m.name}' is not allowed (absolute path, '..' or a link)")
        if m.size > MAX_MEMBER_BYTES:
            raise ValueError(f"archive member '{m.name}' is too large ({m.size:,} bytes, at most {MAX_MEMBER_BYTES:,})")
        total += m.size
        if total > MAX_TOTAL_BYTES:
            raise ValueError(f"archive holds more than {MAX_TOTAL_BYTES // 1024 ** 2:,} MB in total "
                             f"(at member '{m.name}'); a region backup is far smaller")
        members.append(m)
        if len(members) > MAX_MEMBERS:
            raise ValueError(f"archive holds more than {MAX_MEMBERS:,} members")
    return members


def _check_manifest(workdir: Path, archive: Path) -> list[str]:
    """Errors of ``MANIFEST.json`` (absent is fine for older backups): a JSON object whose
    ``sha256`` maps region file names to the checksums of the unpacked files."""
    manifest_path = workdir / "MANIFEST.json"
    if not manifest_path.exists():
        return []
    damaged = f"{archive.name}: MANIFEST.json is damaged"
    try:
        manifest = json.loads(manifest_path.read_bytes().decode("utf-8"))
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return [f"{damaged} (not JSON text)"]
    sums = manifest.get("sha256") if isinstance(manifest, dict) else None
    if not isinstance(sums, dict):
        return [f"{damaged} (expected an object with 'sha256': {{file: checksum}})"]
    allowed = (*REQUIRED_FILES, *EXTRA_FILES)
    for name, digest in sums.items():
        if name not in allowed or not isinstance(digest, str):
            return [f"{damaged} (file '{str(name)[:80]}' is not a region data file; allowed: {', '.join(allowed)})"]
        path = workdir / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return [f"{archive.name}: {name} is damaged (checksum does not match the manifest)"]
    return []


def _check_retired(workdir: Path, archive: Path) -> list[str]:
    """``retired/`` may hold only ``<table>.csv`` files of the region's tables, each with the
    table's columns plus the retired columns and a whole row per line."""
    base = workdir / "retired"
    if not base.is_dir():
        return []
    errors = []
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(workdir).as_posix()
        if path.is_dir():
            errors.append(f"{archive.name}: {rel}: folders are not allowed in retired/")
            continue
        if path.parent != base or path.name not in TABLES:
            errors.append(f"{archive.name}: {rel}: not a retired table (allowed: retired/<table>.csv for "
                          f"{', '.join(TABLES)})")
            continue
        expected = [*(c.name for c in TABLES[path.name]), *RETIRED_EXTRA]
        try:
            text = path.read_bytes().decode("utf-8-sig")
            rows = csv.reader(io.StringIO(text, newline=""), strict=True)
            header = [h.strip() for h in next(rows, [])]
            missing = [name for name in expected if name not in header]
            if missing:
                errors.append(f"{archive.name}: {rel}: missing column '{missing[0]}' (expected columns: {', '.join(expected)})")
                continue
            for cells in rows:
                if cells and len(cells) != len(header):
                    errors.append(f"{archive.name}: {rel} line {rows.line_num}: row has {len(cells)} fields, "
                                  f"expected {len(header)}")
                    break
        except UnicodeDecodeError:
            errors.append(f"{archive.name}: {rel}: is not UTF-8 text")
        except csv.Error as exc:
            errors.append(f"{archive.name}: {rel}: broken CSV ({exc})")
    return errors


def check_archive(archive: Path, workdir: Path) -> tuple[Path | None, list[str]]:
    """Unpack into ``workdir`` and validate: (unpacked folder or None, errors)."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            members = _safe_members(tar)
            tar.extractall(workdir, members=members, filter="data")
    except (tarfile.TarError, OSError, ValueError, EOFError, zlib.error, lzma.LZMAError) as exc:
        return None, [f"{archive.name}: not a readable backup archive ({exc})"]
    errors = _check_manifest(workdir, archive) or _check_retired(workdir, archive)
    if errors:
        return None, errors
    _, errors, _ = check_region(workdir)
    return (workdir if not errors else None), [f"{archive.name}: {e}" for e in errors]


def restore(archive: Path, folder: Path, out_dir: Path) -> tuple[Path, Path]:
    """Validate ``archive``, back up ``folder``, then swap the archive's files in (all-or-nothing).

    Returns (backup of the previous data, folder). Raises ``DataError`` for an invalid archive.
    """
    from .curation import store
    from .errors import DataError

    with tempfile.TemporaryDirectory(prefix="socialmap-restore-") as tmp:
        unpacked, errors = check_archive(archive, Path(tmp) / "region")
        if errors or unpacked is None:
            raise DataError(errors or [f"{archive.name}: invalid"])
        folder.mkdir(parents=True, exist_ok=True)
        previous = make_backup(folder, out_dir)
        new_texts = {name: (unpacked / name).read_bytes() for name in REQUIRED_FILES}
        extra = {}
        for path in sorted((unpacked / "retired").rglob("*")) if (unpacked / "retired").is_dir() else []:
            if path.is_file():
                extra[str(path.relative_to(unpacked))] = path.read_bytes()
        _commit_restore(folder, new_texts, extra, archive.name, previous.name)
    return previous, folder


def _commit_restore(folder: Path, new_texts: dict[str, bytes], extra: dict[str, bytes], source: str, backup: str) -> None:
    """A restore is an administrative action from the command line (no curator login): it goes
    through the same journalled commit as ``store.save``, with ``who`` = ``restore (cli)``."""
    from .curation import auth, store

    curator = auth.Curator(name="restore (cli)", method="cli", _seal=auth._SEAL)
    store.save(folder, new_texts, curator, store.version_token(folder), "restore",
               {"source": source, "backup_of_previous": backup}, extra_texts=extra)


def main_backup(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialmap backup", description=__doc__.split("\n\n")[1])
    parser.add_argument("--region", default=_default_region(), help="region id or folder (default: $SOCIALMAP_REGION or kennemerland)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for the archive (default: backups/)")
    args = parser.parse_args(argv)
    folder = region_path(args.region)
    if not (folder / "region.yaml").is_file():
        print(f"backup: {folder}: region folder not found (expected a folder with region.yaml)", file=stderr)
        return 1
    target = make_backup(folder, Path(args.out))
    print(f"backup written: {target}", file=stdout)
    return 0


def main_restore(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    from .errors import DataError

    parser = argparse.ArgumentParser(prog="python -m socialmap restore", description="Restore a region from a backup archive.")
    parser.add_argument("archive", help="a .tar.gz written by 'python -m socialmap backup'")
    parser.add_argument("--region", default=_default_region(), help="region id or folder to restore into")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="where the backup of the current data goes")
    args = parser.parse_args(argv)
    archive = Path(args.archive)
    if not archive.is_file():
        print(f"restore: {archive}: file not found", file=stderr)
        return 1
    folder = region_path(args.region)
    try:
        previous, _ = restore(archive, folder, Path(args.out))
    except DataError as exc:
        for message in exc.messages:
            print(f"error: {message}", file=stderr)
        print(f"restore: {archive.name} is invalid; nothing was changed", file=stderr)
        return 1
    print(f"restored {folder} from {archive.name}; previous data kept in {previous}", file=stdout)
    return 0
