"""The family's own GP practice: search, and what the advice may say about its youth professional."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, SHIPPED
from socialmap import practice
from socialmap.loader import load_region

REAL = FIXTURES / "regions" / "practices_real"


@pytest.fixture(scope="module")
def atlas():
    return load_region(REAL)


def test_it_finds_a_practice_by_a_word_of_its_name_in_any_case(atlas):
    assert [p.id for p in practice.search(atlas, "duinen")] == ["gp-duin"]
    assert [p.id for p in practice.search(atlas, "MOLENPLEIN")] == ["gp-molen"]


def test_it_finds_practices_by_postcode_with_or_without_letters(atlas):
    assert [p.id for p in practice.search(atlas, "9993")] == ["gp-molen"]
    assert [p.id for p in practice.search(atlas, "9991 ab")] == ["gp-duin"]


def test_real_practices_come_before_illustrative_ones(atlas):
    found = practice.search(atlas, "")
    assert [p.real for p in found] == [True, True, True, False]
    assert found[-1].id == "gp-west"


def test_a_real_practice_with_a_poh_jeugd_is_named_with_its_days(atlas):
    own = practice.own_practice(atlas, "gp-duin")
    assert own.known and own.professional == "poh_jeugd" and own.days == ("tu", "th")
    assert own.title == "Huisartsenpraktijk De Duinen heeft een POH Jeugd, op dinsdag en donderdag."
    assert own.todo == "Maak via de assistente van uw huisarts een afspraak met de POH Jeugd."
    assert own.service_id == "svc-poh-duin"


def test_a_real_practice_without_a_youth_professional_points_to_the_cjg_and_the_wijkteam(atlas):
    own = practice.own_practice(atlas, "gp-molen")
    assert own.known and own.professional is None and own.service_id is None
    assert own.title == "Huisartsen Molenplein heeft geen praktijkondersteuner jeugd."
    assert own.todo == "Ga naar het CJG of het sociaal wijkteam. Daar kunt u zonder verwijzing terecht."


def test_a_practice_to_be_verified_is_still_a_real_record(atlas):
    own = practice.own_practice(atlas, "gp-haven")
    assert own.title == "Gezondheidscentrum Haven heeft een SOH-JGGZ, op maandag, woensdag en vrijdag."


def test_an_illustrative_practice_is_unknown_and_its_example_nurse_is_never_named(atlas):
    own = practice.own_practice(atlas, "gp-west")
    assert not own.known and own.professional is None and own.service_id is None
    assert own.title == "Huisartsenpraktijk voorbeeld West: onbekend - vraag het uw praktijk."
    assert "POH" not in own.title


def test_dont_know_and_unknown_ids_ask_the_practice(atlas):
    for pid in (None, "", practice.UNKNOWN, "gp-bestaat-niet", "<script>"):
        own = practice.own_practice(atlas, pid)
        assert own.practice is None and not own.known
        assert own.todo.startswith("Vraag de assistente van uw huisarts")


def test_the_answer_speaks_english(atlas):
    own = practice.own_practice(atlas, "gp-duin", "en")
    assert own.title == "Huisartsenpraktijk De Duinen has a Youth practice nurse (POH Jeugd), on Tuesday and Thursday."


def test_every_practice_of_the_shipped_region_is_illustrative_so_none_is_stated_as_fact(shipped_atlas):
    answers = [practice.own_practice(shipped_atlas, p.id) for p in practice.practices(shipped_atlas)]
    assert answers and all(not a.known and a.title.endswith("onbekend - vraag het uw praktijk.") for a in answers)


ANXIETY = {"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months", "postcode": "9991"}


def _gp_lane(result):
    return next(lane for lane in result.lanes if lane.level == "gp_practice")


def test_the_route_names_the_own_practice_and_offers_its_poh_first_and_picked(atlas):
    from socialmap import route as route_core

    result = route_core.route(atlas, ANXIETY, "nl", own_practice="gp-duin")
    assert result.own_practice.title == "Huisartsenpraktijk De Duinen heeft een POH Jeugd, op dinsdag en donderdag."
    lane = _gp_lane(result)
    assert [o.id for o in lane.options][:1] == ["svc-poh-duin"]
    assert "svc-poh-duin" in result.picked


def test_at_the_gp_level_other_practices_nurses_are_never_options(atlas):
    from socialmap import route as route_core

    for own in ("gp-duin", "gp-molen", "gp-west", None):
        ids = {o.id for o in _gp_lane(route_core.route(atlas, ANXIETY, "nl", own_practice=own)).options}
        mine = {"gp-duin": {"svc-poh-duin"}}.get(own or "", set())
        assert ids & {"svc-poh-duin", "svc-soh-haven", "svc-poh"} == mine, (own, ids)


def test_the_own_practice_answer_changes_the_poh_result(atlas):
    from socialmap import route as route_core

    with_poh = route_core.route(atlas, ANXIETY, "nl", own_practice="gp-duin")
    without = route_core.route(atlas, ANXIETY, "nl", own_practice="gp-molen")
    assert without.own_practice.title == "Huisartsen Molenplein heeft geen praktijkondersteuner jeugd."
    assert without.own_practice.todo.startswith("Ga naar het CJG of het sociaal wijkteam")
    assert "svc-poh-duin" in with_poh.picked and "svc-poh-duin" not in without.picked


def test_a_picker_offers_every_practice_of_a_small_region(atlas):
    assert sorted(p.id for p in practice.picker_options(atlas, None)) == ["gp-duin", "gp-haven", "gp-molen", "gp-west"]


def test_a_picker_in_a_large_region_offers_the_practices_of_the_postcodes_municipality_only(atlas, monkeypatch):
    monkeypatch.setattr(practice, "PICKER_ALL_UP_TO", 1)  # as if the region were national
    assert sorted(p.id for p in practice.picker_options(atlas, "9993 AB")) == ["gp-duin", "gp-haven", "gp-molen"]
    assert practice.picker_options(atlas, None) == []  # no postcode yet: no list of a whole country
    assert practice.picker_options(atlas, "1234") == []
