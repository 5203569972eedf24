"""Several regions in a real browser: a Maastricht postcode in the GP's fast path finds Maastricht
help, without choosing a region; the crisis numbers follow."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e import flows, harness
from e2e.flows import GPCase

pytestmark = pytest.mark.e2e

MAASTRICHT_POST = "043-3877777"  # Huisartsenpost Maastricht & Heuvelland (data/regions/heuvelland)
HAARLEM_POST = "023-7504567"


def test_a_gp_with_a_maastricht_postcode_gets_maastricht_help_without_any_setting(page, base_url):
    done = flows.gp_quick_flow(page, base_url, GPCase(postcode="6211"), open_card=False)
    assert len(done) <= 6, done.steps
    m = flows.main(page)
    expect(flows.advice_heading(page)).to_be_visible()
    expect(m.get_by_text("Maastricht").first).to_be_visible()
    bar = page.get_by_role("link", name=MAASTRICHT_POST).first
    expect(bar).to_have_attribute("href", "tel:0433877777")
    expect(page.get_by_role("link", name=HAARLEM_POST)).to_have_count(0)
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("Regio: Maastricht-Heuvelland")
    assert flows.app_errors(page) == [] and flows.raw_keys(page) == []
    harness.shot(page, "gp-maastricht")
    flows.open_route_card(page)
    card = flows.route_card(page)
    expect(card).to_contain_text(flows.nl("triage.route.title.child.gp_practice"))
    expect(card).to_contain_text("(Maastricht)")
    expect(card.get_by_role("link", name=MAASTRICHT_POST)).to_have_attribute("href", "tel:0433877777")
    assert re.search(r"[?&]a=[^&]*6211", page.url), "the route card carries the Maastricht PC4"


def test_a_maastricht_route_card_link_opened_elsewhere_shows_maastricht(page, base_url):
    """A parent opens the link on another device: a new session, no region chosen."""
    harness.open_page(page, base_url, "routekaart", "a=2-9-an-2-1----6224")
    card = flows.route_card(page)
    expect(card).to_contain_text("(Maastricht)")
    expect(card.get_by_role("link", name=MAASTRICHT_POST)).to_be_visible()
    expect(page.get_by_role("link", name=HAARLEM_POST)).to_have_count(0)
    assert flows.app_errors(page) == []


def test_a_postcode_in_no_region_names_the_regions_covered(page, base_url):
    harness.open_page(page, base_url, "hulpwijzer", "mode=snel")
    m = flows.main(page)
    m.get_by_role("textbox", name=flows.nl("advisor.q.postcode.short")).click()
    page.keyboard.type("1011")
    harness.rerun(page, lambda: m.get_by_role("spinbutton", name=flows.nl("advisor.q.age.short")).click())
    error = m.locator('[data-testid="stAlert"]').filter(has_text="1011").first
    expect(error).to_contain_text("Maastricht-Heuvelland")
    expect(error).to_contain_text("Kennemerland")
    assert flows.app_errors(page) == []
