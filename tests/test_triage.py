"""The route engine follows the triage contract v2: public examples, red flags, principles 1-10,
validation messages. Bulk checks (monotonicity, an independent implementation) are in
``test_triage_properties.py``."""

from __future__ import annotations

import pytest

from socialmap import vocab
from socialmap.errors import InputError
from socialmap.triage import Answers, advise, parse_answers
from test_triage_properties import FLAG_TABLE

# ---- the public examples of the contract (v2) -----------------------------------------------------

PUBLIC_EXAMPLES = [
    ({"age": 4, "concerns": ["parenting"], "impact": "mild", "duration": "weeks"}, "open_access", (), "routine"),
    ({"age": 14, "concerns": ["low_mood"], "red_flags": ["suicidality"], "impact": "mild", "duration": "weeks"},
     "crisis", ("specialist_mh",), "today"),
    ({"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months"}, "gp_practice", (), "routine"),
    ({"age": 9, "concerns": ["parenting"], "context": ["debts"], "impact": "moderate", "duration": "months"},
     "wijkteam", (), "routine"),
    ({"age": 15, "concerns": ["anxiety"], "impact": "severe", "duration": "months"}, "basic_mh", (), "soon"),
    ({"age": 13, "concerns": ["low_mood", "withdrawal"], "impact": "severe", "duration": "long",
      "tried": ["gp_practice"]}, "specialist_mh", (), "soon"),
    ({"age": 12, "concerns": ["sleep"], "impact": "none", "duration": "weeks"}, "self_help", (), "routine"),
    ({"age": 8, "concerns": ["behaviour"], "impact": "moderate", "duration": "months", "tried": ["gp_practice"]},
     "basic_mh", (), "routine"),
    ({"age": 11, "concerns": ["low_mood"], "impact": "severe", "duration": "weeks"}, "gp_practice", (), "soon"),
    ({"age": 9, "concerns": ["trauma"], "impact": "moderate", "duration": "months"}, "basic_mh", (), "routine"),
    ({"age": 16, "concerns": ["eating_disorder"], "impact": "moderate", "duration": "months"}, "basic_mh", (), "soon"),
    ({"age": 15, "concerns": ["substance_use", "school"], "impact": "moderate", "duration": "long"},
     "basic_mh", (), "routine"),
    ({"age": 7, "concerns": ["withdrawal"], "impact": "mild", "duration": "months", "context": ["parent_addiction"]},
     "gp_practice", ("wijkteam",), "routine"),
    ({"age": 9, "concerns": ["assessment", "behaviour"], "impact": "moderate", "duration": "long"},
     "basic_mh", (), "routine"),
    ({"age": 9, "concerns": ["behaviour"], "impact": "mild", "duration": "months", "tried": ["gp_practice"]},
     "gp_practice", (), "routine"),
    ({"age": 2, "concerns": ["parenting"], "impact": "moderate", "duration": "weeks", "red_flags": ["unsafe_home"]},
     "crisis", ("open_access", "wijkteam"), "today"),
    ({"age": 15, "concerns": ["low_mood", "self_injury"], "impact": "mild", "duration": "months"},
     "gp_practice", (), "soon"),
    ({"age": 6, "concerns": ["behaviour"], "impact": "moderate", "duration": "months", "context": ["lvb"]},
     "wijkteam", (), "routine"),
]


@pytest.mark.parametrize("answers,level,also,urgency", PUBLIC_EXAMPLES)
def test_it_gives_the_contract_level_also_and_urgency_for_each_public_example(answers, level, also, urgency):
    advice = advise(answers)
    assert (advice.level, advice.also, advice.urgency) == (level, also, urgency)


def test_it_explains_the_public_examples_with_rules_that_fired():
    assert advise(PUBLIC_EXAMPLES[0][0]).rule_ids == ("R-impact-base", "R-young-child")
    assert advise(PUBLIC_EXAMPLES[1][0]).rule_ids == ("R-red-flag",)
    assert advise(PUBLIC_EXAMPLES[3][0]).rule_ids == ("R-impact-base", "R-context", "R-context-wijkteam-level")
    assert advise(PUBLIC_EXAMPLES[5][0]).rule_ids == ("R-impact-base", "R-tried", "R-persistent", "R-urgency-soon")
    assert advise(PUBLIC_EXAMPLES[15][0]).rule_ids == ("R-red-flag", "R-young-child-also")


def test_it_returns_the_contract_output_object():
    out = advise({"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months",
                  "context": ["debts"]}).to_dict()
    assert list(out) == ["contract", "level", "also", "next_step", "urgency", "contacts", "reasons", "rule_ids"]
    assert out["contract"] == "2"
    assert (out["level"], out["also"], out["next_step"], out["urgency"], out["contacts"]) == (
        "gp_practice", ["wijkteam"], "basic_mh", "routine", [])
    assert out["rule_ids"] == ["R-impact-base", "R-context", "R-context-wijkteam-also"]
    assert all(isinstance(r, str) and r for r in out["reasons"])


# ---- principle 1: each red flag, and unions -------------------------------------------------------

RED_FLAG_TABLE = FLAG_TABLE  # the contract's table, written out in test_triage_properties.py
CALM = {"age": 10, "concerns": ["sleep"], "impact": "none", "duration": "weeks"}


@pytest.mark.parametrize("flag", list(RED_FLAG_TABLE))
def test_each_red_flag_has_its_own_contacts_urgency_and_treatment_route(flag):
    contacts, urgency, also = RED_FLAG_TABLE[flag]
    advice = advise({**CALM, "red_flags": [flag]})
    assert (advice.level, advice.contacts, advice.urgency, advice.also, advice.next_step) == (
        "crisis", contacts, urgency, also, None)


@pytest.mark.parametrize("flag", list(RED_FLAG_TABLE))
def test_a_red_flag_wins_whatever_else_was_answered(flag):
    heavy = {"age": 16, "concerns": ["low_mood", "withdrawal", "substance_use"], "impact": "severe",
             "duration": "long", "tried": ["specialist_mh", "crisis"], "red_flags": [flag]}
    assert advise(heavy).level == "crisis"
    assert advise(heavy).contacts == RED_FLAG_TABLE[flag][0]


def test_several_red_flags_give_the_union_of_contacts_in_table_order_and_the_most_urgent_urgency():
    advice = advise({**CALM, "red_flags": ["unsafe_home", "suicidality"]})
    assert advice.contacts == ("113", "huisarts_today", "112", "veilig_thuis")
    assert advice.urgency == "today"
    assert advice.also == ("wijkteam", "specialist_mh")
    advice = advise({**CALM, "red_flags": ["severe_eating", "danger_to_others"]})
    assert advice.contacts == ("112", "huisarts_today")
    assert advice.urgency == "now"
    assert advice.also == ("specialist_mh",)
    advice = advise({**CALM, "red_flags": ["acute_crisis", "unsafe_home", "psychosis"]})
    assert advice.contacts == ("112", "huisarts_today", "veilig_thuis")
    assert advice.also == ("wijkteam", "specialist_mh")


def test_the_crisis_treatment_route_adds_principle_8_but_not_the_non_crisis_route():
    advice = advise({"age": 3, "concerns": ["anxiety"], "impact": "severe", "duration": "long",
                     "red_flags": ["psychosis"], "context": ["debts"]})
    assert advice.also == ("open_access", "wijkteam", "specialist_mh")
    advice = advise({"age": 12, "concerns": ["anxiety"], "impact": "severe", "duration": "long",
                     "red_flags": ["acute_crisis"]})
    assert advice.also == ()  # basic_mh, the non-crisis route, is not added


def test_each_red_flag_reason_names_its_first_contact():
    texts = {flag: advise({**CALM, "red_flags": [flag]}).reasons[0] for flag in RED_FLAG_TABLE}
    assert "Veilig Thuis (0800-2000" in texts["unsafe_home"]
    assert "113 (0800-0113" in texts["suicidality"]
    assert "huisarts" in texts["psychosis"] and "huisarts" in texts["severe_eating"]
    assert "112" in texts["danger_to_others"]
    assert "113" not in texts["unsafe_home"]


# ---- principles 2-9, spelled out --------------------------------------------------------------

def base(**over):
    answers = {"age": 10, "concerns": ["anxiety"], "impact": "mild", "duration": "weeks"}
    answers.update(over)
    return advise(answers)


def test_it_starts_the_rung_from_the_impact():
    assert [base(impact=i, duration="months").level for i in vocab.IMPACTS] == [
        "self_help", "open_access", "gp_practice", "basic_mh"]


def test_a_sudden_severe_problem_goes_to_the_poh_quickly():
    advice = base(impact="severe", duration="weeks")
    assert (advice.level, advice.urgency) == ("gp_practice", "soon")
    assert base(impact="severe", duration="months").level == "basic_mh"


def test_duration_lifts_mild_long_problems_and_moderate_long_problems_with_several_concerns():
    assert base(duration="months").level == "open_access"
    assert base(duration="long").level == "gp_practice"
    assert base(impact="moderate", duration="long").level == "gp_practice"
    assert base(impact="moderate", duration="long", concerns=["anxiety", "low_mood"]).level == "basic_mh"
    assert base(impact="moderate", duration="long", concerns=["substance_use"]).level == "basic_mh"
    assert base(impact="moderate", duration="long", concerns=["anxiety", "sleep"]).level == "gp_practice"


@pytest.mark.parametrize("impact,tried,level", [
    ("moderate", ["self_help"], "gp_practice"), ("moderate", ["open_access"], "gp_practice"),
    ("moderate", ["gp_practice"], "basic_mh"), ("moderate", ["wijkteam"], "basic_mh"),
    ("moderate", ["basic_mh"], "specialist_mh"), ("moderate", ["specialist_mh"], "specialist_mh"),
    ("moderate", ["crisis"], "specialist_mh"),
    ("none", ["self_help"], "open_access"), ("none", ["open_access"], "gp_practice"),
    ("none", ["gp_practice"], "gp_practice"), ("mild", ["basic_mh"], "gp_practice"),
    ("mild", ["crisis"], "gp_practice"),
])
def test_help_tried_lifts_one_rung_but_only_to_the_first_line_for_low_impact(impact, tried, level):
    assert base(impact=impact, duration="months", tried=tried).level == level


@pytest.mark.parametrize("concerns,impact,age,level", [
    (["adhd_medication"], "none", 10, "gp_practice"), (["adhd_medication"], "mild", 10, "gp_practice"),
    (["assessment"], "none", 10, "gp_practice"), (["assessment"], "mild", 10, "gp_practice"),
    (["assessment"], "moderate", 10, "basic_mh"), (["assessment"], "moderate", 6, "basic_mh"),
    (["assessment"], "moderate", 5, "specialist_mh"), (["assessment"], "severe", 10, "specialist_mh"),
])
def test_medication_and_assessment_follow_principle_5(concerns, impact, age, level):
    assert base(concerns=concerns, impact=impact, age=age, duration="months").level == level


@pytest.mark.parametrize("concerns,impact,duration,age,level", [
    (["eating_disorder"], "none", "weeks", 15, "gp_practice"),
    (["eating_disorder"], "mild", "weeks", 15, "basic_mh"),
    (["eating_disorder"], "severe", "weeks", 15, "specialist_mh"),
    (["eating"], "severe", "months", 15, "basic_mh"),
    (["trauma"], "moderate", "weeks", 10, "gp_practice"),
    (["trauma"], "moderate", "long", 10, "basic_mh"),
    (["trauma"], "severe", "weeks", 10, "basic_mh"),
    (["trauma"], "severe", "months", 10, "specialist_mh"),
    (["trauma"], "mild", "weeks", 3, "basic_mh"),
    (["trauma"], "mild", "weeks", 5, "open_access"),
    (["self_injury"], "none", "weeks", 14, "gp_practice"),
    (["low_mood", "withdrawal"], "severe", "long", 14, "specialist_mh"),
    (["low_mood", "sleep"], "severe", "long", 14, "basic_mh"),
])
def test_specific_problems_follow_principle_6(concerns, impact, duration, age, level):
    assert base(concerns=concerns, impact=impact, duration=duration, age=age).level == level


def test_self_injury_is_urgent_and_asks_about_thoughts_of_death():
    advice = base(concerns=["self_injury"], impact="none")
    assert advice.urgency == "soon"
    assert any("aan de dood denkt" in r for r in advice.reasons)
    assert any("thinks about death" in r or "think about death" in r
               for r in advise({**CALM, "concerns": ["self_injury"]}, lang="en").reasons)


@pytest.mark.parametrize("concerns,context,impact,level", [
    (["parenting"], ["housing"], "none", "wijkteam"),
    (["divorce"], ["divorce_conflict"], "mild", "wijkteam"),
    (["school", "divorce"], ["debts"], "moderate", "wijkteam"),
    (["anxiety"], ["lvb"], "mild", "wijkteam"),
    (["anxiety"], ["debts"], "none", "gp_practice"),
    (["anxiety", "parenting"], ["debts"], "moderate", "gp_practice"),
    (["parenting"], [], "moderate", "gp_practice"),
    (["parenting"], ["debts"], "severe", "basic_mh"),
])
def test_context_lifts_to_the_first_line_and_lets_the_wijkteam_lead_for_family_matters(concerns, context, impact, level):
    assert base(concerns=concerns, context=context, impact=impact, duration="months").level == level


def test_who_else_brings_in_the_wijkteam_and_for_young_children_the_consultatiebureau():
    assert base(context=["debts"], impact="moderate", duration="months").also == ("wijkteam",)
    assert base(context=["debts"], concerns=["parenting"]).also == ()
    assert base(age=3, impact="moderate", duration="months").also == ("open_access",)
    assert base(age=3, impact="mild").also == ()
    assert base(age=2, impact="moderate", duration="months", context=["debts"]).also == ("open_access", "wijkteam")
    young = base(age=3, impact="moderate", duration="months")
    assert any("consultatiebureau blijft betrokken" in r for r in young.reasons)


@pytest.mark.parametrize("over,urgency", [
    ({"impact": "severe", "duration": "long"}, "soon"),
    ({"concerns": ["eating_disorder"], "impact": "none"}, "soon"),
    ({"age": 3, "context": ["caregiver_overload"]}, "soon"),
    ({"age": 6, "context": ["caregiver_overload"]}, "routine"),
    ({"impact": "moderate"}, "routine"),
])
def test_urgency_outside_the_crisis_lane_follows_principle_9(over, urgency):
    assert base(**over).urgency == urgency


def test_every_level_has_its_next_step():
    expected = {"self_help": "open_access", "open_access": "gp_practice", "gp_practice": "basic_mh",
                "wijkteam": "basic_mh", "basic_mh": "specialist_mh", "specialist_mh": None, "crisis": None}
    seen = {}
    for answers in [*(p[0] for p in PUBLIC_EXAMPLES), {**CALM, "impact": "severe", "duration": "long",
                                                      "concerns": ["low_mood", "anxiety"]}]:
        advice = advise(answers)
        seen[advice.level] = advice.next_step
    assert seen == expected


# ---- texts --------------------------------------------------------------------------------------

def test_it_writes_the_reasons_in_dutch_by_default_and_in_english_on_request():
    answers = {"age": 3, "concerns": ["sleep"], "impact": "mild", "duration": "weeks"}
    nl = advise(answers).reasons
    en = advise(answers, lang="en").reasons
    assert "consultatiebureau" in nl[1] and "JGZ" in nl[1]
    assert nl[1].startswith("Uw kind is 3 jaar.")
    assert en[1].startswith("Your child is 3.")
    assert nl != en


def test_it_fills_placeholders_with_labels_and_never_leaves_braces():
    advice = advise({"age": 14, "concerns": ["low_mood"], "impact": "moderate", "duration": "months",
                     "tried": ["open_access", "gp_practice"], "context": ["debts", "housing"]})
    text = " ".join(advice.reasons)
    assert "{" not in text
    assert "(geldzorgen of schulden en " in text
    assert "(Vrij toegankelijk en Praktijkondersteuner jeugd bij de huisarts)" in text


def test_a_young_adult_gets_adult_terms_and_for_themselves_is_never_called_your_child():
    answers = {"age": 19, "concerns": ["anxiety"], "impact": "severe", "duration": "months",
               "tried": ["gp_practice"]}
    parent = advise(answers)
    assert parent.reasons[-1].startswith("Ons advies: Generalistische basis-GGZ.")
    assert "(Huisarts en praktijkondersteuner GGZ (POH-GGZ))" in " ".join(parent.reasons)
    alone = advise({**answers, "for_self": True, "red_flags": ["suicidality"]})
    assert alone.reasons[0].startswith("U denkt aan zelfdoding.")
    assert advise({**answers, "red_flags": ["suicidality"]}).reasons[0].startswith("De jongere denkt aan zelfdoding.")
    assert advise({**answers, "age": 17, "for_self": True, "red_flags": ["suicidality"]}).reasons[0].startswith(
        "Uw kind denkt aan zelfdoding.")


def test_it_accepts_validated_answers_and_plain_mappings_alike():
    raw = PUBLIC_EXAMPLES[2][0]
    assert advise(parse_answers(raw)) == advise(raw)


# ---- validation -----------------------------------------------------------------------------

VALID = {"age": 10, "concerns": ["anxiety"], "impact": "mild", "duration": "weeks"}
ALL_CONCERNS = ", ".join(vocab.CONCERNS)


def with_(**over):
    out = dict(VALID)
    for key, value in over.items():
        if value is ...:
            out.pop(key)
        else:
            out[key] = value
    return out


@pytest.mark.parametrize("answers,field,message", [
    (with_(impact="bad"), "impact", "impact 'bad' is not allowed (allowed: none, mild, moderate, severe)"),
    (with_(age=30), "age", "age 30 is out of range (expected a whole number of years 0-23)"),
    (with_(age=-1), "age", "age -1 is out of range (expected a whole number of years 0-23)"),
    (with_(age=True), "age", "age true is not a whole number (expected a whole number of years 0-23)"),
    (with_(age=4.5), "age", "age 4.5 is not a whole number (expected a whole number of years 0-23)"),
    (with_(age=4.0), "age", "age 4.0 is not a whole number (expected a whole number of years 0-23)"),
    (with_(age="10"), "age", "age '10' is not a whole number (expected a whole number of years 0-23)"),
    (with_(age=None), "age", "age null is not a whole number (expected a whole number of years 0-23)"),
    (with_(age=10**30), "age", "age 100000... (31 digits) is out of range (expected a whole number of years 0-23)"),
    (with_(age="1٠"), "age", "age '1٠' is not a whole number (expected a whole number of years 0-23)"),
    (with_(postcode="２０３１"), "postcode", "postcode '２０３１' is not a Dutch postcode (expected 4 digits and "
                                        "optionally 2 letters, e.g. 2031 AB or 2031)"),
    (with_(age=...), "age", "age is missing (required: age, concerns, impact, duration)"),
    (with_(duration=...), "duration", "duration is missing (required: age, concerns, impact, duration)"),
    (with_(duration="years"), "duration", "duration 'years' is not allowed (allowed: weeks, months, long)"),
    (with_(concerns=[]), "concerns", f"concerns is empty (expected at least one of: {ALL_CONCERNS})"),
    (with_(concerns="anxiety"), "concerns", f"concerns 'anxiety' is not a list (expected a list of: {ALL_CONCERNS})"),
    (with_(concerns=["worry"]), "concerns", f"concerns 'worry' is not allowed (allowed: {ALL_CONCERNS})"),
    (with_(concerns=["anxiety", 3]), "concerns", f"concerns 3 is not allowed (allowed: {ALL_CONCERNS})"),
    (with_(red_flags=["sad"]), "red_flags", "red_flags 'sad' is not allowed (allowed: suicidality, self_harm, "
                                           "psychosis, severe_eating, unsafe_home, danger_to_others, acute_crisis)"),
    (with_(tried=["poh"]), "tried", "tried 'poh' is not allowed (allowed: self_help, open_access, gp_practice, "
                                   "wijkteam, basic_mh, specialist_mh, crisis)"),
    (with_(context=["money"]), "context", "context 'money' is not allowed (allowed: debts, housing, "
                                         "parent_mental_health, parent_addiction, divorce_conflict, "
                                         "caregiver_overload, lvb)"),
    (with_(postcode="203"), "postcode", "postcode '203' is not a Dutch postcode (expected 4 digits and optionally "
                                        "2 letters, e.g. 2031 AB or 2031)"),
    (with_(postcode="0123AB"), "postcode", "postcode '0123AB' is not a Dutch postcode (expected 4 digits and "
                                           "optionally 2 letters, e.g. 2031 AB or 2031)"),
    (with_(postcode=2031), "postcode", "postcode 2031 is not a Dutch postcode (expected 4 digits and optionally "
                                       "2 letters, e.g. 2031 AB or 2031)"),
    (with_(area_code="WK12"), "area_code", "area_code 'WK12' is not a CBS code (expected a CBS code: BU + 8, WK + 6 or "
                                           "GM + 4 digits (CBS codes may end in letters), e.g. BU03920101, WK039201, GM0392)"),
])
def test_it_rejects_invalid_answers_naming_field_value_and_allowed_values(answers, field, message):
    with pytest.raises(InputError) as info:
        parse_answers(answers)
    assert str(info.value) == message
    assert info.value.field == field


def test_it_rejects_answers_that_are_not_an_object():
    with pytest.raises(InputError, match=r"^answers must be a JSON object with keys age, concerns, impact, duration "
                                         r"\(got a list\)$"):
        parse_answers([VALID])


def test_it_allows_extra_keys_and_fills_defaults():
    answers = parse_answers(with_(note="extra key", concerns=["anxiety", "anxiety", "sleep"], postcode=" 2031 ab ",
                                  area_code="wk039219"))
    assert answers == Answers(10, ("anxiety", "sleep"), "mild", "weeks", (), (), (), "2031 ab", "WK039219", False)
    assert parse_answers(with_(for_self=True)).for_self is True
    assert parse_answers(with_(for_self="yes")).for_self is False
    assert parse_answers(with_(red_flags=None, postcode=None)).red_flags == ()


@pytest.mark.parametrize("postcode", ["2031AB", "2031 ab", "2031", " 2035 "])
def test_it_accepts_the_contract_postcode_forms(postcode):
    assert parse_answers(with_(postcode=postcode)).postcode == postcode.strip()
