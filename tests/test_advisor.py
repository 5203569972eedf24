"""The advisor's logic without Streamlit: questions, the URL encoding, texts, bridging, route card."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import VALID_MINI
from socialmap import advisor, i18n, vocab
from socialmap.errors import InputError
from socialmap.loader import load_region

FULL = {"age": 13, "concerns": ["low_mood", "withdrawal"], "impact": "severe", "duration": "long",
        "red_flags": [], "tried": ["gp_practice"], "context": ["debts", "lvb"], "postcode": "2035AB"}


@pytest.fixture(scope="module")
def mini():
    return load_region(VALID_MINI)


def test_the_safety_question_comes_first_and_the_required_questions_match_the_contract():
    assert advisor.QUESTIONS[0].id == "red_flags"
    assert advisor.REQUIRED == ("age", "concerns", "impact", "duration")
    assert {q.id for q in advisor.QUESTIONS} == {"red_flags", "postcode", "age", "concerns", "impact", "duration",
                                                 "tried", "context"}


def test_every_question_has_a_title_help_and_examples_in_both_languages():
    for lang in i18n.LANGUAGES:
        for q in advisor.QUESTIONS:
            for part in ("title", "help", "examples", "short"):
                assert i18n.has(f"advisor.q.{q.id}.{part}", lang), (lang, q.id, part)


def test_answers_survive_a_round_trip_through_the_compact_encoding_with_only_the_pc4():
    text = advisor.encode_answers(FULL)
    assert text == "2-13-lm.wd-3-2--gp-de.lv-2035"
    assert advisor.decode_answers(text) == FULL | {"postcode": "2035"}


@pytest.mark.parametrize("postcode", ["2035AB", "2035 ab", " 2035  AB "])
def test_the_link_never_carries_the_letters_of_a_full_postcode(postcode):
    text = advisor.encode_answers(FULL | {"postcode": postcode})
    assert text.endswith("-2035")
    assert "AB" not in text.upper()


def test_an_older_link_with_a_full_postcode_still_opens():
    assert advisor.decode_answers("1-13-lm.wd-3-2--gp-de.lv-2035AB") == FULL


def test_every_vocabulary_value_survives_the_round_trip():
    answers = {"age": 0, "concerns": list(vocab.CONCERNS), "impact": "none", "duration": "weeks",
               "red_flags": list(vocab.RED_FLAGS), "tried": list(vocab.LEVELS), "context": list(vocab.CONTEXTS),
               "postcode": "9991"}
    assert advisor.decode_answers(advisor.encode_answers(answers)) == answers


def test_partial_answers_round_trip_with_empty_fields():
    answers = advisor.empty_answers() | {"red_flags": ["self_harm"]}
    text = advisor.encode_answers(answers)
    assert text == "2-----sh---"
    assert advisor.decode_answers(text) == answers


def test_a_young_adult_for_themselves_is_carried_by_the_link():
    text = advisor.encode_answers(FULL | {"age": 19, "for_self": True})
    assert text == "2-19-lm.wd-3-2--gp-de.lv-2035-s"
    assert advisor.decode_answers(text) == FULL | {"age": 19, "postcode": "2035", "for_self": True}


def test_a_link_knows_the_contract_version_it_was_made_with():
    assert advisor.link_version("1-13-lm.wd-3-2--gp-de.lv-2035") == "1"
    assert advisor.link_version("2-13-lm.wd-3-2--gp-de.lv-2035") == "2"
    assert advisor.link_version("9-13") is None
    assert advisor.parse_route_query({"a": "1-13-lm.wd-3-2--gp-de.lv-2035"}).older_version
    assert not advisor.parse_route_query({"a": "2-13-lm.wd-3-2--gp-de.lv-2035"}).older_version
    assert advisor.decode_answers("1-13-lm.wd-3-2--gp-de.lv-2035") == FULL | {"postcode": "2035"}


def test_the_route_query_round_trips_services_override_and_language_but_never_the_reason():
    params = advisor.route_query(FULL, ["svc-a", "svc_b-2"], "basic_mh", "  eerder traject POH  ", "en")
    assert params == {"a": "2-13-lm.wd-3-2--gp-de.lv-2035", "s": "svc-a.svc_b-2", "o": "basic_mh", "lang": "en"}
    request = advisor.parse_route_query(params)
    assert request == advisor.RouteRequest(FULL | {"postcode": "2035"}, ("svc-a", "svc_b-2"), "basic_mh", "", "en")


def test_a_reason_in_an_older_link_is_ignored():
    request = advisor.parse_route_query({"a": "1-13-lm.wd-3-2--gp-de.lv-2035", "o": "basic_mh", "r": "geheim"})
    assert (request.override, request.reason) == ("basic_mh", "")


def test_the_route_url_is_absolute_and_url_encoded():
    url = advisor.route_url("https://kaart.example.nl/", {"a": "1-4-pa-1-0----", "r": "a b&c"})
    assert url == "https://kaart.example.nl/routekaart?a=1-4-pa-1-0----&r=a+b%26c"


@pytest.mark.parametrize("link,detail", [
    ("", ""),
    ("3-13-lm-3-2----", "3-13-lm-3-2----"),  # a version that does not exist
    ("1-13-xx-3-2----", "concerns=xx"),
    ("1-99-lm-3-2----", "age=99"),
    ("1-13-lm-7-2----", "impact=7"),
    ("1-13-lm-3-2----12", "postcode=12"),
    ("1-²-an-2-1----", "age=²"),  # Unicode digits pass str.isdigit() but are not accepted
    ("1-1٣-an-2-1----", "age=1٣"),
    ("1-10-an-³-1----", "impact=³"),
    ("2-10-an-2-²----", "duration=²"),
    ("2-10-an-2-1----2035-x", "for_self=x"),
    ("2-10-an-2-1----٢٠٣٥", "postcode=٢٠٣٥"),
])
def test_a_broken_link_gives_a_plain_message_naming_the_bad_part(link, detail):
    with pytest.raises(InputError) as err:
        advisor.decode_answers(link)
    assert str(err.value) == (f"Deze link is niet compleet of klopt niet ({detail}). "
                              "Vul de vragen opnieuw in via de Hulpwijzer.")


def test_an_unknown_override_level_in_the_link_is_rejected():
    with pytest.raises(InputError, match=r"\(o=boss\)"):
        advisor.parse_route_query({"a": "1-13-lm-3-2----", "o": "boss"})


def test_a_postcode_outside_the_region_names_the_value_and_what_is_allowed(mini):
    with pytest.raises(InputError) as err:
        advisor.resolve_area(mini, "1011 AB")
    assert str(err.value) == (
        "Postcode '1011 AB' ligt niet in regio Testgemeente (fixture). Deze sociale kaart gaat over Testgemeente "
        "(postcodes 9991-9993). Woont u ergens anders? Vraag uw huisarts of kijk op de website van "
        "uw gemeente.")


def test_a_postcode_of_the_wrong_shape_names_the_value_and_the_format(mini):
    with pytest.raises(InputError) as err:
        advisor.resolve_area(mini, "Haarlem")
    assert str(err.value) == ("'Haarlem' is geen postcode. Vul 4 cijfers in, eventueel met 2 letters, "
                              "bijvoorbeeld 2035 of 2035 AB.")
    assert advisor.resolve_area(mini, "9991 ab").code == "BU99910101"
    assert advisor.resolve_area(mini, "") is None


def test_a_red_flag_gives_the_crisis_route_without_any_other_answer():
    advice = advisor.advise_answers(advisor.empty_answers() | {"red_flags": ["unsafe_home"]})
    assert advice is not None and advice.level == "crisis"
    assert (advice.contacts, advice.also) == (("veilig_thuis", "112"), ("wijkteam",))  # no made-up age 0-4
    toddler = advisor.advise_answers(advisor.empty_answers() | {"red_flags": ["unsafe_home"], "age": 2})
    assert toddler.also == ("open_access", "wijkteam")


def test_no_advice_while_a_required_answer_is_missing():
    answers = dict(FULL, impact=None)
    assert advisor.missing_required(answers) == ["impact"]
    assert advisor.advise_answers(answers) is None
    assert advisor.advise_answers(FULL).level == "specialist_mh"


def test_bridging_is_needed_only_when_the_quickest_option_waits_more_than_4_weeks():
    assert advisor.bridging_needed([5, 9, None]) is True
    assert advisor.bridging_needed([4, 9]) is False
    assert advisor.bridging_needed([None, None]) is False
    assert advisor.bridging_needed([]) is False


def test_every_level_has_a_what_to_do_now_text_in_both_languages():
    assert advisor.todo_text("open_access") == "U kunt zelf bellen of langsgaan. U heeft geen verwijzing nodig en het is gratis."
    assert advisor.todo_text("gp_practice").startswith("Via uw huisarts.")
    assert advisor.todo_text("wijkteam").startswith("Via het wijkteam.")
    for lang in i18n.LANGUAGES:
        for level in vocab.LEVELS:
            assert i18n.has(f"advisor.todo.{level}", lang)


def test_a_service_card_shows_ages_hours_walk_in_and_contact(mini):
    found = advisor.local_services(mini, mini.area("BU99910101"), "open_access", (), 4, ["parenting"],
                                   now=dt.datetime(2026, 11, 25, 9, 30))  # a Wednesday, walk-in hour
    card = advisor.service_card(mini, "svc-cjg", "nl", found[0])
    assert (card.name, card.ages, card.phone, card.tel) == ("Opvoedspreekuur CJG", "0 tot en met 17 jaar",
                                                            "023-1234567", "0231234567")
    assert card.hours == ("ma 09:00-17:00", "Inloop: wo 09:00-11:00")
    assert card.open_now is True and card.walk_in_today is True
    assert card.address == "Teststraat 1, 9991 AA, Testgemeente"
    assert card.verified_at == "2026-06-01" and card.status == "verified"
    baby = advisor.service_card(mini, "svc-baby", "nl")
    assert baby.ages == "0 tot 6 maanden"


def test_the_route_card_follows_the_professionals_choice_and_keeps_the_engines_advice(mini):
    answers = {"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months", "postcode": "9991"}
    request = advisor.RouteRequest(advisor.empty_answers() | answers, ("svc-cjg",), "open_access", "ouders willen dit")
    card = advisor.build_route_card(mini, request, "https://x/routekaart?a=1", [("Levensgevaar", "112")])
    assert (card.engine_level, card.level, card.overridden) == ("gp_practice", "open_access", True)
    assert card.override_reason == "ouders willen dit"
    assert [s.name for s in card.services] == ["Opvoedspreekuur CJG"]
    assert card.area_name == "Westwijk (Testgemeente)"  # PC4 9991 is only 80 % Westbuurt Zuid: name the wijk
    assert card.urgency_text == "geen haast: maak een afspraak"
    assert card.title == "Ga langs bij het CJG of bel het CJG"
    assert card.safety_net.startswith("Bel eerder als het snel slechter gaat")


def test_the_route_card_never_picks_or_keeps_an_illustrative_service_outside_demo_mode(mini):
    answers = advisor.empty_answers() | {"age": 10, "concerns": ["anxiety"], "impact": "moderate",
                                         "duration": "months", "postcode": "9991"}
    card = advisor.build_route_card(mini, advisor.RouteRequest(answers), "u", [])
    assert [s.id for s in card.services] == []  # the only POH in the fixture is illustrative
    ticked = advisor.build_route_card(mini, advisor.RouteRequest(answers, ("svc-poh", "svc-cjg")), "u", [])
    assert [s.id for s in ticked.services] == ["svc-cjg"]
    demo = advisor.build_route_card(mini, advisor.RouteRequest(answers), "u", [], demo=True)
    assert [s.id for s in demo.services] == ["svc-poh"]


def test_a_route_card_from_an_older_link_says_so_and_shows_todays_advice(mini):
    request = advisor.parse_route_query({"a": "1-10-an-2-1----9991"})
    card = advisor.build_route_card(mini, request, "u", [])
    assert card.version_note == ("Deze routekaart is gemaakt met een eerdere versie van de hulpwijzer. "
                                 "Hieronder staat het advies van nu.")
    assert card.level == "gp_practice"
    assert advisor.build_route_card(mini, advisor.parse_route_query({"a": "2-10-an-2-1----9991"}), "u",
                                    []).version_note == ""
    assert card.bridging is False


def test_an_incomplete_link_cannot_make_a_route_card(mini):
    with pytest.raises(InputError, match=r"\(age, impact\)"):
        advisor.build_route_card(mini, advisor.RouteRequest(advisor.empty_answers() | {
            "concerns": ["sleep"], "duration": "weeks"}), "u", [])
