"""The list beside the Sociale kaart: compact cards, closest to home, with why each result matched.

A postcode orders the list by distance (``search.nearby``), a keyword by relevance
(``search.keyword_hits``). One page of cards at a time, so a national list never renders whole.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import figures, i18n, search
from ..i18n import t
from ..derived import per_atlas
from ..model import Atlas
from . import common, state

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


@per_atlas
def _rows(atlas: Atlas) -> dict[str, tuple[str, str, str, int | None]]:
    """Service id -> (name, level, status, waiting weeks): what a card shows, looked up once per atlas."""
    svc = atlas.services
    return {str(sid): (str(name), str(level), str(status), None if pd.isna(wait) else int(wait))
            for sid, name, level, status, wait in zip(svc.index, svc["name"], svc["level"], svc["status"],
                                                      svc["waiting_weeks"])}


def _status_line(atlas: Atlas, lang: str, sid: str, near: search.Nearby | None) -> str:
    """Level, status badge, waiting time, distance and whether it serves the area, in one line."""
    _name, level, status, wait = _rows(atlas)[sid]
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
    rows = _rows(atlas)
    waiting = figures.waiting_values([rows[sid][3] for sid in ids], [rows[sid][2] for sid in ids])
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
