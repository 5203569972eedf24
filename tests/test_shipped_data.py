"""The shipped Kennemerland data validates and covers what the app promises."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, SHIPPED
from socialmap import vocab
from socialmap.loader import check_region


def test_the_shipped_region_validates_without_errors():
    atlas, errors, _ = check_region(SHIPPED)
    assert errors == []
    assert atlas is not None


def test_validate_command_passes_the_shipped_data():
    result = subprocess.run([sys.executable, "-m", "socialmap", "validate"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "valid (Kennemerland" in result.stdout


def test_validate_command_checks_every_shipped_region():
    result = subprocess.run([sys.executable, "-m", "socialmap", "validate"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if ": valid (" in line]
    assert [line.split(": valid ")[1] for line in lines] == ["(Maastricht-Heuvelland)", "(Kennemerland (Haarlem en Zandvoort))"]


def test_validate_command_still_checks_one_region_when_named():
    result = subprocess.run([sys.executable, "-m", "socialmap", "validate", "heuvelland"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": valid (") == 1 and "valid (Maastricht-Heuvelland)" in result.stdout


def test_it_covers_haarlem_and_zandvoort_with_all_cbs_wijken_and_buurten(shipped_atlas):
    areas = shipped_atlas.areas
    assert {m.code for m in shipped_atlas.region.municipalities} == {"GM0392", "GM0473"}
    assert (areas["kind"] == "wijk").sum() == 25  # Haarlem 21 + Zandvoort 4 (CBS 2024)
    assert (areas["kind"] == "buurt").sum() == 130  # Haarlem 111 + Zandvoort 19
    haarlem = areas.loc["GM0392"]
    assert haarlem["population"] == 167636  # CBS KWB 2024


def test_the_attribution_credits_cbs_under_cc_by(shipped_atlas):
    assert "CBS" in shipped_atlas.region.attribution
    assert "CC BY 4.0" in shipped_atlas.region.attribution
    assert "CC BY 4.0" in (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_the_regional_huisartsenpost_has_a_phone_number(shipped_atlas):
    sid = shipped_atlas.region.huisartsenpost_service_id
    assert shipped_atlas.services.at[sid, "phone"]


@pytest.mark.parametrize("number", ["112", "113", "0800-0432", "0800-2000"])
def test_the_national_crisis_lines_are_in_the_data_and_serve_everyone(shipped_atlas, number):
    services = shipped_atlas.services
    hits = services[services["phone"].fillna("").str.contains(number, regex=False)]
    assert not hits.empty
    assert all(vocab.NATIONAL_AREA in codes for codes in hits["service_area"])


def test_illustrative_records_are_unmistakable(shipped_atlas):
    illustrative = shipped_atlas.services[shipped_atlas.services["status"] == "illustrative"]
    assert len(illustrative) > 0
    assert illustrative["name"].str.lower().str.contains("voorbeeld").all()
    assert illustrative["phone"].isna().all()


@pytest.mark.parametrize("practice_id", ["gp-schoterpoort", "gp-hc-zandvoort-centrum", "gp-hc-zandvoort-noord"])
def test_the_real_practices_youth_professional_is_never_stated_as_a_fact(shipped_atlas, practice_id):
    from socialmap import practice

    own = practice.own_practice(shipped_atlas, practice_id, "nl")
    assert own.practice is not None and own.practice.real
    assert (own.known, own.professional, own.service_id) == (False, None, None)
