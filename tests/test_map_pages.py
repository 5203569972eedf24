"""AppTest of the Sociale kaart, Wijkprofiel and Dekking pages on the small fixture region."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import FIXTURES, ROOT, VALID_MINI
from socialmap.ui import state

HONEST = FIXTURES / "regions" / "honest_mini"


def _page(monkeypatch: pytest.MonkeyPatch, page: str, region=VALID_MINI, **params: str) -> AppTest:
    monkeypatch.setenv("SOCIALMAP_REGION", str(region))
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


def _markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def _count_line(at: AppTest) -> str:
    return next(m for m in _markdown(at) if "gevonden" in m)


def _cards(at: AppTest) -> list[str]:
    """The list's cards: '**name**' and its status line."""
    return [m for m in _markdown(at) if m.startswith("**") and "  \n" in m]


def test_the_social_map_lists_every_service_and_says_which_are_not_on_the_map(monkeypatch):
    at = _page(monkeypatch, "sociale_kaart")
    assert at.title[0].value == "Sociale kaart"
    assert _count_line(at) == "**4 diensten** gevonden: 2 op de kaart, 2 per telefoon of online."
    assert _cards(at) == [
        "**Opvoedspreekuur CJG**  \n:blue-badge[Vrij toegankelijk] :green-badge[Gecontroleerd] · wachttijd 0 weken",
        "**POH Jeugd voorbeeld West**  \n:blue-badge[Praktijkondersteuner jeugd bij de huisarts] "
        ":violet-badge[Voorbeeld (niet echt)] · wachttijd 2 weken",
        "**Consultatiebureau**  \n:blue-badge[Vrij toegankelijk] :green-badge[Gecontroleerd] · wachttijd 0 weken",
        "**Huisartsenpost Test**  \n:blue-badge[Direct hulp / veiligheid] :orange-badge[Nog te controleren] · "
        "wachttijd onbekend"]
    assert [b.label for b in at.button if b.key.startswith("map_pick_")] == ["Details"] * 4
    # a figure about the listed services rests on real records only
    assert "Wachttijd bij deze diensten: te weinig echte gegevens (n = 2)." in [c.value for c in at.caption]


def test_a_service_card_on_the_map_has_the_report_error_button(monkeypatch):
    at = _page(monkeypatch, "sociale_kaart", selected="svc-cjg")
    assert "#### Opvoedspreekuur CJG" in _markdown(at)
    assert [p.proto.popover.label for p in at.get("popover")] == ["Meld een fout"]
    assert [f.proto.form.form_id for f in at.get("form")] == ["report_error_svc-cjg"]


def test_a_postcode_orders_the_list_by_distance_marks_who_serves_it_and_narrows_to_a_radius(monkeypatch):
    at = _page(monkeypatch, "sociale_kaart", region=HONEST)
    at.text_input(key=state.MAP_POSTCODE).input("9993 AB").run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        "Postcode 9993 AB ligt in buurt Oostbuurt. Gesorteerd op afstand tot het midden van Oostbuurt "
        "(in rechte lijn). Binnen 5 km."]
    lines = [c.split("  \n")[1] for c in _cards(at)]
    distances = [float(part.strip("*").replace(" km", "").replace(",", ".")) for line in lines
                 for part in line.split(" · ") if part.endswith(" km**")]
    assert distances == sorted(distances) and distances[0] == 1.0 and distances[-1] == 3.5
    assert all(":green-badge[✓ Werkt voor uw buurt]" in line for line in lines)
    assert lines[-1].endswith("telefoon of online · :green-badge[✓ Werkt voor uw buurt]")
    assert at.query_params["pc"] == "9993 AB"
    at.select_slider(key="map_radius_km").set_value(2).run()
    assert _count_line(at) == "**11 diensten** gevonden: 6 op de kaart, 5 per telefoon of online."
    assert at.query_params["r"] == "2"


def test_a_bad_postcode_gets_a_clear_message(monkeypatch):
    at = _page(monkeypatch, "sociale_kaart")
    at.text_input(key=state.MAP_POSTCODE).input("1234").run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Deze postcode kunnen we niet vinden. postcode '1234' is outside region Testgemeente \\(fixture\\) "
        "\\(known postcodes: 9991-9993, 3 areas\\)"]
    at.text_input(key=state.MAP_POSTCODE).input("12").run()
    assert [e.value for e in at.error] == [
        "Deze postcode kunnen we niet vinden. postcode '12' is not a Dutch postcode \\(expected 4 "
        "digits and optionally 2 letters, e.g. 2031 AB or 2031\\)"]


def test_a_keyword_with_a_typo_finds_the_service_and_goes_into_the_url(monkeypatch):
    at = _page(monkeypatch, "sociale_kaart")
    at.text_input(key=state.MAP_QUERY).input("opvoedspreekur").run()
    assert _count_line(at) == "**1 diensten** gevonden: 1 op de kaart, 0 per telefoon of online."
    assert at.query_params["q"] == "opvoedspreekur"


def test_filters_narrow_the_list_and_go_into_the_url(monkeypatch):
    at = _page(monkeypatch, "sociale_kaart")
    at.multiselect(key=state.MAP_LEVELS).select("crisis").run()
    at.toggle(key=state.MAP_HIDE_ILLUSTRATIVE).set_value(True).run()
    assert _count_line(at) == "**1 diensten** gevonden: 0 op de kaart, 1 per telefoon of online."
    assert at.query_params["level"] == "crisis"
    assert at.query_params["real"] == "1"


def test_a_shared_url_restores_the_filters_search_and_selected_service(monkeypatch):
    at = _page(monkeypatch, "sociale_kaart", level="open_access", q="consultatiebureau", selected="svc-cjg")
    assert at.multiselect(key=state.MAP_LEVELS).value == ["open_access"]
    assert at.text_input(key=state.MAP_QUERY).value == "consultatiebureau"
    assert _count_line(at) == "**1 diensten** gevonden: 0 op de kaart, 1 per telefoon of online."
    assert "#### Opvoedspreekuur CJG" in _markdown(at)  # the card of the selected service


def test_an_area_from_the_url_links_to_its_profile(monkeypatch):
    at = _page(monkeypatch, "sociale_kaart", area="WK999102")
    assert "**Oostwijk** (wijk WK999102)" in _markdown(at)


def test_the_area_profile_shows_figures_gaps_practices_and_the_comparison(monkeypatch):
    at = _page(monkeypatch, "wijkprofiel", code="WK999102")
    assert at.header[0].value == "Oostwijk"
    assert [m.value for m in at.metric] == ["8.000", "1.000", "1.000", "3"]
    # three real services: too few to say whether anything is missing
    assert [i.value for i in at.info if "Of er" in i.value] == [
        "Of er binnen 3,0 km voor elke soort hulp iets is, weten we niet: te weinig echte gegevens (n = 3)."]
    practices = next(d.value for d in at.dataframe if "Praktijk" in d.value.columns)
    assert practices.to_dict("records") == [{"Praktijk": "Huisartsenpraktijk voorbeeld West",
                                             "Adres": "voorbeeldadres, Testgemeente", "Jeugdprofessional": "POH Jeugd",
                                             "Dagen in de praktijk": "dinsdag, donderdag", "Afstand": "1,0 km"}]
    compare = at.dataframe[-1].value
    assert list(compare["Wijk"]) == ["Westwijk", "Oostwijk"]
    assert at.get("download_button")[0].proto.label == "Download als CSV"


def test_a_smaller_distance_in_the_profile_shows_more_gaps(monkeypatch):
    at = _page(monkeypatch, "wijkprofiel", region=HONEST, code="WK999101")
    assert not [w.value for w in at.warning if "Vrij toegankelijk" in w.value]
    at.slider(key=state.MAP_PROFILE_DISTANCE).set_value(2000).run()
    assert [w.value for w in at.warning if "Binnen 2,0 km" in w.value and "Vrij toegankelijk" in w.value]


def test_a_buurt_profile_uses_the_figures_of_its_wijk(monkeypatch):
    at = _page(monkeypatch, "wijkprofiel", code="BU99910101")
    assert at.header[0].value == "Westbuurt Zuid"
    assert "Voor deze buurt heeft het CBS geen cijfers. De cijfers zijn van de wijk Westwijk." in [
        c.value for c in at.caption]


def test_an_unknown_code_in_the_profile_url_is_explained(monkeypatch):
    at = _page(monkeypatch, "wijkprofiel", code="WK123456")
    assert [e.value for e in at.error][0].startswith("area\\_code 'WK123456' is not a CBS gemeente")
    assert at.header[0].value == "Westwijk"  # falls back to the first wijk


def test_the_coverage_page_draws_the_choropleth_and_explains_it(monkeypatch):
    at = _page(monkeypatch, "dekking", region=HONEST)
    assert at.title[0].value == "Dekking lichte hulp"
    assert len(at.get("deck_gl_json_chart")) == 1
    assert ("Van de 2 wijken hebben er **0** geen eigen echte lichte hulp en is bij **1** de dichtstbijzijnde "
            "echte lichte hulp verder dan 3 km (n = 5 echte diensten).") in _markdown(at)
    at.slider(key=state.MAP_DEKKING_DISTANCE).set_value(750).run()
    assert ("Van de 2 wijken hebben er **0** geen eigen echte lichte hulp en is bij **2** de dichtstbijzijnde "
            "echte lichte hulp verder dan 0,75 km (n = 5 echte diensten).") in _markdown(at)


def test_the_coverage_page_says_too_few_real_data_instead_of_a_figure(monkeypatch):
    at = _page(monkeypatch, "dekking")
    assert ("Hoeveel wijken lichte hulp missen, weten we niet: te weinig echte gegevens (n = 1).") in _markdown(at)
    assert ("Wijken met minder dan 5 echte diensten met lichte hulp zijn grijs: te weinig echte gegevens om iets "
            "te zeggen (2 van de 2 wijken).") in [c.value for c in at.caption]


def test_the_map_component_loads_only_the_vendored_leaflet_and_gets_its_data_apart_from_the_base_map(monkeypatch):
    import json

    at = _page(monkeypatch, "sociale_kaart")
    [component] = at.get("component_instance")
    assert component.proto.component_name == "streamlit_folium.st_folium"
    args = json.loads(component.proto.json_args)
    assert args["js_links"] == ["/app/static/vendor/leaflet-1.9.3/leaflet.js"]
    assert args["css_links"] == ["/app/static/vendor/leaflet-1.9.3/leaflet.css"]
    # a click, and the view (bounds, zoom) that decides what the map gets
    assert args["returned_objects"] == ["last_active_drawing", "bounds", "zoom"]
    assert "http://" not in args["script"] and "https://" not in args["script"]  # tiles off in tests
    # the base map holds no data; the services and outlines come as data in the feature group
    assert "Opvoedspreekuur" not in args["script"] and "socialmap-legend" in args["script"]
    assert "Opvoedspreekuur" in args["feature_group"] or "CJG" in args["feature_group"]
