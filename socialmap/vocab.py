"""Controlled vocabularies: stable ids only.

Display labels live in the locale catalogues (``socialmap/locales``) under the keys
``level.<id>``, ``access.<id>``, ``concern.<id>`` and so on, so data files carry keys and the
app shows words. The care levels and rungs follow ``shared/contracts/triage.md``.
"""

from __future__ import annotations

from typing import Final

#: Care levels, lightest first, with their rung (contract: crisis counts as rung 5).
LEVEL_RUNG: Final[dict[str, int]] = {
    "self_help": 0,
    "open_access": 1,
    "gp_practice": 2,
    "wijkteam": 2,
    "basic_mh": 3,
    "specialist_mh": 4,
    "crisis": 5,
}
LEVELS: Final[tuple[str, ...]] = tuple(LEVEL_RUNG)
#: The ladder without the crisis lane.
LADDER: Final[tuple[str, ...]] = LEVELS[:-1]

ACCESS_ROUTES: Final[tuple[str, ...]] = (
    "vrij_toegankelijk",  # no referral, no appointment needed
    "via_huisarts",  # through the GP (POH Jeugd, referral)
    "via_wijkteam",  # through the sociaal wijkteam (beschikking)
    "via_jeugdarts",  # through the JGZ / jeugdarts
    "direct",  # call or walk in directly (crisis lines, huisartsenpost)
)

CONCERNS: Final[tuple[str, ...]] = (
    "parenting", "behaviour", "anxiety", "low_mood", "withdrawal", "self_esteem", "social",
    "development", "school", "sleep", "eating", "eating_disorder", "self_injury", "trauma", "divorce",
    "substance_use", "adhd_medication", "assessment",
)
PSYCHOSOCIAL: Final[frozenset[str]] = frozenset(
    {"behaviour", "anxiety", "low_mood", "withdrawal", "self_esteem", "social", "trauma",
     "divorce", "substance_use", "eating_disorder", "self_injury"}
)
EVERYDAY: Final[frozenset[str]] = frozenset({"parenting", "sleep", "development", "eating", "school"})

RED_FLAGS: Final[tuple[str, ...]] = (
    "suicidality", "self_harm", "psychosis", "severe_eating", "unsafe_home", "danger_to_others",
    "acute_crisis",
)
#: First contacts of the crisis lane (contract v2, principle 1), in no particular order.
CONTACTS: Final[tuple[str, ...]] = ("112", "113", "huisarts_today", "veilig_thuis")
#: Urgency, least urgent first (contract v2, principle 9 and the red-flag table).
URGENCIES: Final[tuple[str, ...]] = ("routine", "soon", "today", "now")
#: Who the answers are about: a child (0-17), a young adult (18-23) as told by a parent, or
#: a young adult filling the answers in for themselves.
AUDIENCES: Final[tuple[str, ...]] = ("child", "young_adult", "young_adult_self")
ADULT_AGE: Final[int] = 18
#: The version of the triage contract the engine implements (in its output and in route links).
CONTRACT_VERSION: Final[str] = "2"

IMPACTS: Final[tuple[str, ...]] = ("none", "mild", "moderate", "severe")
DURATIONS: Final[tuple[str, ...]] = ("weeks", "months", "long")
CONTEXTS: Final[tuple[str, ...]] = (
    "debts", "housing", "parent_mental_health", "parent_addiction", "divorce_conflict",
    "caregiver_overload", "lvb",
)

#: Record status: verified (public source with URL and year), to_verify, illustrative.
STATUSES: Final[tuple[str, ...]] = ("verified", "to_verify", "illustrative")

#: Youth professional in a GP practice.
GP_YOUTH_PROFESSIONALS: Final[tuple[str, ...]] = ("poh_jeugd", "ojg", "soh_jggz", "none")

#: Cost of a service to the family.
COSTS: Final[tuple[str, ...]] = ("free", "jeugdwet", "insured", "paid")

#: Schedule kinds: regular opening hours and walk-in (inloop) hours.
SCHEDULE_KINDS: Final[tuple[str, ...]] = ("open", "walk_in")
WEEKDAYS: Final[tuple[str, ...]] = ("mo", "tu", "we", "th", "fr", "sa", "su")

#: Area kinds, coarsest first. ``NL`` is the national service area.
AREA_KINDS: Final[tuple[str, ...]] = ("gemeente", "wijk", "buurt")
NATIONAL_AREA: Final[str] = "NL"

AGE_MAX_YEARS: Final[int] = 23


def rung(level: str) -> int:
    """The rung of a level id (crisis counts as 5)."""
    return LEVEL_RUNG[level]
