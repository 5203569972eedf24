"""The route advisor (Hulpwijzer) without Streamlit: questions, URL encoding, texts, route card.

- ``QUESTIONS``: the questions as data records, in the order of the step-by-step mode (the
  safety question first). The answers they collect are the triage contract's keys.
- ``encode_answers`` / ``decode_answers``: a compact, URL-safe string for ``?a=`` so a route card
  can be reopened from a link or QR code. Nothing is stored on the server: the URL *is* the state.
  Privacy: the link carries only the 4-digit postcode (PC4), never the letters of a full PC6.
- ``route_query`` / ``parse_route_query``: the whole route-card query string (answers, chosen
  services, the professional's chosen level, language). The professional's free-text reason is
  never put in the URL.
- ``advise_answers``: advice for possibly incomplete answers (a red flag needs nothing else).
- ``service_card`` / ``build_route_card``: what the result and the route card show per service.
- ``bridging_needed``: the quickest option at the advised level waits more than 4 weeks.

Nothing here writes the answers anywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence
from urllib.parse import urlencode

from . import i18n, vocab
from .errors import InputError
from .derived import per_atlas
from .matching import Match, match
from .model import Area, Atlas
from .rules import Rules, default_rules
from .triage import Advice, Answers, advise, parse_answers

#: Bridging advice is shown when the quickest option at the advised level waits longer than this.
BRIDGE_WEEKS = 4
#: Service cards on the result: at least 3 where the data has them, at most 5.
MAX_SERVICES = 5
DEFAULT_PICKED = 3
MODES: tuple[str, ...] = ("snel", "stap")
#: Levels a family can say it already tried (the heaviest useful one is basic_mh).
TRIED_OPTIONS: tuple[str, ...] = ("self_help", "open_access", "gp_practice", "wijkteam", "basic_mh")


@dataclass(frozen=True)
class Question:
    """One question. Texts are ``advisor.q.<id>.title|help|examples|short`` in the catalogues."""

    id: str  # the answers key (triage contract)
    kind: str  # "multi", "single", "postcode", "age", "safety"
    options: tuple[str, ...] = ()
    label_kind: str | None = None  # labels: common.<label_kind>.<option>
    required: bool = False


QUESTIONS: tuple[Question, ...] = (
    Question("red_flags", "safety", vocab.RED_FLAGS, "red_flag"),
    Question("postcode", "postcode"),
    Question("age", "age", required=True),
    Question("concerns", "multi", vocab.CONCERNS, "concern", required=True),
    Question("impact", "single", vocab.IMPACTS, "impact", required=True),
    Question("duration", "single", vocab.DURATIONS, "duration", required=True),
    Question("tried", "multi", TRIED_OPTIONS, "level"),
    Question("context", "multi", vocab.CONTEXTS, "context"),
)
QUESTION_BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}
REQUIRED: tuple[str, ...] = tuple(q.id for q in QUESTIONS if q.required)


def empty_answers() -> dict[str, Any]:
    return {"red_flags": [], "postcode": "", "age": None, "concerns": [], "impact": None,
            "duration": None, "tried": [], "context": []}


def missing_required(answers: Mapping[str, Any]) -> list[str]:
    """Required question ids without an answer (empty list = ready for advice)."""
    out = []
    for qid in REQUIRED:
        value = answers.get(qid)
        if value is None or value == [] or value == () or value == "":
            out.append(qid)
    return out


def answered(answers: Mapping[str, Any], qid: str) -> bool:
    value = answers.get(qid)
    return not (value is None or value == [] or value == () or value == "")


# ---- compact URL encoding ------------------------------------------------------------------
# Format (version 2 = triage contract v2): fields joined by "-", list items by ".":
#   2-<age>-<concerns>-<impact>-<duration>-<red_flags>-<tried>-<context>-<postcode>[-s]
# impact and duration are digits (index in the vocabulary); list values are two-letter codes
# fixed below (never reuse a code). The postcode is written as PC4 only (``2035``; a full PC6
# such as ``2035 AB`` is cut to its digits). ``-s`` at the end: a young adult filled it in for
# themselves. Example: 2-13-an.lm-2-1----2035
# Version 1 links (contract v1, no ``-s``) still open: the route shows a note that the advice
# was made with an earlier version, and today's advice. decode_answers also reads a PC6.

_CODES: dict[str, dict[str, str]] = {
    "concerns": {
        "parenting": "pa", "behaviour": "be", "anxiety": "an", "low_mood": "lm", "withdrawal": "wd",
        "self_esteem": "se", "social": "so", "development": "de", "school": "sc", "sleep": "sl",
        "eating": "ea", "trauma": "tr", "divorce": "di", "substance_use": "su",
        "adhd_medication": "am", "assessment": "as", "eating_disorder": "ed", "self_injury": "si",
    },
    "red_flags": {
        "suicidality": "su", "self_harm": "sh", "psychosis": "ps", "severe_eating": "se",
        "unsafe_home": "uh", "danger_to_others": "do", "acute_crisis": "ac",
    },
    "tried": {
        "self_help": "sh", "open_access": "oa", "gp_practice": "gp", "wijkteam": "wt",
        "basic_mh": "bm", "specialist_mh": "sm", "crisis": "cr",
    },
    "context": {
        "debts": "de", "housing": "ho", "parent_mental_health": "pm", "parent_addiction": "pa",
        "divorce_conflict": "dc", "caregiver_overload": "co", "lvb": "lv",
    },
}
_DECODE: dict[str, dict[str, str]] = {k: {c: v for v, c in m.items()} for k, m in _CODES.items()}
#: The link format follows the triage contract's version; older links still open (with a note).
_VERSION = vocab.CONTRACT_VERSION
_FIELDS_V1 = ("age", "concerns", "impact", "duration", "red_flags", "tried", "context", "postcode")
_FIELDS = (*_FIELDS_V1, "for_self")
_FIELDS_BY_VERSION = {"1": _FIELDS_V1, "2": _FIELDS}
_PC = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")
_DIGITS = re.compile(r"[0-9]{1,3}")


def normalise_postcode(text: str | None) -> str:
    """``2035 ab`` → ``2035AB``; anything not shaped like a postcode is returned stripped."""
    text = (text or "").strip()
    m = _PC.match(text)
    if not m:
        return text
    return m.group(1) + (m.group(2) or "").upper()


def is_postcode_shape(text: str | None) -> bool:
    return bool(_PC.match(text or ""))


def encode_answers(answers: Mapping[str, Any]) -> str:
    """The answers as a short URL-safe string (unknown values are left out; postcode as PC4 only)."""
    parts = [_VERSION]
    age = answers.get("age")
    parts.append("" if age is None else str(int(age)))
    parts.append(".".join(_CODES["concerns"][c] for c in answers.get("concerns") or () if c in _CODES["concerns"]))
    impact, duration = answers.get("impact"), answers.get("duration")
    parts.append(str(vocab.IMPACTS.index(impact)) if impact in vocab.IMPACTS else "")
    parts.append(str(vocab.DURATIONS.index(duration)) if duration in vocab.DURATIONS else "")
    for key in ("red_flags", "tried", "context"):
        parts.append(".".join(_CODES[key][v] for v in answers.get(key) or () if v in _CODES[key]))
    postcode = normalise_postcode(answers.get("postcode"))
    parts.append(postcode[:4] if is_postcode_shape(postcode) else "")
    if answers.get("for_self") is True:  # a young adult filling it in for themselves
        parts.append("s")
    return "-".join(parts)


def link_version(text: str) -> str | None:
    """The contract version a route-card link was made with (``"1"``, ``"2"``), None if unknown."""
    head = (text or "").strip().split("-", 1)[0]
    return head if head in _FIELDS_BY_VERSION else None


_LINKISH = re.compile(r"[:/@.\\]")


def _bad_link(lang: str, detail: str) -> InputError:
    # The detail comes from a URL anyone can craft: ``: / @ .`` become ``?`` so it can never be
    # shown as a web address (markdown autolinks ``https://…``, ``www.…`` and e-mail addresses).
    detail = _LINKISH.sub("?", detail)
    return InputError(i18n.t("advisor.error.bad_link", lang, detail=detail), field="a", value=detail)


def decode_answers(text: str, lang: str = "nl") -> dict[str, Any]:
    """Inverse of :func:`encode_answers`; ``InputError`` with a plain message on a broken link.

    Missing answers come back as ``None`` / empty; validation against the contract is
    :func:`socialmap.triage.parse_answers`' job.
    """
    text = (text or "").strip()
    parts = text.split("-")
    fields = _FIELDS_BY_VERSION.get(parts[0])
    if fields is None or len(parts) not in (len(_FIELDS_V1) + 1, len(fields) + 1):
        raise _bad_link(lang, text[:40])
    out = empty_answers()
    age, concerns, impact, duration, red, tried, context, postcode = parts[1:9]
    if len(parts) > 9:
        if parts[9] != "s":
            raise _bad_link(lang, f"for_self={parts[9][:10]}")
        out["for_self"] = True
    if age:
        # ASCII digits only: "²".isdigit() is true but int("²") fails.
        if not _DIGITS.fullmatch(age) or not 0 <= int(age) <= vocab.AGE_MAX_YEARS:
            raise _bad_link(lang, f"age={age[:10]}")
        out["age"] = int(age)
    for key, raw in (("concerns", concerns), ("red_flags", red), ("tried", tried), ("context", context)):
        values = []
        for code in filter(None, raw.split(".")):
            if code not in _DECODE[key]:
                raise _bad_link(lang, f"{key}={code}")
            if _DECODE[key][code] not in values:
                values.append(_DECODE[key][code])
        out[key] = values
    for key, raw, choices in (("impact", impact, vocab.IMPACTS), ("duration", duration, vocab.DURATIONS)):
        if raw:
            if not _DIGITS.fullmatch(raw) or int(raw) >= len(choices):
                raise _bad_link(lang, f"{key}={raw[:10]}")
            out[key] = choices[int(raw)]
    if postcode:
        if not is_postcode_shape(postcode):
            raise _bad_link(lang, f"postcode={postcode}")
        out["postcode"] = normalise_postcode(postcode)
    return out


@dataclass(frozen=True)
class RouteRequest:
    """Everything a route card needs, as carried by its URL."""

    answers: dict[str, Any]
    services: tuple[str, ...] = ()
    override: str | None = None
    reason: str = ""
    lang: str = "nl"
    contract: str = vocab.CONTRACT_VERSION  # the version the link was made with

    @property
    def older_version(self) -> bool:
        return self.contract != vocab.CONTRACT_VERSION


_SERVICE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def route_query(answers: Mapping[str, Any], services: Sequence[str] = (), override: str | None = None,
                reason: str = "", lang: str = "nl") -> dict[str, str]:
    """The query parameters of a route card (``a``, ``s``, ``o``, ``lang``).

    ``reason`` (the professional's free text) is accepted for the callers' convenience but never
    written into the URL: a link or QR code may be shared, the reason stays in the session.
    """
    del reason  # never in the URL
    params = {"a": encode_answers(answers)}
    if services:
        params["s"] = ".".join(services)
    if override and override in vocab.LEVELS:
        params["o"] = override
    if lang != i18n.DEFAULT_LANGUAGE:
        params["lang"] = lang
    return params


def route_url(base: str, params: Mapping[str, str]) -> str:
    """Absolute URL of the route card page for these parameters."""
    return base.rstrip("/") + "/routekaart?" + urlencode(params)


def parse_route_query(params: Mapping[str, Any], lang: str = "nl") -> RouteRequest:
    """Read a route card's query parameters back; ``InputError`` with a plain message.

    A free-text reason (``r``, from older links) is ignored: the reason only comes from the session.
    """
    def one(key: str) -> str:
        value = params.get(key, "")
        if isinstance(value, (list, tuple)):
            value = value[0] if value else ""
        return str(value or "")

    answers = decode_answers(one("a"), lang)
    services = tuple(s for s in one("s").split(".") if s)
    for sid in services:
        if not _SERVICE_ID.match(sid):
            raise _bad_link(lang, f"s={sid[:30]}")
    override = one("o") or None
    if override is not None and override not in vocab.LEVELS:
        raise _bad_link(lang, f"o={override[:30]}")
    req_lang = one("lang") or lang
    if req_lang not in i18n.LANGUAGES:
        req_lang = i18n.DEFAULT_LANGUAGE
    return RouteRequest(answers, services, override, "", req_lang, link_version(one("a")) or vocab.CONTRACT_VERSION)


# ---- advice ----------------------------------------------------------------------------------

#: Neutral values for the engine when a red flag comes before the other answers. Never shown as
#: answers; age 10 keeps principle 8's consultatiebureau (ages 0-4) out of a crisis route.
_CRISIS_FILL: dict[str, Any] = {"age": 10, "concerns": ["behaviour"], "impact": "mild", "duration": "weeks"}


def validate_partial(answers: Mapping[str, Any], rules: Rules | None = None,
                     lang: str = "nl") -> tuple[Answers | None, Advice | None, tuple[str, ...]]:
    """(validated answers, advice, missing question ids) for possibly incomplete answers.

    A red flag needs nothing else: the crisis advice comes with neutral values filled in for the
    engine. Otherwise the advice is None while a required answer is missing. ``InputError`` for
    an invalid value.
    """
    data: dict[str, Any] = {}
    for key, value in answers.items():
        if isinstance(value, tuple):
            value = list(value)
        if value is None or value == "" or value == []:
            continue
        data[key] = value
    missing = tuple(missing_required(data))
    if missing and not data.get("red_flags"):
        return None, None, missing
    full = {**_CRISIS_FILL, **data} if missing else data
    validated = parse_answers(full)
    return validated, advise(validated, rules, lang), missing


def advise_answers(answers: Mapping[str, Any], lang: str = "nl") -> Advice | None:
    """The advice, or None while required answers are missing. A red flag needs nothing else."""
    data = {k: answers.get(k) for k in ("age", "concerns", "impact", "duration", "red_flags", "tried", "context",
                                        "for_self")}
    return validate_partial(data, lang=lang)[1]


def resolve_area(atlas: Atlas, postcode: str | None, lang: str = "nl") -> Area | None:
    """The area of a postcode; ``InputError`` with a plain message naming the value and what is allowed."""
    text = (postcode or "").strip()
    if not text:
        return None
    if not is_postcode_shape(text):
        raise InputError(i18n.t("advisor.error.postcode_format", lang, value=text), field="postcode", value=text)
    pc4 = normalise_postcode(text)[:4]
    if pc4 not in atlas.postcodes.index:
        names = ", ".join(m.name for m in atlas.region.municipalities)
        raise InputError(
            i18n.t("advisor.error.postcode_outside", lang, value=text, region=atlas.region.name, places=names,
                   ranges=postcode_ranges(atlas.postcodes.index)),
            field="postcode", value=text)
    return atlas.resolve_postcode(pc4)


def postcode_ranges(codes: Sequence[str]) -> str:
    """Known PC4s as short ranges: ``2011-2015, 2019, 2021-2026``."""
    numbers = sorted({int(c) for c in codes if str(c).isdigit()})
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def fallback_area(atlas: Atlas) -> Area:
    """The region's first municipality: used to list crisis services without a postcode."""
    return atlas.area(atlas.region.municipalities[0].code)


def local_services(atlas: Atlas, area: Area, level: str, also: Sequence[str], age: int | None,
                   concerns: Sequence[str], now: dt.datetime | None = None,
                   limit: int = MAX_SERVICES) -> list[Match]:
    """3-5 services: the (chosen) level first, then one or two of the levels in ``also``."""
    main = match(atlas, area, [level], age, concerns, now=now, limit=limit)
    extra: list[Match] = []
    for other in also:
        if other != level:
            extra.extend(match(atlas, area, [other], age, concerns, now=now, limit=2))
    keep_main = max(limit - min(len(extra), 2), 3)
    out = main[:keep_main]
    out.extend(extra[: max(limit - len(out), 0)])
    return out


def waiting_text(weeks: int | None, lang: str = "nl") -> str:
    """The waiting time of a service in words, the same on screen, in print and in the PDF."""
    if weeks is None:
        return i18n.t("advisor.card.waiting_unknown", lang)
    if weeks == 0:
        return i18n.t("advisor.card.waiting_none", lang)
    return i18n.t("advisor.card.waiting_one" if weeks == 1 else "advisor.card.waiting", lang, weeks=weeks)


def bridging_needed(waits: Sequence[int | None]) -> bool:
    """True when the quickest known option waits longer than ``BRIDGE_WEEKS`` weeks."""
    known = [w for w in waits if w is not None]
    return bool(known) and min(known) > BRIDGE_WEEKS


def todo_text(level: str, lang: str = "nl") -> str:
    """What to do now at a level ("U kunt zelf bellen of langsgaan", "Via uw huisarts", ...)."""
    return i18n.t(f"advisor.todo.{level}", lang)


# ---- service cards ---------------------------------------------------------------------------

def _age_text(lo: Any, hi: Any, lang: str) -> str:
    def months(v: Any) -> int | None:
        try:
            if v is None or v != v:  # NaN / NA
                return None
            return int(v)
        except (TypeError, ValueError):
            return None

    lo_m, hi_m = months(lo), months(hi)
    if lo_m is None and hi_m is None:
        return i18n.t("advisor.card.ages_all", lang)
    lo_m = lo_m or 0
    if hi_m is not None and hi_m < 24:
        return i18n.t("advisor.card.ages_months", lang, lo=lo_m, hi=hi_m)
    hi_y = vocab.AGE_MAX_YEARS if hi_m is None else hi_m // 12
    return i18n.t("advisor.card.ages_years", lang, lo=lo_m // 12, hi=hi_y)


def _day_list(days: list[str], lang: str) -> str:
    """``mo, tu, we, th, fr`` → ``ma-vr``; gaps listed: ``ma, wo``; all seven → ``elke dag``."""
    if len(days) == 7:
        return i18n.t("advisor.day.all", lang)
    idx = sorted(vocab.WEEKDAYS.index(d) for d in days)
    runs: list[list[int]] = []
    for i in idx:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    name = lambda i: i18n.t(f"advisor.day.{vocab.WEEKDAYS[i]}", lang)  # noqa: E731
    parts = [f"{name(r[0])}-{name(r[-1])}" if len(r) >= 3 else ", ".join(name(i) for i in r) for r in runs]
    return ", ".join(parts)


def _union(spans: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Overlapping or touching time spans merged (``17:00-23:00`` + ``17:00-24:00`` → ``17:00-24:00``)."""
    def minutes(text: str) -> int:
        return int(text[:2]) * 60 + int(text[3:5]) if len(text) >= 5 and text[2] == ":" else -1
    clean = sorted((minutes(a), minutes(b), a, b) for a, b in spans)
    merged: list[list] = []
    for lo, hi, a, b in clean:
        if lo < 0 or hi < 0 or hi <= lo:  # unknown or past midnight: keep as it is
            merged.append([lo, hi, a, b])
        elif merged and merged[-1][0] >= 0 and merged[-1][1] > merged[-1][0] and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1][1], merged[-1][3] = hi, b
        else:
            merged.append([lo, hi, a, b])
    return tuple((a, b) for _, _, a, b in merged)


def _hours(atlas: Atlas, service_id: str, lang: str) -> tuple[str, ...]:
    """Opening and walk-in hours as short lines: ``ma-vr 08:30-17:00``, ``Inloop: wo 09:00-11:00``."""
    sched = atlas.schedules
    if not len(sched):
        return ()
    rows = sched[sched["service_id"] == service_id]
    if not len(rows):
        return ()
    per_day: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for row in rows.to_dict("records"):
        if row.get("weekday") not in vocab.WEEKDAYS:
            continue
        kind = str(row.get("kind") or "open")
        per_day.setdefault((kind, row["weekday"]), []).append((str(row.get("opens")), str(row.get("closes"))))
    groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[str]] = {}
    for (kind, day), spans in per_day.items():
        groups.setdefault((kind, _union(spans)), []).append(day)
    out = []
    order = sorted(groups.items(), key=lambda kv: (kv[0][0] != "open", min(vocab.WEEKDAYS.index(d) for d in kv[1])))
    for (kind, spans), days in order:
        if len(days) == 7 and spans == (("00:00", "24:00"),):
            out.append(i18n.t("advisor.card.always", lang))
            continue
        times = " + ".join(i18n.t("advisor.card.day_and_night", lang) if span == ("00:00", "24:00")
                           else f"{span[0]}-{span[1]}" for span in spans)
        prefix = i18n.t("advisor.card.walk_in_prefix", lang) if kind == "walk_in" else ""
        out.append(f"{prefix}{_day_list(days, lang)} {times}")
    return tuple(out)


def _text(value: Any) -> str:
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except (TypeError, ValueError):
        pass
    text = str(value)
    return "" if text in ("<NA>", "nan", "None", "NaT") else text


@dataclass(frozen=True)
class ServiceCard:
    id: str
    name: str
    description: str
    organization: str
    level: str
    access_route: str
    ages: str
    phone: str
    tel: str
    email: str
    url: str
    address: str
    hours: tuple[str, ...]
    open_now: bool | None
    walk_in_today: bool
    waiting_weeks: int | None
    distance_km: float | None
    verified_at: str
    status: str


@per_atlas
def _cards(atlas: Atlas) -> dict[tuple[str, str], ServiceCard]:
    """Service cards without a match's facts, per (service id, language): built once per atlas."""
    return {}


def service_card(atlas: Atlas, service_id: str, lang: str = "nl", found: Match | None = None) -> ServiceCard:
    """The facts a card shows for one service (from the atlas, plus a match's distance and times)."""
    cache = _cards(atlas)
    card = cache.get((service_id, lang))
    if card is None:
        card = cache[(service_id, lang)] = _service_card(atlas, service_id, lang)
    if found is None:
        return card
    distance = None if found.distance_m is None else round(found.distance_m / 1000.0, 1)
    return dataclasses.replace(card, open_now=found.open_now, walk_in_today=found.walk_in_today,
                               waiting_weeks=found.waiting_weeks, distance_km=distance)


def _service_card(atlas: Atlas, service_id: str, lang: str) -> ServiceCard:
    row = atlas.services.loc[service_id]
    org = ""
    if row["organization_id"] in atlas.organizations.index:
        org = _text(atlas.organizations.at[row["organization_id"], "name"])
    address = ""
    sal = atlas.service_at_location
    loc_ids = list(sal.loc[sal["service_id"] == service_id, "location_id"]) if len(sal) else []
    if loc_ids and loc_ids[0] in atlas.locations.index:
        loc = atlas.locations.loc[loc_ids[0]]
        address = ", ".join(p for p in (_text(loc["address"]), _text(loc["postcode"]), _text(loc["city"])) if p)
        if len(loc_ids) > 1:
            address += " " + i18n.t("advisor.card.more_locations", lang, n=len(loc_ids) - 1)
    phone = _text(row["phone"])
    waiting = None if _text(row["waiting_weeks"]) == "" else int(row["waiting_weeks"])
    verified = row["verified_at"]
    return ServiceCard(
        id=service_id, name=_text(row["name"]), description=_text(row["description"]), organization=org,
        level=str(row["level"]), access_route=_text(row["access_route"]),
        ages=_age_text(row["age_min_months"], row["age_max_months"], lang),
        phone=phone, tel="".join(ch for ch in phone if ch in "0123456789"), email=_text(row["email"]),
        url=_text(row["url"]), address=address, hours=_hours(atlas, service_id, lang),
        open_now=None, walk_in_today=False, waiting_weeks=waiting, distance_km=None,
        verified_at=verified.isoformat() if hasattr(verified, "isoformat") else _text(verified),
        status=_text(row["status"]) or "to_verify",
    )


# ---- the route card --------------------------------------------------------------------------

@dataclass(frozen=True)
class RouteCard:
    """Everything on the parent's route card. Built in memory per request; never stored."""

    lang: str
    engine_level: str
    level: str  # the level the route follows (the professional's choice when given)
    override_reason: str
    also: tuple[str, ...]
    next_step: str | None
    reasons: tuple[str, ...]
    area_name: str
    services: tuple[ServiceCard, ...]
    bridging: bool
    crisis_lines: tuple[tuple[str, str], ...]
    url: str
    created: str
    notes: str = ""
    red_flags: tuple[str, ...] = field(default=())
    urgency: str = ""
    urgency_text: str = ""  # "vandaag", "geen haast: maak een afspraak", ...
    title: str = ""  # what to do, as an action
    safety_net_title: str = ""
    safety_net: str = ""  # when to call sooner
    bridging_text: str = ""
    version_note: str = ""  # the link was made with an earlier version of the contract
    audience: str = "child"

    @property
    def overridden(self) -> bool:
        return self.level != self.engine_level


def build_route_card(atlas: Atlas, request: RouteRequest, url: str,
                     crisis_lines: Sequence[tuple[str, str]], now: dt.datetime | None = None,
                     demo: bool = False) -> RouteCard:
    """The route card for a request (``InputError`` for incomplete answers or a bad postcode).

    A thin wrapper over :func:`socialmap.route.route`: the same advice, pre-pick and texts as the
    result page. Illustrative records never go on the card outside demo mode.
    """
    from .route import route  # route builds on this module

    lang = request.lang
    result = route(atlas, request.answers, lang, override=request.override, now=now, demo=demo,
                   older_version=request.older_version, limit=50)
    if not result.ready or result.advice is None or result.level is None:
        raise _bad_link(lang, ", ".join(result.missing))
    advice, level = result.advice, result.level
    found = {o.id: o for o in result.options}
    if request.services:
        ids = []
        for sid in request.services:
            if sid not in atlas.services.index or sid in ids:
                continue
            option = found.get(sid)
            status = option.card.status if option is not None else _text(atlas.services.at[sid, "status"])
            if status != "illustrative" or demo:
                ids.append(sid)
        cards = tuple(found[sid].card if sid in found else service_card(atlas, sid, lang) for sid in ids)
    else:
        cards = tuple(found[sid].card for sid in result.picked if sid in found)
    when = schedule_date(now)
    return RouteCard(
        lang=lang, engine_level=advice.level, level=level,
        override_reason=request.reason if level != advice.level else "",
        also=advice.also, next_step=advice.next_step if level == advice.level else _next_of(level),
        reasons=advice.reasons, area_name=result.area_label, services=cards,
        bridging=result.bridging, crisis_lines=tuple(crisis_lines), url=url, created=when,
        red_flags=tuple(request.answers.get("red_flags") or ()),
        urgency=result.urgency or "", urgency_text=result.urgency_text, title=result.title,
        safety_net_title=result.safety_net_title, safety_net=result.safety_net, bridging_text=result.bridging_text,
        version_note=result.note, audience=result.audience,
    )


def schedule_date(now: dt.datetime | None) -> str:
    """Today's date (ISO) in the region's time zone, or the date of ``now``."""
    from .schedule import local_now

    return local_now(now).date().isoformat()


def _next_of(level: str) -> str | None:
    """Where to go next from a level, per the route rules."""
    return default_rules().next_step.get(level)


__all__ = [
    "Question", "QUESTIONS", "QUESTION_BY_ID", "REQUIRED", "MODES", "BRIDGE_WEEKS", "RouteRequest",
    "RouteCard", "ServiceCard", "empty_answers", "missing_required", "encode_answers", "decode_answers",
    "route_query", "route_url", "parse_route_query", "advise_answers", "validate_partial", "link_version", "resolve_area", "fallback_area",
    "local_services", "bridging_needed", "todo_text", "service_card", "build_route_card",
    "normalise_postcode",
]
