"""The Hulpwijzer and Routekaart pages, driven through Streamlit's AppTest."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from conftest import FIXTURES, ROOT, SHIPPED, VALID_MINI
from socialmap import i18n
from socialmap.ui import common, state

EMPHASIS = "U gaf aan dat er direct gevaar kan zijn. Bel nu. Wacht niet op een afspraak."
GP_TITLE = "Maak een afspraak met de praktijkondersteuner jeugd van uw huisarts"
REAL = FIXTURES / "regions" / "practices_real"


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
    """The selectable service cards (their checkboxes' keys)."""
    return [c.key for c in at.checkbox if c.key and c.key.startswith("_adv_pick_") and not c.key.endswith("_off")]


def _disabled_cards(at: AppTest) -> list[str]:
    return [c.label for c in at.checkbox if c.key and c.key.endswith("_off")]


def _card_links(at: AppTest) -> list[dict[str, str]]:
    """The query of each route-card link (the Routekaart and the Printen button)."""
    return [{k: v[0] for k, v in parse_qs(p.proto.query_string).items()} for p in at.get("page_link")
            if "routekaart" in p.proto.page]


def _quick_flow(at: AppTest, postcode: str, *, age=10, concern="anxiety", impact="moderate", duration="months"):
    """The GP's interactions in the quick mode, each one user action followed by a rerun."""
    return [
        lambda: at.text_input(key="_adv_q_postcode").input(postcode).run(),
        lambda: at.number_input(key="_adv_q_age").set_value(age).run(),
        lambda: at.pills(key="_adv_q_concerns").set_value([concern]).run(),
        lambda: at.segmented_control(key="_adv_q_impact").set_value(impact).run(),
        lambda: at.segmented_control(key="_adv_q_duration").set_value(duration).run(),
    ]


# ---- quick mode (GP / POH) -------------------------------------------------------------------

def test_the_gp_reaches_an_action_with_urgency_and_route_card_buttons_in_five_answers(monkeypatch):
    at = _app(monkeypatch)
    assert at.segmented_control(key=state.ADVISOR_MODE).value == "snel"
    interactions = _quick_flow(at, "2035")
    for done, interact in enumerate(interactions, start=1):
        if done == len(interactions):
            assert "Nog nodig voor een advies: Duur." in _text(at)  # no advice before the last answer
        interact()
        assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    assert GP_TITLE in [h.value for h in at.header]
    assert "Hoe snel: geen haast: maak een afspraak" in "\n".join(h.proto.body for h in at.get("html"))
    assert "Wanneer eerder bellen?" in text
    links = _card_links(at)
    assert [lk.get("print") for lk in links] == [None, "1"]
    assert links[0]["a"] == "2-10-an-2-1----2035"
    assert _service_cards(at), "at least one real service to choose"


def test_a_red_flag_puts_that_flags_contacts_first_and_keeps_the_treatment_route(monkeypatch):
    at = _app(monkeypatch)
    at.text_input(key="_adv_q_postcode").input("2033").run()
    at.number_input(key="_adv_q_age").set_value(2).run()
    at.multiselect(key="_adv_q_red_flags").select("unsafe_home").run()
    texts = _texts(at)
    crisis = next(i for i, t in enumerate(texts) if EMPHASIS in t)
    assert "Bel eerst: **Veilig Thuis** [0800-2000]" in texts[crisis].replace("\\", "")
    title = texts.index("Bel vandaag Veilig Thuis (0800-2000)")
    assert crisis < title
    lanes = [s.value for s in at.subheader]
    assert lanes[0] == "Direct hulp, in deze volgorde" and len(lanes) >= 3  # the crisis lane, then the route after it
    first_card = next(h.proto.body for h in at.get("html") if 'class="sm-svc-name"' in h.proto.body)
    assert "Veilig Thuis" in first_card


def test_illustrative_services_are_shown_greyed_with_the_reason_and_never_ticked(monkeypatch):
    at = _app(monkeypatch)
    for interact in _quick_flow(at, "2021", age=4, concern="parenting", impact="mild", duration="weeks"):
        interact()
    disabled = _disabled_cards(at)
    assert disabled and all(label.startswith("Zet ") and label.endswith(" op de routekaart") for label in disabled)
    assert "Voorbeeld, geen echte hulp: kan niet op de routekaart." in _text(at)
    picked = _card_links(at)[0].get("s", "").split(".")
    shipped = common.get_atlas(str(SHIPPED))
    assert picked and all(shipped.services.at[sid, "status"] != "illustrative" for sid in picked)


@pytest.mark.parametrize("postcode,message", [
    ("1011", "Postcode '1011' ligt niet in een regio van deze sociale kaart. De kaart gaat over: Maastricht-Heuvelland "
             "(Maastricht, Meerssen, Valkenburg aan de Geul, Eijsden-Margraten; postcodes 6211-6219, 6221-6229, 6231, "
             "6235, 6237, 6241, 6243, 6245, 6247, 6251-6252, 6255, 6261-6262, 6265, 6267-6269, 6301, 6305, 6307, 6325, "
             "6341-6342); Kennemerland (Haarlem en Zandvoort) (Haarlem, Zandvoort; postcodes 2011-2015, 2019, "
             "2021-2026, 2031-2037, 2041-2042, 2063, 2116). Woont u ergens anders? Vraag uw huisarts of kijk op de "
             "website van uw gemeente."),
    ("Haarlem", "'Haarlem' is geen postcode. Vul 4 cijfers in, eventueel met 2 letters, bijvoorbeeld 2035 of 2035 AB."),
])
def test_an_invalid_postcode_gets_a_friendly_message_naming_the_value(monkeypatch, postcode, message):
    at = _app(monkeypatch)
    at.text_input(key="_adv_q_postcode").input(postcode).run()
    assert [e.value.replace("\\", "") for e in at.error] == [message]  # said once, where the postcode is typed


def test_the_professionals_choice_with_a_reason_drives_the_route(monkeypatch):
    at = _app(monkeypatch, VALID_MINI)
    for interact in _quick_flow(at, "9991 AB", concern="parenting"):
        interact()
    at.selectbox(key="_adv_override_level").set_value("open_access").run()
    assert "Vul een reden in. Dan gebruiken we uw keuze." in _text(at)
    at.text_input(key="_adv_override_reason").input("Ouders willen eerst het CJG").run()
    assert _card_links(at)[0]["o"] == "open_access"
    assert "Advies van de hulpwijzer: Praktijkondersteuner jeugd bij de huisarts" in _text(at)


def test_the_own_practice_is_remembered_in_the_url_and_changes_the_poh_result(monkeypatch):
    at = _app(monkeypatch, REAL, query={"mode": "snel", "praktijk": "gp-duin"})
    assert at.selectbox(key="_adv_q_practice").value == "gp-duin"
    for interact in _quick_flow(at, "9991"):
        interact()
    assert "Huisartsenpraktijk De Duinen heeft een POH Jeugd, op dinsdag en donderdag." in _text(at)
    assert "svc-poh-duin" in _card_links(at)[0]["s"].split(".")
    assert _card_links(at)[0]["p"] == "gp-duin"
    at.selectbox(key="_adv_q_practice").set_value("gp-molen").run()
    assert at.query_params["praktijk"] == "gp-molen"
    text = _text(at)
    assert "Huisartsen Molenplein heeft geen praktijkondersteuner jeugd." in text
    assert "svc-poh-duin" not in _card_links(at)[0].get("s", "")


def test_an_illustrative_practice_is_unknown_not_its_example_nurse(monkeypatch):
    at = _app(monkeypatch, REAL, query={"mode": "snel", "praktijk": "gp-west"})
    for interact in _quick_flow(at, "9991"):
        interact()
    assert "Huisartsenpraktijk voorbeeld West: onbekend - vraag het uw praktijk." in _text(at)


def test_a_reopened_link_fills_in_the_same_answers_and_leaves_the_address_bar(monkeypatch):
    at = _app(monkeypatch, query={"a": "2-10-an-2-1----2035"})
    assert "a" not in at.query_params
    assert at.text_input(key="_adv_q_postcode").value == "2035"
    at.run()  # a later rerun keeps the answers
    assert at.number_input(key="_adv_q_age").value == 10
    assert GP_TITLE in [h.value for h in at.header]


def test_the_quick_mode_speaks_english_with_lang_en(monkeypatch):
    at = _app(monkeypatch, query={"lang": "en"})
    for interact in _quick_flow(at, "2035"):
        interact()
    assert i18n.t("triage.route.title.child.gp_practice", "en") in [h.value for h in at.header]
    assert i18n.t("triage.route.safety_net_title", "en") in _text(at)


def test_an_18_year_old_filling_it_in_gets_adult_terms_and_no_uw_kind(monkeypatch):
    at = _app(monkeypatch)
    for interact in _quick_flow(at, "2035", age=19, concern="low_mood"):
        interact()
    assert at.segmented_control(key="_adv_q_who").value == "child"
    at.segmented_control(key="_adv_q_who").set_value("self").run()
    text = _text(at)
    assert "POH-GGZ" in text
    for wrong in ("uw kind", "jeugd-GGZ", "consultatiebureau"):
        assert wrong not in text, wrong


def test_every_service_card_has_unique_labels_for_its_checkbox_and_report_button(monkeypatch):
    at = _app(monkeypatch)
    for interact in _quick_flow(at, "2035", age=4, concern="parenting", impact="mild", duration="weeks"):
        interact()
    boxes = [c.label for c in at.checkbox if c.key and c.key.startswith("_adv_pick_")]
    reports = [p.proto.popover.label for p in at.get("popover")]
    assert boxes and len(set(boxes)) == len(boxes)
    assert len(reports) == len(boxes) and len(set(reports)) == len(reports)
    assert all(r.startswith("Meld een fout over ") for r in reports)


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
    assert "Vraag 1 van 9" in _texts(at)
    _next(at)  # no answer yet: stay and say why
    assert at.header[0].value == "Is iemand nu in gevaar?"
    assert "Kies eerst een antwoord. Dan kunt u verder." in [w.value for w in at.warning]
    at.radio(key="_adv_s_danger").set_value("no").run()
    _next(at)
    assert at.header[0].value == "Wat is uw postcode?" and "Vraag 2 van 9" in _texts(at)
    at.text_input(key="_adv_s_postcode").input("2035").run()
    _next(at)
    assert at.header[0].value == "Bij welke huisarts staat uw gezin ingeschreven?"
    at.selectbox(key="_adv_s_practice").set_value("onbekend").run()
    _next(at)
    assert at.header[0].value == "Hoe oud is uw kind?"
    at.number_input(key="_adv_s_age").set_value(10).run()
    _next(at)
    assert at.header[0].value == "Waar maakt u zich zorgen over?"
    _next(at)  # required: stays
    assert at.header[0].value == "Waar maakt u zich zorgen over?"
    at.button(key="_adv_back").click().run()
    assert at.number_input(key="_adv_s_age").value == 10  # the answer is kept
    _next(at)
    at.pills(key="_adv_s_concerns").set_value(["anxiety"]).run()
    _next(at)
    at.radio(key="_adv_s_impact").set_value("moderate").run()
    _next(at)
    at.radio(key="_adv_s_duration").set_value("months").run()
    _next(at)
    assert at.header[0].value == "Welke hulp heeft u al geprobeerd?"
    assert "Een gesprek bij het consultatiebureau of het CJG" in at.pills(key="_adv_s_tried").options
    _next(at)  # optional: may be skipped
    assert at.button(key="_adv_next").label == "Bekijk het advies →"
    _next(at)
    assert "Uw advies" in _texts(at)
    assert GP_TITLE in [h.value for h in at.header]
    assert "Vraag de assistente van uw huisarts of de praktijk een praktijkondersteuner jeugd heeft." in _text(at)


def test_the_safety_question_asks_every_red_flag_in_plain_words_and_separates_self_injury(monkeypatch):
    at = _step_app(monkeypatch)
    at.radio(key="_adv_s_danger").set_value("yes").run()
    options = at.pills(key="_adv_s_red_flags").options
    assert "Mijn kind hoort of ziet dingen die anderen niet horen of zien" in options
    assert "Er is geweld in huis, of ik ben bang dat ik mijn kind pijn doe" in options
    assert any("bij twijfel: kies dit" in o for o in options)
    assert len(options) == 8
    at.pills(key="_adv_s_red_flags").set_value(["self_injury"]).run()
    # occasional self-injury without thoughts of death is a concern, not a red flag: the questions go on
    assert EMPHASIS not in _text(at)
    assert at.button(key="_adv_next").label == "Verder →"
    at.pills(key="_adv_s_red_flags").set_value(["self_harm"]).run()
    assert EMPHASIS in _text(at)
    assert "Bel vandaag de huisarts, of buiten kantoortijd de huisartsenpost" in [h.value for h in at.header]


def test_danger_without_details_gives_the_crisis_route_at_once(monkeypatch):
    at = _step_app(monkeypatch)
    at.radio(key="_adv_s_danger").set_value("yes").run()
    texts = _texts(at)
    crisis = next(i for i, t in enumerate(texts) if EMPHASIS in t)
    assert crisis < texts.index("Bel nu 112")
    at.radio(key="_adv_s_danger").set_value("no").run()
    assert "Bel nu 112" not in _texts(at)


def test_a_young_adult_is_asked_for_whom_and_then_asked_directly(monkeypatch):
    at = _step_app(monkeypatch)
    at.radio(key="_adv_s_danger").set_value("no").run()
    _next(at)
    _next(at)
    _next(at)
    at.number_input(key="_adv_s_age").set_value(20).run()
    at.segmented_control(key="_adv_s_who").set_value("self").run()
    _next(at)
    assert at.header[0].value == "Waar maakt u zich zorgen over?"
    at.pills(key="_adv_s_concerns").set_value(["anxiety"]).run()
    _next(at)
    assert at.header[0].value == "Hoeveel last heeft u ervan?"


def test_the_start_pages_parent_link_opens_the_step_mode(monkeypatch):
    at = _app(monkeypatch, page="start")
    links = [(p.proto.label, p.proto.query_string) for p in at.get("page_link")]
    assert ("Hulpwijzer, stap voor stap", "mode=stap") in links


# ---- the route card page ---------------------------------------------------------------------

def test_the_route_card_page_shows_the_action_crisis_numbers_and_makes_a_pdf_on_request(monkeypatch):
    at = _app(monkeypatch, page="routekaart",
              query={"a": "2-10-an-2-1----2035", "s": "svc-113-zelfmoordpreventie.svc-kindertelefoon"})
    body = _card(at)
    assert GP_TITLE in body and "Hoe snel: geen haast: maak een afspraak" in body
    assert "0800-2000" in body and 'src="data:image/png;base64,' in body
    assert "Wanneer eerder bellen?" in body
    assert at.get("download_button") == []  # the PDF is made only when asked
    at.button(key="_rk_make_pdf").click().run()
    assert [b.proto.label for b in at.get("download_button")] == ["Download als PDF"]


def test_the_route_card_warns_when_its_link_points_to_localhost(monkeypatch):
    at = _app(monkeypatch, page="routekaart", query={"a": "2-10-an-2-1----2035"})
    assert any("wijzen naar localhost:8501" in w.value for w in at.warning)
    monkeypatch.setenv("SOCIALMAP_PUBLIC_URL", "https://kaart.example.nl")
    at.run()
    body = _card(at)
    assert "https://kaart.example.nl/routekaart?a=2-10-an-2-1----2035" in body
    assert not any("wijzen naar" in w.value for w in at.warning)


def test_a_public_url_that_is_not_http_is_ignored(monkeypatch):
    at = _app(monkeypatch, page="routekaart", query={"a": "2-10-an-2-1----2035"})
    monkeypatch.setenv("SOCIALMAP_PUBLIC_URL", "javascript:alert(1)//")
    at.run()
    body = _card(at)
    assert "http://localhost:8501/routekaart?a=2-10-an-2-1----2035" in body and "javascript" not in body


def test_an_older_link_reopens_with_a_note_and_the_current_advice(monkeypatch):
    at = _app(monkeypatch, page="routekaart", query={"a": "1-10-an-2-1----2035"})
    body = _card(at)
    assert "Deze routekaart is gemaakt met een eerdere versie van de hulpwijzer." in body
    assert GP_TITLE in body


def test_a_broken_route_card_link_gets_a_plain_message(monkeypatch):
    at = _app(monkeypatch, page="routekaart", query={"a": "9-x"})
    assert at.error[0].value.startswith("Deze link is niet compleet of klopt niet")


def test_the_route_card_without_a_link_points_to_the_hulpwijzer(monkeypatch):
    at = _app(monkeypatch, page="routekaart")
    assert at.info[0].value == "Hier komt uw routekaart. Vul eerst de vragen in bij de Hulpwijzer."


def test_the_route_card_is_english_with_lang_en(monkeypatch):
    at = _app(monkeypatch, page="routekaart", query={"a": "2-10-an-2-1----2035", "lang": "en"})
    body = _card(at)
    assert "Route card" in body and "Need help right now?" in body


def test_in_demo_mode_every_screen_and_the_card_say_example_not_real_help(monkeypatch):
    monkeypatch.setenv("SOCIALMAP_DEMO", "1")
    at = _app(monkeypatch, page="routekaart", query={"a": "2-4-pa-1-0----2021"})
    assert "VOORBEELD - geen echte hulp" in _card(at)
    hw = _app(monkeypatch)
    assert any("VOORBEELD - geen echte hulp" in h.proto.body for h in hw.get("html"))


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


def test_the_route_card_shows_the_reason_only_in_the_session_that_chose_it(monkeypatch):
    at = _app(monkeypatch, VALID_MINI)
    for interact in _quick_flow(at, "9991 AB", concern="parenting"):
        interact()
    at.selectbox(key="_adv_override_level").set_value("open_access").run()
    at.text_input(key="_adv_override_reason").input("Ouders willen eerst het CJG").run()
    query = _card_links(at)[0]
    assert query == {"a": "2-10-pa-2-1----9991", "s": "svc-cjg", "o": "open_access"}
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("views/routekaart.py").run()
    body = _card(at)
    assert "Keuze van de professional" in body and "Ouders willen eerst het CJG" in body

    fresh = _app(monkeypatch, VALID_MINI, page="routekaart", query=query)  # e.g. the parent scanning the QR code
    body = _card(fresh)
    assert "Keuze van de professional" in body and "Ouders willen eerst het CJG" not in body


# ---- the shared frame: links that work on the parent's phone ---------------------------------

@pytest.mark.parametrize("url,local", [
    ("http://localhost:8501/routekaart?a=x", True), ("http://127.0.0.1:8615", True), ("http://[::1]:8501", True),
    ("http://app.localhost", True), ("https://kaart.example.nl/routekaart", False), ("http://192.168.1.20:8501", False),
])
def test_a_link_is_called_local_only_when_it_works_on_this_computer_alone(url, local):
    assert common.is_local_url(url) is local


def test_the_public_url_setting_must_be_an_http_address(monkeypatch):
    for value, expected in (("https://kaart.example.nl/", "https://kaart.example.nl"), ("javascript:alert(1)", None),
                            ("https://", None), ("", None)):
        monkeypatch.setenv("SOCIALMAP_PUBLIC_URL", value)
        assert common.public_url_setting() == expected


def test_demo_mode_is_off_unless_asked_for(monkeypatch):
    monkeypatch.delenv("SOCIALMAP_DEMO", raising=False)
    assert common.demo_mode() is False
    monkeypatch.setenv("SOCIALMAP_DEMO", "1")
    assert common.demo_mode() is True


def test_an_older_link_reopened_in_the_hulpwijzer_gets_the_note_and_the_current_advice(monkeypatch):
    at = _app(monkeypatch, query={"a": "1-10-an-2-1----2035"})
    text = _text(at)
    assert "Deze routekaart is gemaakt met een eerdere versie van de hulpwijzer." in text
    assert GP_TITLE in [h.value for h in at.header]
