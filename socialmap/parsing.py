"""Strict parsing of numbers and text from outside (query parameters, CSV cells, form fields).

Python's ``int()``, ``float()`` and ``str.isdigit()`` accept far more than a person types:
``'²'.isdigit()`` is true (and ``int('²')`` then fails), ``int('١٢٣')`` is 123, ``float('nan')``
is a number. Everything that enters from outside goes through these helpers instead: ASCII digits
only, finite numbers only, no control or invisible characters.
"""

from __future__ import annotations

import math
import re

_INT = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)
_FLOAT = re.compile(r"[+-]?([0-9]{1,18}(\.[0-9]{0,18})?|\.[0-9]{1,18})([eE][+-]?[0-9]{1,3})?", re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

#: C0 control characters except tab, line feed and carriage return; DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Characters that change how text looks without being visible: bidi overrides and isolates,
#: zero-width characters, the word joiner family and the byte order mark.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def ascii_int(text: object) -> int | None:
    """``'12'`` → 12; None for anything else (Unicode digits, spaces inside, over 18 digits)."""
    if not isinstance(text, str):
        return None
    value = text.strip()
    return int(value) if _INT.fullmatch(value) else None


def ascii_float(text: object) -> float | None:
    """``'0.25'`` → 0.25; None for ``nan``, ``inf``, Unicode digits, commas and other text."""
    if not isinstance(text, str):
        return None
    value = text.strip()
    if not _FLOAT.fullmatch(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def is_iso_date(text: str) -> bool:
    """True for the written form ``YYYY-MM-DD`` only (not ``20240101`` or ``2024-W01``)."""
    return bool(_DATE.fullmatch(text))


def has_control(text: str) -> bool:
    """True when ``text`` holds a control character other than tab and line breaks."""
    return bool(CONTROL.search(text))


def strip_invisible(text: str) -> str:
    """``text`` without control characters (except tab/line breaks) and invisible formatting characters."""
    return INVISIBLE.sub("", CONTROL.sub("", text))


__all__ = ["ascii_int", "ascii_float", "is_iso_date", "has_control", "strip_invisible", "CONTROL", "INVISIBLE"]
