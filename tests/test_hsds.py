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
        data, name = ((hsds.export_json(region), "export.json") if form == "json"
                      else (hsds.export_tabular_zip(region), "export.zip"))
        target = _emptied_copy(region, tmp_path)
        preview = importer.preview_hsds(target, name, data)
        assert preview.errors == []
        assert preview.diffs["services.csv"].added  # everything comes back as new records
        importer.apply(target, preview, curator())
        _assert_same_frames(region, target)


def test_importing_the_export_of_the_same_region_changes_nothing(mini_region):
    preview = importer.preview_hsds(mini_region, "export.json", hsds.export_json(mini_region))
    assert preview.ok and not preview.has_changes


def test_an_hsds_import_that_is_not_hsds_is_refused_with_a_message(mini_region):
    preview = importer.preview_hsds(mini_region, "x.json", b'{"hello": 1}')
    assert not preview.ok


def test_the_tabular_export_uses_the_hsds_table_and_column_names(mini_region):
    with open(VENDORED / "schema.csv", encoding="utf-8") as fh:
        spec: dict[str, list[str]] = {}
        for row in csv.DictReader(fh):
            if row["type"] not in ("array", ""):
                spec.setdefault(row["table_name"], []).append(row["name"])
    with zipfile.ZipFile(io.BytesIO(hsds.export_tabular_zip(mini_region))) as zf:
        names = sorted(zf.namelist())
        assert names == sorted(f"{t}.csv" for t in hsds.TABULAR)
        for name in names:
            header = next(csv.reader(io.StringIO(zf.read(name).decode("utf-8"))))
            assert header == spec[name.removesuffix(".csv")], name


def test_the_geojson_export_has_every_location_as_a_wgs84_point(mini_region):
    data = json.loads(hsds.export_geojson(mini_region))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    _, rows = store.read_rows(mini_region, "locations.csv")
    assert [f["properties"]["id"] for f in data["features"]] == [r["id"] for r in rows]
    first = data["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [4.595288, 52.314302]}
    assert first["properties"]["service_ids"] == ["svc-cjg"]
