"""The Hulpwijzer in a real browser: the GP's fast path and a parent's step-by-step path."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e import flows, harness
from e2e.flows import label, nl

pytestmark = pytest.mark.e2e

CRISIS_EMPHASIS = nl("common.crisis.emphasis")


def test_a_gp_gets_from_postcode_to_the_route_card_in_at_most_six_interactions(page, base_url):
    done = flows.gp_quick_flow(page, base_url)
    assert len(done) <= 6, f"{len(done)} interactions: {done.steps}"
    card = flows.route_card(page)
    expect(card.get_by_text(label("level", "gp_practice")).first).to_be_visible()
    expect(card.get_by_role("link", name="112")).to_have_attribute("href", "tel:112")
    assert re.search(r"[?&]a=", page.url), "the route card is reopened from its URL"
    assert flows.app_errors(page) == [] and flows.raw_keys(page) == []
    harness.shot(page, "gp-route-card")


def test_a_parent_who_says_someone_is_in_danger_sees_the_crisis_numbers_first(page, base_url):
    flows.step_mode(page, base_url)
    flows.answer_danger(page, yes=True)
    m = flows.main(page)
    emphasised = m.locator('[data-testid="stAlert"]').filter(has_text=CRISIS_EMPHASIS).first
    expect(emphasised).to_be_visible()
    expect(emphasised.get_by_role("link", name="113 / 0800-0113")).to_have_attribute("href", "tel:113")
    advice = m.get_by_role("heading", name=re.compile("^" + re.escape(nl("advisor.result.title")) + ": ")).first
    expect(advice).to_contain_text(label("level", "crisis"))
    # The crisis numbers come before the advice and before any service.
    assert emphasised.bounding_box()["y"] < advice.bounding_box()["y"]
    # No further questions are needed before the help shows.
    expect(m.get_by_role("button", name=nl("advisor.step.next"))).to_have_count(0)
    harness.shot(page, "parent-red-flag")
    assert flows.app_errors(page) == []
    assert flows.raw_keys(page) == [], "labels shown as raw catalogue keys"


def test_a_parent_goes_step_by_step_to_an_advice_with_help_nearby(page, base_url):
    flows.step_mode(page, base_url)
    flows.answer_danger(page, yes=False)
    flows.next_step(page, nl("advisor.q.postcode.title"))
    flows.step_answer_text(page, "textbox", "2015 AB")
    flows.next_step(page, nl("advisor.q.age.title"))
    flows.step_answer_text(page, "spinbutton", "7")
    flows.next_step(page, nl("advisor.q.concerns.title"))
    flows.step_pick(page, label("concern", "sleep"))
    flows.next_step(page, nl("advisor.q.impact.title"))
    flows.step_pick(page, label("impact", "mild"))
    flows.next_step(page, nl("advisor.q.duration.title"))
    flows.step_pick(page, label("duration", "weeks"))
    flows.next_step(page, nl("advisor.q.tried.title"))
    flows.next_step(page, nl("advisor.q.context.title"))
    flows.next_step(page)
    m = flows.main(page)
    expect(m.get_by_role("heading", name=re.compile("^" + re.escape(nl("advisor.result.title")) + ": "))).to_be_visible()
    expect(m.get_by_role("link", name=nl("advisor.result.routecard"))).to_be_visible()
    # The everyday crisis panel stays on top, not the emphasised one.
    expect(m.get_by_text(CRISIS_EMPHASIS)).to_have_count(0)
    harness.shot(page, "parent-step-result")
    assert flows.app_errors(page) == []
    assert flows.raw_keys(page) == [], "labels shown as raw catalogue keys"
