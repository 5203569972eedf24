"""AppTest: the map and Wijkprofiel pages switch between the shipped regions and say which region
is shown and how much of it is illustrative."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from socialmap.loader import load_region
from socialmap.ui import state
from socialmap.ui.common import md_escape

SWITCH = "sm_region_switch"


def _share_line(region: str) -> str:
    atlas = load_region(region)
    n, total = atlas.illustrative_share()
    return (f"Regio: {md_escape(atlas.region.name)}. {round(100 * n / total)}% van het aanbod in deze regio is een "
            f"voorbeeld, niet echt ({n} van {total}).")


def _page(monkeypatch: pytest.MonkeyPatch, page: str) -> AppTest:
    monkeypatch.delenv("SOCIALMAP_REGION", raising=False)
    monkeypatch.setenv("SOCIALMAP_TILES", "none")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", ["sociale_kaart", "wijkprofiel"])
def test_the_page_offers_both_regions_and_says_which_one_it_shows(monkeypatch, page):
    at = _page(monkeypatch, page)
    switch = at.selectbox(key=SWITCH)
    assert switch.options == ["Maastricht-Heuvelland", "Kennemerland (Haarlem en Zandvoort)"]
    assert switch.value == "kennemerland"
    assert _share_line("kennemerland") in [c.value for c in at.caption]


def test_switching_to_heuvelland_shows_maastricht_services_and_the_sidebar_follows(monkeypatch):
    at = _page(monkeypatch, "sociale_kaart")
    at.selectbox(key=SWITCH).set_value("heuvelland").run()
    assert not at.exception, [e.value for e in at.exception]
    assert _share_line("heuvelland") in [c.value for c in at.caption]
    at.text_input(key=state.MAP_QUERY).input("huisartsenpost").run()
    names = [m.value.split("  \n")[0].strip("*") for m in at.markdown
             if m.value.startswith("**") and "  \n" in m.value]
    assert "Huisartsenpost Maastricht &amp; Heuvelland" in names  # data text is escaped
    assert "Huisartsen-Spoedpost Haarlem" not in names
    sidebar = " ".join(m.value for m in at.sidebar.markdown)
    assert ":small[Regio: Maastricht-Heuvelland]" in sidebar


def test_the_chosen_region_holds_on_the_wijkprofiel_page(monkeypatch):
    at = _page(monkeypatch, "sociale_kaart")
    at.selectbox(key=SWITCH).set_value("heuvelland").run()
    at.switch_page("views/wijkprofiel.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key=SWITCH).value == "heuvelland"
    assert _share_line("heuvelland") in [c.value for c in at.caption]
