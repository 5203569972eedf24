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
from . import common, state

ROOT = Path(__file__).resolve().parents[2]
VENDOR_DIR = ROOT / "static" / "vendor"

#: What the map page needs back from the browser: the clicked feature, and the view (bounds and
#: zoom) that decides what the map gets. A pan or zoom reruns only the map's fragment.
RETURNED_OBJECTS = ["last_active_drawing", "bounds", "zoom"]
MAP_KEY = "sociale_kaart_map"
_FOCUS_KEY = "sociale_kaart_map_focus"


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


def selection(atlas: Atlas, service_ids: list[str] | maps.Selection | None, lang: str) -> maps.Selection | None:
    """The services on the map as a compact :class:`maps.Selection` (None: all of them, the same
    cached layers as the warm-up)."""
    if service_ids is None or isinstance(service_ids, maps.Selection):
        return service_ids
    if len(service_ids) == len(atlas.services):  # ids from the atlas, each once: no filter
        return None
    return maps.view_index(atlas, lang, app_base()).selection(service_ids)


def map_component_args(region: str, atlas: Atlas, service_ids: list[str] | maps.Selection | None, lang: str,
                       focus: str | None, returned: dict[str, Any] | None) -> tuple[folium.Map, folium.FeatureGroup, maps.View]:
    """The base map (sent once per focus) and the data layer of the view the browser reported
    (or, before it reported one, the view the base map fits first)."""
    base = app_base()
    map_data(region, lang, base)  # warms the core cache once per process
    chosen = selection(atlas, service_ids, lang)
    fmap = maps.base_map(atlas, lang, asset_base=asset_base(), app_base=base, focus=focus)
    view = maps.View.from_returned(returned) or maps.fit_view(maps.first_bounds(atlas, lang, base, focus))
    group = maps.view_layer(atlas, view, chosen, lang, base, focus)
    return fmap, group, view


def _handle_click(atlas: Atlas, returned: dict[str, Any]) -> bool:
    """A click on a service or an area selects it (in the session); True when something changed."""
    clicked = returned.get("last_active_drawing")
    if not clicked or clicked == st.session_state.get(state.MAP_LAST_CLICK):
        return False
    st.session_state[state.MAP_LAST_CLICK] = clicked
    props = clicked.get("properties") or {}
    if props.get("kind") == "service" and props.get("id") in atlas.services.index:
        st.session_state[state.MAP_SELECTED_SERVICE] = props["id"]
        return True
    if props.get("kind") in ("buurt", "wijk") and props.get("code") in atlas.areas.index:
        st.session_state[state.MAP_SELECTED_AREA] = props["code"]
        return True
    return False


def map_panel(region: str, atlas: Atlas, service_ids: list[str] | maps.Selection | None, lang: str,
              focus: str | None = None, height: int = 560) -> None:
    """The Sociale kaart's map. Only what is in view is sent; panning and zooming rerun its
    fragment alone; a click on a service or an area reruns the page (its card or profile link).

    The fragment keeps its arguments for those reruns as long as the session lives, so it gets the
    services as a :class:`maps.Selection` (a few KB), never the list of ids.
    """
    _map_fragment(region, atlas, selection(atlas, service_ids, lang), lang, focus, height)


@st.fragment
def _map_fragment(region: str, atlas: Atlas, chosen: maps.Selection | None, lang: str, focus: str | None,
                  height: int) -> None:
    """``st_folium`` copies the browser's latest report into ``st.session_state[MAP_KEY]`` before the
    rerun, so the layer drawn is the one of the view the browser shows now. A new focus is a new
    base map: the report of the previous one no longer applies."""
    if st.session_state.get(_FOCUS_KEY, focus) != focus:
        st.session_state.pop(MAP_KEY, None)
    st.session_state[_FOCUS_KEY] = focus
    reported = st.session_state.get(MAP_KEY)
    fmap, group, _view = map_component_args(region, atlas, chosen, lang, focus, reported)
    st_folium(fmap, key=MAP_KEY, height=height, use_container_width=True,
              returned_objects=RETURNED_OBJECTS, feature_group_to_add=group)
    if reported and _handle_click(atlas, reported):
        st.rerun()


# ---- links --------------------------------------------------------------------------------------

_URL_ESCAPES = {"(": "%28", ")": "%29", "[": "%5B", "]": "%5D", " ": "%20"}


def md_link(label: str, url: str) -> str:
    """A markdown link ``[label](url)``: the label is escaped, ``()[] `` in the URL are percent-encoded
    (so a URL from data cannot end the link early or start another one)."""
    safe = "".join(_URL_ESCAPES.get(ch, ch) for ch in str(url).strip())
    return f"[{common.md_escape(label)}]({safe})"
