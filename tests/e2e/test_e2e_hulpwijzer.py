"""The Hulpwijzer in a real browser: the GP's fast path counted in physical actions, a parent on a
phone, red flags, the sticky crisis bar and the own practice."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from e2e import flows, harness
from e2e.flows import label, nl

pytestmark = pytest.mark.e2e

CRISIS_EMPHASIS = nl("common.crisis.emphasis")
#: A practice of the shipped region (its record is illustrative: its nurse is "onbekend").
PRACTICE = "gp-wk039201-1"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
                       "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"}


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", **PHONE)
    ctx.set_default_timeout(harness.RERUN_TIMEOUT_MS)
    pg = ctx.new_page()
    pg.js_errors = []
    pg.on("pageerror", lambda exc: pg.js_errors.append(str(exc)))
    try:
        yield pg
    finally:
        ctx.close()


@pytest.fixture
def desktop(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL", timezone_id="Europe/Amsterdam")
    ctx.set_default_timeout(harness.RERUN_TIMEOUT_MS)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


def _sidebar_covers_nothing(page) -> bool:
    """The sidebar is collapsed: it takes no room on the screen."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    box = sidebar.bounding_box()
    return sidebar.get_attribute("data-collapsed") == "true" and (box is None or box["x"] + box["width"] <= 1)


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0


def test_a_gp_gets_to_the_route_card_in_at_most_six_physical_actions(desktop, base_url):
    page = desktop
    done = flows.gp_quick_flow(page, base_url, flows.GPCase(practice=PRACTICE), open_card=False)
    # At 1366x900 the advice and the route-card button are on screen without scrolling.
    m = flows.main(page)
    expect(flows.advice_heading(page)).to_contain_text(nl("triage.route.title.child.gp_practice"))
    assert _in_view(page, flows.advice_heading(page))
    assert _in_view(page, m.get_by_role("link", name=nl("advisor.result.routecard_button"), exact=True))
    assert _in_view(page, m.get_by_role("link", name=nl("advisor.result.print_button"), exact=True))
    harness.shot(page, "gp-advice-1366", full_page=False)
    flows.open_route_card(page)
    done("click route card")
    assert len(done) <= 6, f"{len(done)} physical actions: {done.steps}"
    card = flows.route_card(page)
    expect(card.get_by_text(nl("triage.route.title.child.gp_practice")).first).to_be_visible()
    expect(card.get_by_text("onbekend - vraag het uw praktijk").first).to_be_visible()
    expect(card.get_by_role("link", name="112")).to_have_attribute("href", "tel:112")
    assert re.search(r"[?&]a=2-", page.url) and "p=" + PRACTICE in page.url
    assert flows.app_errors(page) == [] and flows.raw_keys(page) == []
    harness.shot(page, "gp-route-card-1366", full_page=False)


def test_no_illustrative_service_is_ticked_or_reaches_the_route_card(desktop, base_url):
    page = desktop
    flows.gp_quick_flow(page, base_url, flows.GPCase(postcode="2021", age=4, concern="parenting", impact="mild",
                                                     duration="weeks"))
    card = flows.route_card(page)
    expect(card).to_be_visible()
    assert card.locator(".sm-badge.illustrative").count() == 0
    assert "voorbeeld" not in card.locator(".sm-svc").all_inner_texts().__str__().lower()


def test_unsafe_home_gives_veilig_thuis_as_the_first_option(desktop, base_url):
    page = desktop
    harness.open_page(page, base_url, "hulpwijzer", "mode=snel")
    m = flows.main(page)
    flows._pick(page, m.get_by_role("combobox", name=nl("advisor.q.red_flags.short")), label("red_flag", "unsafe_home"))
    bar = page.locator(".st-key-sm_crisis_bar")
    expect(bar).to_contain_text(CRISIS_EMPHASIS)
    expect(bar.get_by_role("link").first).to_have_text("0800-2000")
    expect(flows.advice_heading(page)).to_have_text(nl("triage.route.crisis_title.veilig_thuis"))
    first = m.locator("h4.sm-svc-name").first
    expect(first).to_have_text(re.compile("Veilig Thuis"))
    harness.shot(page, "red-flag-unsafe-home-1366", full_page=False)


@pytest.mark.parametrize("flag,first_number", [("suicidality", "113 / 0800-0113"), ("psychosis", None),
                                               ("severe_eating", None), ("self_harm", None),
                                               ("danger_to_others", "112"), ("acute_crisis", "112")])
def test_every_red_flag_shows_its_own_first_contact_first(desktop, base_url, flag, first_number):
    page = desktop
    harness.open_page(page, base_url, "hulpwijzer", "mode=snel")
    m = flows.main(page)
    flows._pick(page, m.get_by_role("combobox", name=nl("advisor.q.red_flags.short")), label("red_flag", flag))
    panel = m.locator('[data-testid="stAlert"]').filter(has_text=CRISIS_EMPHASIS).last
    expect(panel).to_be_visible()
    if first_number:
        expect(panel.get_by_role("link").first).to_have_text(first_number)
    else:  # the own GP today, or the huisartsenpost outside office hours
        expect(panel).to_contain_text(re.compile("huisarts", re.I))
    harness.shot(page, f"red-flag-{flag}-1366", full_page=False)
    assert flows.app_errors(page) == []


def test_a_parent_on_a_phone_starts_step_by_step_with_the_crisis_bar_always_in_sight(phone, base_url):
    page = phone
    harness.open_page(page, base_url, "hulpwijzer")
    m = flows.main(page)
    expect(m.get_by_role("heading", name=nl("advisor.q.red_flags.title"))).to_be_visible()
    # The sidebar does not cover the page on a phone's first load.
    assert _sidebar_covers_nothing(page)
    harness.shot(page, "phone-step-1", full_page=False)
    flows.answer_danger(page, yes=False)
    flows.next_step(page, nl("advisor.q.postcode.title"))
    flows.step_answer_text(page, "textbox", "2015 AB")
    flows.next_step(page, nl("advisor.q.practice.title"))
    flows.next_step(page, nl("advisor.q.age.title"))
    flows.step_answer_text(page, "spinbutton", "7")
    flows.next_step(page, nl("advisor.q.concerns.title"))
    flows.step_pick(page, label("concern", "sleep"))
    flows.next_step(page, nl("advisor.q.impact.title"))
    flows.step_pick(page, label("impact", "mild"))
    # The answer tiles and the primary button are within reach on the first screen.
    assert _in_view(page, m.get_by_role("button", name=nl("advisor.step.next")))
    harness.shot(page, "phone-step-impact", full_page=False)
    flows.next_step(page, nl("advisor.q.duration.title"))
    flows.step_pick(page, label("duration", "weeks"))
    flows.next_step(page, nl("advisor.q.tried.title"))
    flows.next_step(page, nl("advisor.q.context.title"))
    flows.next_step(page)
    expect(flows.advice_heading(page)).to_be_visible()
    harness.shot(page, "phone-result-top", full_page=False)
    # The ladder is a vertical list on a phone: no word broken in the middle.
    ladder = m.locator("ol.sm-ladder")  # in "Waarom dit advies", open for parents
    expect(ladder).to_be_visible()
    boxes = [li.bounding_box() for li in ladder.locator("li").all()]
    assert all(b["x"] == boxes[0]["x"] for b in boxes), "the ladder stacks vertically"
    # After scrolling to the bottom the crisis bar is still on screen.
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 1e6)")
    page.wait_for_timeout(300)
    bar = page.locator(".st-key-sm_crisis_bar")
    assert _in_view(page, bar)
    expect(bar.get_by_role("link", name="112", exact=True)).to_be_visible()
    harness.shot(page, "phone-result-bottom", full_page=False)
    assert flows.app_errors(page) == [] and flows.raw_keys(page) == []


def test_a_route_card_opened_from_a_link_on_a_phone_is_not_covered(phone, base_url):
    page = phone
    harness.open_page(page, base_url, "routekaart", "a=2-9-an-2-1----2015")
    assert _sidebar_covers_nothing(page)
    expect(flows.route_card(page)).to_be_visible()
    assert _in_view(page, page.locator(".st-key-sm_crisis_bar"))
    harness.shot(page, "phone-route-card", full_page=False)


def test_the_qr_codes_host_is_the_host_the_browser_used(desktop, base_url):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    page = desktop
    # The browser reaches the app as "localhost" here, not as 127.0.0.1.
    other = base_url.replace("127.0.0.1", "localhost")
    harness.open_page(page, other, "routekaart", "a=2-9-an-2-1----2015")
    png = flows.route_card(page).locator("img.sm-qr").screenshot()
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]
    assert len(decoded) == 1
    assert urlsplit(decoded[0]).netloc == urlsplit(other).netloc
    expect(flows.main(page).get_by_text(re.compile("wijzen naar localhost"))).to_be_visible()


def test_the_parents_own_practice_answer_changes_the_poh_result(browser):
    region = harness.ROOT / "tests" / "fixtures" / "regions" / "practices_real"
    with harness.running_server(region=region, name="practices") as server:
        ctx = browser.new_context(viewport={"width": 1366, "height": 900})
        try:
            page = ctx.new_page()
            texts = {}
            for own in ("gp-duin", "gp-molen"):
                flows.gp_quick_flow(page, server.url, flows.GPCase(postcode="9991", age=10, practice=own),
                                    open_card=False)
                texts[own] = flows.main(page).inner_text()
            assert "De Duinen heeft een POH Jeugd, op dinsdag en donderdag" in texts["gp-duin"]
            assert "Molenplein heeft geen praktijkondersteuner jeugd" in texts["gp-molen"]
            assert "POH Jeugd Huisartsenpraktijk De Duinen" in texts["gp-duin"]
            assert "POH Jeugd Huisartsenpraktijk De Duinen" not in texts["gp-molen"]
        finally:
            ctx.close()


def test_a_young_adult_filling_it_in_for_themselves_gets_adult_terms(desktop, base_url):
    page = desktop
    flows.gp_quick_flow(page, base_url, flows.GPCase(age=19, concern="low_mood"), open_card=False)
    m = flows.main(page)
    group = m.get_by_role("radiogroup", name=nl("advisor.who.label"))
    harness.rerun(page, lambda: flows.click_radio(group.get_by_role("radio", name=nl("advisor.who.self"))))
    expect(flows.advice_heading(page)).to_contain_text("POH-GGZ")
    text = m.inner_text()
    assert "uw kind" not in text and "jeugd-GGZ" not in text.split(nl("advisor.q.tried.short"))[-1]
    harness.shot(page, "young-adult-self-1366", full_page=False)
