"""The Beheer page: read-only without login, editing only after login; the 'Meld een fout' button."""

from __future__ import annotations

import pytest
from curation_helpers import HASH, PASSWORD
from streamlit.testing.v1 import AppTest

from conftest import ROOT

from socialmap.curation import auth, store, suggestions

WRITE_FORM_PREFIXES = ("curator_form_", "curator_retire_")


@pytest.fixture(autouse=True)
def fresh_limits():
    """Limits are per server process: clear what earlier tests in this process counted."""
    from socialmap.ui.curation import client_limiter, global_limiter

    for limiter in (client_limiter(), global_limiter(), auth.LOGIN_THROTTLE):
        limiter.clear()
    yield
    for limiter in (client_limiter(), global_limiter(), auth.LOGIN_THROTTLE):
        limiter.clear()


@pytest.fixture
def page_env(mini_region, monkeypatch):
    monkeypatch.setenv("SOCIALMAP_REGION", str(mini_region))
    monkeypatch.setenv(auth.HASH_ENV, HASH)
    return mini_region


def _run() -> AppTest:
    at = AppTest.from_file(str(ROOT / "views" / "beheer.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def _forms(at: AppTest) -> list[str]:
    return [f.proto.form.form_id for f in at.get("form")]


def _sections(at: AppTest) -> list[str]:
    return list(at.radio(key="curator_section").options)


def _login(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.text_input(key="curator_name").input("Anna")
    at.text_input(key="curator_password").input(password)
    at.button(key="FormSubmitter:curator_login-Inloggen").click()
    at.run()
    assert not at.exception
    return at


def test_without_login_the_page_shows_the_dashboard_and_nothing_that_writes(page_env):
    at = _run()
    assert _forms(at) == ["curator_login"]
    assert [b.label for b in at.button] == ["Inloggen"]  # only the login button
    assert _sections(at) == ["Kwaliteit", "Exporteren"]
    assert len(at.get("file_uploader")) == 0
    assert [m.label for m in at.metric] == ["Fouten", "Waarschuwingen", "Niet gecontroleerd (12 mnd)",
                                            "Contactgegevens onvolledig", "Mogelijke dubbelen", "Echte dekking"]
    assert at.info[0].value == "U kijkt mee zonder in te loggen: alleen lezen. Log in om iets te wijzigen."


def test_without_any_login_configured_there_is_no_way_to_write(page_env, monkeypatch):
    monkeypatch.delenv(auth.HASH_ENV)
    at = _run()
    assert _forms(at) == []
    assert len(at.button) == 0
    assert at.caption[1].value == "Inloggen voor beheerders is op deze installatie niet ingesteld. Lezen en exporteren kan wel."
    assert not any("PASSWORD_HASH" in c.value or "bcrypt" in c.value for c in at.caption)


def test_a_wrong_password_keeps_the_page_read_only(page_env):
    at = _login(_run(), password="wrong")
    assert at.error[0].value == "Wachtwoord klopt niet."
    assert not any(f.startswith(WRITE_FORM_PREFIXES) for f in _forms(at))
    assert at.text_input(key="curator_password").value == ""  # the password is not kept


def test_after_login_a_curator_can_edit_a_service_and_the_history_says_who(page_env):
    at = _login(_run())
    assert at.success[0].value == "U bent ingelogd."
    assert _sections(at) == ["Kwaliteit", "Bewerken", "Meldingen", "Controle", "Importeren", "Exporteren", "Geschiedenis"]
    at.radio(key="curator_section").set_value("edit").run()
    at.radio(key="curator_kind").set_value("service").run()
    at.selectbox(key="curator_pick_service").set_value("svc-cjg").run()
    form = next(f for f in _forms(at) if f.startswith("curator_form_service_svc-cjg"))
    at.text_input(key=f"{form}_name").input("Opvoedspreekuur CJG Oost")
    at.button(key=f"FormSubmitter:{form}-Opslaan").click()
    at.run()
    assert not at.exception
    assert at.success[0].value == "Opgeslagen: svc-cjg (gewijzigd: name)."
    assert "Opvoedspreekuur CJG Oost" in (page_env / "services.csv").read_text(encoding="utf-8")
    assert store.history(page_env)[0]["who"] == "Anna"


def test_the_report_error_button_stores_a_suggestion_without_login(page_env):
    def card() -> None:
        from socialmap.ui.curation import report_error_button

        report_error_button("svc-cjg", "nl")

    at = AppTest.from_function(card, default_timeout=60)
    at.run()
    assert [f.proto.form.form_id for f in at.get("form")] == ["report_error_svc-cjg"]
    at.selectbox[0].set_value("phone")
    at.text_input[0].input("023-1111111")
    at.text_area[0].input("Het nummer is veranderd.")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert at.success[0].value == "Dank u wel. Een beheerder kijkt ernaar."
    stored = suggestions.load(page_env)
    assert [(s.service_id, s.field, s.value, s.note) for s in stored] == [
        ("svc-cjg", "phone", "023-1111111", "Het nummer is veranderd.")]


def test_a_new_service_without_its_required_fields_is_not_saved_and_the_loader_says_why(page_env):
    at = _login(_run())
    at.radio(key="curator_section").set_value("edit").run()
    at.radio(key="curator_kind").set_value("service").run()
    before = (page_env / "services.csv").read_bytes()
    form = next(f for f in _forms(at) if f.startswith("curator_form_service_new"))
    at.text_input(key=f"{form}_id").input("svc-nieuw")
    at.text_input(key=f"{form}_name").input("Nieuwe dienst")
    at.button(key=f"FormSubmitter:{form}-Opslaan").click()
    at.run()
    assert at.error[0].value == "Niet opgeslagen: met deze wijziging zijn de gegevens niet geldig."
    assert "services.csv (svc-nieuw): organization_id is empty (a value is required)" in at.code[0].value
    assert (page_env / "services.csv").read_bytes() == before


def test_the_whole_server_accepts_at_most_200_reports_per_10_minutes():
    limiter = suggestions.GlobalRateLimiter()
    now = 1_000_000.0
    assert [limiter.acquire(now + i / 10) for i in range(200)] == [True] * 200
    assert limiter.acquire(now + 30) is False  # the 201st within 10 minutes
    assert limiter.acquire(now + 600) is True  # the first one has expired


def _report(phone: str) -> AppTest:
    def card() -> None:
        from socialmap.ui.curation import report_error_button

        report_error_button("svc-cjg", "nl")

    at = AppTest.from_function(card, default_timeout=60)  # a new browser session each time
    at.run()
    at.selectbox[0].set_value("phone")
    at.text_input[0].input(phone)
    at.button[0].click()
    at.run()
    assert not at.exception
    return at


def test_a_fourth_report_of_the_same_client_is_refused_even_from_a_new_browser_session(page_env):
    for number in range(3):
        assert _report(f"023-111111{number}").success[0].value == "Dank u wel. Een beheerder kijkt ernaar."
    fourth = _report("023-1111119")
    assert [w.value for w in fourth.warning] == [
        "U heeft net al een paar meldingen gestuurd. Probeer het over 10 minuten opnieuw."]
    assert len(suggestions.load(page_env)) == 3


def test_the_report_button_refuses_the_201st_report_of_the_server_and_stores_nothing(page_env):
    from socialmap.ui.curation import global_limiter

    def card() -> None:
        from socialmap.ui.curation import report_error_button

        report_error_button("svc-cjg", "nl")

    limiter = global_limiter()
    limiter.clear()
    try:
        assert all(limiter.acquire() for _ in range(200))  # 200 reports from other clients
        at = AppTest.from_function(card, default_timeout=60)
        at.run()
        at.selectbox[0].set_value("phone")
        at.text_input[0].input("023-1111111")
        at.button[0].click()
        at.run()
        assert not at.exception
        assert [w.value for w in at.warning] == [
            "Er komen nu veel meldingen binnen. Probeer het over 10 minuten opnieuw."]
        assert suggestions.load(page_env) == []
    finally:
        limiter.clear()


def test_without_a_secrets_file_the_page_offers_the_password_login_and_no_oidc_button(page_env):
    at = _run()
    assert [f.proto.form.form_id for f in at.get("form")] == ["curator_login"]
    assert not [b for b in at.button if b.key == "curator_oidc_login"]


def _oidc_page(email: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "views" / "beheer.py"), default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}
    at.user = {"is_logged_in": True, "email": email, "email_verified": True}
    at.run()
    assert not at.exception
    return at


def test_an_oidc_account_not_on_the_allow_list_stays_read_only_and_is_told_why(page_env, monkeypatch):
    monkeypatch.setenv(auth.CURATORS_ENV, "anna@example.nl")
    at = _oidc_page("mallory@example.com")
    assert _sections(at) == ["Kwaliteit", "Exporteren"]
    assert [w.value for w in at.warning] == [
        "U bent ingelogd, maar uw account staat niet op de lijst van beheerders van deze regio. "
        "Vraag de beheerder van de app om u toe te voegen."]


def test_an_oidc_account_on_the_allow_list_may_edit(page_env, monkeypatch):
    monkeypatch.setenv(auth.CURATORS_ENV, "anna@example.nl")
    at = _oidc_page("Anna@example.nl")
    assert "Bewerken" in _sections(at)
    assert at.success[0].value == "Ingelogd als **Anna@example.nl**."
