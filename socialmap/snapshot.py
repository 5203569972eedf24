"""Start from a snapshot: a validated region saved as Arrow columns (Parquet, WKB geometry).

Validation runs where data changes (a curator's save, an import, CI, ``socialmap validate``), not
on every start. :func:`load` finishes an interrupted save first (``curation.store.recover``), then
reads the region's snapshot when its recorded content hash equals the hash of the region's files;
otherwise (missing, stale after a ``git pull`` or a hand edit, unreadable, another format) it
validates the region once with :func:`socialmap.loader.load_region` and writes a new snapshot.
The metadata keeps that validation's warnings and its day (``validated_on``; warnings about
records verified long ago depend on the date), so the Beheer page shows them without validating
again (:func:`loaded_hash` tells which files an atlas was loaded from).

The snapshot lives in ``<region>/.snapshot/`` (never committed: ``.gitignore``). It is written to a
temporary folder and renamed into place, so a reader never sees half of one; the metadata file
(with the hash) is written last. A snapshot that cannot be written (a read-only folder) is not an
error: the app then validates on every start, as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import threading
import time
import weakref
from pathlib import Path
from typing import Any, Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import shapely

from . import geo
from .curation.store import recover
from .loader import load_region, region_path
from .model import Atlas, Municipality, Region

#: Bump when the layout changes: an older snapshot is then rebuilt.
FORMAT = 2
SNAPSHOT_DIR = ".snapshot"
META = "snapshot.json"
FRAMES = ("areas", "postcodes", "organizations", "locations", "services", "service_at_location",
          "schedules", "gp_practices")
_GEO_FRAMES = ("areas", "locations")


def content_hash(folder: Path) -> str:
    """SHA-256 over the region's files (names and bytes; hidden files and folders left out)."""
    digest = hashlib.sha256()
    folder = Path(folder)
    files = sorted(p for p in folder.rglob("*")
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    for path in files:
        digest.update(str(path.relative_to(folder).as_posix()).encode() + b"\0")
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def snapshot_path(folder: Path) -> Path:
    return Path(folder) / SNAPSHOT_DIR


# ---- writing --------------------------------------------------------------------------------------

def _tuple_columns(frame: pd.DataFrame) -> list[str]:
    out = []
    for col in frame.columns:
        if frame[col].dtype == object:
            values = frame[col].dropna()
            if len(values) and all(isinstance(v, tuple) for v in values):
                out.append(str(col))
    return out


def _to_table(frame: pd.DataFrame) -> tuple[pa.Table, dict[str, Any]]:
    info: dict[str, Any] = {"tuples": _tuple_columns(frame), "geometry": None,
                            "object": [str(c) for c in frame.columns if frame[c].dtype == object]}
    plain = pd.DataFrame(frame)
    if isinstance(frame, gpd.GeoDataFrame):
        name = frame.geometry.name
        info["geometry"] = name
        info["crs"] = frame.crs.to_string() if frame.crs is not None else None
        plain = pd.DataFrame(frame.drop(columns=[name]))
        plain[name] = shapely.to_wkb(frame.geometry.values)
    for col in info["tuples"]:
        plain[col] = plain[col].map(lambda v: list(v) if isinstance(v, tuple) else v)
    return pa.Table.from_pandas(plain, preserve_index=True), info


def write(atlas: Atlas, folder: Path | None = None, digest: str | None = None,
          validated_on: str | None = None) -> Path:
    """Write the snapshot of a validated atlas (atomically); returns its folder. ``validated_on``
    (ISO date): the day the atlas was validated, when known (the date-bound warnings hold for it)."""
    folder = Path(folder or atlas.region.path)
    digest = digest or content_hash(folder)
    target = snapshot_path(folder)
    tmp = folder / f"{SNAPSHOT_DIR}.{os.getpid()}.{threading.get_ident()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        frames: dict[str, Any] = {}
        for name in FRAMES:
            table, info = _to_table(getattr(atlas, name))
            pq.write_table(table, tmp / f"{name}.parquet", compression="zstd")
            frames[name] = info
        region = dataclasses.asdict(atlas.region)
        region.pop("path")
        meta = {"format": FORMAT, "content_hash": digest, "region": region, "warnings": list(atlas.warnings),
                "validated_on": validated_on, "frames": frames,
                "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        (tmp / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        old = folder / f"{SNAPSHOT_DIR}.{os.getpid()}.{threading.get_ident()}.old"
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


# ---- reading --------------------------------------------------------------------------------------

_SEP = "\x1f"  # joins a row's strings into one key (rows holding it take the plain path)


def _string_tuples(column: pa.ChunkedArray) -> list[tuple[str, ...] | None] | None:
    """A list-of-strings column as tuples (null: None); None for any other type (the caller
    converts those through pandas).

    Rows repeat (the same concerns, the same service area), so each distinct list becomes one
    tuple, shared by the rows that hold it (tuples are immutable)."""
    arr = column.combine_chunks()
    if not (pa.types.is_list(arr.type) and pa.types.is_string(arr.type.value_type)):
        return None
    if not len(arr):
        return []
    if pc.any(pc.match_substring(arr.values, _SEP)).as_py():
        offsets = arr.offsets.to_numpy().tolist()
        flat = arr.values.to_pylist()
        nulls = arr.is_null().to_numpy(zero_copy_only=False).tolist()
        return [None if nulls[i] else tuple(flat[offsets[i]:offsets[i + 1]]) for i in range(len(arr))]
    # the key holds the length too: [] and [""] join to the same text
    keys = pc.binary_join_element_wise(pc.cast(pc.list_value_length(arr), pa.string()),
                                       pc.binary_join(arr, _SEP), "\x1e")
    codes, uniques = pd.factorize(keys.to_numpy(zero_copy_only=False), use_na_sentinel=True)
    shared = np.empty(len(uniques) + 1, dtype=object)  # the last slot: null rows (code -1)
    for k, key in enumerate(uniques):
        length, _, joined = key.partition("\x1e")
        shared[k] = tuple(joined.split(_SEP)) if int(length) else ()
    return shared[codes].tolist()


def _from_table(table: pa.Table, info: dict[str, Any]) -> pd.DataFrame:
    fast = {col: _string_tuples(table.column(col)) for col in info["tuples"] if col in table.column_names}
    fast = {col: values for col, values in fast.items() if values is not None}
    order = table.column_names
    frame = table.drop_columns(list(fast)).to_pandas() if fast else table.to_pandas()
    for col in info.get("object", ()):
        if col in frame.columns and frame[col].dtype != object:
            frame[col] = frame[col].astype(object)
    for col in info["tuples"]:
        if col in fast:
            frame[col] = pd.Series(fast[col], index=frame.index, dtype=object)
        else:
            frame[col] = [tuple(v) if v is not None and not isinstance(v, float) else v for v in frame[col]]
    if fast:  # the columns in their written order
        frame = frame[[c for c in order if c in frame.columns]]
    name = info.get("geometry")
    if name:
        geoms = shapely.from_wkb(frame.pop(name).to_numpy())
        frame = gpd.GeoDataFrame(frame, geometry=geoms, crs=info.get("crs") or geo.RD)
        if name != "geometry":
            frame = frame.rename_geometry(name)
    return frame


def read_meta(folder: Path) -> dict[str, Any] | None:
    """The snapshot's metadata, or None when there is none (or it is unreadable)."""
    try:
        return json.loads((snapshot_path(folder) / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read(folder: Path, digest: str | None = None) -> Atlas | None:
    """The atlas of a fresh snapshot; None when it is missing, stale, of another format or unreadable."""
    folder = Path(folder)
    meta = read_meta(folder)
    if not meta or meta.get("format") != FORMAT:
        return None
    if meta.get("content_hash") != (digest or content_hash(folder)):
        return None
    try:
        frames = {name: _from_table(pq.read_table(snapshot_path(folder) / f"{name}.parquet"), meta["frames"][name])
                  for name in FRAMES}
        region = dict(meta["region"])
        region["municipalities"] = tuple(Municipality(**m) for m in region["municipalities"])
        return Atlas(region=Region(**region, path=folder), warnings=tuple(meta.get("warnings", ())), **frames)
    except (OSError, KeyError, TypeError, ValueError, pa.ArrowException):
        return None


def is_fresh(folder: Path) -> bool:
    meta = read_meta(Path(folder))
    return bool(meta) and meta.get("format") == FORMAT and meta.get("content_hash") == content_hash(Path(folder))


def load(region: str | Path, validate: Callable[[Path], Atlas] | None = None) -> Atlas:
    """The region's atlas: an interrupted save finished, then the snapshot when it is fresh, else
    the region validated once (``validate``, default :func:`load_region`; ``DataError`` when
    invalid) and a new snapshot written."""
    folder = region_path(region)
    recover(folder)
    digest = content_hash(folder)
    atlas = read(folder, digest)
    if atlas is not None:
        return _loaded(atlas, digest)
    day = dt.date.today().isoformat()
    atlas = (validate or load_region)(folder)
    same_day = validate in (None, load_region) and dt.date.today().isoformat() == day
    try:
        write(atlas, folder, digest, validated_on=day if same_day else None)
    except OSError:
        pass  # a read-only folder: validate on every start instead
    return _loaded(atlas, digest)


_LOADED: dict[int, tuple[weakref.ref[Atlas], str]] = {}


def _loaded(atlas: Atlas, digest: str) -> Atlas:
    _LOADED[id(atlas)] = (weakref.ref(atlas), digest)
    weakref.finalize(atlas, _LOADED.pop, id(atlas), None)
    return atlas


def loaded_hash(atlas: Atlas) -> str | None:
    """The content hash of the files :func:`load` read this atlas from (None: not loaded by it)."""
    hit = _LOADED.get(id(atlas))
    return hit[1] if hit is not None and hit[0]() is atlas else None


# ---- readiness ------------------------------------------------------------------------------------

@dataclasses.dataclass
class Readiness:
    """Whether the shared indexes of a region are built (for a health check or the start page)."""

    ready: bool = False
    started: float = 0.0
    seconds: float | None = None
    error: str | None = None
    steps: list[str] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"ready": self.ready, "seconds": self.seconds, "error": self.error, "steps": list(self.steps)}


_READINESS: dict[int, Readiness] = {}
_LOCK = threading.Lock()


def warm_indexes(atlas: Atlas) -> list[tuple[str, Callable[[Atlas], Any]]]:
    """The shared per-atlas indexes every page uses, in build order."""
    from . import coverage, maps, matching, practice, profiles, search

    return [
        ("match", matching.match_index),
        ("lookup", matching.lookup),
        ("practices", practice.practices),  # the Hulpwijzer's own-practice picker
        ("search", search.search_index),
        ("wijk", profiles.wijk_index),
        ("wijk_real", lambda a: profiles.wijk_index(a, include_examples=False)),  # figures: real records
        ("profiles", profiles.warm),  # a wijk's profile: practices near it
        ("map", lambda a: maps.view_index(a, "nl", "").layers(maps.fit_view(maps.first_bounds(a)))),
        ("cards", search.warm_cards),  # the map's list cards
        ("coverage", coverage.warm),  # Dekking's first view
        ("route_atlas", _warm_route_atlas),  # Zorgroutes: lists per level, wijken, texts
        ("outlines", lambda a: maps.view_index(a, "nl", "").warm()),
    ]


def _warm_route_atlas(atlas: Atlas) -> None:
    """What the Zorgroutes page reads on its first run: the services per level (with their
    normalised names), the wijk list, the atlas texts, charts and rules, and the libraries."""
    import altair  # noqa: F401 - imported once here, not by the first user of a page
    import folium.plugins  # noqa: F401 - the map component's import
    import fpdf  # noqa: F401 - route cards and sheets as PDF

    from . import onboarding, routeatlas
    from .rules import load_rules

    routeatlas.warm(atlas)
    onboarding.wijken(atlas)
    load_rules(atlas.region.path)


def build_indexes(atlas: Atlas) -> Readiness:
    """Build the shared indexes now (in this thread); returns the readiness record."""
    with _LOCK:
        state = _READINESS.setdefault(id(atlas), Readiness(started=time.monotonic()))
    try:
        for name, build in warm_indexes(atlas):
            build(atlas)
            state.steps.append(name)
        state.ready = True
    except Exception as exc:  # noqa: BLE001 - reported through the readiness record
        state.error = f"{type(exc).__name__}: {exc}"
    state.seconds = round(time.monotonic() - state.started, 2)
    return state


def start_background_build(atlas: Atlas) -> Readiness:
    """Build the shared indexes in a background thread (once per atlas); returns its record."""
    with _LOCK:
        state = _READINESS.get(id(atlas))
        if state is not None:
            return state
        state = _READINESS[id(atlas)] = Readiness(started=time.monotonic())
        weakref.finalize(atlas, _READINESS.pop, id(atlas), None)
    threading.Thread(target=build_indexes, args=(atlas,), name="socialmap-indexes", daemon=True).start()
    return state


def readiness(atlas: Atlas | None) -> Readiness:
    """The readiness of an atlas's indexes (not started: ``ready`` False, no steps)."""
    if atlas is None:
        return Readiness()
    return _READINESS.get(id(atlas)) or Readiness()


__all__ = ["content_hash", "write", "read", "read_meta", "is_fresh", "load", "loaded_hash", "Readiness",
           "build_indexes", "start_background_build", "readiness", "FORMAT", "SNAPSHOT_DIR"]
