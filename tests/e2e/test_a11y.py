"""Accessibility: axe-core on every page, Dutch page language, and the GP flow by keyboard alone.

axe-core comes from npm (``package.json``, pinned; ``scripts/ensure_browser.sh`` installs it) and
is injected by Playwright into the page and every same-origin frame. Serious and critical
violations fail the test; the others are written to ``test-artifacts/a11y/<page>.json`` and
listed in the test output.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from e2e import flows, harness
from socialmap import vocab

pytestmark = pytest.mark.e2e

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
    harness.open_page(page, base_url, harness.PAGE_URL[path])
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
    harness.open_page(page, base_url, harness.PAGE_URL[path])
    # app.py sets it after Streamlit's own <html lang="en">; allow the script a moment to run.
    page.wait_for_function("() => document.documentElement.lang === 'nl'", timeout=10_000)


def test_the_page_language_follows_the_language_switch(page, base_url):
    harness.open_page(page, base_url, "")
    sidebar = page.locator('[data-testid="stSidebar"]')
    # The option's visible text is what a user clicks (react-aria keeps the <input> under an overlay).
    harness.rerun(page, lambda: sidebar.get_by_text("English", exact=True).click())
    expect(page.get_by_text("Need help right now?").first).to_be_visible()
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=10_000)


_FOCUS_JS = """() => {
  const e = document.activeElement;
  if (!e) return '';
  return [e.tagName, e.getAttribute('role') || '', e.getAttribute('aria-label') || '',
          (e.innerText || e.value || '').trim().slice(0, 80)].join('|');
}"""


def _tab_to(page, want, max_tabs: int = 80, count: list | None = None) -> str:
    """Press Tab until the focused element matches ``want`` (a function of the focus string)."""
    seen = []
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if count is not None:
            count.append("Tab")
        focus = page.evaluate(_FOCUS_JS)
        seen.append(focus)
        if want(focus):
            return focus
    raise AssertionError(f"not reachable with Tab in {max_tabs} presses; focus went through: {seen}")


def test_a_gp_completes_the_fast_flow_with_the_keyboard_alone(page, base_url):
    """Tab, typing, Enter and Space; plus the arrow keys inside a radio group (its one Tab stop).
    Every non-character key is counted (the figure is printed for the closing note)."""
    harness.open_page(page, base_url, "hulpwijzer", "mode=snel&praktijk=gp-wk039201-1")
    keys = page.keyboard
    count: list[str] = []

    def press(key: str) -> None:
        count.append(key)
        keys.press(key)

    def submit(key: str) -> None:
        harness.rerun(page, lambda: press(key))

    _tab_to(page, lambda f: f.startswith("INPUT|") and f.split("|")[2] == flows.nl("advisor.q.postcode.short"),
            count=count)
    keys.type("2015")
    _tab_to(page, lambda f: f.split("|")[2] == flows.nl("advisor.q.age.short") or f.startswith("INPUT|spinbutton"),
            count=count)
    keys.type("9")
    # The concerns are pills: one Tab stop, the arrow keys move between them.
    concern = flows.label("concern", "anxiety")
    pills = [flows.label("concern", c) for c in vocab.CONCERNS]
    harness.rerun(page, lambda: _tab_to(page, lambda f: f.startswith("BUTTON|") and f.split("|")[3] in pills,
                                        count=count))  # leaving the age field sends it
    for _ in range(len(pills)):
        if page.evaluate(_FOCUS_JS).split("|")[3] == concern:
            break
        press("ArrowRight")
    submit("Space")
    for kind, value in (("impact", "moderate"), ("duration", "months")):
        # A radio group has one Tab stop; the arrow keys move within it (WAI-ARIA radio group).
        group = flows.main(page).get_by_role("radiogroup", name=flows.nl(f"advisor.q.{kind}.short"))
        options = group.get_by_role("radio").all_inner_texts()
        option = flows.label(kind, value)
        _tab_to(page, lambda f, options=options: f.startswith("BUTTON|radio") and f.split("|")[3] in options,
                count=count)
        for _ in range(len(options)):
            if page.evaluate(_FOCUS_JS).split("|")[3] == option:
                break
            press("ArrowRight")
        assert page.evaluate(_FOCUS_JS).split("|")[3] == option
        if group.get_by_role("radio", name=option, exact=True).get_attribute("aria-checked") != "true":
            submit("Space")
        expect(group.get_by_role("radio", name=option, exact=True)).to_be_checked()
    expect(flows.advice_heading(page)).to_be_visible()
    _tab_to(page, lambda f: f.startswith("A|") and flows.nl("advisor.result.routecard_button") in f, max_tabs=120,
            count=count)
    press("Enter")
    page.wait_for_url(re.compile(r"/routekaart\?"), timeout=harness.RERUN_TIMEOUT_MS)
    harness.wait_idle(page)
    expect(flows.route_card(page)).to_be_visible()
    print(f"\nkeyboard only, Hulpwijzer to route card: {len(count)} keys ({count.count('Tab')} Tab)")
    # The focus is visible: the browser draws an outline on the focused control.
    harness.shot(page, "keyboard-route-card")


def test_axe_finds_no_serious_or_critical_violations_on_a_result_and_its_route_card(page, base_url):
    flows.gp_quick_flow(page, base_url, flows.GPCase(practice="gp-wk039201-1"), open_card=False)
    for name in ("hulpwijzer-result", "routekaart-card"):
        if name == "routekaart-card":
            flows.open_route_card(page)
        violations = run_axe(page)
        A11Y_DIR.mkdir(parents=True, exist_ok=True)
        (A11Y_DIR / f"{name}.json").write_text(json.dumps(violations, indent=2, ensure_ascii=False), encoding="utf-8")
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert not blocking, f"{name}: serious/critical axe violations:\n{_summary(blocking)}"


def test_axe_finds_no_serious_or_critical_violations_on_a_red_flag_in_step_mode(page, base_url):
    flows.step_mode(page, base_url)
    flows.answer_danger(page, yes=True)
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, _summary(blocking)


def test_the_ladder_is_an_ordered_list_with_the_current_step_marked(page, base_url):
    flows.gp_quick_flow(page, base_url, open_card=False)
    m = flows.main(page)
    m.get_by_text(flows.nl("advisor.result.why")).click()
    ladder = m.locator("ol.sm-ladder")
    expect(ladder).to_be_visible()
    expect(ladder.locator("li")).to_have_count(7)
    expect(ladder.locator("li[aria-current=step]")).to_have_count(1)
    expect(ladder.locator("li[aria-current=step]")).to_contain_text(flows.label("level", "gp_practice"))
