"""Beheer → Controle: another producer's records wait in the review queue; a curator completes
and approves one, and only then is it in the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from curation_helpers import HASH
from streamlit.testing.v1 import AppTest
from test_beheer_page import _login, _run

from conftest import SHIPPED

from socialmap.curation import auth, review, store
from socialmap.loader import check_region

FOREIGN = Path(__file__).parent / "fixtures" / "hsds_foreign" / "organizations.json"
SERVICE = "e3d1a7b2-5c4f-4e8a-b9d0-000000000202"


@pytest.fixture
def region(tmp_path, monkeypatch) -> Path:
    target = tmp_path / "kennemerland"
    shutil.copytree(SHIPPED, target, ignore=shutil.ignore_patterns(".history", ".suggestions", ".review"))
    monkeypatch.setenv("SOCIALMAP_REGION", str(target))
    monkeypatch.setenv(auth.HASH_ENV, HASH)
    return target


def _logged_in() -> AppTest:
    return _login(_run())


def test_a_curator_completes_and_approves_a_waiting_service_on_the_review_tab(region):
    assert review.enqueue(region, "buurtkracht.json", FOREIGN.read_bytes()).errors == []
    before = store.version_token(region)
    at = _logged_in()
    at.radio(key="curator_section").set_value("review").run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any("**Aanbod** Chat met een jongerenwerker" in t for t in texts)
    item = next(i for i in review.items(region) if i.record_id == SERVICE)
    assert at.warning[0].value == "Dit moet nog worden aangevuld of verbeterd"
    at.selectbox(key=f"review_{item.id}_level").set_value("open_access")
    at.selectbox(key=f"review_{item.id}_access_route").set_value("vrij_toegankelijk")
    at.button(key=f"FormSubmitter:review_form_{item.id}-Goedkeuren (live zetten)").click()
    at.run()
    assert not at.exception
    assert at.success[0].value == "Goedgekeurd. Het record staat nu op de kaart (status 'nog te controleren')."
    assert store.version_token(region) != before
    atlas, errors, _ = check_region(region)
    assert errors == []
    assert atlas.services.loc[SERVICE, ["level", "status"]].tolist() == ["open_access", "to_verify"]
    assert SERVICE not in [i.record_id for i in review.items(region)]


def test_the_review_tab_says_when_nothing_waits(region):
    at = _logged_in()
    at.radio(key="curator_section").set_value("review").run()
    assert "Er wacht niets op controle." in [c.value for c in at.caption]
