"""Route advice: answers in, the lightest appropriate care level out (``shared/contracts/triage.md``).

``parse_answers`` validates a JSON object against the contract vocabulary; ``advise`` applies the
route rules, which are data (``data/rules/default.yaml`` or a region's ``rules.yaml``, see
:mod:`socialmap.rules`). Every rule only sets a minimum rung (a floor) and the advice is the
highest floor, so the advice is monotone in the answers (principle 10). Nothing here stores or
logs the answers.

``tried`` holds level ids. ``crisis`` is accepted there too (it is a level id): as the heaviest
level it moves the advice to the top of the ladder (rung 4, ``specialist_mh``), or to rung 2 when
the impact is none or mild (principle 4's cap).

Besides the contract's keys, the optional ``for_self`` (``true`` when a young adult of 18-23
fills in the answers for themselves) picks the texts' audience; it is not part of the contract
and never appears in its output.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping

from . import i18n, vocab
from .errors import InputError
from .rules import MAX_RUNG, Rules, default_rules, load_rules

REQUIRED_KEYS: tuple[str, ...] = ("age", "concerns", "impact", "duration")
_POSTCODE = re.compile(r"^\s*[1-9]\d{3}\s*(?:[A-Za-z]{2})?\s*$", re.ASCII)
_AREA_CODE = re.compile(r"^\s*(?:BU\d{4}[0-9A-Z]{4}|WK\d{4}[0-9A-Z]{2}|GM\d{4})\s*$", re.IGNORECASE | re.ASCII)
_AGE_EXPECTED = f"expected a whole number of years 0-{vocab.AGE_MAX_YEARS}"
_POSTCODE_EXPECTED = "expected 4 digits and optionally 2 letters, e.g. 2031 AB or 2031"
_AREA_EXPECTED = "expected a CBS code: BU + 8, WK + 6 or GM + 4 digits (CBS codes may end in letters), e.g. BU03920101, WK039201, GM0392"


class LongNumber(str):
    """A JSON integer too long to convert (its digits), so ``age`` can say which field is wrong."""


@dataclass(frozen=True)
class Answers:
    """Validated answers (contract vocabulary; lists deduplicated, input order kept)."""

    age: int
    concerns: tuple[str, ...]
    impact: str
    duration: str
    red_flags: tuple[str, ...] = ()
    tried: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    postcode: str | None = None
    area_code: str | None = None
    for_self: bool = False

    @property
    def audience(self) -> str:
        """``child`` (0-17), ``young_adult`` (18-23, told by someone else) or ``young_adult_self``."""
        if self.age < vocab.ADULT_AGE:
            return "child"
        return "young_adult_self" if self.for_self else "young_adult"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "age": self.age,
            "concerns": list(self.concerns),
            "impact": self.impact,
            "duration": self.duration,
            "red_flags": list(self.red_flags),
            "tried": list(self.tried),
            "context": list(self.context),
        }
        if self.postcode is not None:
            out["postcode"] = self.postcode
        if self.area_code is not None:
            out["area_code"] = self.area_code
        return out


@dataclass(frozen=True)
class Advice:
    level: str
    also: tuple[str, ...]
    next_step: str | None
    reasons: tuple[str, ...]
    rule_ids: tuple[str, ...]
    rung: int
    urgency: str = "routine"
    contacts: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The contract's output object (without ``area`` and ``services``)."""
        return {
            "contract": vocab.CONTRACT_VERSION,
            "level": self.level,
            "also": list(self.also),
            "next_step": self.next_step,
            "urgency": self.urgency,
            "contacts": list(self.contacts),
            "reasons": list(self.reasons),
            "rule_ids": list(self.rule_ids),
        }


# ---- validation -----------------------------------------------------------------------------

def show(value: Any) -> str:
    """A value as it appears in an error message: strings quoted, others as JSON."""
    if isinstance(value, str):
        return f"'{value}'"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed(choices: tuple[str, ...]) -> str:
    return ", ".join(choices)


def _choice(obj: Mapping[str, Any], key: str, choices: tuple[str, ...]) -> str:
    value = obj[key]
    if not isinstance(value, str) or value not in choices:
        raise InputError(f"{key} {show(value)} is not allowed (allowed: {_allowed(choices)})", field=key, value=value)
    return value


def _list(obj: Mapping[str, Any], key: str, choices: tuple[str, ...], required: bool) -> tuple[str, ...]:
    value = obj.get(key)
    if value is None and not required:
        return ()
    if not isinstance(value, list):
        raise InputError(
            f"{key} {show(value)} is not a list (expected a list of: {_allowed(choices)})", field=key, value=value
        )
    if required and not value:
        raise InputError(f"{key} is empty (expected at least one of: {_allowed(choices)})", field=key, value=value)
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or item not in choices:
            raise InputError(f"{key} {show(item)} is not allowed (allowed: {_allowed(choices)})", field=key, value=item)
        if item not in out:
            out.append(item)
    return tuple(out)


def parse_answers(obj: Any) -> Answers:
    """Validate a JSON object of answers; ``InputError`` naming the field, value and allowed values."""
    if not isinstance(obj, dict):
        kind = "a list" if isinstance(obj, list) else show(obj)
        raise InputError(f"answers must be a JSON object with keys {', '.join(REQUIRED_KEYS)} (got {kind})")
    missing = [key for key in REQUIRED_KEYS if key not in obj]
    if missing:
        raise InputError(
            f"{missing[0]} is missing (required: {', '.join(REQUIRED_KEYS)})", field=missing[0], value=None
        )
    age = obj["age"]
    if isinstance(age, LongNumber):
        digits = len(age.lstrip("-"))
        raise InputError(f"age with {digits} digits is out of range ({_AGE_EXPECTED})", field="age", value=None)
    if not isinstance(age, int) or isinstance(age, bool):
        raise InputError(f"age {show(age)} is not a whole number ({_AGE_EXPECTED})", field="age", value=age)
    if not 0 <= age <= vocab.AGE_MAX_YEARS:
        raise InputError(f"age {_short_int(age)} is out of range ({_AGE_EXPECTED})", field="age", value=None)
    concerns = _list(obj, "concerns", vocab.CONCERNS, required=True)
    impact = _choice(obj, "impact", vocab.IMPACTS)
    duration = _choice(obj, "duration", vocab.DURATIONS)
    red_flags = _list(obj, "red_flags", vocab.RED_FLAGS, required=False)
    tried = _list(obj, "tried", vocab.LEVELS, required=False)
    context = _list(obj, "context", vocab.CONTEXTS, required=False)
    postcode = obj.get("postcode")
    if postcode is not None:
        if not isinstance(postcode, str) or not _POSTCODE.match(postcode):
            raise InputError(
                f"postcode {show(postcode)} is not a Dutch postcode ({_POSTCODE_EXPECTED})",
                field="postcode",
                value=postcode,
            )
        postcode = postcode.strip()
    area_code = obj.get("area_code")
    if area_code is not None:
        if not isinstance(area_code, str) or not _AREA_CODE.match(area_code):
            raise InputError(
                f"area_code {show(area_code)} is not a CBS code ({_AREA_EXPECTED})", field="area_code", value=area_code
            )
        area_code = area_code.strip().upper()
    for_self = obj.get("for_self") is True
    return Answers(age, concerns, impact, duration, red_flags, tried, context, postcode or None, area_code or None,
                   for_self)


def _short_int(value: int) -> str:
    """An integer for a message: in full when short, else its first digits and its length."""
    try:
        text = str(value)
    except ValueError:  # beyond Python's int-to-str digit limit
        return "with more than 4300 digits"
    if len(text) <= 12:
        return text
    return f"{text[:6]}... ({len(text.lstrip('-'))} digits)"


# ---- the engine -----------------------------------------------------------------------------

def _labels(kind: str, ids: tuple[str, ...] | list[str], lang: str) -> str:
    words = [i18n.label(kind, value, lang) for value in ids]
    words = [w.replace("_", " ") if w in ids else w for w in words]
    if not kind.startswith("level"):  # mid-sentence: "angst en somberheid", but keep "ADHD"
        words = [w[0].lower() + w[1:] if len(w) > 1 and w[1].islower() else w for w in words]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {i18n.t('triage.list_and', lang)} " + words[-1]


class _Fill(dict):
    """Placeholder values, computed only when a text asks for them."""

    def __init__(self, answers: Answers, lang: str) -> None:
        super().__init__()
        self.answers = answers
        self.lang = lang

    def __missing__(self, key: str) -> str:
        a, lang = self.answers, self.lang
        if key == "age":
            value = str(a.age)
        elif key == "concerns":
            value = _labels("concern", a.concerns, lang)
        elif key == "red_flags":
            value = _labels("red_flag", a.red_flags, lang)
        elif key == "context":
            value = _labels("context", a.context, lang)
        elif key == "impact":
            value = _labels("impact", (a.impact,), lang)
        elif key == "duration":
            value = _labels("duration", (a.duration,), lang)
        elif key in ("level", "next_step", "tried"):
            kind = "level" if a.age < vocab.ADULT_AGE else "level_adult"
            levels = a.tried if key == "tried" else ((self.get("_" + key),) if self.get("_" + key) else ())
            value = _labels(kind, levels, lang) if levels else ""
        else:
            value = "{" + key + "}"
        self[key] = value
        return value


def _rung_of(level: str) -> int:
    return min(vocab.LEVEL_RUNG[level], MAX_RUNG + 1)


def _lightest_first(levels: list[str] | set[str]) -> tuple[str, ...]:
    return tuple(sorted(set(levels), key=vocab.LEVELS.index))


@dataclass(frozen=True)
class Decision:
    """The engine's decision without texts: what :func:`decide` returns (fast, for bulk checks)."""

    level: str
    also: tuple[str, ...]
    next_step: str | None
    urgency: str
    contacts: tuple[str, ...]
    rung: int
    fired: tuple[tuple[str, str], ...]  # (rule id, text variant) in the order they fired


def advise(answers: Answers | Mapping[str, Any], rules: Rules | None = None, lang: str = "nl") -> Advice:
    """The route advice for validated answers (a mapping is validated first), with its reasons."""
    if not isinstance(answers, Answers):
        answers = parse_answers(answers)
    rules = rules or default_rules()
    if lang not in i18n.LANGUAGES:
        lang = i18n.DEFAULT_LANGUAGE
    return explain(answers, decide(answers, rules), rules, lang)


def decide(answers: Answers, rules: Rules | None = None) -> Decision:
    """The pure engine: validated answers in, the decision out (no texts).

    Each rule sets a minimum rung; the advice is the highest minimum (contract v2).
    """
    rules = rules or default_rules()
    a = answers
    fired: list[tuple[str, str]] = []  # (rule id, variant)

    def fire(rule_id: str, variant: str = "") -> None:
        fired.append((rule_id, variant))

    concerns = set(a.concerns)
    young_also = rules.rule("R-young-child-also")
    wijk_also = rules.rule("R-context-wijkteam-also")

    def who_else(level: str) -> list[str]:
        """Principle 8: the wijkteam for any context stressor, the consultatiebureau for ages 0-4."""
        extra = []
        if wijk_also is not None and a.context and level != wijk_also.params["level"]:
            extra.append(wijk_also.params["level"])
            fire("R-context-wijkteam-also")
        if young_also is not None and a.age <= young_also.params["max_age"] and level != young_also.params["level"]:
            extra.append(young_also.params["level"])
            fire("R-young-child-also")
        return extra

    # Principle 1: safety first (per red flag: contacts, urgency, treatment route).
    red = rules.rule("R-red-flag")
    flags = red.params["flags"] if red is not None else {}
    present = [flag for flag in flags if flag in a.red_flags]
    if present:
        contacts: list[str] = []
        also_set: list[str] = []
        urgency = vocab.URGENCIES[0]
        for flag in present:
            row = flags[flag]
            contacts.extend(c for c in row["contacts"] if c not in contacts)
            also_set.extend(row["also"])
            urgency = max(urgency, row["urgency"], key=vocab.URGENCIES.index)
            fire("R-red-flag", flag)
        also_set.extend(who_else("crisis"))
        return Decision("crisis", _lightest_first(also_set), rules.next_step.get("crisis"), urgency,
                        tuple(contacts), vocab.LEVEL_RUNG["crisis"], tuple(fired))

    n_psychosocial = len(concerns & rules.psychosocial)
    rung = 0

    # Principle 2: the rung starts from the impact.
    rule = rules.rule("R-impact-base")
    if rule is not None:
        p = rule.params
        if a.impact in p["sudden.impact"] and a.duration in p["sudden.duration"]:
            rung = p["sudden.rung"]
            fire("R-impact-base", "sudden")
        else:
            rung = p["rungs"][a.impact]
            fire("R-impact-base", a.impact)

    def floor(minimum: int, rule_id: str, variant: str = "") -> None:
        nonlocal rung
        rung = max(rung, minimum)
        fire(rule_id, variant)

    # Principle 3: duration.
    rule = rules.rule("R-mild-long")
    if rule is not None and a.impact in rule.params["impact"] and a.duration in rule.params["duration"]:
        floor(rule.params["min_rung"], "R-mild-long")
    rule = rules.rule("R-moderate-long")
    if (rule is not None and a.impact in rule.params["impact"] and a.duration in rule.params["duration"]
            and (n_psychosocial >= rule.params["min_psychosocial"] or concerns & rule.params["concerns"])):
        floor(rule.params["min_rung"], "R-moderate-long")

    # Principle 4: help already tried (capped for low impact).
    rule = rules.rule("R-tried")
    if rule is not None and a.tried:
        p = rule.params
        heaviest = max(_rung_of(level) for level in a.tried)
        minimum = min(heaviest + p["step"], p["max_rung"])
        if a.impact in p["low_impact"] and minimum > p["low_impact_max_rung"]:
            floor(p["low_impact_max_rung"], "R-tried", "capped")
        else:
            floor(minimum, "R-tried", "step")

    # Principle 5: medication and assessment.
    rule = rules.rule("R-medication-assessment")
    if rule is not None:
        p = rule.params
        if concerns & p["medication_concerns"]:
            floor(p["min_rung"], "R-medication-assessment", "medication")
        if concerns & p["assessment_concerns"] and a.impact in p["assessment_impacts"]:
            floor(p["min_rung"], "R-medication-assessment", "assessment")
    rule = rules.rule("R-assessment")
    if rule is not None and concerns & rule.params["concerns"]:
        p = rule.params
        if a.impact in p["moderate.impact"]:
            if a.age <= p["moderate.young_max_age"]:
                floor(p["moderate.young_rung"], "R-assessment", "young")
            else:
                floor(p["moderate.rung"], "R-assessment", "moderate")
        if a.impact in p["severe.impact"]:
            floor(p["severe.rung"], "R-assessment", "severe")

    # Principle 6: specific problems.
    rule = rules.rule("R-eating-disorder")
    if rule is not None and concerns & rule.params["concerns"]:
        minimum = rule.params["rungs"][a.impact]
        variant = "first_line" if minimum <= 2 else "basic" if minimum == 3 else "specialist"
        floor(minimum, "R-eating-disorder", variant)
    rule = rules.rule("R-trauma")
    if rule is not None and concerns & rule.params["concerns"]:
        p = rule.params
        if a.impact in p["specialist.impact"] and a.duration in p["specialist.duration"]:
            floor(p["specialist.rung"], "R-trauma", "specialist")
        elif (a.impact in p["basic.impact"] and a.duration in p["basic.duration"]) or a.impact in p["basic.severe_impact"]:
            floor(p["basic.rung"], "R-trauma", "basic")
        elif a.age <= p["basic.young_max_age"] and a.impact in p["basic.young_impact"]:
            floor(p["basic.rung"], "R-trauma", "young")
    rule = rules.rule("R-self-injury")
    if rule is not None and concerns & rule.params["concerns"]:
        floor(rule.params["min_rung"], "R-self-injury")
    rule = rules.rule("R-persistent")
    if (rule is not None and a.impact in rule.params["impact"] and a.duration in rule.params["duration"]
            and n_psychosocial >= rule.params["min_psychosocial"]):
        floor(rule.params["rung"], "R-persistent")

    # Principle 7: context.
    rule = rules.rule("R-context")
    if rule is not None and a.context:
        floor(rule.params["min_rung"], "R-context")

    rung = min(rung, MAX_RUNG)
    level = rules.rungs[rung]
    family = rules.rule("R-context-wijkteam-level")
    if family is not None and a.context and rung == family.params["rung"]:
        if set(a.context) & family.params["contexts"]:
            level = family.params["level"]
            fire("R-context-wijkteam-level", "lvb")
        elif concerns <= family.params["concerns"]:
            level = family.params["level"]
            fire("R-context-wijkteam-level", "family")

    # Principle 8: who else.
    also = _lightest_first(who_else(level))

    young = rules.rule("R-young-child")
    if young is not None and a.age <= young.params["max_age"] and rung == young.params["rung"]:
        fire("R-young-child")

    # Principle 9: urgency.
    urgency = "routine"
    rule = rules.rule("R-urgency-soon")
    if rule is not None:
        p = rule.params
        if a.impact in p["impact"]:
            urgency = "soon"
            fire("R-urgency-soon", "impact")
        elif concerns & p["concerns"]:
            urgency = "soon"
            fire("R-urgency-soon", "concerns")
        elif a.age <= p["young.max_age"] and set(a.context) & p["young.context"]:
            urgency = "soon"
            fire("R-urgency-soon", "young")

    return Decision(level, also, rules.next_step.get(level), urgency, (), rung, tuple(fired))


def explain(answers: Answers, decision: Decision, rules: Rules, lang: str = "nl") -> Advice:
    """The advice with its reasons: one per rule that fired, then what the level means."""
    audience = answers.audience
    fill = _Fill(answers, lang)
    fill["_level"] = decision.level
    fill["_next_step"] = decision.next_step or ""
    reasons: list[str] = []
    for rule_id, variant in decision.fired:
        line = rules.rules[rule_id].text(lang, variant, audience).format_map(fill)
        if line not in reasons:
            reasons.append(line)
    reasons.append(rules.level_text(decision.level, lang, audience).format_map(fill))
    rule_ids: list[str] = []
    for rule_id, _ in decision.fired:
        if rule_id not in rule_ids:
            rule_ids.append(rule_id)
    return Advice(decision.level, decision.also, decision.next_step, tuple(reasons), tuple(rule_ids), decision.rung,
                  decision.urgency, decision.contacts)


__all__ = ["Answers", "Advice", "Decision", "LongNumber", "decide", "explain", "parse_answers", "advise", "load_rules", "REQUIRED_KEYS", "show"]
