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
from conftest import SHIPPED
from curation_helpers import curator

from socialmap.curation import hsds, importer, store
from socialmap.loader import check_region
from socialmap.schema import TABLES

VENDORED = Path(__file__).parent / "fixtures" / "curation" / "hsds-3.0"
SHARED = Path(os.environ.get("SOCIALMAP_HSDS_SCHEMAS", "/work/shared/data/hsds-3.0"))
FRAMES = ("organizations", "locations", "services", "service_at_location", "schedules", "gp_practices")


def _regions(mini_region: Path, tmp_path: Path) -> list[Path]:
    regions = [mini_region]
    if (SHIPPED / "region.yaml").exists():
        shutil.copytree(SHIPPED, tmp_path / "kennemerland")
        regions.append(tmp_path / "kennemerland")
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
