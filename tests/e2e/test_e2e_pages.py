"""Every page opens in a real browser, shows the crisis numbers first and has no script error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e import flows, harness

pytestmark = pytest.mark.e2e

CRISIS_NUMBERS = ("112", "113 / 0800-0113", "0800-0432", "0800-2000")


@pytest.mark.parametrize("path", harness.PAGES)
def test_the_crisis_panel_is_visible_at_the_top_of_every_page(page, base_url, path):
    harness.open_page(page, base_url, path)
    main = page.locator('[data-testid="stMain"]')
    panel = main.locator('[data-testid="stAlert"]').filter(has_text="Direct hulp nodig?").first
    expect(panel).to_be_visible()
    for number in CRISIS_NUMBERS:
        expect(panel.get_by_role("link", name=number, exact=True)).to_be_visible()
    expect(panel.get_by_role("link", name="112", exact=True)).to_have_attribute("href", "tel:112")
    # First on the page: nothing of the page itself comes above the panel.
    panel_top = panel.bounding_box()["y"]
    first_heading = main.locator("h1").first
    if first_heading.count():
        assert panel_top < first_heading.bounding_box()["y"], "the crisis panel must come before the page title"
    harness.shot(page, f"page-{path}")
    assert flows.app_errors(page) == []
    assert flows.raw_keys(page) == [], "labels shown as raw catalogue keys"
    assert page.js_errors == []


def test_the_root_url_opens_the_start_page(page, base_url):
    harness.open_page(page, base_url, "")
    expect(page.get_by_text("Direct hulp nodig?").first).to_be_visible()
    expect(flows.main(page).get_by_role("heading", name=flows.nl("common.app_title"), level=1)).to_be_visible()
    assert flows.app_errors(page) == []


def test_an_unknown_url_path_still_shows_the_crisis_panel(page, base_url):
    harness.open_page(page, base_url, "bestaat-niet")
    expect(page.get_by_text("Direct hulp nodig?").first).to_be_visible()


def test_a_deep_link_as_the_first_request_to_a_fresh_server_still_shows_the_crisis_panel(browser, region_path):
    # Streamlit runs files from a `pages/` folder directly (without app.py) until the first
    # st.navigation call in the process. A GP who opens a bookmark /hulpwijzer right after a
    # restart must still get app.py: crisis numbers, language switch, data notice.
    with harness.running_server(region=region_path, name="deeplink") as server:
        ctx = browser.new_context()
        try:
            pg = ctx.new_page()
            harness.open_page(pg, server.url, "hulpwijzer")
            expect(pg.get_by_text("Direct hulp nodig?").first).to_be_visible()
            expect(pg.locator('[data-testid="stSidebar"]').get_by_text("Taal")).to_be_visible()
        finally:
            ctx.close()
