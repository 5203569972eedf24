"""Other producers' HSDS 3.0 files: standard fields suffice, every record waits in the review queue,
and uploads are bounded (size, rows, unpacked size, nesting) with messages instead of exceptions."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import SHIPPED
from curation_helpers import curator

from socialmap.curation import hsds, importer, review, store
from socialmap.loader import check_region

FOREIGN = Path(__file__).parent / "fixtures" / "hsds_foreign"


@pytest.fixture
def region(tmp_path) -> Path:
    target = tmp_path / "kennemerland"
    shutil.copytree(SHIPPED, target, ignore=shutil.ignore_patterns(".history", ".suggestions", ".review"))
    return target


def _json() -> bytes:
    return (FOREIGN / "organizations.json").read_bytes()


def _tabular_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path in sorted((FOREIGN / "tabular").glob("*.csv")):
            zf.write(path, path.name)
    return buf.getvalue()


def _item(region: Path, record_id: str) -> review.Item:
    return next(i for i in review.items(region) if i.record_id == record_id)


def test_a_foreign_hsds_json_file_goes_into_the_review_queue_with_zero_errors_and_nothing_goes_live(region):
    before = store.version_token(region)
    result = review.enqueue(region, "organizations.json", _json())
    assert result.errors == [] and result.added == 7
    assert [(i.kind, i.name) for i in review.items(region)] == [
        ("organization", "Stichting Buurtkracht Haarlem"), ("organization", "Jongerenpunt Zandvoort"),
        ("location", "Buurthuis De Kring"), ("location", "Jongerenpunt aan de Kerkstraat"),
        ("service", "Opvoedspreekuur Buurtkracht"), ("service", "Chat met een jongerenwerker"),
        ("service", "Huiswerkbegeleiding")]
    assert store.version_token(region) == before


def test_a_foreign_tabular_zip_goes_into_the_review_queue_with_zero_errors(region):
    result = review.enqueue(region, "ouderplein.zip", _tabular_zip())
    assert (result.errors, result.added) == ([], 3)
    service = _item(region, "1d2c3b4a-0000-4000-8000-00000000c001")
    assert service.main["service_area"] == "GM0392"
    assert [(h["weekday"], h["opens"], h["closes"], h["note"]) for h in service.rows["schedules.csv"]] == \
        [("fr", "09:30", "11:30", "Koffie staat klaar")]
    organization = _item(region, "1d2c3b4a-0000-4000-8000-00000000a001")
    assert organization.main["phone"] == "023 555 0199"


def test_profile_only_fields_get_defaults_or_are_left_for_the_curator(region):
    review.enqueue(region, "organizations.json", _json())
    kring = _item(region, "5b2e9f00-1a2b-4c3d-8e4f-000000000101").main
    assert (kring["municipality_code"], kring["status"], kring["address"], kring["postcode"]) == \
        ("GM0392", "to_verify", "Kringweg 12", "2024 AB")
    assert _item(region, "5b2e9f00-1a2b-4c3d-8e4f-000000000102").main["municipality_code"] == "GM0473"
    spreekuur = _item(region, "e3d1a7b2-5c4f-4e8a-b9d0-000000000201")
    main = spreekuur.main
    assert (main["status"], main["service_area"], main["age_min"], main["age_max"], main["cost"]) == \
        ("to_verify", "GM0392", "0", "12", "free")
    assert (main["phone"], main["languages"], main["level"], main["access_route"]) == ("023 555 0102", "nl;tr", "", "")
    assert [(h["weekday"], h["kind"], h["opens"]) for h in spreekuur.rows["schedules.csv"]] == \
        [("tu", "walk_in", "09:00"), ("th", "walk_in", "09:00")]
    huiswerk = _item(region, "e3d1a7b2-5c4f-4e8a-b9d0-000000000203").main
    assert (huiswerk["service_area"], huiswerk["age_min"], huiswerk["age_max"]) == ("GM0473", "0", "23")
    assert review.problems(region, _item(region, "e3d1a7b2-5c4f-4e8a-b9d0-000000000203")) == [
        "service 'e3d1a7b2-5c4f-4e8a-b9d0-000000000203' (services.csv row 1): level is empty (a value is required)",
        "service 'e3d1a7b2-5c4f-4e8a-b9d0-000000000203' (services.csv row 1): access_route is empty (a value is required)"]


def test_a_curator_completes_and_approves_a_service_and_its_organisation_and_location_go_live_with_it(region):
    review.enqueue(region, "organizations.json", _json())
    item = _item(region, "e3d1a7b2-5c4f-4e8a-b9d0-000000000201")
    who = curator()
    review.update(region, item.id, {"level": "open_access", "access_route": "vrij_toegankelijk",
                                    "concerns": "parenting;sleep"}, who)
    assert review.problems(region, _item(region, item.record_id)) == []
    review.approve(region, item.id, who, store.version_token(region))
    atlas, errors, _ = check_region(region)
    assert errors == []
    service = atlas.services.loc["e3d1a7b2-5c4f-4e8a-b9d0-000000000201"]
    assert (service["status"], service["level"], service["concerns"]) == ("to_verify", "open_access", ("parenting", "sleep"))
    assert atlas.organizations.loc["8a1f3c52-7d0e-4b6a-9c11-2f5e8d4a7b01", "status"] == "to_verify"
    assert atlas.locations.loc["5b2e9f00-1a2b-4c3d-8e4f-000000000101", "municipality_code"] == "GM0392"
    assert {i.name for i in review.items(region)} == {"Jongerenpunt Zandvoort", "Jongerenpunt aan de Kerkstraat",
                                                       "Chat met een jongerenwerker", "Huiswerkbegeleiding"}
    assert [i.decided_by for i in review.items(region, status="approved")] == [who.name] * 3
    assert store.history(region, limit=1)[0]["who"] == who.name


def test_an_incomplete_record_is_not_approved_and_keeps_waiting(region):
    review.enqueue(region, "organizations.json", _json())
    item = _item(region, "e3d1a7b2-5c4f-4e8a-b9d0-000000000203")
    before = store.version_token(region)
    with pytest.raises(store.ValidationFailed) as failed:
        review.approve(region, item.id, curator(), before)
    assert failed.value.messages == [
        "service 'e3d1a7b2-5c4f-4e8a-b9d0-000000000203' (services.csv row 1): level is empty (a value is required)",
        "service 'e3d1a7b2-5c4f-4e8a-b9d0-000000000203' (services.csv row 1): access_route is empty (a value is required)"]
    assert store.version_token(region) == before
    assert item.id in [i.id for i in review.items(region)]


def test_a_rejected_record_never_goes_live(region):
    review.enqueue(region, "organizations.json", _json())
    item = _item(region, "e3d1a7b2-5c4f-4e8a-b9d0-000000000202")
    review.reject(region, item.id, curator("Bea"))
    assert item.id not in [i.id for i in review.items(region)]
    assert [(i.record_id, i.decided_by) for i in review.items(region, status="rejected")] == [(item.record_id, "Bea")]
    with pytest.raises(Exception, match="is not waiting in the queue"):
        review.approve(region, item.id, curator(), store.version_token(region))


def test_our_own_export_is_recognised_and_keeps_its_preview_a_foreign_file_is_not(region):
    own = hsds.export_json(region)
    assert importer.is_own_export({}, "own.json", own)
    assert not importer.is_own_export({}, "foreign.json", _json())
    assert importer.preview_hsds(region, "own.json", own).errors == []


# ---- bounds ------------------------------------------------------------------------------------

def test_an_upload_over_5_mb_is_refused(region):
    result = review.enqueue(region, "big.json", b" " * (5 * 1024 * 1024 + 1))
    assert result.errors == ["big.json: file is 5120 KB (at most 5120 KB allowed)"]


def test_json_nested_deeper_than_32_is_refused_without_parsing(region):
    deep = b"[" * 100_000 + b"]" * 100_000
    assert review.enqueue(region, "deep.json", deep).errors == ["deep.json: nested 100000 levels deep (at most 32 allowed)"]
    nested: object = 1
    for _ in range(31):
        nested = [nested]
    just_too_deep = json.dumps([{"id": "x", "name": "n", "note": nested}]).encode()
    assert review.enqueue(region, "d.json", just_too_deep).errors == ["d.json: nested 33 levels deep (at most 32 allowed)"]


def test_wrong_types_are_refused_with_a_message_naming_the_record_and_field(region):
    data = json.dumps([{"id": ["x"], "services": "nope", "locations": [1]}]).encode()
    assert review.enqueue(region, "odd.json", data).errors == [
        "odd.json: not HSDS 3.0 data: organization 1 ('['x']') field 'name' is missing (required); "
        "organization 1 ('['x']') field 'id': expected text or a number, found list; "
        "organization 1 ('['x']') field 'services': expected a list, found str; "
        "organization 1 ('['x']') field 'locations' item 1: expected an object, found int"]
    data = json.dumps([{"id": "o", "name": "O", "services": [{"id": "s", "name": "S", "minimum_age": "ten"}]}]).encode()
    assert review.enqueue(region, "age.json", data).errors == [
        "age.json: not HSDS 3.0 data: organization 1 ('o') service 1 ('s') field 'minimum_age': 'ten' is not a number"]
    assert review.enqueue(region, "x.json", b'{"hello": 1}').errors == [
        "x.json: not HSDS 3.0 data: organization 1 ('') field 'id' is missing (required); "
        "organization 1 ('') field 'name' is missing (required)"]


def test_a_zip_that_unpacks_to_more_than_50_mb_is_refused_while_reading(region):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("organizations.csv", "w") as member:
            member.write(b"id,name,description\n")
            chunk = b"a" * (1024 * 1024)
            for _ in range(60):
                member.write(chunk)
    assert len(buf.getvalue()) < 5 * 1024 * 1024
    assert review.enqueue(region, "bomb.zip", buf.getvalue()).errors == ["bomb.zip: more than 50 MB when unpacked"]


def test_a_table_with_more_than_20000_rows_is_refused(region):
    rows = "".join(f"{n},Org {n},x\n" for n in range(20_001))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("organizations.csv", "id,name,description\n" + rows)
    assert review.enqueue(region, "many.zip", buf.getvalue()).errors == ["many.zip (organizations.csv): more than 20000 rows"]


def test_a_huge_csv_field_in_a_zip_is_a_message_not_an_exception(region):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("organizations.csv", "id,name,description\n1,\"" + "x" * 120_000 + "\",d\n")
    assert review.enqueue(region, "field.zip", buf.getvalue()).errors == [
        "field.zip (organizations.csv) line 2: a cell is longer than 100000 characters"]


def test_an_xlsx_with_more_rows_than_allowed_is_refused_after_streaming_the_allowed_rows():
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["id", "name"])
    for n in range(20_050):
        sheet.append([f"org-{n}", f"Org {n}"])
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(importer.ImportError_, match=r"^big\.xlsx: more than 20000 rows$"):
        importer.read_upload("big.xlsx", buf.getvalue())


def test_a_non_zip_xlsx_is_a_message():
    with pytest.raises(importer.ImportError_, match=r"^x\.xlsx: not a readable \.xlsx file \(BadZipFile\)$"):
        importer.read_upload("x.xlsx", b"not a zip")


def _xlsx(rows: int, cols: int, dimension: str = "") -> bytes:
    """A minimal XLSX written by hand: one sheet of numbers, optionally with a <dimension>."""
    ns = "http://schemas.openxmlformats.org"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", f'<Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" '
                    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
                    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        zf.writestr("_rels/.rels", f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
                    f'Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/'
                    'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship '
                    f'Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                    '</Relationships>')
        with zf.open("xl/worksheets/sheet1.xml", "w") as out:
            out.write(f'<worksheet xmlns="{ns}/spreadsheetml/2006/main">{dimension}<sheetData>'.encode())
            row = b"<row>" + b"<c><v>1</v></c>" * cols + b"</row>"
            for _ in range(rows):
                out.write(row)
            out.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def test_an_xlsx_of_12_million_cells_is_refused_before_parsing_by_its_unpacked_size():
    data = _xlsx(60_000, 200)
    assert len(data) < importer.MAX_BYTES
    with pytest.raises(importer.ImportError_, match=r"^bomb\.xlsx: more than 50 MB when unpacked$"):
        importer.read_upload("bomb.xlsx", data)


def test_an_xlsx_whose_dimension_declares_too_many_rows_or_columns_is_refused_before_parsing():
    with pytest.raises(importer.ImportError_, match=r"^d\.xlsx: more than 20000 rows$"):
        importer.read_upload("d.xlsx", _xlsx(10, 2, '<dimension ref="A1:B90000"/>'))
    with pytest.raises(importer.ImportError_, match=r"^w\.xlsx: 702 columns \(at most 100 allowed\)$"):
        importer.read_upload("w.xlsx", _xlsx(10, 2, '<dimension ref="A1:ZZ10"/>'))


def test_an_xlsx_without_dimension_stops_reading_at_the_cell_budget():
    with pytest.raises(importer.ImportError_, match=r"^c\.xlsx: more than 600000 cells \(at most 20000 rows of 30 columns\)$"):
        importer.read_upload("c.xlsx", _xlsx(7_000, 90))
