"""The route card: a print view without the app around it, and a PDF download."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e import flows, harness
from e2e.flows import nl

pytestmark = pytest.mark.e2e


@pytest.fixture
def route_card_page(page, base_url):
    flows.gp_quick_flow(page, base_url)
    return page


def test_the_print_view_shows_only_the_route_card_with_the_crisis_numbers(route_card_page, tmp_path):
    page = route_card_page
    page.emulate_media(media="print")
    card = flows.route_card(page)
    expect(card).to_be_visible()
    expect(card.get_by_text(nl("advisor.routecard.crisis")).first).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(flows.main(page).locator('[data-testid="stDownloadButton"]')).to_be_hidden()
    expect(flows.main(page).locator('[data-testid="stTextArea"]')).to_be_hidden()
    harness.shot(page, "route-card-print")
    pdf = page.pdf(format="A4", print_background=True)  # what 'Print → Save as PDF' gives
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    (harness.SCREENSHOTS / "route-card-print.pdf").write_bytes(pdf)


def test_the_route_card_downloads_as_a_pdf_made_on_request(route_card_page):
    page = route_card_page
    assert flows.main(page).locator('[data-testid="stDownloadButton"]').count() == 0  # only when asked
    harness.rerun(page, lambda: flows.main(page).get_by_role("button", name=nl("advisor.routecard.make_pdf")).click())
    button = flows.main(page).locator('[data-testid="stDownloadButton"]').get_by_role("button")
    expect(button).to_contain_text(nl("advisor.routecard.download"))
    with page.expect_download(timeout=harness.RERUN_TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    data = open(download.path(), "rb").read()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 2_000
    assert page.js_errors == []


def test_the_print_button_opens_the_card_with_the_print_dialog(page, base_url):
    flows.gp_quick_flow(page, base_url, open_card=False)
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    link = flows.main(page).get_by_role("link", name=nl("advisor.result.print_button"), exact=True)
    link.click()
    page.wait_for_url(lambda url: "print=1" in url, timeout=harness.RERUN_TIMEOUT_MS)
    harness.wait_idle(page)
    expect(flows.route_card(page)).to_be_visible()
    expect(flows.main(page).get_by_text(nl("advisor.routecard.print_now"))).to_be_visible()


def test_in_demo_mode_the_card_on_screen_and_in_print_says_example(browser, region_path):
    with harness.running_server(region=region_path, name="demo", extra_env={"SOCIALMAP_DEMO": "1"}) as server:
        ctx = browser.new_context(viewport={"width": 1366, "height": 900})
        try:
            pg = ctx.new_page()
            harness.open_page(pg, server.url, "routekaart", "a=2-4-pa-1-0----2021")
            card = flows.route_card(pg)
            expect(card.locator(".sm-demo")).to_have_text(nl("common.demo.mark"))
            pg.emulate_media(media="print")
            expect(card.locator(".sm-demo")).to_be_visible()
            harness.shot(pg, "route-card-demo-print", full_page=False)
        finally:
            ctx.close()
