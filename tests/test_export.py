"""Open-data exports: the tabular zip of each shipped region passes the official HSDS datapackage with
frictionless; one command, one file per region unless --region names one."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SHIPPED

from socialmap.api import commands
from socialmap.curation import hsds


SHIPPED_REGIONS = ("kennemerland", "heuvelland")
#: services in the default export and with the illustrative ones (of which inactive)
SERVICES = {"kennemerland": (33, 154, 121), "heuvelland": (10, 107, 97)}


@pytest.fixture(scope="module", params=SHIPPED_REGIONS)
def region_copy(request, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("export") / request.param
    shutil.copytree(SHIPPED.parent / request.param, target)
    return target


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("export") / "kennemerland"
    shutil.copytree(SHIPPED, target)
    return target


@pytest.mark.parametrize("include", [False, True], ids=["default", "with-illustrative"])
def test_the_tabular_zip_of_each_shipped_region_passes_the_official_datapackage_with_zero_errors(region_copy, tmp_path,
                                                                                                 include):
    from frictionless import validate

    path = tmp_path / "hsds.zip"
    path.write_bytes(hsds.export_tabular_zip(region_copy, include_illustrative=include))
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


def test_no_illustrative_service_is_in_the_default_export_of_each_shipped_region(region_copy):
    package = hsds.export_package(region_copy)
    statuses = {a["value"] for org in package for s in org.get("services", []) for a in s["attributes"]
                if a["link_type"] == "socialmap:status"}
    assert statuses == {"verified", "to_verify"}
    assert sum(len(org.get("services", [])) for org in package) == SERVICES[region_copy.name][0]


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


def test_the_export_command_includes_illustrative_records_only_when_asked(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SOCIALMAP_REGION", raising=False)
    for region in SHIPPED_REGIONS:
        out = tmp_path / f"{region}.json"
        assert commands.main_export(["--format", "hsds-json", "--out", str(out), "--include-illustrative",
                                     "--region", region]) == 0
        assert capsys.readouterr().out == f"{out}\n"
        services = [s for org in json.loads(out.read_bytes())["organizations"] for s in org.get("services", [])]
        assert (len(services), sum(s["status"] == "inactive" for s in services)) == SERVICES[region][1:]


def test_without_region_the_export_command_writes_one_file_per_region_named_after_it(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SOCIALMAP_REGION", raising=False)
    assert commands.main_export(["--format", "hsds-json", "--out", str(tmp_path / "hsds.json")]) == 0
    written = [tmp_path / "hsds-heuvelland.json", tmp_path / "hsds-kennemerland.json"]
    assert capsys.readouterr().out == "".join(f"{p}\n" for p in written)
    assert sorted(tmp_path.iterdir()) == written
    for path, region in zip(written, ("heuvelland", "kennemerland"), strict=True):
        services = [s for org in json.loads(path.read_bytes())["organizations"] for s in org.get("services", [])]
        assert len(services) == SERVICES[region][0]


def test_the_export_help_says_what_happens_without_region():
    help_text = re.sub(r"-\n\s*", "-", commands._export_parser().format_help())  # lines may break after a hyphen
    text = " ".join(help_text.split())
    assert "Without --region every region is exported, one file per region: the region id goes before the extension" \
        in text
    assert "(--out hsds.zip writes hsds-heuvelland.zip and hsds-kennemerland.zip)" in text


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
