"""Hulpwijzer: the route advisor (quick mode for GP/POH, step by step for parents).

The answers live only in ``st.session_state`` (this browser tab) and in the route card's URL.
Nothing is written to disk or logged. Widgets are bound to the answers dict through on_change
callbacks, so answers survive switching mode or step (Streamlit forgets widgets not on screen).
In quick mode the GP's own practice may be remembered in the page's URL (``?praktijk=``), never
on the server.
"""

from __future__ import annotations

import html
from urllib.parse import quote
from typing import Any, Sequence

import streamlit as st

from socialmap import advisor, i18n, practice, routecard, vocab
from socialmap import route as route_core
from socialmap.errors import InputError
from socialmap.model import Area, Atlas
from socialmap.ui import common, state
from socialmap.ui.common import note
from socialmap.ui.curation import report_error_button

_MISSING = object()
_PICK_PREFIX = "_adv_pick_"
PRACTICE_PARAM = "praktijk"


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
    """
    link = st.query_params.get("a")
    if not link:
        return
    if st.session_state.get(state.ADVISOR_LOADED_LINK) != link:
        st.session_state[state.ADVISOR_LOADED_LINK] = link
        try:
            loaded = advisor.decode_answers(link, lang)
        except InputError as err:
            st.error(common.md_escape(str(err)), icon="⚠️")
        else:
            loaded["practice"] = answers().get("practice")
            st.session_state[state.ADVISOR_ANSWERS] = loaded
            older = advisor.link_version(link) != vocab.CONTRACT_VERSION
            st.session_state[state.ADVISOR_LINK_NOTE] = i18n.t("triage.route.older_version", lang) if older else ""
            st.session_state[state.ADVISOR_STEP] = 0
            st.session_state[state.ADVISOR_DANGER] = None
            st.session_state[state.ADVISOR_NEED] = False
    del st.query_params["a"]


def _is_phone() -> bool:
    """A phone's browser (from its User-Agent): phones start in the step-by-step mode."""
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # noqa: BLE001 - no browser (AppTest)
        return False
    return any(word in agent for word in ("Mobi", "Android", "iPhone"))


def _apply_url(lang: str, atlas: Atlas) -> None:
    """``?mode=`` and ``?praktijk=`` from a new link win over this session's earlier choice."""
    requested = st.query_params.get("mode")
    if requested in advisor.MODES and requested != st.session_state.get(state.ADVISOR_MODE_URL):
        st.session_state[state.ADVISOR_MODE_URL] = requested
        st.session_state[state.ADVISOR_MODE] = requested
    if state.ADVISOR_MODE not in st.session_state:
        st.session_state[state.ADVISOR_MODE] = "stap" if _is_phone() else "snel"
    own = st.query_params.get(PRACTICE_PARAM)
    if own and own != st.session_state.get(state.ADVISOR_PRACTICE_URL):
        st.session_state[state.ADVISOR_PRACTICE_URL] = own
        if own == practice.UNKNOWN or practice.get(atlas, own) is not None:
            answers()["practice"] = own


# ---- the page --------------------------------------------------------------------------------

_PAGE_CSS = """<style>
/* Answers as large tiles (radio options and pills), easy to hit on a phone. */
.st-key-sm_steps [data-testid="stRadio"] [role="radiogroup"] { gap: .5rem; width: 100%; flex-direction: column; align-items: stretch; }
.st-key-sm_steps [data-testid="stRadio"] label { border: 1px solid #b8c4d6; border-radius: 10px; padding: .8rem 1rem;
  width: 100%; min-height: 3rem; background: #f8fafc; }
.st-key-sm_steps [data-testid="stRadio"] label:has(input:checked) { border: 2px solid #1f5fa8; background: #eaf2fb; }
.st-key-sm_steps [data-testid="stButtonGroup"] button { min-height: 2.75rem; padding: .5rem .9rem; }
/* Long answers in plain words wrap instead of being cut off with "...". */
[data-testid="stMain"] [data-testid="stButtonGroup"] button,
[data-testid="stMain"] [data-testid="stButtonGroup"] button * { white-space: normal !important; text-overflow: clip !important;
  overflow: visible !important; height: auto !important; max-width: 100%; }
[data-testid="stMain"] [data-testid="stButtonGroup"] button { text-align: left; }
.st-key-sm_steps h2 { font-size: 1.5rem; padding-top: .25rem; }
.st-key-sm_head h1 { font-size: 2rem; padding: 0; }
[data-testid="stMain"] h2 { font-size: 1.5rem; line-height: 1.3; overflow-wrap: normal; word-break: normal; hyphens: manual; }
[data-testid="stMain"] h3 { font-size: 1.2rem; }
.st-key-sm_cardlinks { gap: .5rem; }
.st-key-sm_cardlinks a { border: 1px solid #1f5fa8; border-radius: 8px; padding: .35rem .9rem; background: #1f5fa8; }
.st-key-sm_cardlinks a, .st-key-sm_cardlinks a span, .st-key-sm_cardlinks a p { color: #fff !important; font-weight: 600; }
@media (max-width: 640px) {
  /* The Back / Next buttons side by side, in thumb reach, and a compact page head. */
  .st-key-sm_stepnav [data-testid="stHorizontalBlock"] { flex-wrap: nowrap !important; gap: .5rem; }
  .st-key-sm_stepnav [data-testid="stColumn"] { min-width: 0 !important; width: auto !important; flex: 1 1 0 !important; }
  .st-key-sm_stepnav button { min-height: 3rem; }
  .st-key-sm_head h1 { font-size: 1.6rem; padding: 0; }
}
.sm-ladder { list-style: none; padding: 0; margin: .25rem 0 .75rem 0; display: flex; flex-wrap: wrap; gap: 4px; }
.sm-ladder li { border: 1px solid #b8c4d6; border-radius: 6px; padding: 4px 8px; background: #f4f7fb; color: #1d2a3a;
  font-size: .84rem; line-height: 1.25; margin: 0; overflow-wrap: normal; word-break: normal; hyphens: manual; }
.sm-ladder li[aria-current] { background: #1f5fa8; color: #fff; border-color: #1f5fa8; font-weight: 700; }
.sm-ladder li.sm-also { border: 2px solid #2e8540; }
.sm-ladder li.sm-next { border: 2px dashed #1f5fa8; }
.sm-ladder li.sm-crisis { background: #fdecea; border-color: #c62828; color: #7f1d1d; }
.sm-ladder li.sm-crisis[aria-current] { background: #b71c1c; color: #fff; }
.sm-ladder .sm-tag { font-size: .7rem; font-weight: 600; text-transform: uppercase; margin-left: 4px; }
@media (max-width: 640px) { .sm-ladder { flex-direction: column; } }
.sm-svc-name { font-size: 1.05rem; margin: 0; padding: 0; line-height: 1.3; }
.sm-urgency { display: inline-block; border-radius: 6px; padding: 2px 10px; font-weight: 700; }
.sm-urgency.now, .sm-urgency.today { background: #b71c1c; color: #fff; }
.sm-urgency.soon { background: #fff4e5; color: #7c2d12; border: 1px solid #9a3412; }
.sm-urgency.routine { background: #eef6ee; color: #1b5e20; border: 1px solid #2e7d32; }
.sm-demo { background: #5b21b6; color: #fff; font-weight: 700; padding: 4px 10px; border-radius: 6px; display: inline-block; }
</style>"""


def hulpwijzer_page() -> None:
    lang = common.current_lang()
    _load_link(lang)
    if common.follow_region(common.region_for_postcode(answers().get("postcode"))):
        st.rerun()  # several regions: the postcode decides, and the whole page (crisis numbers too) follows
    atlas = common.get_atlas(common.region_id())
    _apply_url(lang, atlas)
    st.html(_PAGE_CSS)
    if common.demo_mode(atlas):
        st.html(f'<div class="sm-demo">{html.escape(i18n.t("common.demo.mark", lang))}</div>')
    with st.container(key="sm_head"):
        head, switch = st.columns([3, 2], vertical_alignment="center")
        with head:
            st.title(i18n.t("advisor.title", lang), anchor=False)
        with switch:
            mode = st.segmented_control(
                i18n.t("advisor.mode.label", lang), advisor.MODES, key=state.ADVISOR_MODE, required=True,
                format_func=lambda m: i18n.t(f"advisor.mode.{m}", lang), label_visibility="collapsed",
            ) or "snel"
    if st.query_params.get("mode") != mode:
        st.query_params["mode"] = mode
    st.session_state[state.ADVISOR_MODE_URL] = mode
    if mode == "stap":
        st.markdown(i18n.t("advisor.intro", lang))
        step_mode(lang, atlas)
    else:
        quick_mode(lang, atlas)


def _sync_who(key: str) -> None:
    answers()["for_self"] = st.session_state.get(key) == "self"


def who_question(lang: str, key: str) -> None:
    """From 18: "voor wie zoekt u hulp: mijn kind / mezelf" (the young adult may fill it in)."""
    age = answers().get("age")
    if not isinstance(age, int) or age < vocab.ADULT_AGE:
        if answers().get("for_self"):
            answers()["for_self"] = False
        return
    current = "self" if answers().get("for_self") else "child"
    if st.session_state.get(key, _MISSING) != current:
        st.session_state[key] = current
    st.segmented_control(i18n.t("advisor.who.label", lang), ("child", "self"), key=key, required=True,
                         format_func=lambda v: i18n.t(f"advisor.who.{v}", lang), on_change=_sync_who, args=(key,))


def _for_self() -> bool:
    age = answers().get("age")
    return bool(answers().get("for_self")) and isinstance(age, int) and age >= vocab.ADULT_AGE


def _q_text(qid: str, part: str, lang: str) -> str:
    """A question's title or help; the young adult who fills it in for themselves is asked directly."""
    key = f"advisor.q_self.{qid}.{part}"
    if _for_self() and i18n.has(key):
        return i18n.t(key, lang)
    return i18n.t(f"advisor.q.{qid}.{part}", lang)


# ---- quick mode (GP, POH) --------------------------------------------------------------------

def _sync_practice(key: str, remember: bool) -> None:
    value = st.session_state.get(key)
    answers()["practice"] = value
    if not remember:
        return
    if value:
        st.query_params[PRACTICE_PARAM] = value
        st.session_state[state.ADVISOR_PRACTICE_URL] = value
    elif PRACTICE_PARAM in st.query_params:
        del st.query_params[PRACTICE_PARAM]


def practice_picker(lang: str, atlas: Atlas, key: str, label: str, remember: bool = False) -> None:
    """The own practice: a searchable list (type a name or a postcode), or "weet ik niet".
    ``remember``: keep it in the page's URL (quick mode: the GP's own practice, for a bookmark)."""
    offered = practice.picker_options(atlas, answers().get("postcode"))
    current = answers().get("practice")
    chosen = practice.get(atlas, current)
    if chosen is not None and all(p.id != chosen.id for p in offered):
        offered = [chosen, *offered]  # e.g. remembered in the URL, from another municipality
    options = [practice.UNKNOWN] + [p.id for p in offered]
    labels = {p.id: p.label() for p in offered}
    labels[practice.UNKNOWN] = i18n.t("advisor.practice.dont_know", lang)
    if current not in options:
        current = None
    if st.session_state.get(key, _MISSING) != current:
        st.session_state[key] = current
    st.selectbox(label, options, key=key, index=None, format_func=lambda v: labels.get(v, v),
                 placeholder=i18n.t("advisor.practice.search_placeholder", lang), help=i18n.t("advisor.practice.search", lang),
                 on_change=_sync_practice, args=(key, remember))


def quick_mode(lang: str, atlas: Atlas) -> None:
    """The questions on the left, the advice beside them: the GP sees the route and the route-card
    button without scrolling (1366x900)."""
    q = lambda qid: i18n.t(f"advisor.q.{qid}.short", lang)  # noqa: E731
    ask, result = st.columns([5, 6], gap="medium")
    with ask:
        c1, c2, c3 = st.columns([1.1, 0.9, 2.4])
        with c1:
            st.text_input(q("postcode"), key="_adv_q_postcode", placeholder=i18n.t("advisor.q.postcode.placeholder", lang),
                          max_chars=7, **_bind("postcode", "_adv_q_postcode"))
        with c2:
            st.number_input(q("age"), min_value=0, max_value=vocab.AGE_MAX_YEARS, step=1, key="_adv_q_age",
                            placeholder=i18n.t("advisor.q.age.placeholder", lang), **_bind("age", "_adv_q_age"))
        with c3:
            practice_picker(lang, atlas, "_adv_q_practice", i18n.t("advisor.practice.label_family", lang),
                            remember=True)
        _postcode_message(lang, atlas, answers().get("postcode"))  # right under the field it is about
        who_question(lang, "_adv_q_who")
        st.pills(q("concerns"), vocab.CONCERNS, selection_mode="multi", key="_adv_q_concerns",
                 format_func=_fmt("concern", lang), wrap=True, **_bind("concerns", "_adv_q_concerns"))
        st.segmented_control(q("impact"), vocab.IMPACTS, key="_adv_q_impact", format_func=_fmt("impact", lang),
                             wrap=True, **_bind("impact", "_adv_q_impact"))
        st.segmented_control(q("duration"), vocab.DURATIONS, key="_adv_q_duration",
                             format_func=_fmt("duration", lang), wrap=True, **_bind("duration", "_adv_q_duration"))
        st.multiselect(q("red_flags"), vocab.RED_FLAGS, key="_adv_q_red_flags", format_func=_fmt("red_flag", lang),
                       placeholder=i18n.t("advisor.q.red_flags.placeholder", lang), **_bind("red_flags", "_adv_q_red_flags"))
        c7, c8 = st.columns(2)
        with c7:
            st.multiselect(q("tried"), advisor.TRIED_OPTIONS, key="_adv_q_tried", format_func=_fmt("level", lang),
                           placeholder=i18n.t("advisor.q.tried.placeholder", lang), **_bind("tried", "_adv_q_tried"))
        with c8:
            st.multiselect(q("context"), vocab.CONTEXTS, key="_adv_q_context", format_func=_fmt("context", lang),
                           placeholder=i18n.t("advisor.q.context.placeholder", lang), **_bind("context", "_adv_q_context"))
    with result:
        render_result(lang, atlas, answers(), professional=True)


# ---- step by step (parents) ------------------------------------------------------------------

#: The steps: the contract's questions, with the own practice after the postcode.
PRACTICE_STEP = advisor.Question("practice", "practice")
STEPS: tuple[advisor.Question, ...] = (advisor.QUESTIONS[:2] + (PRACTICE_STEP,) + advisor.QUESTIONS[2:])


def _go(delta: int) -> None:
    steps = len(STEPS)
    current = st.session_state.get(state.ADVISOR_STEP, 0)
    if delta > 0 and current < steps:
        question = STEPS[current]
        if question.kind == "safety" and st.session_state.get(state.ADVISOR_DANGER) is None:
            st.session_state[state.ADVISOR_NEED] = True
            return
        if question.required and not advisor.answered(answers(), question.id):
            st.session_state[state.ADVISOR_NEED] = True
            return
        if question.id == "postcode" and answers().get("postcode"):
            try:
                advisor.resolve_area(common.get_atlas(common.region_for_postcode(answers()["postcode"])),
                                     answers()["postcode"])
            except InputError:
                st.session_state[state.ADVISOR_NEED] = True
                return
    st.session_state[state.ADVISOR_NEED] = False
    st.session_state[state.ADVISOR_STEP] = min(max(current + delta, 0), steps)


def _restart() -> None:
    st.session_state[state.ADVISOR_LINK_NOTE] = ""
    st.session_state[state.ADVISOR_ANSWERS] = advisor.empty_answers()
    st.session_state[state.ADVISOR_STEP] = 0
    st.session_state[state.ADVISOR_DANGER] = None
    st.session_state[state.ADVISOR_NEED] = False


#: What the safety question offers after "yes, or I am not sure": every red flag in plain words.
SAFETY_FLAGS: tuple[str, ...] = ("suicidality", "self_harm", "psychosis", "severe_eating", "unsafe_home",
                                 "danger_to_others", "acute_crisis")
#: Self-injury without thoughts of death is a concern (POH soon), not a red flag.
SELF_INJURY = "self_injury"


def _safety_options() -> tuple[str, ...]:
    return SAFETY_FLAGS + ((SELF_INJURY,) if SELF_INJURY in vocab.CONCERNS else ())


def _sync_danger() -> None:
    danger = st.session_state.get("_adv_s_danger")
    st.session_state[state.ADVISOR_DANGER] = danger
    picked = list(st.session_state.get("_adv_s_red_flags") or []) if danger == "yes" else []
    flags = [f for f in picked if f in vocab.RED_FLAGS]
    concerns = [c for c in answers().get("concerns") or [] if c != SELF_INJURY]
    if SELF_INJURY in picked:
        concerns.append(SELF_INJURY)
    answers()["concerns"] = concerns
    if danger == "yes" and not picked:
        flags = ["acute_crisis"]  # "yes, or I doubt" without more: the crisis route (safety first)
    answers()["red_flags"] = flags
    st.session_state[state.ADVISOR_NEED] = False


def step_mode(lang: str, atlas: Atlas) -> None:
    """One question per screen, plain Dutch, the safety question first."""
    total = len(STEPS)
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
        with st.container(key="sm_stepnav"):
            b1, b2 = st.columns(2)
            b1.button(i18n.t("advisor.step.back", lang), key="_adv_back_result", on_click=_go, args=(-1,), use_container_width=True)
            b2.button(i18n.t("advisor.step.restart", lang), key="_adv_restart", on_click=_restart, use_container_width=True)
        return

    question = STEPS[step]
    qid = question.id
    danger = False
    with st.container(border=True, key="sm_steps"):
        title = _q_text(qid, "title", lang)
        st.header(title, anchor=False)
        st.write(_q_text(qid, "help", lang))
        key = f"_adv_s_{qid}"
        if question.kind == "safety":
            if st.session_state.get(state.ADVISOR_DANGER) is None and answers().get("red_flags"):
                st.session_state[state.ADVISOR_DANGER] = "yes"
            current = st.session_state.get(state.ADVISOR_DANGER)
            if st.session_state.get("_adv_s_danger", _MISSING) != current:
                st.session_state["_adv_s_danger"] = current
            st.radio(title, ("no", "yes"), key="_adv_s_danger", index=None, label_visibility="collapsed",
                     format_func=lambda v: i18n.t(f"advisor.q.red_flags.answer_{v}", lang), on_change=_sync_danger)
            if st.session_state.get(state.ADVISOR_DANGER) == "yes":
                picked = [f for f in answers().get("red_flags") or [] if f != "acute_crisis"]
                picked += [c for c in answers().get("concerns") or [] if c == SELF_INJURY]
                if st.session_state.get("_adv_s_red_flags", _MISSING) != picked:
                    st.session_state["_adv_s_red_flags"] = picked
                st.pills(i18n.t("advisor.q.red_flags.which", lang), _safety_options(), selection_mode="multi",
                         key="_adv_s_red_flags", format_func=lambda f: i18n.t(f"advisor.flag_plain.{f}", lang),
                         wrap=True, on_change=_sync_danger)
                danger = bool(answers().get("red_flags"))
        elif question.kind == "postcode":
            st.text_input(title, key=key, placeholder=i18n.t("advisor.q.postcode.placeholder", lang), max_chars=7,
                          label_visibility="collapsed", **_bind(qid, key))
            _postcode_message(lang, atlas, answers().get("postcode"))
        elif question.kind == "practice":
            practice_picker(lang, atlas, key, title)
            own = practice.own_practice(atlas, answers().get("practice"), lang)
            if own.practice is not None:
                note(common.md_escape(own.title))
        elif question.kind == "age":
            st.number_input(title, min_value=0, max_value=vocab.AGE_MAX_YEARS, step=1, key=key,
                            placeholder=i18n.t("advisor.q.age.placeholder", lang), label_visibility="collapsed",
                            **_bind(qid, key))
            who_question(lang, "_adv_s_who")
        elif question.kind == "single":
            st.radio(title, question.options, key=key, index=None, format_func=_fmt(question.label_kind, lang),
                     label_visibility="collapsed", **_bind(qid, key))
        elif qid == "tried":
            st.pills(title, question.options, selection_mode="multi", key=key, label_visibility="collapsed",
                     format_func=lambda v: i18n.t(f"advisor.tried_plain.{v}", lang), wrap=True, **_bind(qid, key))
        else:
            st.pills(title, question.options, selection_mode="multi", key=key, label_visibility="collapsed",
                     format_func=_fmt(question.label_kind, lang), wrap=True, **_bind(qid, key))
        if not _for_self() or i18n.has(f"advisor.q_self.{qid}.examples"):
            st.markdown(f"*{_q_text(qid, 'examples', lang)}*")
        if not question.required and question.kind not in ("safety",):
            note(i18n.t("advisor.step.skip_ok", lang))
        if st.session_state.get(state.ADVISOR_NEED) and question.kind != "postcode":
            st.warning(i18n.t("advisor.step.need_answer", lang), icon="👉")

    if danger:
        # Safety first: the crisis route straight away, no more questions needed.
        render_result(lang, atlas, answers(), professional=False)
        st.button(i18n.t("advisor.step.restart", lang), key="_adv_restart_crisis", on_click=_restart)
        return
    last = step == total - 1
    with st.container(key="sm_stepnav"):
        b1, b2 = st.columns(2)
        b1.button(i18n.t("advisor.step.back", lang), key="_adv_back", on_click=_go, args=(-1,), disabled=step == 0,
                  use_container_width=True)
        b2.button(i18n.t("advisor.step.to_result" if last else "advisor.step.next", lang), key="_adv_next",
                  on_click=_go, args=(1,), type="primary", use_container_width=True)


def _postcode_message(lang: str, atlas: Atlas, postcode: str | None, quiet: bool = False) -> Area | None:
    """The area of the postcode; a friendly error (unless already shown) when it is not usable."""
    try:
        common.postcode_check(postcode, lang)  # in no region: the message names every region covered
        return advisor.resolve_area(atlas, postcode, lang)
    except InputError as err:
        if not quiet:
            st.error(common.md_escape(str(err)), icon="⚠️")
        return None


# ---- the result: the core's Route, rendered ------------------------------------------------

def _override_choice() -> tuple[str | None, str]:
    """The professional's choice from the session (its widgets are drawn below the advice)."""
    chosen = st.session_state.get("_adv_override_level") or None
    reason = (st.session_state.get("_adv_override_reason") or "").strip()
    return (chosen, reason) if chosen and reason else (None, "")


def _override_widgets(lang: str, engine_level: str) -> None:
    with st.expander(i18n.t("advisor.override.title", lang), expanded=bool(st.session_state.get("_adv_override_level"))):
        options = [""] + list(vocab.LADDER)
        c1, c2 = st.columns([1, 2])
        chosen = c1.selectbox(i18n.t("advisor.override.level", lang), options, key="_adv_override_level",
                              format_func=lambda v: i18n.label("level", v, lang) if v else i18n.t("advisor.override.none", lang))
        reason = c2.text_input(i18n.t("advisor.override.reason", lang), key="_adv_override_reason",
                               placeholder=i18n.t("advisor.override.reason_placeholder", lang), max_chars=200)
        if chosen and chosen == engine_level:
            note(i18n.t("advisor.override.same", lang))
        elif chosen and not (reason or "").strip():
            st.warning(i18n.t("advisor.override.need_reason", lang), icon="✍️")


def ladder_html(lang: str, level: str, advised: str, next_step: str | None, also: Sequence[str],
                audience: str = "child") -> str:
    """The ladder of help as an ordered list, lightest first; the route's level has ``aria-current``."""
    items = []
    for lv in (*vocab.LADDER, "crisis"):
        classes, tags = [], []
        if lv == "crisis":
            classes.append("sm-crisis")
        if lv == level:
            tags.append(i18n.t("advisor.result.ladder_chosen" if level != advised else "advisor.result.ladder_advised", lang))
        elif lv == advised:
            tags.append(i18n.t("advisor.result.ladder_advised", lang))
        if lv == next_step:
            classes.append("sm-next")
            tags.append(i18n.t("advisor.result.ladder_next", lang))
        if lv in also:
            classes.append("sm-also")
            tags.append(i18n.t("advisor.result.ladder_also", lang))
        tag = f'<span class="sm-tag">({html.escape(", ".join(tags))})</span>' if tags else ""
        current = ' aria-current="step"' if lv == level else ""
        cls = f' class="{" ".join(classes)}"' if classes else ""
        items.append(f"<li{cls}{current}>{html.escape(route_core.level_label(lv, lang, audience))}{tag}</li>")
    title = html.escape(i18n.t("advisor.result.ladder_title", lang))
    return f'<ol class="sm-ladder" aria-label="{title}">' + "".join(items) + "</ol>"


def _picks(result: route_core.Route) -> list[str]:
    """The ticked services: a checkbox the user touched, else the core's pre-pick."""
    out = []
    for option in result.options:
        if option.selectable and st.session_state.get(_PICK_PREFIX + option.id, option.preselected):
            if option.id not in out:
                out.append(option.id)
    return out


def build_route(lang: str, atlas: Atlas, data: dict[str, Any], professional: bool) -> route_core.Route:
    """One call to the core for everything the result shows (again with the user's ticks)."""
    override, reason = _override_choice() if professional else (None, "")
    kwargs = dict(own_practice=data.get("practice") or None, override=override, base_url=common.base_url(),
                  demo=common.demo_mode(atlas))
    answers_in = {k: v for k, v in data.items() if k != "practice"}
    result = route_core.route(atlas, answers_in, lang, **kwargs)
    if result.ready:
        picks = _picks(result)
        if picks != list(result.picked):
            result = route_core.route(atlas, answers_in, lang, picked=picks, **kwargs)
    return result


def contact_pairs(result: route_core.Route) -> tuple[tuple[str, str], ...]:
    """(label, number) of the red flag's first contacts, in the advice's order (number may be empty)."""
    return tuple(routecard.contact_lines(result))


def render_result(lang: str, atlas: Atlas, data: dict[str, Any], professional: bool) -> None:
    """The advice: what to do (title), urgency, the route-card and print buttons right under it,
    the crisis contacts on a red flag, the own practice, the options per lane, when to call
    sooner, why, and the ladder."""
    try:
        result = build_route(lang, atlas, data, professional)
    except InputError as err:
        if err.field == "postcode" and professional:
            return  # the postcode field above already says what is wrong with it
        st.error(i18n.t("advisor.error.generic", lang, message=common.md_escape(str(err))), icon="⚠️")
        return
    if not result.ready:
        st.info(common.md_escape(result.missing_text) or i18n.t("advisor.snel.waiting", lang), icon="📝")
        return
    if result.demo:
        st.html(f'<div class="sm-demo">{html.escape(i18n.t("common.demo.mark", lang))}</div>')
    if result.red_flag:
        first = contact_pairs(result)
        common.emphasise_crisis_bar(lang, atlas, first)
        # Safety first: that flag's own first contacts, with their numbers, above the advice.
        common.crisis_panel(lang, atlas, emphasise=True, first=first)
    with st.container(key="sm_advice_title"):
        st.header(result.title, anchor=False)
    with st.container(key="sm_cardlinks", horizontal=True):
        params = dict(result.query)
        st.page_link("views/routekaart.py", label=i18n.t("advisor.result.routecard_button", lang), icon="🗒️",
                     query_params=params)
        st.page_link("views/routekaart.py", label=i18n.t("advisor.result.print_button", lang), icon="🖨️",
                     query_params={**params, "print": "1"})
    if result.urgency:
        st.html(f'<p><span class="sm-urgency {html.escape(result.urgency)}">'
                f'{html.escape(i18n.t("triage.route.urgency_line", lang, urgency=result.urgency_text))}</span></p>')
    link_note = result.note or st.session_state.get(state.ADVISOR_LINK_NOTE) or ""
    if link_note:
        st.info(common.md_escape(link_note), icon="ℹ️")
    st.markdown("  \n".join(common.md_escape(line) for line in result.todo))
    own = result.own_practice
    if own is not None and (result.level == "gp_practice" or "gp_practice" in (result.advice.also if result.advice else ())):
        with st.container(border=True):
            st.markdown(f"**{common.md_escape(own.title)}**  \n{common.md_escape(own.todo)}")
    if result.area_label:
        note(common.md_escape(i18n.t("advisor.result.services_area", lang, area=result.area_label)))
    elif not data.get("postcode"):
        st.info(i18n.t("advisor.snel.no_postcode", lang), icon="📍")
    for lane in result.lanes:
        _lane_view(lang, lane)
    if result.lanes:
        common.illustrative_notice(atlas, lang, [o.id for o in result.options])
    with st.container(border=True):
        st.subheader(result.safety_net_title, anchor=False)
        st.markdown(common.md_escape(result.safety_net))
    if result.bridging:
        with st.container(border=True):
            st.subheader(f"⏳ {i18n.t('advisor.bridge.title', lang)}", anchor=False)
            st.markdown(common.md_escape(result.bridging_text))
    advice = result.advice
    with st.expander(i18n.t("advisor.result.why", lang), expanded=not professional):
        st.markdown("\n".join(f"- {common.md_escape(r)}" for r in result.reasons))
        if advice is not None:
            st.html(ladder_html(lang, result.level or advice.level, advice.level, advice.next_step, advice.also,
                                result.audience))
    if professional and advice is not None and advice.level != "crisis":
        if result.override:
            note(common.md_escape(i18n.t("advisor.result.engine", lang) + ": "
                                  + route_core.level_label(advice.level, lang, result.audience)))
        _override_widgets(lang, advice.level)
    _, reason = _override_choice() if professional else (None, "")
    st.session_state[state.ADVISOR_OVERRIDE_REASON] = (
        {"a": result.query.get("a"), "o": result.override, "r": reason} if result.override and reason else None)


def _lane_view(lang: str, lane: route_core.Lane) -> None:
    st.subheader(lane.title, anchor=False)
    if lane.empty_text:
        st.info(common.md_escape(lane.empty_text), icon="ℹ️")
    for option in lane.options:
        card = option.card
        key = _PICK_PREFIX + card.id
        label = i18n.t("advisor.card.pick_named", lang, name=card.name)
        with st.container(border=True):
            service_card_view(lang, card)
            if option.selectable:
                if key not in st.session_state:
                    st.session_state[key] = option.preselected
                st.checkbox(label, key=key)
            else:
                st.checkbox(label, value=False, disabled=True, key=key + "_off")
                note(common.md_escape(option.not_selectable_reason))
            report_error_button(card.id, lang, label=i18n.t("advisor.card.report_named", lang, name=card.name))


def _short(text: str, limit: int = 150) -> str:
    """Long descriptions cut at a word boundary (the route card shows them in full)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def service_card_view(lang: str, card: advisor.ServiceCard) -> None:
    """One service: its name as a heading, what, for whom, how to get in, Call / Website / Route."""
    esc = common.md_escape
    real = card.status != "illustrative"
    badge = "" if card.status == "verified" else " " + common.status_badge(card.status, lang)
    st.html(f'<h4 class="sm-svc-name">{html.escape(card.name)}</h4>')
    where = i18n.label("level", card.level, lang)
    if card.distance_km is not None:
        km = f"{card.distance_km:.1f}"
        where += " · " + i18n.t("advisor.card.distance", lang, km=km.replace(".", ",") if lang == "nl" else km)
    note(esc(where) + badge)
    lines = []
    if card.description:
        lines.append(f"{i18n.t('advisor.card.what', lang)}: {esc(_short(card.description))}")
    lines.append(f"{i18n.t('advisor.card.for_whom', lang)}: {esc(card.ages)}")
    if card.access_route:
        lines.append(f"{i18n.t('advisor.card.access', lang)}: {esc(i18n.label('access', card.access_route, lang))}")
    if card.hours:
        lines.append(f"{i18n.t('advisor.card.hours', lang)}: {esc('; '.join(card.hours))}")
    now = []
    if card.open_now is True:
        now.append(f":green[{i18n.t('advisor.card.open_now', lang)}]")
    elif card.open_now is False:
        now.append(i18n.t("advisor.card.closed_now", lang))
    if card.walk_in_today:
        now.append(f":green[**{i18n.t('advisor.card.walk_in_today', lang)}**]")
    if now:
        lines.append(" · ".join(now))
    if real:  # an example's waiting time is made up: not shown as a fact
        text = advisor.waiting_text(card.waiting_weeks, lang)
        lines.append(f":orange[{text}]" if (card.waiting_weeks or 0) > advisor.BRIDGE_WEEKS else text)
    st.markdown("  \n".join(lines))
    actions = []
    if real and card.phone:
        actions.append((i18n.t("advisor.card.call", lang, phone=card.phone), f"tel:{card.tel}"))
    if real and card.url:
        actions.append((i18n.t("advisor.card.website", lang), card.url))
    if real and card.address:
        actions.append((i18n.t("advisor.card.route", lang),
                        "https://www.openstreetmap.org/search?query=" + quote(card.address)))
    if actions:
        with st.container(horizontal=True):
            for text, target in actions:
                st.link_button(text, target)


hulpwijzer_page()
