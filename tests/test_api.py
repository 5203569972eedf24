"""The HSDS read API: both regions in one API (the postcode decides the region, ``region`` filters),
paged HSDS answers, filters, illustrative records only when asked, open CORS, POST /triage by the
same core call as the app, 4xx naming the parameter, nothing logged."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, SHIPPED
from curation_helpers import curator
from fastapi.testclient import TestClient

from socialmap.api.app import create_app
from socialmap.api.directory import Holder
from socialmap.curation import hsds, records, store
from socialmap.loader import load_region
from socialmap.regions import load_regions
from socialmap.route import route

ANSWERS = {"age": 9, "concerns": ["anxiety"], "impact": "moderate", "duration": "months", "postcode": "2031"}
HEUVELLAND = SHIPPED.parent / "heuvelland"
COVERED = ("Maastricht-Heuvelland [heuvelland, postcodes 6211-6342]; "
           "Kennemerland (Haarlem en Zandvoort) [kennemerland, postcodes 2011-2116]")


def _copy(source: Path, parent: Path) -> Path:
    shutil.copytree(source, parent / source.name, ignore=shutil.ignore_patterns(".history", ".suggestions", ".review"))
    return parent / source.name


@pytest.fixture(scope="module")
def regions(tmp_path_factory) -> list[Path]:
    """Copies of both shipped regions (Kennemerland and Maastricht-Heuvelland)."""
    parent = tmp_path_factory.mktemp("api")
    return [_copy(SHIPPED, parent), _copy(HEUVELLAND, parent)]


@pytest.fixture(scope="module")
def region(regions) -> Path:
    return regions[0]


@pytest.fixture(scope="module")
def client(regions) -> TestClient:
    return TestClient(create_app(regions, triage_limit=1000))


def test_the_root_says_hsds_version_profile_openapi_url_attribution_and_the_regions_served(client):
    body = client.get("/").json()
    assert (body["version"], body["profile"], body["openapi_url"]) == ("3.0", hsds.PROFILE_URL, "http://testserver/openapi.json")
    assert body["attribution"].startswith("Bron: CBS (Wijk- en buurtkaart 2024")
    assert [x["name"] for x in body["licenses"]] == ["CC-BY-4.0", "CC-BY-4.0"]
    assert [(r["id"], r["name"], r["municipalities"]) for r in body["regions"]] == [
        ("heuvelland", "Maastricht-Heuvelland", ["Maastricht", "Meerssen", "Valkenburg aan de Geul", "Eijsden-Margraten"]),
        ("kennemerland", "Kennemerland (Haarlem en Zandvoort)", ["Haarlem", "Zandvoort"])]
    assert body["regions"][1]["postcodes"] == "2011-2015, 2019, 2021-2026, 2031-2037, 2041-2042, 2063, 2116"
    assert body["regions"][0]["postcodes"].startswith("6211-6219, 6221-6229, 6231,")


def test_the_lists_join_both_regions_and_region_filters_them(client):
    def total(path: str, **params: str) -> int:
        return client.get(path, params=params).json()["total_items"]

    assert (total("/services"), total("/services", region="kennemerland"), total("/services", region="heuvelland")) == \
        (43, 33, 10)
    assert (total("/services", include_illustrative="true"), total("/services", region="heuvelland",
                                                                  include_illustrative="true")) == (261, 107)
    assert (total("/organizations"), total("/organizations", region="heuvelland")) == (41, 10)
    assert total("/service_at_locations", include_illustrative="true") == 258
    assert total("/service_at_locations", include_illustrative="true", region="heuvelland") == 134
    hap = hsds.uid("heuvelland", "service", "svc-huisartsenpost-maastricht-heuvelland")
    assert client.get(f"/services/{hap}").json()["name"] == "Huisartsenpost Maastricht & Heuvelland"
    names = [s["name"] for s in client.get("/services", params={"region": "heuvelland", "per_page": 100}).json()["contents"]]
    assert "Huisartsenpost Maastricht & Heuvelland" in names and "Huisartsen Spoedpost Haarlem" not in names


def test_the_taxonomies_are_the_same_in_both_regions_and_their_terms_join_what_each_uses(client):
    assert client.get("/taxonomies", params={"region": "heuvelland"}).json() == client.get("/taxonomies").json()
    every = {t["id"] for t in client.get("/taxonomy_terms", params={"per_page": 100}).json()["contents"]}
    for region in ("heuvelland", "kennemerland"):
        own = client.get("/taxonomy_terms", params={"per_page": 100, "region": region}).json()["contents"]
        assert own and {t["id"] for t in own} <= every


@pytest.mark.parametrize("path", ["/services", "/organizations", "/service_at_locations", "/taxonomies", "/taxonomy_terms"])
def test_an_unknown_region_gets_400_naming_the_parameter_and_the_regions_served(client, path):
    response = client.get(path, params={"region": "limburg"})
    assert (response.status_code, response.json()) == (
        400, {"error": "region 'limburg' is not known (regions: heuvelland, kennemerland)", "parameter": "region"})


def _service_ids(client: TestClient, region: str) -> set[str]:
    lines = client.get("/services", params={"region": region, "include_illustrative": "true", "format": "ndjson"}).text
    return {json.loads(line)["id"] for line in lines.splitlines()}


def test_a_maastricht_postcode_finds_maastricht_services_nearest_first(client):
    page = client.get("/service_at_locations", params={"postcode": "6211 AB", "proximity": "3000", "per_page": 100,
                                                       "include_illustrative": "true"}).json()
    distances = [x["distance_m"] for x in page["contents"]]
    assert page["total_items"] > 0 and distances == sorted(distances) and max(distances) <= 3000
    assert {x["service"]["id"] for x in page["contents"]} <= _service_ids(client, "heuvelland")
    assert client.get("/service_at_locations", params={"postcode": "6211 AB", "region": "heuvelland",
                                                      "include_illustrative": "true"}).json()["total_items"] > 0


def test_a_haarlem_postcode_finds_haarlem_services_only(client):
    page = client.get("/service_at_locations", params={"postcode": "2011", "include_illustrative": "true",
                                                       "per_page": 100}).json()
    assert page["total_items"] > 0 and {x["service"]["id"] for x in page["contents"]} <= _service_ids(client, "kennemerland")


def test_a_postcode_in_no_region_gets_400_naming_postcode_and_the_regions_covered(client):
    for region in ({}, {"region": "heuvelland"}):
        response = client.get("/service_at_locations", params={"postcode": "9999"} | region)
        assert (response.status_code, response.json()) == (
            400, {"error": f"postcode '9999' is outside the regions covered: {COVERED}", "parameter": "postcode"})


def test_a_region_other_than_the_postcodes_finds_nothing(client):
    page = client.get("/service_at_locations", params={"postcode": "6211 AB", "region": "kennemerland",
                                                       "include_illustrative": "true"}).json()
    assert (page["total_items"], page["contents"]) == (0, [])


def test_an_api_limited_to_one_region_names_that_region_for_a_postcode_elsewhere(region):
    one = TestClient(create_app(region))
    assert [r["id"] for r in one.get("/").json()["regions"]] == ["kennemerland"]
    assert one.get("/services").json()["total_items"] == 33
    response = one.get("/service_at_locations", params={"postcode": "6211"})
    assert (response.status_code, response.json()) == (400, {
        "error": "postcode '6211' is outside region Kennemerland (Haarlem en Zandvoort) (known postcodes: 2011-2116, 23 areas)",
        "parameter": "postcode"})


def test_services_are_a_page_without_illustrative_records_unless_asked(client):
    page = client.get("/services", params={"per_page": 10, "region": "kennemerland"}).json()
    assert {k: page[k] for k in ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty")} == \
        {"total_items": 33, "total_pages": 4, "page_number": 1, "size": 10, "first_page": True, "last_page": False, "empty": False}
    assert all(s["status"] == "active" for s in page["contents"])
    assert "attributes" not in page["contents"][0]  # one-to-one fields only
    everything = client.get("/services", params={"include_illustrative": "true", "per_page": 100, "page": 2,
                                                 "region": "kennemerland"}).json()
    assert (everything["total_items"], everything["size"], everything["last_page"]) == (154, 54, True)
    assert {s["status"] for s in everything["contents"]} == {"active", "inactive"}


def test_one_service_is_fully_nested_and_an_illustrative_one_only_with_the_flag(client, region):
    sid = hsds.uid("kennemerland", "service", "svc-113-zelfmoordpreventie")
    body = client.get(f"/services/{sid}").json()
    assert body["name"] == "113 Zelfmoordpreventie" and body["phones"][0]["number"] == "113"
    illustrative = next(s for s in client.get("/services", params={"include_illustrative": "true", "per_page": 100,
                                                                   "region": "kennemerland"}).json()["contents"]
                        if s["status"] == "inactive")
    missing = client.get(f"/services/{illustrative['id']}")
    assert missing.status_code == 404
    assert missing.json() == {"error": f"service '{illustrative['id']}' not found (an illustrative record: add "
                                       "include_illustrative=true)", "parameter": "id"}
    assert client.get(f"/services/{illustrative['id']}", params={"include_illustrative": "true"}).json()["alert"] == \
        hsds.ALERT_ILLUSTRATIVE


def test_services_filter_by_taxonomy_term_organisation_and_search(client):
    anxiety = hsds.value_term_id("socialmap-concerns", "anxiety")
    found = client.get("/services", params={"taxonomy_term_id": anxiety, "full": "true", "per_page": 100}).json()
    assert found["total_items"] > 0
    assert all(any(a["taxonomy_term_id"] == anxiety for a in s["attributes"]) for s in found["contents"])
    org = hsds.uid("kennemerland", "organization", "org-113-zelfmoordpreventie")
    by_org = client.get("/services", params={"organization_id": org}).json()
    assert [s["name"] for s in by_org["contents"]] == ["113 Zelfmoordpreventie"]
    assert [s["name"] for s in client.get("/services", params={"search": "zelfmoord", "region": "kennemerland"}).json()[
        "contents"]] == ["113 Zelfmoordpreventie"]
    # a national line is in each region's data, so once per region (each with its own id)
    both = client.get("/services", params={"search": "zelfmoord"}).json()["contents"]
    assert [s["name"] for s in both] == ["113 Zelfmoordpreventie"] * 2 and len({s["id"] for s in both}) == 2


def test_modified_after_returns_what_the_curation_history_says_was_changed(region):
    app_client = TestClient(create_app(region, check_every=0))
    today = dt.date.today().isoformat()
    assert app_client.get("/services", params={"modified_after": today}).json()["total_items"] == 0
    row = records.record(region, "service", "svc-alarmnummer-112")
    records.upsert(region, "service", row | {"description": row["description"] + " Ook voor brand."}, curator(),
                   store.version_token(region), original_id="svc-alarmnummer-112")
    changed = app_client.get("/services", params={"modified_after": f"{today}T00:00:00Z", "minimal": "true"}).json()
    assert [s["name"] for s in changed["contents"]] == ["Alarmnummer 112"]
    assert changed["contents"][0]["last_modified"] == f"{today}T00:00:00Z"


def test_a_large_region_is_rebuilt_in_the_background_while_its_last_good_data_and_the_other_region_are_served(
        tmp_path, monkeypatch):
    folders = [_copy(SHIPPED, tmp_path), _copy(HEUVELLAND, tmp_path)]
    monkeypatch.setattr(Holder, "SYNC_LIMIT", 1)  # every region counts as large
    app = create_app(folders, check_every=0)
    api = TestClient(app)
    heuvelland = app.state.holder.get().directories["heuvelland"]
    row = records.record(folders[0], "service", "svc-alarmnummer-112")
    records.upsert(folders[0], "service", row | {"name": "Alarmnummer 112 (politie, brandweer, ambulance)"}, curator(),
                   store.version_token(folders[0]), original_id="svc-alarmnummer-112")
    sid = hsds.uid("kennemerland", "service", "svc-alarmnummer-112")
    assert api.get(f"/services/{sid}").json()["name"] == "Alarmnummer 112"  # the rebuild has only started
    deadline = time.monotonic() + 60
    while api.get(f"/services/{sid}").json()["name"] == "Alarmnummer 112" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert api.get(f"/services/{sid}").json()["name"] == "Alarmnummer 112 (politie, brandweer, ambulance)"
    assert app.state.holder.get().directories["heuvelland"] is heuvelland
    assert api.get("/services").json()["total_items"] == 43


def test_ndjson_streams_every_result_without_paging(client):
    response = client.get("/services", params={"format": "ndjson", "per_page": 1})
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = response.text.splitlines()
    assert len(lines) == 43 and json.loads(lines[0])["status"] == "active"


def test_service_at_locations_near_a_postcode_are_within_the_proximity_and_nearest_first(client):
    page = client.get("/service_at_locations", params={"postcode": "2011 VM", "proximity": "3000", "per_page": 100,
                                                       "include_illustrative": "true"}).json()
    distances = [x["distance_m"] for x in page["contents"]]
    assert page["total_items"] > 0 and distances == sorted(distances) and max(distances) <= 3000
    assert all(x["location"]["latitude"] and x["service"]["name"] for x in page["contents"])
    wider = client.get("/service_at_locations", params={"postcode": "2011", "include_illustrative": "true"}).json()
    assert wider["total_items"] > page["total_items"]


@pytest.mark.parametrize(("path", "params", "parameter", "message"), [
    ("/services", {"per_page": "101"}, "per_page", "per_page 101 is out of range (allowed: 1-100)"),
    ("/services", {"page": "0"}, "page", "page 0 is out of range (allowed: 1-100000)"),
    ("/services", {"page": "two"}, "page", "page 'two' is not a whole number (allowed: 1-100000)"),
    ("/services", {"format": "xml"}, "format", "format 'xml' is not allowed (allowed: json, ndjson)"),
    ("/services", {"full": "yes"}, "full", "full 'yes' is not allowed (allowed: true, false)"),
    ("/services", {"modified_after": "gisteren"}, "modified_after",
     "modified_after 'gisteren' is not a date or datetime (expected ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z)"),
    ("/service_at_locations", {"postcode": "9999"}, "postcode", f"postcode '9999' is outside the regions covered: {COVERED}"),
    ("/services", {"region": "maastricht"}, "region", "region 'maastricht' is not known (regions: heuvelland, kennemerland)"),
    ("/service_at_locations", {"postcode": "2011", "proximity": "far"}, "proximity",
     "proximity 'far' is not a whole number (allowed: 0-100000)"),
])
def test_a_bad_parameter_gets_400_naming_it(client, path, params, parameter, message):
    response = client.get(path, params=params)
    assert (response.status_code, response.json()) == (400, {"error": message, "parameter": parameter})


def test_taxonomies_and_their_terms_are_published(client):
    taxonomies = client.get("/taxonomies").json()["contents"]
    assert [t["name"] for t in taxonomies] == ["socialmap-care-levels", "socialmap-concerns", "socialmap-access-routes",
                                               "socialmap-professions", "socialmap-fields"]
    levels = client.get("/taxonomy_terms", params={"taxonomy_id": taxonomies[0]["id"]}).json()["contents"]
    assert [t["code"] for t in levels] == ["self_help", "open_access", "gp_practice", "wijkteam", "basic_mh",
                                           "specialist_mh", "crisis"]
    assert client.get(f"/taxonomy_terms/{levels[0]['id']}").json()["name"] == "Zelf aan de slag"


def test_cors_is_open(client):
    response = client.get("/services", headers={"Origin": "https://gemeente.example.nl"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_triage_answers_exactly_what_the_app_core_answers(client, region):
    expected = route(load_region(region), ANSWERS, "nl").to_contract()
    response = client.post("/triage", json=ANSWERS)
    assert response.status_code == 200 and response.json() == json.loads(json.dumps(expected))
    assert response.json()["contract"] == "2" and response.json()["area"]["municipality"] == "Haarlem"


def test_triage_with_a_maastricht_postcode_answers_with_maastricht_services(client, regions):
    answers = ANSWERS | {"postcode": "6211 AB", "impact": "severe"}
    expected = route(load_regions(regions), answers, "nl").to_contract()
    response = client.post("/triage", json=answers)
    assert response.status_code == 200 and response.json() == json.loads(json.dumps(expected))
    body = response.json()
    assert (body["level"], body["area"]["municipality"]) == ("basic_mh", "Maastricht")
    assert body["services"] and all("maastricht" in s["id"] for s in body["services"])


def test_triage_with_a_postcode_in_no_region_names_the_regions_covered(client):
    response = client.post("/triage", params={"lang": "en"}, json=ANSWERS | {"postcode": "9999"})
    assert response.status_code == 400 and response.json()["parameter"] == "postcode"
    assert response.json()["error"].startswith("Postcode '9999' is not in a region of this social map.")
    assert "Maastricht-Heuvelland (Maastricht, Meerssen" in response.json()["error"]
    assert "Kennemerland (Haarlem en Zandvoort) (Haarlem, Zandvoort; postcodes 2011-2015" in response.json()["error"]


def test_triage_refuses_bad_answers_with_the_field_named(client):
    response = client.post("/triage", json=ANSWERS | {"impact": "huge"})
    assert response.status_code == 400 and response.json()["parameter"] == "impact"
    assert client.post("/triage", content=b"{not json").json() == {
        "error": "invalid JSON: Expecting property name enclosed in double quotes", "parameter": "body"}
    big = client.post("/triage", content=b" " * 20_000)
    assert (big.status_code, big.json()["parameter"]) == (413, "body")


def test_triage_is_rate_limited_per_client(region):
    limited = TestClient(create_app(region, triage_limit=3, triage_window=60))
    codes = [limited.post("/triage", json=ANSWERS).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    last = limited.post("/triage", json=ANSWERS)
    assert int(last.headers["retry-after"]) >= 1
    assert last.json()["error"].startswith("too many triage requests from this client (at most 3 per 60 s)")


def _free_port() -> int:
    for _ in range(50):
        port = random.randint(8700, 8799)
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 8700-8799")


def test_the_server_never_logs_query_strings_or_request_bodies(region, tmp_path):
    port = _free_port()
    log = tmp_path / "api.log"
    with log.open("w") as out:
        env = {k: v for k, v in os.environ.items() if k != "SOCIALMAP_REGION"}  # every shipped region
        server = subprocess.Popen([sys.executable, "-m", "socialmap", "api", "--host", "127.0.0.1", "--port", str(port)],
                                  cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if httpx.get(base + "/", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            assert [r["id"] for r in httpx.get(base + "/").json()["regions"]] == ["heuvelland", "kennemerland"]
            assert httpx.get(base + "/services", params={"search": "geheimzoekwoord"}).status_code == 200
            assert httpx.get(base + "/service_at_locations", params={"postcode": "9999"}).status_code == 400
            secret = ANSWERS | {"context": ["debts"], "note": "geheimeantwoordtekst"}
            assert httpx.post(base + "/triage", json=secret).status_code == 200
            assert httpx.post(base + "/triage?lang=geheimetaal", content=b"{bad").status_code == 400
        finally:
            server.terminate()
            server.wait(timeout=20)
    text = log.read_text()
    for secret_text in ("geheimzoekwoord", "geheimeantwoordtekst", "geheimetaal", "9999", "debts", "/services", "/triage"):
        assert secret_text not in text


def test_the_api_command_refuses_an_unknown_region_with_one_line(capsys):
    from socialmap.api import commands

    assert commands.main_api(["--region", "nowhere"]) == 1
    assert capsys.readouterr().err == ("api: region 'nowhere' not found (expected a region id (heuvelland, kennemerland) "
                                       "or a region folder)\n")
