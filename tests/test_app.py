"""The app starts on the shipped data, shows the crisis panel on every page, and refuses bad data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import FIXTURES, ROOT, SHIPPED

PAGES = ["start", "hulpwijzer", "routekaart", "sociale_kaart", "wijkprofiel", "zorgroutes", "dekking", "beheer"]


def _app(monkeypatch: pytest.MonkeyPatch, region: Path = SHIPPED) -> AppTest:
    monkeypatch.setenv("SOCIALMAP_REGION", str(region))
    monkeypatch.setenv("SOCIALMAP_TILES", "none")
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.warning] + [m.value for m in at.error]
    parts += [m.value for m in at.caption] + [m.value for m in at.title]
    return "\n".join(str(p) for p in parts)


def test_the_app_shows_the_crisis_numbers_and_the_cbs_attribution(monkeypatch):
    at = _app(monkeypatch)
    at.run()
    assert not at.exception
    text = _text(at)
    for number in ("112", "0800-0113", "0800-0432", "0800-2000", "023-7504567"):
        assert number in text
    assert "CBS" in text and "CC BY 4.0" in text


# AppTest (Streamlit 1.67) keeps only the page's own elements after the first run of an
# st.navigation app, so the crisis panel on every page is checked in the browser
# (tests/e2e); here every page must run without an exception on the shipped data.
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception_on_the_shipped_data(monkeypatch, page):
    at = _app(monkeypatch)
    at.run()
    if page != "start":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title or at.header or at.markdown


def test_the_start_page_says_how_much_is_illustrative(monkeypatch):
    at = _app(monkeypatch)
    at.run()
    assert "voorbeelden" in _text(at)


def test_the_app_switches_to_english(monkeypatch):
    at = _app(monkeypatch)
    at.query_params["lang"] = "en"
    at.run()
    assert "Need help right now?" in _text(at)
    assert at.sidebar.radio[0].value == "en"


def test_the_app_refuses_to_start_on_invalid_data_and_shows_the_messages(monkeypatch, tmp_path):
    region = tmp_path / "broken"
    shutil.copytree(FIXTURES / "regions" / "valid_mini", region)
    shutil.copy(FIXTURES / "invalid" / "age_text__services.csv", region / "services.csv")
    at = _app(monkeypatch, region)
    at.run()
    assert not at.exception
    assert "De gegevens van de sociale kaart kloppen niet" in _text(at)
    assert "services.csv line 3: age_max 'ten' is not a number" in at.code[0].value
    assert "112" in _text(at)  # crisis numbers still shown


def test_an_unexpected_loading_error_still_shows_the_crisis_numbers(monkeypatch, tmp_path):
    from socialmap.ui import common

    def broken_loader(region):
        raise PermissionError(13, "Permission denied", "region.yaml")

    monkeypatch.setattr(common, "load_region", broken_loader)
    at = _app(monkeypatch, tmp_path / "unreadable")
    at.run()
    assert not at.exception
    text = _text(at)
    assert "112" in text and "0800-0113" in text
    assert "De gegevens van de sociale kaart kloppen niet" in text
    assert "PermissionError" in at.code[0].value


def test_a_malformed_journal_is_not_rolled_forward(mini_region):
    from socialmap.curation.store import recover

    (mini_region / ".history").mkdir()
    (mini_region / ".history" / "journal.json").write_text('{"files": [{"tmp": "x"}]}', encoding="utf-8")
    assert recover(mini_region) is True
    assert not (mini_region / ".history" / "journal.json").exists()
