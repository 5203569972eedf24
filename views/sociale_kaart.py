"""Sociale kaart: the region's services on a map and in a list, with filters and search.

The view is a shareable URL: filters, ``q`` (keyword), ``pc`` (postcode), ``selected`` (service)
and ``area`` (clicked wijk/buurt) live in ``st.query_params``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from socialmap import i18n, search, vocab
from socialmap.errors import InputError
from socialmap.i18n import t
from socialmap.ui import common, state
from socialmap.ui import maps as ui_maps

lang = common.current_lang()
region = common.region_id()
atlas = common.get_atlas(region)
md = common.md_escape

_FILTER_KEYS = ("level", "concern", "age", "access", "open", "walkin", "lang_spoken", "real")
_VIEW_KEYS = (*_FILTER_KEYS, "q", "pc", "selected", "area")


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
col_q, col_pc = st.columns([3, 2])
with col_q:
    st.text_input(t("map.search.keyword", lang), key=state.MAP_QUERY, max_chars=100,
                  placeholder=t("map.search.keyword_placeholder", lang))
with col_pc:
    st.text_input(t("map.search.postcode", lang), key=state.MAP_POSTCODE, max_chars=10,
                  placeholder=t("map.search.postcode_placeholder", lang))

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
ids = search.filter_services(atlas, filters)
if query:
    ids = [sid for sid, _ in search.keyword_search(atlas, query, ids)]

focus_area = None
if postcode:
    try:
        focus_area, ids = search.services_for_postcode(atlas, postcode, ids)
        st.session_state[state.MAP_SELECTED_AREA] = None
    except InputError as exc:
        st.error(t("map.search.postcode_error", lang, message=md(exc)), icon="⚠️")

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
        st.success(t("map.search.postcode_found", lang, postcode=md(postcode.upper()), name=md(focus_area.name),
                     kind=t(f"map.kind.{focus_area.kind}", lang), n=len(ids)))
        st.page_link("views/wijkprofiel.py", label=t("map.open_profile_of", lang, name=md(focus_area.name)),
                     icon="🏘️", query_params={"code": focus_area.code})
    elif area_code and area_code in atlas.areas.index:
        area = atlas.area(area_code)
        with st.container(border=True):
            st.markdown(f"**{md(area.name)}** ({t(f'map.kind.{area.kind}', lang)} {md(area.code)})")
            st.page_link("views/wijkprofiel.py", label=t("map.open_profile", lang), icon="🏘️",
                         query_params={"code": area.code})

    located = search.search_index(atlas).located
    on_map = sum(1 for sid in ids if sid in located)
    st.markdown(t("map.list.count", lang, n=len(ids), on_map=on_map, off_map=len(ids) - on_map))
    if ids:
        svc = atlas.services.loc[ids]
        table = pd.DataFrame({
            t("map.list.name", lang): svc["name"].astype(str).to_numpy(),
            t("map.list.level", lang): [i18n.label("level", v, lang) for v in svc["level"]],
            t("map.list.where", lang): [t("map.list.on_map", lang) if sid in located else t("map.list.phone_online", lang)
                                       for sid in ids],
            t("map.list.waiting", lang): ["–" if pd.isna(w) else str(int(w)) for w in svc["waiting_weeks"]],
            t("map.list.status", lang): [i18n.label("status", v, lang) for v in svc["status"]],
        })
        event = st.dataframe(table, hide_index=True, width="stretch", height=380, on_select="rerun",
                             selection_mode="single-row", key="map_list")
        rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
        picked = ids[rows[0]] if rows and 0 <= rows[0] < len(ids) else None
        if picked and picked != st.session_state.get(state.MAP_LIST_SEEN) and picked != selected:
            st.session_state[state.MAP_LIST_SEEN] = picked
            st.session_state[state.MAP_SELECTED_SERVICE] = picked
            st.rerun()
        st.session_state[state.MAP_LIST_SEEN] = picked
        st.caption(t("map.list.select_help", lang))
    else:
        st.info(t("map.list.empty", lang))
    common.illustrative_notice(atlas, lang, ids)

# ---- widgets → URL (shareable view) ----------------------------------------------------------
view = filters.to_params()
if query:
    view["q"] = query
if postcode:
    view["pc"] = postcode
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
