"""Sociale kaart: the region's services on a map and in a list, with filters and search.

The view is a shareable URL: filters, ``q`` (keyword), ``pc`` (postcode), ``selected`` (service)
and ``area`` (clicked wijk/buurt) live in ``st.query_params``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from socialmap import figures, i18n, search, vocab
from socialmap.errors import InputError
from socialmap.i18n import t
from socialmap.ui import common, maplist, state
from socialmap.ui import maps as ui_maps

lang = common.current_lang()
region, atlas = common.region_switch(lang)  # several regions: the user picks one
md = common.md_escape

_FILTER_KEYS = ("level", "concern", "age", "access", "open", "walkin", "lang_spoken", "real")
_VIEW_KEYS = (*_FILTER_KEYS, "q", "pc", "r", "selected", "area")
RADIUS_KEY, LIST_PAGE_KEY, RADII_KM = maplist.RADIUS_KEY, maplist.LIST_PAGE_KEY, maplist.RADII_KM


def _url_view() -> dict[str, str]:
    return {k: str(st.query_params.get(k)) for k in _VIEW_KEYS if st.query_params.get(k)}


# ---- URL → widgets (on first load, or when the URL was changed from outside) -----------------
url_view = _url_view()
if st.session_state.get(state.MAP_URL_SEEN) != url_view:
    f = search.ServiceFilters.from_params(url_view)
    st.session_state[state.MAP_LEVELS] = list(f.levels)
    st.session_state[state.MAP_CONCERNS] = list(f.concerns)
    st.session_state[state.MAP_AGE] = "" if f.age is None else str(f.age)
    st.session_state[state.MAP_ACCESS] = list(f.access_routes)
    st.session_state[state.MAP_OPEN_NOW] = f.open_now
    st.session_state[state.MAP_WALK_IN] = f.walk_in
    st.session_state[state.MAP_LANGUAGES] = [v for v in f.languages if v in search.search_index(atlas).languages]
    st.session_state[state.MAP_HIDE_ILLUSTRATIVE] = f.hide_illustrative
    st.session_state[state.MAP_QUERY] = url_view.get("q", "")[:100]
    st.session_state[state.MAP_POSTCODE] = url_view.get("pc", "")[:10]
    st.session_state[RADIUS_KEY] = maplist.radius_from_url(url_view.get("r", ""))
    selected = url_view.get("selected")
    st.session_state[state.MAP_SELECTED_SERVICE] = selected if selected in atlas.services.index else None
    area_code = url_view.get("area", "").upper()
    st.session_state[state.MAP_SELECTED_AREA] = area_code if area_code in atlas.areas.index else None
    # the map zooms to an area from the URL; a click on the map selects an area without re-zooming
    # (the map is not re-rendered, so its popup with the profile links stays open)
    st.session_state[state.MAP_FOCUS] = st.session_state[state.MAP_SELECTED_AREA]
    st.session_state[state.MAP_URL_SEEN] = url_view

st.title(t("map.title", lang))
st.caption(t("map.intro", lang))

# ---- search and filters ---------------------------------------------------------------------
col_q, col_pc, col_r = st.columns([3, 2, 2])
with col_q:
    st.text_input(t("map.search.keyword", lang), key=state.MAP_QUERY, max_chars=100,
                  placeholder=t("map.search.keyword_placeholder", lang))
with col_pc:
    st.text_input(t("map.search.postcode", lang), key=state.MAP_POSTCODE, max_chars=10,
                  placeholder=t("map.search.postcode_placeholder", lang))
with col_r:
    if RADIUS_KEY not in st.session_state:
        st.session_state[RADIUS_KEY] = maplist.DEFAULT_RADIUS_KM
    st.select_slider(t("map.near.radius", lang), options=list(RADII_KM), key=RADIUS_KEY, format_func=lambda km: maplist.radius_label(km, lang),
                     help=t("map.near.radius_help", lang))

_active = any(st.session_state.get(k) for k in (state.MAP_LEVELS, state.MAP_CONCERNS, state.MAP_AGE, state.MAP_ACCESS,
                                                state.MAP_LANGUAGES, state.MAP_OPEN_NOW, state.MAP_WALK_IN,
                                                state.MAP_HIDE_ILLUSTRATIVE))
with st.expander(t("map.filters.title", lang), expanded=_active, icon="🔎"):
    f1, f2, f3, f4 = st.columns(4)
    f1.multiselect(t("map.filters.level", lang), vocab.LEVELS, key=state.MAP_LEVELS,
                   format_func=lambda v: i18n.label("level", v, lang), placeholder=t("map.filters.all", lang))
    f2.multiselect(t("map.filters.concern", lang), vocab.CONCERNS, key=state.MAP_CONCERNS,
                   format_func=lambda v: i18n.label("concern", v, lang), placeholder=t("map.filters.all", lang))
    f3.selectbox(t("map.filters.age", lang), ["", *[str(a) for a in range(vocab.AGE_MAX_YEARS + 1)]],
                 key=state.MAP_AGE, format_func=lambda v: t("map.filters.any_age", lang) if v == "" else
                 t("map.filters.age_years", lang, n=v))
    f4.multiselect(t("map.filters.access", lang), vocab.ACCESS_ROUTES, key=state.MAP_ACCESS,
                   format_func=lambda v: i18n.label("access", v, lang), placeholder=t("map.filters.all", lang))
    g1, g2, g3, g4 = st.columns(4)
    g1.multiselect(t("map.filters.language", lang), list(search.search_index(atlas).languages),
                   key=state.MAP_LANGUAGES, format_func=lambda v: t(f"map.language.{v}", lang)
                   if i18n.has(f"map.language.{v}", lang) else v, placeholder=t("map.filters.all", lang))
    g2.toggle(t("map.filters.open_now", lang), key=state.MAP_OPEN_NOW)
    g3.toggle(t("map.filters.walk_in", lang), key=state.MAP_WALK_IN)
    g4.toggle(t("map.filters.hide_illustrative", lang), key=state.MAP_HIDE_ILLUSTRATIVE)

age_value = st.session_state[state.MAP_AGE]
filters = search.ServiceFilters(
    levels=tuple(st.session_state[state.MAP_LEVELS]),
    concerns=tuple(st.session_state[state.MAP_CONCERNS]),
    age=int(age_value) if age_value else None,
    access_routes=tuple(st.session_state[state.MAP_ACCESS]),
    open_now=bool(st.session_state[state.MAP_OPEN_NOW]),
    walk_in=bool(st.session_state[state.MAP_WALK_IN]),
    languages=tuple(st.session_state[state.MAP_LANGUAGES]),
    hide_illustrative=bool(st.session_state[state.MAP_HIDE_ILLUSTRATIVE]),
)

query = st.session_state[state.MAP_QUERY].strip()
postcode = st.session_state[state.MAP_POSTCODE].strip()
radius_km = int(st.session_state[RADIUS_KEY])
ids = search.filter_services(atlas, filters)
hits: dict[str, search.Hit] = {}
if query:
    hits = {h.service_id: h for h in search.keyword_hits(atlas, query, ids)}
    ids = list(hits)

focus_area = None
near: dict[str, search.Nearby] = {}
if postcode:
    try:
        focus_area = atlas.resolve_postcode(postcode)
        found = search.nearby(atlas, focus_area, ids, radius_m=radius_km * 1000 if radius_km else None)
        if hits:  # exact keyword hits first, each group by distance
            found.sort(key=lambda n: not all(r.exact for r in hits[n.service_id].reasons))
        near = {n.service_id: n for n in found}
        ids = list(near)
        st.session_state[state.MAP_SELECTED_AREA] = None
    except InputError as exc:
        st.error(t("map.search.postcode_error", lang, message=md(exc)), icon="⚠️")
list_key = (query, postcode, radius_km, tuple(sorted(filters.to_params().items())))
if st.session_state.get("_map_list_key") != list_key:  # a new list starts at its first page
    st.session_state["_map_list_key"] = list_key
    st.session_state[LIST_PAGE_KEY] = 1

# ---- map + list ------------------------------------------------------------------------------
col_map, col_list = st.columns([3, 2], gap="medium")
with col_map:
    focus_code = focus_area.code if focus_area else st.session_state.get(state.MAP_FOCUS)
    ui_maps.map_panel(region, atlas, ids, lang, focus=focus_code)
    if not ui_maps.vendored_leaflet_present():
        st.warning(t("map.assets_missing", lang))
    st.caption(t("map.map_help", lang) + " " + t("map.cluster.help", lang))

with col_list:
    selected = st.session_state.get(state.MAP_SELECTED_SERVICE)
    area_code = None if focus_area else st.session_state.get(state.MAP_SELECTED_AREA)
    if selected and selected in atlas.services.index:
        ui_maps.service_card(atlas, selected, lang)
        if st.button(t("map.card.close", lang), key="map_close_card"):
            st.session_state[state.MAP_SELECTED_SERVICE] = None
            st.rerun()
    if focus_area is not None:
        st.success(t("map.near.postcode_found", lang, postcode=md(postcode.upper()), name=md(focus_area.name),
                     kind=t(f"map.kind.{focus_area.kind}", lang)) + " " +
                   (t("map.near.sorted", lang, name=md(focus_area.name), radius=maplist.radius_label(radius_km, lang)) if radius_km
                    else t("map.near.sorted_any", lang, name=md(focus_area.name))))
        st.page_link("views/wijkprofiel.py", label=t("map.open_profile_of", lang, name=md(focus_area.name)),
                     icon="🏘️", query_params={"code": focus_area.code})
    elif area_code and area_code in atlas.areas.index:
        area = atlas.area(area_code)
        with st.container(border=True):
            st.markdown(f"**{md(area.name)}** ({t(f'map.kind.{area.kind}', lang)} {md(area.code)})")
            st.page_link("views/wijkprofiel.py", label=t("map.open_profile", lang), icon="🏘️",
                         query_params={"code": area.code})

    maplist.service_list(atlas, lang, ids, near, hits)
    common.illustrative_notice(atlas, lang, ids)

# ---- widgets → URL (shareable view) ----------------------------------------------------------
view = filters.to_params()
if query:
    view["q"] = query
if postcode:
    view["pc"] = postcode
    if radius_km != maplist.DEFAULT_RADIUS_KM:
        view["r"] = str(radius_km)
if st.session_state.get(state.MAP_SELECTED_SERVICE):
    view["selected"] = st.session_state[state.MAP_SELECTED_SERVICE]
if st.session_state.get(state.MAP_SELECTED_AREA) and not postcode:
    view["area"] = st.session_state[state.MAP_SELECTED_AREA]
if view != url_view:
    for key in _VIEW_KEYS:
        if key in st.query_params and key not in view:
            del st.query_params[key]
    for key, value in view.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value
st.session_state[state.MAP_URL_SEEN] = view
