"""The loader and validator accept valid data and refuse each kind of corruption by name."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, VALID_MINI
from socialmap.errors import DataError, InputError
from socialmap.loader import check_region, load_region

TODAY = dt.date(2026, 11, 24)

# (fixture case, the exact first error message)
INVALID_CASES = [
    ("age_text", "services.csv line 3: age_max 'ten' is not a number (expected whole years 0-23, or months such as 6m)"),
    ("row_cut_short", "services.csv line 4: row has 5 fields, expected 23 (cut short?)"),
    ("duplicate_id", "organizations.csv line 4: id 'org-cjg' is used twice (first at line 2)"),
    ("missing_column", "locations.csv: missing column 'latitude' (expected columns: id, organization_id, name, address, "
                       "postcode, city, municipality_code, latitude, longitude, status, verified_at, source_url)"),
    ("text_in_number", "areas.csv line 4: population 'veel' is not a whole number (expected 0 or more)"),
    ("broken_json", "areas.geojson line 9: broken JSON (Expecting value at column 16)"),
    ("unknown_level", "services.csv line 3: level 'gp' is not allowed (allowed: self_help, open_access, gp_practice, "
                      "wijkteam, basic_mh, specialist_mh, crisis)"),
    ("bad_reference", "service_at_location.csv line 3: location_id 'loc-nergens' does not exist in locations.csv"),
    ("outside_municipality", "locations.csv line 3: 'loc-gp' lies outside its municipality_code GM9991 (Testgemeente)"),
    ("outside_nl", "locations.csv line 3: latitude 48.8566, longitude 2.3522 of 'loc-gp' lie outside the Netherlands"),
    ("future_date", "organizations.csv line 2: verified_at 2099-01-01 is in the future (today is 2026-11-24)"),
    ("bad_phone", "organizations.csv line 3: phone 'bel ons' is not a Dutch phone number (expected e.g. 023-7504567, 0800-0432, 112)"),
    ("bad_url", "services.csv line 2: url 'cjg.example.nl' is not a web address (expected https://...)"),
    ("broken_yaml", "region.yaml line 4: broken YAML (expected the node content, but found '-')"),
    ("unknown_area_code", "services.csv line 3: service_area 'WK999999' is not a CBS code in areas.csv "
                          "(expected GM/WK/BU codes of this region or NL)"),
    ("illustrative_phone", "services.csv line 3: illustrative record 'svc-poh' must not have a phone number"),
    ("unknown_concern", "services.csv line 2: concerns 'slapen' is not allowed (allowed: parenting, behaviour, anxiety, "
                        "low_mood, withdrawal, self_esteem, social, development, school, sleep, eating, eating_disorder, "
                        "self_injury, trauma, divorce, substance_use, adhd_medication, assessment)"),
    ("decimal_comma", "locations.csv line 2: latitude '52,314302' is not a number (use a decimal point, e.g. 52.3812)"),
]


def test_it_loads_the_valid_fixture_region_into_an_atlas():
    atlas = load_region(VALID_MINI, today=TODAY)
    assert atlas.region.id == "valid_mini"
    assert list(atlas.services.index) == ["svc-cjg", "svc-poh", "svc-baby", "svc-hap"]
    assert atlas.services.at["svc-cjg", "concerns"] == ("parenting", "sleep")
    assert atlas.services.at["svc-baby", "age_max_months"] == 6
    assert atlas.services.at["svc-poh", "age_max_months"] == 18 * 12 + 11
    assert atlas.locations.crs.to_epsg() == 28992
    assert atlas.areas.crs.to_epsg() == 28992
    # the point projected from WGS84 lies where it was put in RD New (101000, 481000)
    point = atlas.locations.geometry["loc-cjg"]
    assert abs(point.x - 101000) < 1 and abs(point.y - 481000) < 1


@pytest.mark.parametrize(("case", "message"), INVALID_CASES, ids=[c for c, _ in INVALID_CASES])
def test_it_refuses_each_kind_of_corruption_with_the_file_named(mini_region: Path, case: str, message: str):
    (fixture,) = (FIXTURES / "invalid").glob(f"{case}__*")
    shutil.copy(fixture, mini_region / fixture.name.split("__", 1)[1])
    atlas, errors, _ = check_region(mini_region, today=TODAY)
    assert atlas is None
    assert errors[0] == message


def test_it_names_a_missing_file(mini_region: Path):
    (mini_region / "schedules.csv").unlink()
    _, errors, _ = check_region(mini_region, today=TODAY)
    assert errors == [f"schedules.csv: file is missing from {mini_region}"]


def test_it_refuses_a_file_that_is_not_utf8(mini_region: Path):
    (mini_region / "organizations.csv").write_bytes("id,name\norg-x,Caf\xe9\n".encode("latin-1"))
    _, errors, _ = check_region(mini_region, today=TODAY)
    assert errors == ["organizations.csv: is not UTF-8 text (byte 0xe9 at position 17); save it as UTF-8"]


def test_it_warns_about_records_not_verified_in_twelve_months(mini_region: Path):
    atlas, errors, warnings = check_region(mini_region, today=dt.date(2027, 8, 1))
    assert errors == [] and atlas is not None
    assert warnings[0] == "organizations.csv line 2: 'org-cjg' was last verified on 2026-06-01, more than 12 months ago"


def test_load_region_raises_one_data_error_with_all_messages(mini_region: Path):
    shutil.copy(FIXTURES / "invalid" / "age_text__services.csv", mini_region / "services.csv")
    with pytest.raises(DataError) as info:
        load_region(mini_region, today=TODAY)
    assert "age_max 'ten'" in str(info.value)


def test_it_resolves_postcodes_pc4_and_pc6_to_the_most_specific_area():
    atlas = load_region(VALID_MINI, today=TODAY)
    assert atlas.resolve_postcode("9992").code == "BU99910102"
    assert atlas.resolve_postcode("9992 ab").code == "BU99910102"
    assert atlas.resolve_postcode("9993AB").as_contract() == {"code": "BU99910201", "name": "Oostbuurt",
                                                             "municipality": "Testgemeente"}
    assert atlas.area_chain("BU99910201") == ("BU99910201", "WK999102", "GM9991")


def test_it_refuses_an_unknown_postcode_with_a_clear_message():
    atlas = load_region(VALID_MINI, today=TODAY)
    with pytest.raises(InputError) as info:
        atlas.resolve_postcode("1011")
    assert str(info.value) == "postcode '1011' is outside region Testgemeente (fixture) (known postcodes: 9991-9993, 3 areas)"
    with pytest.raises(InputError) as info:
        atlas.resolve_postcode("20x1")
    assert str(info.value).startswith("postcode '20x1' is not a Dutch postcode")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "socialmap", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_validate_command_exits_0_on_valid_data_and_1_on_invalid_data_without_traceback(mini_region: Path):
    ok = _run("validate", str(VALID_MINI))
    assert ok.returncode == 0, ok.stderr
    assert "valid (Testgemeente (fixture))" in ok.stdout
    shutil.copy(FIXTURES / "invalid" / "age_text__services.csv", mini_region / "services.csv")
    bad = _run("validate", str(mini_region))
    assert bad.returncode == 1
    assert "error: services.csv line 3: age_max 'ten' is not a number" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_validate_command_names_a_missing_folder():
    result = _run("validate", "/nonexistent/region")
    assert result.returncode == 1
    assert result.stderr.startswith("error: /nonexistent/region: region folder not found")
    assert "Traceback" not in result.stderr


def test_an_unknown_command_exits_2_with_the_allowed_commands():
    result = _run("frobnicate")
    assert result.returncode == 2
    assert result.stderr.strip() == ("socialmap: unknown command 'frobnicate' (allowed: validate, triage, backup, restore, "
                                     "curator-hash, export, api, db)")


def test_it_refuses_a_url_that_would_break_out_of_a_markdown_link(mini_region: Path):
    text = (mini_region / "services.csv").read_text(encoding="utf-8")
    (mini_region / "services.csv").write_text(
        text.replace("https://cjg.example.nl,verified", "https://a.nl/x)**[Bel_hier](https://evil.example/)**,verified", 1),
        encoding="utf-8")
    _, errors, _ = check_region(mini_region, today=TODAY)
    assert errors == ["services.csv line 2: url 'https://a.nl/x)**[Bel_hier](https://evil.example/)**' is not a web "
                      "address (expected https://...)"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("data_year: 2024", "data_year: abc", "region.yaml: data_year 'abc' is not a year (expected 4 digits, e.g. 2024)"),
    ("huisartsenpost_service_id: svc-hap", "huisartsenpost_service_id: [svc-hap]",
     "region.yaml: huisartsenpost_service_id must be a service id (text), found '['svc-hap']'"),
])
def test_it_refuses_region_settings_of_the_wrong_type(mini_region: Path, old: str, new: str, message: str):
    path = mini_region / "region.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    _, errors, _ = check_region(mini_region, today=TODAY)
    assert errors == [message]


def test_the_huisartsenpost_of_the_crisis_panel_must_have_a_phone(mini_region: Path):
    path = mini_region / "services.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",NL,023-7654321,", ",NL,,"), encoding="utf-8")
    _, errors, _ = check_region(mini_region, today=TODAY)
    assert errors == ["region.yaml: huisartsenpost_service_id 'svc-hap' has no phone in services.csv (the crisis panel shows it)"]
