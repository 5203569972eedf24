"""Streamlit pieces for the map pages: cached display data, local assets, rendering the map.

Heavy derived data is cached per process keyed by the region id string (never by the atlas
object): display GeoJSON (``map_data``), the comparison table and the coverage frame.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from .. import maps, profiles
from ..model import Atlas
from . import common

ROOT = Path(__file__).resolve().parents[2]
VENDOR_DIR = ROOT / "static" / "vendor"

#: What the map page needs back from the browser: the clicked GeoJSON feature only. Panning and
#: zooming do not rerun the app.
RETURNED_OBJECTS = ["last_active_drawing"]


def _base_path() -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def asset_base() -> str:
    """URL of ``static/vendor`` as served by Streamlit (``/app/static/vendor``)."""
    return f"{_base_path()}/app/static/vendor"


def app_base() -> str:
    """URL prefix of the app's pages (empty unless ``server.baseUrlPath`` is set)."""
    return _base_path()


def vendored_leaflet_present() -> bool:
    folder = VENDOR_DIR / f"leaflet-{maps.LEAFLET_VERSION}"
    return (folder / "leaflet.js").is_file() and (folder / "leaflet.css").is_file()


@st.cache_resource(show_spinner=False)
def map_data(region: str, lang: str, base: str) -> maps.MapData:
    """Display GeoJSON of a region (simplified in RD, reprojected once). Read-only."""
    return maps.map_data(common.get_atlas(region), lang, base)


@st.cache_data(show_spinner=False, max_entries=64)
def comparison_table(region: str, max_distance_m: int, include_examples: bool = True) -> pd.DataFrame:
    return profiles.comparison_table(common.get_atlas(region), max_distance_m, include_examples)


@st.cache_data(show_spinner=False, max_entries=64)
def coverage(region: str, max_distance_m: int, include_examples: bool = True) -> pd.DataFrame:
    return profiles.coverage(common.get_atlas(region), max_distance_m, include_examples)


def service_map(region: str, atlas: Atlas, service_ids: list[str] | None, lang: str,
                focus: str | None = None) -> folium.Map:
    """The folium map of the Sociale kaart with local assets and the configured tiles."""
    map_data(region, lang, app_base())  # warms the core cache once per process
    return maps.service_map(atlas, service_ids, lang=lang, asset_base=asset_base(), app_base=app_base(),
                            focus=focus)


def render_map(m: folium.Map, key: str, height: int = 560) -> dict[str, Any]:
    """Show a folium map; returns only the clicked feature (``last_active_drawing``)."""
    return st_folium(m, key=key, height=height, use_container_width=True,
                     returned_objects=RETURNED_OBJECTS) or {}


# ---- links --------------------------------------------------------------------------------------

_URL_ESCAPES = {"(": "%28", ")": "%29", "[": "%5B", "]": "%5D", " ": "%20"}


def md_link(label: str, url: str) -> str:
    """A markdown link ``[label](url)``: the label is escaped, ``()[] `` in the URL are percent-encoded
    (so a URL from data cannot end the link early or start another one)."""
    safe = "".join(_URL_ESCAPES.get(ch, ch) for ch in str(url).strip())
    return f"[{common.md_escape(label)}]({safe})"
