"""Hulpwijzer: the route advisor (quick mode for GP/POH, step by step for parents).

The answers live only in ``st.session_state`` (this browser tab) and in the route card's URL.
Nothing is written to disk or logged. Widgets are bound to the answers dict through on_change
callbacks, so answers survive switching mode or step (Streamlit forgets widgets not on screen).
"""

from __future__ import annotations

import html
from typing import Any

import streamlit as st

from socialmap import advisor, i18n, vocab
from socialmap.errors import InputError
from socialmap.matching import Match
from socialmap.model import Area, Atlas
from socialmap.triage import Advice
from socialmap.ui import common, state
from socialmap.ui.common import note
from socialmap.ui.curation import report_error_button

_MISSING = object()
_PICK_PREFIX = "_adv_pick_"

# ---- answers in session state ----------------------------------------------------------------

def answers() -> dict[str, Any]:
    if state.ADVISOR_ANSWERS not in st.session_state:
        st.session_state[state.ADVISOR_ANSWERS] = advisor.empty_answers()
    return st.session_state[state.ADVISOR_ANSWERS]


def _sync(qid: str, key: str) -> None:
    value = st.session_state.get(key)
    if isinstance(value, tuple):
        value = list(value)
    if qid == "age" and value is not None:
        value = int(value)
    answers()[qid] = value
    st.session_state[state.ADVISOR_NEED] = False


def _bind(qid: str, key: str) -> dict[str, Any]:
    """Put the stored answer into the widget's state; returns the on_change kwargs."""
    value = answers().get(qid)
    if isinstance(value, list):
        value = list(value)
    if st.session_state.get(key, _MISSING) != value:
        st.session_state[key] = value
    return {"on_change": _sync, "args": (qid, key)}



def _fmt(kind: str, lang: str):
    return lambda value: i18n.label(kind, value, lang)


def _load_link(lang: str) -> None:
    """Copy ``?a=`` (a reopened advice) into the answers, then take it out of the address bar.

    A newly loaded link starts the step-by-step mode again at the safety question. The answers
    then live in this session only; the route-card link and QR code carry them again.
    ``?mode=`` picks the mode.
    """
    link = st.query_params.get("a")
    if not link:
        return
    if st.session_state.get(state.ADVISOR_LOADED_LINK) != link:
        st.session_state[state.ADVISOR_LOADED_LINK] = link
        try:
            st.session_state[state.ADVISOR_ANSWERS] = advisor.decode_answers(link, lang)
        except InputError as err:
            st.error(common.md_escape(str(err)), icon="⚠️")
        else:
            st.session_state[state.ADVISOR_STEP] = 0
            st.session_state[state.ADVISOR_DANGER] = None
            st.session_state[state.ADVISOR_NEED] = False
    del st.query_params["a"]


# ---- the page --------------------------------------------------------------------------------

def hulpwijzer_page() -> None:
    lang = common.current_lang()
    atlas = common.get_atlas(common.region_id())
    _load_link(lang)
    if state.ADVISOR_MODE not in st.session_state:
        requested = st.query_params.get("mode", "snel")
        st.session_state[state.ADVISOR_MODE] = requested if requested in advisor.MODES else "snel"

    head, switch = st.columns([3, 2], vertical_alignment="bottom")
    with head:
        st.title(i18n.t("advisor.title", lang))
    with switch:
        mode = st.segmented_control(
            i18n.t("advisor.mode.label", lang), advisor.MODES, key=state.ADVISOR_MODE, required=True,
            format_func=lambda m: i18n.t(f"advisor.mode.{m}", lang),
        ) or "snel"
    if st.query_params.get("mode") != mode:
        st.query_params["mode"] = mode
    st.markdown(i18n.t("advisor.intro", lang))
    if mode == "stap":
        step_mode(lang, atlas)
    else:
        quick_mode(lang, atlas)


def quick_mode(lang: str, atlas: Atlas) -> None:
    """Every question on one screen with defaults; the result appears below as soon as it can."""
    q = lambda qid: i18n.t(f"advisor.q.{qid}.short", lang)  # noqa: E731
    red_flags = bool(answers().get("red_flags"))  # on_change callbacks have already run
    if red_flags:
        # Safety first: the emphasised crisis numbers above the questions, not only below them.
        common.crisis_panel(lang, atlas, emphasise=True)
    c1, c2, c3, c4 = st.columns([1.1, 0.9, 3, 2.4])
    with c1:
        st.text_input(q("postcode"), key="_adv_q_postcode", placeholder=i18n.t("advisor.q.postcode.placeholder", lang),
                      max_chars=10, help=i18n.t("advisor.q.postcode.help", lang), **_bind("postcode", "_adv_q_postcode"))
    with c2:
        st.number_input(q("age"), min_value=0, max_value=vocab.AGE_MAX_YEARS, step=1, key="_adv_q_age",
                        placeholder=i18n.t("advisor.q.age.placeholder", lang), **_bind("age", "_adv_q_age"))
    with c3:
        st.multiselect(q("concerns"), vocab.CONCERNS, key="_adv_q_concerns", format_func=_fmt("concern", lang),
                       placeholder=i18n.t("advisor.q.concerns.placeholder", lang), **_bind("concerns", "_adv_q_concerns"))
    with c4:
        st.multiselect(q("red_flags"), vocab.RED_FLAGS, key="_adv_q_red_flags", format_func=_fmt("red_flag", lang),
                       placeholder=i18n.t("advisor.q.red_flags.placeholder", lang),
                       **_bind("red_flags", "_adv_q_red_flags"))
    c5, c6 = st.columns([11, 9])
    with c5:
        st.segmented_control(q("impact"), vocab.IMPACTS, key="_adv_q_impact", format_func=_fmt("impact", lang),
                             wrap=True, **_bind("impact", "_adv_q_impact"))
    with c6:
        st.segmented_control(q("duration"), vocab.DURATIONS, key="_adv_q_duration",
                             format_func=_fmt("duration", lang), wrap=True, **_bind("duration", "_adv_q_duration"))
    c7, c8 = st.columns(2)
    with c7:
        st.multiselect(q("tried"), advisor.TRIED_OPTIONS, key="_adv_q_tried", format_func=_fmt("level", lang),
                       placeholder=i18n.t("advisor.q.tried.placeholder", lang), **_bind("tried", "_adv_q_tried"))
    with c8:
        st.multiselect(q("context"), vocab.CONTEXTS, key="_adv_q_context", format_func=_fmt("context", lang),
                       placeholder=i18n.t("advisor.q.context.placeholder", lang), **_bind("context", "_adv_q_context"))
    _postcode_message(lang, atlas, answers().get("postcode"))  # right under the field it is about
    st.divider()
    render_result(lang, atlas, answers(), professional=True, postcode_shown=True, crisis_shown=red_flags)


# ---- step by step ----------------------------------------------------------------------------

def _go(delta: int) -> None:
    steps = len(advisor.QUESTIONS)
    current = st.session_state.get(state.ADVISOR_STEP, 0)
    if delta > 0 and current < steps:
        question = advisor.QUESTIONS[current]
        if question.kind == "safety" and st.session_state.get(state.ADVISOR_DANGER) is None:
            st.session_state[state.ADVISOR_NEED] = True
            return
        if question.required and not advisor.answered(answers(), question.id):
            st.session_state[state.ADVISOR_NEED] = True
            return
        if question.id == "postcode" and answers().get("postcode"):
            try:
                advisor.resolve_area(common.get_atlas(common.region_id()), answers()["postcode"])
            except InputError:
                st.session_state[state.ADVISOR_NEED] = True
                return
    st.session_state[state.ADVISOR_NEED] = False
    st.session_state[state.ADVISOR_STEP] = min(max(current + delta, 0), steps)


def _restart() -> None:
    st.session_state[state.ADVISOR_ANSWERS] = advisor.empty_answers()
    st.session_state[state.ADVISOR_STEP] = 0
    st.session_state[state.ADVISOR_DANGER] = None
    st.session_state[state.ADVISOR_NEED] = False


def _sync_danger() -> None:
    danger = st.session_state.get("_adv_s_danger")
    st.session_state[state.ADVISOR_DANGER] = danger
    if danger == "yes":
        flags = [f for f in st.session_state.get("_adv_s_red_flags") or [] if f in vocab.RED_FLAGS]
        answers()["red_flags"] = flags or ["acute_crisis"]
    else:
        answers()["red_flags"] = []
    st.session_state[state.ADVISOR_NEED] = False


def step_mode(lang: str, atlas: Atlas) -> None:
    """One question per screen, plain Dutch, the safety question first."""
    questions = advisor.QUESTIONS
    total = len(questions)
    if answers().get("red_flags") and st.session_state.get(state.ADVISOR_DANGER) != "yes":
        # Red flags from the quick mode or a reopened link: the safety question (answered "yes"),
        # the emphasised crisis panel and the crisis route come first.
        st.session_state[state.ADVISOR_DANGER] = "yes"
        st.session_state[state.ADVISOR_STEP] = 0
    step = min(max(int(st.session_state.get(state.ADVISOR_STEP, 0)), 0), total)
    st.session_state[state.ADVISOR_STEP] = step
    if step < total:
        st.progress((step + 1) / (total + 1), text=i18n.t("advisor.step.progress", lang, n=step + 1, total=total))
    else:
        st.progress(1.0, text=i18n.t("advisor.step.progress_result", lang))

    if step == total:
        render_result(lang, atlas, answers(), professional=False)
        b1, b2, _ = st.columns([1, 1, 3])
        b1.button(i18n.t("advisor.step.back", lang), key="_adv_back_result", on_click=_go, args=(-1,))
        b2.button(i18n.t("advisor.step.restart", lang), key="_adv_restart", on_click=_restart)
        return

    question = questions[step]
    qid = question.id
    if question.kind == "safety" and st.session_state.get(state.ADVISOR_DANGER) == "yes":
        # Safety first: the emphasised crisis numbers above everything else.
        common.crisis_panel(lang, atlas, emphasise=True)
    with st.container(border=True):
        st.header(i18n.t(f"advisor.q.{qid}.title", lang))
        st.write(i18n.t(f"advisor.q.{qid}.help", lang))
        st.markdown(f"*{i18n.t(f'advisor.q.{qid}.examples', lang)}*")
        key = f"_adv_s_{qid}"
        title = i18n.t(f"advisor.q.{qid}.title", lang)
        danger = False
        if question.kind == "safety":
            if st.session_state.get(state.ADVISOR_DANGER) is None and answers().get("red_flags"):
                st.session_state[state.ADVISOR_DANGER] = "yes"
            current = st.session_state.get(state.ADVISOR_DANGER)
            if st.session_state.get("_adv_s_danger", _MISSING) != current:
                st.session_state["_adv_s_danger"] = current
            st.radio(title, ("no", "yes"), key="_adv_s_danger", index=None, label_visibility="collapsed",
                     format_func=lambda v: i18n.t(f"advisor.q.red_flags.answer_{v}", lang), on_change=_sync_danger)
            danger = st.session_state.get(state.ADVISOR_DANGER) == "yes"
            if danger:
                flags = [f for f in answers().get("red_flags") or [] if f != "acute_crisis"]
                if st.session_state.get("_adv_s_red_flags", _MISSING) != flags:
                    st.session_state["_adv_s_red_flags"] = flags
                st.pills(i18n.t("advisor.q.red_flags.which", lang), vocab.RED_FLAGS[:-1], selection_mode="multi",
                         key="_adv_s_red_flags", format_func=_fmt("red_flag", lang), on_change=_sync_danger)
        elif question.kind == "postcode":
            st.text_input(title, key=key, placeholder=i18n.t("advisor.q.postcode.placeholder", lang), max_chars=10,
                          label_visibility="collapsed", **_bind(qid, key))
            _postcode_message(lang, atlas, answers().get("postcode"))
        elif question.kind == "age":
            st.number_input(title, min_value=0, max_value=vocab.AGE_MAX_YEARS, step=1, key=key,
                            placeholder=i18n.t("advisor.q.age.placeholder", lang), label_visibility="collapsed",
                            **_bind(qid, key))
        elif question.kind == "single":
            st.radio(title, question.options, key=key, index=None, format_func=_fmt(question.label_kind, lang),
                     label_visibility="collapsed", **_bind(qid, key))
        else:
            st.pills(title, question.options, selection_mode="multi", key=key, label_visibility="collapsed",
                     format_func=_fmt(question.label_kind, lang), **_bind(qid, key))
            if not question.required:
                note(i18n.t("advisor.step.skip_ok", lang))
        if st.session_state.get(state.ADVISOR_NEED) and question.kind != "postcode":
            st.warning(i18n.t("advisor.step.need_answer", lang), icon="👉")

    if danger:
        # Safety first: the crisis panel and the crisis route straight away, no more questions needed.
        render_result(lang, atlas, answers(), professional=False, crisis_shown=True)
        st.button(i18n.t("advisor.step.restart", lang), key="_adv_restart_crisis", on_click=_restart)
        return
    b1, b2, _ = st.columns([1, 1, 3])
    b1.button(i18n.t("advisor.step.back", lang), key="_adv_back", on_click=_go, args=(-1,), disabled=step == 0,
              use_container_width=True)
    last = step == total - 1
    b2.button(i18n.t("advisor.step.to_result" if last else "advisor.step.next", lang), key="_adv_next",
              on_click=_go, args=(1,), type="primary", use_container_width=True)


def _postcode_message(lang: str, atlas: Atlas, postcode: str | None, quiet: bool = False) -> Area | None:
    """The area of the postcode; a friendly error (unless already shown) when it is not usable."""
    try:
        return advisor.resolve_area(atlas, postcode, lang)
    except InputError as err:
        if not quiet:
            st.error(common.md_escape(str(err)), icon="⚠️")
        return None


# ---- the result ------------------------------------------------------------------------------

def _override(lang: str, advice: Advice) -> tuple[str, str]:
    """The professional's choice: (level, reason); the engine's level when none (or no reason)."""
    with st.expander(i18n.t("advisor.override.title", lang),
                     expanded=bool(st.session_state.get("_adv_override_level"))):
        options = [""] + [lv for lv in vocab.LADDER]
        c1, c2 = st.columns([1, 2])
        chosen = c1.selectbox(i18n.t("advisor.override.level", lang), options, key="_adv_override_level",
                              format_func=lambda v: i18n.label("level", v, lang) if v else i18n.t("advisor.override.none", lang))
        reason = c2.text_input(i18n.t("advisor.override.reason", lang), key="_adv_override_reason",
                               placeholder=i18n.t("advisor.override.reason_placeholder", lang), max_chars=200)
        if chosen and chosen == advice.level:
            note(i18n.t("advisor.override.same", lang))
        elif chosen and not (reason or "").strip():
            st.warning(i18n.t("advisor.override.need_reason", lang), icon="✍️")
    if chosen and chosen != advice.level and (reason or "").strip():
        return chosen, reason.strip()
    return advice.level, ""


def ladder_html(lang: str, advised: str, level: str, next_step: str | None, also: tuple[str, ...]) -> str:
    """The ladder of levels (lightest left), the route's level highlighted, the next step marked."""
    def box(lv: str) -> str:
        classes, tags = ["sm-rung"], []
        if lv == level:
            classes.append("sm-on")
            tags.append(i18n.t("advisor.result.ladder_chosen" if level != advised else "advisor.result.ladder_advised", lang))
        elif lv == advised:
            classes.append("sm-engine")
            tags.append(i18n.t("advisor.result.ladder_advised", lang))
        if lv == next_step:
            classes.append("sm-next")
            tags.append(i18n.t("advisor.result.ladder_next", lang))
        if lv in also:
            classes.append("sm-also")
            tags.append(i18n.t("advisor.result.ladder_also", lang))
        tag = f'<span class="sm-tag">{html.escape(" · ".join(tags))}</span>' if tags else ""
        current = ' aria-current="step"' if lv == level else ""
        return (f'<div class="{" ".join(classes)}"{current}>'
                f'{html.escape(i18n.label("level", lv, lang))}{tag}</div>')

    columns = []
    for rung in range(5):
        levels = [lv for lv in vocab.LADDER if vocab.LEVEL_RUNG[lv] == rung]
        columns.append('<div class="sm-col">' + "".join(box(lv) for lv in levels) + "</div>")
    crisis_classes = "sm-rung sm-crisis" + (" sm-on" if level == "crisis" else "")
    crisis_tag = (f'<span class="sm-tag">{html.escape(i18n.t("advisor.result.ladder_advised", lang))}</span>'
                  if level == "crisis" else "")
    crisis = (f'<div class="sm-col sm-lane"><div class="sm-lanehead">{html.escape(i18n.t("advisor.result.ladder_crisis", lang))}</div>'
              f'<div class="{crisis_classes}">{html.escape(i18n.label("level", "crisis", lang))}{crisis_tag}</div></div>')
    style = """<style>
.sm-ladder{display:flex;gap:6px;align-items:flex-end;font-family:inherit;margin:4px 0 8px 0}
.sm-col{display:flex;flex-direction:column;gap:4px;flex:1;min-width:0}
.sm-ladder .sm-col:nth-child(2){margin-bottom:14px}.sm-ladder .sm-col:nth-child(3){margin-bottom:28px;flex:1.3}
.sm-ladder .sm-col:nth-child(4){margin-bottom:42px}.sm-ladder .sm-col:nth-child(5){margin-bottom:56px}
.sm-rung{border:1px solid #b8c4d6;border-radius:6px;padding:6px 8px;background:#f4f7fb;color:#1d2a3a;font-size:.86rem;line-height:1.2;overflow-wrap:anywhere;hyphens:auto}
.sm-rung.sm-on{background:#1f5fa8;color:#fff;border-color:#1f5fa8;font-weight:700;box-shadow:0 0 0 3px #9cc0ea}
.sm-rung.sm-engine{border:2px solid #1f5fa8}
.sm-rung.sm-next{border:2px dashed #1f5fa8}
.sm-rung.sm-also{border:2px solid #2e8540}
.sm-tag{display:block;font-size:.72rem;font-weight:600;margin-top:2px;text-transform:uppercase;letter-spacing:.02em}
.sm-lane{flex:0.9;border-left:3px solid #c62828;padding-left:6px;margin-left:4px}
.sm-lanehead{font-size:.72rem;color:#c62828;font-weight:700;text-transform:uppercase}
.sm-rung.sm-crisis{background:#fdecea;border-color:#c62828;color:#7f1d1d}
.sm-rung.sm-crisis.sm-on{background:#c62828;color:#fff;box-shadow:0 0 0 3px #f3b4ae}
</style>"""
    title = html.escape(i18n.t("advisor.result.ladder_title", lang))
    return (f'{style}<div aria-label="{title}" lang="{html.escape(lang)}" class="sm-ladder">'
            + "".join(columns) + crisis + "</div>")


def render_result(lang: str, atlas: Atlas, data: dict[str, Any], professional: bool,
                  crisis_shown: bool = False, postcode_shown: bool = False) -> None:
    """Advice, ladder, why, what to do now, local services, bridging advice, route card link."""
    try:
        advice = advisor.advise_answers(data, lang)
    except InputError as err:
        st.error(i18n.t("advisor.error.generic", lang, message=common.md_escape(str(err))), icon="⚠️")
        return
    if advice is None:
        st.info(i18n.t("advisor.snel.waiting", lang), icon="📝")
        return
    crisis = advice.level == "crisis"
    if crisis and not crisis_shown:
        common.crisis_panel(lang, atlas, emphasise=True)

    area = _postcode_message(lang, atlas, data.get("postcode"), quiet=postcode_shown)
    # The advice block is filled after the professional's choice (rendered below it) is known.
    advice_block = st.container()
    level, reason = (advice.level, "")
    if professional and not crisis:
        level, reason = _override(lang, advice)
    next_step = advice.next_step if level == advice.level else advisor.default_rules().next_step.get(level)
    with advice_block:
        _advice_view(lang, advice, level, reason, next_step)

    search_area = area or (advisor.fallback_area(atlas) if crisis else None)
    matches: list[Match] = []
    if search_area is None:
        if not data.get("postcode"):
            st.info(i18n.t("advisor.snel.no_postcode", lang), icon="📍")
    else:
        matches = advisor.local_services(atlas, search_area, level, advice.also, data.get("age"),
                                         data.get("concerns") or ())
        _services(lang, atlas, matches, area)
    at_level = [m.waiting_weeks for m in matches if m.level == level]
    if not crisis and advisor.bridging_needed(at_level):
        bridging_advice(lang)
    _routecard_link(lang, data, matches, level if level != advice.level else None, reason)


def _advice_view(lang: str, advice: Advice, level: str, reason: str, next_step: str | None) -> None:
    crisis = advice.level == "crisis"
    if level != advice.level:
        c1, c2 = st.columns(2)
        with c1, st.container(border=True):
            note(i18n.t("advisor.result.engine", lang))
            st.markdown(f"**{common.md_escape(i18n.label('level', advice.level, lang))}**")
        with c2, st.container(border=True):
            note(i18n.t("advisor.result.professional", lang))
            st.markdown(f"**{common.md_escape(i18n.label('level', level, lang))}**")
            st.markdown(f"{i18n.t('advisor.result.reason_label', lang)}: {common.md_escape(reason)}")
    else:
        st.header(f"{i18n.t('advisor.result.title', lang)}: {i18n.label('level', level, lang)}")
    st.html(ladder_html(lang, advice.level, level, next_step, advice.also))

    why, todo = st.columns(2)
    with why:
        st.markdown(f"**{i18n.t('advisor.result.why', lang)}**")
        st.markdown("\n".join(f"- {common.md_escape(r)}" for r in advice.reasons))
    with todo:
        st.markdown(f"**{i18n.t('advisor.result.todo', lang)}**")
        st.markdown(common.md_escape(advisor.todo_text(level, lang)))
        if advice.also:
            st.markdown(common.md_escape(i18n.t("advisor.result.also", lang, levels=", ".join(
                i18n.label("level", lv, lang) for lv in advice.also))))
        if next_step:
            st.markdown(common.md_escape(i18n.t("advisor.result.next_step", lang,
                                                level=i18n.label("level", next_step, lang))))
        elif not crisis:
            st.markdown(i18n.t("advisor.result.no_next_step", lang))


def _services(lang: str, atlas: Atlas, matches: list[Match], area: Area | None) -> None:
    title = (i18n.t("advisor.result.services_area", lang, area=f"{area.name} ({area.municipality_name})")
             if area is not None else i18n.t("advisor.result.services", lang))
    st.markdown(f"### {common.md_escape(title)}")
    if not matches:
        st.warning(i18n.t("advisor.result.no_services", lang))
        return
    note(i18n.t("advisor.result.pick_help", lang))
    cols = st.columns(3)
    for i, m in enumerate(matches):
        card = advisor.service_card(atlas, m.service_id, lang, m)
        key = _PICK_PREFIX + m.service_id
        if key not in st.session_state:
            st.session_state[key] = i < advisor.DEFAULT_PICKED
        with cols[i % 3], st.container(border=True):
            service_card_view(lang, card)
            st.checkbox(i18n.t("advisor.card.pick", lang), key=key)
            report_error_button(m.service_id, lang)
    common.illustrative_notice(atlas, lang, [m.service_id for m in matches])


def _short(text: str, limit: int = 150) -> str:
    """Long descriptions cut at a word boundary (the route card shows them in full)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def service_card_view(lang: str, card: advisor.ServiceCard) -> None:
    """One service: name, what, for whom, how to get in, phone, hours, waiting, distance, checked."""
    esc = common.md_escape
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    badge = "" if card.status == "verified" else " " + common.status_badge(card.status, lang)
    st.markdown(f"**{esc(card.name)}**{badge}")
    where = i18n.label("level", card.level, lang)
    if card.distance_km is not None:
        where += " · " + t("advisor.card.distance", km=card.distance_km)
    note(esc(where))
    lines = []
    if card.description:
        lines.append(f"{t('advisor.card.what')}: {esc(_short(card.description))}")
    lines.append(f"{t('advisor.card.for_whom')}: {esc(card.ages)}")
    if card.access_route:
        lines.append(f"{t('advisor.card.access')}: {esc(i18n.label('access', card.access_route, lang))}")
    if card.phone:
        lines.append(f"{t('advisor.card.phone')}: [{esc(card.phone)}](tel:{card.tel})")
    if card.hours:
        lines.append(f"{t('advisor.card.hours')}: {esc('; '.join(card.hours))}")
    now = []
    if card.open_now is True:
        now.append(f":green[{t('advisor.card.open_now')}]")
    elif card.open_now is False:
        now.append(t("advisor.card.closed_now"))
    if card.walk_in_today:
        now.append(f":green[**{t('advisor.card.walk_in_today')}**]")
    if now:
        lines.append(" · ".join(now))
    text = advisor.waiting_text(card.waiting_weeks, lang)
    lines.append(f":orange[{text}]" if (card.waiting_weeks or 0) > advisor.BRIDGE_WEEKS else text)
    lines.append(t("advisor.card.verified", date=card.verified_at) if card.verified_at else t("advisor.card.not_verified"))
    st.markdown("  \n".join(lines))


def bridging_advice(lang: str) -> None:
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    with st.container(border=True):
        st.markdown(f"### ⏳ {t('advisor.bridge.title')}")
        st.write(t("advisor.bridge.intro"))
        c1, c2 = st.columns(2)
        with c1:
            st.markdown(f"**{t('advisor.bridge.meanwhile')}**\n\n" + "\n".join(
                f"- {t(f'advisor.bridge.{k}')}" for k in ("m1", "m2", "m3", "m4")))
        with c2:
            st.markdown(f"**{t('advisor.bridge.warning')}**\n\n" + "\n".join(
                f"- {t(f'advisor.bridge.{k}')}" for k in ("w1", "w2", "w3", "w4")))
        st.markdown(t("advisor.bridge.call"))


def _routecard_link(lang: str, data: dict[str, Any], matches: list[Match], override: str | None, reason: str) -> None:
    picked = [m.service_id for m in matches if st.session_state.get(_PICK_PREFIX + m.service_id)]
    if matches and not picked:
        note(i18n.t("advisor.result.none_picked", lang, n=advisor.DEFAULT_PICKED))
    params = advisor.route_query(data, picked, override, reason, lang)  # the reason is never in the URL
    if override and reason:
        # The reason stays in this session: the route card shows it only when opened in the same session.
        st.session_state[state.ADVISOR_OVERRIDE_REASON] = {"a": params["a"], "o": override, "r": reason}
    else:
        st.session_state.pop(state.ADVISOR_OVERRIDE_REASON, None)
    with st.container(border=True):
        st.page_link("views/routekaart.py", label=f"**{i18n.t('advisor.result.routecard', lang)}**", icon="🗒️",
                     query_params=params)
        note(i18n.t("advisor.result.routecard_help", lang))


hulpwijzer_page()
