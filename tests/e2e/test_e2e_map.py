"""The Sociale kaart in a real browser: filter, search, open a service card, and no internet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e import flows, harness
from e2e.flows import label, nl

pytestmark = pytest.mark.e2e


def _filter_pick(page, field_label: str, option: str) -> None:
    """Pick a filter option; the filters may sit in the sidebar or in a folded 'Filters' box."""
    box = page.locator('[data-testid="stSidebar"], [data-testid="stMain"]').get_by_role("combobox", name=field_label).first
    fold = page.locator('[data-testid="stExpander"] summary').filter(has_text=nl("map.filters.title")).first
    for _ in range(3):  # the expander can swallow a click that lands while the page re-renders
        if box.is_visible():
            break
        harness.wait_idle(page)
        fold.click()
        try:
            expect(box).to_be_visible(timeout=10_000)
        except AssertionError:
            continue
    expect(box).to_be_visible()
    flows._pick(page, box, option)


def test_a_parent_filters_searches_and_opens_a_service_card(page, base_url):
    harness.open_page(page, base_url, "sociale_kaart")
    flows.wait_for_map(page, min_markers=5)
    total, markers = flows.found_count(page), flows.marker_count(page)

    _filter_pick(page, nl("map.filters.level"), label("level", "open_access"))
    expect(flows.main(page).get_by_text(re.compile(r"\d+ diensten")).first).not_to_contain_text(f"{total} diensten")
    filtered = flows.found_count(page)
    assert 0 < filtered < total
    expect(flows.map_frame(page).locator(flows.SERVICE_MARKERS)).not_to_have_count(markers)

    query = flows.main(page).get_by_role("textbox", name=nl("map.search.keyword"))
    flows._type_and_submit(page, query, "opvoeden")
    searched = flows.found_count(page)
    assert 0 < searched <= filtered
    assert "q=opvoeden" in page.url, "the view is shareable through its URL"
    flows.wait_for_map(page, min_markers=1)

    marker = flows.map_frame(page).locator(flows.SERVICE_MARKERS).first
    harness.rerun(page, lambda: marker.click(force=True))
    card = flows.main(page).locator('[data-testid="stVerticalBlockBorderWrapper"], [data-testid="stVerticalBlock"]').filter(
        has=page.get_by_role("button", name=nl("map.card.close"))).last
    expect(flows.main(page).get_by_role("button", name=nl("map.card.close"))).to_be_visible()
    expect(card.get_by_text(nl("map.card.access") + ":").first).to_be_visible()
    assert "selected=" in page.url
    assert flows.app_errors(page) == [] and flows.raw_keys(page) == []
    harness.shot(page, "map-service-card")


def test_the_map_draws_without_internet(page, base_url):
    blocked = harness.block_internet(page)
    harness.open_page(page, base_url, "sociale_kaart")
    frame = flows.wait_for_map(page, min_markers=5)
    expect(frame.locator(".leaflet-control-zoom-in")).to_be_visible()
    expect(frame.locator("path.leaflet-interactive").first).to_be_visible()
    assert flows.marker_count(page) >= 5
    harness.shot(page, "map-offline")
    assert page.js_errors == [], page.js_errors
    # Nothing the map needs comes from outside (tiles are off with SOCIALMAP_TILES=none).
    assert blocked == [], f"requests to the internet: {blocked[:5]}"


def test_a_postcode_orders_the_list_by_distance_in_km_closest_first(page, base_url):
    harness.open_page(page, base_url, "sociale_kaart")
    postcode = flows.main(page).get_by_role("textbox", name=nl("map.search.postcode"))
    flows._type_and_submit(page, postcode, "2011")
    expect(flows.main(page).get_by_text(re.compile(r"Gesorteerd op afstand tot het midden van")).first).to_be_visible()
    assert "pc=2011" in page.url
    text = flows.main(page).inner_text()
    distances = [float(km.replace(",", ".")) for km in re.findall(r"(\d+,\d) km\b", text)]
    assert len(distances) >= 10, text[:2000]
    assert distances == sorted(distances), distances
    assert distances[-1] <= 5.0  # the default radius
    expect(flows.main(page).get_by_text(nl("map.near.serves")).first).to_be_visible()
    assert flows.app_errors(page) == [] and flows.raw_keys(page) == []
    harness.shot(page, "map-postcode-by-distance")
