"""Routekaart: the printable route card, rebuilt from the URL (nothing is stored).

The card renders the core's Route for the link's answers (``socialmap.route.decode``); a link made
with an earlier contract version reopens with a note and today's advice. The PDF is built only
when asked for.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from socialmap import i18n, routecard
from socialmap import route as route_core
from socialmap.errors import DataError, InputError
from socialmap.ui import common, state
from socialmap.ui.common import note

_PDF_KEY = "_rk_pdf"  # (url, notes) -> bytes of the PDF made on request in this session


def _session_reason(params: dict[str, str], override: str | None) -> str:
    """The professional's reason, only when this session chose the same level for the same answers."""
    memo = st.session_state.get(state.ADVISOR_OVERRIDE_REASON)
    if not isinstance(memo, dict) or not override:
        return ""
    if memo.get("a") != params.get("a") or memo.get("o") != override:
        return ""
    return str(memo.get("r") or "")[:200]


def _back_link(lang: str, params: dict[str, str] | None = None) -> None:
    query = {}
    if params and params.get("a"):
        query = {"a": params["a"], **({"lang": lang} if lang != i18n.DEFAULT_LANGUAGE else {})}
    st.page_link("views/hulpwijzer.py", label=i18n.t("advisor.routecard.open_advisor", lang), icon="🧭",
                 query_params=query)


def _print_once(lang: str, url: str) -> None:
    """``?print=1`` (the Hulpwijzer's print button): open the browser's print dialog once."""
    done = st.session_state.get("_rk_printed")
    if done == url:
        return
    st.session_state["_rk_printed"] = url
    note(i18n.t("advisor.routecard.print_now", lang))
    st.html("<script>setTimeout(() => window.print(), 600);</script>", unsafe_allow_javascript=True)


def routekaart_page() -> None:
    lang = common.current_lang()
    if common.follow_link_region(st.query_params.get("a")):
        st.rerun()  # several regions: the link's postcode decides, the crisis numbers follow
    atlas = common.get_atlas(common.region_id())
    params = {k: str(v) for k, v in st.query_params.to_dict().items()}
    if not params.get("a"):
        st.title(i18n.t("advisor.routecard.title", lang), anchor=False)
        st.info(i18n.t("advisor.routecard.empty", lang), icon="🧭")
        _back_link(lang)
        return
    try:
        result = route_core.decode(atlas, params, lang, own_practice=params.get("p") or None,
                                   base_url=common.base_url(), demo=common.demo_mode(atlas))
        if not result.ready:
            raise InputError(result.missing_text, field="a")
    except (InputError, DataError) as err:
        st.title(i18n.t("advisor.routecard.title", lang), anchor=False)
        st.error(common.md_escape(str(err)), icon="⚠️")
        _back_link(lang)
        return
    card_lang = result.lang
    if common.is_local_url(result.url):
        host = urlsplit(result.url).netloc or result.url
        st.warning(common.md_escape(i18n.t("advisor.routecard.localhost", card_lang, host=host)), icon="⚠️")
    crisis_lines = common.crisis_lines(card_lang, atlas)
    if result.red_flag:
        first = tuple(routecard.contact_lines(result))
        common.emphasise_crisis_bar(card_lang, atlas, first)
    reason = _session_reason(params, result.override)
    notes = st.session_state.get(state.ADVISOR_NOTES) or ""
    st.html(routecard.PRINT_CSS + routecard.card_html(result, notes, routecard.qr_data_uri(result.url),
                                                      crisis_lines, reason))
    note(i18n.t("advisor.routecard.private", card_lang))
    st.text_area(i18n.t("advisor.routecard.notes_label", card_lang), key=state.ADVISOR_NOTES, max_chars=1500,
                 placeholder=i18n.t("advisor.routecard.notes_placeholder", card_lang))
    made = st.session_state.get(_PDF_KEY)
    wanted = (result.url, notes, reason)
    c1, c2 = st.columns([1, 2])
    with c1:
        if isinstance(made, tuple) and made[0] == wanted:
            st.download_button(i18n.t("advisor.routecard.download", card_lang), data=made[1],
                               file_name=i18n.t("advisor.routecard.file_name", card_lang), mime="application/pdf",
                               type="primary", icon="📄", on_click="ignore")
        elif st.button(i18n.t("advisor.routecard.make_pdf", card_lang), icon="📄", key="_rk_make_pdf"):
            data = routecard.pdf_bytes(result, notes, crisis_lines=crisis_lines, reason=reason)
            st.session_state[_PDF_KEY] = (wanted, data)
            st.rerun()
    with c2:
        note(i18n.t("advisor.routecard.print", card_lang))
    _back_link(card_lang, params)
    if params.get("print") == "1":
        _print_once(card_lang, result.url)


routekaart_page()
