"""The family's own GP practice: find it, and say what it offers for youth (no Streamlit).

At the ``gp_practice`` level a family can only see the POH Jeugd (or OJG, SOH-JGGZ) of its *own*
practice, so the advice names that one and not other practices' nurses:

- :func:`search`: practices by name or postcode (PC4, or a PC6 of which the digits count);
- :func:`own_practice`: for a chosen practice (or "weet ik niet") whether it has a youth
  professional, on which days, and what to do when it has none (CJG, wijkteam).

Only a *real* record (status ``verified`` or ``to_verify``) is stated as a fact. For a practice
whose record (or whose youth-professional service) is illustrative the answer is "onbekend -
vraag het uw praktijk", never the illustrative professional.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from . import i18n, vocab
from .derived import per_atlas
from .model import Atlas

#: The answer "weet ik niet" (the user does not know their practice, or does not want to say).
UNKNOWN = "onbekend"
#: A picker lists every practice of a region up to this many; a larger (national) region lists
#: those in the municipality of the family's postcode, so no page sends a whole country.
PICKER_ALL_UP_TO = 300
_REAL = ("verified", "to_verify")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,80}$")


@dataclass(frozen=True)
class Practice:
    """One GP practice as the Hulpwijzer shows it."""

    id: str
    name: str
    address: str
    postcode: str
    city: str
    phone: str
    status: str  # the practice record's status (its organization)
    youth_professional: str  # poh_jeugd, ojg, soh_jggz or none (as recorded)
    youth_days: tuple[str, ...]
    service_id: str | None
    service_status: str | None

    @property
    def real(self) -> bool:
        """The practice record is real (verified or to be verified), not an example."""
        return self.status in _REAL

    @property
    def youth_known(self) -> bool:
        """What the record says about the youth professional may be stated as a fact."""
        if not self.real:
            return False
        return self.service_id is None or self.service_status in _REAL

    def label(self) -> str:
        """``name · address, postcode city`` for a picker."""
        where = ", ".join(p for p in (self.address, " ".join(p for p in (self.postcode, self.city) if p)) if p)
        return f"{self.name} · {where}" if where else self.name


@dataclass(frozen=True)
class OwnPractice:
    """What the advice says about the family's own practice."""

    practice: Practice | None  # None: "weet ik niet"
    known: bool  # the youth professional is stated as a fact
    professional: str | None  # poh_jeugd, ojg, soh_jggz; None when none or unknown
    days: tuple[str, ...]
    title: str  # one sentence: what the practice has
    todo: str  # what to do next
    service_id: str | None  # the practice's own youth-professional service, when known and real

    def to_dict(self) -> dict[str, Any]:
        return {"practice_id": self.practice.id if self.practice else None, "known": self.known,
                "professional": self.professional, "days": list(self.days), "title": self.title, "todo": self.todo,
                "service_id": self.service_id}


def _text(value: Any) -> str:
    """A cell as text; missing values (None, NaN, pandas NA) as ""."""
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    return "" if text in ("<NA>", "nan", "None", "NaT") else text


def _fold(text: str) -> str:
    """Lower case without accents, for matching typed names."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def practices(atlas: Atlas) -> list[Practice]:
    """Every GP practice of the region, real ones first, then by name."""
    return list(_practices(atlas))


@per_atlas
def _practices(atlas: Atlas) -> tuple[Practice, ...]:
    out = [_practice(atlas, str(pid)) for pid in atlas.gp_practices.index]
    return tuple(sorted(out, key=lambda p: (not p.real, _fold(p.name), p.id)))


def picker_options(atlas: Atlas, postcode: str | None) -> list[Practice]:
    """The practices a picker offers: all of them in a region of at most ``PICKER_ALL_UP_TO``;
    in a larger one those in the municipality of the family's postcode (none without one)."""
    everyone = _practices(atlas)
    if len(everyone) <= PICKER_ALL_UP_TO:
        return list(everyone)
    digits = re.match(r"^\s*(\d{4})", postcode or "")
    pcs = atlas.postcodes
    if not digits or digits.group(1) not in pcs.index:
        return []
    municipality = pcs.at[digits.group(1), "municipality_code"]
    same = set(pcs.index[pcs["municipality_code"] == municipality])
    return [p for p in everyone if p.postcode.replace(" ", "")[:4] in same]


def _practice(atlas: Atlas, practice_id: str) -> Practice:
    row = atlas.gp_practices.loc[practice_id]
    org_id = _text(row["organization_id"])
    org = atlas.organizations.loc[org_id] if org_id in atlas.organizations.index else None
    loc_id = _text(row["location_id"])
    loc = atlas.locations.loc[loc_id] if loc_id in atlas.locations.index else None
    service_id = _text(row["service_id"]) or None
    service = atlas.services.loc[service_id] if service_id and service_id in atlas.services.index else None
    days = row["youth_days"]
    days = tuple(d for d in (days if isinstance(days, (tuple, list)) else _text(days).split(";")) if d in vocab.WEEKDAYS)
    name = _text(org["name"]) if org is not None else (_text(loc["name"]) if loc is not None else practice_id)
    return Practice(
        id=practice_id, name=name,
        address=_text(loc["address"]) if loc is not None else "",
        postcode=_text(loc["postcode"]) if loc is not None else "",
        city=_text(loc["city"]) if loc is not None else "",
        phone=_text(org["phone"]) if org is not None else "",
        status=_text(org["status"]) if org is not None else "illustrative",
        youth_professional=_text(row["youth_professional"]) or "none",
        youth_days=days, service_id=service_id,
        service_status=_text(service["status"]) if service is not None else None,
    )


def get_id(practice_id: str | None) -> str | None:
    """The id when it is shaped like a practice id or ``UNKNOWN`` (for links), else None."""
    return practice_id if practice_id and _ID.match(practice_id) else None


def get(atlas: Atlas, practice_id: str | None) -> Practice | None:
    """The practice with this id, or None (also for "weet ik niet" and unknown or malformed ids)."""
    if not practice_id or practice_id == UNKNOWN or not _ID.match(practice_id):
        return None
    if practice_id not in atlas.gp_practices.index:
        return None
    return _practice(atlas, practice_id)


def search(atlas: Atlas, query: str, limit: int = 8) -> list[Practice]:
    """Practices whose name contains every typed word, or whose postcode starts with the typed
    digits (``2033``, ``2033 AB``). Real records first; an empty query gives the first ``limit``."""
    query = (query or "").strip()
    everyone = practices(atlas)
    digits = re.match(r"^\s*(\d{4})\s*[A-Za-z]{0,2}\s*$", query)
    if digits:
        pc4 = digits.group(1)
        found = [p for p in everyone if p.postcode.replace(" ", "").startswith(pc4)]
    elif query:
        words = _fold(query).split()
        found = [p for p in everyone if all(w in _fold(f"{p.name} {p.address} {p.city}") for w in words)]
    else:
        found = everyone
    return found[:limit]


def own_practice(atlas: Atlas, practice_id: str | None, lang: str = "nl") -> OwnPractice:
    """What the advice says about the family's own practice (``None`` or ``UNKNOWN``: "weet ik niet")."""
    t = lambda key, **kw: i18n.t(f"advisor.practice.{key}", lang, **kw)  # noqa: E731
    found = get(atlas, practice_id)
    if found is None:
        return OwnPractice(None, False, None, (), t("not_chosen"), t("todo_ask"), None)
    if not found.youth_known:
        return OwnPractice(found, False, None, (), t("unknown", name=found.name), t("todo_ask"), None)
    if found.youth_professional == "none":
        return OwnPractice(found, True, None, (), t("none", name=found.name), t("todo_none"), None)
    who = i18n.label("professional", found.youth_professional, lang)
    days = found.youth_days
    title = (t("has_days", name=found.name, who=who, days=day_list(days, lang)) if days
             else t("has", name=found.name, who=who))
    return OwnPractice(found, True, found.youth_professional, days, title, t("todo_has", who=who), found.service_id)


def day_list(days: tuple[str, ...], lang: str = "nl") -> str:
    """``dinsdag en donderdag``; ``maandag, woensdag en vrijdag``."""
    names = [i18n.label("weekday", d, lang) for d in days]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " " + i18n.t("advisor.practice.and", lang) + " " + names[-1]


__all__ = ["UNKNOWN", "Practice", "OwnPractice", "practices", "get_id", "get", "search", "own_practice", "day_list"]
