"""Page-level steps shared by the browser tests and the load test (selectors in one place)."""

from __future__ import annotations

from e2e import harness

COMPONENT_IFRAMES = 'iframe[title^="streamlit_folium"], iframe[data-testid="stCustomComponentV1"], iframe[data-testid="stIFrame"]'


def wait_for_components(page, timeout_ms: int = harness.RERUN_TIMEOUT_MS) -> None:
    """Wait until every component iframe on the page has loaded its document."""
    for frame in page.locator(COMPONENT_IFRAMES).all():
        handle = frame.element_handle(timeout=timeout_ms)
        content = handle.content_frame() if handle else None
        if content is not None:
            content.wait_for_load_state("load", timeout=timeout_ms)
