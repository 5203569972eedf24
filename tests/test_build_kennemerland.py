"""The kennemerland builder: deterministic, shipped data up to date, and a complete social map."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "build_kennemerland.py"
SHIPPED = REPO / "data" / "regions" / "kennemerland"
RAW = REPO.parent / "shared" / "data" / "raw"
LADDER_AND_CRISIS = ("self_help", "open_access", "gp_practice", "wijkteam", "basic_mh",
                     "specialist_mh", "crisis")

pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason=f"raw data not available at {RAW}")


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_kennemerland", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kennemerland")
    assert _load_builder().main(["--raw", str(RAW), "--out", str(out), "--quiet"]) == 0
    return out


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_builder_reproduces_the_shipped_files_byte_for_byte(built):
    shipped = sorted(p.name for p in SHIPPED.iterdir() if not p.name.startswith("."))  # runtime state (snapshot, history) is not built
    assert sorted(p.name for p in built.iterdir()) == shipped
    differing = [n for n in shipped if (built / n).read_bytes() != (SHIPPED / n).read_bytes()]
    assert differing == []


def test_every_wijk_of_both_municipalities_is_served_at_every_level(built):
    areas = _rows(built, "areas.csv")
    wijken = [(a["code"], a["municipality_code"]) for a in areas if a["kind"] == "wijk"]
    assert len(wijken) == 25
    services = _rows(built, "services.csv")
    missing = []
    for code, muni in wijken:
        chain = {code, muni, "NL"}
        for level in LADDER_AND_CRISIS:
            if not any(s["level"] == level and chain & set(s["service_area"].split(";")) for s in services):
                missing.append((code, level))
    assert missing == []


def test_every_postcode_of_haarlem_and_zandvoort_resolves_to_a_shipped_buurt(built):
    with (RAW / "certegis_cbs_postcode4" / "postcodes_pc2_pc3_pc4_nl_2021.csv").open(encoding="utf-8") as fh:
        expected = {r["postcode"] for r in csv.DictReader(fh)
                    if len(r["postcode"]) == 4 and r["gemeente"] in ("Haarlem", "Zandvoort")}
    areas = {a["code"]: a for a in _rows(built, "areas.csv")}
    postcodes = {p["pc4"]: p for p in _rows(built, "postcodes.csv")}
    assert sorted(expected - set(postcodes)) == []
    for pc4 in expected:
        row = postcodes[pc4]
        buurt = areas[row["buurt_code"]]
        assert (buurt["kind"], buurt["parent_code"], buurt["municipality_code"]) == (
            "buurt", row["wijk_code"], row["municipality_code"])


def test_the_region_has_at_least_150_services(built):
    assert len(_rows(built, "services.csv")) >= 150


def test_every_illustrative_record_says_voorbeeld_and_has_no_phone(built):
    bad = [r["id"] for name in ("services.csv", "organizations.csv", "locations.csv")
           for r in _rows(built, name)
           if r["status"] == "illustrative"
           and ("voorbeeld" not in r["name"].lower() or r.get("phone", "") != "")]
    assert bad == []


def test_no_illustrative_record_has_a_source_url(built):
    bad = [r["id"] for name in ("services.csv", "organizations.csv", "locations.csv")
           for r in _rows(built, name) if r["status"] == "illustrative" and r["source_url"]]
    assert bad == []


def test_more_than_90_percent_of_gp_practices_have_a_youth_professional(built):
    practices = _rows(built, "gp_practices.csv")
    with_youth = [p for p in practices if p["youth_professional"] != "none"]
    assert len(with_youth) / len(practices) > 0.9
    assert all(p["service_id"] for p in with_youth)
    assert all(p["service_id"] == "" for p in practices if p["youth_professional"] == "none")


def test_verified_records_carry_a_source_url_and_year(built):
    bad = [r["id"] for name in ("services.csv", "organizations.csv") for r in _rows(built, name)
           if r["status"] == "verified" and not (r["source_url"] and r["source_year"] and r["verified_at"])]
    assert bad == []


# Every PC4 of the region (CBS 2021 gemeente Haarlem or Zandvoort, plus 2019 in Haarlem's centre).
KENNEMERLAND_PC4S = (
    "2011", "2012", "2013", "2014", "2015", "2019", "2021", "2022", "2023", "2024", "2025", "2026",
    "2031", "2032", "2033", "2034", "2035", "2036", "2037", "2063",  # Haarlem
    "2041", "2042", "2116",  # Zandvoort
)


def test_the_shipped_pc4s_are_exactly_the_listed_ones(built):
    assert sorted(p["pc4"] for p in _rows(built, "postcodes.csv")) == sorted(KENNEMERLAND_PC4S)


def _by_id(folder: Path, name: str) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in _rows(folder, name)}


def test_the_real_gp_practices_are_to_verify_with_source_and_year(built):
    orgs = _by_id(built, "organizations.csv")
    practices = _by_id(built, "gp_practices.csv")
    schoterpoort = orgs["org-huisartsenpraktijk-schoterpoort"]
    zandvoort = orgs["org-huisartsen-centrum-zandvoort"]
    assert (schoterpoort["status"], schoterpoort["phone"], schoterpoort["source_url"], schoterpoort["source_year"]) == (
        "to_verify", "023-5410345", "https://schoterpoort.praktijkinfo.nl/", "2026")
    assert (zandvoort["status"], zandvoort["phone"], zandvoort["source_year"]) == ("to_verify", "023-5732023", "2020")
    assert {p: practices[p]["organization_id"] for p in ("gp-schoterpoort", "gp-hc-zandvoort-centrum", "gp-hc-zandvoort-noord")} == {
        "gp-schoterpoort": "org-huisartsenpraktijk-schoterpoort",
        "gp-hc-zandvoort-centrum": "org-huisartsen-centrum-zandvoort",
        "gp-hc-zandvoort-noord": "org-huisartsen-centrum-zandvoort",
    }


def test_conflicting_after_hours_numbers_are_both_kept_in_the_description(built):
    orgs = _by_id(built, "organizations.csv")
    for oid in ("org-huisartsen-centrum-zandvoort", "org-huisartsen-spoedpost"):
        assert "023-224 25 26" in orgs[oid]["description"] and "023-750 45 67" in orgs[oid]["description"]
        assert orgs[oid]["status"] == "to_verify"


def test_zandvoort_has_only_the_real_practice_and_no_illustrative_one(built):
    locations = _by_id(built, "locations.csv")
    zandvoort = [p for p in _rows(built, "gp_practices.csv") if locations[p["location_id"]]["municipality_code"] == "GM0473"]
    assert sorted(p["id"] for p in zandvoort) == ["gp-hc-zandvoort-centrum", "gp-hc-zandvoort-noord"]
    assert (locations["loc-hc-zandvoort-centrum"]["address"], locations["loc-hc-zandvoort-centrum"]["postcode"]) == (
        "Beatrixplantsoen 1b", "2042 PW")
    assert (locations["loc-hc-zandvoort-noord"]["address"], locations["loc-hc-zandvoort-noord"]["postcode"]) == (
        "Thomsonstraat 1", "2041 TA")


def test_the_ggd_main_location_and_the_hospital_coordinates_are_real(built):
    locations = _by_id(built, "locations.csv")
    ggd = locations["loc-ggd-kennemerland-zijlweg"]
    assert (ggd["organization_id"], ggd["address"], ggd["postcode"], ggd["status"]) == (
        "org-ggd-kennemerland", "Zijlweg 200", "2015 CK", "to_verify")
    noord, zuid = locations["loc-spaarne-gasthuis-noord"], locations["loc-spaarne-gasthuis-zuid"]
    assert (noord["latitude"], noord["longitude"], noord["postcode"]) == ("52.422796", "4.649582", "2026 BW")
    assert (zuid["latitude"], zuid["longitude"], zuid["postcode"]) == ("52.366939", "4.652409", "2035 RC")


def test_no_staff_names_of_the_real_practice_are_in_the_data(built):
    text = "".join((built / n).read_text(encoding="utf-8") for n in ("organizations.csv", "locations.csv", "services.csv"))
    assert not any(name in text for name in ("Louwet", "Duijn", "Steketee", "Van der Eem", "Bubberman", "Verweij"))
