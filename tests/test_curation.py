"""Curation core: data-quality dashboard, 'Meld een fout' suggestions, CSV/XLSX import with preview."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import time

import openpyxl
import pytest
from curation_helpers import curator, env_with_hash

from conftest import ROOT

from socialmap.curation import auth, importer, quality, store, suggestions
from socialmap.errors import InputError
from socialmap.loader import check_region

TODAY = dt.date(2026, 11, 24)


# ---- dashboard ----------------------------------------------------------------------------------

def test_the_dashboard_lists_unverified_records_counts_per_level_and_wijk_and_missing_contacts(mini_region):
    report = quality.quality_report(mini_region, today=TODAY)
    assert report.valid and report.errors == []
    assert sorted(zip(report.stale["table"], report.stale["id"])) == [("organizations", "org-hap"), ("services", "svc-hap")]
    assert report.status_by_level.loc["open_access"].to_dict() == {"verified": 2, "to_verify": 0, "illustrative": 0}
    assert report.status_by_level.loc["gp_practice", "illustrative"] == 1
    assert report.status_by_wijk.loc["WK999101", ["verified", "to_verify", "illustrative"]].tolist() == [2, 1, 1]
    assert report.status_by_wijk.loc["WK999102", ["verified", "to_verify", "illustrative"]].tolist() == [2, 1, 0]
    assert sorted(report.missing_contact["id"]) == ["svc-baby", "svc-cjg", "svc-hap"]


def test_records_verified_more_than_12_months_ago_count_as_not_verified(mini_region):
    report = quality.quality_report(mini_region, today=dt.date(2027, 6, 2))
    assert {"org-cjg", "svc-cjg", "loc-cjg"} <= set(report.stale["id"])


def test_the_dashboard_flags_similar_names_at_the_same_address_as_likely_duplicates(mini_region):
    with open(mini_region / "locations.csv", "a", encoding="utf-8") as fh:
        fh.write("loc-cjg-2,org-cjg,CJG  west,Teststraat 1,9991 AA,Testgemeente,GM9991,52.3143,4.5953,to_verify,,\n")
        fh.write("loc-other,org-cjg,Bibliotheek,Teststraat 1,9991 AA,Testgemeente,GM9991,52.3143,4.5953,to_verify,,\n")
    report = quality.quality_report(mini_region, today=TODAY)
    pairs = report.duplicates[["table", "id_a", "id_b"]].values.tolist()
    assert pairs == [["locations", "loc-cjg", "loc-cjg-2"]]


def test_an_invalid_region_shows_its_validation_errors_and_no_metrics(mini_region):
    (mini_region / "services.csv").write_text("id\n", encoding="utf-8")
    report = quality.quality_report(mini_region, today=TODAY)
    assert not report.valid
    assert report.errors[0].startswith("services.csv: missing column 'organization_id'")


# ---- suggestions --------------------------------------------------------------------------------

def test_anyone_can_send_a_correction_that_is_stored_without_personal_fields(mini_region):
    item = suggestions.submit(mini_region, "svc-cjg", "phone", "023-1111111", "nummer is veranderd",
                              known_services={"svc-cjg"})
    stored = suggestions.load(mini_region)
    assert [(s.service_id, s.field, s.value, s.status) for s in stored] == [("svc-cjg", "phone", "023-1111111", "open")]
    assert set(vars(item)) == {"id", "service_id", "field", "value", "note", "created_at", "status", "decided_by", "decided_at"}
    assert (mini_region / ".suggestions" / "suggestions.jsonl").exists()


def test_a_correction_is_length_limited_and_only_for_known_services_and_fields(mini_region):
    with pytest.raises(InputError) as err:
        suggestions.submit(mini_region, "svc-cjg", "name", "", "x" * 501)
    assert str(err.value) == "note is 501 characters long (at most 500 allowed)"
    with pytest.raises(InputError) as err:
        suggestions.submit(mini_region, "svc-nope", "name", "x", "", known_services={"svc-cjg"})
    assert str(err.value) == "service_id 'svc-nope' does not exist"
    with pytest.raises(InputError):
        suggestions.submit(mini_region, "svc-cjg", "status", "verified", "")
    assert suggestions.load(mini_region) == []


def test_a_client_may_send_three_corrections_per_ten_minutes_and_others_still_can():
    limiter = suggestions.ClientRateLimiter()
    now = 10_000.0
    assert [limiter.acquire("ip:a", now + i) for i in range(4)] == [True, True, True, False]
    assert limiter.acquire("ip:b", now + 5) is True  # one visitor does not use up everyone's quota
    assert limiter.acquire("ip:a", now + 600) is True  # the first one has expired


def test_a_flood_of_reports_about_one_service_does_not_block_reports_about_the_others(mini_region):
    for number in range(suggestions.MAX_OPEN_PER_SERVICE):
        suggestions.submit(mini_region, "svc-cjg", "other", "", f"melding {number}")
    with pytest.raises(InputError) as err:
        suggestions.submit(mini_region, "svc-cjg", "other", "", "nog een")
    assert str(err.value) == "there are already 20 open suggestions for this service; a curator looks at them first"
    assert suggestions.submit(mini_region, "svc-hap", "other", "", "andere dienst").service_id == "svc-hap"


def test_the_client_limiter_remembers_a_bounded_number_of_clients():
    limiter = suggestions.ClientRateLimiter(max_clients=100)
    for number in range(1_000):
        limiter.acquire(f"ip:{number}", 10_000.0)
    assert len(limiter._times) == 100


def test_bidi_overrides_and_zero_width_characters_are_stripped_from_a_correction(mini_region):
    item = suggestions.submit(mini_region, "svc-cjg", "name", "CJG\u202e lasnaam\u200b\u2066x\u2069\ufeff\x00", "a\u200db")
    assert (item.value, item.note) == ("CJG lasnaamx", "ab")


def test_a_curator_accepts_a_correction_through_the_validated_edit_path(mini_region):
    s = suggestions.submit(mini_region, "svc-cjg", "phone", "023-1111111", "")
    suggestions.accept(mini_region, s.id, curator("Anna"), store.version_token(mini_region))
    atlas, errors, _ = check_region(mini_region)
    assert errors == [] and atlas.services.at["svc-cjg", "phone"] == "023-1111111"
    assert suggestions.load(mini_region)[0].status == "accepted"
    bad = suggestions.submit(mini_region, "svc-cjg", "phone", "bel maar", "")
    with pytest.raises(store.ValidationFailed):
        suggestions.accept(mini_region, bad.id, curator(), store.version_token(mini_region))
    suggestions.reject(mini_region, bad.id, curator())
    assert [s.status for s in suggestions.load(mini_region)] == ["accepted", "rejected"]


def test_deciding_on_a_correction_needs_a_curator(mini_region):
    s = suggestions.submit(mini_region, "svc-cjg", "name", "Nieuw", "")
    with pytest.raises(auth.NotAuthenticated):
        suggestions.reject(mini_region, s.id, None)  # type: ignore[arg-type]


# ---- import -------------------------------------------------------------------------------------

def test_a_csv_upload_with_mapped_columns_previews_added_and_changed_records_without_writing(mini_region):
    before = (mini_region / "services.csv").read_bytes()
    data = "Code;Naam\nsvc-cjg;Opvoedspreekuur CJG Noord\nsvc-baby;Consultatiebureau\n".encode()
    preview = importer.preview_upload(mini_region, "services.csv", "lijst.csv", data, {"id": "Code", "name": "Naam"})
    assert preview.ok
    assert preview.diffs["services.csv"].changed == {"svc-cjg": ["name"]}
    assert preview.diffs["services.csv"].added == []
    assert (mini_region / "services.csv").read_bytes() == before
    importer.apply(mini_region, preview, curator())
    atlas, errors, _ = check_region(mini_region)
    assert errors == [] and atlas.services.at["svc-cjg", "name"] == "Opvoedspreekuur CJG Noord"


def test_an_upload_reports_validation_errors_by_upload_line(mini_region):
    data = b"id,name,phone,organization_id\nsvc-cjg,CJG,bel ons,org-cjg\nsvc-new,Nieuw,,org-nope\n"
    preview = importer.preview_upload(mini_region, "services.csv", "up.csv", data)
    assert preview.errors == ["up.csv line 2: phone 'bel ons' is not a Dutch phone number (expected e.g. 023-7504567, 0800-0432, 112)"]
    assert preview.diffs["services.csv"].added == ["svc-new"]  # the change is previewed next to the errors
    data = (b"id,name,organization_id,level,access_route,age_min,age_max,service_area,status\n"
            b"svc-new,Nieuw,org-nope,open_access,direct,0,17,GM9991,to_verify\n")
    preview = importer.preview_upload(mini_region, "services.csv", "up.csv", data)
    assert preview.diffs["services.csv"].added == ["svc-new"]
    assert preview.errors == ["up.csv line 2 → services.csv line 6: organization_id 'org-nope' does not exist in organizations.csv"]
    with pytest.raises(store.ValidationFailed):
        importer.apply(mini_region, preview, curator())


def test_an_xlsx_upload_can_retire_records_missing_from_it(mini_region):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "organization_id", "service_id", "location_id"])
    sheet.append(["sal-1", None, "svc-cjg", "loc-cjg"])
    buf = io.BytesIO()
    book.save(buf)
    preview = importer.preview_upload(mini_region, "service_at_location.csv", "links.xlsx", buf.getvalue(),
                                      retire_missing=True)
    assert preview.ok, preview.errors
    assert preview.diffs["service_at_location.csv"].retired == ["sal-2"]
    importer.apply(mini_region, preview, curator())
    assert list(check_region(mini_region)[0].service_at_location.index) == ["sal-1"]
    _, archived = store.read_rows(mini_region, "retired/service_at_location.csv")
    assert [r["id"] for r in archived] == ["sal-2"]


def test_an_upload_of_the_wrong_type_is_refused_with_a_clear_message():
    with pytest.raises(importer.ImportError_) as err:
        importer.read_upload("data.pdf", b"%PDF")
    assert str(err.value) == "data.pdf: file type not allowed (allowed: .csv, .xlsx)"


def test_the_column_mapping_is_guessed_from_english_and_common_dutch_headers():
    mapping = importer.suggest_mapping(["ID", "Naam", "Telefoon", "E-mail", "Website", "Iets anders"], "services.csv")
    assert {k: v for k, v in mapping.items() if v} == {"id": "ID", "name": "Naam", "phone": "Telefoon",
                                                        "email": "E-mail", "url": "Website"}


_RACE = """
import sys
import time
from pathlib import Path
from curation_helpers import curator
from socialmap.curation import store, suggestions
from socialmap.errors import InputError
folder, sid, what, barrier = Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4])
while not barrier.exists():
    time.sleep(0.001)
try:
    if what == "accept":
        suggestions.accept(folder, sid, curator(), store.version_token(folder))
    else:
        suggestions.reject(folder, sid, curator())
except (InputError, store.ConcurrentEditError):
    sys.exit(3)
"""


def test_a_suggestion_raced_by_an_accept_and_a_reject_gets_exactly_one_decision(mini_region, tmp_path):
    script = tmp_path / "race.py"
    script.write_text(_RACE, encoding="utf-8")
    env = env_with_hash() | {"PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
    for round_ in range(3):
        s = suggestions.submit(mini_region, "svc-cjg", "phone", f"023-111111{round_}", "")
        barrier = tmp_path / f"go{round_}"
        children = [subprocess.Popen([sys.executable, str(script), str(mini_region), s.id, what, str(barrier)],
                                     cwd=ROOT, env=env) for what in ("accept", "reject")]
        time.sleep(1.5)  # both children imported and waiting
        barrier.touch()
        codes = sorted(c.wait(timeout=120) for c in children)
        assert codes == [0, 3]
        lines = (mini_region / ".suggestions" / "suggestions.jsonl").read_text(encoding="utf-8").splitlines()
        assert sum(1 for line in lines if f'"id": "{s.id}"' in line and '"decision"' in line) == 1
