"""The "Meld een fout" button under a service card, shared by the pages that show service cards.

Anyone may suggest a correction; a curator reviews it on the Beheer page (``views/beheer.py``),
which also uses this module's :func:`client_key` (rate limits), :func:`region_folder` and the
store modules (the file store, or the database)::

    from socialmap.ui.curation import report_error_button
    report_error_button(service_id, lang)
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import streamlit as st

from .. import i18n
from ..db import atlas_folder, curation_modules
from ..errors import DataError, InputError
from . import common

#: The file store, or the database; chosen once per process and used by the Beheer page too.
store, records, suggestions, importer = curation_modules()


def t(key: str, lang: str, **fmt: Any) -> str:
    return i18n.t(key, lang, **fmt)


def region_folder() -> Path:
    return atlas_folder(common.region_id())


def client_key() -> str:
    """An opaque key for the client of this session (for rate limits; never stored or logged).

    The connection's address; behind a reverse proxy on the same machine (address unknown) the
    address the proxy passes on (``X-Real-IP``, or the last ``X-Forwarded-For`` entry); without
    either, the one local client (a reload or a new browser session never resets a limit).
    """
    address = None
    try:
        address = st.context.ip_address
        if not address:
            headers = st.context.headers
            forwarded = [p.strip() for p in (headers.get("X-Forwarded-For") or "").split(",") if p.strip()]
            address = headers.get("X-Real-IP") or (forwarded[-1] if forwarded else None)
    except Exception:  # no request context (tests, bare mode)
        address = None
    if not isinstance(address, str) or not address:
        return "local"
    return "ip:" + hashlib.sha256(address.encode("utf-8", "replace")).hexdigest()[:16]


# ---- "Meld een fout" (public) ----------------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def global_limiter() -> suggestions.GlobalRateLimiter:
    """The abuse cap of this server process: at most 200 suggestions per 10 minutes in total."""
    return suggestions.GlobalRateLimiter()


@st.cache_resource(show_spinner=False)
def client_limiter() -> suggestions.ClientRateLimiter:
    """Per client (address) for the whole server process: at most 3 suggestions per 10 minutes."""
    return suggestions.ClientRateLimiter()


def report_error_button(service_id: str, lang: str, label: str | None = None) -> None:
    """A small "Meld een fout" popover for a service card: anyone may suggest a correction.

    No fields for personal data; at most 3 per 10 minutes per client (address; a reload does not
    reset it) and 200 per 10 minutes for the whole server (abuse cap); value ≤ 200 and note ≤ 500
    characters. Stored for a curator in ``<region>/.suggestions/``.
    """
    with st.popover(label or t("curation.report.button", lang), icon="✏️"):
        st.caption(t("curation.report.help", lang))
        with st.form(f"report_error_{service_id}", clear_on_submit=True):
            field = st.selectbox(t("curation.report.field", lang), list(suggestions.FIELDS),
                                 format_func=lambda f: t(f"curation.report.fields.{f}", lang))
            value = st.text_input(t("curation.report.value", lang), max_chars=suggestions.MAX_VALUE)
            note = st.text_area(t("curation.report.note", lang), max_chars=suggestions.MAX_NOTE)
            sent = st.form_submit_button(t("curation.report.send", lang))
        if sent:
            if not client_limiter().acquire(client_key()):
                st.warning(t("curation.report.rate_limited", lang))
                return
            if not global_limiter().acquire():
                st.warning(t("curation.report.busy", lang))
                return
            try:
                known = set(common.get_atlas(common.region_id()).services.index)
            except DataError:
                known = None
            try:
                suggestions.submit(region_folder(), service_id, field, value, note, known_services=known)
            except InputError as exc:
                st.error(t("curation.report.invalid", lang, reason=common.md_escape(str(exc))))
                return
            st.success(t("curation.report.thanks", lang))
