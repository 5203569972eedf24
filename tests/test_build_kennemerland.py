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
    shipped = sorted(p.name for p in SHIPPED.iterdir())
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
