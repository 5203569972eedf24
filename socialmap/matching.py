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
    wanted = [vocab.LEVELS.index(level) for level in levels if level in vocab.LEVELS]
    mask = np.isin(ix.level_code, wanted)
    if age_years is not None:
        months = int(age_years) * 12
        mask &= (ix.age_min <= months + 11) & (ix.age_max >= months)
    if concerns:
        bits = 0
        for concern in concerns:
            if concern in vocab.CONCERNS:
                bits |= 1 << vocab.CONCERNS.index(concern)
        mask &= (ix.concern_mask == 0) | ((ix.concern_mask & bits) != 0)
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
    order = np.lexsort((ix.name_rank[positions], ix.waiting_key[positions], dist[positions], ~served[positions],
                        ix.illustrative[positions]))
    positions = positions[order]
    if limit is not None:
        positions = positions[: max(limit, 0)]
    local = schedule.local_now(now)
    out: list[Match] = []
    for pos in positions.tolist():
        sessions = ix.schedules.get(pos, ())
        d = dist[pos]
        out.append(
            Match(
                service_id=ix.ids[pos],
                name=ix.names[pos],
                level=ix.levels[pos],
                serves_area=bool(served[pos]),
                distance_m=None if not np.isfinite(d) else float(d),
                waiting_weeks=ix.waiting[pos],
                open_now=schedule.is_open(sessions, local),
                walk_in_today=schedule.walk_in_today(sessions, local),
                status=ix.statuses[pos],
            )
        )
    return out


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
        out.extend(match(atlas, area, [lvl], age_years, concerns, now=now, limit=per_level))
    return out


__all__ = ["Match", "MatchIndex", "match", "match_index", "services_for_advice"]
