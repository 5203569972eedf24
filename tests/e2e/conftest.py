"""Fixtures for the end-to-end tests: one Streamlit server and one headless Chromium per session.

Every test in ``tests/e2e`` is marked ``e2e`` (``make test-fast`` leaves them out). A failing test
leaves a screenshot ``<test>-FAILED.png`` and the server log under ``test-artifacts/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from e2e import harness

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements-dev.txt)")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            # A real browser and the Streamlit server share two cores with everything else in CI;
            # a rare timing failure is retried (and shown as "R" / "rerun" in the summary), a real
            # failure fails three times.
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=2))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


def _region() -> Path:
    """The shipped region (or what SOCIALMAP_REGION points at)."""
    return Path(os.environ.get("SOCIALMAP_REGION", str(harness.SHIPPED_REGION)))


@pytest.fixture(scope="session")
def region_path() -> Path:
    path = _region()
    if not (path / "region.yaml").is_file():
        pytest.fail(f"the region {path} has no region.yaml: the end-to-end tests need the shipped data")
    return path


@pytest.fixture(scope="session")
def app_server(region_path):
    """The app on 127.0.0.1 (SOCIALMAP_TILES=none); stopped at the end of the session, also on failure."""
    server = harness.StreamlitServer(region=region_path, name="main")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    with playwright_api.sync_playwright() as pw:
        chromium = harness.launch_chromium(pw)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def base_url(app_server, browser) -> str:
    """The server's url, after one visit to ``/`` (loads the atlas once and makes Streamlit leave
    its legacy ``pages/`` folder mode; ``test_a_deep_link_as_first_request...`` covers that case)."""
    harness.warm_up(browser, app_server.url)
    return app_server.url


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL",
                              timezone_id="Europe/Amsterdam", accept_downloads=True)
    ctx.set_default_timeout(harness.RERUN_TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context, request):
    """A fresh tab. Dialogs (alert/confirm) are recorded in ``page.dialogs`` and dismissed."""
    pg = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.dialogs = dialogs  # type: ignore[attr-defined]
    pg.js_errors = errors  # type: ignore[attr-defined]
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed and not pg.is_closed():
        try:
            harness.shot(pg, f"{request.node.name}-FAILED")
        except Exception:  # a screenshot must never hide the real failure
            pass
