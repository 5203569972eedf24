"""Route advice: answers in, the lightest appropriate care level out (``shared/contracts/triage.md``).

``parse_answers`` validates a JSON object against the contract vocabulary; ``advise`` applies the
route rules, which are data (``data/rules/default.yaml`` or a region's ``rules.yaml``, see
:mod:`socialmap.rules`). Every rule only raises the rung (a floor) and the advice is the highest
floor, so the advice is monotone in the answers (principle 9). Nothing here stores or logs the
answers.

``tried`` holds level ids. ``crisis`` is accepted there too (it is a level id): as the heaviest
level it moves the advice to the top of the ladder (rung 4, ``specialist_mh``).
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
_POSTCODE = re.compile(r"^\s*[1-9]\d{3}\s*(?:[A-Za-z]{2})?\s*$")
_AREA_CODE = re.compile(r"^\s*(?:BU\d{4}[0-9A-Z]{4}|WK\d{4}[0-9A-Z]{2}|GM\d{4})\s*$", re.IGNORECASE)
_AGE_EXPECTED = f"expected a whole number of years 0-{vocab.AGE_MAX_YEARS}"
_POSTCODE_EXPECTED = "expected 4 digits and optionally 2 letters, e.g. 2031 AB or 2031"
_AREA_EXPECTED = "expected a CBS code: BU + 8, WK + 6 or GM + 4 digits (CBS codes may end in letters), e.g. BU03920101, WK039201, GM0392"


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

    def to_dict(self) -> dict[str, Any]:
        """The contract's output object (without ``area`` and ``services``)."""
        return {
            "level": self.level,
            "also": list(self.also),
            "next_step": self.next_step,
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
    if not isinstance(age, int) or isinstance(age, bool):
        raise InputError(f"age {show(age)} is not a whole number ({_AGE_EXPECTED})", field="age", value=age)
    if not 0 <= age <= vocab.AGE_MAX_YEARS:
        raise InputError(f"age {age} is out of range ({_AGE_EXPECTED})", field="age", value=age)
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
    return Answers(age, concerns, impact, duration, red_flags, tried, context, postcode or None, area_code or None)


# ---- the engine -----------------------------------------------------------------------------

def _labels(kind: str, ids: tuple[str, ...] | list[str], lang: str) -> str:
    words = [i18n.label(kind, value, lang) for value in ids]
    words = [w.replace("_", " ") if w in ids else w for w in words]
    if kind != "level":  # mid-sentence: "angst en somberheid", but keep "ADHD"
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
        elif key == "tried":
            value = _labels("level", a.tried, lang)
        elif key == "context":
            value = _labels("context", a.context, lang)
        elif key == "impact":
            value = _labels("impact", (a.impact,), lang)
        elif key == "duration":
            value = _labels("duration", (a.duration,), lang)
        elif key in ("level", "next_step"):
            level = self.get("_" + key)
            value = _labels("level", (level,), lang) if level else ""
        else:
            value = "{" + key + "}"
        self[key] = value
        return value


def _rung_of(level: str) -> int:
    return min(vocab.LEVEL_RUNG[level], MAX_RUNG + 1)


def advise(answers: Answers | Mapping[str, Any], rules: Rules | None = None, lang: str = "nl") -> Advice:
    """The route advice for validated answers (a mapping is validated first)."""
    if not isinstance(answers, Answers):
        answers = parse_answers(answers)
    rules = rules or default_rules()
    if lang not in i18n.LANGUAGES:
        lang = i18n.DEFAULT_LANGUAGE
    a = answers
    fill = _Fill(a, lang)
    fired: list[tuple[str, str]] = []  # (rule id, text)

    def fire(rule_id: str, variant: str = "") -> None:
        rule = rules.rules[rule_id]
        fired.append((rule_id, rule.text(lang, variant)))

    # Principle 1: safety first.
    red = rules.rule("R-red-flag")
    if red is not None and any(flag in red.params["red_flags"] for flag in a.red_flags):
        fire("R-red-flag")
        return _finish(rules, fill, fired, "crisis", (), vocab.LEVEL_RUNG["crisis"], lang)

    concerns = set(a.concerns)
    impacts = vocab.IMPACTS
    rung = 0
    base = rules.rule("R-impact-base")
    if base is not None:
        rung = base.params["rungs"][a.impact]
        fire("R-impact-base", a.impact)

    rule = rules.rule("R-mild-long")
    if rule is not None and a.impact in rule.params["impact"] and a.duration in rule.params["duration"]:
        rung = max(rung, rule.params["min_rung"])
        fire("R-mild-long")

    rule = rules.rule("R-medication-assessment")
    if rule is not None:
        if concerns & rule.params["medication_concerns"]:
            rung = max(rung, rule.params["min_rung"])
            fire("R-medication-assessment", "medication")
        if concerns & rule.params["assessment_concerns"] and a.impact in rule.params["assessment_impacts"]:
            rung = max(rung, rule.params["min_rung"])
            fire("R-medication-assessment", "assessment")

    rule = rules.rule("R-specialist")
    if rule is not None:
        p = rule.params
        if (
            a.impact in p["persistent.impact"]
            and a.duration in p["persistent.duration"]
            and len(concerns & rules.psychosocial) >= p["persistent.min_psychosocial"]
        ):
            rung = max(rung, p["rung"])
            fire("R-specialist", "persistent")
        if concerns & p["severe_concerns.concerns"] and a.impact in p["severe_concerns.impact"]:
            rung = max(rung, p["rung"])
            fire("R-specialist", "severe_concerns")
        if concerns & p["assessment.concerns"] and a.impact in p["assessment.impact"]:
            rung = max(rung, p["rung"])
            fire("R-specialist", "assessment")

    rule = rules.rule("R-tried")
    if rule is not None and a.tried:
        heaviest = max(_rung_of(level) for level in a.tried)
        rung = max(rung, min(heaviest + rule.params["step"], rule.params["max_rung"]))
        fire("R-tried")

    family = rules.rule("R-context-wijkteam-level")
    family_case = (
        family is not None and bool(a.context) and concerns <= family.params["concerns"]
    )
    if family_case and impacts.index(a.impact) >= impacts.index(family.params["from_impact"]):
        rung = max(rung, family.params["min_rung"])

    rung = min(rung, MAX_RUNG)
    level = rules.rungs[rung]
    if family_case and rung == _rung_of(family.params["level"]):
        level = family.params["level"]
        fire("R-context-wijkteam-level")

    also: tuple[str, ...] = ()
    also_rule = rules.rule("R-context-wijkteam-also")
    if also_rule is not None and a.context and level != also_rule.params["level"]:
        also = (also_rule.params["level"],)
        fire("R-context-wijkteam-also")

    young = rules.rule("R-young-child")
    if young is not None and a.age <= young.params["max_age"] and rung == young.params["rung"]:
        fire("R-young-child")

    return _finish(rules, fill, fired, level, also, rung, lang)


def _finish(
    rules: Rules, fill: _Fill, fired: list[tuple[str, str]], level: str, also: tuple[str, ...], rung: int, lang: str
) -> Advice:
    next_step = rules.next_step.get(level)
    fill["_level"] = level
    fill["_next_step"] = next_step or ""
    reasons = [text.format_map(fill) for _, text in fired]
    level_text = rules.level_texts[level].get(lang) or rules.level_texts[level]["nl"]
    reasons.append(level_text.format_map(fill))
    rule_ids: list[str] = []
    for rule_id, _ in fired:
        if rule_id not in rule_ids:
            rule_ids.append(rule_id)
    return Advice(level, also, next_step, tuple(reasons), tuple(rule_ids), rung)


__all__ = ["Answers", "Advice", "parse_answers", "advise", "load_rules", "REQUIRED_KEYS", "show"]
