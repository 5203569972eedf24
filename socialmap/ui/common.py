"""Shared Streamlit pieces: cached atlas, language, crisis panel, data notice, badges.

The atlas is cached once per process with ``st.cache_resource`` keyed by the region id (a plain
string) and is treated as read-only by every page.
"""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path
from typing import Sequence

import streamlit as st

from .. import i18n
from ..crisis import CRISIS_LINES
from .. import search, snapshot
from ..errors import DataError, InputError
from ..db import atlas_folder
from ..loader import DEFAULT_REGION, load_region
from ..model import Atlas
from ..regions import Regions, region_folders
from . import state

_LOG = logging.getLogger(__name__)

#: The widget key of the sticky crisis bar's container (CSS class ``st-key-<key>``).
CRISIS_BAR_KEY = "sm_crisis_bar"
#: Every url path of the app (``app.py``'s pages); a page path is taken off the browser's URL.
PAGE_PATHS = ("start", "hulpwijzer", "routekaart", "sociale_kaart", "wijkprofiel", "zorgroutes", "dekking",
              "beheer", "home")
#: Where links point when neither SOCIALMAP_PUBLIC_URL nor the browser's address is known.
DEFAULT_BASE_URL = "http://localhost:8501"

def region_id() -> str:
    """The region shown: the one chosen on screen this session, else ``SOCIALMAP_REGION``, else the default."""
    return st.session_state.get(REGION_KEY) or os.environ.get("SOCIALMAP_REGION", DEFAULT_REGION)


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


# ---- several regions (socialmap/regions.py) ------------------------------------------------------
#: Session key of the region chosen on screen (kept apart from the widget's key, which Streamlit
#: forgets on pages without the switch).
REGION_KEY = "sm_region"
_REGION_WIDGET = "sm_region_switch"


def get_regions() -> Regions:
    """Every shipped region (each atlas the one :func:`get_atlas` caches). When ``SOCIALMAP_REGION``
    names a folder outside ``data/regions``, only that region. When another region's data is
    broken, only the session's region (``python -m socialmap validate`` names the problem); raises
    ``DataError`` only when that one is broken too."""
    try:
        return _regions(os.environ.get("SOCIALMAP_REGION", ""))
    except DataError:
        return Regions.of([get_atlas(region_id())])


@st.cache_resource(show_spinner=False)
def _regions(env: str) -> Regions:
    shipped = [p.name for p in region_folders()]
    atlases, problems = [], []
    for region in [env] if env and _shipped_id(env) is None else shipped:
        try:
            atlases.append(get_atlas(region))
        except (DataError, InputError) as exc:  # e.g. a region not loaded into the database
            problems.append(f"{region}: {exc}")
            _LOG.warning("region %s is not served: %s", region, exc)
    if not atlases:
        raise DataError(problems)
    return Regions.of(atlases)


def _shipped_id(region: str) -> str | None:
    """The id of a shipped region given by id or by its folder path; None for any other folder."""
    for folder in region_folders():
        if region == folder.name or Path(region).resolve() == folder.resolve():
            return folder.name
    return None


def region_for_postcode(postcode: str | None) -> str:
    """The region (id for :func:`get_atlas`) a postcode lies in; the session's region when the
    postcode is empty, malformed or in no region (the page then says so)."""
    regions = get_regions()
    if postcode and len(regions) > 1:
        try:
            found = regions.region_id_for_postcode(postcode)
        except InputError:
            found = None
        if found:
            return found
    return region_id()


def postcode_check(postcode: str | None, lang: str) -> None:
    """``InputError`` in the user's language, naming the regions covered, for a postcode in no region."""
    if postcode and len(get_regions()) > 1:
        get_regions().for_answers({"postcode": postcode}, lang)


def follow_link_region(link: str | None) -> bool:
    """A route-card link (``?a=``) carries the PC4: its region becomes the session's (True when that
    changed). A malformed link is left to the page, which explains it."""
    from ..advisor import decode_answers

    try:
        postcode = decode_answers(link or "").get("postcode") if link else None
    except InputError:
        return False
    return follow_region(region_for_postcode(postcode))


def follow_region(region: str) -> bool:
    """Make ``region`` the session's region (after a postcode decided it); True when it changed,
    so the page can rerun and every part of it (crisis numbers too) shows that region."""
    if not region or region in (region_id(), _shipped_id(region_id())):
        return False
    st.session_state[REGION_KEY] = region
    return True


def region_switch(lang: str) -> tuple[str, Atlas]:
    """A region choice for pages that show one region (map, wijkprofiel), with a line saying which
    region and how much of it is illustrative. Returns (region id for :func:`get_atlas`, atlas); the
    choice holds for the session (sidebar, crisis numbers and the other pages follow)."""
    regions = get_regions()
    ids = list(regions.ids)
    current = region_id()
    if len(ids) > 1:  # shipped regions: folder name = region id
        current = _shipped_id(current) or ids[0]
        st.session_state[_REGION_WIDGET] = current

        def _chosen() -> None:
            st.session_state[REGION_KEY] = st.session_state[_REGION_WIDGET]

        st.selectbox(i18n.t("regions.switch.label", lang), ids, key=_REGION_WIDGET, on_change=_chosen,
                     format_func=lambda r: regions.get(r).region.name, help=i18n.t("regions.switch.help", lang))
    atlas = get_atlas(current)
    illustrative, total = atlas.illustrative_share()
    st.caption(i18n.t("regions.notice.region", lang, name=md_escape(atlas.region.name), n=illustrative, total=total,
                      pct=round(100 * illustrative / total) if total else 0))
    return current, atlas
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


def _tel(number: str) -> str:
    """The ``tel:`` target of a number as shown (``113 / 0800-0113`` dials 113)."""
    return "".join(ch for ch in number.split("/")[0] if ch.isdigit())


def crisis_lines(lang: str, atlas: Atlas | None) -> list[tuple[str, str]]:
    """(label, number) of every crisis line, the region's huisartsenpost last (when it has a phone)."""
    lines = [(i18n.t(key, lang), number) for key, number, _ in CRISIS_LINES]
    post = huisartsenpost(atlas)
    if post and post[1]:
        lines.append((i18n.t("common.crisis.line_huisartsenpost", lang), post[1]))
    return lines


def _crisis_text(lang: str, atlas: Atlas | None, first: Sequence[tuple[str, str]] = (), compact: bool = False) -> str:
    """The crisis numbers as one markdown line; ``first`` (label, number) pairs lead, in bold.
    ``compact``: the short labels of the sticky bar."""
    short = (lambda key: i18n.t(key.replace(".line_", ".short_"), lang)) if compact else (lambda key: i18n.t(key, lang))
    lead = [f"**{md_escape(label.replace(number, '').strip() or label)}** [{md_escape(number)}](tel:{_tel(number)})"
            if number else f"**{md_escape(label)}**" for label, number in first]
    shown = {number for _, number in first if number}
    parts = [f"**{short(key)}** [{number}](tel:{target})"
             for key, number, target in CRISIS_LINES if number not in shown]
    post = huisartsenpost(atlas)
    if post and post[1] not in shown:
        _, phone = post
        link = f"[{md_escape(phone)}](tel:{_tel(phone)})" if phone else ""
        parts.append(f"**{short('common.crisis.line_huisartsenpost')}** {link}")
    head = f"**{i18n.t('common.crisis.title', lang)}**"
    if lead:
        return f"{head} {i18n.t('common.crisis.call_first', lang)} " + " · ".join(lead) + "  \n" + " · ".join(parts)
    return f"{head} · " + " · ".join(parts)


def crisis_panel(lang: str, atlas: Atlas | None, emphasise: bool = False,
                 first: Sequence[tuple[str, str]] = (), compact: bool = False) -> None:
    """The crisis numbers. Shown on every page, never hidden; on a red flag emphasised, with that
    flag's own first contacts (``first``: (label, number)) before the others."""
    text = _crisis_text(lang, atlas, first, compact)
    if emphasise:
        st.error(text + "  \n" + i18n.t("common.crisis.emphasis", lang), icon=None if compact else "🚨")
    else:
        st.warning(text, icon=None if compact else "☎️")


def crisis_bar(lang: str, atlas: Atlas | None) -> None:
    """The compact crisis bar at the top of every page. It sticks below the browser's top edge
    while the page scrolls (CSS in :data:`_FRAME_CSS`), on a phone as well as on a desktop. A page
    can make it red with a red flag's own contacts first: :func:`emphasise_crisis_bar`."""
    with st.container(key=CRISIS_BAR_KEY):
        slot = st.empty()
    st.session_state[state.CRISIS_SLOT] = slot
    with slot:
        crisis_panel(lang, atlas, compact=True)


def emphasise_crisis_bar(lang: str, atlas: Atlas | None, first: Sequence[tuple[str, str]] = ()) -> None:
    """Make the sticky crisis bar red, with ``first`` (a red flag's contacts) leading."""
    slot = st.session_state.get(state.CRISIS_SLOT)
    if slot is None:
        return
    try:
        with slot:
            crisis_panel(lang, atlas, emphasise=True, first=first, compact=True)
    except Exception:  # noqa: BLE001 - a slot of an earlier run: the page's own panel still shows
        pass


def demo_mode(atlas: Atlas | None = None) -> bool:
    """Demo mode: illustrative services may be put on a route card, and every screen, print and PDF
    of the card says "VOORBEELD - geen echte hulp". On with ``SOCIALMAP_DEMO=1`` (or a region whose
    settings say ``demo: true``); off by default."""
    if os.environ.get("SOCIALMAP_DEMO", "").strip().lower() in ("1", "true", "yes", "ja"):
        return True
    return bool(getattr(getattr(atlas, "region", None), "demo", False))


def status_badge(status: str, lang: str) -> str:
    """A short markdown badge for a record's status (empty for verified)."""
    if status == "verified":
        return f":green-badge[{i18n.t('common.status.verified', lang)}]"
    if status == "to_verify":
        return f":orange-badge[{i18n.t('common.status.to_verify', lang)}]"
    return f":violet-badge[{i18n.t('common.status.illustrative', lang)}]"


def illustrative_notice(atlas: Atlas, lang: str, service_ids: list[str] | None = None) -> None:
    """Say how much of what the page shows is illustrative (not real)."""
    illustrative, total = (atlas.illustrative_share() if service_ids is None
                           else search.illustrative_share(atlas, service_ids))
    if total == 0:
        return
    st.caption(i18n.t("common.notice.illustrative", lang, n=illustrative, total=total,
                      pct=round(100 * illustrative / total)))


def note(text: str) -> None:
    """Small secondary text in the normal text colour (st.caption's grey fails WCAG contrast)."""
    st.markdown(f":small[{text}]")


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


#: Accessibility fixes on top of Streamlit's default styles (WCAG AA contrast for captions), and the
#: page frame: the crisis bar sticks below Streamlit's top bar (3.75rem) while the page scrolls; it
#: has an opaque background so nothing shows through, and it is compact on a phone.
_A11Y_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #4a4f57 !important; opacity: 1 !important; }
[data-testid="stLayoutWrapper"]:has(> .st-key-sm_crisis_bar), .st-key-sm_crisis_bar {
  position: sticky; top: 3.75rem; z-index: 999989; background: #fff; padding: 2px 0; flex-shrink: 0; height: auto; }
.st-key-sm_crisis_bar [data-testid="stAlert"] > div { padding: .4rem .75rem; }
.st-key-sm_crisis_bar [data-testid="stAlert"] p { font-size: .9rem; line-height: 1.35; margin-bottom: 0; }
.st-key-sm_crisis_bar [data-testid="stAlert"] a { white-space: nowrap; }
.st-key-sm_crisis_bar [data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
[data-testid="stMainBlockContainer"] { padding-top: 4rem; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.9rem; padding-left: .75rem; padding-right: .75rem; }
  .st-key-sm_crisis_bar [data-testid="stAlert"] > div { padding: .3rem .5rem; }
  .st-key-sm_crisis_bar [data-testid="stAlert"] p { font-size: .8rem; line-height: 1.3; }
}
</style>"""


def accessibility_styles() -> None:
    st.html(_A11Y_CSS)


def public_url_setting() -> str | None:
    """``SOCIALMAP_PUBLIC_URL`` when it is an http(s) URL with a host, else None."""
    env = os.environ.get("SOCIALMAP_PUBLIC_URL", "").strip().rstrip("/")
    if env.lower().startswith(("http://", "https://")) and len(env) > len("https://"):
        return env
    return None


def _browser_url() -> str | None:
    """The address the user's browser reached the app at (without the page, query and anchor)."""
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001 - no browser context (AppTest, bare mode)
        url = None
    if url:
        url = url.split("?")[0].split("#")[0].rstrip("/")
        head, _, last = url.rpartition("/")
        if last in PAGE_PATHS and "://" in head:
            url = head
        return url or None
    try:
        headers = st.context.headers
        host = headers.get("Host") or ""
        proto = (headers.get("X-Forwarded-Proto") or "http").split(",")[0].strip()
    except Exception:  # noqa: BLE001
        return None
    if not host or any(ch in host for ch in "/\\ @"):
        return None
    return f"{proto if proto in ('http', 'https') else 'http'}://{host}"


def base_url() -> str:
    """The absolute base URL for links and QR codes: ``SOCIALMAP_PUBLIC_URL`` when set, else the
    address the user's browser reached the app at, else ``DEFAULT_BASE_URL``."""
    return public_url_setting() or _browser_url() or DEFAULT_BASE_URL


def is_local_url(url: str) -> bool:
    """True when a link would only work on the computer that runs the app (localhost, 127.x, ::1)."""
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return True
    return host in ("", "localhost", "0.0.0.0", "::1") or host.startswith("127.") or host.endswith(".localhost")


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
