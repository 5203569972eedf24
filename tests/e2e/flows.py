"""Page-level steps shared by the browser tests and the load test (selectors in one place).

Labels come from the locale catalogues (``socialmap.i18n``), so a reworded label does not break a
test, but a missing widget does. Every step that changes a widget waits for the rerun it starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.sync_api import expect

from e2e import harness
from socialmap import i18n

COMPONENT_IFRAMES = 'iframe[data-testid="stCustomComponentV1"], iframe[data-testid="stIFrame"]'
FOLIUM_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: Service markers are folium CircleMarkers drawn with a white outline (areas have none).
SERVICE_MARKERS = 'path.leaflet-interactive[stroke="#ffffff"]'


def nl(key: str, **fmt) -> str:
    return i18n.t(key, "nl", **fmt)


def label(kind: str, value: str) -> str:
    return i18n.label(kind, value, "nl")


def wait_for_components(page, timeout_ms: int = harness.RERUN_TIMEOUT_MS) -> None:
    """Wait until every component iframe on the page has loaded its document."""
    for frame in page.locator(COMPONENT_IFRAMES).all():
        handle = frame.element_handle(timeout=timeout_ms)
        content = handle.content_frame() if handle else None
        if content is not None:
            content.wait_for_load_state("load", timeout=timeout_ms)
    harness.settle(page)


def app_errors(page) -> list[str]:
    """Texts of Streamlit exception boxes and of the 'app has encountered an error' message."""
    out = [e.inner_text() for e in page.locator('[data-testid="stException"]').all()]
    generic = page.get_by_text("This app has encountered an error")
    out += [generic.first.inner_text()] if generic.count() else []
    missing = page.get_by_text("Page not found")
    out += ["Streamlit 'Page not found' dialog"] if missing.count() else []
    return out


def main(page):
    return page.locator('[data-testid="stMain"]')


# ---- Hulpwijzer -------------------------------------------------------------------------------

@dataclass
class Counter:
    """Counts physical actions: every click and every non-character key (Enter, Tab, Esc, arrows,
    Space), including a click that only focuses a field or opens a list. Typed characters do not
    count."""

    steps: list[str] = field(default_factory=list)

    def __call__(self, what: str) -> None:
        self.steps.append(what)

    def __len__(self) -> int:
        return len(self.steps)


def _type_and_submit(page, locator, text: str) -> None:
    locator.click()
    locator.fill(text)
    harness.rerun(page, lambda: locator.press("Enter"))


def _pick(page, combobox, option_text: str) -> None:
    """Choose one option of a multiselect by typing it and pressing Enter; then close the list."""
    combobox.click()
    # Type all but the last letter: a text equal to an option's label shows the full list again.
    combobox.fill(option_text[:-1])
    option = page.locator("[role=option]").filter(has_text=option_text)
    expect(option.first).to_be_visible()
    # Enter picks the highlighted option; the choice reaches the app when the list closes.
    harness.rerun(page, lambda: (combobox.press("Enter"), combobox.press("Escape")))


def _choose(page, group_label: str, option: str) -> None:
    """Click one option of a segmented control / radio group (by its accessible names)."""
    group = main(page).get_by_role("radiogroup", name=group_label)
    harness.rerun(page, lambda: click_radio(group.get_by_role("radio", name=option, exact=True)))


@dataclass
class GPCase:
    postcode: str = "2015"
    age: int = 9
    concern: str = "anxiety"
    impact: str = "moderate"
    duration: str = "months"
    practice: str | None = None  # the own practice in the URL (?praktijk=)


def gp_quick_flow(page, base_url: str, case: GPCase = GPCase(), count: Counter | None = None,
                  open_card: bool = True) -> Counter:
    """The GP's fast path, counted in physical actions: from the Hulpwijzer loaded in quick mode
    (with the own practice in the URL) to the route card on screen.

    A click in the next field also commits the field before it (a text field sends its value when
    it loses focus), so no Enter or Tab is needed between the answers."""
    count = count if count is not None else Counter()
    query = "mode=snel" + (f"&praktijk={case.practice}" if case.practice else "")
    harness.open_page(page, base_url, "hulpwijzer", query)
    m = main(page)
    postcode = m.get_by_role("textbox", name=nl("advisor.q.postcode.short"))
    postcode.click()
    count("click postcode")
    page.keyboard.type(case.postcode)
    age = m.get_by_role("spinbutton", name=nl("advisor.q.age.short"))
    harness.rerun(page, lambda: age.click())  # the postcode is sent when it loses focus
    count("click age")
    page.keyboard.type(str(case.age))
    pill = m.get_by_role("button", name=label("concern", case.concern), exact=True)
    harness.rerun(page, lambda: pill.click())  # sends the age (blur) and the concern
    count("click concern")
    _choose(page, nl("advisor.q.impact.short"), label("impact", case.impact))
    count("click impact")
    _choose(page, nl("advisor.q.duration.short"), label("duration", case.duration))
    count("click duration")
    expect(advice_heading(page)).to_be_visible()
    if open_card:
        open_route_card(page)
        count("click route card")
    return count


def advice_heading(page):
    """The advice's title (an action, h2) in the result."""
    return main(page).locator("h2").filter(has_text=re.compile("|".join(
        re.escape(nl(f"advisor.action.{lv}")) for lv in ("self_help", "open_access", "gp_practice", "wijkteam",
                                                          "basic_mh", "specialist_mh", "crisis")))).first


def open_route_card(page) -> None:
    link = main(page).get_by_role("link", name=nl("advisor.result.routecard_button"), exact=True)
    link.click()
    page.wait_for_url(re.compile(r"/routekaart\?"), timeout=harness.RERUN_TIMEOUT_MS)
    harness.wait_idle(page)
    expect(route_card(page)).to_be_visible()


def route_card(page):
    return main(page).locator(".sm-card")


# ---- Sociale kaart ----------------------------------------------------------------------------

def map_frame(page):
    return page.frame_locator(FOLIUM_IFRAME).first


def wait_for_map(page, min_markers: int = 1):
    """Wait for the Leaflet map and at least ``min_markers`` service markers; returns the frame."""
    frame = map_frame(page)
    expect(frame.locator(".leaflet-container")).to_be_visible(timeout=harness.RERUN_TIMEOUT_MS)
    if min_markers:
        expect(frame.locator(SERVICE_MARKERS).nth(min_markers - 1)).to_be_attached(timeout=harness.RERUN_TIMEOUT_MS)
    harness.settle(page)
    return frame


def marker_count(page) -> int:
    return map_frame(page).locator(SERVICE_MARKERS).count()


def found_count(page) -> int:
    """The number in '**N diensten** gevonden' above the list."""
    text = main(page).get_by_text(re.compile(r"\d+ diensten")).first.inner_text()
    return int(re.search(r"(\d+) diensten", text).group(1))


_RAW_KEY = re.compile(r"\b(?:advisor|map|common|atlas|curation|triage|profile|coverage)\.[a-z_]+(?:\.[a-z0-9_]+)+\b")


def raw_keys(page) -> list[str]:
    """Locale keys shown instead of text (a missing catalogue entry), e.g. 'advisor.q.x.yes'."""
    text = main(page).inner_text() + "\n" + page.locator('[data-testid="stSidebar"]').inner_text()
    text += "\n" + "\n".join(page.locator("input[placeholder], textarea[placeholder]").evaluate_all(
        "els => els.map(e => e.placeholder)"))
    return sorted(set(m.group(0) for m in _RAW_KEY.finditer(text)))


# ---- Hulpwijzer step by step (parents) --------------------------------------------------------

def step_mode(page, base_url: str) -> None:
    harness.open_page(page, base_url, "hulpwijzer")
    harness.rerun(page, lambda: main(page).get_by_role("radio", name=nl("advisor.mode.stap")).click())
    expect(main(page).get_by_role("heading", name=nl("advisor.q.red_flags.title"))).to_be_visible()
    # The step layout replaces the quick one: let the browser finish mounting it (a click on a
    # widget that is being re-mounted is lost; see the load test notes in docs/BENCHMARKS.md).
    harness.settle(page, quiet_ms=500)


def click_radio(radio) -> None:
    """st.radio hides its <input>; a user clicks the option's label (or the button of a
    segmented control, which is the radio itself)."""
    holder = radio.locator("xpath=ancestor::label[1]")
    (holder if holder.count() else radio).click()


def answer_danger(page, yes: bool) -> None:
    """The first question 'Is iemand nu in gevaar?': the first option is no, the second yes."""
    group = main(page).get_by_role("radiogroup", name=nl("advisor.q.red_flags.title"))
    harness.rerun(page, lambda: click_radio(group.get_by_role("radio").nth(1 if yes else 0)))


def next_step(page, expect_heading: str | None = None) -> None:
    m = main(page)
    button = m.get_by_role("button", name=re.compile("^(" + re.escape(nl("advisor.step.next")) + "|"
                                                     + re.escape(nl("advisor.step.to_result")) + ")$"))
    harness.rerun(page, lambda: button.click())
    if expect_heading:
        expect(m.get_by_role("heading", name=expect_heading)).to_be_visible()


def step_answer_text(page, kind: str, text: str) -> None:
    box = main(page).get_by_role(kind).first
    _type_and_submit(page, box, text)


def step_pick(page, option: str) -> None:
    """A pill (multi) or radio (single) of the current step, by its label."""
    m = main(page)
    target = m.get_by_role("radio", name=option, exact=True)
    if target.count():
        harness.rerun(page, lambda: click_radio(target.first))
    else:
        harness.rerun(page, lambda: m.get_by_role("button", name=option, exact=True).first.click())
