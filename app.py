"""Sociale kaart jeugd: page set-up, navigation, sticky crisis bar, language switch, data notice.

Run with ``streamlit run app.py``. Every page is listed here explicitly; pages are thin views in
``views/`` that read state, call the core (``socialmap``) and render.
"""

from __future__ import annotations

import streamlit as st

from socialmap import i18n
from socialmap.errors import DataError
from socialmap.ui import common

st.set_page_config(page_title="Sociale kaart jeugd", page_icon="🧭", layout="wide",
                   initial_sidebar_state="auto")  # collapsed on a phone, open on a desktop

lang = common.language_switch()
common.set_document_language(lang)
common.accessibility_styles()

atlas = None
error: DataError | None = None
try:
    atlas = common.get_atlas(common.region_id())
except DataError as exc:
    error = exc
except Exception as exc:  # noqa: BLE001 - a loading bug must never hide the crisis numbers
    error = DataError([f"{common.region_id()}: the data could not be loaded ({type(exc).__name__}: {exc})"])


def _page(path: str, key: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(path, title=i18n.t(f"common.nav.{key}", lang), icon=icon, url_path=key, default=default)


# A flat list (no section headers): Streamlit renders sections as <div>s inside the nav <ul>,
# which screen readers and axe-core reject (list / listitem).
pages = [
    _page("views/start.py", "start", "🏠"),
    _page("views/hulpwijzer.py", "hulpwijzer", "🧭"),
    _page("views/routekaart.py", "routekaart", "🗒️"),
    _page("views/sociale_kaart.py", "sociale_kaart", "🗺️"),
    _page("views/wijkprofiel.py", "wijkprofiel", "🏘️"),
    _page("views/zorgroutes.py", "zorgroutes", "🪜"),
    _page("views/dekking.py", "dekking", "📊"),
    _page("views/beheer.py", "beheer", "🔐"),
]


def _home() -> None:
    """The root URL opens the start page (so both ``/`` and ``/start`` work)."""
    st.switch_page("views/start.py")


pages.append(st.Page(_home, title=i18n.t("common.nav.start", lang), url_path="home", default=True,
                     visibility="hidden"))
navigation = st.navigation(pages)

# The crisis numbers come first on every page and are never hidden, also when data is broken: a
# compact bar that stays in sight while the page scrolls (a red flag on a page makes it red).
common.crisis_bar(lang, atlas)
common.data_sidebar(lang, atlas)

if error is not None:
    common.data_error_page(error, lang)
    st.stop()

navigation.run()
