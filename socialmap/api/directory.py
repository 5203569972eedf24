"""The regions' data as the HSDS read API serves it: built once from the same files as the app.

``Directory.build(folder)`` loads the region with the app's loader (the same validation, the same
postcode resolution) and the HSDS objects with the exporter (the same mapping as the open-data
exports), then keeps small indexes for the filters: words for ``search``, taxonomy terms,
organisation, last change (from the curation history), which services serve which CBS area, and
the RD New coordinates of every service-at-location for ``proximity``.

Several regions are served as one :class:`Catalogue`: each region keeps its own
:class:`Directory` and :class:`Holder` (so a large region is rebuilt in the background on its
own), and the catalogue joins their lists (ids are UUIDs, unique across regions) and knows which
region a postcode lies in (:class:`~socialmap.regions.Regions`).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from .. import geo, loader, vocab
from ..curation import hsds, store
from ..errors import SocialMapError
from ..regions import Regions


def fold(text: str) -> str:
    """Lower case without accents (``Café`` → ``cafe``): for ``search`` on both sides."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()

_NESTED = ("phones", "schedules", "service_areas", "service_at_locations", "languages", "attributes", "metadata",
           "cost_options", "required_documents", "contacts", "funding", "locations", "services", "addresses",
           "organization_identifiers", "program", "organization")


def shallow(obj: dict[str, Any]) -> dict[str, Any]:
    """The one-to-one fields of an HSDS object (no nested lists or objects)."""
    return {k: v for k, v in obj.items() if k not in _NESTED}


@dataclass
class Entry:
    obj: dict[str, Any]
    illustrative: bool
    text: str = ""
    terms: frozenset[str] = frozenset()
    taxonomies: frozenset[str] = frozenset()
    modified: str = ""  # last change date (YYYY-MM-DD) from the curation history, "" when unknown
    organization_id: str = ""
    local_id: str = ""


@dataclass(kw_only=True)
class Records:
    """What the endpoints read: one region's records (:class:`Directory`) or all (:class:`Catalogue`)."""

    services: list[Entry]
    organizations: list[Entry]
    sal: list[Entry]
    taxonomies: list[dict[str, Any]]
    terms: list[dict[str, Any]]
    by_id: dict[str, dict[str, Entry]] = field(default_factory=dict)  # kind -> HSDS id -> entry


@dataclass(kw_only=True)
class Directory(Records):
    folder: Path
    version: str
    atlas: Any
    area_services: dict[str, set[str]] = field(default_factory=dict)  # CBS code -> local service ids
    sal_xy: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    sal_service: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))  # service number per sal
    service_number: dict[str, int] = field(default_factory=dict)  # local service id -> number

    @classmethod
    def build(cls, folder: Path) -> "Directory":
        folder = Path(folder)
        store.recover(folder)
        version = store.version_token(folder)
        atlas = loader.load_region(folder)
        package = hsds.export_package(folder, include_illustrative=True)
        taxonomies = hsds.taxonomies(package)
        status_s = atlas.services["status"].to_dict()
        status_o = atlas.organizations["status"].to_dict()
        status_l = atlas.locations["status"].to_dict()
        services: list[Entry] = []
        organizations: list[Entry] = []
        sal: list[Entry] = []
        locations: dict[str, tuple[dict[str, Any], str]] = {}
        for org in package:
            local = hsds._local_id(org)
            organizations.append(Entry(org, status_o.get(local) == "illustrative", fold(f"{org['name']} {org.get('description', '')}"),
                                       local_id=local))
            for loc in org.get("locations", []):
                locations[loc["id"]] = (loc, hsds._local_id(loc))
        for org in package:
            for svc in org.get("services", []):
                local = hsds._local_id(svc)
                terms = frozenset(a["taxonomy_term_id"] for a in svc.get("attributes", []))
                links = {a["link_type"] for a in svc.get("attributes", [])}
                tax = frozenset(hsds.taxonomy_id(name) for name, (col, _) in hsds.TAXONOMIES.items()
                                if hsds.PREFIX + (col or "id") in links)
                modified = max((m["last_action_date"] for m in svc.get("metadata", [])), default="")
                entry = Entry(svc, status_s.get(local) == "illustrative",
                              fold(f"{svc['name']} {svc.get('description', '')}"), terms, tax, modified,
                              svc["organization_id"], local)
                services.append(entry)
                for link in svc.get("service_at_locations", []):
                    loc, loc_local = locations.get(link["location_id"], ({}, ""))
                    item = dict(link) | {"location": shallow(loc) | {k: loc[k] for k in ("addresses",) if k in loc},
                                         "service": shallow(svc)}
                    sal.append(Entry(item, entry.illustrative or status_l.get(loc_local) == "illustrative", entry.text,
                                     terms, tax, modified, svc["organization_id"], local))
        terms = [t for tax in taxonomies for t in tax["terms"]]
        directory = cls(folder=folder, version=version, atlas=atlas, services=services, organizations=organizations,
                        sal=sal, taxonomies=[{k: v for k, v in t.items() if k != "terms"} for t in taxonomies],
                        terms=terms)
        directory.by_id = {
            "services": {e.obj["id"]: e for e in services},
            "organizations": {e.obj["id"]: e for e in organizations},
            "service_at_locations": {e.obj["id"]: e for e in sal},
        }
        for sid, codes in atlas.services["service_area"].items():
            for code in codes or ():
                directory.area_services.setdefault(code, set()).add(str(sid))
        lon = np.array([float(e.obj["location"].get("longitude", np.nan)) for e in sal], dtype=float)
        lat = np.array([float(e.obj["location"].get("latitude", np.nan)) for e in sal], dtype=float)
        x, y = geo.lonlat_to_rd(lon, lat) if len(sal) else (np.zeros(0), np.zeros(0))
        directory.sal_xy = np.column_stack([x, y]) if len(sal) else np.zeros((0, 2))
        directory.service_number = {e.local_id: n for n, e in enumerate(services)}
        directory.sal_service = np.array([directory.service_number[e.local_id] for e in sal], dtype=int)
        return directory

    # ---- queries ------------------------------------------------------------------------------
    def serving(self, postcode: str) -> tuple[np.ndarray, tuple[float, float]]:
        """Per service-at-location: does its service's area cover the postcode (a boolean array), and
        the RD New centroid of the postcode's area. ``InputError`` (naming ``postcode``) when unknown."""
        area = self.atlas.resolve_postcode(postcode)
        mask = np.zeros(len(self.services), dtype=bool)
        for code in (vocab.NATIONAL_AREA, *self.atlas.area_chain(area.code)):
            ids = self.area_services.get(code, ())
            mask[np.fromiter((self.service_number[s] for s in ids if s in self.service_number), dtype=int)] = True
        point = self.atlas.areas.loc[area.code].geometry.centroid
        return mask[self.sal_service], (float(point.x), float(point.y))


class Holder:
    """The current :class:`Directory`, rebuilt when the region files change (checked at most every
    ``check_every`` seconds, so edits in Beheer reach the API without a restart). A small region is
    rebuilt on the spot; a large one (``SYNC_LIMIT`` services or more) in a background thread while
    the old data keeps being served."""

    SYNC_LIMIT = 5000

    def __init__(self, folder: Path, check_every: float = 30.0) -> None:
        self.folder = Path(folder)
        self.check_every = check_every
        self._lock = threading.Lock()
        self._dir = Directory.build(self.folder)
        self._checked = time.monotonic()
        self._building: threading.Thread | None = None

    def _rebuild(self) -> None:
        try:
            self._dir = Directory.build(self.folder)
        except (SocialMapError, OSError, ValueError):  # invalid data mid-edit: keep serving the last good data
            pass
        finally:
            self._building = None

    def get(self) -> Directory:
        if time.monotonic() - self._checked > self.check_every:
            with self._lock:
                if time.monotonic() - self._checked > self.check_every and self._building is None:
                    self._checked = time.monotonic()
                    if store.version_token(self.folder) != self._dir.version:
                        if len(self._dir.services) < self.SYNC_LIMIT:
                            self._rebuild()
                        else:
                            self._building = threading.Thread(target=self._rebuild, daemon=True)
                            self._building.start()
        return self._dir


@dataclass(kw_only=True)
class Catalogue(Records):
    """Every served region's :class:`Directory` as one: joined lists, lookups by id, the regions.

    The joined lists are made once per combination of directories (:meth:`Holders.get`), not per
    request. With one region they are that region's own lists.
    """

    directories: dict[str, Directory]  # region id -> its directory, sorted by id
    regions: Regions

    @classmethod
    def of(cls, directories: Iterable[Directory]) -> "Catalogue":
        dirs = {d.atlas.region.id: d for d in sorted(directories, key=lambda d: d.atlas.region.id)}
        regions = Regions.of(d.atlas for d in dirs.values())
        if len(dirs) == 1:
            [d] = dirs.values()
            return cls(directories=dirs, regions=regions, services=d.services, organizations=d.organizations,
                       sal=d.sal, taxonomies=d.taxonomies, terms=d.terms, by_id=d.by_id)
        services = [e for d in dirs.values() for e in d.services]
        # the published terms of all regions (every vocabulary value, and each value any region uses)
        taxonomies = hsds.taxonomies([{"services": [e.obj for e in services]}])
        by_id = {kind: {k: v for d in dirs.values() for k, v in d.by_id[kind].items()}
                 for kind in ("services", "organizations", "service_at_locations")}
        return cls(directories=dirs, regions=regions, services=services,
                   organizations=[e for d in dirs.values() for e in d.organizations],
                   sal=[e for d in dirs.values() for e in d.sal],
                   taxonomies=[{k: v for k, v in t.items() if k != "terms"} for t in taxonomies],
                   terms=[t for tax in taxonomies for t in tax["terms"]], by_id=by_id)

    def select(self, region: str | None) -> Records:
        """The whole catalogue, or one region's directory (``InputError`` naming ``region`` when unknown)."""
        if not region:
            return self
        return self.directories[self.regions.get(region).region.id]


class Holders:
    """One :class:`Holder` per region; :meth:`get` gives the :class:`Catalogue` of their current data
    (joined again only when a region's directory was rebuilt)."""

    def __init__(self, folders: Iterable[Path], check_every: float = 30.0) -> None:
        self.holders = [Holder(Path(f), check_every) for f in folders]
        self._lock = threading.Lock()
        self._seen = tuple(h.get() for h in self.holders)
        self._catalogue = Catalogue.of(self._seen)

    def get(self) -> Catalogue:
        now = tuple(h.get() for h in self.holders)
        if any(a is not b for a, b in zip(now, self._seen, strict=True)):
            with self._lock:
                if any(a is not b for a, b in zip(now, self._seen, strict=True)):
                    self._seen = now
                    try:
                        self._catalogue = Catalogue.of(now)
                    except SocialMapError:  # e.g. a region edited to claim another's postcode: keep the last good
                        pass
        return self._catalogue


_WHEN = re.compile(r"^(\d{4}-\d{2}-\d{2})([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$")


def parse_when(value: str) -> str:
    """``modified_after`` as a date ``YYYY-MM-DD`` (a date or an ISO 8601 / RFC 3339 datetime)."""
    match = _WHEN.match(value.strip())
    try:
        if not match:
            raise ValueError
        return dt.date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        raise ValueError(f"modified_after '{value[:40]}' is not a date or datetime "
                         "(expected ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z)") from None
