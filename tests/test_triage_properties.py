"""Bulk checks of the pure route engine against the triage contract v2.

- Principle 10 (monotone): over 100,000 random single-step worsenings (more impact, longer, one
  more level tried, one more concern, a context stressor, a red flag), the rung and the urgency
  never go down. A seeded loop keeps it fast and repeatable; a hypothesis test explores the same
  property with shrinking.
- An independent implementation of the v2 principles, written here from the contract text and
  importing nothing of the engine's rule code, agrees with the engine on 100,000 random inputs.

Both call ``triage.decide`` (the engine without texts) so they stay fast.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from socialmap.rules import default_rules
from socialmap.triage import Answers, decide

SWEEP = 100_000
COMPARISONS = 100_000

# ---- the contract's vocabulary, written out again (not imported) -------------------------------

CONCERNS = ("parenting", "behaviour", "anxiety", "low_mood", "withdrawal", "self_esteem", "social",
            "development", "school", "sleep", "eating", "eating_disorder", "self_injury", "trauma", "divorce",
            "substance_use", "adhd_medication", "assessment")
PSYCHOSOCIAL = {"behaviour", "anxiety", "low_mood", "withdrawal", "self_esteem", "social", "trauma", "divorce",
                "substance_use", "eating_disorder", "self_injury"}
EVERYDAY = {"parenting", "sleep", "development", "eating", "school"}
RED_FLAGS = ("danger_to_others", "acute_crisis", "suicidality", "self_harm", "psychosis", "severe_eating",
             "unsafe_home")  # in the order of the contract's table
IMPACTS = ("none", "mild", "moderate", "severe")
DURATIONS = ("weeks", "months", "long")
LEVELS = ("self_help", "open_access", "gp_practice", "wijkteam", "basic_mh", "specialist_mh", "crisis")
CONTEXTS = ("debts", "housing", "parent_mental_health", "parent_addiction", "divorce_conflict",
            "caregiver_overload", "lvb")
URGENCY_ORDER = ("routine", "soon", "today", "now")
RUNG = {"self_help": 0, "open_access": 1, "gp_practice": 2, "wijkteam": 2, "basic_mh": 3, "specialist_mh": 4,
        "crisis": 5}
ON_RUNG = {0: "self_help", 1: "open_access", 2: "gp_practice", 3: "basic_mh", 4: "specialist_mh"}
NEXT = {"self_help": "open_access", "open_access": "gp_practice", "gp_practice": "basic_mh",
        "wijkteam": "basic_mh", "basic_mh": "specialist_mh", "specialist_mh": None, "crisis": None}
FLAG_TABLE = {
    "danger_to_others": (("112", "huisarts_today"), "now", ("specialist_mh",)),
    "acute_crisis": (("112", "huisarts_today"), "now", ()),
    "suicidality": (("113", "huisarts_today", "112"), "today", ("specialist_mh",)),
    "self_harm": (("huisarts_today", "113"), "today", ("specialist_mh",)),
    "psychosis": (("huisarts_today", "112"), "today", ("specialist_mh",)),
    "severe_eating": (("huisarts_today",), "today", ("specialist_mh",)),
    "unsafe_home": (("veilig_thuis", "112"), "today", ("wijkteam",)),
}


def lightest_first(levels):
    return tuple(sorted(set(levels), key=LEVELS.index))


def reference(age, concerns, impact, duration, red_flags, tried, context):
    """The contract's principles 1-9, read literally: (level, also, next_step, urgency, contacts)."""
    c = set(concerns)
    who_else = []  # principle 8, for a level that is not wijkteam / not open_access
    if red_flags:  # 1
        contacts, urgency, also = [], "routine", []
        for flag in RED_FLAGS:
            if flag in red_flags:
                flag_contacts, flag_urgency, flag_also = FLAG_TABLE[flag]
                contacts += [x for x in flag_contacts if x not in contacts]
                urgency = max(urgency, flag_urgency, key=URGENCY_ORDER.index)
                also += flag_also
        if context:
            also.append("wijkteam")
        if age <= 4:
            also.append("open_access")
        return "crisis", lightest_first(also), None, urgency, tuple(contacts)
    minimums = []
    n_psy = len(c & PSYCHOSOCIAL)
    # 2: the impact; severe for weeks starts on rung 2
    minimums.append(2 if (impact, duration) == ("severe", "weeks") else IMPACTS.index(impact))
    # 3: duration
    if impact == "mild" and duration == "long":
        minimums.append(2)
    if impact == "moderate" and duration == "long" and (n_psy >= 2 or "substance_use" in c):
        minimums.append(3)
    # 4: help tried, capped at rung 2 for none / mild
    if tried:
        above = min(max(RUNG[t] for t in tried) + 1, 4)
        minimums.append(min(above, 2) if impact in ("none", "mild") else above)
    # 5: medication and assessment
    if "adhd_medication" in c:
        minimums.append(2)
    if "assessment" in c:
        minimums.append({"none": 2, "mild": 2, "moderate": 4 if age < 6 else 3, "severe": 4}[impact])
    # 6: specific problems
    if "eating_disorder" in c:
        minimums.append({"none": 2, "mild": 3, "moderate": 3, "severe": 4}[impact])
    if "trauma" in c:
        if impact == "severe" and duration in ("months", "long"):
            minimums.append(4)
        if ((impact in ("moderate", "severe") and duration in ("months", "long")) or impact == "severe"
                or (age <= 4 and impact != "none")):
            minimums.append(3)
    if "self_injury" in c:
        minimums.append(2)
    if impact == "severe" and duration == "long" and n_psy >= 2:
        minimums.append(4)
    # 7: context
    if context:
        minimums.append(2)
    rung = max(minimums)
    level = ON_RUNG[rung]
    if context and rung == 2 and (c <= EVERYDAY | {"divorce"} or "lvb" in context):
        level = "wijkteam"
    # 8: who else
    if context and level != "wijkteam":
        who_else.append("wijkteam")
    if age <= 4 and level != "open_access":
        who_else.append("open_access")
    # 9: urgency
    soon = (impact == "severe" or c & {"self_injury", "eating_disorder"}
            or (age <= 4 and "caregiver_overload" in context))
    return level, lightest_first(who_else), NEXT[level], "soon" if soon else "routine", ()


# ---- random answers ---------------------------------------------------------------------------

def random_answers(rng: random.Random, red_flag_chance: float = 0.15):
    concerns = tuple(rng.sample(CONCERNS, rng.choice((1, 1, 2, 2, 3))))
    red = tuple(rng.sample(RED_FLAGS, rng.choice((1, 1, 2, 3)))) if rng.random() < red_flag_chance else ()
    tried = tuple(rng.sample(LEVELS, rng.choice((0, 0, 1, 1, 2))))
    context = tuple(rng.sample(CONTEXTS, rng.choice((0, 0, 0, 1, 2))))
    return (rng.randint(0, 23), concerns, rng.choice(IMPACTS), rng.choice(DURATIONS), red, tried, context)


def worse(rng: random.Random, point):
    """One single-step worsening of the answers, or None when the chosen step is not possible."""
    age, concerns, impact, duration, red, tried, context = point
    step = rng.randrange(6)
    if step == 0 and impact != IMPACTS[-1]:
        return "impact", (age, concerns, IMPACTS[IMPACTS.index(impact) + 1], duration, red, tried, context)
    if step == 1 and duration != DURATIONS[-1]:
        return "duration", (age, concerns, impact, DURATIONS[DURATIONS.index(duration) + 1], red, tried, context)
    if step == 2:
        more = [lvl for lvl in LEVELS if lvl not in tried]
        return "tried", (age, concerns, impact, duration, red, tried + (rng.choice(more),), context)
    if step == 3:
        more = [x for x in CONCERNS if x not in concerns]
        return "concern", (age, concerns + (rng.choice(more),), impact, duration, red, tried, context)
    if step == 4:
        more = [x for x in CONTEXTS if x not in context]
        if more:
            return "context", (age, concerns, impact, duration, red, tried, context + (rng.choice(more),))
    if step == 5:
        more = [x for x in RED_FLAGS if x not in red]
        if more:
            return "red flag", (age, concerns, impact, duration, red + (rng.choice(more),), tried, context)
    return None


RULES = default_rules()


def engine(point):
    return decide(Answers(*point), RULES)


def not_lighter(before, after) -> bool:
    return (after.rung >= before.rung
            and URGENCY_ORDER.index(after.urgency) >= URGENCY_ORDER.index(before.urgency))


# ---- the tests --------------------------------------------------------------------------------

def test_no_single_step_worsening_gives_a_lighter_rung_or_a_less_urgent_urgency_over_100000_pairs():
    rng = random.Random(20261128)
    pairs, steps, lighter = 0, {}, []
    while pairs < SWEEP:
        point = random_answers(rng, red_flag_chance=0.05)
        change = worse(rng, point)
        if change is None:
            continue
        what, after = change
        pairs += 1
        steps[what] = steps.get(what, 0) + 1
        if not not_lighter(engine(point), engine(after)):
            lighter.append((what, point, after))
    assert pairs == SWEEP
    assert min(steps.values()) > SWEEP // 10, steps  # every kind of step is well covered
    assert not lighter, f"{len(lighter)} non-monotone pairs, first: {lighter[:3]}"


@settings(max_examples=1_000, deadline=None, derandomize=True)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_monotonicity_holds_for_hypothesis_chosen_answers_too(seed):
    rng = random.Random(seed)
    point = random_answers(rng)
    for _ in range(6):
        change = worse(rng, point)
        if change is not None:
            assert not_lighter(engine(point), engine(change[1])), (change[0], point, change[1])
            point = change[1]


def test_an_independent_implementation_of_the_v2_principles_agrees_on_100000_random_inputs():
    rng = random.Random(1128)
    wrong = []
    for _ in range(COMPARISONS):
        point = random_answers(rng)
        got = engine(point)
        expected = reference(*point)
        if (got.level, got.also, got.next_step, got.urgency, got.contacts) != expected:
            wrong.append((point, (got.level, got.also, got.next_step, got.urgency, got.contacts), expected))
    assert not wrong, f"{len(wrong)} differences of {COMPARISONS}, first: {wrong[:3]}"


def test_the_rung_always_matches_the_level():
    rng = random.Random(7)
    for _ in range(2_000):
        decision = engine(random_answers(rng))
        assert decision.rung == RUNG[decision.level]
        assert decision.fired
