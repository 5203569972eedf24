"""Route rules are data: the default file, region overrides and clear errors for broken files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from socialmap.errors import DataError
from socialmap.rules import DEFAULT_RULES, RULE_SPECS, load_rules, parse_rules
from socialmap.triage import advise

ANXIETY_MILD = {"age": 10, "concerns": ["anxiety"], "impact": "mild", "duration": "weeks"}


def default_data() -> dict:
    return yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))


def write(folder: Path, data: dict) -> Path:
    path = folder / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def rule(data: dict, rule_id: str) -> dict:
    return next(r for r in data["rules"] if r["id"] == rule_id)


def test_it_ships_every_rule_with_dutch_and_english_text():
    rules = load_rules(None)
    assert list(rules.rules) == list(RULE_SPECS)
    for r in rules.rules.values():
        for by_lang in r.texts.values():
            assert by_lang["nl"] and by_lang["en"] and by_lang["nl"] != by_lang["en"]
            for audience in ("adult", "self"):  # an optional young-adult variant comes in both languages
                if f"{audience}.nl" in by_lang or f"{audience}.en" in by_lang:
                    assert by_lang[f"{audience}.nl"] != by_lang[f"{audience}.en"], (r.id, audience)
    assert rules.rules["R-impact-base"].params["rungs"] == {"none": 0, "mild": 1, "moderate": 2, "severe": 3}


def test_it_uses_the_default_rules_for_a_region_without_its_own_file(tmp_path):
    assert load_rules(tmp_path).source == str(DEFAULT_RULES)


def test_it_uses_a_regions_own_rules_file_when_present(tmp_path):
    data = default_data()
    rule(data, "R-impact-base")["rungs"]["mild"] = 2
    rule(data, "R-impact-base")["text"]["mild"]["nl"] = "Regionale tekst over {concerns}."
    write(tmp_path, data)
    rules = load_rules(tmp_path)
    assert rules.source == str(tmp_path / "rules.yaml")
    advice = advise(ANXIETY_MILD, rules)
    assert advice.level == "gp_practice"
    assert advice.reasons[0] == "Regionale tekst over angst of piekeren."
    assert advise(ANXIETY_MILD).level == "open_access"


def test_it_can_switch_a_rule_off_in_a_region(tmp_path):
    data = default_data()
    rule(data, "R-context-wijkteam-also")["enabled"] = False
    rules = load_rules(write(tmp_path, data).parent)
    advice = advise({**ANXIETY_MILD, "context": ["debts"]}, rules)
    assert advice.also == ()
    assert advise({**ANXIETY_MILD, "context": ["debts"]}).also == ("wijkteam",)


def test_it_refuses_an_unknown_rule_id_naming_the_file(tmp_path):
    data = default_data()
    data["rules"].append({"id": "R-astrology", "text": {"nl": "x", "en": "y"}})
    path = write(tmp_path, data)
    with pytest.raises(DataError) as info:
        parse_rules(path)
    assert info.value.messages == [
        f"{path}: rules[{len(RULE_SPECS) + 1}].id 'R-astrology' is not a known rule (allowed: {', '.join(RULE_SPECS)})"
    ]


def test_it_refuses_a_missing_english_text_naming_the_rule_and_field(tmp_path):
    data = default_data()
    del rule(data, "R-mild-long")["text"]["en"]
    del rule(data, "R-assessment")["text"]["severe"]["nl"]
    del rule(data, "R-assessment")["text"]["moderate"]["adult"]["en"]
    path = write(tmp_path, data)
    with pytest.raises(DataError) as info:
        parse_rules(path)
    assert info.value.messages == [
        f"{path}: rule R-mild-long: text.en is missing (expected a non-empty text)",
        f"{path}: rule R-assessment: text.moderate.adult.en is missing (expected a non-empty text)",
        f"{path}: rule R-assessment: text.severe.nl is missing (expected a non-empty text)",
    ]


def test_it_refuses_a_missing_rule_a_bad_parameter_and_an_unknown_placeholder(tmp_path):
    data = default_data()
    data["rules"] = [r for r in data["rules"] if r["id"] != "R-mild-long"]
    rule(data, "R-tried")["max_rung"] = 7
    rule(data, "R-red-flag")["flags"]["sadness"] = {"contacts": ["113"], "urgency": "today"}
    rule(data, "R-red-flag")["flags"]["psychosis"]["urgency"] = "whenever"
    rule(data, "R-young-child")["text"]["nl"] = "Kind van {leeftijd} jaar."
    path = write(tmp_path, data)
    with pytest.raises(DataError) as info:
        parse_rules(path)
    assert info.value.messages == [
        f"{path}: rule R-red-flag: flags.sadness is not a red flag (allowed: suicidality, self_harm, psychosis, "
        "severe_eating, unsafe_home, danger_to_others, acute_crisis)",
        f"{path}: rule R-red-flag: flags.psychosis.urgency 'whenever' is not allowed (allowed: routine, soon, today, now)",
        f"{path}: rule R-tried: max_rung 7 is not allowed (expected a whole number 0-4)",
        f"{path}: rule R-young-child: text.nl placeholder '{{leeftijd}}' is not known (allowed: {{age}}, {{concerns}}, "
        "{context}, {duration}, {impact}, {level}, {next_step}, {red_flags}, {tried})",
        f"{path}: rule R-mild-long is missing (every rule must be listed; set enabled: false to switch one off)",
    ]


def test_a_region_can_change_a_red_flags_contacts_in_its_rules_file(tmp_path):
    data = default_data()
    rule(data, "R-red-flag")["flags"]["psychosis"] = {"contacts": ["112"], "urgency": "now", "also": []}
    rules = load_rules(write(tmp_path, data).parent)
    advice = advise({**ANXIETY_MILD, "red_flags": ["psychosis"]}, rules)
    assert (advice.contacts, advice.urgency, advice.also) == (("112",), "now", ())
    assert advise({**ANXIETY_MILD, "red_flags": ["psychosis"]}).contacts == ("huisarts_today", "112")


def test_every_shipped_text_that_speaks_of_children_has_an_adult_variant():
    rules = load_rules(None)
    for r in rules.rules.values():
        for variant, by_lang in r.texts.items():
            if "uw kind" in by_lang["nl"].lower() and r.params.get("max_age") is None and variant not in (
                    "young", "young_overload"):
                assert by_lang.get("adult.nl") and by_lang.get("adult.en"), (r.id, variant)
    for level, by_lang in rules.level_texts.items():
        if "uw kind" in by_lang["nl"].lower():
            assert by_lang.get("adult.nl") and by_lang.get("adult.en"), level


def test_it_refuses_broken_yaml_with_its_line(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("version: 1\nladder:\n  rungs: [\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"^{path} line 4: broken YAML \("):
        load_rules(tmp_path)


def test_it_refuses_a_ladder_with_an_unknown_level(tmp_path):
    data = default_data()
    data["ladder"]["rungs"][3] = "therapy"
    path = write(tmp_path, data)
    with pytest.raises(DataError) as info:
        parse_rules(path)
    assert info.value.messages == [
        f"{path}: ladder.rungs.3 'therapy' is not allowed (allowed: self_help, open_access, gp_practice, wijkteam, "
        "basic_mh, specialist_mh)"
    ]
