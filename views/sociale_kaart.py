"""Sociale kaart: the region's services on a map and in a list, with filters and search.

The view is a shareable URL: filters, ``q`` (keyword), ``pc`` (postcode), ``selected`` (service)
and ``area`` (clicked wijk/buurt) live in ``st.query_params``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from socialmap import figures, i18n, search, vocab
from socialmap.errors import InputError
from socialmap.i18n import t
from socialmap.model import Atlas
from socialmap.ui import common, state
from socialmap.ui import maps as ui_maps
from socialmap.ui.curation import report_error_button

# ---- the list beside the map: compact cards, closest to home, with why each result matched ------
# A postcode orders the list by distance (``search.nearby``), a keyword by relevance
# (``search.keyword_hits``). One page of cards at a time, so a national list never renders whole.

RADIUS_KEY = "map_radius_km"  # widget: radius around the postcode in km (0: no limit)
LIST_PAGE_KEY = "map_list_page"
RADII_KM = (1, 2, 3, 5, 10, 25, 0)
DEFAULT_RADIUS_KM = 5
PER_PAGE = 20
md = common.md_escape


def radius_from_url(raw: str) -> int:
    """The radius (km) from the URL; the default 5 km when missing or not one of the choices."""
    return int(raw) if raw.isdigit() and int(raw) in RADII_KM else DEFAULT_RADIUS_KM


def radius_label(km: int, lang: str) -> str:
    return t("map.near.radius_any", lang) if km == 0 else t("map.near.radius_km", lang, km=km)


def _select(sid: str) -> None:
    st.session_state[state.MAP_SELECTED_SERVICE] = sid


def _turn_page(delta: int) -> None:
    st.session_state[LIST_PAGE_KEY] = max(1, int(st.session_state.get(LIST_PAGE_KEY, 1)) + delta)


def _status_line(atlas: Atlas, lang: str, sid: str, near: search.Nearby | None) -> str:
    """Level, status badge, waiting time, distance and whether it serves the area, in one line."""
    _name, level, status, wait = search.card_rows(atlas)[sid]
    parts = [f":blue-badge[{md(i18n.label('level', level, lang))}] {common.status_badge(status, lang)}"]
    parts.append(t("map.cards.waiting_unknown", lang) if wait is None else t("map.cards.waiting", lang, n=wait))
    if near is not None:
        parts.append(f"**{figures.km(near.distance_m, lang)}**" if near.distance_m is not None
                     else t("map.near.remote", lang))
        parts.append(f":green-badge[✓ {t('map.near.serves', lang)}]" if near.serves
                     else f":gray-badge[{t('map.near.not_serves', lang)}]")
    return " · ".join(parts)


def service_list(atlas: Atlas, lang: str, ids: list[str], near: dict[str, search.Nearby],
                 hits: dict[str, search.Hit]) -> None:
    """The list beside the map: compact cards (name, level, status, wait, distance, why it matched),
    one page at a time, each with a button that opens the service card."""
    located = search.search_index(atlas).located
    on_map = sum(1 for sid in ids if sid in located)
    st.markdown(t("map.list.count", lang, n=len(ids), on_map=on_map, off_map=len(ids) - on_map))
    rows = search.card_rows(atlas)
    waiting = search.list_waiting(atlas, ids)
    st.caption(t("map.honest.list_waiting", lang,
                 figure=figures.figure_text(waiting, lambda v: figures.waiting_text(v, lang), lang)))
    if not ids:
        st.info(t("map.list.empty", lang))
        return
    pages = max(1, -(-len(ids) // PER_PAGE))
    page = min(max(int(st.session_state.get(LIST_PAGE_KEY, 1)), 1), pages)
    st.session_state[LIST_PAGE_KEY] = page
    first = (page - 1) * PER_PAGE
    for sid in ids[first:first + PER_PAGE]:
        name = rows[sid][0]
        with st.container(border=True):
            text, button = st.columns([5, 1], vertical_alignment="center")
            text.markdown(f"**{md(name)}**  \n{_status_line(atlas, lang, sid, near.get(sid))}")
            hit = hits.get(sid)
            if hit is not None and hit.reasons:
                text.markdown(f":small[{t('map.why.label', lang)} {md(search.reason_text(hit, lang))}]")
            button.button(t("map.cards.details", lang), key=f"map_pick_{sid}", on_click=_select, args=(sid,),
                          help=t("map.cards.details_of", lang, name=name), type="tertiary")
    if pages > 1:
        b1, b2, b3 = st.columns([1, 2, 1], vertical_alignment="center")
        b1.button(t("map.cards.previous", lang), key="map_list_prev", on_click=_turn_page, args=(-1,),
                  disabled=page <= 1)
        b2.caption(t("map.cards.page", lang, first=first + 1, last=min(first + PER_PAGE, len(ids)), n=len(ids)))
        b3.button(t("map.cards.next", lang), key="map_list_next", on_click=_turn_page, args=(1,),
                  disabled=page >= pages)


# ---- the card of one service ------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None or value is pd.NA:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _age_text(months: Any, lang: str) -> str:
    value = _text(months)
    if not value:
        return "?"
    n = int(float(value))
    if n < 12:
        return t("map.card.age_months", lang, n=n)
    return str(n // 12)


def _first_point(atlas: Atlas, sid: str) -> tuple[float, float] | None:
    """(latitude, longitude) of the service's first location, if any."""
    sal = atlas.service_at_location
    for lid in sal.loc[sal["service_id"] == sid, "location_id"]:
        if lid in atlas.locations.index:
            lat, lon = atlas.locations.at[lid, "latitude"], atlas.locations.at[lid, "longitude"]
            if _text(lat) and _text(lon):
                return float(lat), float(lon)
    return None


def fiche_html(atlas: Atlas, sid: str, lang: str) -> str:
    """A printable one-page fiche of a service (every data string escaped)."""
    import html as _html

    row = atlas.services.loc[sid]
    e = _html.escape
    org = atlas.organizations["name"].get(row["organization_id"], "")
    items = [(t("map.card.access", lang), i18n.label("access", str(row["access_route"]), lang))]
    access = str(row["access_route"])
    if i18n.has(f"map.howto.{access}", lang):
        items.append((t("map.howto.title", lang), t(f"map.howto.{access}", lang)))
    for key, col in (("map.card.contact", "phone"), ("map.card.website", "url"), ("map.card.contact", "email")):
        if _text(row[col]):
            items.append((t(key, lang), _text(row[col])))
    sal = atlas.service_at_location
    for lid in sal.loc[sal["service_id"] == sid, "location_id"]:
        if lid in atlas.locations.index:
            loc = atlas.locations.loc[lid]
            items.append((t("map.card.where", lang), f"{_text(loc['name'])}, {_text(loc['address'])} {_text(loc['city'])}"))
    body = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in items)
    status = "" if row["status"] == "verified" else f"<p><b>{e(i18n.label('status', str(row['status']), lang))}</b></p>"
    return (f"<!doctype html><html lang='{e(lang)}'><meta charset='utf-8'><title>{e(str(row['name']))}</title>"
            "<style>body{font-family:Helvetica,Arial,sans-serif;max-width:40rem;margin:2rem auto}"
            "dt{font-weight:bold;margin-top:.6rem}dd{margin:0}</style>"
            f"<h1>{e(str(row['name']))}</h1><p>{e(str(org))}</p>{status}"
            f"<p>{e(_text(row['description']))}</p><dl>{body}</dl></html>")


def _card_actions(atlas: Atlas, sid: str, lang: str) -> None:
    """Call / Website / Route / Print: one tap each (links open only when the user taps them)."""
    row = atlas.services.loc[sid]
    cols = st.columns(4)
    phone = _text(row["phone"])
    if phone:
        digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
        cols[0].link_button(t("map.actions.call", lang, phone=phone), f"tel:{digits}", icon="📞", width="stretch")
    url = _text(row["url"])
    if url.startswith(("https://", "http://")):
        cols[1].link_button(t("map.actions.website", lang), url, icon="🌐", width="stretch")
    point = _first_point(atlas, sid)
    if point is not None:
        cols[2].link_button(t("map.actions.route", lang),
                            f"https://www.openstreetmap.org/directions?route=%3B{point[0]:.5f}%2C{point[1]:.5f}",
                            icon="🧭", width="stretch")
    cols[3].download_button(t("map.actions.print", lang), data=fiche_html(atlas, sid, lang).encode("utf-8"),
                            file_name=f"{sid}.html", mime="text/html", icon="🖨️", key=f"map_print_{sid}",
                            on_click="ignore", width="stretch")


def service_card(atlas: Atlas, sid: str, lang: str) -> None:
    """The card of one service: what, for whom, how to get there, when, contact, status."""
    row = atlas.services.loc[sid]
    org = atlas.organizations["name"].get(row["organization_id"], "")
    with st.container(border=True):
        st.markdown(f"#### {md(row['name'])}")
        badge = common.status_badge(str(row["status"]), lang)
        st.markdown(f"{md(org)} · :blue-badge[{md(i18n.label('level', str(row['level']), lang))}] {badge}")
        if _text(row["description"]):
            st.write(md(row["description"]))
        access = str(row["access_route"])
        if i18n.has(f"map.howto.{access}", lang):
            st.markdown(f"**{t('map.howto.title', lang)}** {t(f'map.howto.{access}', lang)}")
        _card_actions(atlas, sid, lang)
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
            contact.append(ui_maps.md_link(t("map.card.website", lang), _text(row["url"])))
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


# ---- the page ---------------------------------------------------------------------------------
# Everything a run computes (the ids of tens of thousands of services, their hits and distances)
# lives in the function's frame and goes when the run ends. Names at module level stay alive with
# the session: its widget callbacks and the map's fragment keep this module's globals.

_FILTER_KEYS = ("level", "concern", "age", "access", "open", "walkin", "lang_spoken", "real")
_VIEW_KEYS = (*_FILTER_KEYS, "q", "pc", "r", "selected", "area")


def _url_view() -> dict[str, str]:
    return {k: str(st.query_params.get(k)) for k in _VIEW_KEYS if st.query_params.get(k)}


def page() -> None:
    """The Sociale kaart: search and filters, the map beside the list, the URL of the view."""
    lang = common.current_lang()
    region, atlas = common.region_switch(lang)  # several regions: the user picks one

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
        st.session_state[RADIUS_KEY] = radius_from_url(url_view.get("r", ""))
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
            st.session_state[RADIUS_KEY] = DEFAULT_RADIUS_KM
        st.select_slider(t("map.near.radius", lang), options=list(RADII_KM), key=RADIUS_KEY,
                         format_func=lambda km: radius_label(km, lang), help=t("map.near.radius_help", lang))

    active = any(st.session_state.get(k) for k in (state.MAP_LEVELS, state.MAP_CONCERNS, state.MAP_AGE, state.MAP_ACCESS,
                                                   state.MAP_LANGUAGES, state.MAP_OPEN_NOW, state.MAP_WALK_IN,
                                                   state.MAP_HIDE_ILLUSTRATIVE))
    with st.expander(t("map.filters.title", lang), expanded=active, icon="🔎"):
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
            service_card(atlas, selected, lang)
            if st.button(t("map.card.close", lang), key="map_close_card"):
                st.session_state[state.MAP_SELECTED_SERVICE] = None
                st.rerun()
        if focus_area is not None:
            st.success(t("map.near.postcode_found", lang, postcode=md(postcode.upper()), name=md(focus_area.name),
                         kind=t(f"map.kind.{focus_area.kind}", lang)) + " " +
                       (t("map.near.sorted", lang, name=md(focus_area.name), radius=radius_label(radius_km, lang)) if radius_km
                        else t("map.near.sorted_any", lang, name=md(focus_area.name))))
            st.page_link("views/wijkprofiel.py", label=t("map.open_profile_of", lang, name=md(focus_area.name)),
                         icon="🏘️", query_params={"code": focus_area.code})
        elif area_code and area_code in atlas.areas.index:
            area = atlas.area(area_code)
            with st.container(border=True):
                st.markdown(f"**{md(area.name)}** ({t(f'map.kind.{area.kind}', lang)} {md(area.code)})")
                st.page_link("views/wijkprofiel.py", label=t("map.open_profile", lang), icon="🏘️",
                             query_params={"code": area.code})

        service_list(atlas, lang, ids, near, hits)
        common.illustrative_notice(atlas, lang, ids)

    # ---- widgets → URL (shareable view) ----------------------------------------------------------
    view = filters.to_params()
    if query:
        view["q"] = query
    if postcode:
        view["pc"] = postcode
        if radius_km != DEFAULT_RADIUS_KM:
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


page()
