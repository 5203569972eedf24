"""Several regions in one app: the region follows from the postcode (socialmap/regions.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from socialmap.errors import DataError, InputError
from socialmap.regions import Regions, load_regions, region_folders

REGIONS = ROOT / "data" / "regions"
COVERED = ("Maastricht-Heuvelland [heuvelland, postcodes 6211-6342]; "
           "Kennemerland (Haarlem en Zandvoort) [kennemerland, postcodes 2011-2116]")
# Every PC4 of both shipped regions (the builder tests list where they come from).
HEUVELLAND_PC4S = ("6211", "6212", "6213", "6214", "6215", "6216", "6217", "6218", "6219", "6221", "6222",
                   "6223", "6224", "6225", "6226", "6227", "6228", "6229", "6231", "6235", "6237", "6241",
                   "6243", "6245", "6247", "6251", "6252", "6255", "6261", "6262", "6265", "6267", "6268",
                   "6269", "6301", "6305", "6307", "6325", "6341", "6342")
KENNEMERLAND_PC4S = ("2011", "2012", "2013", "2014", "2015", "2019", "2021", "2022", "2023", "2024", "2025",
                     "2026", "2031", "2032", "2033", "2034", "2035", "2036", "2037", "2041", "2042", "2063",
                     "2116")


@pytest.fixture(scope="module")
def regions() -> Regions:
    return load_regions()


def test_it_loads_every_shipped_region_folder(regions):
    assert [p.name for p in region_folders()] == ["heuvelland", "kennemerland"]
    assert regions.ids == ("heuvelland", "kennemerland")
    assert len(regions) == 2


@pytest.mark.parametrize("region_id,pc4s", [("heuvelland", HEUVELLAND_PC4S), ("kennemerland", KENNEMERLAND_PC4S)])
def test_every_pc4_of_both_regions_resolves_to_a_buurt_of_its_own_region(regions, region_id, pc4s):
    for pc4 in pc4s:
        atlas, area = regions.resolve(postcode=f"{pc4} AB")
        assert atlas.region.id == region_id, pc4
        assert area is not None and area.kind == "buurt", pc4
        assert area.municipality_code in {m.code for m in atlas.region.municipalities}, pc4


def test_a_maastricht_postcode_finds_the_heuvelland_region(regions):
    atlas = regions.region_for_postcode("6211 ab")
    assert atlas.region.id == "heuvelland"
    assert regions.resolve(postcode="6211AB")[1].name == "Jekerkwartier"


def test_a_postcode_in_neither_region_names_the_regions_covered(regions):
    with pytest.raises(InputError) as err:
        regions.region_for_postcode("1011 AB")
    assert str(err.value) == f"postcode '1011 AB' is outside the regions covered: {COVERED}"
    assert err.value.field == "postcode"


def test_forcing_a_region_with_a_postcode_of_another_region_names_the_region_that_covers_it(regions):
    with pytest.raises(InputError) as err:
        regions.resolve(postcode="6211", region="kennemerland")
    assert str(err.value) == (
        "postcode '6211' lies in region Maastricht-Heuvelland [heuvelland], not in the chosen region "
        "Kennemerland (Haarlem en Zandvoort) [kennemerland]; choose region heuvelland or leave the region out")


def test_forcing_the_region_that_covers_the_postcode_works(regions):
    atlas, area = regions.resolve(postcode="2031", region="kennemerland")
    assert (atlas.region.id, area.municipality_code) == ("kennemerland", "GM0392")


def test_forcing_a_region_with_a_postcode_nowhere_says_so(regions):
    with pytest.raises(InputError) as err:
        regions.resolve(postcode="1011", region="heuvelland")
    assert str(err.value) == ("postcode '1011' is outside region Maastricht-Heuvelland [heuvelland] and outside "
                              f"every other region covered: {COVERED}")


def test_an_unknown_region_id_names_the_known_ones(regions):
    with pytest.raises(InputError) as err:
        regions.resolve(postcode="6211", region="atlantis")
    assert str(err.value) == "region 'atlantis' is not known (regions: heuvelland, kennemerland)"


def test_a_malformed_postcode_is_an_input_error_naming_the_format(regions):
    with pytest.raises(InputError) as err:
        regions.region_for_postcode("62 11")
    assert str(err.value) == ("postcode '62 11' is not a Dutch postcode (expected 4 digits and optionally 2 letters, "
                              "e.g. 2031 AB or 2031)")


def test_an_area_code_picks_its_region_and_a_forced_region_must_match(regions):
    atlas, area = regions.resolve(area_code="WK093500")
    assert (atlas.region.id, area.code) == ("heuvelland", "WK093500")
    with pytest.raises(InputError) as err:
        regions.resolve(area_code="WK093500", region="kennemerland")
    assert str(err.value).startswith("area_code 'WK093500' lies in region Maastricht-Heuvelland [heuvelland]")


def test_without_postcode_or_region_several_regions_ask_for_a_choice(regions):
    with pytest.raises(InputError) as err:
        regions.resolve()
    assert str(err.value) == "no postcode or region given: choose a region (heuvelland, kennemerland) or give a postcode"
    assert regions.resolve(region="heuvelland") == (regions.get("heuvelland"), None)


def test_the_illustrative_share_adds_up_over_the_regions(regions):
    illustrative, total = regions.illustrative_share()
    parts = [a.illustrative_share() for a in regions]
    assert (illustrative, total) == (sum(p[0] for p in parts), sum(p[1] for p in parts))
    assert 0 < illustrative < total


def test_two_regions_may_not_share_a_pc4(tmp_path):
    copy = tmp_path / "heuvelland-kopie"
    shutil.copytree(REGIONS / "heuvelland", copy)
    text = (copy / "region.yaml").read_text(encoding="utf-8").replace("id: heuvelland", "id: heuvelland-kopie")
    (copy / "region.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_regions([REGIONS / "heuvelland", copy])
    assert err.value.messages[0] == ("postcode 6211 is in two regions (heuvelland and heuvelland-kopie); "
                                     "a PC4 may belong to one region only")


def test_a_broken_region_is_reported_with_its_folder_name(tmp_path):
    broken = tmp_path / "kapot"
    shutil.copytree(REGIONS / "heuvelland", broken)
    (broken / "services.csv").write_text("id\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_regions([REGIONS / "kennemerland", broken])
    assert err.value.messages[0].startswith("kapot: services.csv: missing column 'organization_id'")


def test_no_region_folder_is_a_clear_data_error(tmp_path, monkeypatch):
    assert region_folders(tmp_path) == []
    with pytest.raises(DataError) as err:
        load_regions([])
    assert err.value.messages[0].startswith("no region folder found")


def test_region_folders_ignores_folders_without_region_yaml(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "region.yaml").write_text("id: b\n", encoding="utf-8")
    (tmp_path / "a-notes").mkdir()
    assert region_folders(Path(tmp_path)) == [tmp_path / "b"]


def test_route_with_all_regions_follows_the_postcode(regions):
    from socialmap.route import route

    answers = {"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months", "postcode": "6211AB"}
    result = route(regions, answers, "nl")
    assert (result.region_id, result.level) == ("heuvelland", "gp_practice")
    assert all(o.id in regions.get("heuvelland").services.index for lane in result.lanes for o in lane.options)


def test_route_in_the_users_language_names_the_regions_for_a_postcode_nowhere(regions):
    from socialmap.route import route

    answers = {"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months", "postcode": "1011"}
    with pytest.raises(InputError) as err:
        route(regions, answers, "en")
    assert str(err.value).startswith("Postcode '1011' is not in a region of this social map. The map covers: "
                                     "Maastricht-Heuvelland (Maastricht, Meerssen, Valkenburg aan de Geul, "
                                     "Eijsden-Margraten; postcodes 6211-6219, ")


def test_route_follows_the_postcode_even_when_another_region_is_chosen_on_screen(regions):
    from socialmap.route import route

    answers = {"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months", "postcode": "6211"}
    assert route(regions, answers, "nl", region="kennemerland").region_id == "heuvelland"


def test_route_without_a_postcode_uses_the_region_chosen_on_screen(regions):
    from socialmap.route import route

    answers = {"age": 10, "concerns": ["anxiety"], "impact": "moderate", "duration": "months", "red_flags": ["suicidality"]}
    assert route(regions, answers, "nl", region="heuvelland").region_id == "heuvelland"
    assert route(regions, answers, "nl").region_id == ""


def test_validate_all_refuses_a_region_whose_id_differs_from_its_folder(tmp_path, monkeypatch, capsys):
    import io

    from socialmap import validate

    copy = tmp_path / "maastricht"
    shutil.copytree(REGIONS / "heuvelland", copy)
    monkeypatch.setattr(validate, "region_folders", lambda: [copy])
    out, err = io.StringIO(), io.StringIO()
    assert validate.main(["-q"], stdout=out, stderr=err) == 1
    assert err.getvalue() == (f"error: {copy}/region.yaml: id 'heuvelland' differs from the folder name 'maastricht' "
                              "(a shipped region's folder is named after its id)\n")


def test_validate_all_refuses_two_regions_sharing_a_pc4(tmp_path, monkeypatch):
    import io

    from socialmap import validate

    copy = tmp_path / "heuvelland-kopie"
    shutil.copytree(REGIONS / "heuvelland", copy)
    text = (copy / "region.yaml").read_text(encoding="utf-8").replace("id: heuvelland", "id: heuvelland-kopie")
    (copy / "region.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(validate, "region_folders", lambda: [REGIONS / "heuvelland", copy])
    err = io.StringIO()
    assert validate.main(["-q"], stdout=io.StringIO(), stderr=err) == 1
    assert err.getvalue().splitlines()[0] == (
        "error: postcode 6211 is in two regions (heuvelland and heuvelland-kopie); a PC4 may belong to one region only")
