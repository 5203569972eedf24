"""Zorgroutes: the route atlas for new POH Jeugd staff.

Five tabs: the ladder of care levels with the routes between them and the region's services per
level; what the evaluations found (plots with named sources); "wie bel ik voor ...?"; practice
mode with case vignettes scored against the route engine; and the onboarding sheet per wijk
(printable view and PDF). The content is data (``data/atlas``) read through
``socialmap.routeatlas`` and ``socialmap.onboarding``; nothing the learner does is stored.

National scale: the ladder shows counts and one page of services per level (never a whole
region); "wie bel ik" and the sheets are cached per (concern, age, area) and wijk; each tab runs as
an ``st.fragment``, so a change in one tab reruns only that tab.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from socialmap import figures, i18n, onboarding, routeatlas, vocab
from socialmap.errors import DataError, InputError
from socialmap.model import Atlas
from socialmap.rules import load_rules
from socialmap.triage import advise, parse_answers
from socialmap.ui import common, state
from socialmap.ui import figures as ui_figures
from socialmap.ui.maps import md_link


class _T:
    """``t(key, **fmt)`` in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **fmt: object) -> str:
        return i18n.t(key, self.lang, **fmt)


def md(text: object) -> str:
    """``common.md_escape``, with quotes kept readable (its ``#`` escaping breaks ``&#x27;``)."""
    return common.md_escape(text).replace("&\\#x27;", "'").replace("&quot;", '"')


def _filled(value: object) -> bool:
    """Only a non-empty string counts as filled in (an empty CSV cell is NaN, which is truthy)."""
    return isinstance(value, str) and bool(value.strip())


def level_label(level: str, lang: str) -> str:
    return i18n.label("level", level, lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _sheet(region: str, wijk_code: str) -> onboarding.Sheet:
    return onboarding.build_sheet(common.get_atlas(region), wijk_code)


@st.cache_data(show_spinner=False, max_entries=64)
def _sheet_pdf(region: str, wijk_code: str, language: str) -> bytes:
    return onboarding.to_pdf(_sheet(region, wijk_code), language)


@st.cache_data(show_spinner=False, max_entries=64)
def _sheet_html(region: str, wijk_code: str, language: str) -> str:
    return onboarding.to_html(_sheet(region, wijk_code), language)


@st.cache_data(show_spinner=False, max_entries=64)
def _sheet_md(region: str, wijk_code: str, language: str) -> bytes:
    return onboarding.to_markdown(_sheet(region, wijk_code), language).encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=512)
def _who_to_call(region: str, concern: str, age: int, area_code: str | None) -> list[routeatlas.CallOption]:
    """``who_to_call`` per (concern, age, area), shared by every session."""
    data = common.get_atlas(region)
    return routeatlas.who_to_call(data, concern, age, area=data.area(area_code) if area_code else None)


@st.cache_data(show_spinner=False)
def _wijk_names(region: str) -> dict[str, str]:
    return {code: f"{name} ({muni})" for code, name, muni in onboarding.wijken(common.get_atlas(region))}


@st.cache_data(show_spinner=False)
def _route_dot(language: str) -> str:
    return routeatlas.route_dot(routeatlas.load_levels(), language)


@st.cache_data(show_spinner=False)
def _chart_spec(study_id: str, language: str) -> dict | None:
    """The study's vega-lite spec (``routeatlas.chart_spec``) with its data as Arrow bytes, so a
    rerun does not convert it again."""
    spec = routeatlas.chart_spec(study_id, language)
    if spec is None:
        return None
    return {**spec, "datasets": {name: convert_anything_to_arrow_bytes(pd.DataFrame(rows))
                                 for name, rows in spec.get("datasets", {}).items()}}


@st.cache_data(show_spinner=False, max_entries=256)
def _service_lines(region: str, ids: tuple[str, ...], lang: str) -> list[str]:
    """One markdown line per service (status, name, access, contact) for a page of the ladder."""
    services = common.get_atlas(region).services
    lines = []
    for sid in ids:
        row = services.loc[sid]
        contact = " · ".join(md(x.strip()) for x in (row["phone"], row["url"]) if _filled(x))
        lines.append(f"{common.status_badge(row['status'], lang)} **{md(row['name'])}** — "
                     f"{i18n.label('access', row['access_route'], lang)}" + (f" · {contact}" if contact else ""))
    return lines


def markdown_text(fig: figures.Figure, fmt: Callable[[Any], str], lang: str, unit: str = "services") -> str:
    """Markdown for a figure with its basis; an example figure is grey with a badge."""
    text = figures.figure_text(fig, fmt, lang, unit)
    if fig.shown and fig.is_example:
        return f":gray[{text}] :gray-badge[{figures.example_label(lang)}]"
    return text


PER_PAGE = 10
EXAMPLES_KEY = "atlas_include_examples"


def _waiting_line(atlas: Atlas, info_id: str, include: bool, lang: str) -> str:
    t = _T(lang)
    fig = routeatlas.waiting_figure(atlas, info_id, include)
    return f"**{t('atlas.ladder.waiting')}** " + markdown_text(fig, lambda v: figures.waiting_text(v, lang),
                                                                          lang)


def _level_services(atlas: Atlas, region: str, info_id: str, include: bool, lang: str) -> None:
    """Counts and one page of the services at a level, with a name search (never the whole list)."""
    t = _T(lang)
    counts = routeatlas.level_list(atlas, info_id, include_examples=True, per_page=0)
    with st.expander(t("atlas.ladder.services", real=counts.n_real, examples=counts.n_all - counts.n_real)):
        query = st.text_input(t("atlas.ladder.search"), key=f"atlas_ladder_q_{info_id}", max_chars=60)
        page_key = f"atlas_ladder_page_{info_id}"
        listing = routeatlas.level_list(atlas, info_id, query, int(st.session_state.get(page_key, 1)), PER_PAGE,
                                        include)
        if st.session_state.get(page_key, 1) != listing.page:
            st.session_state[page_key] = listing.page  # the search narrowed the pages
        if not listing.ids:
            st.write(t("atlas.ladder.no_match") if query else t("atlas.ladder.no_services"))
        for line in _service_lines(region, listing.ids, lang):
            st.markdown(line)
        if listing.pages > 1:
            st.number_input(t("atlas.ladder.page"), min_value=1, max_value=listing.pages, step=1, key=page_key)
        st.caption(t("atlas.ladder.page_of", page=listing.page, pages=listing.pages, shown=len(listing.ids),
                     matching=listing.matching))
        if not include and counts.n_all > counts.n_real:
            st.caption(t("atlas.ladder.examples_hidden"))


# ---- 1. the ladder ---------------------------------------------------------------------------
@st.fragment
def ladder_tab(lang: str, region: str) -> None:
    t, atlas = _T(lang), common.get_atlas(region)
    levels = routeatlas.load_levels()
    st.write(t("atlas.ladder.intro"))
    st.graphviz_chart(_route_dot(lang))
    st.caption(t("atlas.ladder.legend"))
    include = ui_figures.include_examples(EXAMPLES_KEY, lang)
    st.caption(t("figures.explain", min=figures.MIN_REAL))
    for info in levels:
        with st.container(border=True):
            heading = level_label(info.id, lang)
            if info.id == "crisis":
                st.subheader(f"🚨 {heading}")
            else:
                st.subheader(f"{info.rung} · {heading}")
            left, right = st.columns([3, 2], gap="large")
            with left:
                st.markdown(f"**{t('atlas.ladder.what')}** {md(info.text('what', lang))}")
                st.markdown(f"**{t('atlas.ladder.who')}** " + ", ".join(md(w) for w in info.text("who", lang)))
                st.markdown(f"**{t('atlas.ladder.questions')}**\n" +
                            "\n".join(f"- {md(q)}" for q in info.text("questions", lang)))
            with right:
                st.markdown(f"**{t('atlas.ladder.talks')}** {md(info.text('talks', lang))}")
                st.markdown(f"**{t('atlas.ladder.access')}** {md(info.text('access', lang))}")
                st.markdown(_waiting_line(atlas, info.id, include, lang))
                if info.next_step:
                    st.markdown(f"**{t('atlas.ladder.next')}** " + ", ".join(level_label(x, lang) for x in info.next_step))
            _level_services(atlas, region, info.id, include, lang)



# ---- 2. what the evaluations found -------------------------------------------------------------
@st.fragment
def evaluations_tab(lang: str, region: str) -> None:
    t, atlas = _T(lang), common.get_atlas(region)
    studies = routeatlas.load_evaluations()
    st.write(t("atlas.eval.intro"))
    for study in studies:
        with st.container(border=True):
            st.subheader(md(study.place) if study.place else t("atlas.eval.unknown_place"))
            spec = _chart_spec(study.id, lang)
            if spec is not None:
                st.vega_lite_chart(spec=spec, width="stretch")
            for fig in study.figures:
                if fig.unit == "count":
                    st.metric(routeatlas.figure_label(fig, lang), routeatlas.figure_text(fig, lang))
            st.markdown(f"**{t('atlas.eval.source')}** {md(routeatlas.source_text(study, lang))}")
            for url in study.urls:
                st.markdown(f"- {md_link(url, url)}")
            unchecked = [f for f in study.figures if not f.checked]
            if unchecked:
                st.markdown(f":orange-badge[{t('atlas.eval.unchecked')}]")
            st.caption(md(study.note.get(lang) or study.note["nl"]))



# ---- 3. who do I call for ...? ---------------------------------------------------------------
@st.fragment
def call_tab(lang: str, region: str) -> None:
    t, atlas = _T(lang), common.get_atlas(region)
    st.write(t("atlas.call.intro"))
    wijk_names = _wijk_names(region)
    c1, c2, c3, c4 = st.columns([3, 1, 2, 2])
    concern = c1.selectbox(t("atlas.call.concern"), options=list(vocab.CONCERNS),
                           format_func=lambda c: i18n.label("concern", c, lang), key=state.ATLAS_CALL_CONCERN)
    age = c2.number_input(t("atlas.call.age"), min_value=0, max_value=vocab.AGE_MAX_YEARS, value=8, step=1,
                          key=state.ATLAS_CALL_AGE)
    wijk = c3.selectbox(t("atlas.call.wijk"), options=["", *wijk_names], key=state.ATLAS_CALL_WIJK,
                        format_func=lambda c: wijk_names.get(c, t("atlas.call.whole_region")))
    postcode = c4.text_input(t("atlas.call.postcode"), key=state.ATLAS_CALL_POSTCODE, placeholder="2031 AB")
    area = None
    try:
        area = atlas.resolve(postcode=postcode.strip() or None, area_code=None if postcode.strip() else (wijk or None))
    except InputError as err:
        st.warning(common.md_escape(str(err)), icon="⚠️")
    if area is not None:
        st.caption(t("atlas.call.for_area", name=md(area.name), municipality=md(area.municipality_name)))
    options = _who_to_call(region, concern, int(age), area.code if area is not None else None)
    if not options:
        st.info(t("atlas.call.none"))
    first = options[0].level if options else None
    shown_levels = [lvl for lvl in vocab.LADDER if any(o.level == lvl for o in options)]
    for lvl in shown_levels:
        marker = f" — {t('atlas.call.start_here')}" if lvl == first else ""
        st.markdown(f"#### {level_label(lvl, lang)}{marker}")
        for o in [o for o in options if o.level == lvl]:
            with st.container(border=True):
                st.markdown(f"{common.status_badge(o.status, lang)} **{md(o.name)}**" +
                            (f" · {md(o.organization)}" if o.organization and o.organization != o.name else ""))
                details = [f"**{t('atlas.call.access')}** {i18n.label('access', o.access_route, lang)}"]
                if o.phone:
                    digits = "".join(ch for ch in o.phone if ch.isdigit())
                    details.append(f"**{t('atlas.call.phone')}** [{md(o.phone)}](tel:{digits})")
                if o.email:
                    details.append(f"**{t('atlas.call.email')}** {md(o.email)}")
                if o.url:
                    details.append(md_link(t("atlas.call.website"), o.url))
                if o.waiting_weeks is not None:
                    details.append(t("atlas.call.waiting", weeks=o.waiting_weeks))
                if o.distance_m is not None:
                    details.append(figures.km(o.distance_m, lang))
                st.markdown(" · ".join(details))
                if not (o.phone or o.email or o.url):
                    own_cjg = "cjg" in f"{o.name} {o.organization}".lower()
                    st.caption(t("map.honest.no_contact_cjg") if own_cjg else t("atlas.call.no_contact"))
    examples = sum(o.status == "illustrative" for o in options)
    if options:  # as common.illustrative_notice, from the options' own status
        st.caption(i18n.t("common.notice.illustrative", lang, n=examples, total=len(options),
                          pct=round(100 * examples / len(options))))
    st.caption(t("atlas.call.crisis_hint"))




# ---- 4. practice mode --------------------------------------------------------------------------
SCORE_ZERO = {"points": 0, "max": 0, "cases": 0}


def _check(vignette_id: str, advised: str) -> None:
    picked = st.session_state.get(state.ATLAS_PRACTICE_PICK)
    if picked is None:
        return
    result = routeatlas.score(picked, advised)
    tally = dict(st.session_state.get(state.ATLAS_PRACTICE_SCORE, SCORE_ZERO))
    tally = {"points": tally["points"] + result.points, "max": tally["max"] + result.max_points,
             "cases": tally["cases"] + 1}
    st.session_state[state.ATLAS_PRACTICE_SCORE] = tally
    st.session_state[state.ATLAS_PRACTICE_ANSWER] = {"vignette": vignette_id, "picked": picked}


def _next(count: int) -> None:
    st.session_state[state.ATLAS_PRACTICE_INDEX] = (st.session_state.get(state.ATLAS_PRACTICE_INDEX, 0) + 1) % count
    st.session_state[state.ATLAS_PRACTICE_ANSWER] = None
    st.session_state.pop(state.ATLAS_PRACTICE_PICK, None)


def _reset() -> None:
    st.session_state[state.ATLAS_PRACTICE_SCORE] = dict(SCORE_ZERO)
    st.session_state[state.ATLAS_PRACTICE_ANSWER] = None
    st.session_state[state.ATLAS_PRACTICE_INDEX] = 0
    st.session_state.pop(state.ATLAS_PRACTICE_PICK, None)


@st.fragment
def practice_tab(lang: str, region: str) -> None:
    t, atlas = _T(lang), common.get_atlas(region)
    vignettes = routeatlas.load_vignettes()
    st.write(t("atlas.practice.intro"))
    index = st.session_state.get(state.ATLAS_PRACTICE_INDEX, 0) % len(vignettes)
    case = vignettes[index]
    answer = st.session_state.get(state.ATLAS_PRACTICE_ANSWER)
    done = bool(answer) and answer.get("vignette") == case.id
    tally = st.session_state.get(state.ATLAS_PRACTICE_SCORE, SCORE_ZERO)
    st.caption(t("atlas.practice.progress", n=index + 1, total=len(vignettes), points=tally["points"],
                 max=tally["max"], cases=tally["cases"]))
    rules = load_rules(atlas.region.path)
    advice = advise(parse_answers(case.answers), rules=rules, lang=lang)
    with st.container(border=True):
        st.subheader(md(case.text("title", lang)))
        st.write(md(case.text("story", lang)))
        a = case.answers
        facts = [
            f"{t('atlas.practice.age')} {a['age'] if a['age'] else t('atlas.practice.under_one')}",
            f"{t('atlas.practice.concerns')} " + ", ".join(i18n.label("concern", c, lang) for c in a["concerns"]),
            f"{t('atlas.practice.impact')} {i18n.label('impact', a['impact'], lang)}",
            f"{t('atlas.practice.duration')} {i18n.label('duration', a['duration'], lang)}",
        ]
        if a.get("red_flags"):
            facts.append(f"{t('atlas.practice.red_flags')} " + ", ".join(i18n.label("red_flag", r, lang) for r in a["red_flags"]))
        if a.get("context"):
            facts.append(f"{t('atlas.practice.context')} " + ", ".join(i18n.label("context", c, lang) for c in a["context"]))
        if a.get("tried"):
            facts.append(f"{t('atlas.practice.tried')} " + ", ".join(level_label(x, lang) for x in a["tried"]))
        st.caption(" · ".join(facts))
    st.radio(t("atlas.practice.pick"), options=list(vocab.LEVELS), format_func=lambda v: level_label(v, lang), index=None,
             key=state.ATLAS_PRACTICE_PICK, disabled=done)
    b1, b2, b3 = st.columns([1, 1, 3])
    b1.button(t("atlas.practice.check"), type="primary", disabled=done, on_click=_check, args=(case.id, advice.level),
              key="atlas_practice_check")
    b2.button(t("atlas.practice.next"), on_click=_next, args=(len(vignettes),), key="atlas_practice_next")
    b3.button(t("atlas.practice.reset"), on_click=_reset, key="atlas_practice_reset", type="tertiary")
    if done:
        result = routeatlas.score(answer["picked"], advice.level)
        message = t(f"atlas.practice.verdict.{result.verdict}", points=result.points, max=result.max_points,
                    picked=level_label(result.picked, lang), advised=level_label(result.advised, lang))
        if result.verdict == "exact":
            st.success(message, icon="✅")
        elif result.verdict == "close":
            st.info(message + " " + t(f"atlas.practice.direction.{result.direction}"), icon="➖")
        elif result.crisis_missed:
            st.error(message, icon="🚨")
            st.warning(t("atlas.practice.crisis_warning"), icon="⚠️")
        else:
            st.warning(message + " " + t(f"atlas.practice.direction.{result.direction}"), icon="❌")
        with st.container(border=True):
            st.markdown(f"**{t('atlas.practice.advice')}** {level_label(advice.level, lang)}")
            if advice.also:
                st.markdown(f"**{t('atlas.practice.also')}** " + ", ".join(level_label(x, lang) for x in advice.also))
            if advice.next_step:
                st.markdown(f"**{t('atlas.practice.next_step')}** {level_label(advice.next_step, lang)}")
            st.markdown(f"**{t('atlas.practice.reasons')}**\n" + "\n".join(f"- {md(r)}" for r in advice.reasons))
            st.markdown(f"**{t('atlas.practice.lesson')}** {md(case.text('lesson', lang))}")
    st.caption(t("atlas.practice.privacy"))



# ---- 5. onboarding sheet per wijk ----------------------------------------------------------------
@st.fragment
def sheet_tab(lang: str, region: str) -> None:
    t, atlas = _T(lang), common.get_atlas(region)
    st.write(t("atlas.sheet.page_intro"))
    wijk_names = _wijk_names(region)
    if not wijk_names:
        st.info(t("atlas.sheet.no_wijken"))
    else:
        # nothing chosen at first: a sheet is built for the wijk the user picks, not for the first
        # of a (nationally: 3,383-long) list
        code = st.selectbox(t("atlas.sheet.wijk"), options=list(wijk_names), format_func=lambda c: wijk_names[c],
                            index=None, placeholder=t("atlas.sheet.pick"), key=state.ATLAS_SHEET_WIJK)
        if code is None:
            return
        d1, d2, _ = st.columns([1, 1, 3])
        # built when the button is pressed (deferred data), not on every run of the tab
        d1.download_button(t("atlas.sheet.download_pdf"), data=lambda: _sheet_pdf(region, code, lang),
                           file_name=f"inwerkblad-{code}.pdf", mime="application/pdf", icon="📄",
                           key="atlas_sheet_pdf", on_click="ignore")
        d2.download_button(t("atlas.sheet.download_md"), data=lambda: _sheet_md(region, code, lang),
                           file_name=f"inwerkblad-{code}.md", mime="text/markdown", icon="📝",
                           key="atlas_sheet_md", on_click="ignore")
        with st.container(border=True):
            st.html(_sheet_html(region, code, lang))


def page() -> None:
    """The whole page: title, then the five tabs, each a fragment."""
    lang, region = common.current_lang(), common.region_id()
    t = _T(lang)
    st.title(t("atlas.title"))
    st.caption(t("atlas.subtitle"))

    try:
        levels = routeatlas.load_levels()
        studies = routeatlas.load_evaluations()
        vignettes = routeatlas.load_vignettes()
    except DataError as err:
        common.data_error_page(err, lang)
        st.stop()

    tab_ladder, tab_eval, tab_call, tab_practice, tab_sheet = st.tabs(
        [t("atlas.tabs.ladder"), t("atlas.tabs.evaluations"), t("atlas.tabs.call"), t("atlas.tabs.practice"), t("atlas.tabs.sheet")]
    )
    with tab_ladder:
        ladder_tab(lang, region)
    with tab_eval:
        evaluations_tab(lang, region)
    with tab_call:
        call_tab(lang, region)
    with tab_practice:
        practice_tab(lang, region)
    with tab_sheet:
        sheet_tab(lang, region)


page()
