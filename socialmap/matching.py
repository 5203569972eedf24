"""Local services for an advice: which services at the advised levels serve or are near an area.

``match`` selects services at the given levels whose service area covers the area (its buurt,
wijk or gemeente, or ``NL``) or that have a location within ``atlas.region.reach_m`` metres of
the area's representative point; filters them by age and concern; and ranks them (triage contract
v2): real records (verified, to_verify) before illustrative ones; within each, serving the area
first, then nearest, then shortest waiting time. Distances are straight lines in RD New
metres.

The per-atlas arrays are built once (:class:`MatchIndex`, cached per atlas object) so one match
takes about a millisecond even for a national atlas.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from . import schedule, vocab
from .derived import per_atlas
from .model import Area, Atlas

_NO_LIMIT_MONTHS = 10**6


@dataclass(frozen=True)
class Match:
    service_id: str
    name: str
    level: str
    serves_area: bool
    distance_m: float | None
    waiting_weeks: int | None
    open_now: bool | None
    walk_in_today: bool
    status: str

    def to_contract(self) -> dict[str, Any]:
        """A ``services`` item of the triage contract."""
        return {
            "id": self.service_id,
            "name": self.name,
            "level": self.level,
            "distance_km": None if self.distance_m is None else round(self.distance_m / 1000.0, 1),
            "waiting_weeks": self.waiting_weeks,
        }


def _opt_int(value: Any) -> int | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return int(value)


class MatchIndex:
    """Arrays over an atlas's services, built once per atlas."""

    def __init__(self, atlas: Atlas) -> None:
        svc = atlas.services
        n = len(svc)
        self.atlas_ref = weakref.ref(atlas)
        self.reach_m = float(atlas.region.reach_m)
        self.ids = [str(i) for i in svc.index]
        self.names = [str(v) for v in svc["name"]]
        self.levels = [str(v) for v in svc["level"]]
        self.statuses = [str(v) for v in svc["status"]] if "status" in svc else [""] * n
        self.illustrative = np.array([v == "illustrative" for v in self.statuses], dtype=bool)
        self.level_code = np.array([vocab.LEVELS.index(v) if v in vocab.LEVELS else -1 for v in self.levels], dtype=np.int8)
        lo = [_opt_int(v) for v in svc["age_min_months"]]
        hi = [_opt_int(v) for v in svc["age_max_months"]]
        self.age_min = np.array([0 if v is None else v for v in lo], dtype=np.int64)
        self.age_max = np.array([_NO_LIMIT_MONTHS if v is None else v for v in hi], dtype=np.int64)
        bit = {c: 1 << i for i, c in enumerate(vocab.CONCERNS)}
        self.concern_mask = np.array(
            [sum(bit.get(c, 0) for c in (cs or ())) for cs in svc["concerns"]], dtype=np.int64
        )
        self.waiting = [_opt_int(v) for v in svc["waiting_weeks"]]
        self.waiting_key = np.array([np.inf if w is None else w for w in self.waiting], dtype=float)
        self.name_rank = np.argsort(np.argsort(np.array(self.names, dtype=object), kind="stable"), kind="stable")
        # service areas: code -> service positions
        by_code: dict[str, list[int]] = {}
        for pos, codes in enumerate(svc["service_area"]):
            for code in codes or ():
                by_code.setdefault(code, []).append(pos)
        self.by_code = {code: np.array(v, dtype=np.int64) for code, v in by_code.items()}
        # locations: one row per (service, location), sorted by service position
        pos_of = {sid: i for i, sid in enumerate(self.ids)}
        sal = atlas.service_at_location
        loc_geom = atlas.locations.geometry if len(atlas.locations) else None
        sal_svc, sal_x, sal_y = [], [], []
        if loc_geom is not None and len(sal):
            loc_x = dict(zip(atlas.locations.index, loc_geom.x))
            loc_y = dict(zip(atlas.locations.index, loc_geom.y))
            for sid, lid in zip(sal["service_id"], sal["location_id"]):
                if sid in pos_of and lid in loc_x:
                    sal_svc.append(pos_of[sid])
                    sal_x.append(loc_x[lid])
                    sal_y.append(loc_y[lid])
        order = np.argsort(np.array(sal_svc, dtype=np.int64), kind="stable")
        self.sal_svc = np.array(sal_svc, dtype=np.int64)[order]
        self.sal_x = np.array(sal_x, dtype=float)[order]
        self.sal_y = np.array(sal_y, dtype=float)[order]
        # schedules, compiled per service position
        self.schedules: dict[int, tuple[tuple[str, int, int, int], ...]] = {}
        sched = atlas.schedules
        if len(sched):
            grouped: dict[int, list[dict[str, Any]]] = {}
            for row in sched[["service_id", "kind", "weekday", "opens", "closes"]].to_dict("records"):
                pos = pos_of.get(row["service_id"])
                if pos is not None:
                    grouped.setdefault(pos, []).append(row)
            self.schedules = {pos: schedule.compile_rows(rows) for pos, rows in grouped.items()}
        self._points: dict[str, tuple[float, float] | None] = {}
        self._chains: dict[str, tuple[str, ...]] = {}

    def area_point(self, atlas: Atlas, code: str) -> tuple[float, float] | None:
        if code not in self._points:
            point = None
            if code in atlas.areas.index:
                geom = atlas.areas.geometry[code]
                if geom is not None and not geom.is_empty:
                    rep = geom.representative_point()
                    point = (float(rep.x), float(rep.y))
            self._points[code] = point
        return self._points[code]

    def chain(self, atlas: Atlas, code: str) -> tuple[str, ...]:
        if code not in self._chains:
            self._chains[code] = atlas.area_chain(code) if code in atlas.areas.index else (code,)
        return self._chains[code]


@per_atlas
def match_index(atlas: Atlas) -> MatchIndex:
    """The :class:`MatchIndex` of an atlas (built on first use, shared, dropped with the atlas)."""
    return MatchIndex(atlas)


def match(
    atlas: Atlas,
    area: Area,
    levels: Sequence[str],
    age_years: int | None,
    concerns: Sequence[str] = (),
    now: dt.datetime | None = None,
    limit: int | None = None,
) -> list[Match]:
    """Services at ``levels`` for ``area``: serving it or within reach, fit for age and concern."""
    ix = match_index(atlas)
    n = len(ix.ids)
    if n == 0 or not levels:
        return []
    mask = _fits(ix, levels, age_years, concerns)
    if not mask.any():
        return []
    served = np.zeros(n, dtype=bool)
    for code in (vocab.NATIONAL_AREA, *ix.chain(atlas, area.code)):
        hits = ix.by_code.get(code)
        if hits is not None:
            served[hits] = True
    dist = np.full(n, np.inf)
    point = ix.area_point(atlas, area.code)
    if point is not None and len(ix.sal_svc):
        rows = np.flatnonzero(mask[ix.sal_svc])
        if len(rows):
            svc_pos = ix.sal_svc[rows]
            d = np.hypot(ix.sal_x[rows] - point[0], ix.sal_y[rows] - point[1])
            starts = np.flatnonzero(np.r_[True, svc_pos[1:] != svc_pos[:-1]])
            dist[svc_pos[starts]] = np.minimum.reduceat(d, starts)
    keep = mask & (served | (dist <= ix.reach_m))
    positions = np.flatnonzero(keep)
    if not len(positions):
        return []
    order = np.lexsort(_rank_keys(ix, positions, served[positions], dist[positions]))
    positions = positions[order]
    if limit is not None:
        positions = positions[: max(limit, 0)]
    return _matches(ix, positions, served[positions], dist[positions], now)


def _fits(ix: MatchIndex, levels: Sequence[str], age_years: int | None, concerns: Sequence[str],
          positions: np.ndarray | None = None) -> np.ndarray:
    """Which services (all, or those at ``positions``) are at ``levels`` and fit age and concern."""
    take = (lambda a: a) if positions is None else (lambda a: a[positions])
    wanted = [vocab.LEVELS.index(level) for level in levels if level in vocab.LEVELS]
    mask = np.isin(take(ix.level_code), wanted)
    if age_years is not None:
        months = int(age_years) * 12
        mask &= (take(ix.age_min) <= months + 11) & (take(ix.age_max) >= months)
    if concerns:
        bits = 0
        for concern in concerns:
            if concern in vocab.CONCERNS:
                bits |= 1 << vocab.CONCERNS.index(concern)
        cm = take(ix.concern_mask)
        mask &= (cm == 0) | ((cm & bits) != 0)
    return mask


def _rank_keys(ix: MatchIndex, positions: np.ndarray, served: np.ndarray, dist: np.ndarray) -> tuple[np.ndarray, ...]:
    """``np.lexsort`` keys of the ranking (last = first criterion): real records first, serving the
    area first, nearest, shortest wait, name."""
    return (ix.name_rank[positions], ix.waiting_key[positions], dist, ~served, ix.illustrative[positions])


def _matches(ix: MatchIndex, positions: np.ndarray, served: np.ndarray, dist: np.ndarray,
             now: dt.datetime | None) -> list[Match]:
    local = schedule.local_now(now)
    out: list[Match] = []
    for pos, srv, d in zip(positions.tolist(), served.tolist(), dist.tolist()):
        sessions = ix.schedules.get(pos, ())
        out.append(
            Match(
                service_id=ix.ids[pos],
                name=ix.names[pos],
                level=ix.levels[pos],
                serves_area=bool(srv),
                distance_m=None if not np.isfinite(d) else float(d),
                waiting_weeks=ix.waiting[pos],
                open_now=schedule.is_open(sessions, local),
                walk_in_today=schedule.walk_in_today(sessions, local),
                status=ix.statuses[pos],
            )
        )
    return out


# ---- matching by lookup ---------------------------------------------------------------------------
#
# The ranking of ``match`` does not depend on the request's age or concern: per area, the
# candidates (serving it, or with a location within reach) and their order are fixed. The lookup
# stores them, per (area, level), already in that order; a request only filters the short list by
# age and concern and takes the first ``limit``. ``match`` stays the reference and the fallback.

class MatchLookup:
    """Per (area, level): candidate service positions in ``match``'s order, with serving flag and
    distance. Built once per atlas (vectorised); read-only."""

    def __init__(self, atlas: Atlas) -> None:
        import shapely

        ix = match_index(atlas)
        self.atlas_ref = weakref.ref(atlas)
        n = len(ix.ids)
        codes = [str(c) for c in atlas.areas.index]
        self.codes = {c: i for i, c in enumerate(codes)}
        n_a = len(codes)
        points = [ix.area_point(atlas, c) for c in codes]
        has_point = np.array([p is not None for p in points], dtype=bool)
        px = np.array([p[0] if p else np.nan for p in points], dtype=float)
        py = np.array([p[1] if p else np.nan for p in points], dtype=float)

        # served pairs (area, service): the area's chain and NL
        a_parts, s_parts = [], []
        national = ix.by_code.get(vocab.NATIONAL_AREA)
        for a, code in enumerate(codes):
            for c in ix.chain(atlas, code):
                hits = ix.by_code.get(c)
                if hits is not None:
                    a_parts.append(np.full(len(hits), a, dtype=np.int64))
                    s_parts.append(hits)
        if national is not None and n_a:
            a_parts.append(np.repeat(np.arange(n_a, dtype=np.int64), len(national)))
            s_parts.append(np.tile(national, n_a))
        served_a = np.concatenate(a_parts) if a_parts else np.empty(0, dtype=np.int64)
        served_s = np.concatenate(s_parts) if s_parts else np.empty(0, dtype=np.int64)

        # locations within reach (a margin for the tree; the exact test is match's arithmetic)
        near_a = near_r = np.empty(0, dtype=np.int64)
        rows_pt = np.flatnonzero(has_point)
        if len(ix.sal_svc) and len(rows_pt):
            tree = shapely.STRtree(shapely.points(ix.sal_x, ix.sal_y))
            hit = tree.query(shapely.points(px[rows_pt], py[rows_pt]), predicate="dwithin", distance=ix.reach_m + 1.0)
            near_a, near_r = rows_pt[hit[0]], hit[1]

        # every (area, service) pair, unique; then the exact distance over all its locations
        key = np.unique(np.concatenate([served_a * n + served_s, near_a * n + ix.sal_svc[near_r]]))
        pa, ps = key // max(n, 1), key % max(n, 1)
        served_key = np.unique(served_a * n + served_s)
        is_served = np.isin(key, served_key, assume_unique=True)
        dist = np.full(len(key), np.inf)
        if len(ix.sal_svc):
            starts = np.searchsorted(ix.sal_svc, ps, side="left")
            reps = np.searchsorted(ix.sal_svc, ps, side="right") - starts
            reps = np.where(has_point[pa], reps, 0)
            pairs = np.flatnonzero(reps)
            if len(pairs):
                r = reps[pairs]
                offsets = np.arange(r.sum()) - np.repeat(np.cumsum(r) - r, r)
                sal_rows = np.repeat(starts[pairs], r) + offsets
                owner = np.repeat(pairs, r)
                d = np.hypot(ix.sal_x[sal_rows] - px[pa[owner]], ix.sal_y[sal_rows] - py[pa[owner]])
                first = np.r_[0, np.cumsum(r)[:-1]]
                dist[pairs] = np.minimum.reduceat(d, first)
        keep = is_served | (dist <= ix.reach_m)
        pa, ps, is_served, dist = pa[keep], ps[keep], is_served[keep], dist[keep]

        # sorted by area, level, then match's ranking
        level = ix.level_code[ps].astype(np.int64)
        order = np.lexsort((*_rank_keys(ix, ps, is_served, dist), level, pa))
        self.pos, self.served, self.dist = ps[order], is_served[order], dist[order]
        group = pa[order] * (len(vocab.LEVELS) + 1) + (level[order] + 1)
        self.group_keys, self.group_starts = np.unique(group, return_index=True)
        self.group_ends = np.r_[self.group_starts[1:], len(group)]
        self.n_levels = len(vocab.LEVELS) + 1

    def candidates(self, code: str, level: str) -> slice | None:
        """The slice of one (area, level) in the arrays; None when the area is not in the table."""
        a = self.codes.get(code)
        if a is None:
            return None
        if level not in vocab.LEVELS:
            return slice(0, 0)
        g = a * self.n_levels + vocab.LEVELS.index(level) + 1
        i = int(np.searchsorted(self.group_keys, g))
        if i >= len(self.group_keys) or self.group_keys[i] != g:
            return slice(0, 0)
        return slice(int(self.group_starts[i]), int(self.group_ends[i]))

    @property
    def nbytes(self) -> int:
        return int(self.pos.nbytes + self.served.nbytes + self.dist.nbytes + self.group_keys.nbytes
                   + self.group_starts.nbytes + self.group_ends.nbytes)


@per_atlas
def lookup(atlas: Atlas) -> MatchLookup:
    """The :class:`MatchLookup` of an atlas (built once, shared, dropped with the atlas)."""
    return MatchLookup(atlas)


def match_by_lookup(
    atlas: Atlas,
    area: Area,
    levels: Sequence[str],
    age_years: int | None,
    concerns: Sequence[str] = (),
    now: dt.datetime | None = None,
    limit: int | None = None,
    table: MatchLookup | None = None,
) -> list[Match]:
    """The same result as :func:`match`, from the lookup table when it is built (``table``, or the
    atlas's if it exists already); otherwise :func:`match` itself (a request never waits for the
    table to be built)."""
    table = table if table is not None else lookup.peek(atlas)
    levels = list(dict.fromkeys(levels))
    slices = [table.candidates(area.code, level) for level in levels] if table is not None and levels else None
    if slices is None or any(s is None for s in slices):
        return match(atlas, area, levels, age_years, concerns, now=now, limit=limit)
    ix = match_index(atlas)
    picked = [np.arange(s.start, s.stop) for s in slices if s.stop > s.start]
    if not picked:
        return []
    rows = picked[0] if len(picked) == 1 else np.concatenate(picked)
    rows = rows[_fits(ix, levels, age_years, concerns, table.pos[rows])]
    if len(picked) > 1 and len(rows):  # several levels: merge by the same ranking
        rows = rows[np.lexsort(_rank_keys(ix, table.pos[rows], table.served[rows], table.dist[rows]))]
    if limit is not None:
        rows = rows[: max(limit, 0)]
    return _matches(ix, table.pos[rows], table.served[rows], table.dist[rows], now)


def services_for_advice(
    atlas: Atlas,
    area: Area,
    level: str,
    also: Sequence[str],
    age_years: int | None,
    concerns: Sequence[str] = (),
    per_level: int | None = 10,
    now: dt.datetime | None = None,
) -> list[Match]:
    """Matches for an advice: the advised level first, then each level in ``also``."""
    out: list[Match] = []
    for lvl in (level, *[a for a in also if a != level]):
        out.extend(match_by_lookup(atlas, area, [lvl], age_years, concerns, now=now, limit=per_level))
    return out


__all__ = ["Match", "MatchIndex", "MatchLookup", "match", "match_by_lookup", "match_index", "lookup",
           "services_for_advice"]
