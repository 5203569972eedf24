"""Accessibility: axe-core on every page, Dutch page language, and the GP flow by keyboard alone.

axe-core comes from npm (``package.json``, pinned; ``scripts/ensure_browser.sh`` installs it) and
is injected by Playwright into the page and every same-origin frame. Serious and critical
violations fail the test; the others are written to ``test-artifacts/a11y/<page>.json`` and
listed in the test output.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from e2e import flows, harness

A11Y_DIR = harness.ARTIFACTS / "a11y"
BLOCKING = ("serious", "critical")


def run_axe(page) -> list[dict]:
    if not harness.AXE_JS.is_file():
        pytest.fail(f"{harness.AXE_JS} is missing: run 'bash scripts/ensure_browser.sh' (npm ci installs axe-core)")
    for frame in page.frames:
        try:
            frame.add_script_tag(path=str(harness.AXE_JS))
        except Exception:  # a cross-origin or detached frame: axe reports it as not tested
            pass
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations'], iframes: true});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.slice(0, 10).map(n => ({target: n.target, html: n.html.slice(0, 300),
                                                       summary: n.failureSummary}))}));
        }"""
    )
    return result


def _summary(violations: list[dict]) -> str:
    return "\n".join(f"- [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
                     for v in violations)


@pytest.mark.parametrize("path", harness.PAGES)
def test_axe_finds_no_serious_or_critical_violations(page, base_url, path):
    harness.open_page(page, base_url, path)
    flows.wait_for_components(page)
    violations = run_axe(page)
    A11Y_DIR.mkdir(parents=True, exist_ok=True)
    (A11Y_DIR / f"{path}.json").write_text(json.dumps(violations, indent=2, ensure_ascii=False), encoding="utf-8")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    others = [v for v in violations if v["impact"] not in BLOCKING]
    if others:
        print(f"\n{path}: {len(others)} minor/moderate axe violation(s):\n{_summary(others)}")
    assert not blocking, f"{path}: serious/critical axe violations:\n{_summary(blocking)}"


@pytest.mark.parametrize("path", ["start", "hulpwijzer", "sociale_kaart"])
def test_the_page_language_is_dutch(page, base_url, path):
    harness.open_page(page, base_url, path)
    # app.py sets it after Streamlit's own <html lang="en">; allow the script a moment to run.
    page.wait_for_function("() => document.documentElement.lang === 'nl'", timeout=10_000)


def test_the_page_language_follows_the_language_switch(page, base_url):
    harness.open_page(page, base_url, "start")
    sidebar = page.locator('[data-testid="stSidebar"]')
    harness.rerun(page, lambda: sidebar.get_by_text("English", exact=True).click())
    expect(page.get_by_text("Need help right now?").first).to_be_visible()
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=10_000)
