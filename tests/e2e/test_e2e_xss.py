"""Text from the data is shown as text: an HTML payload in a service name never runs.

A second server runs on a copy of the region in which services carry script payloads.
"""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import expect

from e2e import flows, harness

pytestmark = pytest.mark.e2e

PAYLOAD = "<img src=x onerror=alert(1)>"
PAYLOAD_DESCRIPTION = "<script>alert(2)</script> Uitleg met <b>vet</b>."
PAYLOAD_LOCATION = '"><svg onload=alert(3)>'
ON_MAP = "svc-cjg-kennemerland"  # has a location: on the map and in the list
IN_ADVICE = "svc-cjg-poh-jeugd"  # the POH Jeugd service in the GP flow's result


def _rewrite(path, key: str, changes: dict[str, dict[str, str]]) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows, fields = list(reader), reader.fieldnames
    hit = set()
    for row in rows:
        if row[key] in changes:
            row.update(changes[row[key]])
            hit.add(row[key])
    assert hit == set(changes), f"records missing from {path.name}: {set(changes) - hit}"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def xss_server(region_path, tmp_path_factory):
    region = harness.copy_region(region_path, tmp_path_factory.mktemp("xss") / "xss_region")
    _rewrite(region / "services.csv", "id", {
        ON_MAP: {"name": PAYLOAD, "description": PAYLOAD_DESCRIPTION},
        IN_ADVICE: {"name": PAYLOAD},
    })
    with open(region / "service_at_location.csv", encoding="utf-8") as fh:
        loc_id = next(r["location_id"] for r in csv.DictReader(fh) if r["service_id"] == ON_MAP)
    _rewrite(region / "locations.csv", "id", {loc_id: {"name": PAYLOAD_LOCATION}})
    with harness.running_server(region=region, name="xss") as server:
        yield server


def _no_injected_elements(page) -> None:
    for frame in page.frames:
        assert frame.locator('img[src="x"]').count() == 0, f"an <img> from the data was rendered in {frame.url[:80]}"
        assert frame.locator("svg[onload]").count() == 0, f"an <svg onload> from the data was rendered in {frame.url[:80]}"
    assert page.dialogs == [], f"a script from the data ran: {page.dialogs}"


def test_a_script_in_a_service_name_shows_as_text_on_the_map_and_its_card(page, browser, xss_server):
    harness.warm_up(browser, xss_server.url)
    harness.open_page(page, xss_server.url, "sociale_kaart", query=f"selected={ON_MAP}")
    flows.wait_for_map(page, min_markers=1)
    m = flows.main(page)
    expect(m.get_by_text(PAYLOAD, exact=True).first).to_be_visible()
    expect(m.get_by_text("<script>alert(2)</script>", exact=False).first).to_be_visible()
    # Hover every marker: tooltips are built from data too.
    markers = flows.map_frame(page).locator(flows.SERVICE_MARKERS)
    for i in range(min(markers.count(), 40)):
        markers.nth(i).hover(force=True)
    _no_injected_elements(page)
    harness.shot(page, "xss-map-card")


def test_a_script_in_a_service_name_shows_as_text_in_the_advice_and_the_route_card(page, xss_server):
    flows.gp_quick_flow(page, xss_server.url)
    card = flows.route_card(page)
    expect(card.get_by_text(PAYLOAD, exact=False).first).to_be_visible()
    _no_injected_elements(page)
    harness.shot(page, "xss-route-card")
