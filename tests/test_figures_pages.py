"""Every page shows the real-only figure and its n by default, and an example figure only on request.

The fixture ``honest_mini`` is built so that each figure differs with the examples included
(see tests/test_figures.py).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import FIXTURES, ROOT

HONEST = FIXTURES / "regions" / "honest_mini"


def _page(monkeypatch: pytest.MonkeyPatch, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("SOCIALMAP_REGION", str(HONEST))
    monkeypatch.setenv("SOCIALMAP_TILES", "none")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(f"views/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> list[str]:
    return [e.value for kind in ("markdown", "caption", "warning", "success", "info") for e in at.get(kind)]


def test_the_social_map_shows_the_waiting_time_of_real_services_with_its_n(monkeypatch):
    at = _page(monkeypatch, "sociale_kaart")
    assert "Wachttijd bij deze diensten: mediaan 3 weken (1 tot 5 weken) (n = 5 echte diensten)." in _texts(at)


def test_the_area_profile_shows_real_gaps_with_n_and_an_example_figure_only_on_request(monkeypatch):
    at = _page(monkeypatch, "wijkprofiel", code="WK999101")
    assert [w.value for w in at.warning if "Binnen" in w.value] == [
        "Binnen 3,0 km is er geen hulp van deze soort voor dit gebied: Zelf aan de slag, Praktijkondersteuner "
        "jeugd bij de huisarts, Basis jeugd-GGZ, Specialistische jeugd-GGZ. (n = 7 echte diensten)"]
    assert [m.value for m in at.metric][3] == "7"
    at.toggle(key="profile_include_examples").set_value(True).run()
    assert [w.value for w in at.warning if "Binnen" in w.value] == [] and at.success == []
    assert [i.value for i in at.info] == [
        ":gray[Voor elke soort hulp is er iets binnen 3,0 km (of per telefoon of online).] "
        "(\\* :gray-badge[voorbeeldcijfer] voorbeeldcijfer: 7 echte en 9 voorbeelddiensten)"]


def test_the_coverage_page_shows_an_example_figure_greyed_when_examples_are_counted(monkeypatch):
    at = _page(monkeypatch, "dekking")
    at.toggle(key="dekking_include_examples").set_value(True).run()
    assert (":gray[Van de 2 wijken hebben er **0** geen eigen lichte hulp en is bij **0** de dichtstbijzijnde "
            "lichte hulp verder dan 3 km] (\\* :gray-badge[voorbeeldcijfer] voorbeeldcijfer: 5 echte en 6 "
            "voorbeelddiensten)") in _texts(at)


def test_the_ladder_shows_the_real_waiting_time_and_its_n_and_the_example_figure_on_request(monkeypatch):
    at = _page(monkeypatch, "zorgroutes")
    assert "**Wachttijd in de regio:** mediaan 3 weken (1 tot 5 weken) (n = 5 echte diensten)" in _texts(at)
    assert "Diensten in de regio op dit niveau: 5 echte, 5 voorbeelden" in [e.label for e in at.expander]
    at.toggle(key="atlas_include_examples").set_value(True).run()
    assert ("**Wachttijd in de regio:** :gray[mediaan 7,5 weken (1 tot 10 weken) (voorbeeldcijfer: 5 echte en "
            "5 voorbeelddiensten)] :gray-badge[voorbeeldcijfer]") in _texts(at)


def test_who_to_call_gives_a_contact_or_says_to_ask_the_cjg(monkeypatch):
    at = _page(monkeypatch, "zorgroutes")
    texts = _texts(at)
    assert "**Sociaal wijkteam**" in "\n".join(texts)
    assert "Nog geen contactgegevens - vraag het CJG." in [c.value for c in at.caption]


def test_beheer_shows_real_coverage_beside_valid(monkeypatch):
    at = _page(monkeypatch, "beheer")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Echte dekking"] == "56%"
    assert "n = 7 echte diensten" in [c.value for c in at.caption]
    assert [s.value for s in at.success] == [
        "De gegevens zijn geldig. Geldig is niet hetzelfde als echt: de app kan de gegevens lezen, maar 44% van "
        "wat een advies laat zien is een voorbeeld."]
    assert metrics["Contactgegevens onvolledig"] == "9"
    assert "Contactgegevens onvolledig (9): echte organisaties en diensten zonder telefoon, e-mail of website" in [
        e.label for e in at.expander]
