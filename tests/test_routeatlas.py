"""The route atlas core: level descriptions, route diagram, evaluation figures, vignettes, scoring."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from socialmap import routeatlas, vocab
from socialmap.errors import DataError, InputError
from socialmap.loader import load_region
from socialmap.triage import advise, parse_answers

ROOT = Path(__file__).resolve().parents[1]
VALID_MINI = ROOT / "tests" / "fixtures" / "regions" / "valid_mini"


@pytest.fixture(scope="module")
def mini():
    return load_region(VALID_MINI)


def _raw(name: str) -> dict:
    return yaml.safe_load((ROOT / "data" / "atlas" / name).read_text(encoding="utf-8"))


# ---- levels and the route diagram ------------------------------------------------------------
def test_every_level_has_all_descriptions_in_dutch_and_english_in_ladder_order():
    levels = routeatlas.load_levels()
    assert [info.id for info in levels] == list(vocab.LEVELS)
    for info in levels:
        for lang in ("nl", "en"):
            assert info.text("what", lang) and info.text("talks", lang) and info.text("access", lang)
            assert len(info.text("who", lang)) >= 2 and len(info.text("questions", lang)) >= 2


def test_the_gp_practice_level_names_the_youth_professionals_of_the_issue():
    who = " ".join(routeatlas.level_info("gp_practice").text("who", "nl"))
    for title in ("POH Jeugd", "Ondersteuner jeugd en gezin", "SOH-JGGZ", "Jeugd- en gezinswerker"):
        assert title in who


def test_the_route_diagram_has_a_node_per_level_and_an_edge_per_route_in_the_data():
    levels = routeatlas.load_levels()
    dot = routeatlas.route_dot(levels, "nl")
    assert dot.startswith("digraph routes {") and dot.endswith("}")
    nodes = set(re.findall(r'^\s*"([a-z_]+)" \[label=', dot, flags=re.M))
    assert nodes == set(vocab.LEVELS)
    edges = re.findall(r'^\s*"([a-z_]+)" -> "([a-z_]+)"', dot, flags=re.M)
    raw = _raw("levels.yaml")["levels"]
    expected = [(e["id"], t) for e in raw for f in ("next_step", "escalation") for t in e[f]]
    also = {frozenset((e["id"], t)) for e in raw for t in e["also"]}
    assert sorted(edges) == sorted(expected + [_also_edge(raw, p) for p in also])
    assert ("self_help", "open_access") in edges and ("gp_practice", "crisis") in edges


def _also_edge(raw: list[dict], pair: frozenset) -> tuple[str, str]:
    # the first level (file order) that lists the pair draws it
    for e in raw:
        for t in e["also"]:
            if frozenset((e["id"], t)) == pair:
                return (e["id"], t)
    raise AssertionError(pair)


def test_every_level_but_crisis_can_escalate_to_the_crisis_lane():
    edges = routeatlas.route_edges(routeatlas.load_levels())
    escalating = {e.source for e in edges if e.kind == "escalation" and e.target == "crisis"}
    assert escalating == set(vocab.LADDER)


def test_dot_labels_are_escaped():
    assert routeatlas.dot_escape('Zorg "licht" \\ zwaar\nnu') == 'Zorg \\"licht\\" \\\\ zwaar\\nnu'


def test_a_levels_file_with_an_unknown_route_target_is_refused_naming_file_level_and_value(tmp_path):
    raw = _raw("levels.yaml")
    raw["levels"][0]["next_step"] = ["open_acces"]
    path = tmp_path / "levels.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as err:
        routeatlas.load_levels(path)
    assert err.value.messages[0].startswith(
        "levels.yaml: level 1 (self_help).next_step: 'open_acces' is not a level id (allowed: self_help, ")


def test_a_levels_file_missing_a_level_is_refused(tmp_path):
    raw = _raw("levels.yaml")
    raw["levels"] = [e for e in raw["levels"] if e["id"] != "wijkteam"]
    path = tmp_path / "levels.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as err:
        routeatlas.load_levels(path)
    assert "levels.yaml: levels missing: wijkteam (every level id needs an entry)" in err.value.messages


# ---- evaluations -----------------------------------------------------------------------------------
def test_every_figure_has_a_source_title_and_a_year_or_jaartal_niet_bekend():
    records = routeatlas.evaluation_records(routeatlas.load_evaluations(), "nl")
    assert records
    for rec in records:
        assert rec["source_title"].strip(), rec
        assert rec["year"].strip()
    years = {r["study"]: r["year"] for r in records}
    assert years["haarlem"] == "ca. 2019"
    assert years["groningen"] == "jaartal niet bekend"
    assert years["lighter_referral"] == "jaartal niet bekend"


def test_evaluation_records_carry_exactly_the_numbers_of_the_data_file():
    raw = {(s["id"], f["id"]): f["value"] for s in _raw("evaluations.yaml")["studies"] for f in s["figures"]}
    records = routeatlas.evaluation_records(routeatlas.load_evaluations(), "en")
    assert {(r["study"], r["figure"]): r["value"] for r in records} == raw


def test_the_figures_named_in_the_issue_are_in_the_data():
    values = {(r["study"], r["figure"]): r["value"]
              for r in routeatlas.evaluation_records(routeatlas.load_evaluations())}
    assert values[("haarlem", "practices_with_poh")] == 90
    assert values[("haarlem", "solved_in_practice")] == 70
    groningen = [values[("groningen", k)] for k in
                 ("no_referral", "to_specialist_mh", "to_wijkteam", "to_lvb_jeugdhulp", "to_basic_mh", "to_open_access")]
    assert groningen == [54, 20, 12, 5, 4, 2]
    assert values[("groningen", "trajectories_closed")] == 642
    assert [values[("steenwijkerland", k)] for k in
            ("children", "helped_in_practice", "referred_jeugd_ggz", "three_talks_enough")] == [99, 85, 15, 30]
    assert [values[("lighter_referral", k)] for k in ("no_referral", "lighter_than_gp")] == [44, 53]


def test_figures_are_phrased_as_the_source_phrases_them():
    studies = {s.id: s for s in routeatlas.load_evaluations()}
    haarlem = {f.id: f for f in studies["haarlem"].figures}
    assert routeatlas.figure_text(haarlem["practices_with_poh"], "nl") == "ruim 90%"
    assert routeatlas.figure_text(haarlem["practices_with_poh"], "en") == "over 90%"
    closed = {f.id: f for f in studies["groningen"].figures}["trajectories_closed"]
    assert routeatlas.figure_text(closed, "nl") == "642 van 971"
    assert routeatlas.source_text(studies["groningen"], "nl") == (
        "\u201cOndersteuner jeugd en gezin in Groninger gemeenten\u201d, Nederlands Jeugdinstituut (NJi), "
        "jaartal niet bekend")


def test_an_evaluation_without_a_title_is_refused(tmp_path):
    raw = _raw("evaluations.yaml")
    raw["studies"][1]["title"] = ""
    path = tmp_path / "evaluations.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as err:
        routeatlas.load_evaluations(path)
    assert err.value.messages == ["evaluations.yaml: study 2 (groningen).title: every study needs a source title, got ''"]


def test_the_chart_frame_holds_only_plotted_percentages_in_file_order():
    groningen = [s for s in routeatlas.load_evaluations() if s.id == "groningen"][0]
    frame = routeatlas.chart_frame(groningen, "nl")
    assert frame["value"].tolist() == [54, 20, 12, 5, 4, 2]
    assert frame["order"].tolist() == list(range(6))


# ---- vignettes ---------------------------------------------------------------------------------------
def test_there_are_at_least_twenty_vignettes_with_dutch_and_english_stories():
    vignettes = routeatlas.load_vignettes()
    assert len(vignettes) >= 20
    assert len({v.id for v in vignettes}) == len(vignettes)
    for v in vignettes:
        for lang in ("nl", "en"):
            assert len(v.text("story", lang)) > 60 and v.text("title", lang) and v.text("lesson", lang)


def test_every_vignette_is_valid_contract_input():
    for v in routeatlas.load_vignettes():
        answers = parse_answers(v.answers)
        assert answers.age == v.answers["age"]


def test_every_vignette_gets_its_expected_level_from_the_default_rules():
    wrong = {v.id: advise(parse_answers(v.answers)).level for v in routeatlas.load_vignettes()
             if advise(parse_answers(v.answers)).level != v.expected_level}
    assert wrong == {}


def test_the_vignettes_cover_every_level_and_the_crisis_lane():
    assert {v.expected_level for v in routeatlas.load_vignettes()} == set(vocab.LEVELS)


def test_the_vignettes_are_not_the_contracts_public_examples():
    public = [
        (4, ("parenting",), "mild", "weeks"), (14, ("low_mood",), "mild", "weeks"),
        (10, ("anxiety",), "moderate", "months"), (9, ("parenting",), "moderate", "months"),
        (15, ("anxiety",), "severe", "months"), (13, ("low_mood", "withdrawal"), "severe", "long"),
        (12, ("sleep",), "none", "weeks"), (8, ("behaviour",), "moderate", "months"),
    ]
    mine = [(v.answers["age"], tuple(v.answers["concerns"]), v.answers["impact"], v.answers["duration"])
            for v in routeatlas.load_vignettes()]
    assert [m for m in mine if m in public] == []


def test_a_vignette_with_an_invalid_answer_is_refused_naming_the_vignette(tmp_path):
    raw = _raw("vignettes.yaml")
    raw["vignettes"][2]["answers"]["impact"] = "heavy"
    path = tmp_path / "vignettes.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as err:
        routeatlas.load_vignettes(path)
    assert len(err.value.messages) == 1
    assert err.value.messages[0].startswith("vignettes.yaml: vignette 3 (v03-eng-filmpje).answers: ")
    assert "impact" in err.value.messages[0] and "heavy" in err.value.messages[0]


# ---- scoring -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("picked,advised,points,verdict", [
    ("gp_practice", "gp_practice", 2, "exact"),
    ("crisis", "crisis", 2, "exact"),
    ("open_access", "gp_practice", 1, "close"),
    ("basic_mh", "gp_practice", 1, "close"),
    ("wijkteam", "gp_practice", 1, "close"),
    ("self_help", "gp_practice", 0, "off"),
    ("specialist_mh", "open_access", 0, "off"),
    ("specialist_mh", "crisis", 0, "crisis_missed"),
    ("self_help", "crisis", 0, "crisis_missed"),
    ("crisis", "specialist_mh", 1, "close"),
    ("crisis", "open_access", 0, "off"),
])
def test_scoring_gives_two_for_exact_one_for_one_rung_off_and_zero_otherwise(picked, advised, points, verdict):
    result = routeatlas.score(picked, advised)
    assert (result.points, result.verdict, result.max_points) == (points, verdict, 2)


def test_scoring_says_whether_the_pick_was_lighter_or_heavier():
    assert routeatlas.score("open_access", "gp_practice").direction == "lighter"
    assert routeatlas.score("basic_mh", "gp_practice").direction == "heavier"
    assert routeatlas.score("wijkteam", "gp_practice").direction == "same"
    assert routeatlas.score("open_access", "crisis").crisis_missed


def test_scoring_an_unknown_level_is_an_input_error():
    with pytest.raises(InputError) as err:
        routeatlas.score("poh", "gp_practice")
    assert str(err.value).startswith("picked level 'poh' is not a level id (allowed: self_help, open_access, ")


# ---- region look-ups ---------------------------------------------------------------------------------
def test_waiting_stats_give_median_and_range_of_the_known_waiting_times(mini):
    assert routeatlas.waiting_stats(mini, "gp_practice") == routeatlas.WaitingStats(1, 1, 2.0, 2, 2)
    assert routeatlas.waiting_stats(mini, "open_access") == routeatlas.WaitingStats(2, 2, 0.0, 0, 0)
    assert routeatlas.waiting_stats(mini, "crisis") == routeatlas.WaitingStats(1, 0, None, None, None)
    assert routeatlas.waiting_stats(mini, "basic_mh") == routeatlas.WaitingStats(0, 0, None, None, None)


def test_level_services_is_a_copy_sorted_by_name(mini):
    frame = routeatlas.level_services(mini, "open_access")
    assert frame.index.tolist() == ["svc-baby", "svc-cjg"]
    frame.loc["svc-baby", "name"] = "changed"
    assert mini.services.at["svc-baby", "name"] == "Consultatiebureau"


def test_who_to_call_without_an_area_filters_on_age_and_concern_lightest_first(mini):
    names = [(o.service_id, o.level) for o in routeatlas.who_to_call(mini, "parenting", 5)]
    assert names == [("svc-cjg", "open_access")]
    anxiety = routeatlas.who_to_call(mini, "anxiety", 10)
    assert [(o.service_id, o.access_route, o.waiting_weeks) for o in anxiety] == [("svc-poh", "via_huisarts", 2)]


def test_who_to_call_for_a_baby_finds_the_consultatiebureau_with_the_organisations_phone(mini):
    baby = routeatlas.who_to_call(mini, "development", 0)
    assert [o.service_id for o in baby] == ["svc-baby"]
    assert baby[0].phone == "023-1234567" and baby[0].organization == "CJG Testgemeente"


def test_who_to_call_with_an_area_uses_the_local_match(mini):
    area = mini.area("WK999101")
    options = routeatlas.who_to_call(mini, "anxiety", 10, area=area)
    assert [(o.service_id, o.serves_area) for o in options] == [("svc-poh", True)]


def test_who_to_call_refuses_an_unknown_concern_and_a_bad_age(mini):
    with pytest.raises(InputError) as err:
        routeatlas.who_to_call(mini, "angst", 10)
    assert str(err.value).startswith("concern 'angst' is not allowed (allowed: parenting, behaviour, ")
    with pytest.raises(InputError) as err:
        routeatlas.who_to_call(mini, "anxiety", 24)
    assert str(err.value) == "age 24 is not allowed (expected a whole number of years 0-23)"


def test_every_verdict_and_direction_has_a_text_in_both_languages():
    from socialmap import i18n

    keys = [f"atlas.practice.verdict.{v}" for v in ("exact", "close", "off", "crisis_missed")]
    keys += [f"atlas.practice.direction.{d}" for d in ("same", "heavier", "lighter")]
    for lang in i18n.LANGUAGES:
        assert [k for k in keys if not i18n.has(k, lang)] == []
    assert i18n.t("atlas.practice.verdict.off", "nl", picked="A", advised="B", points=0, max=2) == (
        "Niet goed: u koos A, de routewijzer adviseert B. 0 van 2 punten.")


def test_who_to_call_for_an_area_reads_the_lookup_table_and_says_the_same_as_match():
    from socialmap import matching, snapshot

    folder = ROOT / "data" / "regions" / "kennemerland"
    plain, indexed = snapshot.load(folder), snapshot.load(folder)
    assert plain is not indexed
    matching.lookup(indexed)
    assert matching.lookup.peek(plain) is None
    wijken = list(plain.areas.index[plain.areas["kind"] == "wijk"])
    for i, concern in enumerate(vocab.CONCERNS):
        for age in (0, 4, 9, 15, 21):
            code = wijken[(i * 7 + age) % len(wijken)]
            assert routeatlas.who_to_call(indexed, concern, age, indexed.area(code)) == routeatlas.who_to_call(
                plain, concern, age, plain.area(code)), (concern, age, code)
