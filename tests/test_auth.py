"""Curator login: failed logins counted for the whole process, an OIDC allow-list, bcrypt's limits."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from curation_helpers import HASH, PASSWORD
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from socialmap.curation import auth
from socialmap.errors import InputError

ENV = {auth.HASH_ENV: HASH}


@pytest.fixture(autouse=True)
def fresh_throttle():
    auth.LOGIN_THROTTLE.clear()
    yield
    auth.LOGIN_THROTTLE.clear()


# ---- D1: failed logins per process and per client, with back-off ------------------------------

def test_five_wrong_passwords_of_a_client_make_it_wait_30_seconds_then_longer_each_time():
    throttle = auth.LoginThrottle()
    now = 1_000_000.0
    for i in range(5):
        assert throttle.wait_s("ip:a", now + i) == 0
        throttle.failed("ip:a", now + i)
    assert throttle.wait_s("ip:a", now + 4) == 30
    assert throttle.wait_s("ip:b", now + 4) == 0  # another client is not blocked by one guesser
    throttle.failed("ip:a", now + 40)  # the sixth failure, after the wait
    assert throttle.wait_s("ip:a", now + 40) == 60
    for k in range(10):
        throttle.failed("ip:a", now + 200 + k)
    assert throttle.wait_s("ip:a", now + 209) == 900  # at most 15 minutes


def test_twenty_failures_from_any_clients_make_every_password_login_of_the_process_wait():
    throttle = auth.LoginThrottle()
    now = 1_000_000.0
    for i in range(20):
        throttle.failed(f"ip:{i}", now)  # one try each from 20 addresses
    assert throttle.wait_s("ip:new", now) == 30
    assert throttle.wait_s("", now) == 30


def test_a_throttled_login_does_not_check_the_password_even_when_it_is_right():
    throttle = auth.LoginThrottle(client_limit=2)
    for _ in range(2):
        assert auth.login_with_password("wrong", "Anna", env=ENV, client="ip:a", throttle=throttle) is None
    with pytest.raises(auth.TooManyAttempts) as err:
        auth.login_with_password(PASSWORD, "Anna", env=ENV, client="ip:a", throttle=throttle)
    assert str(err.value) == "too many failed logins; try again in 1 minute(s)"
    assert auth.login_with_password(PASSWORD, "Anna", env=ENV, client="ip:b", throttle=throttle).name == "Anna"


def _beheer(monkeypatch, region: Path) -> AppTest:
    monkeypatch.setenv("SOCIALMAP_REGION", str(region))
    monkeypatch.setenv(auth.HASH_ENV, HASH)
    at = AppTest.from_file(str(ROOT / "views" / "beheer.py"), default_timeout=60)
    at.run()
    return at


def _try_password(at: AppTest, password: str) -> str:
    at.text_input(key="curator_name").input("Mallory")
    at.text_input(key="curator_password").input(password)
    at.button(key="FormSubmitter:curator_login-Inloggen").click()
    at.run()
    assert not at.exception
    return at.error[0].value


def test_reloading_the_beheer_page_does_not_reset_the_failed_login_count(mini_region, monkeypatch):
    at = _beheer(monkeypatch, mini_region)
    assert [_try_password(at, f"guess {i}") for i in range(5)] == ["Wachtwoord klopt niet."] * 5
    reloaded = _beheer(monkeypatch, mini_region)  # a new browser session
    assert _try_password(reloaded, PASSWORD) == "Te vaak een fout wachtwoord. Probeer het over 1 min. opnieuw."
    assert "U bent ingelogd." not in [s.value for s in reloaded.success]


# ---- D2: OIDC allow-list ------------------------------------------------------------------------

ANNA = {"is_logged_in": True, "email": "Anna@Example.nl", "email_verified": True, "groups": ["staff"]}


def test_without_an_allow_list_no_oidc_account_becomes_a_curator():
    assert auth.curator_from_oidc(ANNA) is None
    assert auth.curator_from_oidc(ANNA, auth.allowed_curators(env={})) is None


def test_an_oidc_account_is_a_curator_only_when_its_email_or_group_is_on_the_allow_list():
    assert auth.curator_from_oidc(ANNA, auth.allowed_curators(env={auth.CURATORS_ENV: "anna@example.nl"})).name == "Anna@Example.nl"
    assert auth.curator_from_oidc(ANNA, auth.allowed_curators(env={auth.CURATORS_ENV: "bob@example.nl"})) is None
    assert auth.curator_from_oidc(ANNA, auth.allowed_curators(env={auth.CURATORS_ENV: "x@y.nl, group:staff"})).method == "oidc"
    assert auth.curator_from_oidc(ANNA, auth.allowed_curators(env={auth.CURATORS_ENV: "group:admins"})) is None
    unverified = ANNA | {"email_verified": False, "groups": []}
    assert auth.curator_from_oidc(unverified, {"anna@example.nl"}) is None


def test_the_allow_list_of_a_region_comes_from_its_region_yaml(mini_region):
    path = mini_region / "region.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "curators:\n  - anna@example.nl\n  - group:cjg-beheer\n",
                    encoding="utf-8")
    assert auth.allowed_curators(mini_region, env={}) == {"anna@example.nl", "group:cjg-beheer"}
    from socialmap.loader import check_region
    assert check_region(mini_region)[1] == []
    path.write_text(path.read_text(encoding="utf-8") + "curators: anna@example.nl\n", encoding="utf-8")
    assert check_region(mini_region)[1] == [
        "region.yaml: curators must be a list of e-mail addresses or 'group:NAME' entries, found text \"anna@example.nl\""]


# ---- D17: bcrypt's 72-byte limit, malformed hashes ---------------------------------------------

def test_a_password_over_72_bytes_is_refused_at_set_up_and_never_matches_a_cut_prefix():
    with pytest.raises(InputError) as err:
        auth.hash_password("a" * 73)
    assert str(err.value) == "the password is 73 bytes long (at most 72 bytes: bcrypt ignores the rest)"
    hashed = auth.hash_password("a" * 72)
    assert auth.check_password("a" * 72, hashed) is True
    assert auth.check_password("a" * 72 + "EXTRA", hashed) is False


def test_the_curator_hash_command_asks_twice_and_refuses_a_long_or_short_password():
    def asker(*answers):
        it = iter(answers)
        return lambda prompt: next(it)

    out, err = io.StringIO(), io.StringIO()
    assert auth.main_hash([], stdout=out, stderr=err, ask=asker("é" * 40, "é" * 40)) == 1
    assert err.getvalue() == "curator-hash: the password is 80 bytes long (at most 72 bytes: bcrypt ignores the rest)\n"
    err = io.StringIO()
    assert auth.main_hash([], stdout=out, stderr=err, ask=asker("kort", "kort")) == 1
    assert err.getvalue() == "curator-hash: the password is 4 characters long (at least 12 needed)\n"
    err = io.StringIO()
    assert auth.main_hash([], stdout=out, stderr=err, ask=asker("long enough pw", "long enough pw!")) == 1
    assert err.getvalue() == "curator-hash: the two passwords differ; nothing was made\n"
    assert out.getvalue() == ""
    assert auth.main_hash([], stdout=out, stderr=io.StringIO(), ask=asker("long enough pw", "long enough pw")) == 0
    assert auth.check_password("long enough pw", out.getvalue().strip())


def test_a_malformed_hash_is_reported_to_the_operator_in_the_log_once(caplog):
    broken = HASH[:-5]  # truncated when pasted
    env = {auth.HASH_ENV: broken}
    with caplog.at_level(logging.ERROR, logger="socialmap.curation"):
        assert auth.login_with_password(PASSWORD, "Anna", env=env, throttle=auth.LoginThrottle()) is None
        assert auth.login_with_password(PASSWORD, "Anna", env=env, throttle=auth.LoginThrottle()) is None
    assert [r.getMessage() for r in caplog.records] == [
        f"curator login: {auth.HASH_ENV} is not a bcrypt hash ($2b$12$ followed by 53 characters; found 55 "
        "characters starting with '$2b$'): no password can log in. Make one with: python -m socialmap curator-hash"]
    assert PASSWORD not in caplog.text and broken not in caplog.text
    assert auth.hash_problem(HASH) is None


def test_the_beheer_page_logs_a_plaintext_password_in_the_hash_setting_and_does_not_show_it(mini_region, monkeypatch, caplog):
    monkeypatch.setenv("SOCIALMAP_REGION", str(mini_region))
    monkeypatch.setenv(auth.HASH_ENV, "mijn-geheime-wachtwoord")  # a password pasted instead of its hash
    auth._warned_hashes.clear()
    with caplog.at_level(logging.ERROR, logger="socialmap.curation"):
        at = AppTest.from_file(str(ROOT / "views" / "beheer.py"), default_timeout=60)
        at.run()
    assert not at.exception
    assert [r.getMessage() for r in caplog.records if r.name == "socialmap.curation"] == [
        f"curator login: {auth.HASH_ENV} is not a bcrypt hash ($2b$12$ followed by 53 characters; found 23 "
        "characters not starting with $2): no password can log in. Make one with: python -m socialmap curator-hash"]
    page_text = " ".join(str(e.value) for kind in ("markdown", "caption", "info", "error", "warning")
                         for e in at.get(kind) if hasattr(e, "value"))
    assert "mijn" not in page_text and "mijn" not in caplog.text
