"""Opening hours: is a service open now, does it have a walk-in session today.

Schedules follow ``schedules.csv`` (HSDS Schedule, simplified): rows with ``kind`` (``open`` or
``walk_in``), ``weekday`` (``mo`` … ``su``), ``opens`` and ``closes`` (``HH:MM``, ``24:00`` allowed).
Times are local Dutch time: a naive ``now`` is taken as Europe/Amsterdam, an aware one is
converted to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo

from .vocab import WEEKDAYS

TZ = ZoneInfo("Europe/Amsterdam")


def local_now(now: dt.datetime | None = None) -> dt.datetime:
    """``now`` as a naive Europe/Amsterdam wall-clock time (current time when None)."""
    if now is None:
        return dt.datetime.now(TZ).replace(tzinfo=None)
    if now.tzinfo is not None:
        return now.astimezone(TZ).replace(tzinfo=None)
    return now


def minutes(value: Any) -> int | None:
    """``HH:MM`` (or a ``datetime.time``) as minutes after midnight; ``24:00`` → 1440."""
    if value is None:
        return None
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    text = str(value).strip()
    if len(text) != 5 or text[2] != ":":
        return None
    try:
        return int(text[:2]) * 60 + int(text[3:])
    except ValueError:
        return None


def compile_rows(rows: Iterable[Mapping[str, Any]]) -> tuple[tuple[str, int, int, int], ...]:
    """Schedule rows → (kind, weekday index 0=mo, opens minute, closes minute); bad rows skipped."""
    out = []
    for row in rows:
        weekday = row.get("weekday")
        if weekday not in WEEKDAYS:
            continue
        opens, closes = minutes(row.get("opens")), minutes(row.get("closes"))
        if opens is None or closes is None:
            continue
        out.append((str(row.get("kind") or "open"), WEEKDAYS.index(weekday), opens, closes))
    return tuple(out)


def _as_compiled(schedules: Any) -> tuple[tuple[str, int, int, int], ...]:
    if hasattr(schedules, "to_dict") and hasattr(schedules, "columns"):  # a DataFrame slice
        return compile_rows(schedules.to_dict("records"))
    schedules = tuple(schedules)
    if schedules and isinstance(schedules[0], tuple):
        return schedules  # already compiled
    return compile_rows(schedules)


def _open_at(sessions: tuple[tuple[str, int, int, int], ...], weekday: int, minute: int) -> bool:
    for _, day, opens, closes in sessions:
        if closes > opens:
            if day == weekday and opens <= minute < closes:
                return True
        else:  # runs past midnight (e.g. 17:00-08:00)
            if (day == weekday and minute >= opens) or ((day + 1) % 7 == weekday and minute < closes):
                return True
    return False


def is_open(schedules: Any, now: dt.datetime | None = None) -> bool | None:
    """Whether any session (opening or walk-in hours) is running at ``now``; None without schedule."""
    sessions = _as_compiled(schedules)
    if not sessions:
        return None
    local = local_now(now)
    return _open_at(sessions, local.weekday(), local.hour * 60 + local.minute)


def walk_in_today(schedules: Any, now: dt.datetime | None = None) -> bool:
    """Whether a walk-in session (inloopspreekuur) is still to come or running today."""
    local = local_now(now)
    minute = local.hour * 60 + local.minute
    for kind, day, opens, closes in _as_compiled(schedules):
        if kind == "walk_in" and day == local.weekday() and (closes <= opens or minute < closes):
            return True
    return False


__all__ = ["is_open", "walk_in_today", "local_now", "minutes", "compile_rows", "TZ"]
