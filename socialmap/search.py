"""Filters and typo-tolerant keyword search over a region's services.

:class:`ServiceFilters` holds what a user picked on the Sociale kaart (care level, concern, age,
access route, open now, walk-in today, language, status). :func:`filter_services` applies it;
:func:`keyword_search` ranks services by a free-text query over their name, organisation and
description with rapidfuzz, so ``opvoedspreekur`` still finds the *Opvoedspreekuur*.
:func:`services_for_postcode` resolves a postcode and lists the services that serve that area.

Per-atlas lookup tables are built once (:func:`search_index`, cached per atlas object).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import weakref
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

import pandas as pd
from rapidfuzz import fuzz

from . import i18n, schedule, vocab
from .parsing import ascii_int
from .derived import per_atlas
from .model import Area, Atlas

#: Minimum rapidfuzz ratio (0-100) for a query word to match a word of a service.
MATCH_THRESHOLD = 80
_WORD = re.compile(r"[0-9a-z]+")


def normalise(text: object) -> str:
    """Lower case without accents (``Café`` → ``cafe``)."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def words(text: object) -> list[str]:
    return _WORD.findall(normalise(text))


@dataclass(frozen=True)
class ServiceFilters:
    """What to show. Empty tuples mean "any"."""

    levels: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()
    age: int | None = None  # years
    access_routes: tuple[str, ...] = ()
    open_now: bool = False
    walk_in: bool = False
    languages: tuple[str, ...] = ()
    hide_illustrative: bool = False

    # ---- URL round trip (st.query_params) -------------------------------------------------
    def to_params(self) -> dict[str, str]:
        """Short query parameters; defaults are left out so the URL stays short."""
        out: dict[str, str] = {}
        if self.levels:
            out["level"] = ",".join(self.levels)
        if self.concerns:
            out["concern"] = ",".join(self.concerns)
        if self.age is not None:
            out["age"] = str(self.age)
        if self.access_routes:
            out["access"] = ",".join(self.access_routes)
        if self.open_now:
            out["open"] = "1"
        if self.walk_in:
            out["walkin"] = "1"
        if self.languages:
            out["lang_spoken"] = ",".join(self.languages)
        if self.hide_illustrative:
            out["real"] = "1"
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "ServiceFilters":
        """Parse query parameters; unknown or malformed values are dropped, never raised."""

        def listed(key: str, allowed: Iterable[str] | None) -> tuple[str, ...]:
            raw = str(params.get(key, "") or "")
            items = [v.strip() for v in raw.split(",") if v.strip()]
            if allowed is not None:
                allowed_set = set(allowed)
                items = [v for v in items if v in allowed_set]
            return tuple(dict.fromkeys(items))

        age: int | None = None
        parsed_age = ascii_int(str(params.get("age", "") or ""))  # '²'.isdigit() is true, int('²') fails
        if parsed_age is not None and 0 <= parsed_age <= vocab.AGE_MAX_YEARS:
            age = parsed_age
        langs = tuple(v for v in listed("lang_spoken", None) if re.fullmatch(r"[a-z]{2}", v))
        return cls(
            levels=listed("level", vocab.LEVELS),
            concerns=listed("concern", vocab.CONCERNS),
            age=age,
            access_routes=listed("access", vocab.ACCESS_ROUTES),
            open_now=str(params.get("open", "")) == "1",
            walk_in=str(params.get("walkin", "")) == "1",
            languages=langs,
            hide_illustrative=str(params.get("real", "")) == "1",
        )

    def with_(self, **changes: Any) -> "ServiceFilters":
        return replace(self, **changes)


@dataclass
class SearchIndex:
    """Lookup tables over an atlas's services, built once per atlas.

    The searchable words of a service are those of its name, its organisation's name, its
    description and the Dutch and English labels of its concerns.
    """

    ids: list[str]
    words: dict[str, tuple[str, ...]]  # service id -> distinct words of name, organisation, description
    name_words: dict[str, frozenset[str]]
    schedules: dict[str, tuple[tuple[str, int, int, int], ...]]
    located: frozenset[str]  # services with at least one location
    languages: tuple[str, ...]  # all spoken languages, sorted
    atlas_ref: Any = field(repr=False, default=None)


def _build_index(atlas: Atlas) -> SearchIndex:
    svc = atlas.services
    org_names = atlas.organizations["name"].to_dict() if "name" in atlas.organizations else {}
    all_words: dict[str, tuple[str, ...]] = {}
    name_words: dict[str, frozenset[str]] = {}
    for sid, name, org, desc in zip(svc.index, svc["name"], svc["organization_id"], svc["description"]):
        own = words(name)
        text = [*own, *words(org_names.get(org, "")), *words(desc)]
        for concern in svc.at[sid, "concerns"] or ():  # "angst" finds services helping with anxiety
            for lang in i18n.LANGUAGES:
                text.extend(words(i18n.label("concern", concern, lang)))
        all_words[str(sid)] = tuple(dict.fromkeys(text))
        name_words[str(sid)] = frozenset(own)
    grouped: dict[str, list[dict[str, Any]]] = {}
    if len(atlas.schedules):
        for row in atlas.schedules[["service_id", "kind", "weekday", "opens", "closes"]].to_dict("records"):
            grouped.setdefault(str(row["service_id"]), []).append(row)
    langs = sorted({lang for values in svc["languages"] for lang in (values or ())})
    return SearchIndex(
        ids=[str(i) for i in svc.index],
        words=all_words,
        name_words=name_words,
        schedules={sid: schedule.compile_rows(rows) for sid, rows in grouped.items()},
        located=frozenset(str(s) for s in atlas.service_at_location["service_id"]),
        languages=tuple(langs),
        atlas_ref=weakref.ref(atlas),
    )


@per_atlas
def search_index(atlas: Atlas) -> SearchIndex:
    """The :class:`SearchIndex` of an atlas (built on first use, shared, dropped with the atlas)."""
    return _build_index(atlas)


def filter_services(atlas: Atlas, filters: ServiceFilters, now: dt.datetime | None = None) -> list[str]:
    """Ids of the services that pass every filter, in data order."""
    svc = atlas.services
    mask = pd.Series(True, index=svc.index)
    if filters.levels:
        mask &= svc["level"].isin(filters.levels)
    if filters.access_routes:
        mask &= svc["access_route"].isin(filters.access_routes)
    if filters.concerns:
        wanted = set(filters.concerns)
        # a service without concerns is general: it helps with anything
        mask &= svc["concerns"].map(lambda cs: not cs or bool(wanted & set(cs)))
    if filters.age is not None:
        lo = filters.age * 12
        hi = lo + 11
        age_min = svc["age_min_months"].astype("Float64").fillna(0)
        age_max = svc["age_max_months"].astype("Float64").fillna(10**6)
        mask &= ((age_min <= hi) & (age_max >= lo)).astype(bool)
    if filters.languages:
        wanted_lang = set(filters.languages)
        mask &= svc["languages"].map(lambda ls: bool(wanted_lang & set(ls or ())))
    if filters.hide_illustrative:
        mask &= svc["status"] != "illustrative"
    ids = [str(i) for i in svc.index[mask.to_numpy(dtype=bool)]]
    if filters.open_now or filters.walk_in:
        index = search_index(atlas)
        local = schedule.local_now(now)
        if filters.open_now:
            ids = [i for i in ids if schedule.is_open(index.schedules.get(i, ()), local)]
        if filters.walk_in:
            ids = [i for i in ids if schedule.walk_in_today(index.schedules.get(i, ()), local)]
    return ids


def _word_score(token: str, candidates: Iterable[str]) -> float:
    """Best similarity of one query word to any word of a service (prefix counts as a hit)."""
    best = 0.0
    for word in candidates:
        if word == token or (len(token) >= 3 and word.startswith(token)):
            return 100.0
        if len(token) >= 4 and abs(len(word) - len(token)) <= max(2, len(token) // 3):
            score = fuzz.ratio(token, word)
            if score > best:
                best = score
        elif len(token) >= 5 and len(word) > len(token):
            # long compound words: "spreekuur" inside "opvoedspreekuur"
            score = fuzz.partial_ratio(token, word)
            if score > best:
                best = score
    return best


def keyword_search(atlas: Atlas, query: str, ids: Iterable[str] | None = None,
                   threshold: float = MATCH_THRESHOLD) -> list[tuple[str, float]]:
    """Services whose name, organisation or description match every word of ``query``.

    Typos are tolerated (rapidfuzz ratio ≥ ``threshold`` per word). Returns ``(id, score)``,
    best first (a hit in the name ranks above one in the description only).
    """
    tokens = [t for t in words(query) if len(t) >= 2]
    index = search_index(atlas)
    pool = index.ids if ids is None else [i for i in ids if i in index.words]
    if not tokens:
        return [(i, 100.0) for i in pool]
    out: list[tuple[str, float]] = []
    for sid in pool:
        scores = []
        in_name = 0
        for token in tokens:
            score = _word_score(token, index.words[sid])
            if score < threshold:
                break
            scores.append(score)
            if _word_score(token, index.name_words[sid]) >= threshold:
                in_name += 1
        else:
            out.append((sid, min(scores) + 5.0 * in_name / len(tokens)))
    order = {sid: pos for pos, sid in enumerate(pool)}
    out.sort(key=lambda item: (-item[1], order[item[0]]))
    return out


def services_for_postcode(atlas: Atlas, postcode: str, ids: Iterable[str] | None = None) -> tuple[Area, list[str]]:
    """The area of a postcode and the services (of ``ids``, default all) that serve it.

    Services with a local service area come first (most specific area first), national ones
    last; raises ``InputError`` for a malformed postcode or one outside the region.
    """
    area = atlas.resolve_postcode(postcode)
    return area, services_serving(atlas, area.code, ids)


@per_atlas
def _service_areas(atlas: Atlas) -> dict[str, tuple[str, ...]]:
    """service id -> its service-area codes (a dict: one ``.at`` per service took seconds nationally)."""
    return dict(zip(atlas.services.index, atlas.services["service_area"]))


def services_serving(atlas: Atlas, code: str, ids: Iterable[str] | None = None) -> list[str]:
    """Services (of ``ids``, default all) whose service area covers the area ``code``."""
    chain = atlas.area_chain(code)
    rank = {c: i for i, c in enumerate(chain)}
    rank[vocab.NATIONAL_AREA] = len(chain)
    pool = atlas.services.index if ids is None else list(ids)
    hits: list[tuple[int, int, str]] = []
    for pos, sid in enumerate(pool):
        codes = _service_areas(atlas).get(sid) or ()
        best = min((rank[c] for c in codes if c in rank), default=None)
        if best is not None:
            hits.append((best, pos, str(sid)))
    hits.sort()
    return [sid for _, _, sid in hits]


__all__ = [
    "ServiceFilters", "SearchIndex", "search_index", "filter_services", "keyword_search",
    "services_for_postcode", "services_serving", "normalise", "words", "MATCH_THRESHOLD",
]
