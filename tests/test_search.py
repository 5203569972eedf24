"""Filters and the typo-tolerant keyword search of the Sociale kaart."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ROOT, VALID_MINI
from socialmap import search
from socialmap.errors import InputError
from socialmap.loader import load_region
from socialmap.search import ServiceFilters


@pytest.fixture(scope="module")
def atlas():
    return load_region(VALID_MINI)


def _ids(results):
    return [sid for sid, _ in results]


@pytest.mark.parametrize("query,expected", [
    ("opvoedspreekuur", ["svc-cjg"]),
    ("opvoedspreekur", ["svc-cjg"]),  # letter missing
    ("Opvoedsprekuur", ["svc-cjg"]),  # letter missing, capital
    ("consultatiebuerau", ["svc-baby"]),  # letters swapped
    ("consultatiebureau baby's", ["svc-baby"]),  # every word must match
    ("spreekuur", ["svc-cjg"]),  # part of a compound word
    ("consul", ["svc-baby"]),  # start of a word
])
def test_keyword_search_finds_services_despite_typos(atlas, query, expected):
    assert _ids(search.keyword_search(atlas, query)) == expected


def test_keyword_search_finds_a_service_by_the_label_of_its_concern(atlas):
    # "angst" is not in the POH's name or description, but it helps with anxiety
    assert _ids(search.keyword_search(atlas, "angst")) == ["svc-poh"]
    assert _ids(search.keyword_search(atlas, "anxiety")) == ["svc-poh"]


def test_keyword_search_returns_nothing_for_an_unrelated_word(atlas):
    assert search.keyword_search(atlas, "zwembad") == []
    assert search.keyword_search(atlas, "opvoedspreekuur zwembad") == []


def test_keyword_search_ranks_a_hit_in_the_name_above_one_in_the_organisation(atlas):
    # "CJG" is in the name of svc-cjg and only in the organisation name of svc-baby
    assert _ids(search.keyword_search(atlas, "cjg")) == ["svc-cjg", "svc-baby"]


def test_an_empty_query_keeps_every_given_service(atlas):
    assert _ids(search.keyword_search(atlas, "  ", ["svc-poh", "svc-hap"])) == ["svc-poh", "svc-hap"]


def test_no_filter_keeps_every_service(atlas):
    assert search.filter_services(atlas, ServiceFilters()) == ["svc-cjg", "svc-poh", "svc-baby", "svc-hap"]


def test_filters_by_level_access_route_and_status(atlas):
    assert search.filter_services(atlas, ServiceFilters(levels=("open_access",))) == ["svc-cjg", "svc-baby"]
    assert search.filter_services(atlas, ServiceFilters(access_routes=("via_huisarts", "direct"))) == ["svc-poh", "svc-hap"]
    assert search.filter_services(atlas, ServiceFilters(hide_illustrative=True)) == ["svc-cjg", "svc-baby", "svc-hap"]


def test_filters_by_age_in_years(atlas):
    # svc-baby is for 0-6 months, svc-poh for 4-18 years
    assert search.filter_services(atlas, ServiceFilters(age=0)) == ["svc-cjg", "svc-baby", "svc-hap"]
    assert search.filter_services(atlas, ServiceFilters(age=10)) == ["svc-cjg", "svc-poh", "svc-hap"]
    assert search.filter_services(atlas, ServiceFilters(age=20)) == ["svc-hap"]


def test_a_concern_filter_keeps_general_services_without_concerns(atlas):
    assert search.filter_services(atlas, ServiceFilters(concerns=("anxiety",))) == ["svc-poh", "svc-hap"]


def test_filters_by_language(atlas):
    assert search.filter_services(atlas, ServiceFilters(languages=("en",))) == ["svc-cjg"]
    assert search.search_index(atlas).languages == ("en", "nl")


def test_open_now_and_walk_in_use_the_schedules(atlas):
    monday_10 = dt.datetime(2026, 11, 23, 10, 0)  # svc-cjg open mo 09-17
    wednesday_10 = dt.datetime(2026, 11, 25, 10, 0)  # svc-cjg walk-in we 09-11
    saturday_3 = dt.datetime(2026, 11, 28, 3, 0)  # svc-hap open sa 00-24
    assert search.filter_services(atlas, ServiceFilters(open_now=True), now=monday_10) == ["svc-cjg"]
    assert search.filter_services(atlas, ServiceFilters(open_now=True), now=saturday_3) == ["svc-hap"]
    assert search.filter_services(atlas, ServiceFilters(walk_in=True), now=wednesday_10) == ["svc-cjg"]
    assert search.filter_services(atlas, ServiceFilters(walk_in=True), now=monday_10) == []


def test_filters_round_trip_through_the_url():
    filters = ServiceFilters(levels=("open_access", "crisis"), concerns=("anxiety",), age=7,
                             access_routes=("direct",), open_now=True, walk_in=True, languages=("en",),
                             hide_illustrative=True)
    params = filters.to_params()
    assert params == {"level": "open_access,crisis", "concern": "anxiety", "age": "7", "access": "direct",
                      "open": "1", "walkin": "1", "lang_spoken": "en", "real": "1"}
    assert ServiceFilters.from_params(params) == filters
    assert ServiceFilters().to_params() == {}


def test_malformed_url_filters_are_dropped_not_raised():
    parsed = ServiceFilters.from_params({"level": "crisis,nonsense", "age": "abc", "concern": "<script>",
                                         "lang_spoken": "english,en", "open": "yes"})
    assert parsed == ServiceFilters(levels=("crisis",), languages=("en",))
    assert ServiceFilters.from_params({"age": "99"}).age is None


def test_a_postcode_resolves_to_its_area_and_lists_the_services_serving_it(atlas):
    area, ids = search.services_for_postcode(atlas, "9993 AB")
    assert area.code == "BU99910201"
    # svc-poh only serves the other wijk; local services first, the national line last
    assert ids == ["svc-cjg", "svc-baby", "svc-hap"]
    area, ids = search.services_for_postcode(atlas, "9991")
    assert ids == ["svc-poh", "svc-cjg", "svc-baby", "svc-hap"]


def test_a_postcode_outside_the_region_is_refused_with_a_clear_message(atlas):
    with pytest.raises(InputError) as err:
        search.services_for_postcode(atlas, "1234")
    assert str(err.value) == ("postcode '1234' is outside region Testgemeente (fixture) (known postcodes: "
                              "9991-9993, 3 areas)")


def test_the_lists_waiting_figure_and_example_share_are_the_same_for_all_services_in_any_order():
    from socialmap import figures, snapshot

    kem = snapshot.load(ROOT / "data" / "regions" / "kennemerland")
    svc = kem.services
    every = search.filter_services(kem, ServiceFilters())
    assert every == [str(i) for i in svc.index] and all(type(i) is str for i in every)
    plain = figures.waiting(svc)
    assert search.list_waiting(kem, every) == plain == search.list_waiting(kem, every[::-1])
    some = every[::3]
    assert search.list_waiting(kem, some) == figures.waiting(svc.loc[some])
    assert search.illustrative_share(kem, some) == kem.illustrative_share(some)
