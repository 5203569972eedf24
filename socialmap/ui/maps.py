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

from .. import i18n, maps, profiles
from ..i18n import t
from ..model import Atlas
from . import common, state
from .curation import report_error_button

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
def comparison_table(region: str, max_distance_m: int) -> pd.DataFrame:
    return profiles.comparison_table(common.get_atlas(region), max_distance_m)


@st.cache_data(show_spinner=False, max_entries=64)
def coverage(region: str, max_distance_m: int) -> pd.DataFrame:
    return profiles.coverage(common.get_atlas(region), max_distance_m)


def _ids_key(service_ids: list[str] | None) -> int | None:
    return None if service_ids is None else hash(tuple(service_ids))


def map_component_args(region: str, atlas: Atlas, service_ids: list[str] | None, lang: str,
                       focus: str | None, returned: dict[str, Any] | None) -> tuple[folium.Map, folium.FeatureGroup, maps.View]:
    """The base map (sent once per focus) and the data layer of the view the browser reported
    (or, before it reported one, the view the base map fits first)."""
    base = app_base()
    map_data(region, lang, base)  # warms the core cache once per process
    if service_ids is not None and len(service_ids) == len(atlas.services):
        service_ids = None  # no filter: the same cached layers as the warm-up
    fmap = maps.base_map(atlas, lang, asset_base=asset_base(), app_base=base, focus=focus)
    view = maps.View.from_returned(returned) or maps.fit_view(maps.first_bounds(atlas, lang, base, focus))
    group = maps.view_layer(atlas, view, service_ids, lang, base, focus, ids_key=_ids_key(service_ids))
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


@st.fragment
def map_panel(region: str, atlas: Atlas, service_ids: list[str] | None, lang: str, focus: str | None = None,
              height: int = 560) -> None:
    """The Sociale kaart's map. Only what is in view is sent; panning and zooming rerun this
    fragment alone; a click on a service or an area reruns the page (its card or profile link).

    ``st_folium`` copies the browser's latest report into ``st.session_state[MAP_KEY]`` before the
    rerun, so the layer drawn is the one of the view the browser shows now. A new focus is a new
    base map: the report of the previous one no longer applies.
    """
    if st.session_state.get(_FOCUS_KEY, focus) != focus:
        st.session_state.pop(MAP_KEY, None)
    st.session_state[_FOCUS_KEY] = focus
    reported = st.session_state.get(MAP_KEY)
    fmap, group, _view = map_component_args(region, atlas, service_ids, lang, focus, reported)
    st_folium(fmap, key=MAP_KEY, height=height, use_container_width=True,
              returned_objects=RETURNED_OBJECTS, feature_group_to_add=group)
    if reported and _handle_click(atlas, reported):
        st.rerun()


# ---- cards --------------------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None or value is pd.NA:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


_URL_ESCAPES = {"(": "%28", ")": "%29", "[": "%5B", "]": "%5D", " ": "%20"}


def md_link(label: str, url: str) -> str:
    """A markdown link ``[label](url)``: the label is escaped, ``()[] `` in the URL are percent-encoded
    (so a URL from data cannot end the link early or start another one)."""
    safe = "".join(_URL_ESCAPES.get(ch, ch) for ch in str(url).strip())
    return f"[{common.md_escape(label)}]({safe})"


def _age_text(months: Any, lang: str) -> str:
    value = _text(months)
    if not value:
        return "?"
    n = int(float(value))
    if n < 12:
        return t("map.card.age_months", lang, n=n)
    return str(n // 12)


def service_card(atlas: Atlas, sid: str, lang: str) -> None:
    """The card of one service: what, for whom, how to get there, when, contact, status."""
    md = common.md_escape
    row = atlas.services.loc[sid]
    org = atlas.organizations["name"].get(row["organization_id"], "")
    with st.container(border=True):
        st.markdown(f"#### {md(row['name'])}")
        badge = common.status_badge(str(row["status"]), lang)
        st.markdown(f"{md(org)} · :blue-badge[{md(i18n.label('level', str(row['level']), lang))}] {badge}")
        if _text(row["description"]):
            st.write(md(row["description"]))
        lines = [
            f"**{t('map.card.access', lang)}:** {md(i18n.label('access', str(row['access_route']), lang))}",
            f"**{t('map.card.age', lang)}:** {_age_text(row['age_min_months'], lang)}–"
            f"{_age_text(row['age_max_months'], lang)} {t('map.card.years', lang)}",
        ]
        concerns = row["concerns"] or ()
        if concerns:
            lines.append(f"**{t('map.card.concerns', lang)}:** "
                         + ", ".join(md(i18n.label('concern', c, lang)) for c in concerns))
        if row["languages"]:
            names = [t(f"map.language.{v}", lang) if i18n.has(f"map.language.{v}", lang) else md(v)
                     for v in row["languages"]]
            lines.append(f"**{t('map.card.languages', lang)}:** " + ", ".join(names))
        if _text(row["cost"]):
            lines.append(f"**{t('map.card.cost', lang)}:** {md(i18n.label('cost', str(row['cost']), lang))}")
        waiting = _text(row["waiting_weeks"])
        if waiting:
            as_of = _text(row["waiting_as_of"])
            lines.append(f"**{t('map.card.waiting', lang)}:** "
                         + t("map.card.waiting_weeks", lang, n=waiting, as_of=md(as_of or "?")))
        contact = []
        if _text(row["phone"]):
            digits = "".join(ch for ch in str(row["phone"]) if ch.isdigit())
            contact.append(f"[{md(row['phone'])}](tel:{digits})")
        if _text(row["email"]):
            contact.append(md(row["email"]))
        if _text(row["url"]):
            contact.append(md_link(t("map.card.website", lang), _text(row["url"])))
        if contact:
            lines.append(f"**{t('map.card.contact', lang)}:** " + " · ".join(contact))
        sal = atlas.service_at_location
        lids = list(sal.loc[sal["service_id"] == sid, "location_id"])
        if lids:
            locs = atlas.locations
            where = [f"{md(locs.at[l, 'name'])}, {md(locs.at[l, 'address'])} {md(_text(locs.at[l, 'city']))}"
                     for l in lids if l in locs.index]
            lines.append(f"**{t('map.card.where', lang)}:** " + "; ".join(where))
        else:
            lines.append(f"**{t('map.card.where', lang)}:** {t('map.card.no_location', lang)}")
        sched = atlas.schedules[atlas.schedules["service_id"] == sid]
        if len(sched):
            hours = []
            for _, s in sched.iterrows():
                item = f"{i18n.label('weekday', str(s['weekday']), lang)} {md(s['opens'])}–{md(s['closes'])}"
                if s["kind"] == "walk_in":
                    item += f" ({t('map.card.walk_in', lang)})"
                hours.append(item)
            lines.append(f"**{t('map.card.hours', lang)}:** " + "; ".join(hours))
        st.markdown("  \n".join(lines))
        report_error_button(sid, lang)
