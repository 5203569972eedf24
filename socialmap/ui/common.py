"""Shared Streamlit pieces: cached atlas, language, crisis panel, data notice, badges.

The atlas is cached once per process with ``st.cache_resource`` keyed by the region id (a plain
string) and is treated as read-only by every page.
"""

from __future__ import annotations

import html
import os

import streamlit as st

from .. import i18n
from ..crisis import CRISIS_LINES
from ..errors import DataError
from .. import snapshot
from ..db import atlas_folder
from ..loader import DEFAULT_REGION, load_region
from ..model import Atlas
from . import state

def region_id() -> str:
    return os.environ.get("SOCIALMAP_REGION", DEFAULT_REGION)


def get_atlas(region: str) -> Atlas:
    """The region's atlas, once per process and data version, from its snapshot (validated when the
    data changed). Raises ``DataError``.

    The folder is the region folder, or with a database the published snapshot of its current
    version (``socialmap.db.atlas_folder``), so every process picks up a committed save. An
    interrupted curator save is finished (or rolled back) first, so the app never reads a
    half-written region.
    """
    return _atlas_at(str(atlas_folder(region)))


@st.cache_resource(show_spinner=False, max_entries=3)
def _atlas_at(folder: str) -> Atlas:
    atlas = snapshot.load(folder, load_region)  # recovers an interrupted save; validates only when the data changed
    snapshot.start_background_build(atlas)  # the shared indexes, ready before the first user needs them
    return atlas


get_atlas.clear = _atlas_at.clear  # type: ignore[attr-defined]


def current_lang() -> str:
    """The UI language: session choice, else ``?lang=`` in the URL, else Dutch."""
    if state.LANG not in st.session_state:
        requested = st.query_params.get("lang", i18n.DEFAULT_LANGUAGE)
        st.session_state[state.LANG] = requested if requested in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    return st.session_state[state.LANG]


def language_switch() -> str:
    """The language radio in the sidebar; its widget key is the session's language."""
    current_lang()
    return st.sidebar.radio(
        i18n.t("common.language", st.session_state[state.LANG]),
        options=list(i18n.LANGUAGES),
        format_func=lambda code: i18n.t(f"common.language_name.{code}", code),
        horizontal=True,
        key=state.LANG,
    )


def md_escape(text: object) -> str:
    """Escape text from data for Streamlit markdown (no HTML, no markdown injection)."""
    out = html.escape(str(text), quote=False)
    for ch in "\\`*_{}[]()#+!|~>$":
        out = out.replace(ch, "\\" + ch)
    return out


def huisartsenpost(atlas: Atlas | None) -> tuple[str, str] | None:
    """(name, phone) of the region's out-of-hours GP post, from the data."""
    if atlas is None or not atlas.region.huisartsenpost_service_id:
        return None
    sid = atlas.region.huisartsenpost_service_id
    if sid not in atlas.services.index:
        return None
    row = atlas.services.loc[sid]
    phone = row["phone"] if isinstance(row["phone"], str) else ""
    return str(row["name"]), phone


def crisis_panel(lang: str, atlas: Atlas | None, emphasise: bool = False) -> None:
    """The crisis numbers. Shown on every page, never hidden; first on a red flag."""
    parts = [f"**{i18n.t(key, lang)}** [{number}](tel:{target})" for key, number, target in CRISIS_LINES]
    post = huisartsenpost(atlas)
    if post:
        name, phone = post
        target = "".join(ch for ch in phone if ch.isdigit())
        shown = f"[{md_escape(phone)}](tel:{target})" if phone else ""
        parts.append(f"**{i18n.t('common.crisis.line_huisartsenpost', lang)}** {shown}")
    text = f"**{i18n.t('common.crisis.title', lang)}** · " + " · ".join(parts)
    if emphasise:
        st.error(text + "\n\n" + i18n.t("common.crisis.emphasis", lang), icon="🚨")
    else:
        st.warning(text, icon="☎️")


def status_badge(status: str, lang: str) -> str:
    """A short markdown badge for a record's status (empty for verified)."""
    if status == "verified":
        return f":green-badge[{i18n.t('common.status.verified', lang)}]"
    if status == "to_verify":
        return f":orange-badge[{i18n.t('common.status.to_verify', lang)}]"
    return f":violet-badge[{i18n.t('common.status.illustrative', lang)}]"


def illustrative_notice(atlas: Atlas, lang: str, service_ids: list[str] | None = None) -> None:
    """Say how much of what the page shows is illustrative (not real)."""
    illustrative, total = atlas.illustrative_share(service_ids)
    if total == 0:
        return
    st.caption(i18n.t("common.notice.illustrative", lang, n=illustrative, total=total,
                      pct=round(100 * illustrative / total)))


def _small(text: str) -> None:
    # st.caption's grey fails WCAG contrast on the sidebar background; small body text passes.
    st.markdown(f":small[{text}]")


def data_sidebar(lang: str, atlas: Atlas | None) -> None:
    with st.sidebar:
        if atlas is not None:
            _small(i18n.t("common.notice.region", lang, name=md_escape(atlas.region.name)))
            illustrative, total = atlas.illustrative_share()
            _small(i18n.t("common.notice.illustrative_all", lang, n=illustrative, total=total))
            _small(md_escape(atlas.region.attribution))
        else:
            _small(i18n.t("common.notice.attribution_fallback", lang))
        _small(i18n.t("common.notice.privacy", lang))


#: Accessibility fixes on top of Streamlit's default styles (WCAG AA contrast for captions).
_A11Y_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #4a4f57 !important; opacity: 1 !important; }
</style>"""


def accessibility_styles() -> None:
    st.html(_A11Y_CSS)


def set_document_language(lang: str) -> None:
    """Set ``<html lang>`` to the UI language (Streamlit leaves it at ``en``), for screen readers."""
    code = lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    st.sidebar.html(f"<script>document.documentElement.lang = '{code}';</script>", unsafe_allow_javascript=True)


def data_error_page(err: DataError, lang: str) -> None:
    """The app refuses to start on invalid data and shows the validator's messages."""
    st.error(i18n.t("common.data_error.title", lang), icon="⛔")
    st.write(i18n.t("common.data_error.body", lang))
    st.code("\n".join(err.messages[:200]), language=None)


def readiness_line(lang: str) -> None:
    """One line saying whether the shared indexes are ready (``snapshot.readiness``)."""
    try:
        state = snapshot.readiness(get_atlas(region_id()))
    except DataError:
        return
    if state.ready:
        _small(i18n.t("common.indexes.ready", lang, seconds=state.seconds))
    elif state.error:
        _small(i18n.t("common.indexes.failed", lang, error=md_escape(state.error)))
    else:
        _small(i18n.t("common.indexes.building", lang))
