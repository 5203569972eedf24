"""Routekaart: the printable route card, rebuilt from the URL (nothing is stored)."""

from __future__ import annotations

import dataclasses

import streamlit as st

from socialmap import advisor, i18n, routecard
from socialmap.errors import InputError
from socialmap.ui import common, state
from socialmap.ui.common import note

def _session_reason(request: advisor.RouteRequest) -> str:
    """The professional's reason, only when this session chose the same level for the same answers."""
    memo = st.session_state.get(state.ADVISOR_OVERRIDE_REASON)
    if not isinstance(memo, dict) or not request.override:
        return ""
    if memo.get("a") != advisor.encode_answers(request.answers) or memo.get("o") != request.override:
        return ""
    return str(memo.get("r") or "")[:200]


def routekaart_page() -> None:
    lang = common.current_lang()
    atlas = common.get_atlas(common.region_id())
    params = st.query_params.to_dict()
    if not params.get("a"):
        st.title(i18n.t("advisor.routecard.title", lang))
        st.info(i18n.t("advisor.routecard.empty", lang), icon="🧭")
        st.page_link("views/hulpwijzer.py", label=i18n.t("advisor.routecard.open_advisor", lang), icon="🧭")
        return
    try:
        request = advisor.parse_route_query(params, lang)
        request = dataclasses.replace(request, lang=lang, reason=_session_reason(request))
        probe = advisor.build_route_card(atlas, request, "", common.crisis_lines(lang, atlas))
        chosen = [s.id for s in probe.services]
        url = advisor.route_url(common.base_url(), advisor.route_query(
            request.answers, chosen, probe.level if probe.overridden else None, probe.override_reason, lang))
        card = dataclasses.replace(probe, url=url)
    except InputError as err:
        st.title(i18n.t("advisor.routecard.title", lang))
        st.error(common.md_escape(str(err)), icon="⚠️")
        st.page_link("views/hulpwijzer.py", label=i18n.t("advisor.routecard.open_advisor", lang), icon="🧭")
        return
    if card.level == "crisis":
        common.crisis_panel(lang, atlas, emphasise=True)
    notes = st.session_state.get(state.ADVISOR_NOTES) or ""
    st.html(routecard.PRINT_CSS + routecard.card_html(card, notes, routecard.qr_data_uri(card.url)))
    note(i18n.t("advisor.routecard.private", lang))
    st.text_area(i18n.t("advisor.routecard.notes_label", lang), key=state.ADVISOR_NOTES, max_chars=1500,
                 placeholder=i18n.t("advisor.routecard.notes_placeholder", lang))
    c1, c2 = st.columns([1, 2])
    with c1:
        st.download_button(i18n.t("advisor.routecard.download", lang), data=routecard.pdf_bytes(card, notes),
                           file_name=i18n.t("advisor.routecard.file_name", lang), mime="application/pdf",
                           type="primary", icon="📄", on_click="ignore")
    with c2:
        note(i18n.t("advisor.routecard.print", lang))
    st.page_link("views/hulpwijzer.py", label=i18n.t("advisor.routecard.open_advisor", lang), icon="🧭",
                 query_params={"a": advisor.encode_answers(request.answers),
                               **({"lang": lang} if lang != i18n.DEFAULT_LANGUAGE else {})})


routekaart_page()
