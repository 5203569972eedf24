"""Honest figures: computed from real records, with their n, on a fixture where every figure differs.

The fixture ``honest_mini`` has 7 real services (5 light-help services at one address in the west,
a wijkteam and the huisartsenpost) and 9 illustrative ones (5 walk-ins in the east, a POH, an app,
basic and specialist mental health care), so each figure is different with the examples included.
"""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from socialmap import figures, profiles, routeatlas, search
from socialmap.curation import quality
from socialmap.loader import load_region

HONEST = FIXTURES / "regions" / "honest_mini"


@pytest.fixture(scope="module")
def atlas():
    return load_region(HONEST)


# ---- the one definition ----------------------------------------------------------------------

def test_a_figure_from_five_real_records_is_shown_with_its_n():
    fig = figures.make(2.5, ["verified"] * 3 + ["to_verify"] * 2 + ["illustrative"] * 4)
    assert (fig.n_real, fig.n_all, fig.enough, fig.shown) == (5, 9, True, True)
    assert figures.figure_text(fig, lambda v: figures.number(v, "nl") + " weken", "nl") == \
        "2,5 weken (n = 5 echte diensten)"
    assert figures.figure_text(fig, lambda v: figures.number(v, "en") + " weeks", "en") == \
        "2.5 weeks (n = 5 real services)"


def test_fewer_than_five_real_records_say_too_few_instead_of_a_figure():
    fig = figures.make(1.0, ["verified"] * 4 + ["illustrative"] * 40)
    assert not fig.shown
    assert figures.figure_text(fig, str, "nl") == "te weinig echte gegevens (n = 4)"
    assert figures.figure_text(fig, str, "en") == "too few real data (n = 4)"


def test_a_figure_with_the_examples_included_is_an_example_figure():
    fig = figures.make(7.5, ["verified"] * 2 + ["illustrative"] * 3, include_examples=True)
    assert fig.is_example and fig.shown
    assert figures.figure_text(fig, lambda v: figures.number(v, "nl"), "nl") == \
        "7,5 (voorbeeldcijfer: 2 echte en 3 voorbeelddiensten)"


def test_numbers_and_distances_use_a_dutch_decimal_comma():
    assert figures.number(1.5, "nl") == "1,5"
    assert figures.number(12345.67, "nl") == "12.345,7"
    assert figures.number(12345.67, "en") == "12,345.7"
    assert figures.number(3.0, "nl") == "3"
    assert figures.km(2000, "nl") == "2,0 km"
    assert figures.km(2049, "en") == "2.0 km"


# ---- every figure differs between real-only and with the examples ------------------------------

def test_the_waiting_time_at_a_level_counts_real_services_only(atlas):
    real = routeatlas.waiting_figure(atlas, "open_access")
    both = routeatlas.waiting_figure(atlas, "open_access", include_examples=True)
    assert real.value == figures.Waiting(3.0, 1, 5) and (real.n_real, real.n_all) == (5, 5)
    assert both.value == figures.Waiting(7.5, 1, 10) and (both.n_real, both.n_all) == (5, 10)
    assert figures.waiting_text(real.value, "nl") == "mediaan 3 weken (1 tot 5 weken)"
    assert routeatlas.waiting_figure(atlas, "gp_practice").shown is False  # only an example POH


def test_coverage_per_wijk_counts_real_light_help_only(atlas):
    real = profiles.coverage(atlas, include_examples=False)
    both = profiles.coverage(atlas)
    assert real["light_services"].tolist() == [5, 5] and both["light_services"].tolist() == [11, 11]
    assert real["youth_per_service"].round(1).tolist() == [700.0, 400.0]
    assert both["youth_per_service"].round(1).tolist() == [318.2, 181.8]
    assert real["far"].tolist() == [False, True] and both["far"].tolist() == [False, False]
    assert real["light_real"].tolist() == both["light_real"].tolist() == [5, 5]


def test_the_gaps_of_a_wijk_count_real_services_only(atlas):
    real = profiles.area_profile(atlas, "WK999101", include_examples=False)
    both = profiles.area_profile(atlas, "WK999101")
    assert real.gaps == ("self_help", "gp_practice", "basic_mh", "specialist_mh")
    assert both.gaps == ()
    assert (real.gaps_figure.n_real, real.gaps_figure.n_all, real.gaps_figure.shown) == (7, 7, True)
    assert both.gaps_figure.is_example


def test_real_coverage_counts_the_places_in_advice_a_real_service_fills(atlas):
    fig = quality.real_coverage(atlas)
    assert fig.value == quality.RealCoverage(real=10, places=18)
    assert (fig.n_real, fig.n_all) == (7, 16)


def test_the_to_do_list_puts_the_records_advice_shows_most_first(atlas):
    todo = quality.advice_todo(atlas)
    assert todo["shown_in"].tolist() == sorted(todo["shown_in"].tolist(), reverse=True)
    assert todo.iloc[0].to_dict() == {"id": "svc-hap", "name": "Huisartsenpost Test", "level": "crisis",
                                      "status": "to_verify", "shown_in": 2, "wijken": "Westwijk, Oostwijk"}
    assert "svc-cjg" not in set(todo["id"])  # verified records are not on the list
    # real services come first in advice, so the walk-in examples never reach the first three
    assert not set(todo["id"]) & {f"svc-voorbeeld-inloop-{i}" for i in (1, 2, 3)}


# ---- who to call, the ladder's lists ----------------------------------------------------------

def test_who_to_call_lists_real_services_before_examples(atlas):
    options = routeatlas.who_to_call(atlas, "parenting", 6)
    open_access = [o.service_id for o in options if o.level == "open_access"]
    assert open_access == ["svc-cjg", "svc-gezinscoach", "svc-voorbeeld-inloop-1"]
    # with an area the order of matching.match (nearest first) holds within real and within examples:
    # in the east the examples are nearer, yet the real services come first
    east = routeatlas.who_to_call(atlas, "parenting", 6, area=atlas.resolve_postcode("9993"))
    assert [o.service_id for o in east if o.level == "open_access"] == [
        "svc-cjg", "svc-gezinscoach", "svc-voorbeeld-inloop-1"]


def test_the_ladder_lists_one_page_of_real_services_and_counts_the_rest(atlas):
    page = routeatlas.level_list(atlas, "open_access", per_page=2)
    assert (page.n_real, page.n_all, page.matching, page.pages) == (5, 10, 5, 3)
    assert page.ids == ("svc-schoolcoach", "svc-baby")  # by name: "CJG-coach ...", "Consultatiebureau"
    assert routeatlas.level_list(atlas, "open_access", "gezins").ids == ("svc-gezinscoach",)
    assert routeatlas.level_list(atlas, "open_access", page=9, per_page=4, include_examples=True).page == 3


# ---- closest to home and relevance ------------------------------------------------------------

def test_a_postcode_orders_the_services_by_distance_and_marks_who_serves_the_area(atlas):
    east = atlas.resolve_postcode("9993")
    found = search.nearby(atlas, east)
    located = [n for n in found if n.distance_m is not None]
    assert [round(n.distance_m) for n in located] == sorted(round(n.distance_m) for n in located)
    assert found[0].service_id == "svc-voorbeeld-inloop-1" and round(found[0].distance_m) == 1000
    assert found[-1].distance_m is None and found[-1].serves  # phone / online last
    assert all(n.serves for n in found)
    near = search.nearby(atlas, east, radius_m=2000)
    assert {n.service_id for n in near if n.distance_m is not None} == {
        f"svc-voorbeeld-inloop-{i}" for i in range(1, 6)} | {"svc-poh"}


def test_keyword_search_ranks_name_before_description_and_exact_before_fuzzy(atlas):
    hits = search.keyword_hits(atlas, "voorbeeld")
    first = hits[0]
    assert first.reasons[0].field == "name" and first.reasons[0].exact
    assert search.reason_text(first, "nl") == 'naam "voorbeeld"'
    fuzzy = search.keyword_hits(atlas, "consultatiebuerau")[0]
    assert search.reason_text(fuzzy, "nl") == 'naam "consultatiebureau" (lijkt op "consultatiebuerau")'
    both = search.keyword_hits(atlas, "jongeren")
    assert [h.service_id for h in both][:1] == ["svc-jongerenwerk"]  # name ("Jongerenwerk") before description
