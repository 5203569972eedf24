"""UI strings in Dutch (default) and English.

Catalogues are YAML files ``socialmap/locales/<lang>/<namespace>.yaml``. A key ``ns.a.b`` is
found in ``<namespace>.yaml`` at path ``a`` → ``b``. ``t()`` never raises on a missing key in
production use: it returns the key itself so the page still renders; the test suite fails on
missing keys instead (tests/test_i18n.py).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES: tuple[str, ...] = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
LOCALE_DIR = Path(__file__).parent / "locales"


def _flatten(prefix: str, node: Any, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), value, out)
    else:
        out[prefix] = "" if node is None else str(node)


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """All keys of one language, flattened (``ns.a.b`` → text). Read-only."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    out: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / lang).glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        _flatten(path.stem, data, out)
    return out


def has(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    return key in catalogue(lang)


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **fmt: Any) -> str:
    """The text for ``key`` in ``lang``, formatted with ``fmt`` (``{name}`` placeholders)."""
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE).get(key, key)
    if fmt:
        try:
            return text.format(**fmt)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def label(kind: str, value: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Display label of a vocabulary id, e.g. ``label("level", "gp_practice")``."""
    key = f"common.{kind}.{value}"
    return t(key, lang) if has(key, lang) or has(key) else value
