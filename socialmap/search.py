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

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from . import figures, i18n, schedule, vocab
from .parsing import ascii_int
from .derived import per_atlas
from .model import Area, Atlas

#: Minimum rapidfuzz ratio (0-100) for a query word to match a word of a service.
MATCH_THRESHOLD = 80
#: A query word inside a longer word ("spreekuur" in "opvoedspreekuur") needs this partial ratio.
PARTIAL_THRESHOLD = 90
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
    fields: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)  # id -> (field, words)
    atlas_ref: Any = field(repr=False, default=None)


def _build_index(atlas: Atlas) -> SearchIndex:
    svc = atlas.services
    org_names = atlas.organizations["name"].to_dict() if "name" in atlas.organizations else {}
    all_words: dict[str, tuple[str, ...]] = {}
    name_words: dict[str, frozenset[str]] = {}
    fields: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
    concern_words = {c: tuple(dict.fromkeys(w for lang in i18n.LANGUAGES for w in words(i18n.label("concern", c, lang))))
                     for c in vocab.CONCERNS}
    for sid, name, org, desc, concerns in zip(svc.index, svc["name"], svc["organization_id"], svc["description"],
                                              svc["concerns"]):
        own = words(name)
        org_w, desc_w = words(org_names.get(org, "")), words(desc)
        # "angst" finds services helping with anxiety
        conc_w = [w for c in (concerns or ()) for w in concern_words.get(c, words(c))]
        all_words[str(sid)] = tuple(dict.fromkeys([*own, *org_w, *desc_w, *conc_w]))
        name_words[str(sid)] = frozenset(own)
        fields[str(sid)] = tuple((f, tuple(dict.fromkeys(w))) for f, w in
                                 (("name", own), ("organization", org_w), ("description", desc_w), ("concern", conc_w)) if w)
    grouped: dict[str, list[dict[str, Any]]] = {}
    if len(atlas.schedules):
        for row in atlas.schedules[["service_id", "kind", "weekday", "opens", "closes"]].to_dict("records"):
            grouped.setdefault(str(row["service_id"]), []).append(row)
    langs = sorted({lang for values in svc["languages"] for lang in (values or ())})
    return SearchIndex(
        ids=[str(i) for i in svc.index],
        words=all_words,
        name_words=name_words,
        fields=fields,
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
    ids = _id_array(atlas)[mask.to_numpy(dtype=bool)].tolist()
    if filters.open_now or filters.walk_in:
        index = search_index(atlas)
        local = schedule.local_now(now)
        if filters.open_now:
            ids = [i for i in ids if schedule.is_open(index.schedules.get(i, ()), local)]
        if filters.walk_in:
            ids = [i for i in ids if schedule.walk_in_today(index.schedules.get(i, ()), local)]
    return ids


def _word_match(token: str, candidates: Iterable[str]) -> tuple[float, str]:
    """Best similarity of one query word to any word of a service, and that word.

    An equal word or one that starts with the query word (three letters or more) scores 100;
    otherwise the rapidfuzz ratio, or for long compound words the partial ratio ("spreekuur"
    inside "opvoedspreekuur").
    """
    best, best_word = 0.0, ""
    for word in candidates:
        if word == token or (len(token) >= 3 and word.startswith(token)):
            return 100.0, word
        if len(token) >= 4 and abs(len(word) - len(token)) <= max(2, len(token) // 3):
            score = fuzz.ratio(token, word)
        elif len(token) >= 5 and len(word) > len(token):
            score = fuzz.partial_ratio(token, word)
            if score < PARTIAL_THRESHOLD:  # "angst" is not inside "openingstijden"
                continue
        else:
            continue
        if score > best:
            best, best_word = score, word
    return best, best_word


def _word_score(token: str, candidates: Iterable[str]) -> float:
    return _word_match(token, candidates)[0]


#: Weight of the field a query word is found in: the name counts most, then the organisation,
#: then the description and the concerns. Any hit in a heavier field outranks one in a lighter
#: field; within a field an exact hit (100) outranks a fuzzy one (< 100).
FIELD_WEIGHT: dict[str, int] = {"name": 300, "organization": 200, "description": 100, "concern": 100}


@dataclass(frozen=True)
class Reason:
    """Why one query word matched: in which field, which word of the service, exactly or not."""

    token: str
    field: str  # name / organization / description / concern
    word: str
    exact: bool


@dataclass(frozen=True)
class Hit:
    service_id: str
    score: float
    reasons: tuple[Reason, ...]


def keyword_hits(atlas: Atlas, query: str, ids: Iterable[str] | None = None,
                 threshold: float = MATCH_THRESHOLD) -> list[Hit]:
    """Services matching every word of ``query``, most relevant first, with the reasons.

    Per query word the heaviest field it is found in counts (:data:`FIELD_WEIGHT`: name before
    organisation before description), then how well (exact before fuzzy; typos are tolerated down
    to a rapidfuzz ratio of ``threshold``). A service's score is the mean over the query words;
    ties keep the order of ``ids``.
    """
    tokens = [t for t in words(query) if len(t) >= 2]
    index = search_index(atlas)
    pool = index.ids if ids is None else [i for i in ids if i in index.words]
    if not tokens:
        return [Hit(i, 100.0, ()) for i in pool]
    out: list[Hit] = []
    for sid in pool:
        if not all(_word_score(tok, index.words[sid]) >= threshold for tok in tokens):
            continue  # cheap test first: every word must match somewhere
        total, reasons = 0.0, []
        for token in tokens:
            best: tuple[float, Reason] | None = None
            for fname, fwords in index.fields.get(sid, ()):
                score, word = _word_match(token, fwords)
                if score >= threshold:
                    value = FIELD_WEIGHT[fname] + score
                    if best is None or value > best[0]:
                        best = (value, Reason(token, fname, word, score >= 100.0))
            if best is None:
                break
            total += best[0]
            reasons.append(best[1])
        else:
            out.append(Hit(sid, total / len(tokens), tuple(reasons)))
    order = {sid: pos for pos, sid in enumerate(pool)}
    out.sort(key=lambda h: (-h.score, order[h.service_id]))
    return out


def keyword_search(atlas: Atlas, query: str, ids: Iterable[str] | None = None,
                   threshold: float = MATCH_THRESHOLD) -> list[tuple[str, float]]:
    """``(id, score)`` of :func:`keyword_hits`, most relevant first."""
    return [(h.service_id, h.score) for h in keyword_hits(atlas, query, ids, threshold)]


def reason_text(hit: Hit, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """Why a result matched, in words: ``in de naam: "opvoedspreekuur" (lijkt op "opvoedpsreekuur")``."""
    parts = []
    for r in hit.reasons:
        where = i18n.t(f"map.why.{r.field}", lang)
        if r.exact:
            parts.append(i18n.t("map.why.exact", lang, where=where, word=r.word))
        else:
            parts.append(i18n.t("map.why.fuzzy", lang, where=where, word=r.word, token=r.token))
    return "; ".join(dict.fromkeys(parts))


@per_atlas
def _positions(atlas: Atlas) -> dict[str, int]:
    """Service id -> its position in the match index (built once per atlas)."""
    from .matching import match_index

    return {sid: i for i, sid in enumerate(match_index(atlas).ids)}


@dataclass(frozen=True)
class Nearby:
    """A service in a list ordered by distance from a point."""

    service_id: str
    distance_m: float | None  # to its nearest location; None without a location (phone / online)
    serves: bool  # its service area covers the area of the point


def nearby(atlas: Atlas, area: Area, ids: Iterable[str] | None = None,
           radius_m: float | None = None) -> list[Nearby]:
    """The services of ``ids`` (default all) ordered by distance from the area's representative point.

    Distances are straight lines (RD New metres) to a service's nearest location. With
    ``radius_m`` only services within it are kept. Services without a location come last, and
    only those that serve the area (a phone line of another region does not help). Ties: serving
    first, then the order of ``ids``.
    """
    from .matching import match_index
    from .profiles import _distance_array, area_point

    ix = match_index(atlas)
    pos_of = _positions(atlas)
    pool = [str(i) for i in (atlas.services.index if ids is None else ids) if str(i) in pos_of]
    if not pool:
        return []
    positions = np.array([pos_of[s] for s in pool], dtype=np.int64)
    served = np.zeros(len(ix.ids), dtype=bool)
    for code in (vocab.NATIONAL_AREA, *ix.chain(atlas, area.code)):
        hits = ix.by_code.get(code)
        if hits is not None:
            served[hits] = True
    dist = _distance_array(atlas, area_point(atlas, area.code))[positions]
    serves = served[positions]
    located = ~np.isnan(dist)
    keep = np.where(located, True if radius_m is None else dist <= radius_m, serves)
    rank = np.arange(len(pool))
    order = np.lexsort((rank, ~serves, np.where(located, dist, np.inf), ~located))
    return [Nearby(pool[int(k)], float(dist[k]) if located[k] else None, bool(serves[k]))
            for k in order if keep[k]]


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


@per_atlas
def _id_array(atlas: Atlas) -> np.ndarray:
    """The service ids as strings in data order (an object array, built once per atlas)."""
    return np.array([str(i) for i in atlas.services.index], dtype=object)


@per_atlas
def _waiting_all(atlas: Atlas) -> figures.Figure:
    rows = card_rows(atlas)
    return figures.waiting_values([r[3] for r in rows.values()], [r[2] for r in rows.values()])


def list_waiting(atlas: Atlas, ids: list[str]) -> figures.Figure:
    """The real waiting-time figure of a list of distinct services (every service: once per atlas)."""
    if len(ids) == len(atlas.services):  # distinct ids, as many as there are services: all of them
        return _waiting_all(atlas)
    rows = card_rows(atlas)
    return figures.waiting_values([rows[sid][3] for sid in ids], [rows[sid][2] for sid in ids])


def warm_cards(atlas: Atlas) -> None:
    """Build what the map's list reads on every run: card rows, ids, the waiting figure of all."""
    card_rows(atlas)
    _id_array(atlas)
    _waiting_all(atlas)


def illustrative_share(atlas: Atlas, ids: list[str]) -> tuple[int, int]:
    """(illustrative, all) among a list of services, from the card rows."""
    rows = card_rows(atlas)
    return sum(rows[sid][2] == "illustrative" for sid in ids), len(ids)


@per_atlas
def card_rows(atlas: Atlas) -> dict[str, tuple[str, str, str, int | None]]:
    """Service id -> (name, level, status, waiting weeks): what a list card shows, looked up once per atlas."""
    svc = atlas.services
    return {str(sid): (str(name), str(level), str(status), None if pd.isna(wait) else int(wait))
            for sid, name, level, status, wait in zip(svc.index, svc["name"], svc["level"], svc["status"],
                                                      svc["waiting_weeks"])}


__all__ = [
    "ServiceFilters", "SearchIndex", "search_index", "filter_services", "keyword_search", "keyword_hits",
    "Hit", "Reason", "reason_text", "Nearby", "nearby", "FIELD_WEIGHT",
    "services_for_postcode", "services_serving", "card_rows", "warm_cards", "list_waiting", "illustrative_share", "normalise", "words", "MATCH_THRESHOLD",
]
