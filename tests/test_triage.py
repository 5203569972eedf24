"""The route engine follows the triage contract: examples, principles 1-9, validation messages."""

from __future__ import annotations

import itertools
from functools import lru_cache

import pytest

from socialmap import vocab
from socialmap.errors import InputError
from socialmap.triage import Advice, Answers, advise, parse_answers

# ---- the public examples of the contract ------------------------------------------------------

PUBLIC_EXAMPLES = [
    ({"age": 4, "concerns": ["parenting"], "impact": "mild", "duration": "weeks"}, "open_access"),
    ({"age": 14, "concerns": ["low_mood"], "red_flags": ["suicidality"], "impact": "mild", "duration": "weeks"}, "crisis"),
    ({"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months"}, "gp_practice"),
    ({"age": 9, "concerns": ["parenting"], "context": ["debts"], "impact": "moderate", "duration": "months"}, "wijkteam"),
    ({"age": 15, "concerns": ["anxiety"], "impact": "severe", "duration": "months"}, "basic_mh"),
    ({"age": 13, "concerns": ["low_mood", "withdrawal"], "impact": "severe", "duration": "long",
      "tried": ["gp_practice"]}, "specialist_mh"),
    ({"age": 12, "concerns": ["sleep"], "impact": "none", "duration": "weeks"}, "self_help"),
    ({"age": 8, "concerns": ["behaviour"], "impact": "moderate", "duration": "months", "tried": ["gp_practice"]}, "basic_mh"),
]


@pytest.mark.parametrize("answers,level", PUBLIC_EXAMPLES)
def test_it_gives_the_contract_level_for_each_public_example(answers, level):
    assert advise(answers).level == level


def test_it_explains_the_public_examples_with_rules_that_fired():
    assert advise(PUBLIC_EXAMPLES[0][0]).rule_ids == ("R-impact-base", "R-young-child")
    assert advise(PUBLIC_EXAMPLES[1][0]).rule_ids == ("R-red-flag",)
    assert advise(PUBLIC_EXAMPLES[3][0]).rule_ids == ("R-impact-base", "R-context-wijkteam-level")
    assert advise(PUBLIC_EXAMPLES[5][0]).rule_ids == ("R-impact-base", "R-specialist", "R-tried")


def test_it_returns_the_contract_output_object():
    out = advise({"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months",
                  "context": ["debts"]}).to_dict()
    assert list(out) == ["level", "also", "next_step", "reasons", "rule_ids"]
    assert out["level"] == "gp_practice"
    assert out["also"] == ["wijkteam"]
    assert out["next_step"] == "basic_mh"
    assert out["rule_ids"] == ["R-impact-base", "R-context-wijkteam-also"]
    assert all(isinstance(r, str) and r for r in out["reasons"])


def test_it_writes_the_reasons_in_dutch_by_default_and_in_english_on_request():
    answers = {"age": 3, "concerns": ["sleep"], "impact": "mild", "duration": "weeks"}
    nl = advise(answers).reasons
    en = advise(answers, lang="en").reasons
    assert "consultatiebureau" in nl[1] and "JGZ" in nl[1]
    assert nl[1].startswith("Uw kind is 3 jaar.")
    assert en[1].startswith("Your child is 3.")
    assert nl != en


def test_it_fills_placeholders_with_labels_and_never_leaves_braces():
    advice = advise({"age": 14, "concerns": ["low_mood"], "red_flags": ["self_harm", "suicidality"],
                     "impact": "mild", "duration": "weeks"})
    assert "{" not in " ".join(advice.reasons)
    assert advice.reasons[0].startswith("U noemt iets waarbij veiligheid voorgaat (")
    assert " en " in advice.reasons[0]


def test_it_accepts_validated_answers_and_plain_mappings_alike():
    raw = PUBLIC_EXAMPLES[2][0]
    assert advise(parse_answers(raw)) == advise(raw)


# ---- a reference implementation written from the contract text ---------------------------------

PSYCHOSOCIAL = {"behaviour", "anxiety", "low_mood", "withdrawal", "self_esteem", "social", "trauma", "divorce", "substance_use"}
EVERYDAY = {"parenting", "sleep", "development", "eating", "school"}
RUNG_LEVEL = {0: "self_help", 1: "open_access", 2: "gp_practice", 3: "basic_mh", 4: "specialist_mh"}
NEXT = {"self_help": "open_access", "open_access": "gp_practice", "gp_practice": "basic_mh", "wijkteam": "basic_mh",
        "basic_mh": "specialist_mh", "specialist_mh": None, "crisis": None}
RUNG = {"self_help": 0, "open_access": 1, "gp_practice": 2, "wijkteam": 2, "basic_mh": 3, "specialist_mh": 4, "crisis": 5}


def reference_level(age, concerns, impact, duration, red_flags, tried, context):
    if red_flags:  # 1
        return "crisis"
    rung = {"none": 0, "mild": 1, "moderate": 2, "severe": 3}[impact]  # 2
    if impact == "mild" and duration == "long":  # 3
        rung = max(rung, 2)
    if tried:  # 4
        rung = max(rung, min(max(RUNG[t] for t in tried) + 1, 4))
    if "adhd_medication" in concerns or ("assessment" in concerns and impact in ("none", "mild")):  # 5
        rung = max(rung, 2)
    if ((impact == "severe" and duration == "long" and len(set(concerns) & PSYCHOSOCIAL) >= 2)  # 6
            or ({"eating", "trauma"} & set(concerns) and impact == "severe")
            or ("assessment" in concerns and impact in ("moderate", "severe"))):
        rung = 4
    family = bool(context) and set(concerns) <= EVERYDAY | {"divorce"}  # 7
    if family:
        rung = max(rung, 2)
    if rung == 2:
        return "wijkteam" if family else "gp_practice"
    return RUNG_LEVEL[rung]


AGES = (0, 3, 4, 5, 10, 12, 16, 18, 23)
TRIED_SETS = ((), ("self_help",), ("open_access",), ("gp_practice",), ("wijkteam",), ("basic_mh",),
              ("specialist_mh",), ("crisis",), ("self_help", "open_access"), ("open_access", "gp_practice"),
              ("open_access", "gp_practice", "basic_mh"))
CONTEXT_SETS = ((), ("debts",), ("debts", "lvb"))
CONCERN_SETS = (("parenting",), ("sleep",), ("anxiety",), ("low_mood", "withdrawal"), ("divorce",),
                ("parenting", "divorce"), ("eating",), ("trauma",), ("adhd_medication",), ("assessment",),
                ("school", "anxiety"), ("behaviour", "social", "substance_use"))
RED_FLAG_SETS = ((), ("self_harm",))


@lru_cache(maxsize=None)
def cached_advice(age, concerns, impact, duration, red_flags, tried, context) -> Advice:
    return advise(Answers(age, concerns, impact, duration, red_flags, tried, context))


SPACE = list(itertools.product(AGES, CONCERN_SETS, vocab.IMPACTS, vocab.DURATIONS, RED_FLAG_SETS, TRIED_SETS,
                               CONTEXT_SETS))


def test_it_agrees_with_the_contract_principles_on_the_whole_answer_space():
    wrong = []
    for point in SPACE:
        got = cached_advice(*point).level
        expected = reference_level(*point)
        if got != expected:
            wrong.append((point, got, expected))
    assert not wrong, f"{len(wrong)} differences, first: {wrong[:3]}"


def test_it_gives_every_answer_a_level_a_consistent_next_step_and_a_reason():
    for point in SPACE:
        advice = cached_advice(*point)
        assert advice.level in vocab.LEVELS
        assert advice.rung == RUNG[advice.level]
        assert advice.next_step == NEXT[advice.level]
        assert advice.reasons and advice.rule_ids
        assert len(advice.reasons) >= len(advice.rule_ids) + 1  # one per rule that fired, then the level


def test_it_routes_any_red_flag_to_crisis_whatever_else_was_answered():
    for flag in vocab.RED_FLAGS:
        for point in SPACE[::97]:
            age, concerns, impact, duration, _, tried, context = point
            advice = advise(Answers(age, concerns, impact, duration, (flag,), tried, context))
            assert (advice.level, advice.next_step, advice.also, advice.rule_ids) == ("crisis", None, (), ("R-red-flag",))


def _worse_neighbours(point):
    age, concerns, impact, duration, red_flags, tried, context = point
    i = vocab.IMPACTS.index(impact)
    if i + 1 < len(vocab.IMPACTS):
        yield "impact", (age, concerns, vocab.IMPACTS[i + 1], duration, red_flags, tried, context)
    d = vocab.DURATIONS.index(duration)
    if d + 1 < len(vocab.DURATIONS):
        yield "duration", (age, concerns, impact, vocab.DURATIONS[d + 1], red_flags, tried, context)
    if not red_flags:
        yield "red flag", (age, concerns, impact, duration, ("self_harm",), tried, context)
    for more in TRIED_SETS:
        if set(tried) < set(more):
            yield "tried", (age, concerns, impact, duration, red_flags, more, context)
    for more in CONTEXT_SETS:
        if set(context) < set(more):
            yield "context", (age, concerns, impact, duration, red_flags, tried, more)


def test_it_never_gives_a_lighter_rung_when_an_answer_gets_worse():
    lighter = []
    for point in SPACE:
        rung = cached_advice(*point).rung
        for what, worse in _worse_neighbours(point):
            if cached_advice(*worse).rung < rung:
                lighter.append((what, point, worse))
    assert not lighter, f"{len(lighter)} non-monotone pairs, first: {lighter[:3]}"


def test_it_brings_the_wijkteam_in_for_any_context_stressor():
    for point in SPACE:
        advice = cached_advice(*point)
        context = point[6]
        if context and advice.level not in ("wijkteam", "crisis"):
            assert advice.also == ("wijkteam",)
            assert "R-context-wijkteam-also" in advice.rule_ids
        else:
            assert advice.also == ()


def test_it_points_parents_of_children_up_to_four_to_the_consultatiebureau_on_rung_one():
    seen = 0
    for point in SPACE:
        advice = cached_advice(*point)
        young = point[0] <= 4 and advice.level == "open_access"
        assert ("R-young-child" in advice.rule_ids) == young
        assert any("consultatiebureau" in r for r in advice.reasons) == young
        seen += young
    assert seen > 100


# ---- single principles, spelled out -------------------------------------------------------------

def base(**over):
    answers = {"age": 10, "concerns": ["anxiety"], "impact": "mild", "duration": "weeks"}
    answers.update(over)
    return advise(answers)


def test_it_starts_the_rung_from_the_impact():
    assert [base(impact=i).level for i in vocab.IMPACTS] == ["self_help", "open_access", "gp_practice", "basic_mh"]


def test_it_sends_a_mild_problem_that_lasts_long_to_rung_two():
    assert base(duration="months").level == "open_access"
    assert base(duration="long").level == "gp_practice"
    assert "R-mild-long" in base(duration="long").rule_ids


@pytest.mark.parametrize("tried,level", [
    (["self_help"], "open_access"), (["open_access"], "gp_practice"), (["gp_practice"], "basic_mh"),
    (["wijkteam"], "basic_mh"), (["basic_mh"], "specialist_mh"), (["specialist_mh"], "specialist_mh"),
    (["crisis"], "specialist_mh"),
])
def test_it_moves_one_rung_above_the_heaviest_help_tried(tried, level):
    assert base(impact="none", tried=tried).level == level


@pytest.mark.parametrize("concerns,impact,level", [
    (["adhd_medication"], "none", "gp_practice"), (["adhd_medication"], "mild", "gp_practice"),
    (["assessment"], "none", "gp_practice"), (["assessment"], "mild", "gp_practice"),
    (["assessment"], "moderate", "specialist_mh"), (["assessment"], "severe", "specialist_mh"),
])
def test_it_needs_at_least_the_first_line_for_medication_and_assessment(concerns, impact, level):
    assert base(concerns=concerns, impact=impact).level == level


@pytest.mark.parametrize("concerns,impact,duration,level", [
    (["low_mood", "withdrawal"], "severe", "long", "specialist_mh"),
    (["low_mood", "withdrawal"], "severe", "months", "basic_mh"),
    (["low_mood", "sleep"], "severe", "long", "basic_mh"),
    (["eating"], "severe", "weeks", "specialist_mh"),
    (["trauma"], "severe", "weeks", "specialist_mh"),
    (["trauma"], "moderate", "long", "gp_practice"),
])
def test_it_chooses_specialist_care_only_in_the_contract_cases(concerns, impact, duration, level):
    assert base(concerns=concerns, impact=impact, duration=duration).level == level


@pytest.mark.parametrize("concerns,context,impact,level", [
    (["parenting"], ["housing"], "mild", "wijkteam"),
    (["divorce"], ["divorce_conflict"], "mild", "wijkteam"),
    (["school", "divorce"], ["lvb"], "moderate", "wijkteam"),
    (["parenting"], ["debts"], "none", "wijkteam"),
    (["anxiety", "parenting"], ["debts"], "moderate", "gp_practice"),
    (["parenting"], [], "moderate", "gp_practice"),
    (["parenting"], ["debts"], "severe", "basic_mh"),
])
def test_it_sends_families_with_context_stressors_and_everyday_concerns_to_the_wijkteam(concerns, context, impact, level):
    assert base(concerns=concerns, context=context, impact=impact).level == level


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
    assert answers == Answers(10, ("anxiety", "sleep"), "mild", "weeks", (), (), (), "2031 ab", "WK039219")
    assert parse_answers(with_(red_flags=None, postcode=None)).red_flags == ()


@pytest.mark.parametrize("postcode", ["2031AB", "2031 ab", "2031", " 2035 "])
def test_it_accepts_the_contract_postcode_forms(postcode):
    assert parse_answers(with_(postcode=postcode)).postcode == postcode.strip()
