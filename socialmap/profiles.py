"""Area profiles, the comparison of all wijken, gaps and light-help coverage.

Definitions (also explained on the pages):

* A service **serves** an area when its service area lists the area, one of its parents (wijk,
  gemeente) or ``NL``. For a wijk, a service listing one of the wijk's buurten serves it too.
* **Distance** is the straight line in RD New metres from the area's representative point (a point
  guaranteed inside the area) to the service's nearest location. Services without a location
  (telephone, online, national lines) have no distance and count as reachable from anywhere.
* A **gap** is a care level with no service that serves the area within ``max_distance_m``
  (default: the region's ``reach_m``).
* **Light help** (lichte hulp, first line) is the levels ``open_access`` and ``gp_practice``.
  Coverage counts the youth (0-24) of a wijk per light-help service with a location that serves the
  wijk, and the distance to the nearest light-help location of any service.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import search, vocab
from .matching import match_index
from .model import Area, Atlas

LIGHT_LEVELS: tuple[str, ...] = ("open_access", "gp_practice")
_CJG = ("cjg", "centrum voor jeugd")


@dataclass(frozen=True)
class ServiceReach:
    service_id: str
    name: str
    level: str
    access_route: str
    status: str
    serves_area: bool
    distance_m: float | None  # None: no location (phone / online / national)
    waiting_weeks: int | None
    waiting_as_of: object
    phone: str
    email: str
    url: str

    @property
    def remote(self) -> bool:
        return self.distance_m is None


@dataclass(frozen=True)
class PracticeInfo:
    practice_id: str
    name: str
    address: str
    youth_professional: str
    youth_days: tuple[str, ...]
    distance_m: float
    service_id: str | None


@dataclass(frozen=True)
class AreaProfile:
    area: Area
    figures_code: str  # the area whose CBS figures are shown (a buurt without figures: its wijk)
    population: int | None
    age_0_14: int | None
    age_15_24: int | None
    services: tuple[ServiceReach, ...]  # serving the area, lightest level first, nearest first
    practices: tuple[PracticeInfo, ...]  # GP practices within max_distance_m, nearest first
    contacts: tuple[ServiceReach, ...]  # wijkteam services and open-access CJG services serving the area
    gaps: tuple[str, ...]  # level ids
    max_distance_m: float

    @property
    def youth_0_24(self) -> int | None:
        if self.age_0_14 is None and self.age_15_24 is None:
            return None
        return (self.age_0_14 or 0) + (self.age_15_24 or 0)

    def by_level(self) -> dict[str, list[ServiceReach]]:
        out: dict[str, list[ServiceReach]] = {level: [] for level in vocab.LEVELS}
        for item in self.services:
            out.setdefault(item.level, []).append(item)
        return out


# ---- geometry helpers ---------------------------------------------------------------------

def area_point(atlas: Atlas, code: str) -> tuple[float, float] | None:
    """The representative point (RD) of an area, cached with the matching index."""
    return match_index(atlas).area_point(atlas, code)


def service_distances(atlas: Atlas, point: tuple[float, float] | None) -> dict[str, float]:
    """Service id → distance (m) from ``point`` to its nearest location; services without one left out."""
    ix = match_index(atlas)
    if point is None or not len(ix.sal_svc):
        return {}
    d = np.hypot(ix.sal_x - point[0], ix.sal_y - point[1])
    starts = np.flatnonzero(np.r_[True, ix.sal_svc[1:] != ix.sal_svc[:-1]])
    nearest = np.minimum.reduceat(d, starts)
    return {ix.ids[int(pos)]: float(v) for pos, v in zip(ix.sal_svc[starts], nearest)}


def _serving_codes(atlas: Atlas, code: str) -> set[str]:
    """Codes a service area may list to serve ``code``: the chain, NL, and for a wijk its buurten."""
    codes = set(atlas.area_chain(code)) | {vocab.NATIONAL_AREA}
    if code in atlas.areas.index and atlas.areas.at[code, "kind"] in ("wijk", "gemeente"):
        children = atlas.areas.index[atlas.areas["parent_code"] == code]
        codes.update(children)
        if atlas.areas.at[code, "kind"] == "gemeente":
            codes.update(atlas.areas.index[atlas.areas["parent_code"].isin(list(children))])
    return codes


def serving_ids(atlas: Atlas, code: str) -> list[str]:
    """Ids of the services serving ``code`` (see module docstring), in data order."""
    codes = _serving_codes(atlas, code)
    return [str(sid) for sid, area in zip(atlas.services.index, atlas.services["service_area"])
            if codes.intersection(area or ())]


def _opt_int(value: object) -> int | None:
    if value is None or value is pd.NA:
        return None
    try:
        if pd.isna(value):  # type: ignore[arg-type]
            return None
    except (TypeError, ValueError):
        pass
    return int(value)  # type: ignore[arg-type]


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _reach(atlas: Atlas, sid: str, serves: bool, dist: dict[str, float]) -> ServiceReach:
    row = atlas.services.loc[sid]
    return ServiceReach(
        service_id=sid, name=str(row["name"]), level=str(row["level"]),
        access_route=str(row["access_route"]), status=str(row["status"]), serves_area=serves,
        distance_m=dist.get(sid), waiting_weeks=_opt_int(row["waiting_weeks"]),
        waiting_as_of=row["waiting_as_of"], phone=_text(row["phone"]), email=_text(row["email"]),
        url=_text(row["url"]),
    )


def _sort_key(item: ServiceReach) -> tuple:
    return (vocab.LEVELS.index(item.level) if item.level in vocab.LEVELS else 99,
            item.distance_m if item.distance_m is not None else math.inf, item.name)


# ---- profile --------------------------------------------------------------------------------

def gaps_for(atlas: Atlas, code: str, max_distance_m: float, levels: tuple[str, ...] = vocab.LEVELS,
             serving: list[str] | None = None, dist: dict[str, float] | None = None) -> tuple[str, ...]:
    """Levels with no service that serves ``code`` within ``max_distance_m`` (remote services count)."""
    if serving is None:
        serving = serving_ids(atlas, code)
    if dist is None:
        dist = service_distances(atlas, area_point(atlas, code))
    covered = set()
    for sid in serving:
        d = dist.get(sid)
        if d is None or d <= max_distance_m:
            covered.add(atlas.services.at[sid, "level"])
    return tuple(level for level in levels if level not in covered)


def area_profile(atlas: Atlas, code: str, max_distance_m: float | None = None) -> AreaProfile:
    """Everything the Wijkprofiel page shows for one gemeente, wijk or buurt."""
    area = atlas.area(code)
    reach = float(atlas.region.reach_m if max_distance_m is None else max_distance_m)
    figures = area
    if area.population is None and area.age_0_14 is None and area.parent_code:
        figures = atlas.area(area.parent_code)
    point = area_point(atlas, area.code)
    dist = service_distances(atlas, point)
    serving = serving_ids(atlas, area.code)
    services = sorted((_reach(atlas, sid, True, dist) for sid in serving), key=_sort_key)

    org_names = atlas.organizations["name"]
    contacts = []
    for item in services:
        org = atlas.services.at[item.service_id, "organization_id"]
        haystack = search.normalise(f"{item.name} {org_names.get(org, '')}")
        if item.level == "wijkteam" or (item.level == "open_access" and any(word in haystack for word in _CJG)):
            contacts.append(item)

    practices = []
    if point is not None and len(atlas.gp_practices):
        locs = atlas.locations
        for pid, row in atlas.gp_practices.iterrows():
            lid = row["location_id"]
            if lid not in locs.index:
                continue
            geom = locs.geometry[lid]
            d = float(math.hypot(geom.x - point[0], geom.y - point[1]))
            if d > reach:
                continue
            practices.append(PracticeInfo(
                practice_id=str(pid), name=str(org_names.get(row["organization_id"], locs.at[lid, "name"])),
                address=f"{_text(locs.at[lid, 'address'])}, {_text(locs.at[lid, 'city'])}".strip(", "),
                youth_professional=str(row["youth_professional"]), youth_days=tuple(row["youth_days"] or ()),
                distance_m=d, service_id=_text(row["service_id"]) or None,
            ))
        practices.sort(key=lambda p: (p.distance_m, p.name))

    return AreaProfile(
        area=area, figures_code=figures.code, population=figures.population,
        age_0_14=figures.age_0_14, age_15_24=figures.age_15_24, services=tuple(services),
        practices=tuple(practices), contacts=tuple(contacts),
        gaps=gaps_for(atlas, area.code, reach, serving=serving, dist=dist), max_distance_m=reach,
    )


# ---- all wijken -----------------------------------------------------------------------------

def wijk_codes(atlas: Atlas) -> list[str]:
    return [str(c) for c in atlas.areas.index[atlas.areas["kind"] == "wijk"]]


def _light_located(atlas: Atlas) -> set[str]:
    located = search.search_index(atlas).located
    return {str(s) for s in atlas.services.index[atlas.services["level"].isin(LIGHT_LEVELS)] if str(s) in located}


def coverage(atlas: Atlas, max_distance_m: float | None = None) -> pd.DataFrame:
    """Light-help coverage per wijk (index: wijk code).

    Columns: ``name, municipality, youth_0_24, light_services, youth_per_service`` (NaN when no
    service), ``nearest_m`` (to the nearest light-help location; NaN without any), ``far``
    (nearest farther than ``max_distance_m``, default the region's ``reach_m``).
    """
    reach = float(atlas.region.reach_m if max_distance_m is None else max_distance_m)
    light = _light_located(atlas)
    rows = []
    for code in wijk_codes(atlas):
        area = atlas.area(code)
        youth = None if area.age_0_14 is None and area.age_15_24 is None else (area.age_0_14 or 0) + (area.age_15_24 or 0)
        n = sum(1 for sid in serving_ids(atlas, code) if sid in light)
        dist = service_distances(atlas, area_point(atlas, code))
        near = [d for sid, d in dist.items() if sid in light]
        nearest = min(near) if near else math.nan
        rows.append({
            "code": code, "name": area.name, "municipality": area.municipality_name,
            "youth_0_24": youth, "light_services": n,
            "youth_per_service": (youth / n) if (youth is not None and n) else math.nan,
            "nearest_m": nearest, "far": bool(not near or nearest > reach),
        })
    frame = pd.DataFrame(rows, columns=["code", "name", "municipality", "youth_0_24", "light_services",
                                        "youth_per_service", "nearest_m", "far"]).set_index("code")
    frame["youth_0_24"] = frame["youth_0_24"].astype("Int64")
    return frame


def comparison_table(atlas: Atlas, max_distance_m: float | None = None) -> pd.DataFrame:
    """One row per wijk: figures, services serving it per level, light-help coverage and gaps.

    Columns: ``code, name, municipality, population, age_0_14, age_15_24``, one count column per
    level id, ``youth_per_light_service, nearest_light_m, gaps`` (level ids joined by ``;``).
    """
    reach = float(atlas.region.reach_m if max_distance_m is None else max_distance_m)
    cov = coverage(atlas, reach)
    rows = []
    for code in wijk_codes(atlas):
        area = atlas.area(code)
        serving = serving_ids(atlas, code)
        levels = atlas.services.loc[serving, "level"].value_counts() if serving else pd.Series(dtype=int)
        row = {"code": code, "name": area.name, "municipality": area.municipality_name,
               "population": area.population, "age_0_14": area.age_0_14, "age_15_24": area.age_15_24}
        for level in vocab.LEVELS:
            row[level] = int(levels.get(level, 0))
        row["youth_per_light_service"] = cov.at[code, "youth_per_service"]
        row["nearest_light_m"] = cov.at[code, "nearest_m"]
        row["gaps"] = ";".join(gaps_for(atlas, code, reach, serving=serving))
        rows.append(row)
    frame = pd.DataFrame(rows)
    for col in ("population", "age_0_14", "age_15_24"):
        if col in frame:
            frame[col] = frame[col].astype("Int64")
    return frame


__all__ = [
    "LIGHT_LEVELS", "ServiceReach", "PracticeInfo", "AreaProfile", "area_profile", "gaps_for",
    "coverage", "comparison_table", "serving_ids", "service_distances", "area_point", "wijk_codes",
]
