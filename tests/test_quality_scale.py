"""The data-quality report at national scale: advice places read from the matching lookup, whole-table
steps instead of one record at a time, and today's validation taken from a fresh snapshot. Every
result equals the report as first written (``quality_reference``)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
import quality_reference as reference
from curation_helpers import HASH, PASSWORD
from streamlit.testing.v1 import AppTest

from conftest import FIXTURES, ROOT, SHIPPED, VALID_MINI

from socialmap import snapshot
from socialmap.curation import auth, quality
from socialmap.loader import load_region

REGIONS = {"kennemerland": SHIPPED, "honest_mini": FIXTURES / "regions" / "honest_mini", "valid_mini": VALID_MINI}
TABLES = ("stale", "status_by_level", "status_by_wijk", "missing_contact", "todo", "duplicates")


def _copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".snapshot", ".history"))
    return target


def assert_same_report(new: quality.QualityReport, old: quality.QualityReport) -> None:
    assert new.errors == old.errors
    assert new.warnings == old.warnings
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(new, name), getattr(old, name), check_exact=True, obj=name)
    assert new.real_coverage == old.real_coverage


@pytest.fixture
def no_validation(monkeypatch):
    """Fails a test that validates the region files inside the quality report."""
    def refuse(*args, **kwargs):
        raise AssertionError("the quality report validated the region again")

    monkeypatch.setattr(quality, "check_region", refuse)


@pytest.mark.parametrize("name", list(REGIONS))
def test_the_report_equals_the_report_as_first_written(name, tmp_path, monkeypatch):
    folder = _copy(REGIONS[name], tmp_path)
    today = dt.date.today()
    old = reference.quality_report(folder, today=today)
    assert_same_report(quality.quality_report(folder, today=today), old)  # validated here (no snapshot yet)
    atlas = snapshot.load(folder)
    monkeypatch.setattr(quality, "check_region", None)  # from here on: today's validation of the snapshot
    assert_same_report(quality.quality_report(folder, today=today, atlas=atlas), old)
    assert_same_report(quality.quality_report(folder, today=today), old)  # the snapshot read again


def test_the_places_in_advice_are_the_first_three_that_matching_ranks_for_every_wijk_and_level(shipped_atlas):
    new, old = quality._advice_slots(shipped_atlas, 3), reference._advice_slots(shipped_atlas, 3)
    assert (new.real, new.places) == (old.real, old.places) and new.places > 0
    assert new.counts == old.counts and list(new.counts) == list(old.counts)
    assert new.wijken == old.wijken
    assert quality._advice_slots(shipped_atlas, 1).counts == reference._advice_slots(shipped_atlas, 1).counts


def _add_rows(folder: Path, file: str, rows: list[dict[str, str]]) -> None:
    with open(folder / file, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    with open(folder / file, "a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writerows(rows)


def test_similar_names_at_one_address_are_found_as_before_however_the_address_is_written(tmp_path):
    folder = _copy(SHIPPED, tmp_path)
    with open(folder / "locations.csv", encoding="utf-8", newline="") as fh:
        first = next(csv.DictReader(fh))
    with open(folder / "services.csv", encoding="utf-8", newline="") as fh:
        service = next(r for r in csv.DictReader(fh) if r["status"] == "to_verify")
    spellings = [(first["address"].upper(), first["postcode"].replace(" ", "").lower()),
                 (first["address"].replace(" ", "  ") + ".", first["postcode"]),
                 ("Kruisstraße 3", "2011 XX"), ("KRUISSTRASSE 3", "2011XX"), ("Kruisstraße 3", "2011 xx")]
    locations = [{**first, "id": f"loc-copy-{i}", "name": f"{first['name']} {'ABC'[i % 3]}", "address": address,
                  "postcode": postcode} for i, (address, postcode) in enumerate(spellings)]
    _add_rows(folder, "locations.csv", locations)
    _add_rows(folder, "services.csv", [{**service, "id": "svc-copy", "name": service["name"] + " (2)"}])
    links = [(service["id"], "loc-copy-0"), ("svc-copy", "loc-copy-1"), ("svc-copy", "loc-copy-0"),
             (service["id"], "loc-copy-2"), ("svc-copy", "loc-copy-4")]
    _add_rows(folder, "service_at_location.csv", [{"id": f"sal-copy-{i}", "service_id": s, "location_id": loc}
                                                  for i, (s, loc) in enumerate(links)])
    old = reference.quality_report(folder)
    assert old.valid, old.errors[:3]
    assert set(old.duplicates["table"]) == {"locations", "services"}
    assert_same_report(quality.quality_report(folder), old)


def test_todays_validation_is_taken_from_a_fresh_snapshot_and_the_files_are_validated_again_when_they_change(
        tmp_path, monkeypatch):
    folder = _copy(VALID_MINI, tmp_path)
    atlas = snapshot.load(folder)
    assert snapshot.read_meta(folder)["validated_on"] == dt.date.today().isoformat()
    assert snapshot.loaded_hash(atlas) == snapshot.content_hash(folder)
    validated = []
    monkeypatch.setattr(quality, "check_region",
                        lambda *a, **k: validated.append(1) or reference.check_region(*a, **k))
    report = quality.quality_report(folder, atlas=atlas)
    assert validated == [] and report.atlas is atlas
    # on a day before the validation the region is validated again (a date could lie in its future)
    report = quality.quality_report(folder, today=dt.date.today() - dt.timedelta(days=1), atlas=atlas)
    assert validated == [1] and report.atlas is atlas  # the same files: counted on the shared atlas
    # changed files (a save by another process): the shared atlas is out of date
    (folder / "services.csv").write_text((folder / "services.csv").read_text(encoding="utf-8").replace(
        "Opvoedspreekuur CJG", "Opvoedspreekuur CJG Oost"), encoding="utf-8")
    report = quality.quality_report(folder, atlas=atlas)
    assert validated == [1, 1] and report.atlas is not atlas
    assert "Opvoedspreekuur CJG Oost" in set(report.atlas.services["name"])


def test_a_snapshot_without_a_validation_day_or_an_atlas_from_elsewhere_is_handled_safely(tmp_path, no_validation,
                                                                                         monkeypatch):
    folder = _copy(VALID_MINI, tmp_path)
    snapshot.load(folder)
    other = load_region(folder)  # the same content, not loaded through the snapshot
    report = quality.quality_report(folder, atlas=other)
    assert report.valid and report.atlas is not other
    monkeypatch.undo()
    snapshot.write(other, folder)  # written without saying when it was validated
    validated = []
    monkeypatch.setattr(quality, "check_region", lambda *a, **k: validated.append(1) or reference.check_region(*a, **k))
    assert quality.quality_report(folder).valid and validated == [1]


def test_after_a_curators_save_the_dashboard_counts_the_saved_data(mini_region, monkeypatch):
    monkeypatch.setenv("SOCIALMAP_REGION", str(mini_region))
    monkeypatch.setenv(auth.HASH_ENV, HASH)
    at = AppTest.from_file(str(ROOT / "views" / "beheer.py"), default_timeout=60)
    at.run()
    assert not at.exception

    def incomplete() -> str:
        return next(m.value for m in at.metric if m.label == "Contactgegevens onvolledig")

    assert incomplete() == "4"
    at.text_input(key="curator_name").input("Anna")
    at.text_input(key="curator_password").input(PASSWORD)
    at.button(key="FormSubmitter:curator_login-Inloggen").click()
    at.run()
    at.radio(key="curator_section").set_value("edit").run()
    at.radio(key="curator_kind").set_value("service").run()
    at.selectbox(key="curator_pick_service").set_value("svc-cjg").run()
    forms = [f.proto.form.form_id for f in at.get("form")]
    form = next(f for f in forms if f.startswith("curator_form_service_svc-cjg"))
    at.text_input(key=f"{form}_email").input("info@cjg.example.nl")
    at.button(key=f"FormSubmitter:{form}-Opslaan").click()
    at.run()
    assert not at.exception and at.success[0].value.startswith("Opgeslagen: svc-cjg")
    at.radio(key="curator_section").set_value("dashboard").run()
    assert not at.exception
    assert incomplete() == "3"


def test_on_a_later_day_the_warnings_about_records_verified_long_ago_are_counted_without_validating(
        tmp_path, no_validation, monkeypatch):
    folder = _copy(VALID_MINI, tmp_path)
    services = (folder / "services.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    services[1] = services[1].replace("Vragen over opvoeden", '"Vragen over\nopvoeden"')  # a record over two lines
    (folder / "services.csv").write_text("".join([services[0], "\n", *services[1:], ",,,\n"]), encoding="utf-8")
    atlas = snapshot.load(folder)
    later = dt.date.today() + dt.timedelta(days=400)
    report = quality.quality_report(folder, today=later, atlas=atlas)
    assert report.atlas is atlas
    # lines as the loader counts them: after a blank line and a record over two lines
    assert [w.split(":")[0] for w in report.warnings] == ["organizations.csv line 2", "services.csv line 3",
                                                          "services.csv line 6"]
    monkeypatch.undo()
    assert_same_report(report, reference.quality_report(folder, today=later))
