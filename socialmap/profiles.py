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
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from . import figures as honest
from . import search, vocab
from .matching import match_index
from .derived import per_atlas
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
    examples_included: bool = True  # False: services, contacts and gaps count real services only

    @property
    def gaps_figure(self) -> honest.Figure:
        """The gaps as an honest figure: ``n`` is the number of real services serving the area."""
        return honest.make(self.gaps, [s.status for s in self.services], self.examples_included)

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


def _distance_array(atlas: Atlas, point: tuple[float, float] | None) -> np.ndarray:
    """Distance (m) per service position from ``point`` to its nearest location; NaN without one."""
    ix = match_index(atlas)
    out = np.full(len(ix.ids), np.nan)
    if point is None or not len(ix.sal_svc):
        return out
    d = np.hypot(ix.sal_x - point[0], ix.sal_y - point[1])
    starts = np.flatnonzero(np.r_[True, ix.sal_svc[1:] != ix.sal_svc[:-1]])
    out[ix.sal_svc[starts]] = np.minimum.reduceat(d, starts)
    return out


def service_distances(atlas: Atlas, point: tuple[float, float] | None) -> dict[str, float]:
    """Service id → distance (m) from ``point`` to its nearest location; services without one left out."""
    ix = match_index(atlas)
    d = _distance_array(atlas, point)
    return {ix.ids[int(pos)]: float(d[pos]) for pos in np.flatnonzero(~np.isnan(d))}


def _serving_codes(atlas: Atlas, code: str) -> set[str]:
    """Codes a service area may list to serve ``code``: the chain, NL, and for a wijk its buurten."""
    codes = set(atlas.area_chain(code)) | {vocab.NATIONAL_AREA}
    if code in atlas.areas.index and atlas.areas.at[code, "kind"] in ("wijk", "gemeente"):
        children = atlas.areas.index[atlas.areas["parent_code"] == code]
        codes.update(children)
        if atlas.areas.at[code, "kind"] == "gemeente":
            codes.update(atlas.areas.index[atlas.areas["parent_code"].isin(list(children))])
    return codes


def _serving_positions(atlas: Atlas, code: str) -> np.ndarray:
    """Positions (data order) of the services serving ``code``."""
    by_code = match_index(atlas).by_code
    hits = [by_code[c] for c in _serving_codes(atlas, code) if c in by_code]
    return np.unique(np.concatenate(hits)) if hits else np.empty(0, dtype=np.int64)


def serving_ids(atlas: Atlas, code: str) -> list[str]:
    """Ids of the services serving ``code`` (see module docstring), in data order."""
    ids = match_index(atlas).ids
    return [ids[int(pos)] for pos in _serving_positions(atlas, code)]


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


def _practice_arrays(atlas: Atlas) -> "_Practices":
    cached = _PRACTICES.get(id(atlas))
    if cached is not None and cached.atlas_ref() is atlas:
        return cached
    data = _Practices(atlas)
    _PRACTICES[id(atlas)] = data
    weakref.finalize(atlas, _PRACTICES.pop, id(atlas), None)
    return data


class _Practices:
    """GP practices with a known location as arrays (built once per atlas)."""

    def __init__(self, atlas: Atlas) -> None:
        self.atlas_ref = weakref.ref(atlas)
        gp = atlas.gp_practices
        locs = atlas.locations
        if len(gp) and len(locs):
            keep = gp["location_id"].isin(locs.index).to_numpy(dtype=bool)
        else:
            keep = np.zeros(len(gp), dtype=bool)
        self.rows = np.flatnonzero(keep)  # positions in atlas.gp_practices
        lids = gp["location_id"].to_numpy(dtype=object)[self.rows]
        geom = locs.geometry.reindex(lids) if len(self.rows) else None
        self.x = np.asarray(shapely.get_x(geom.values), dtype=float) if geom is not None else np.empty(0)
        self.y = np.asarray(shapely.get_y(geom.values), dtype=float) if geom is not None else np.empty(0)


_PRACTICES: dict[int, _Practices] = {}


def warm(atlas: Atlas) -> None:
    """Build what a wijk's profile reads besides the wijk index: the located GP practices."""
    _practice_arrays(atlas)


def _practices_near(atlas: Atlas, point: tuple[float, float], reach: float) -> list[PracticeInfo]:
    data = _practice_arrays(atlas)
    if not len(data.rows):
        return []
    d = np.hypot(data.x - point[0], data.y - point[1])
    gp, locs = atlas.gp_practices, atlas.locations
    org_names = atlas.organizations["name"]
    out = []
    for k in np.flatnonzero(~(d > reach + 1.0)):  # candidates; the exact test below
        dk = math.hypot(data.x[k] - point[0], data.y[k] - point[1])  # math.hypot, as always shown
        if dk > reach:
            continue
        pid = gp.index[data.rows[k]]
        row = gp.iloc[data.rows[k]]
        lid = row["location_id"]
        out.append(PracticeInfo(
            practice_id=str(pid), name=str(org_names.get(row["organization_id"], locs.at[lid, "name"])),
            address=f"{_text(locs.at[lid, 'address'])}, {_text(locs.at[lid, 'city'])}".strip(", "),
            youth_professional=str(row["youth_professional"]), youth_days=tuple(row["youth_days"] or ()),
            distance_m=float(dk), service_id=_text(row["service_id"]) or None,
        ))
    out.sort(key=lambda p: (p.distance_m, p.name))
    return out


def area_profile(atlas: Atlas, code: str, max_distance_m: float | None = None,
                 include_examples: bool = True) -> AreaProfile:
    """Everything the Wijkprofiel page shows for one gemeente, wijk or buurt (without
    ``include_examples``: real services only)."""
    area = atlas.area(code)
    reach = float(atlas.region.reach_m if max_distance_m is None else max_distance_m)
    figures = area
    if area.population is None and area.age_0_14 is None and area.parent_code:
        figures = atlas.area(area.parent_code)
    point = area_point(atlas, area.code)
    ix = match_index(atlas)
    positions = _serving_positions(atlas, area.code)
    if not include_examples:
        positions = np.array([p for p in positions if honest.is_real(ix.statuses[int(p)])], dtype=np.int64)
    dist_all = _distance_array(atlas, point)
    serving = [ix.ids[int(pos)] for pos in positions]
    dist = {ix.ids[int(pos)]: float(dist_all[pos]) for pos in positions if not np.isnan(dist_all[pos])}
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
        practices = _practices_near(atlas, point, reach)

    return AreaProfile(
        area=area, figures_code=figures.code, population=figures.population,
        age_0_14=figures.age_0_14, age_15_24=figures.age_15_24, services=tuple(services),
        practices=tuple(practices), contacts=tuple(contacts),
        gaps=gaps_for(atlas, area.code, reach, serving=serving, dist=dist), max_distance_m=reach,
        examples_included=include_examples,
    )


# ---- all wijken -----------------------------------------------------------------------------
#
# The comparison table and the coverage frame used to loop over wijken × services (minutes at
# national scale). Everything that does not depend on the chosen distance is computed once per
# atlas in :class:`WijkIndex` with arrays:
#
# * which services serve which wijk: the service areas (``MatchIndex.by_code``) joined to the
#   codes that serve each wijk (the wijk, its parents, its buurten); services listing ``NL`` serve
#   every wijk and are counted once per level instead of being joined;
# * per wijk and level: the number of serving services, whether one of them has no location, and
#   the distance to the nearest location of a serving service (exact ``hypot`` for joined pairs, an
#   STRtree nearest query per level for the national services);
# * per wijk: the nearest location of any light-help service (STRtree nearest query).
#
# Per distance only a comparison of these arrays is left.

def wijk_codes(atlas: Atlas) -> list[str]:
    return [str(c) for c in atlas.areas.index[atlas.areas["kind"] == "wijk"]]



def _nearest(px: np.ndarray, py: np.ndarray, has_point: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per input point: the straight-line distance to the nearest of the points (x, y); inf when none."""
    out = np.full(len(px), np.inf)
    rows = np.flatnonzero(has_point)
    if not len(x) or not len(rows):
        return out
    tree = shapely.STRtree(shapely.points(x, y))
    idx = tree.query_nearest(shapely.points(px[rows], py[rows]), all_matches=True)
    src, hit = rows[idx[0]], idx[1]
    d = np.hypot(x[hit] - px[src], y[hit] - py[src])  # the same arithmetic as for one area
    np.minimum.at(out, src, d)
    return out


class WijkIndex:
    """Distance-independent figures of all wijken of an atlas (built once per atlas). Read-only."""

    def __init__(self, atlas: Atlas, real_only: bool = False) -> None:
        self.atlas_ref = weakref.ref(atlas)
        self.real_only = real_only
        ix = match_index(atlas)
        areas = atlas.areas
        self.codes = wijk_codes(atlas)
        n_w, n_l = len(self.codes), len(vocab.LEVELS)
        w_of = {c: i for i, c in enumerate(self.codes)}

        # figures (as atlas.area() gives them)
        rows = areas.loc[self.codes] if n_w else areas.iloc[:0]
        muni_names = areas["name"]
        self.names = list(rows["name"])
        self.municipalities = [str(muni_names[m]) if m in areas.index else "" for m in rows["municipality_code"]]
        self.population = [_opt_int(v) for v in rows["population"]]
        self.age_0_14 = [_opt_int(v) for v in rows["age_0_14"]]
        self.age_15_24 = [_opt_int(v) for v in rows["age_15_24"]]

        # representative points
        pts = [ix.area_point(atlas, c) for c in self.codes]
        self.has_point = np.array([p is not None for p in pts], dtype=bool)
        self.px = np.array([p[0] if p is not None else np.nan for p in pts], dtype=float)
        self.py = np.array([p[1] if p is not None else np.nan for p in pts], dtype=float)

        # codes that serve each wijk: itself, its parents and its children (buurten)
        parent = {str(c): (p or None) for c, p in zip(areas.index, areas["parent_code"])}
        code_wijken: dict[str, list[int]] = {}
        for i, code in enumerate(self.codes):
            current: str | None = code
            while current:  # atlas.area_chain
                code_wijken.setdefault(current, []).append(i)
                current = parent.get(current)
        for child, p in parent.items():  # a wijk's buurten
            if p in w_of:
                code_wijken.setdefault(child, []).append(w_of[p])

        n_s = len(ix.ids)
        level = ix.level_code.astype(np.int64)
        nl = np.zeros(n_s, dtype=bool)
        if vocab.NATIONAL_AREA in ix.by_code:
            nl[ix.by_code[vocab.NATIONAL_AREA]] = True
        located = np.zeros(n_s, dtype=bool)  # has a location (a distance)
        located[ix.sal_svc] = True
        light = np.isin(level, [vocab.LEVELS.index(v) for v in LIGHT_LEVELS])
        light_located = light & located  # from the match index (no full-text index needed)
        # with real_only the illustrative services are left out of every figure
        keep = np.array(honest.real_mask(ix.statuses), dtype=bool) if real_only else np.ones(n_s, dtype=bool)
        known = (level >= 0) & keep
        nl &= keep
        light &= keep
        light_located &= keep
        sal_keep = keep[ix.sal_svc] if len(ix.sal_svc) else np.zeros(0, dtype=bool)

        # (service, wijk) pairs through the service areas, national services left out
        svc_parts, w_parts = [], []
        for code, positions in ix.by_code.items():
            wijken = code_wijken.get(code)
            if not wijken or code == vocab.NATIONAL_AREA:
                continue
            positions = positions[~nl[positions]]
            if not len(positions):
                continue
            svc_parts.append(np.repeat(positions, len(wijken)))
            w_parts.append(np.tile(np.asarray(wijken, dtype=np.int64), len(positions)))
        if svc_parts:
            key = np.unique(np.concatenate(svc_parts) * max(n_w, 1) + np.concatenate(w_parts))
            p_svc, p_w = key // max(n_w, 1), key % max(n_w, 1)
        else:
            p_svc = p_w = np.empty(0, dtype=np.int64)
        keep = known[p_svc]
        p_svc, p_w = p_svc[keep], p_w[keep]
        p_lvl = level[p_svc]

        # counts per wijk and level; light-help services with a location
        counts = np.zeros((n_w, n_l), dtype=np.int64)
        np.add.at(counts, (p_w, p_lvl), 1)
        counts += np.bincount(level[nl & known], minlength=n_l)[None, :]
        self.counts = counts
        self.light_services = (np.bincount(p_w[light_located[p_svc]], minlength=n_w)
                               + int((nl & light_located).sum())).astype(np.int64)

        # a serving service without a location (or a wijk without a point) covers its level
        remote = np.zeros((n_w, n_l), dtype=bool)
        r = ~located[p_svc]
        remote[p_w[r], p_lvl[r]] = True
        remote[:, np.unique(level[nl & known & ~located])] = True
        remote[~self.has_point] |= counts[~self.has_point] > 0
        self.remote = remote

        # nearest location of a serving service per wijk and level
        near = np.full((n_w, n_l), np.inf)
        if len(ix.sal_svc):
            starts = np.searchsorted(ix.sal_svc, p_svc, side="left")
            ends = np.searchsorted(ix.sal_svc, p_svc, side="right")
            reps = ends - starts
            take = self.has_point[p_w] & (reps > 0)
            starts, reps, w_l, l_l = starts[take], reps[take], p_w[take], p_lvl[take]
            if len(starts):
                offsets = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
                sal_rows = np.repeat(starts, reps) + offsets
                ww, ll = np.repeat(w_l, reps), np.repeat(l_l, reps)
                d = np.hypot(ix.sal_x[sal_rows] - self.px[ww], ix.sal_y[sal_rows] - self.py[ww])
                np.minimum.at(near, (ww, ll), d)
            sal_lvl = level[ix.sal_svc]
            sal_nl = nl[ix.sal_svc] & sal_keep
            for li in range(n_l):
                rows_l = np.flatnonzero(sal_nl & (sal_lvl == li))
                if len(rows_l):
                    near[:, li] = np.minimum(near[:, li], _nearest(self.px, self.py, self.has_point,
                                                                   ix.sal_x[rows_l], ix.sal_y[rows_l]))
        self.near = near

        # nearest light-help location of any service (serving or not)
        if len(ix.sal_svc):
            rows_light = np.flatnonzero(light[ix.sal_svc] & sal_keep)
            nearest = _nearest(self.px, self.py, self.has_point, ix.sal_x[rows_light], ix.sal_y[rows_light])
        else:
            nearest = np.full(n_w, np.inf)
        self.nearest_light = np.where(np.isinf(nearest), np.nan, nearest)

    def youth(self) -> list[int | None]:
        return [None if a is None and b is None else (a or 0) + (b or 0)
                for a, b in zip(self.age_0_14, self.age_15_24)]

    def gaps(self, reach: float) -> np.ndarray:
        """(wijk, level) → no serving service without a location or within ``reach``."""
        return ~(self.remote | (self.near <= reach))


@per_atlas
def _all_wijk_index(atlas: Atlas) -> WijkIndex:
    return WijkIndex(atlas)


@per_atlas
def _real_wijk_index(atlas: Atlas) -> WijkIndex:
    return WijkIndex(atlas, real_only=True)


def wijk_index(atlas: Atlas, include_examples: bool = True) -> WijkIndex:
    """The :class:`WijkIndex` of an atlas (built on first use, shared, dropped with the atlas);
    without ``include_examples`` it counts real services only."""
    return _all_wijk_index(atlas) if include_examples else _real_wijk_index(atlas)


def coverage(atlas: Atlas, max_distance_m: float | None = None, include_examples: bool = True) -> pd.DataFrame:
    """Light-help coverage per wijk (index: wijk code).

    Columns: ``name, municipality, youth_0_24, light_services, youth_per_service`` (NaN when no
    service), ``nearest_m`` (to the nearest light-help location; NaN without any), ``far``
    (nearest farther than ``max_distance_m``, default the region's ``reach_m``), ``light_real``
    (real light-help services with a location serving the wijk: the ``n`` of its figure) and
    ``enough`` (``light_real`` >= :data:`socialmap.figures.MIN_REAL`). Without ``include_examples``
    only real services count.
    """
    reach = float(atlas.region.reach_m if max_distance_m is None else max_distance_m)
    wx = wijk_index(atlas, include_examples)
    real = wijk_index(atlas, False).light_services
    youth = wx.youth()
    n = wx.light_services
    frame = pd.DataFrame({
        "code": wx.codes, "name": wx.names, "municipality": wx.municipalities,
        "youth_0_24": youth, "light_services": n.tolist(),
        "youth_per_service": [(y / k) if (y is not None and k) else math.nan for y, k in zip(youth, n.tolist())],
        "nearest_m": wx.nearest_light,
        "far": (np.isnan(wx.nearest_light) | (wx.nearest_light > reach)).tolist(),
        "light_real": real.tolist(), "enough": (real >= honest.MIN_REAL).tolist(),
    }, columns=["code", "name", "municipality", "youth_0_24", "light_services",
                "youth_per_service", "nearest_m", "far", "light_real", "enough"]).set_index("code")
    frame["youth_0_24"] = frame["youth_0_24"].astype("Int64")
    return frame


def comparison_table(atlas: Atlas, max_distance_m: float | None = None,
                     include_examples: bool = True) -> pd.DataFrame:
    """One row per wijk: figures, services serving it per level, light-help coverage and gaps.

    Columns: ``code, name, municipality, population, age_0_14, age_15_24``, one count column per
    level id, ``youth_per_light_service, nearest_light_m, gaps`` (level ids joined by ``;``).
    """
    reach = float(atlas.region.reach_m if max_distance_m is None else max_distance_m)
    cov = coverage(atlas, reach, include_examples)
    wx = wijk_index(atlas, include_examples)
    if not wx.codes:
        return pd.DataFrame()
    gaps = wx.gaps(reach)
    data: dict[str, object] = {"code": wx.codes, "name": wx.names, "municipality": wx.municipalities,
                               "population": wx.population, "age_0_14": wx.age_0_14, "age_15_24": wx.age_15_24}
    for li, level in enumerate(vocab.LEVELS):
        data[level] = wx.counts[:, li].tolist()
    data["youth_per_light_service"] = cov["youth_per_service"].to_numpy()
    data["nearest_light_m"] = cov["nearest_m"].to_numpy()
    data["gaps"] = [";".join(level for level, gap in zip(vocab.LEVELS, row) if gap) for row in gaps.tolist()]
    data["services_real"] = wijk_index(atlas, False).counts.sum(axis=1).tolist()
    frame = pd.DataFrame(data)
    for col in ("population", "age_0_14", "age_15_24"):
        if col in frame:
            frame[col] = frame[col].astype("Int64")
    return frame


__all__ = [
    "LIGHT_LEVELS", "ServiceReach", "PracticeInfo", "AreaProfile", "area_profile", "gaps_for",
    "coverage", "comparison_table", "serving_ids", "service_distances", "area_point", "wijk_codes",
    "WijkIndex", "wijk_index", "warm",
]
