"""One call from answers to everything a result shows: :func:`route` returns a :class:`Route`.

The Hulpwijzer page, the route card, the PDF, the command line and the HTTP API render this one
object, so they cannot disagree. A Route holds the advice (triage contract v2), the area and an
honest name for it, one lane of local services per level (the advised level, each level in
``also`` and, on a red flag, the crisis lane), the crisis contacts with their numbers, the
urgency in words, a title that says what to do, the "what to do now" texts, the safety-net text,
bridging advice (from real records' waiting times only) and the route-card link.

Ordering (contract): real records (verified, to_verify) before illustrative ones; within each,
services that serve the area first, then nearest, then shortest waiting (``matching.match``);
the crisis lane follows the order of the advice's ``contacts``.

Pre-pick: at least one real service per lane, plus the services the routing data
(``data/rules/routing.yaml``, or a region's own ``routing.yaml``) names for an answer (debts: debt
help; unsafe home: Veilig Thuis). Illustrative records are never selectable or pre-picked,
except in demo mode.

Nothing here stores or logs the answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, Sequence

import yaml

from . import advisor, i18n, schedule, vocab
from .errors import DataError, InputError
from .matching import Match, match
from .model import Area, Atlas
from .rules import REPO_ROOT, Rules, load_rules
from .triage import Advice, Answers

DEFAULT_ROUTING = REPO_ROOT / "data" / "rules" / "routing.yaml"
REGION_ROUTING_FILE = "routing.yaml"
#: Options shown per lane (the CLI may ask for more).
PER_LANE = 5
#: Services pre-picked on the route card when the answers do not call for more.
MIN_PICKED = 3
#: A PC4 whose largest buurt holds at least this share is named after that buurt.
BUURT_SHARE = 0.9
_ANSWER_KEYS = ("age", "concerns", "impact", "duration", "red_flags", "tried", "context", "postcode", "area_code",
                "for_self")


# ---- the result ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    """One service in a lane."""

    card: advisor.ServiceCard
    serves_area: bool
    distance_km: float | None
    real: bool  # verified or to_verify; False for illustrative records
    selectable: bool  # may go on the route card (never an illustrative record outside demo mode)
    not_selectable_reason: str  # shown when not selectable
    preselected: bool
    match: Match | None = None

    @property
    def id(self) -> str:
        return self.card.id

    def to_contract(self) -> dict[str, Any]:
        """A ``services`` item of the triage contract."""
        return {"id": self.card.id, "name": self.card.name, "level": self.card.level,
                "distance_km": self.distance_km, "waiting_weeks": self.card.waiting_weeks}


@dataclass(frozen=True)
class Lane:
    """The services of one level: ``role`` is ``advice``, ``also`` or ``crisis``."""

    level: str
    role: str
    title: str
    options: tuple[Option, ...]
    empty_text: str  # non-empty when the lane has no real service (or no place was given)

    @property
    def real_options(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.real)


@dataclass(frozen=True)
class ContactLine:
    """One number to call for a contact (``huisarts_today`` has two: the own GP and the huisartsenpost)."""

    label: str
    number: str  # as shown; empty when not known (then ``label`` says whom to call)
    tel: str  # digits for a tel: link; empty when not known
    applies_now: bool  # the one to call at the time of the result


@dataclass(frozen=True)
class Contact:
    """A crisis contact of the advice (``112``, ``113``, ``huisarts_today``, ``veilig_thuis``)."""

    id: str
    label: str
    lines: tuple[ContactLine, ...]
    service_ids: tuple[str, ...]

    @property
    def number(self) -> str:
        """The number to call now (the first line that applies)."""
        for line in self.lines:
            if line.applies_now and line.number:
                return line.number
        return next((line.number for line in self.lines if line.number), "")


@dataclass(frozen=True)
class Route:
    """Everything a result shows, in the user's language. Built per request; never stored."""

    contract: str
    lang: str
    ready: bool  # False while required answers are missing (and there is no red flag)
    missing: tuple[str, ...]  # question ids still needed (empty when ready)
    missing_text: str
    answers: Answers | None  # the validated answers (None while not ready)
    advice: Advice | None  # the engine's advice (None while not ready)
    level: str | None  # the level the route follows: the advice, or the professional's override
    override: str | None
    audience: str  # vocab.AUDIENCES
    region_id: str
    region_name: str
    area: Area | None
    area_label: str
    lanes: tuple[Lane, ...]
    contacts: tuple[Contact, ...]
    urgency: str | None
    urgency_text: str
    title: str
    todo: tuple[str, ...]
    safety_net_title: str
    safety_net: str
    bridging: bool
    bridging_text: str
    picked: tuple[str, ...]  # service ids on the route card (selectable only)
    query: Mapping[str, str]
    url: str
    note: str  # e.g. the link was made with an earlier version
    illustrative_share: tuple[int, int]  # (illustrative options, all options) over the lanes
    demo: bool
    own_practice: str | None = None
    created: str = ""
    reasons: tuple[str, ...] = field(default=())
    override_reason: str = ""  # the professional's reason: shown in the session, never in the link

    @property
    def red_flag(self) -> bool:
        return self.advice is not None and self.advice.level == "crisis"

    @property
    def options(self) -> tuple[Option, ...]:
        return tuple(o for lane in self.lanes for o in lane.options)

    def picked_options(self) -> tuple[Option, ...]:
        """The options on the route card, each once, in lane order."""
        by_id = {o.id: o for o in self.options}
        return tuple(by_id[i] for i in self.picked if i in by_id)

    def to_contract(self) -> dict[str, Any]:
        """Exactly the triage contract's output object (``area`` and ``services`` with a place)."""
        if self.advice is None:
            raise InputError(self.missing_text, field=self.missing[0] if self.missing else None)
        out = self.advice.to_dict()
        if self.area is not None:
            out["area"] = self.area.as_contract()
            services: list[dict[str, Any]] = []
            seen: set[str] = set()
            for lane in self.lanes:
                for option in lane.options:
                    if option.id not in seen:
                        seen.add(option.id)
                        services.append(option.to_contract())
            out["services"] = services
        return out


# ---- routing data ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Routing:
    contacts: Mapping[str, Mapping[str, Any]]
    office_days: tuple[str, ...]
    office_opens: int
    office_closes: int
    prepick_context: Mapping[str, tuple[str, ...]]
    prepick_red_flags: Mapping[str, tuple[str, ...]]
    red_flag_concerns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def routing_path(region_path: Path | str | None = None) -> Path:
    if region_path is not None:
        candidate = Path(region_path) / REGION_ROUTING_FILE
        if candidate.is_file():
            return candidate
    return DEFAULT_ROUTING


def load_routing(region_path: Path | str | None = None) -> Routing:
    path = routing_path(region_path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise DataError(f"{path}: routing file not found") from None
    return _routing_cached(str(path), stamp)


@lru_cache(maxsize=16)
def _routing_cached(path: str, _stamp: int) -> Routing:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: cannot be read ({type(exc).__name__})") from None
    errors: list[str] = []
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a mapping with keys contacts, office_hours, prepick")
    contacts: dict[str, Mapping[str, Any]] = {}
    raw = data.get("contacts") if isinstance(data.get("contacts"), dict) else {}
    for cid in vocab.CONTACTS:
        row = raw.get(cid)
        if not isinstance(row, dict):
            errors.append(f"{path}: contacts.{cid} is missing (expected number, tel and services)")
            continue
        services = row.get("services") or []
        if not isinstance(services, list) or not all(isinstance(s, str) for s in services):
            errors.append(f"{path}: contacts.{cid}.services is not a list of service ids")
            services = []
        contacts[cid] = MappingProxyType({"number": str(row.get("number") or ""), "tel": str(row.get("tel") or ""),
                                          "services": tuple(services)})
    for cid in raw:
        if cid not in vocab.CONTACTS:
            errors.append(f"{path}: contacts.{cid} is not a contact (allowed: {', '.join(vocab.CONTACTS)})")
    office = data.get("office_hours") if isinstance(data.get("office_hours"), dict) else {}
    days = office.get("weekdays") or []
    if not isinstance(days, list) or any(d not in vocab.WEEKDAYS for d in days):
        errors.append(f"{path}: office_hours.weekdays {days!r} is not allowed (expected a list of: "
                      f"{', '.join(vocab.WEEKDAYS)})")
        days = []
    opens, closes = schedule.minutes(office.get("opens")), schedule.minutes(office.get("closes"))
    if opens is None or closes is None or closes <= opens:
        errors.append(f"{path}: office_hours.opens/closes must be times HH:MM with opens before closes")
        opens, closes = 8 * 60, 17 * 60
    prepick = data.get("prepick") if isinstance(data.get("prepick"), dict) else {}
    tables: dict[str, dict[str, tuple[str, ...]]] = {}
    for key, choices in (("context", vocab.CONTEXTS), ("red_flags", vocab.RED_FLAGS)):
        table = prepick.get(key) or {}
        tables[key] = {}
        if not isinstance(table, dict):
            errors.append(f"{path}: prepick.{key} is not a mapping")
            continue
        for answer, ids in table.items():
            if answer not in choices:
                errors.append(f"{path}: prepick.{key}.{answer} is not allowed (allowed: {', '.join(choices)})")
            elif not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                errors.append(f"{path}: prepick.{key}.{answer} is not a list of service ids")
            else:
                tables[key][answer] = tuple(ids)
    flag_concerns: dict[str, tuple[str, ...]] = {}
    raw_fc = data.get("red_flag_concerns") or {}
    if not isinstance(raw_fc, dict):
        errors.append(f"{path}: red_flag_concerns is not a mapping")
        raw_fc = {}
    for flag, concerns in raw_fc.items():
        if flag not in vocab.RED_FLAGS:
            errors.append(f"{path}: red_flag_concerns.{flag} is not allowed (allowed: {', '.join(vocab.RED_FLAGS)})")
        elif not isinstance(concerns, list) or any(c not in vocab.CONCERNS for c in concerns):
            errors.append(f"{path}: red_flag_concerns.{flag} {concerns!r} is not allowed (expected a list of: "
                          f"{', '.join(vocab.CONCERNS)})")
        else:
            flag_concerns[flag] = tuple(concerns)
    if errors:
        raise DataError(errors)
    return Routing(MappingProxyType(contacts), tuple(days), opens, closes,
                   MappingProxyType(tables["context"]), MappingProxyType(tables["red_flags"]),
                   MappingProxyType(flag_concerns))


# ---- texts -----------------------------------------------------------------------------------

_AUDIENCE_FALLBACK = {
    "young_adult_self": ("young_adult_self", "young_adult", "child"),
    "young_adult": ("young_adult", "child"),
    "child": ("child",),
}


def audience_text(base: str, key: str, lang: str, audience: str, **fmt: Any) -> str:
    """``triage.route.<base>.<audience>.<key>``, falling back self → young adult → child."""
    for aud in _AUDIENCE_FALLBACK.get(audience, ("child",)):
        full = f"triage.route.{base}.{aud}" + (f".{key}" if key else "")
        if i18n.has(full, lang) or i18n.has(full):
            return i18n.t(full, lang, **fmt)
    return i18n.t(f"triage.route.{base}.child" + (f".{key}" if key else ""), lang, **fmt)


def level_label(level: str, lang: str, audience: str = "child") -> str:
    """A level's name in the user's terms (the adult terms from 18)."""
    kind = "level" if audience == "child" else "level_adult"
    return i18n.label(kind, level, lang)


def short_name(level: str, lang: str, audience: str, young: bool = False) -> str:
    """A level as a place or person in a sentence: "het consultatiebureau", "de huisarts of de POH-GGZ"."""
    key = "open_access_young" if young and level == "open_access" and audience == "child" else level
    return audience_text("short", key, lang, audience)


def _young(answers: Mapping[str, Any]) -> bool:
    age = answers.get("age")
    return isinstance(age, int) and not isinstance(age, bool) and age <= 4


def lane_title(level: str, lang: str, audience: str, young: bool = False) -> str:
    key = "open_access_young" if young and level == "open_access" and audience == "child" else level
    return audience_text("lane", key, lang, audience)


def route_title(advice: Advice, level: str, lang: str, audience: str, young: bool = False) -> str:
    """What to do, as an action (B1)."""
    if level == "crisis":
        first = advice.contacts[0] if advice.contacts else "112"
        return i18n.t(f"triage.route.crisis_title.{first}", lang)
    key = "open_access_young" if young and level == "open_access" and audience == "child" else level
    return audience_text("title", key, lang, audience)


def join_words(words: Sequence[str], lang: str) -> str:
    """``a``, ``a en b``, ``a, b en c``."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {i18n.t('triage.list_and', lang)} " + words[-1]


def urgency_text(urgency: str | None, lang: str) -> str:
    return i18n.t(f"triage.route.urgency.{urgency}", lang) if urgency in vocab.URGENCIES else ""


# ---- building the route ----------------------------------------------------------------------

def _audience(answers: Mapping[str, Any]) -> str:
    age = answers.get("age")
    if not isinstance(age, int) or isinstance(age, bool) or age < vocab.ADULT_AGE:
        return "child"
    return "young_adult_self" if answers.get("for_self") is True else "young_adult"


def _plain(answers: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in _ANSWER_KEYS:
        value = answers.get(key)
        if isinstance(value, tuple):
            value = list(value)
        if value is None or value == "" or value == []:
            continue
        out[key] = value
    return out


def _in_office_hours(routing: Routing, now: dt.datetime | None) -> bool:
    local = schedule.local_now(now)
    day = vocab.WEEKDAYS[local.weekday()]
    minute = local.hour * 60 + local.minute
    return day in routing.office_days and routing.office_opens <= minute < routing.office_closes


def _phone(atlas: Atlas | None, service_id: str | None) -> str:
    if atlas is None or not service_id or service_id not in atlas.services.index:
        return ""
    return advisor._text(atlas.services.at[service_id, "phone"])  # noqa: SLF001 - shared text helper


def _own_gp_phone(atlas: Atlas | None, practice_id: str | None) -> str:
    if atlas is None or not practice_id or practice_id not in atlas.gp_practices.index:
        return ""
    gp = atlas.gp_practices
    if not practice_id or practice_id not in gp.index:
        return ""
    org = gp.at[practice_id, "organization_id"]
    if org in atlas.organizations.index:
        return advisor._text(atlas.organizations.at[org, "phone"])  # noqa: SLF001
    return ""


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch in "0123456789")


def build_contacts(atlas: Atlas | None, advice: Advice, routing: Routing, lang: str, own_practice: str | None,
                   now: dt.datetime | None) -> tuple[Contact, ...]:
    """The advice's contacts with their numbers, in the advice's order."""
    out: list[Contact] = []
    office = _in_office_hours(routing, now)
    hap_id = atlas.region.huisartsenpost_service_id if atlas is not None else None
    known = atlas.services.index if atlas is not None else ()
    for cid in advice.contacts:
        row = routing.contacts.get(cid, {})
        label = i18n.label("contact", cid, lang)
        services = tuple(s for s in row.get("services", ()) if s in known)
        if cid == "huisarts_today":
            own = _own_gp_phone(atlas, own_practice)
            hap = _phone(atlas, hap_id)
            own_line = ContactLine(i18n.t("triage.route.contact.own_gp", lang),
                                   own, _digits(own), office)
            hap_line = ContactLine(i18n.t("triage.route.contact.huisartsenpost", lang), hap, _digits(hap), not office)
            lines = (own_line, hap_line) if office else (hap_line, own_line)
            if hap_id and hap_id in known:
                services = (*services, hap_id)
        else:
            number = str(row.get("number") or "")
            lines = (ContactLine(label, number, str(row.get("tel") or _digits(number)), True),)
        out.append(Contact(cid, label, lines, services))
    return tuple(out)


def _options(atlas: Atlas, matches: Sequence[Match], lang: str, demo: bool) -> list[Option]:
    out = []
    for m in matches:
        card = advisor.service_card(atlas, m.service_id, lang, m)
        real = card.status != "illustrative"
        selectable = real or demo
        reason = "" if real else i18n.t("triage.route.demo" if demo else "triage.route.illustrative", lang)
        out.append(Option(card, m.serves_area, card.distance_km, real, selectable, reason, False, m))
    return out


def _extra_option(atlas: Atlas, service_id: str, lang: str, demo: bool) -> Option:
    card = advisor.service_card(atlas, service_id, lang)
    real = card.status != "illustrative"
    reason = "" if real else i18n.t("triage.route.demo" if demo else "triage.route.illustrative", lang)
    return Option(card, False, None, real, real or demo, reason, False, None)


def _crisis_order(options: list[Option], contacts: Sequence[Contact]) -> list[Option]:
    """The crisis lane in the order of the contacts, then the other crisis services as matched."""
    rank: dict[str, int] = {}
    for i, contact in enumerate(contacts):
        for sid in contact.service_ids:
            rank.setdefault(sid, i)
    first = sorted((o for o in options if o.id in rank), key=lambda o: rank[o.id])
    return first + [o for o in options if o.id not in rank]


def _lane_options(atlas: Atlas, area: Area, level: str, age: int | None, concerns: Sequence[str],
                  contacts: Sequence[Contact], lang: str, demo: bool, now: dt.datetime | None,
                  limit: int | None) -> list[Option]:
    """One lane's options; the crisis lane in the order of the contacts, whatever the concerns."""
    if level != "crisis":
        return _options(atlas, match(atlas, area, [level], age, concerns, now=now, limit=limit), lang, demo)
    options = _options(atlas, match(atlas, area, [level], age, (), now=now), lang, demo)
    # contact services the matching left out (e.g. outside the age range) still come first
    present = {o.id for o in options}
    extra = [_extra_option(atlas, sid, lang, demo) for c in contacts for sid in c.service_ids if sid not in present]
    options = _crisis_order(options + extra, contacts)
    if limit is not None:
        for_contacts = sum(1 for o in options if any(o.id in c.service_ids for c in contacts))
        options = options[:max(limit, for_contacts)]
    return options


def _wanted(atlas: Atlas | None, answers: Answers, routing: Routing) -> dict[str, str]:
    """Services the routing data names for these answers (debts: debt help; unsafe home: Veilig
    Thuis), each with the lane it joins when no lane has its level."""
    wanted: dict[str, str] = {}
    for ctx in answers.context:  # principle 8: a context stressor always brings the wijkteam in
        wanted.update({sid: "wijkteam" for sid in routing.prepick_context.get(ctx, ()) if sid not in wanted})
    for flag in answers.red_flags:
        wanted.update({sid: "crisis" for sid in routing.prepick_red_flags.get(flag, ()) if sid not in wanted})
    if atlas is None:
        return {}
    return {sid: home for sid, home in wanted.items() if sid in atlas.services.index}


def _add_wanted(atlas: Atlas, lanes: list[Lane], wanted: Mapping[str, str], lang: str, demo: bool) -> list[Lane]:
    """Named services the matching left out join their lane, after its real records."""
    lanes = list(lanes)
    for sid, home in wanted.items():
        if any(o.id == sid for lane in lanes for o in lane.options):
            continue
        svc_level = str(atlas.services.at[sid, "level"])
        target = next((i for i, lane in enumerate(lanes) if lane.level == svc_level),
                      next((i for i, lane in enumerate(lanes) if lane.level == home), None))
        if target is None:
            continue
        lane = lanes[target]
        extra = _extra_option(atlas, sid, lang, demo)
        real = [o for o in lane.options if o.real]
        rest = [o for o in lane.options if not o.real]
        options = (*real, extra, *rest) if extra.real else (*real, *rest, extra)
        lanes[target] = Lane(lane.level, lane.role, lane.title, options, lane.empty_text)
    return lanes


def _todo(advice: Advice, level: str, rules: Rules, lang: str, audience: str, young: bool) -> tuple[str, ...]:
    """What to do now: how to get to the level, who else to ask, and the next step."""
    todo = [audience_text("todo", level, lang, audience)]
    also_levels = [lvl for lvl in advice.also if lvl != level]
    if also_levels:
        names = join_words([short_name(x, lang, audience, young) for x in also_levels], lang)
        todo.append(i18n.t("triage.route.also", lang, levels=names))
    next_step = advice.next_step if level == advice.level else rules.next_step.get(level)
    if next_step:
        todo.append(i18n.t("triage.route.next_step", lang, level=short_name(next_step, lang, audience, young)))
    return tuple(todo)


def route(atlas: Atlas | None, answers: Mapping[str, Any], lang: str = "nl", *, own_practice: str | None = None,
          picked: Sequence[str] | None = None, override: str | None = None, base_url: str | None = None,
          demo: bool = False, now: dt.datetime | None = None, limit: int | None = PER_LANE,
          rules: Rules | None = None, older_version: bool = False, override_reason: str = "") -> Route:
    """Everything a result shows for these answers (possibly incomplete; see :class:`Route`).

    ``answers`` uses the contract's keys (plus the optional ``for_self``); ``picked`` are the
    service ids the user ticked (None: pre-pick); ``override`` a professional's level; ``demo``
    lets illustrative records be picked (the UI marks demo mode). ``InputError`` for invalid
    answers or a postcode outside the region. Without an atlas (``None``: the command line for
    answers without a place) the route has the advice and its texts but no area, services or
    regional numbers.
    """
    if lang not in i18n.LANGUAGES:
        lang = i18n.DEFAULT_LANGUAGE
    region_path = atlas.region.path if atlas is not None else None
    rules = rules or load_rules(region_path)
    routing = load_routing(region_path)
    data = _plain(answers)
    audience = _audience(data)
    area: Area | None = None
    area_label = ""
    if atlas is not None and data.get("postcode") and not data.get("area_code"):
        # first, so that a wrong postcode gets the plain message in the user's language
        area = advisor.resolve_area(atlas, str(data["postcode"]), lang)
        area_label = honest_area_label(atlas, str(data["postcode"]))
    validated, advice, missing = advisor.validate_partial(data, rules, lang)
    note = i18n.t("triage.route.older_version", lang) if older_version else ""
    query = advisor.route_query(data, tuple(picked or ()), override, lang=lang)
    url = advisor.route_url(base_url, query) if base_url else ""
    created = schedule.local_now(now).date().isoformat()
    missing_text = ""
    if missing:
        questions = ", ".join(i18n.t(f"advisor.q.{q}.short", lang) for q in missing)
        missing_text = i18n.t("triage.route.missing", lang, questions=questions)
    if atlas is not None and validated is not None and validated.area_code:
        area = atlas.area(validated.area_code)
        area_label = f"{area.name} ({area.municipality_name})" if area.kind != "gemeente" else area.name
    region_id = atlas.region.id if atlas is not None else ""
    region_name = atlas.region.name if atlas is not None else ""
    safety_title = i18n.t("triage.route.safety_net_title", lang)
    safety = audience_text("safety_net", "", lang, audience)
    if advice is None or validated is None:
        return Route(
            contract=vocab.CONTRACT_VERSION, lang=lang, ready=False, missing=missing, missing_text=missing_text,
            answers=None, advice=None, level=None, override=None, audience=audience, region_id=region_id,
            region_name=region_name, area=area, area_label=area_label, lanes=(), contacts=(), urgency=None,
            urgency_text="", title="", todo=(), safety_net_title=safety_title, safety_net=safety, bridging=False,
            bridging_text="", picked=(), query=MappingProxyType(query), url=url, note=note,
            illustrative_share=(0, 0), demo=demo, own_practice=own_practice, created=created,
        )

    level = advice.level
    if override and override in vocab.LADDER and advice.level != "crisis":
        level = override
    young = _young(data)
    contacts = build_contacts(atlas, advice, routing, lang, own_practice, now)
    search_area = area or (advisor.fallback_area(atlas) if level == "crisis" and atlas is not None else None)
    age = validated.age if "age" in data else None
    concerns: tuple[str, ...] = validated.concerns if "concerns" in data else ()
    if validated.red_flags:  # the treatment route after the crisis contact fits the flag
        for flag in validated.red_flags:
            concerns += tuple(c for c in routing.red_flag_concerns.get(flag, ()) if c not in concerns)

    lane_specs: list[tuple[str, str]] = [(level, "crisis" if level == "crisis" else "advice")]
    lane_specs += [(lvl, "also") for lvl in advice.also if lvl != level]
    lanes: list[Lane] = []
    for lvl, role in lane_specs:
        options: list[Option] = []
        if search_area is not None and atlas is not None:
            options = _lane_options(atlas, search_area, lvl, age, concerns, contacts, lang, demo, now, limit)
        lanes.append(Lane(lvl, role, lane_title(lvl, lang, audience, young), tuple(options), ""))
    wanted = _wanted(atlas, validated, routing)
    if search_area is not None and atlas is not None:
        lanes = _add_wanted(atlas, lanes, wanted, lang, demo)

    specific = frozenset(sid for table in (routing.prepick_context, routing.prepick_red_flags)
                         for ids in table.values() for sid in ids)
    chosen = _pick(lanes, list(wanted), picked, demo, specific)
    final: list[Lane] = []
    for lane in lanes:
        opts = tuple(
            Option(o.card, o.serves_area, o.distance_km, o.real, o.selectable, o.not_selectable_reason,
                   o.id in chosen, o.match)
            for o in lane.options
        )
        if search_area is None:
            empty = i18n.t("triage.route.no_place", lang)
        else:
            empty = "" if any(o.real for o in opts) else audience_text("empty", "", lang, audience)
        final.append(Lane(lane.level, lane.role, lane.title, opts, empty))

    # bridging: only real records' waiting times at the level the route follows
    waits = [o.card.waiting_weeks for lane in final if lane.level == level for o in lane.options if o.real]
    bridging = level != "crisis" and advisor.bridging_needed(waits)
    bridging_text = audience_text("bridging", "", lang, audience, weeks=advisor.BRIDGE_WEEKS) if bridging else ""

    todo = _todo(advice, level, rules, lang, audience, young)

    all_options = [o for lane in final for o in lane.options]
    share = (sum(1 for o in all_options if not o.real), len(all_options))
    picked_ids = tuple(i for i in chosen)
    query = advisor.route_query(data, picked_ids, override if level != advice.level else None, lang=lang)
    url = advisor.route_url(base_url, query) if base_url else ""
    return Route(
        contract=vocab.CONTRACT_VERSION, lang=lang, ready=True, missing=missing, missing_text=missing_text,
        answers=validated if not missing else None, advice=advice, level=level,
        override=level if level != advice.level else None, audience=audience, region_id=region_id,
        region_name=region_name, area=area, area_label=area_label, lanes=tuple(final),
        contacts=contacts, urgency=advice.urgency, urgency_text=urgency_text(advice.urgency, lang),
        title=route_title(advice, level, lang, audience, young), todo=todo,
        safety_net_title=safety_title, safety_net=safety, bridging=bridging, bridging_text=bridging_text,
        picked=picked_ids, query=MappingProxyType(query), url=url, note=note, illustrative_share=share, demo=demo,
        own_practice=own_practice, created=created, reasons=advice.reasons,
        override_reason=override_reason if level != advice.level else "",
    )


def _pick(lanes: Sequence[Lane], wanted: Sequence[str], picked: Sequence[str] | None, demo: bool,
          specific: frozenset[str] = frozenset()) -> list[str]:
    """The service ids on the route card: the user's choice, or the pre-pick.

    ``specific``: services the routing data names for particular answers; they are pre-picked
    only when those answers were given (``wanted``).
    """
    selectable = {o.id for lane in lanes for o in lane.options if o.selectable}
    if picked is not None:
        out: list[str] = []
        for sid in picked:
            if sid in selectable and sid not in out:
                out.append(sid)
        return out
    out = [sid for sid in wanted if sid in selectable]

    def general(o: Option) -> bool:  # not a service meant for an answer that was not given
        return o.id not in specific or o.id in out

    for lane in lanes:  # at least one real service per lane (an illustrative one only in demo mode)
        if any(o.id in out for o in lane.options if o.real):
            continue
        first = next((o for o in lane.options if o.real and general(o)), None)
        first = first or next((o for o in lane.options if o.real), None)
        if first is None and demo:
            first = next((o for o in lane.options if o.selectable), None)
        if first is not None and first.id not in out:
            out.append(first.id)
    if lanes:  # fill up from the first lane's real services
        for o in lanes[0].options:
            if len(out) >= MIN_PICKED:
                break
            if o.real and general(o) and o.id not in out:
                out.append(o.id)
    return out


def honest_area_label(atlas: Atlas, postcode: str) -> str:
    """The name of a postcode's place, no more precise than the data can tell.

    A PC4 is resolved to its largest buurt. When that buurt holds most of the PC4
    (``BUURT_SHARE``), it is named; otherwise the wijk (the letters of a PC6 cannot narrow it:
    the data has no PC6 table), or the municipality when the wijk is unknown.
    """
    pc4 = advisor.normalise_postcode(postcode)[:4]
    if pc4 not in atlas.postcodes.index:
        return ""
    row = atlas.postcodes.loc[pc4]
    muni_code = str(row["municipality_code"])
    muni = str(atlas.areas.at[muni_code, "name"]) if muni_code in atlas.areas.index else ""
    share = row.get("share")
    try:
        share_value = float(share)
    except (TypeError, ValueError):
        share_value = 0.0
    buurt, wijk = row.get("buurt_code") or "", row.get("wijk_code") or ""
    if buurt and buurt in atlas.areas.index and share_value >= BUURT_SHARE:
        return f"{atlas.areas.at[buurt, 'name']} ({muni})"
    if wijk and wijk in atlas.areas.index:
        return f"{atlas.areas.at[wijk, 'name']} ({muni})"
    return muni


# ---- route-card links --------------------------------------------------------------------------

def decode(atlas: Atlas, params: Mapping[str, Any], lang: str = "nl", **kwargs: Any) -> Route:
    """The route of a route-card link; a link made under an older contract version gets a note
    and today's advice."""
    request = advisor.parse_route_query(params, lang)
    return route(atlas, request.answers, request.lang, picked=request.services or None, override=request.override,
                 older_version=request.older_version, **kwargs)


__all__ = [
    "Route", "Lane", "Option", "Contact", "ContactLine", "Routing", "route", "decode", "load_routing",
    "honest_area_label", "join_words", "level_label", "short_name", "lane_title", "route_title", "urgency_text", "audience_text",
]
