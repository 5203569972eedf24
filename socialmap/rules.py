"""Route rules as data: load and validate ``data/rules/default.yaml`` or a region's ``rules.yaml``.

The engine (:mod:`socialmap.triage`) knows each rule id and what its parameters mean; this module
checks that a rules file has every known rule, only known rules, every parameter with an allowed
value and a Dutch and an English text for every reason. Problems are raised together as one
:class:`~socialmap.errors.DataError` whose messages name the file and the field.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from . import vocab
from .errors import DataError

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RULES = REPO_ROOT / "data" / "rules" / "default.yaml"
REGION_RULES_FILE = "rules.yaml"
RULE_LANGUAGES: tuple[str, ...] = ("nl", "en")
#: Placeholders the engine fills in reason texts.
PLACEHOLDERS: frozenset[str] = frozenset(
    {"age", "concerns", "red_flags", "tried", "context", "impact", "duration", "level", "next_step"}
)
MAX_RUNG = 4

# Parameter kinds: ("list", choices) | ("choice", choices) | ("int", lo, hi) | ("rungs", keys)
#                  | ("flags",): the red-flag table (flag -> contacts, urgency, also)
_RUNG = ("int", 0, MAX_RUNG)
_LADDER_LEVELS = tuple(level for level in vocab.LEVELS if level != "crisis")
_AGE = ("int", 0, vocab.AGE_MAX_YEARS)
_IMPACTS = ("list", vocab.IMPACTS)
_DURATIONS = ("list", vocab.DURATIONS)
_CONCERNS = ("list", vocab.CONCERNS)
#: rule id -> (parameters by dotted path, text variants or None for a single text).
#: The order is the order of the rules file and of the reasons.
RULE_SPECS: dict[str, tuple[dict[str, tuple[Any, ...]], tuple[str, ...] | None]] = {
    # Principle 1: safety first; one text per red flag.
    "R-red-flag": ({"flags": ("flags",)}, vocab.RED_FLAGS),
    # Principle 2: the rung starts from the impact (a sudden severe problem: the first line, soon).
    "R-impact-base": (
        {"rungs": ("rungs", vocab.IMPACTS), "sudden.impact": _IMPACTS, "sudden.duration": _DURATIONS,
         "sudden.rung": _RUNG},
        (*vocab.IMPACTS, "sudden"),
    ),
    # Principle 3: duration.
    "R-mild-long": ({"impact": _IMPACTS, "duration": _DURATIONS, "min_rung": _RUNG}, None),
    "R-moderate-long": (
        {"impact": _IMPACTS, "duration": _DURATIONS, "min_psychosocial": ("int", 1, len(vocab.CONCERNS)),
         "concerns": _CONCERNS, "min_rung": _RUNG},
        None,
    ),
    # Principle 4: help already tried.
    "R-tried": (
        {"step": ("int", 0, MAX_RUNG), "max_rung": _RUNG, "low_impact": _IMPACTS, "low_impact_max_rung": _RUNG},
        ("step", "capped"),
    ),
    # Principle 5: medication and assessment.
    "R-medication-assessment": (
        {"medication_concerns": _CONCERNS, "assessment_concerns": _CONCERNS, "assessment_impacts": _IMPACTS,
         "min_rung": _RUNG},
        ("medication", "assessment"),
    ),
    "R-assessment": (
        {"concerns": _CONCERNS, "moderate.impact": _IMPACTS, "moderate.rung": _RUNG,
         "moderate.young_max_age": _AGE, "moderate.young_rung": _RUNG,
         "severe.impact": _IMPACTS, "severe.rung": _RUNG},
        ("moderate", "young", "severe"),
    ),
    # Principle 6: specific problems.
    "R-eating-disorder": (
        {"concerns": _CONCERNS, "rungs": ("rungs", vocab.IMPACTS)}, ("first_line", "basic", "specialist")
    ),
    "R-trauma": (
        {"concerns": _CONCERNS,
         "basic.impact": _IMPACTS, "basic.duration": _DURATIONS, "basic.severe_impact": _IMPACTS,
         "basic.young_max_age": _AGE, "basic.young_impact": _IMPACTS, "basic.rung": _RUNG,
         "specialist.impact": _IMPACTS, "specialist.duration": _DURATIONS, "specialist.rung": _RUNG},
        ("basic", "young", "specialist"),
    ),
    "R-self-injury": ({"concerns": _CONCERNS, "min_rung": _RUNG}, None),
    "R-persistent": (
        {"impact": _IMPACTS, "duration": _DURATIONS, "min_psychosocial": ("int", 1, len(vocab.CONCERNS)),
         "rung": _RUNG},
        None,
    ),
    # Principle 7: context.
    "R-context": ({"min_rung": _RUNG}, None),
    "R-context-wijkteam-level": (
        {"concerns": _CONCERNS, "contexts": ("list", vocab.CONTEXTS), "rung": _RUNG,
         "level": ("choice", _LADDER_LEVELS)},
        ("family", "lvb"),
    ),
    # Principle 8: who else.
    "R-context-wijkteam-also": ({"level": ("choice", _LADDER_LEVELS)}, None),
    "R-young-child-also": ({"max_age": _AGE, "level": ("choice", _LADDER_LEVELS)}, None),
    # Principle 2, second sentence: for ages 0-4, rung 1 is the consultatiebureau.
    "R-young-child": ({"max_age": _AGE, "rung": _RUNG}, None),
    # Principle 9: urgency outside the crisis lane.
    "R-urgency-soon": (
        {"impact": _IMPACTS, "concerns": _CONCERNS, "young.max_age": _AGE, "young.context": ("list", vocab.CONTEXTS)},
        ("impact", "concerns", "young"),
    ),
}
#: Text variants for young adults (18+): ``adult`` (anyone), ``self`` (the young adult themselves).
TEXT_AUDIENCES: tuple[str, ...] = ("adult", "self")
_RULE_KEYS = {"id", "text", "enabled"}


@dataclass(frozen=True)
class Rule:
    id: str
    enabled: bool
    params: Mapping[str, Any]  # dotted path -> value (lists as frozensets, rung maps as dicts)
    texts: Mapping[str, Mapping[str, str]]  # variant ("" for a single text) -> lang key -> text

    def text(self, lang: str, variant: str = "", audience: str = "child") -> str:
        return pick_text(self.texts[variant], lang, audience)


def pick_text(by_lang: Mapping[str, str], lang: str, audience: str = "child") -> str:
    """The text for a language and audience: ``self.<lang>``, then ``adult.<lang>``, then ``<lang>``.

    Audiences are those of :data:`socialmap.vocab.AUDIENCES`; a child gets the plain text.
    """
    keys = {"young_adult_self": ("self.", "adult.", ""), "young_adult": ("adult.", "")}.get(audience, ("",))
    for prefix in keys:
        for code in (lang, "nl"):
            text = by_lang.get(prefix + code)
            if text:
                return text
    return by_lang.get("nl", "")


@dataclass(frozen=True)
class Rules:
    source: str
    rungs: Mapping[int, str]
    next_step: Mapping[str, str | None]
    psychosocial: frozenset[str]
    everyday: frozenset[str]
    level_texts: Mapping[str, Mapping[str, str]]
    rules: Mapping[str, Rule]  # in file order
    active: Mapping[str, Rule] = field(default_factory=dict)  # the enabled rules (filled by parse_rules)

    def level_text(self, level: str, lang: str, audience: str = "child") -> str:
        return pick_text(self.level_texts[level], lang, audience)

    def rule(self, rule_id: str) -> Rule | None:
        """The rule if it is enabled, else None."""
        return self.active.get(rule_id)


# ---- loading --------------------------------------------------------------------------------

def rules_path(region_path: Path | str | None = None) -> Path:
    """``<region>/rules.yaml`` when the region has one, else the shipped default."""
    if region_path is not None:
        candidate = Path(region_path) / REGION_RULES_FILE
        if candidate.is_file():
            return candidate
    return DEFAULT_RULES


def load_rules(region_path: Path | str | None = None) -> Rules:
    """The rules for a region folder (its ``rules.yaml``, else the default); cached per file."""
    path = rules_path(region_path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise DataError(f"{path}: rules file not found") from None
    return _load_cached(str(path), stamp)


def default_rules() -> Rules:
    return load_rules(None)


@lru_cache(maxsize=16)
def _load_cached(path: str, _stamp: int) -> Rules:
    return parse_rules(Path(path))


def parse_rules(path: Path, text: str | None = None) -> Rules:
    """Parse and validate one rules file; ``DataError`` listing every problem."""
    name = str(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise DataError(f"{name}: rules file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"{name}: cannot be read ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise DataError(f"{name}{where}: broken YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise DataError(f"{name}: expected a mapping with keys ladder, sets, levels, rules")
    errors: list[str] = []

    def err(msg: str) -> None:
        errors.append(f"{name}: {msg}")

    # ladder
    ladder = data.get("ladder")
    rungs: dict[int, str] = {}
    next_step: dict[str, str | None] = {}
    if not isinstance(ladder, dict):
        err("ladder is missing (expected rungs and next_step)")
    else:
        raw_rungs = ladder.get("rungs")
        if not isinstance(raw_rungs, dict):
            err("ladder.rungs is missing (expected rungs 0-4 mapped to level ids)")
        else:
            for r in range(MAX_RUNG + 1):
                level = raw_rungs.get(r, raw_rungs.get(str(r)))
                if level not in _LADDER_LEVELS:
                    err(f"ladder.rungs.{r} {_show(level)} is not allowed (allowed: {', '.join(_LADDER_LEVELS)})")
                else:
                    rungs[r] = level
            extra = sorted(str(k) for k in raw_rungs if str(k) not in {str(r) for r in range(MAX_RUNG + 1)})
            if extra:
                err(f"ladder.rungs.{extra[0]} is not a rung (expected 0-{MAX_RUNG})")
        raw_next = ladder.get("next_step")
        if not isinstance(raw_next, dict):
            err("ladder.next_step is missing (expected a level id or null for every level)")
        else:
            for level in vocab.LEVELS:
                if level not in raw_next:
                    err(f"ladder.next_step.{level} is missing (expected a level id or null)")
                    continue
                target = raw_next[level]
                if target is not None and target not in vocab.LEVELS:
                    err(f"ladder.next_step.{level} {_show(target)} is not allowed (allowed: {', '.join(vocab.LEVELS)}, null)")
                else:
                    next_step[level] = target
            for key in raw_next:
                if key not in vocab.LEVELS:
                    err(f"ladder.next_step.{key} is not a level id (allowed: {', '.join(vocab.LEVELS)})")

    # sets
    sets = data.get("sets")
    concern_sets: dict[str, frozenset[str]] = {}
    for set_name in ("psychosocial", "everyday"):
        value = sets.get(set_name) if isinstance(sets, dict) else None
        concern_sets[set_name] = _check_list(value, vocab.CONCERNS, f"sets.{set_name}", err)

    # level texts
    level_texts: dict[str, dict[str, str]] = {}
    raw_levels = data.get("levels")
    if not isinstance(raw_levels, dict):
        err("levels is missing (expected a text in nl and en for every level)")
        raw_levels = {}
    for level in vocab.LEVELS:
        level_texts[level] = _check_texts(raw_levels.get(level), f"levels.{level}", err)
    for key in raw_levels:
        if key not in vocab.LEVELS:
            err(f"levels.{key} is not a level id (allowed: {', '.join(vocab.LEVELS)})")

    # rules
    rules: dict[str, Rule] = {}
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list):
        err(f"rules is missing (expected a list of rules with ids {', '.join(RULE_SPECS)})")
        raw_rules = []
    for number, raw in enumerate(raw_rules, start=1):
        if not isinstance(raw, dict):
            err(f"rules[{number}] is not a mapping (expected id, parameters and text)")
            continue
        rule_id = raw.get("id")
        if rule_id not in RULE_SPECS:
            err(f"rules[{number}].id {_show(rule_id)} is not a known rule (allowed: {', '.join(RULE_SPECS)})")
            continue
        if rule_id in rules:
            err(f"rules[{number}].id '{rule_id}' appears twice")
            continue
        where = f"rule {rule_id}"
        param_spec, variants = RULE_SPECS[rule_id]
        params: dict[str, Any] = {}
        for dotted, kind in param_spec.items():
            value: Any = raw
            for part in dotted.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            params[dotted] = _check_param(value, kind, f"{where}: {dotted}", err)
        allowed_top = _RULE_KEYS | {d.split(".")[0] for d in param_spec}
        for key in raw:
            if key not in allowed_top:
                err(f"{where}: {key} is not a parameter of this rule (allowed: {', '.join(sorted(allowed_top - _RULE_KEYS))})")
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            err(f"{where}: enabled {_show(enabled)} is not allowed (allowed: true, false)")
            enabled = True
        raw_text = raw.get("text")
        texts: dict[str, dict[str, str]] = {}
        if variants is None:
            texts[""] = _check_texts(raw_text, f"{where}: text", err)
        else:
            if not isinstance(raw_text, dict):
                raw_text = {}
            for variant in variants:
                texts[variant] = _check_texts(raw_text.get(variant), f"{where}: text.{variant}", err)
        rules[rule_id] = Rule(rule_id, enabled, MappingProxyType(params), MappingProxyType(texts))
    for rule_id in RULE_SPECS:
        if rule_id not in rules:
            err(f"rule {rule_id} is missing (every rule must be listed; set enabled: false to switch one off)")
    if errors:
        raise DataError(errors)
    return Rules(
        source=name,
        rungs=MappingProxyType(rungs),
        next_step=MappingProxyType(next_step),
        psychosocial=concern_sets["psychosocial"],
        everyday=concern_sets["everyday"],
        level_texts=MappingProxyType({k: MappingProxyType(v) for k, v in level_texts.items()}),
        rules=MappingProxyType(rules),
        active=MappingProxyType({rule_id: rule for rule_id, rule in rules.items() if rule.enabled}),
    )


# ---- field checks ---------------------------------------------------------------------------

def _show(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


def _check_list(value: Any, choices: tuple[str, ...], where: str, err: Any) -> frozenset[str]:
    if not isinstance(value, list):
        err(f"{where} {_show(value)} is not a list (allowed values: {', '.join(choices)})")
        return frozenset()
    bad = [v for v in value if v not in choices]
    if bad:
        err(f"{where} {_show(bad[0])} is not allowed (allowed: {', '.join(choices)})")
    return frozenset(v for v in value if v in choices)


def _check_param(value: Any, kind: tuple[Any, ...], where: str, err: Any) -> Any:
    tag = kind[0]
    if tag == "list":
        return _check_list(value, kind[1], where, err)
    if tag == "choice":
        if value not in kind[1]:
            err(f"{where} {_show(value)} is not allowed (allowed: {', '.join(kind[1])})")
            return kind[1][0]
        return value
    if tag == "int":
        lo, hi = kind[1], kind[2]
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            err(f"{where} {_show(value)} is not allowed (expected a whole number {lo}-{hi})")
            return lo
        return value
    if tag == "flags":
        return _check_flags(value, where, err)
    if tag == "rungs":
        keys = kind[1]
        if not isinstance(value, dict):
            err(f"{where} {_show(value)} is not a mapping (expected a rung 0-{MAX_RUNG} for each of: {', '.join(keys)})")
            return {k: 0 for k in keys}
        out: dict[str, int] = {}
        for key in keys:
            out[key] = _check_param(value.get(key), _RUNG, f"{where}.{key}", err)
        for key in value:
            if key not in keys:
                err(f"{where}.{key} is not allowed (allowed: {', '.join(keys)})")
        return MappingProxyType(out)
    raise AssertionError(tag)


def _check_flags(value: Any, where: str, err: Any) -> Mapping[str, Any]:
    """The red-flag table: every red flag with its contacts, urgency and treatment route."""
    out: dict[str, Any] = {}
    if not isinstance(value, dict):
        err(f"{where} {_show(value)} is not a mapping (expected contacts, urgency and also for each of: "
            f"{', '.join(vocab.RED_FLAGS)})")
        return MappingProxyType(out)
    for flag in value:
        if flag not in vocab.RED_FLAGS:
            err(f"{where}.{flag} is not a red flag (allowed: {', '.join(vocab.RED_FLAGS)})")
    for flag in value:
        if flag not in vocab.RED_FLAGS:
            continue
        row = value[flag] if isinstance(value[flag], dict) else {}
        contacts = row.get("contacts")
        if not isinstance(contacts, list) or any(c not in vocab.CONTACTS for c in contacts):
            err(f"{where}.{flag}.contacts {_show(contacts)} is not allowed (expected a list of: {', '.join(vocab.CONTACTS)})")
            contacts = [c for c in contacts or () if c in vocab.CONTACTS] if isinstance(contacts, list) else []
        urgency = row.get("urgency")
        if urgency not in vocab.URGENCIES:
            err(f"{where}.{flag}.urgency {_show(urgency)} is not allowed (allowed: {', '.join(vocab.URGENCIES)})")
            urgency = vocab.URGENCIES[-1]
        also = row.get("also", [])
        if also is None:
            also = []
        if not isinstance(also, list) or any(a not in _LADDER_LEVELS for a in also):
            err(f"{where}.{flag}.also {_show(also)} is not allowed (expected a list of: {', '.join(_LADDER_LEVELS)})")
            also = []
        out[flag] = MappingProxyType({"contacts": tuple(str(c) for c in contacts), "urgency": urgency,
                                      "also": tuple(also)})
    return MappingProxyType(out)


def _check_texts(value: Any, where: str, err: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    if not isinstance(value, dict):
        err(f"{where} is missing (expected a text in {' and '.join(RULE_LANGUAGES)})")
        return {lang: "" for lang in RULE_LANGUAGES}
    for audience in TEXT_AUDIENCES:  # optional texts for young adults
        extra = value.get(audience)
        if extra is None:
            continue
        if not isinstance(extra, dict):
            err(f"{where}.{audience} is not a mapping (expected a text in {' and '.join(RULE_LANGUAGES)})")
            continue
        for key, text in _check_texts(extra, f"{where}.{audience}", err).items():
            out[f"{audience}.{key}"] = text
    for lang in RULE_LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            err(f"{where}.{lang} is missing (expected a non-empty text)")
            out[lang] = ""
            continue
        try:
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
        except ValueError as exc:
            err(f"{where}.{lang} has a broken placeholder ({exc})")
            fields = set()
        unknown = sorted(f for f in fields if f not in PLACEHOLDERS)
        if unknown:
            err(f"{where}.{lang} placeholder '{{{unknown[0]}}}' is not known (allowed: "
                + ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS)) + ")")
        out[lang] = text.strip()
    for lang in value:
        if lang not in RULE_LANGUAGES and lang not in TEXT_AUDIENCES:
            err(f"{where}.{lang} is not a supported language (allowed: {', '.join(RULE_LANGUAGES)})")
    return out


__all__ = ["Rule", "Rules", "pick_text", "load_rules", "default_rules", "parse_rules", "rules_path", "DEFAULT_RULES", "RULE_SPECS"]
