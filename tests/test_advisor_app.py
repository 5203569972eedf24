"""The Hulpwijzer and Routekaart pages, driven through Streamlit's AppTest."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, SHIPPED, VALID_MINI
from socialmap.curation import suggestions
from socialmap.ui import common, state
from socialmap.ui.curation import global_limiter

WAITING = "Vul leeftijd, zorgen, impact en duur in. Dan verschijnt het advies hier."
BRIDGE = "⏳ Moet u langer dan 4 weken wachten?"
EMPHASIS = "U gaf aan dat er direct gevaar kan zijn. Bel nu. Wacht niet op een afspraak."


def _app(monkeypatch: pytest.MonkeyPatch, region: Path = SHIPPED, page: str = "hulpwijzer",
         query: dict[str, str] | None = None) -> AppTest:
    monkeypatch.setenv("SOCIALMAP_REGION", str(region))
    monkeypatch.setenv("SOCIALMAP_TILES", "none")
    monkeypatch.delenv("SOCIALMAP_PUBLIC_URL", raising=False)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    for key, value in (query or {}).items():  # the root URL redirects to the start page: again with the switch
        at.query_params[key] = value
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _card(at: AppTest) -> str:
    """The HTML of the printable route card."""
    return next(h.proto.body for h in at.get("html") if 'class="sm-card"' in h.proto.body)


def _walk(node):
    """Leaf elements of the page in screen order."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for key in sorted(children):
            yield from _walk(children[key])
    else:
        yield node


def _texts(at: AppTest) -> list[str]:
    out = []
    for el in _walk(at.main):
        value = getattr(el, "value", None)
        if el.type in ("markdown", "caption", "subheader", "title", "header", "alert", "error", "warning", "info",
                       "success") or isinstance(value, str):
            out.append(str(value) if value is not None else "")
        elif el.type == "progress":
            out.append(el.proto.text)
    return out


def _text(at: AppTest) -> str:
    """All text of the page, with markdown escapes removed."""
    return re.sub(r"\\(.)", r"\1", "\n".join(_texts(at)))


def _service_cards(at: AppTest) -> list[str]:
    return [c.key for c in at.checkbox if c.key and c.key.startswith("_adv_pick_")]


def _quick_flow(at: AppTest, postcode: str, *, age=10, concern="anxiety", impact="moderate", duration="months"):
    """The GP's interactions in the quick mode, each one user action followed by a rerun."""
    return [
        lambda: at.text_input(key="_adv_q_postcode").input(postcode).run(),
        lambda: at.number_input(key="_adv_q_age").set_value(age).run(),
        lambda: at.multiselect(key="_adv_q_concerns").select(concern).run(),
        lambda: at.segmented_control(key="_adv_q_impact").set_value(impact).run(),
        lambda: at.segmented_control(key="_adv_q_duration").set_value(duration).run(),
    ]


# ---- quick mode (GP / POH) -------------------------------------------------------------------

def test_the_gp_reaches_a_route_with_three_local_services_in_at_most_six_interactions(monkeypatch):
    at = _app(monkeypatch)
    assert at.segmented_control(key=state.ADVISOR_MODE).value == "snel"
    interactions = _quick_flow(at, "2035")
    for done, interact in enumerate(interactions, start=1):
        if done == len(interactions):
            assert WAITING in _text(at)  # no advice before the last required answer
        interact()
        assert not at.exception, [e.value for e in at.exception]
    assert len(interactions) == 5 <= 6
    text = _text(at)
    assert "Advies: Praktijkondersteuner jeugd bij de huisarts" in text
    assert WAITING not in text
    assert "Hulp in de buurt van Romolenpolder-oost (Haarlem)" in text
    assert 3 <= len(_service_cards(at)) <= 5
    assert "Waarom dit advies" in text and "Via uw huisarts." in text


def test_a_red_flag_in_quick_mode_puts_the_crisis_panel_on_top_of_the_result(monkeypatch):
    at = _app(monkeypatch)
    at.multiselect(key="_adv_q_red_flags").select("self_harm").run()
    texts = _texts(at)
    crisis = next(i for i, t in enumerate(texts) if EMPHASIS in t)
    advice = texts.index("Advies: Direct hulp / veiligheid")
    assert crisis < advice
    assert len(_service_cards(at)) >= 3


@pytest.mark.parametrize("postcode,message", [
    ("1011", "Postcode '1011' ligt niet in regio Kennemerland (Haarlem en Zandvoort). Deze sociale kaart gaat over "
             "Haarlem, Zandvoort (postcodes 2011-2015, 2019, 2021-2026, 2031-2037, 2041-2042, 2063, 2116). Woont u ergens anders? Vraag uw huisarts of kijk op "
             "de website van uw gemeente."),
    ("Haarlem", "'Haarlem' is geen postcode. Vul 4 cijfers in, eventueel met 2 letters, bijvoorbeeld 2035 of 2035 AB."),
])
def test_an_invalid_postcode_gets_a_friendly_message_naming_the_value(monkeypatch, postcode, message):
    at = _app(monkeypatch)
    for interact in _quick_flow(at, postcode):
        interact()
    assert not at.exception
    assert [e.value for e in at.error] == [common.md_escape(message)]
    assert "Advies: Praktijkondersteuner jeugd bij de huisarts" in _text(at)  # the advice itself still shows
    assert _service_cards(at) == []


def test_the_professionals_choice_is_shown_next_to_the_advice_and_drives_the_matching(monkeypatch):
    at = _app(monkeypatch, VALID_MINI)
    for interact in _quick_flow(at, "9991", concern="parenting"):
        interact()
    assert "Advies: Praktijkondersteuner jeugd bij de huisarts" in _text(at)
    assert _service_cards(at) == []  # the mini region has no POH for parenting
    at.selectbox(key="_adv_override_level").set_value("open_access").run()
    assert "Vul een reden in. Dan gebruiken we uw keuze." in [w.value for w in at.warning]
    assert "Keuze van de professional" not in _text(at)
    at.text_input(key="_adv_override_reason").input("Ouders willen eerst het CJG").run()
    text = _text(at)
    assert "Advies van de hulpwijzer" in text and "Keuze van de professional" in text
    assert "**Vrij toegankelijk**" in text and "**Praktijkondersteuner jeugd bij de huisarts**" in text
    assert "Reden: Ouders willen eerst het CJG" in text
    assert _service_cards(at) == ["_adv_pick_svc-cjg"]
    query = parse_qs(at.get("page_link")[-1].proto.query_string)
    assert query["o"] == ["open_access"] and "r" not in query  # the reason never goes into the link
    assert query["s"] == ["svc-cjg"]
    assert at.session_state[state.ADVISOR_OVERRIDE_REASON] == {
        "a": query["a"][0], "o": "open_access", "r": "Ouders willen eerst het CJG"}


def _with_wait(tmp: Path, weeks: int) -> Path:
    services = tmp / "services.csv"
    text = services.read_text(encoding="utf-8")
    old = "anxiety;low_mood;behaviour,poh_jeugd,4,18,nl,free,2,"
    assert old in text
    services.write_text(text.replace(old, f"anxiety;low_mood;behaviour,poh_jeugd,4,18,nl,free,{weeks},"), encoding="utf-8")
    return tmp


@pytest.mark.parametrize("weeks,shown", [(8, True), (4, False)])
def test_bridging_advice_is_shown_when_the_wait_at_the_advised_level_exceeds_4_weeks(monkeypatch, mini_region, weeks, shown):
    at = _app(monkeypatch, _with_wait(mini_region, weeks))
    for interact in _quick_flow(at, "9991"):
        interact()
    text = _text(at)
    assert "Advies: Praktijkondersteuner jeugd bij de huisarts" in text
    assert (BRIDGE in text) is shown
    assert ("Kom eerder terug of bel direct als" in text) is shown


def test_the_route_card_link_carries_the_answers_and_the_ticked_services(monkeypatch):
    at = _app(monkeypatch)
    for interact in _quick_flow(at, "2035 ab"):
        interact()
    picks = _service_cards(at)
    ticked = [k for k in picks if at.checkbox(key=k).value]
    assert len(picks) == 5 and len(ticked) == 3  # the first three are ticked by default
    at.checkbox(key=ticked[0]).uncheck().run()
    link = at.get("page_link")[-1].proto
    assert link.page == "routekaart"
    query = parse_qs(link.query_string)
    assert query["a"] == ["2-10-an-2-1----2035"]  # PC4 only: the letters stay in this session
    assert sorted(query["s"][0].split(".")) == sorted(k.removeprefix("_adv_pick_") for k in ticked[1:])


def test_a_reopened_link_fills_in_the_same_answers(monkeypatch):
    at = _app(monkeypatch, query={"a": "1-10-an-2-1----2035"})
    assert at.text_input(key="_adv_q_postcode").value == "2035"
    assert at.number_input(key="_adv_q_age").value == 10
    assert at.multiselect(key="_adv_q_concerns").value == ["anxiety"]
    assert "Advies: Praktijkondersteuner jeugd bij de huisarts" in _text(at)


def test_the_quick_mode_speaks_english_with_lang_en(monkeypatch):
    at = _app(monkeypatch, query={"lang": "en"})
    for interact in _quick_flow(at, "2035"):
        interact()
    text = _text(at)
    assert "Advice: Youth practice nurse at the GP" in text
    assert "Why this advice" in text and "Through your GP." in text


# ---- step by step (parents) ------------------------------------------------------------------

def _step_app(monkeypatch, region: Path = SHIPPED) -> AppTest:
    at = _app(monkeypatch, region, query={"mode": "stap"})
    assert at.segmented_control(key=state.ADVISOR_MODE).value == "stap"
    return at


def _next(at: AppTest) -> None:
    at.button(key="_adv_next").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_step_by_step_asks_the_safety_question_first_and_walks_forward_and_back(monkeypatch):
    at = _step_app(monkeypatch)
    assert at.header[0].value == "Is iemand nu in gevaar?"
    assert "Vraag 1 van 8" in _texts(at)
    _next(at)  # no answer yet: stay and say why
    assert at.header[0].value == "Is iemand nu in gevaar?"
    assert [w.value for w in at.warning if "Direct hulp nodig" not in w.value] == ["Kies eerst een antwoord. Dan kunt u verder."]
    at.radio(key="_adv_s_danger").set_value("no").run()
    _next(at)
    assert at.header[0].value == "Wat is uw postcode?" and "Vraag 2 van 8" in _texts(at)
    at.text_input(key="_adv_s_postcode").input("2035").run()
    _next(at)
    assert at.header[0].value == "Hoe oud is uw kind?"
    at.number_input(key="_adv_s_age").set_value(10).run()
    _next(at)
    assert at.header[0].value == "Waar maakt u zich zorgen over?"
    _next(at)  # required: stays
    assert at.header[0].value == "Waar maakt u zich zorgen over?"
    at.button(key="_adv_back").click().run()
    assert at.header[0].value == "Hoe oud is uw kind?"
    assert at.number_input(key="_adv_s_age").value == 10  # the answer is kept
    _next(at)
    at.pills(key="_adv_s_concerns").set_value(["anxiety"]).run()
    _next(at)
    assert at.header[0].value == "Hoeveel last heeft uw kind ervan?"
    at.radio(key="_adv_s_impact").set_value("moderate").run()
    _next(at)
    at.radio(key="_adv_s_duration").set_value("months").run()
    _next(at)
    assert at.header[0].value == "Welke hulp heeft u al geprobeerd?"
    _next(at)  # optional: may be skipped
    assert at.header[0].value == "Speelt er ook iets anders in het gezin?"
    assert at.button(key="_adv_next").label == "Bekijk het advies →"
    _next(at)
    text = _text(at)
    assert "Uw advies" in _texts(at)
    assert "Advies: Praktijkondersteuner jeugd bij de huisarts" in text
    assert len(_service_cards(at)) >= 3
    at.button(key="_adv_back_result").click().run()
    assert at.header[0].value == "Speelt er ook iets anders in het gezin?"


def test_a_postcode_outside_the_region_stops_the_step_with_a_friendly_message(monkeypatch):
    at = _step_app(monkeypatch)
    at.radio(key="_adv_s_danger").set_value("no").run()
    _next(at)
    at.text_input(key="_adv_s_postcode").input("9999").run()
    _next(at)
    assert at.header[0].value == "Wat is uw postcode?"
    assert at.error[0].value.startswith("Postcode '9999' ligt niet in regio Kennemerland")


def test_danger_in_step_by_step_shows_the_crisis_panel_first_and_the_crisis_route(monkeypatch):
    at = _step_app(monkeypatch)
    at.radio(key="_adv_s_danger").set_value("yes").run()
    texts = _texts(at)
    crisis = next(i for i, t in enumerate(texts) if EMPHASIS in t)
    question = texts.index("Is iemand nu in gevaar?")
    assert crisis < question  # the crisis numbers come before anything else
    assert "Advies: Direct hulp / veiligheid" in texts
    assert len(_service_cards(at)) >= 3
    assert "113 Zelfmoordpreventie" in _text(at)
    at.pills(key="_adv_s_red_flags").set_value(["suicidality"]).run()
    assert "Uw kind denkt aan zelfdoding." in _text(at)
    at.radio(key="_adv_s_danger").set_value("no").run()
    assert "Advies: Direct hulp / veiligheid" not in _texts(at)


# ---- the route card page ---------------------------------------------------------------------

def test_the_route_card_page_shows_the_advice_services_crisis_numbers_and_a_pdf(monkeypatch):
    at = _app(monkeypatch, page="routekaart",
              query={"a": "1-10-an-2-1----2035", "s": "svc-113-zelfmoordpreventie.svc-kindertelefoon"})
    body = _card(at)
    assert "Praktijkondersteuner jeugd bij de huisarts" in body
    assert "113 Zelfmoordpreventie" in body and "Kindertelefoon" in body
    assert "0800-2000" in body and 'src="data:image/png;base64,' in body
    assert "http://localhost:8501/routekaart?a=2-10-an-2-1----2035&amp;s=svc-113-zelfmoordpreventie.svc-kindertelefoon" in body
    assert [b.label for b in at.get("download_button")] == ["Download als PDF"]


def test_the_route_card_uses_the_public_url_for_its_qr_link(monkeypatch):
    monkeypatch.setenv("SOCIALMAP_PUBLIC_URL", "https://kaart.example.nl/")
    at = _app(monkeypatch, page="routekaart", query={"a": "1-10-an-2-1----2035", "s": "svc-kindertelefoon"})
    monkeypatch.setenv("SOCIALMAP_PUBLIC_URL", "https://kaart.example.nl/")
    at.run()
    assert "https://kaart.example.nl/routekaart?a=2-10-an-2-1----2035&amp;s=svc-kindertelefoon" in _card(at)


def test_notes_typed_on_the_route_card_go_on_the_card_and_are_escaped(monkeypatch):
    at = _app(monkeypatch, page="routekaart", query={"a": "1-10-an-2-1----2035", "s": "svc-kindertelefoon"})
    at.text_area(key=state.ADVISOR_NOTES).input("<b>Dinsdag</b> POH").run()
    body = _card(at)
    assert "&lt;b&gt;Dinsdag&lt;/b&gt; POH" in body and "<b>Dinsdag</b>" not in body


def test_a_broken_route_card_link_gets_a_plain_message(monkeypatch):
    at = _app(monkeypatch, page="routekaart", query={"a": "1-10-zz-2-1----2035"})
    assert [e.value for e in at.error] == [
        "Deze link is niet compleet of klopt niet \\(concerns=zz\\). Vul de vragen opnieuw in via de Hulpwijzer."]


def test_the_route_card_without_a_link_points_to_the_hulpwijzer(monkeypatch):
    at = _app(monkeypatch, page="routekaart")
    assert [i.value for i in at.info] == ["Hier komt uw routekaart. Vul eerst de vragen in bij de Hulpwijzer."]


def test_the_route_card_is_english_with_lang_en(monkeypatch):
    at = _app(monkeypatch, page="routekaart", query={"a": "1-10-an-2-1----2035", "lang": "en"})
    body = _card(at)
    assert "Route card" in body and "Why this advice" in body and "Need help right now?" in body
    assert "lang=en" in body


# ---- safety first wherever the red flags come from -------------------------------------------

def _leaves(at: AppTest) -> list[tuple[str, str]]:
    """(type, key or text) of every leaf element, in screen order."""
    out = []
    for el in _walk(at.main):
        key = getattr(el, "key", None)
        value = getattr(el, "value", None)
        out.append((el.type, key or (value if isinstance(value, str) else "")))
    return out


def _first(leaves: list[tuple[str, str]], predicate) -> int:
    return next(i for i, leaf in enumerate(leaves) if predicate(leaf))


def test_a_red_flag_in_quick_mode_puts_the_crisis_panel_above_the_questions_once(monkeypatch):
    at = _app(monkeypatch)
    at.multiselect(key="_adv_q_red_flags").select("self_harm").run()
    leaves = _leaves(at)
    crisis = _first(leaves, lambda leaf: EMPHASIS in leaf[1])
    postcode = _first(leaves, lambda leaf: leaf[1] == "_adv_q_postcode")
    assert crisis < postcode
    assert sum(EMPHASIS in leaf[1] for leaf in leaves) == 1
    assert "Advies: Direct hulp / veiligheid" in _texts(at)


def test_red_flags_from_quick_mode_open_the_step_mode_on_the_crisis_route(monkeypatch):
    at = _app(monkeypatch)
    at.multiselect(key="_adv_q_red_flags").select("self_harm").run()
    at.segmented_control(key=state.ADVISOR_MODE).set_value("stap").run()
    assert not at.exception
    assert at.session_state[state.ADVISOR_DANGER] == "yes" and at.session_state[state.ADVISOR_STEP] == 0
    texts = _texts(at)
    crisis = next(i for i, t in enumerate(texts) if EMPHASIS in t)
    assert crisis < texts.index("Is iemand nu in gevaar?")
    assert "Advies: Direct hulp / veiligheid" in texts
    assert at.radio(key="_adv_s_danger").value == "yes"


def test_a_link_with_a_red_flag_loaded_mid_flow_restarts_the_steps_on_the_crisis_route(monkeypatch):
    at = _step_app(monkeypatch)
    at.radio(key="_adv_s_danger").set_value("no").run()
    _next(at)
    assert at.header[0].value == "Wat is uw postcode?"
    at.query_params["a"] = "1-----sh---2035"
    at.run()
    assert not at.exception
    assert at.session_state[state.ADVISOR_STEP] == 0 and at.session_state[state.ADVISOR_DANGER] == "yes"
    texts = _texts(at)
    crisis = next(i for i, t in enumerate(texts) if EMPHASIS in t)
    assert crisis < texts.index("Is iemand nu in gevaar?")
    assert "Advies: Direct hulp / veiligheid" in texts


# ---- links from outside ----------------------------------------------------------------------

CRAFTED = "[Bel_nu_0900](https://evil.example/x)"
CRAFTED_SHOWN = ("Deze link is niet compleet of klopt niet \\(\\[Bel\\_nu\\_0900\\]\\(https???evil?example?x\\)\\). "
                 "Vul de vragen opnieuw in via de Hulpwijzer.")


@pytest.mark.parametrize("page", ["hulpwijzer", "routekaart"])
def test_a_crafted_link_is_shown_as_escaped_text_and_never_as_a_link(monkeypatch, page):
    at = _app(monkeypatch, page=page, query={"a": CRAFTED})
    assert [e.value for e in at.error] == [CRAFTED_SHOWN]
    value = at.error[0].value
    assert "\\[" in value and re.search(r"(?<!\\)\]\(", value) is None  # no [text](url)
    assert "://" not in value and "evil.example" not in value  # nothing a renderer would autolink


def test_the_hulpwijzer_takes_the_answers_out_of_the_address_bar_after_loading_them(monkeypatch):
    at = _app(monkeypatch, query={"a": "1-10-an-2-1----2035"})
    assert "a" not in at.query_params
    assert at.text_input(key="_adv_q_postcode").value == "2035"
    at.run()  # a later rerun keeps the answers
    assert at.number_input(key="_adv_q_age").value == 10
    assert "Advies: Praktijkondersteuner jeugd bij de huisarts" in _text(at)


def test_the_route_card_shows_the_reason_only_in_the_session_that_chose_it(monkeypatch):
    at = _app(monkeypatch, VALID_MINI)
    for interact in _quick_flow(at, "9991 AB", concern="parenting"):
        interact()
    at.selectbox(key="_adv_override_level").set_value("open_access").run()
    at.text_input(key="_adv_override_reason").input("Ouders willen eerst het CJG").run()
    query = {k: v[0] for k, v in parse_qs(at.get("page_link")[-1].proto.query_string).items()}
    assert query == {"a": "2-10-pa-2-1----9991", "s": "svc-cjg", "o": "open_access"}
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("views/routekaart.py").run()
    body = _card(at)
    assert "Keuze van de professional" in body and "Ouders willen eerst het CJG" in body
    assert "http://localhost:8501/routekaart?a=2-10-pa-2-1----9991&amp;s=svc-cjg&amp;o=open_access" in body

    fresh = _app(monkeypatch, VALID_MINI, page="routekaart", query=query)  # e.g. the parent scanning the QR code
    body = _card(fresh)
    assert "Keuze van de professional" in body and "Ouders willen eerst het CJG" not in body


def test_a_public_url_that_is_not_http_is_ignored(monkeypatch):
    at = _app(monkeypatch, page="routekaart", query={"a": "1-10-an-2-1----2035"})
    monkeypatch.setenv("SOCIALMAP_PUBLIC_URL", "javascript:alert(1)//")
    at.run()
    body = _card(at)
    assert "http://localhost:8501/routekaart?a=2-10-an-2-1----2035" in body and "javascript" not in body


# ---- "Meld een fout" on the result's service cards -------------------------------------------

def test_every_service_card_of_the_result_has_a_report_error_button(monkeypatch):
    at = _app(monkeypatch)
    for interact in _quick_flow(at, "2035"):
        interact()
    picks = [k.removeprefix("_adv_pick_") for k in _service_cards(at)]
    assert len(picks) == 5
    assert [p.proto.popover.label for p in at.get("popover")] == ["Meld een fout"] * 5
    assert [f.proto.form.form_id for f in at.get("form")] == [f"report_error_{sid}" for sid in picks]
