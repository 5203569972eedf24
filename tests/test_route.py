"""``route()``: one call from answers to everything a result shows, on the shipped Kennemerland data."""

from __future__ import annotations

import datetime as dt
import json
import random
import re

import pytest

from socialmap import vocab
from socialmap.errors import InputError
from socialmap.route import route
from socialmap.triage_cli import main as triage_main

WEDNESDAY_10 = dt.datetime(2026, 11, 25, 10, 0)  # office hours
SATURDAY_22 = dt.datetime(2026, 11, 28, 22, 0)  # outside office hours
DEBTS = {"age": 9, "concerns": ["parenting"], "context": ["debts"], "impact": "moderate", "duration": "months",
         "postcode": "2033 AB"}
UNSAFE_TODDLER = {"age": 2, "concerns": ["parenting"], "red_flags": ["unsafe_home"], "impact": "moderate",
                  "duration": "weeks", "postcode": "2035"}
PARENTING_4 = {"age": 4, "concerns": ["parenting", "sleep"], "impact": "mild", "duration": "weeks", "postcode": "2011"}


def order_key(option):
    distance = option.distance_km if option.distance_km is not None else float("inf")
    waiting = option.card.waiting_weeks if option.card.waiting_weeks is not None else float("inf")
    return (not option.real, not option.serves_area, distance, waiting)


def random_answers(rng: random.Random, postcodes: list[str]) -> dict:
    answers = {
        "age": rng.randint(0, 23),
        "concerns": rng.sample(vocab.CONCERNS, rng.choice((1, 2))),
        "impact": rng.choice(vocab.IMPACTS),
        "duration": rng.choice(vocab.DURATIONS),
        "tried": rng.sample(vocab.LEVELS, rng.choice((0, 0, 1))),
        "context": rng.sample(vocab.CONTEXTS, rng.choice((0, 0, 1, 2))),
        "postcode": rng.choice(postcodes),
    }
    if rng.random() < 0.2:
        answers["red_flags"] = rng.sample(vocab.RED_FLAGS, rng.choice((1, 2)))
    return answers


@pytest.fixture(scope="module")
def postcodes(shipped_atlas):
    return list(shipped_atlas.postcodes.index)


# ---- what a result holds --------------------------------------------------------------------------

def test_a_route_holds_the_advice_area_lanes_texts_and_link(shipped_atlas):
    r = route(shipped_atlas, DEBTS, now=WEDNESDAY_10, base_url="https://kaart.example.nl")
    assert (r.ready, r.contract, r.level, r.audience, r.region_id) == (True, "2", "wijkteam", "child", "kennemerland")
    assert (r.urgency, r.urgency_text) == ("routine", "geen haast: maak een afspraak")
    assert r.title == "Neem contact op met het sociaal wijkteam"
    assert r.safety_net_title == "Wanneer eerder bellen?"
    assert r.todo[0] == "Bel of mail het wijkteam zelf. U heeft geen verwijzing nodig."
    assert [lane.level for lane in r.lanes] == ["wijkteam"]
    assert r.contacts == ()
    assert r.url.startswith("https://kaart.example.nl/routekaart?a=2-9-pa-2-1---de-2033&s=")
    assert r.query["a"] == "2-9-pa-2-1---de-2033"  # the contract version first; PC4 only
    assert r.own_practice is None


def test_the_debts_answer_pre_picks_the_real_debt_help(shipped_atlas):
    r = route(shipped_atlas, DEBTS, now=WEDNESDAY_10)
    assert "svc-haarlem-schulddienstverlening" in r.picked
    debt = next(o for o in r.options if o.id == "svc-haarlem-schulddienstverlening")
    assert debt.preselected and debt.real and debt.card.phone == "14 023"
    without = route(shipped_atlas, {**DEBTS, "context": ["housing"]}, now=WEDNESDAY_10)
    assert "svc-haarlem-schulddienstverlening" not in without.picked
    assert [o.id for o in without.options if o.preselected] == list(without.picked)


def test_an_unsafe_home_puts_veilig_thuis_first_with_its_number_and_keeps_the_treatment_route(shipped_atlas):
    r = route(shipped_atlas, UNSAFE_TODDLER, now=WEDNESDAY_10)
    assert (r.level, r.urgency_text, r.title) == ("crisis", "vandaag", "Bel vandaag Veilig Thuis (0800-2000)")
    assert [(c.id, c.number) for c in r.contacts] == [("veilig_thuis", "0800-2000"), ("112", "112")]
    assert [(lane.level, lane.role) for lane in r.lanes] == [("crisis", "crisis"), ("open_access", "also"),
                                                            ("wijkteam", "also")]
    assert r.todo[1] == "Vraag ook hulp bij het consultatiebureau en het sociaal wijkteam."
    crisis = r.lanes[0]
    assert [o.id for o in crisis.options[:2]] == ["svc-veilig-thuis", "svc-alarmnummer-112"]
    assert r.picked[0] == "svc-veilig-thuis"
    assert crisis.options[0].preselected


def test_suicidality_alone_is_enough_and_lists_113_then_the_gp_today_then_112(shipped_atlas):
    r = route(shipped_atlas, {"red_flags": ["suicidality"]}, now=WEDNESDAY_10)
    assert (r.ready, r.level, r.missing) == (True, "crisis", ("age", "concerns", "impact", "duration"))
    assert [c.id for c in r.contacts] == ["113", "huisarts_today", "112"]
    assert r.contacts[0].number == "113 / 0800-0113"
    assert r.title == "Bel of chat vandaag met 113 (0800-0113)"
    assert [o.id for o in r.lanes[0].options[:3]] == ["svc-113-zelfmoordpreventie", "svc-huisartsen-spoedpost",
                                                      "svc-alarmnummer-112"]
    assert r.answers is None  # the neutral values the engine needed are never shown as answers
    assert r.to_contract()["contacts"] == ["113", "huisarts_today", "112"]


def test_huisarts_today_shows_the_own_gp_in_office_hours_and_the_huisartsenpost_from_the_region_data(shipped_atlas):
    hap = shipped_atlas.services.at[shipped_atlas.region.huisartsenpost_service_id, "phone"]
    day = route(shipped_atlas, {"red_flags": ["psychosis"]}, now=WEDNESDAY_10).contacts[0]
    night = route(shipped_atlas, {"red_flags": ["psychosis"]}, now=SATURDAY_22).contacts[0]
    assert day.id == night.id == "huisarts_today"
    assert [(line.label, line.number, line.applies_now) for line in day.lines] == [
        ("Uw eigen huisarts (werkdagen 8-17 uur)", "", True),
        ("Huisartsenpost (avond, nacht en weekend)", hap, False)]
    assert [(line.number, line.applies_now) for line in night.lines] == [(hap, True), ("", False)]
    assert night.number == hap and re.fullmatch(r"0\d{2}-\d{7}", hap)


@pytest.mark.parametrize("flag,first", [
    ("danger_to_others", "112"), ("acute_crisis", "112"), ("suicidality", "113"), ("self_harm", "huisarts_today"),
    ("psychosis", "huisarts_today"), ("severe_eating", "huisarts_today"), ("unsafe_home", "veilig_thuis"),
])
def test_every_red_flag_shows_its_first_contact_first_with_a_number_in_the_crisis_lane(shipped_atlas, flag, first):
    r = route(shipped_atlas, {"red_flags": [flag], "postcode": "2011"}, now=SATURDAY_22)
    assert r.contacts[0].id == first
    assert all(c.number for c in r.contacts)  # at night the huisartsenpost number applies
    first_services = set(r.contacts[0].service_ids)
    assert r.lanes[0].options[0].id in first_services
    assert r.lanes[0].options[0].preselected


# ---- ordering and pre-pick ----------------------------------------------------------------------

def test_every_lane_lists_real_records_first_then_serving_nearest_and_shortest_waiting(shipped_atlas, postcodes):
    rng = random.Random(11)
    for _ in range(60):
        r = route(shipped_atlas, random_answers(rng, postcodes), now=WEDNESDAY_10)
        for lane in r.lanes:
            if lane.level == "crisis":
                continue
            keys = [order_key(o) for o in lane.options]
            assert keys == sorted(keys), (lane.level, [o.id for o in lane.options])


def test_no_illustrative_record_is_ever_selectable_or_pre_picked_outside_demo_mode(shipped_atlas, postcodes):
    rng = random.Random(12)
    seen_illustrative = 0
    for _ in range(80):
        answers = random_answers(rng, postcodes)
        r = route(shipped_atlas, answers, now=WEDNESDAY_10)
        for option in r.options:
            if not option.real:
                seen_illustrative += 1
                assert not option.selectable and not option.preselected
                assert option.not_selectable_reason == "Voorbeeld, geen echte hulp: kan niet op de routekaart."
        for lane in r.lanes:  # at least one real service per lane where the data has one
            if lane.real_options:
                assert any(o.preselected for o in lane.real_options), lane.level
                assert lane.empty_text == ""
            else:
                assert lane.empty_text.startswith("Nog geen echte hulp bekend op dit niveau")
        assert r.illustrative_share == (sum(not o.real for o in r.options), len(r.options))
        picked_illustrative = route(shipped_atlas, answers, picked=[o.id for o in r.options], now=WEDNESDAY_10).picked
        assert all(shipped_atlas.services.at[s, "status"] != "illustrative" for s in picked_illustrative)
    assert seen_illustrative > 50


def test_a_lane_without_real_services_says_so_plainly(shipped_atlas):
    answers = {"age": 20, "concerns": ["anxiety"], "impact": "moderate", "duration": "months", "postcode": "2011"}
    r = route(shipped_atlas, answers, now=WEDNESDAY_10)
    assert r.lanes[0].real_options == () and r.picked == ()  # the POH Jeugd services end at 17
    assert r.lanes[0].empty_text == ("Nog geen echte hulp bekend op dit niveau in de buurt. Bel de huisarts of "
                                     "het wijkteam: zij weten waar de jongere terecht kan.")


def test_demo_mode_lets_illustrative_records_be_picked_and_says_so(shipped_atlas):
    r = route(shipped_atlas, PARENTING_4, now=WEDNESDAY_10, demo=True)
    fake = [o for o in r.options if not o.real]
    assert fake and all(o.selectable for o in fake)
    assert fake[0].not_selectable_reason.startswith("Demo:")
    assert not any(o.preselected for o in fake)  # the lane has a real service, so that one is pre-picked
    chosen = route(shipped_atlas, PARENTING_4, now=WEDNESDAY_10, demo=True, picked=[fake[0].id])
    assert chosen.picked == (fake[0].id,)


def test_a_user_choice_keeps_only_selectable_services_in_its_order(shipped_atlas):
    r = route(shipped_atlas, PARENTING_4, now=WEDNESDAY_10)
    real = [o.id for o in r.options if o.real]
    fake = [o.id for o in r.options if not o.real]
    chosen = route(shipped_atlas, PARENTING_4, picked=[real[1], fake[0], real[0], "svc-unknown"], now=WEDNESDAY_10)
    assert chosen.picked == (real[1], real[0])
    assert chosen.query["s"] == f"{real[1]}.{real[0]}"


# ---- place ----------------------------------------------------------------------------------------

def test_the_area_label_names_the_wijk_when_the_postcode_spans_several_buurten(shipped_atlas):
    r = route(shipped_atlas, DEBTS, now=WEDNESDAY_10)
    row = shipped_atlas.postcodes.loc["2033"]
    wijk = shipped_atlas.areas.at[row["wijk_code"], "name"]
    assert row["share"] < 0.5
    assert r.area.code == row["buurt_code"]  # matching still starts from the buurt
    assert r.area_label == f"{wijk} (Haarlem)"
    assert "Buitengebied Zuiderpolder" not in r.area_label
    assert route(shipped_atlas, {**DEBTS, "postcode": "2033"}).area_label == r.area_label  # letters cannot narrow it


def test_without_a_postcode_a_lane_asks_for_it_and_the_crisis_lane_still_shows_the_regions_services(shipped_atlas):
    r = route(shipped_atlas, {k: v for k, v in DEBTS.items() if k != "postcode"})
    assert (r.area, r.area_label, r.lanes[0].options) == (None, "", ())
    assert r.lanes[0].empty_text == "Vul uw postcode in, dan ziet u hier hulp bij u in de buurt."
    crisis = route(shipped_atlas, {"red_flags": ["unsafe_home"]})
    assert crisis.lanes[0].options[0].id == "svc-veilig-thuis"


def test_an_area_code_is_named_as_it_is(shipped_atlas):
    r = route(shipped_atlas, {**DEBTS, "area_code": "WK039219"}, now=WEDNESDAY_10)
    assert (r.area.code, r.area_label) == ("WK039219", "Boerhaavewijk (Haarlem)")


def test_a_wrong_postcode_is_an_input_error_in_plain_words_in_the_users_language(shipped_atlas):
    with pytest.raises(InputError) as err:
        route(shipped_atlas, {**DEBTS, "postcode": "1011"})
    assert err.value.field == "postcode"
    assert str(err.value).startswith("Postcode '1011' ligt niet in regio Kennemerland")
    with pytest.raises(InputError) as err:
        route(shipped_atlas, {"age": 9, "postcode": "20AB"}, "en")
    assert err.value.field == "postcode" and "20AB" in str(err.value)
    assert not str(err.value).startswith("postcode '20AB' is not a Dutch postcode")  # not the contract's wording


# ---- incomplete answers, older links, the contract ---------------------------------------------------

def test_incomplete_answers_say_what_is_missing(shipped_atlas):
    r = route(shipped_atlas, {"age": 12, "concerns": ["anxiety"]})
    assert (r.ready, r.advice, r.lanes, r.missing) == (False, None, (), ("impact", "duration"))
    assert r.missing_text.startswith("Nog nodig voor een advies: ")
    assert r.safety_net  # the safety net is on every result
    with pytest.raises(InputError):
        r.to_contract()


def test_an_older_link_opens_with_a_note_and_todays_advice(shipped_atlas):
    from socialmap.route import decode

    old = decode(shipped_atlas, {"a": "1-15-an-3-0----2011"})
    assert old.note == ("Deze routekaart is gemaakt met een eerdere versie van de hulpwijzer. "
                        "Hieronder staat het advies van nu.")
    assert (old.level, old.urgency) == ("gp_practice", "soon")  # v1 gave basic_mh for severe impact for weeks
    assert old.query["a"].startswith("2-")
    assert decode(shipped_atlas, {"a": old.query["a"]}).note == ""


def test_to_contract_is_exactly_what_the_command_line_prints(shipped_atlas, capsys):
    import io

    answers = {**UNSAFE_TODDLER, "postcode": "2035"}
    out = io.StringIO()
    assert triage_main(["--limit", "5"], stdin=io.StringIO(json.dumps(answers)), stdout=out, stderr=io.StringIO()) == 0
    printed = json.loads(out.getvalue())
    assert printed == route(shipped_atlas, answers).to_contract()
    assert list(printed) == ["contract", "level", "also", "next_step", "urgency", "contacts", "reasons", "rule_ids",
                             "area", "services"]
    assert printed["services"][0]["id"] == "svc-veilig-thuis"


# ---- young adults -----------------------------------------------------------------------------------

def texts_of(r) -> list[str]:
    out = [r.title, r.urgency_text, r.safety_net, r.bridging_text, r.missing_text, *r.todo, *r.reasons]
    for lane in r.lanes:
        out += [lane.title, lane.empty_text]
    for contact in r.contacts:
        out += [contact.label, *(line.label for line in contact.lines)]
    return out


def test_texts_for_ages_18_to_23_never_mention_youth_care_and_for_themselves_never_your_child(shipped_atlas, postcodes):
    rng = random.Random(18)
    checked = 0
    for _ in range(150):
        answers = random_answers(rng, postcodes) | {"age": rng.randint(18, 23)}
        for for_self in (False, True):
            for lang in ("nl", "en"):
                r = route(shipped_atlas, answers | {"for_self": for_self}, lang, now=WEDNESDAY_10)
                assert r.audience == ("young_adult_self" if for_self else "young_adult")
                for text in texts_of(r):
                    low = text.lower()
                    assert "jeugd-ggz" not in low and "consultatiebureau" not in low, text
                    assert "youth mental health" not in low, text
                    if for_self:
                        assert "uw kind" not in low and "your child" not in low, text
                checked += 1
    assert checked == 600


def test_a_young_adult_gets_adult_titles_and_lanes(shipped_atlas):
    answers = {"age": 20, "concerns": ["low_mood"], "impact": "moderate", "duration": "months", "postcode": "2011",
               "context": ["debts"], "for_self": True}
    r = route(shipped_atlas, answers, now=WEDNESDAY_10)
    assert r.title == "Maak een afspraak met uw huisarts of de praktijkondersteuner GGZ (POH-GGZ)"
    assert [lane.title for lane in r.lanes] == ["Huisarts en praktijkondersteuner GGZ (POH-GGZ)",
                                                "Wijkteam: steun uit de Wmo, schulden, wonen"]
    assert r.todo[-1] == "Helpt dit niet genoeg? Dan is de volgende stap de generalistische basis-GGZ."
    assert "svc-haarlem-schulddienstverlening" in r.picked
    for option in r.options:  # a 0-17 service is never offered to a 20-year-old
        age_max = shipped_atlas.services.at[option.id, "age_max_months"]
        assert age_max != age_max or age_max is None or age_max >= 20 * 12
    assert "-s" in r.query["a"]


# ---- routing data ------------------------------------------------------------------------------------

def test_a_region_can_name_its_own_services_for_an_answer_in_its_routing_file(mini_region):
    import yaml

    from socialmap.loader import load_region
    from socialmap.route import DEFAULT_ROUTING

    data = yaml.safe_load(DEFAULT_ROUTING.read_text(encoding="utf-8"))
    data["prepick"]["context"] = {"caregiver_overload": ["svc-cjg"]}
    (mini_region / "routing.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    atlas = load_region(mini_region)
    answers = {"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months", "postcode": "9991",
               "context": ["caregiver_overload"]}
    r = route(atlas, answers, now=WEDNESDAY_10)
    assert (r.level, r.advice.also) == ("gp_practice", ("wijkteam",))
    assert r.picked == ("svc-cjg",)  # not matched at these levels, yet the region's data names it
    hap = route(atlas, {"red_flags": ["self_harm"]}, now=SATURDAY_22).contacts[0]
    assert (hap.id, hap.number, hap.service_ids) == ("huisarts_today", "023-7654321", ("svc-hap",))


def test_a_broken_routing_file_is_refused_naming_the_file_and_field(mini_region):
    import yaml

    from socialmap.errors import DataError
    from socialmap.loader import load_region
    from socialmap.route import DEFAULT_ROUTING

    data = yaml.safe_load(DEFAULT_ROUTING.read_text(encoding="utf-8"))
    data["prepick"]["context"] = {"money": ["svc-cjg"]}
    data["red_flag_concerns"]["psychosis"] = ["voices"]
    del data["contacts"]["113"]
    path = mini_region / "routing.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as err:
        route(load_region(mini_region), {"red_flags": ["psychosis"]})
    assert err.value.messages == [
        f"{path}: contacts.113 is missing (expected number, tel and services)",
        f"{path}: prepick.context.money is not allowed (allowed: {', '.join(vocab.CONTEXTS)})",
        f"{path}: red_flag_concerns.psychosis ['voices'] is not allowed (expected a list of: "
        f"{', '.join(vocab.CONCERNS)})",
    ]
