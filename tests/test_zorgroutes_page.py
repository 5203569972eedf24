"""The Zorgroutes page (AppTest, on the small fixture region)."""

from __future__ import annotations

import io

import pyarrow as pa
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from socialmap import routeatlas
from socialmap.ui import state

from conftest import ROOT, VALID_MINI

PAGE = str(ROOT / "views" / "zorgroutes.py")


@pytest.fixture
def app(monkeypatch) -> AppTest:
    monkeypatch.setenv("SOCIALMAP_REGION", str(VALID_MINI))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _charts(at: AppTest) -> list:
    frames = []
    for chart in at.get("vega_lite_chart"):
        for ds in chart.proto.datasets:
            frames.append(pa.ipc.open_stream(io.BytesIO(ds.data.data)).read_all().to_pandas())
    return frames


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_page_shows_all_five_sections_the_ladder_and_the_route_diagram(app):
    assert [tab.label for tab in app.tabs] == [
        "De ladder", "Wat de evaluaties vonden", "Wie bel ik voor ...?", "Oefenen", "Inwerkblad per wijk"]
    dot = app.get("graphviz_chart")[0].proto.spec
    assert '"gp_practice" -> "basic_mh"' in dot and '"gp_practice" -> "crisis"' in dot
    subheaders = [s.value for s in app.subheader]
    assert "2 · Praktijkondersteuner jeugd bij de huisarts" in subheaders
    assert "🚨 Direct hulp / veiligheid" in subheaders
    # the only POH with a waiting time is an example: too few real data
    assert "**Wachttijd in de regio:** te weinig echte gegevens (n = 0)" in _markdown(app)
    assert "Diensten in de regio op dit niveau: 0 echte, 1 voorbeelden" in [e.label for e in app.expander]
    assert "Diensten in de regio op dit niveau: 2 echte, 0 voorbeelden" in [e.label for e in app.expander]


def test_the_plotted_numbers_equal_the_data_file_and_every_chart_names_its_source(app):
    raw = yaml.safe_load((ROOT / "data" / "atlas" / "evaluations.yaml").read_text(encoding="utf-8"))
    expected = [[f["value"] for f in s["figures"] if f.get("chart") and f["unit"] == "percent"]
                for s in raw["studies"]]
    plotted = [frame["value"].tolist() for frame in _charts(app)]
    assert plotted == [e for e in expected if e]
    text = _markdown(app)
    for study in raw["studies"]:
        assert study["title"] in text.replace("\\", "")
    assert text.count("jaartal niet bekend") == 2


def test_who_do_i_call_shows_the_local_service_access_and_contact_in_one_step(app):
    app.selectbox(key=state.ATLAS_CALL_CONCERN).set_value("parenting")
    app.number_input(key=state.ATLAS_CALL_AGE).set_value(6)
    app.run()
    text = _markdown(app)
    assert "#### Vrij toegankelijk — begin hier" in text
    assert "**Opvoedspreekuur CJG**" in text
    assert "**Toegang:** Vrij toegankelijk, zonder verwijzing" in text and "(tel:0231234567)" in text


def test_who_do_i_call_with_a_postcode_outside_the_region_says_so(app):
    app.text_input(key=state.ATLAS_CALL_POSTCODE).set_value("1011 AB")
    app.run()
    assert [w.value for w in app.warning if "Direct hulp nodig" not in w.value][0].startswith("postcode '1011 AB' is outside region Testgemeente \\(fixture\\)")


def test_practice_mode_scores_an_exact_pick_shows_the_reasons_and_moves_on(app):
    first = routeatlas.load_vignettes()[0]
    app.radio(key=state.ATLAS_PRACTICE_PICK).set_value(first.expected_level)
    app.button(key="atlas_practice_check").click()
    app.run()
    assert [s.value for s in app.success] == ["Precies goed: Vrij toegankelijk. 2 van 2 punten."]
    assert "**Waarom:**" in _markdown(app)
    assert app.session_state[state.ATLAS_PRACTICE_SCORE] == {"points": 2, "max": 2, "cases": 1}
    app.button(key="atlas_practice_next").click()
    app.run()
    assert app.session_state[state.ATLAS_PRACTICE_INDEX] == 1
    assert app.radio(key=state.ATLAS_PRACTICE_PICK).value is None
    assert not app.success


def test_practice_mode_gives_zero_and_a_warning_when_a_crisis_is_missed(monkeypatch):
    monkeypatch.setenv("SOCIALMAP_REGION", str(VALID_MINI))
    index = [v.id for v in routeatlas.load_vignettes()].index("v12-krassen")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[state.ATLAS_PRACTICE_INDEX] = index
    at.run()
    at.radio(key=state.ATLAS_PRACTICE_PICK).set_value("gp_practice")
    at.button(key="atlas_practice_check").click()
    at.run()
    assert [e.value for e in at.error] == [
        "Crisis gemist: u koos Praktijkondersteuner jeugd bij de huisarts, maar hier gaat veiligheid voor "
        "(Direct hulp / veiligheid). 0 punten."]
    assert any(w.value.startswith("Bij een rode vlag") for w in at.warning)
    assert at.session_state[state.ATLAS_PRACTICE_SCORE] == {"points": 0, "max": 2, "cases": 1}


def test_the_onboarding_tab_shows_the_printable_sheet_and_offers_the_pdf(app):
    app.selectbox(key=state.ATLAS_SHEET_WIJK).set_value("WK999101")
    app.run()
    body = app.get("html")[0].proto.body
    assert "Inwerkblad jeugd: Westwijk" in body and "POH Jeugd voorbeeld West" in body
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Download PDF", "Download als tekst"]


def test_the_page_speaks_english_when_asked(monkeypatch):
    monkeypatch.setenv("SOCIALMAP_REGION", str(VALID_MINI))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[state.LANG] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Youth care routes"
    assert [tab.label for tab in at.tabs][1] == "What the evaluations found"
    assert "year not known" in _markdown(at)


def _without_phone(folder):
    services = folder / "services.csv"
    text = services.read_text(encoding="utf-8")
    old = "GM9991,023-1234567,,https://cjg.example.nl,verified"
    assert old in text
    services.write_text(text.replace(old, "GM9991,,,https://cjg.example.nl/a_b,verified"), encoding="utf-8")
    return folder


def test_an_empty_phone_is_left_out_and_never_shown_as_nan(monkeypatch, mini_region):
    monkeypatch.setenv("SOCIALMAP_REGION", str(_without_phone(mini_region)))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    lines = [m.value for m in at.markdown if "**Opvoedspreekuur CJG** —" in m.value]
    assert lines and all(line.endswith(" — Vrij toegankelijk, zonder verwijzing · https://cjg.example.nl/a\\_b") for line in lines)
    assert not any("nan" in line for line in lines)
