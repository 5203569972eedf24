"""Open-data exports: the tabular zip passes the official HSDS datapackage with frictionless; one command."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SHIPPED

from socialmap.api import commands
from socialmap.curation import hsds


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("export") / "kennemerland"
    shutil.copytree(SHIPPED, target)
    return target


@pytest.mark.parametrize("include", [False, True], ids=["default", "with-illustrative"])
def test_the_tabular_zip_of_the_shipped_region_passes_the_official_datapackage_with_zero_errors(shipped_copy, tmp_path, include):
    from frictionless import validate

    path = tmp_path / "hsds.zip"
    path.write_bytes(hsds.export_tabular_zip(shipped_copy, include_illustrative=include))
    report = validate(str(path))
    assert report.stats["errors"] == 0, [e.message for task in report.tasks for e in task.errors][:10]
    assert report.stats["tasks"] == 21 and report.valid


def test_the_zip_holds_the_official_datapackage_unchanged_apart_from_licences_and_sources(shipped_copy):
    official = json.loads((hsds.OFFICIAL / "datapackage.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(io.BytesIO(hsds.export_tabular_zip(shipped_copy, include_illustrative=True))) as zf:
        inside = json.loads(zf.read("datapackage.json"))
        schedules = zf.read("schedules.csv").decode("utf-8")
    assert inside["resources"] == official["resources"]
    assert inside["profile"] == official["profile"] and inside["version"] == official["version"]
    assert inside["sources"][0]["title"].startswith("Bron: CBS (Wijk- en buurtkaart 2024")
    assert "24:00" not in schedules and ",23:59:59," in schedules


def test_no_illustrative_service_is_in_the_default_export_of_the_shipped_region(shipped_copy):
    package = hsds.export_package(shipped_copy)
    statuses = {a["value"] for org in package for s in org.get("services", []) for a in s["attributes"]
                if a["link_type"] == "socialmap:status"}
    assert statuses == {"verified", "to_verify"}
    assert sum(len(org.get("services", [])) for org in package) == 33


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "socialmap", "export", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("fmt", commands.FORMATS)
def test_the_export_command_writes_the_file_and_prints_its_path(tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    result = _run("--format", fmt, "--out", str(out), "--region", str(SHIPPED))
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{out}\n", "")
    data = out.read_bytes()
    if fmt == "hsds-zip":
        assert "datapackage.json" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    elif fmt == "geojson":
        assert "crs" not in json.loads(data) and json.loads(data)["type"] == "FeatureCollection"
    else:
        assert json.loads(data)["includes_illustrative"] is False


def test_the_export_command_includes_illustrative_records_only_when_asked(tmp_path):
    out = tmp_path / "all.json"
    assert commands.main_export(["--format", "hsds-json", "--out", str(out), "--include-illustrative"]) == 0
    services = [s for org in json.loads(out.read_bytes())["organizations"] for s in org.get("services", [])]
    assert len(services) == 154 and sum(s["status"] == "inactive" for s in services) == 121


def test_the_export_command_refuses_bad_arguments_with_one_line_and_exit_1(tmp_path, capsys):
    assert commands.main_export(["--format", "xml", "--out", str(tmp_path / "x")]) == 1
    assert capsys.readouterr().err == ("export: argument --format: invalid choice: 'xml' "
                                       "(choose from 'hsds-json', 'hsds-zip', 'geojson')\n")
    assert commands.main_export(["--format", "geojson", "--out", str(tmp_path / "missing" / "x.geojson")]) == 1
    assert capsys.readouterr().err == f"export: --out {tmp_path / 'missing' / 'x.geojson'}: folder {tmp_path / 'missing'} does not exist\n"
    assert commands.main_export(["--format", "geojson", "--out", str(tmp_path / "x"), "--region", "nowhere"]) == 1
    assert capsys.readouterr().err == ("export: region 'nowhere' not found (expected a region id (heuvelland, kennemerland) "
                                       "or a region folder)\n")
    assert not (tmp_path / "x").exists()


def test_the_beheer_export_tab_offers_the_three_downloads_and_names_the_licence(mini_region, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SOCIALMAP_REGION", str(mini_region))
    at = AppTest.from_file(str(ROOT / "views" / "beheer.py"), default_timeout=60)
    at.run()
    at.radio(key="curator_section").set_value("export").run()
    assert not at.exception
    assert at.checkbox(key="dl_include_illustrative").value is False
    assert ("Licentie: CC BY 4.0. Vermeld de bron: Testdata. Geometrie: vierkanten in RD New, geen echte CBS-grenzen."
            in [c.value for c in at.caption])
    at.checkbox(key="dl_include_illustrative").check().run()
    assert not at.exception
