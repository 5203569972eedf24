"""The heuvelland builder: deterministic, shipped data up to date, the Heuvelland POH Jeugd model."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "build_heuvelland.py"
SHIPPED = REPO / "data" / "regions" / "heuvelland"
RAW = REPO.parent / "shared" / "data" / "raw"
LADDER_AND_CRISIS = ("self_help", "open_access", "gp_practice", "wijkteam", "basic_mh",
                     "specialist_mh", "crisis")
MUNICIPALITIES = {"GM0935": "Maastricht", "GM0938": "Meerssen", "GM0994": "Valkenburg aan de Geul",
                  "GM1903": "Eijsden-Margraten"}
# Every PC4 whose CBS 2021 municipality is one of the four (postcodes_pc2_pc3_pc4_nl_2021.csv).
HEUVELLAND_PC4S = (
    "6211", "6212", "6213", "6214", "6215", "6216", "6217", "6218", "6219", "6221", "6222", "6223",
    "6224", "6225", "6226", "6227", "6228", "6229",  # Maastricht
    "6231", "6235", "6237", "6241", "6243",  # Meerssen
    "6301", "6305", "6325", "6341", "6342",  # Valkenburg aan de Geul
    "6245", "6247", "6251", "6252", "6255", "6261", "6262", "6265", "6267", "6268", "6269", "6307",  # Eijsden-Margraten
)
HAP = "svc-huisartsenpost-maastricht-heuvelland"

pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason=f"raw data not available at {RAW}")


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_heuvelland", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("heuvelland")
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


def test_the_list_of_40_pc4s_is_the_cbs_2021_list_of_the_four_municipalities():
    with (RAW / "certegis_cbs_postcode4" / "postcodes_pc2_pc3_pc4_nl_2021.csv").open(encoding="utf-8") as fh:
        expected = {r["postcode"] for r in csv.DictReader(fh)
                    if len(r["postcode"]) == 4 and r["gemeente"] in MUNICIPALITIES.values()}
    assert len(HEUVELLAND_PC4S) == 40
    assert sorted(expected) == sorted(HEUVELLAND_PC4S)


def test_every_heuvelland_pc4_resolves_to_a_buurt_of_the_region(built):
    areas = {a["code"]: a for a in _rows(built, "areas.csv")}
    postcodes = {p["pc4"]: p for p in _rows(built, "postcodes.csv")}
    assert sorted(postcodes) == sorted(HEUVELLAND_PC4S)
    for pc4 in HEUVELLAND_PC4S:
        row = postcodes[pc4]
        buurt = areas[row["buurt_code"]]
        assert (buurt["kind"], buurt["parent_code"], buurt["municipality_code"]) == (
            "buurt", row["wijk_code"], row["municipality_code"])
        assert row["municipality_code"] in MUNICIPALITIES


def test_a_village_postcode_resolves_to_the_village_not_to_its_scattered_houses(built):
    postcodes = {p["pc4"]: p for p in _rows(built, "postcodes.csv")}
    names = {a["code"]: a["name"] for a in _rows(built, "areas.csv")}
    assert names[postcodes["6245"]["buurt_code"]] == "Eijsden-Breust"
    assert not any(names[p["buurt_code"]].startswith("Verspreide huizen") for p in postcodes.values())


def test_it_has_the_cbs_wijken_and_buurten_of_the_four_municipalities(built):
    areas = _rows(built, "areas.csv")
    kinds = [a["kind"] for a in areas]
    assert (kinds.count("gemeente"), kinds.count("wijk"), kinds.count("buurt")) == (4, 22, 124)
    assert {a["code"]: int(a["population"]) for a in areas if a["kind"] == "gemeente"} == {
        "GM0935": 125285, "GM0938": 18576, "GM0994": 16431, "GM1903": 26034}
    wijken = [a for a in areas if a["kind"] == "wijk"]
    assert {a["name_source"] for a in wijken} == {"derived"}
    assert all(a["name"].startswith(f"Wijk {a['code'][-2:]} (") for a in wijken)


def test_every_wijk_is_served_at_every_level(built):
    areas = _rows(built, "areas.csv")
    services = _rows(built, "services.csv")
    missing = []
    for a in areas:
        if a["kind"] != "wijk":
            continue
        chain = {a["code"], a["municipality_code"], "NL"}
        for level in LADDER_AND_CRISIS:
            if not any(s["level"] == level and chain & set(s["service_area"].split(";")) for s in services):
                missing.append((a["code"], level))
    assert missing == []


def test_eight_poh_jeugd_serve_52_practices_each_poh_several(built):
    practices = _rows(built, "gp_practices.csv")
    services = {s["id"]: s for s in _rows(built, "services.csv")}
    assert len(practices) == 52
    assert {p["youth_professional"] for p in practices} == {"poh_jeugd"}
    per_poh: dict[str, int] = {}
    for p in practices:
        per_poh[p["service_id"]] = per_poh.get(p["service_id"], 0) + 1
    assert len(per_poh) == 8
    assert min(per_poh.values()) >= 3
    assert all(services[s]["level"] == "gp_practice" and services[s]["status"] == "illustrative" for s in per_poh)


def test_a_poh_jeugd_is_never_in_two_practices_at_the_same_time(built):
    schedules = [s for s in _rows(built, "schedules.csv") if s["service_id"].startswith("svc-voorbeeld-poh-jeugd")]
    slots = [(s["service_id"], s["weekday"], s["opens"]) for s in schedules]
    assert len(schedules) == 52
    assert len(set(slots)) == len(slots)


def test_the_huisartsenpost_is_real_to_verify_with_an_unknown_year(built):
    services = {s["id"]: s for s in _rows(built, "services.csv")}
    hap = services[HAP]
    assert (hap["name"], hap["phone"], hap["status"], hap["source_year"]) == (
        "Huisartsenpost Maastricht & Heuvelland", "043-3877777", "to_verify", "")
    assert hap["source_url"] == "https://hapmaastricht.nl/en/organization/"
    assert hap["service_area"] == "GM0935;GM0938;GM0994;GM1903"
    hours = {(s["weekday"], s["opens"], s["closes"]) for s in _rows(built, "schedules.csv") if s["service_id"] == HAP}
    assert ("mo", "17:00", "24:00") in hours and ("tu", "00:00", "08:00") in hours and ("sa", "00:00", "24:00") in hours
    assert "huisartsenpost_service_id: " + HAP in (built / "region.yaml").read_text(encoding="utf-8")


def test_the_national_lines_are_there(built):
    phones = {s["phone"] for s in _rows(built, "services.csv") if s["service_area"] == "NL"}
    assert {"112", "113", "0800-2000", "0800-0432"} <= phones


def test_every_illustrative_record_says_voorbeeld_and_has_no_phone_or_source(built):
    bad = [r["id"] for name in ("services.csv", "organizations.csv", "locations.csv")
           for r in _rows(built, name)
           if r["status"] == "illustrative"
           and ("voorbeeld" not in r["name"].lower() or r.get("phone", "") != "" or r["source_url"])]
    assert bad == []


def test_only_the_national_lines_share_ids_with_kennemerland(built):
    kennemerland = REPO / "data" / "regions" / "kennemerland"
    national = [s for s in _rows(built, "services.csv") if s["service_area"] == "NL"]
    expected = {s["id"] for s in national} | {s["organization_id"] for s in national}
    shared = set()
    for name in ("organizations.csv", "services.csv", "locations.csv", "gp_practices.csv"):
        shared |= {r["id"] for r in _rows(built, name)} & {r["id"] for r in _rows(kennemerland, name)}
    assert shared == expected


def test_a_rebuild_keeps_the_curator_allow_list_of_the_region(tmp_path):
    out = tmp_path / "heuvelland"
    out.mkdir()
    (out / "region.yaml").write_text("id: heuvelland\ncurators:\n- curator@example.org\n- group:cjg-beheer\n",
                                     encoding="utf-8")
    assert _load_builder().main(["--raw", str(RAW), "--out", str(out), "--quiet"]) == 0
    text = (out / "region.yaml").read_text(encoding="utf-8")
    assert text.endswith("curators:\n- curator@example.org\n- group:cjg-beheer\n")
    assert text.replace("curators:\n- curator@example.org\n- group:cjg-beheer\n", "") == (
        SHIPPED / "region.yaml").read_text(encoding="utf-8")
