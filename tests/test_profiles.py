"""Wijk and buurt profiles, gaps, the comparison of all wijken and light-help coverage."""

from __future__ import annotations

import math

import pytest

from conftest import SHIPPED, VALID_MINI
from socialmap import profiles
from socialmap.errors import InputError
from socialmap.loader import load_region


@pytest.fixture(scope="module")
def atlas():
    return load_region(VALID_MINI)


def test_distances_are_straight_lines_in_metres_from_the_representative_point(atlas):
    # Westwijk's representative point is (101000, 482000); CJG West lies 1 km south of it
    point = profiles.area_point(atlas, "WK999101")
    assert point == (101000.0, 482000.0)
    dist = profiles.service_distances(atlas, point)
    assert round(dist["svc-cjg"]) == 1000
    assert round(dist["svc-poh"]) == 2236
    assert "svc-hap" not in dist  # no location


def test_a_profile_lists_the_services_serving_the_area_lightest_first_with_distance(atlas):
    profile = profiles.area_profile(atlas, "WK999101")
    assert [(s.service_id, s.level, None if s.distance_m is None else round(s.distance_m)) for s in profile.services] == [
        ("svc-cjg", "open_access", 1000), ("svc-baby", "open_access", None),
        ("svc-poh", "gp_practice", 2236), ("svc-hap", "crisis", None)]
    assert (profile.population, profile.age_0_14, profile.age_15_24, profile.youth_0_24) == (12000, 2000, 1500, 3500)


def test_a_buurt_without_cbs_figures_shows_those_of_its_wijk(atlas):
    profile = profiles.area_profile(atlas, "BU99910101")
    assert profile.figures_code == "WK999101"
    assert profile.population == 12000


def test_a_profile_lists_gp_practices_within_reach_with_their_youth_professional(atlas):
    profile = profiles.area_profile(atlas, "WK999102")
    [practice] = profile.practices
    assert (practice.name, practice.youth_professional, practice.youth_days, round(practice.distance_m)) == (
        "Huisartsenpraktijk voorbeeld West", "poh_jeugd", ("tu", "th"), 1000)
    assert profiles.area_profile(atlas, "WK999102", max_distance_m=900).practices == ()


def test_the_cjg_is_a_contact_of_the_area(atlas):
    assert [c.service_id for c in profiles.area_profile(atlas, "WK999102").contacts] == ["svc-cjg", "svc-baby"]


def test_a_level_without_a_serving_service_is_a_gap(atlas):
    # the POH serves only Westwijk: Oostwijk has no gp_practice help
    assert "gp_practice" in profiles.area_profile(atlas, "WK999102").gaps
    assert "gp_practice" not in profiles.area_profile(atlas, "WK999101").gaps
    assert profiles.area_profile(atlas, "WK999101").gaps == ("self_help", "wijkteam", "basic_mh", "specialist_mh")


def test_a_serving_service_farther_than_the_distance_leaves_a_gap(atlas):
    # the POH is 2236 m from Westwijk's point
    assert "gp_practice" not in profiles.gaps_for(atlas, "WK999101", 2500)
    assert "gp_practice" in profiles.gaps_for(atlas, "WK999101", 2000)


def test_a_service_without_a_location_counts_as_reachable(atlas):
    # svc-baby (open_access) has no location: open access is never a gap, also at 10 m
    assert "open_access" not in profiles.gaps_for(atlas, "WK999101", 10)
    assert "crisis" not in profiles.gaps_for(atlas, "WK999101", 10)


def test_the_default_distance_is_the_region_reach(atlas):
    assert profiles.area_profile(atlas, "WK999101").max_distance_m == 3000.0


def test_an_unknown_area_code_is_refused(atlas):
    with pytest.raises(InputError):
        profiles.area_profile(atlas, "WK000000")


def test_the_comparison_table_has_one_row_per_wijk_with_counts_and_gaps(atlas):
    table = profiles.comparison_table(atlas)
    assert list(table["code"]) == ["WK999101", "WK999102"]
    assert list(table.columns) == ["code", "name", "municipality", "population", "age_0_14", "age_15_24",
                                   "self_help", "open_access", "gp_practice", "wijkteam", "basic_mh",
                                   "specialist_mh", "crisis", "youth_per_light_service", "nearest_light_m", "gaps",
                                   "services_real"]
    west, east = table.to_dict("records")
    assert (west["open_access"], west["gp_practice"], west["crisis"]) == (2, 1, 1)
    assert (east["open_access"], east["gp_practice"]) == (2, 0)
    assert east["gaps"] == "self_help;gp_practice;wijkteam;basic_mh;specialist_mh"


def test_coverage_counts_youth_per_local_light_help_service(atlas):
    cov = profiles.coverage(atlas)
    # Westwijk: 3500 youth, CJG and POH with a location serve it; Oostwijk: 2000 youth, only the CJG
    assert cov.loc["WK999101", "light_services"] == 2
    assert cov.loc["WK999101", "youth_per_service"] == 1750
    assert cov.loc["WK999102", "light_services"] == 1
    assert cov.loc["WK999102", "youth_per_service"] == 2000
    assert round(cov.loc["WK999102", "nearest_m"]) == 1000  # the POH, although it does not serve Oostwijk
    assert not cov["far"].any()


def test_coverage_flags_a_wijk_whose_nearest_light_help_is_too_far(atlas):
    cov = profiles.coverage(atlas, max_distance_m=999)
    assert list(cov.index[cov["far"]]) == ["WK999101", "WK999102"]


@pytest.mark.skipif(not (SHIPPED / "areas.csv").exists(), reason="shipped region not built yet")
def test_every_shipped_wijk_has_coverage_figures(shipped_atlas):
    cov = profiles.coverage(shipped_atlas)
    assert len(cov) == int((shipped_atlas.areas["kind"] == "wijk").sum())
    assert not any(math.isnan(v) for v in cov["nearest_m"])


@pytest.mark.parametrize("reach", [10, 999, 2000, 2500, 3000, 10000])
def test_the_comparison_table_agrees_with_each_wijk_profile_at_every_distance(atlas, reach):
    table = profiles.comparison_table(atlas, reach)
    for row in table.to_dict("records"):
        profile = profiles.area_profile(atlas, row["code"], reach)
        assert {level: row[level] for level in profiles.vocab.LEVELS} == {
            level: len(items) for level, items in profile.by_level().items()}
        assert row["gaps"] == ";".join(profile.gaps)


def test_the_wijk_index_is_built_once_per_atlas(atlas):
    assert profiles.wijk_index(atlas) is profiles.wijk_index(atlas)


@pytest.mark.skipif(not (SHIPPED / "areas.csv").exists(), reason="shipped region not built yet")
def test_the_shipped_comparison_table_agrees_with_each_wijk_profile(shipped_atlas):
    table = profiles.comparison_table(shipped_atlas, 1500)
    for row in table.to_dict("records"):
        profile = profiles.area_profile(shipped_atlas, row["code"], 1500)
        assert sum(row[level] for level in profiles.vocab.LEVELS) == len(profile.services)
        assert row["gaps"] == ";".join(profile.gaps)
