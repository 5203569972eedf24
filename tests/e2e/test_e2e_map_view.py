"""The Sociale kaart in a real browser: the map gets what is in view, and a pan or zoom updates it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e import flows, harness

pytestmark = pytest.mark.e2e


def _set_view(page, lat: float, lon: float, zoom: int) -> None:
    frame = flows.map_frame(page)
    frame.locator("body").evaluate(f"() => window.map.setView([{lat}, {lon}], {zoom})")
    harness.settle(page, quiet_ms=1500)


def test_zooming_in_sends_only_the_services_in_view_and_zooming_out_brings_them_back(page, base_url):
    harness.open_page(page, base_url, "sociale_kaart")
    flows.wait_for_map(page, min_markers=5)
    frame = flows.map_frame(page)
    everywhere = flows.marker_count(page)
    outlines = frame.locator("path.leaflet-interactive").count()

    # street level in the centre of Haarlem: the data layer is replaced by the services in view
    _set_view(page, 52.3812, 4.6366, 17)
    expect(frame.locator(flows.SERVICE_MARKERS)).not_to_have_count(everywhere, timeout=harness.RERUN_TIMEOUT_MS)
    assert flows.marker_count(page) < everywhere
    assert frame.locator("path.leaflet-interactive").count() < outlines

    # back to the whole region: every located service again, same colours (white rim, fill by level)
    _set_view(page, 52.37, 4.59, 11)
    expect(frame.locator(flows.SERVICE_MARKERS)).to_have_count(everywhere, timeout=harness.RERUN_TIMEOUT_MS)
    assert frame.locator(".socialmap-legend").count() == 1  # the base map was not re-sent
    assert flows.app_errors(page) == [] and page.js_errors == []
    harness.shot(page, "map-view-region")
