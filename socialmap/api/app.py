"""The HSDS 3.0 read API of one or several regions, and ``POST /triage`` (triage contract v2), as one ASGI app.

Endpoints follow the official HSDS OpenAPI (``Page`` objects for lists); our own OpenAPI document
(``/openapi.json``, see :mod:`socialmap.api.openapi`) extends it with the 4xx answers, bounds on
``page``/``per_page``, ``format=ndjson``, ``include_illustrative`` and ``/triage``.

Several regions are served at once: the lists join every region (ids are UUIDs, unique across
regions) and take an optional ``region`` parameter; ``/service_at_locations?postcode=`` and
``POST /triage`` follow the postcode to its region; ``GET /`` names the regions served.

Illustrative records are left out unless ``include_illustrative=true``. CORS is open (read-only
data). ``/triage`` is rate-limited per client. Request bodies and query strings are never
logged: uvicorn runs without its access log, and this module logs nothing about requests.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__ as APP_VERSION
from ..curation import hsds
from ..errors import InputError, SocialMapError
from . import openapi
from ..advisor import postcode_ranges
from .directory import Catalogue, Entry, Holders, Records, fold, parse_when, shallow

MAX_PAGE = 100_000
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50
MAX_PROXIMITY_M = 100_000
MAX_BODY = 16 * 1024
TRIAGE_LIMIT = 30  # requests per client per window
TRIAGE_WINDOW_S = 60.0
_BOOL = {"true": True, "1": True, "false": False, "0": False}


class BadRequest(Exception):
    def __init__(self, parameter: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.parameter, self.message, self.status = parameter, message, status


class RateLimiter:
    """At most ``limit`` calls per ``window`` seconds per client key (in memory, per process)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> tuple[bool, int]:
        now = time.monotonic()
        with self._lock:
            calls = self._calls.setdefault(key, deque())
            while calls and now - calls[0] > self.window:
                calls.popleft()
            if len(calls) >= self.limit:
                return False, max(1, math.ceil(self.window - (now - calls[0])))
            calls.append(now)
            if len(self._calls) > 10_000:  # forget idle clients
                for k in [k for k, v in self._calls.items() if not v or now - v[-1] > self.window]:
                    self._calls.pop(k, None)
            return True, 0


# ---- parameters ----------------------------------------------------------------------------------

def _int(params: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.strip().lstrip("-").isdigit() or len(raw) > 12:
        raise BadRequest(name, f"{name} '{raw[:40]}' is not a whole number (allowed: {low}-{high})")
    value = int(raw)
    if not low <= value <= high:
        raise BadRequest(name, f"{name} {value} is out of range (allowed: {low}-{high})")
    return value


def _bool(params: dict[str, str], name: str) -> bool:
    raw = params.get(name)
    if raw is None:
        return False
    if raw.lower() not in _BOOL:
        raise BadRequest(name, f"{name} '{raw[:40]}' is not allowed (allowed: true, false)")
    return _BOOL[raw.lower()]


def _query(request: Request, allowed: Iterable[str]) -> dict[str, str]:
    allowed = set(allowed)
    params: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key not in allowed:
            continue  # unknown parameters are ignored (as HSDS clients may send their own)
        if key in params:
            raise BadRequest(key, f"{key} is given more than once")
        if len(value) > 500:
            raise BadRequest(key, f"{key} is too long (at most 500 characters)")
        params[key] = value
    fmt = params.get("format", "json")
    if fmt not in ("json", "ndjson"):
        raise BadRequest("format", f"format '{fmt[:40]}' is not allowed (allowed: json, ndjson)")
    if "page" in allowed:  # checked before any filtering
        _int(params, "page", 1, 1, MAX_PAGE)
        _int(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    return params


LIST_PARAMS = ("page", "per_page", "format", "search", "include_illustrative", "region")


def _page(items: list[Any], params: dict[str, str], render: Callable[[Any], dict[str, Any]] = lambda x: x) -> Response:
    """A ``Page`` of ``items`` (only the page's items are rendered), or all of them as NDJSON."""
    if params.get("format") == "ndjson":
        def lines() -> Iterator[bytes]:
            for item in items:
                yield (json.dumps(render(item), ensure_ascii=False) + "\n").encode("utf-8")
        return StreamingResponse(lines(), media_type="application/x-ndjson")
    page = _int(params, "page", 1, 1, MAX_PAGE)
    per_page = _int(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    total = len(items)
    pages = max(1, math.ceil(total / per_page))
    contents = [render(x) for x in items[(page - 1) * per_page: page * per_page]]
    return JSONResponse({"total_items": total, "total_pages": pages, "page_number": page, "size": len(contents),
                         "first_page": page == 1, "last_page": page >= pages, "empty": not contents,
                         "contents": contents})


def _visible(entries: Iterable[Entry], params: dict[str, str]) -> list[Entry]:
    include = _bool(params, "include_illustrative")
    return [e for e in entries if include or not e.illustrative]


def _search(entries: list[Entry], params: dict[str, str]) -> list[Entry]:
    text = params.get("search", "").strip()
    if not text:
        return entries
    words = fold(text).split()
    return [e for e in entries if all(w in e.text for w in words)]


def _service_filters(entries: list[Entry], params: dict[str, str]) -> list[Entry]:
    entries = _search(entries, params)
    if params.get("taxonomy_term_id"):
        term = params["taxonomy_term_id"]
        entries = [e for e in entries if term in e.terms]
    if params.get("taxonomy_id"):
        tax = params["taxonomy_id"]
        entries = [e for e in entries if tax in e.taxonomies]
    if params.get("organization_id"):
        entries = [e for e in entries if e.organization_id == params["organization_id"]]
    if "modified_after" in params:
        try:
            since = parse_when(params["modified_after"])
        except ValueError as exc:
            raise BadRequest("modified_after", str(exc)) from None
        entries = [e for e in entries if e.modified and e.modified >= since]
    return entries


# ---- the app -----------------------------------------------------------------------------------------

def create_app(folders: str | Path | Iterable[str | Path], triage_limit: int = TRIAGE_LIMIT,
               triage_window: float = TRIAGE_WINDOW_S, check_every: float = 30.0) -> FastAPI:
    """The ASGI app for one region folder or several (data loaded now, each region refreshed when its
    files change). ``DataError`` when a region is invalid or two regions share an id or a postcode."""
    holder = Holders([Path(folders)] if isinstance(folders, (str, Path)) else [Path(f) for f in folders], check_every)
    limiter = RateLimiter(triage_limit, triage_window)
    app = FastAPI(title="socialmap HSDS API", version=APP_VERSION, openapi_url=None, docs_url=None, redoc_url=None)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                       allow_headers=["*"], max_age=3600)
    app.state.holder = holder
    spec_cache: dict[str, Any] = {}

    def error(status: int, parameter: str | None, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
        body: dict[str, Any] = {"error": message}
        if parameter:
            body["parameter"] = parameter
        return JSONResponse(body, status_code=status, headers=headers)

    @app.exception_handler(BadRequest)
    async def _bad(_: Request, exc: BadRequest) -> JSONResponse:
        return error(exc.status, exc.parameter, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        name = str((first.get("loc") or ["", "request"])[-1])
        return error(400, name, f"{name}: {first.get('msg', 'invalid value')}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = {404: "not found", 405: "method not allowed"}.get(exc.status_code, str(exc.detail))
        return error(exc.status_code, None, message, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:  # never a traceback (nor a body) in the answer
        return error(500, None, f"internal error ({type(exc).__name__})")

    def data() -> Catalogue:
        return holder.get()

    def view(params: dict[str, str]) -> Records:
        """Every region, or the one ``region`` names (400 naming ``region`` and the regions served)."""
        try:
            return data().select(params.get("region"))
        except InputError as exc:
            raise BadRequest("region", str(exc)) from None

    @app.get("/")
    def meta(request: Request) -> dict[str, Any]:
        base = str(request.base_url).rstrip("/")
        c = data()
        versions = tuple(d.version for d in c.directories.values())
        if spec_cache.get("info_version") != versions:
            spec_cache["info"], spec_cache["info_version"] = served(c), versions
        return {"version": hsds.HSDS_VERSION, "profile": hsds.PROFILE_URL, "openapi_url": f"{base}/openapi.json",
                "api_version": APP_VERSION, **spec_cache["info"]}

    @app.get("/openapi.json")
    def spec(request: Request) -> JSONResponse:
        if "doc" not in spec_cache:
            atlases = [d.atlas for d in data().directories.values()]
            spec_cache["doc"] = openapi.document(
                tuple(sorted(pc for a in atlases for pc in a.postcodes.index)),
                tuple(sorted(code for a in atlases for code in a.areas.index[a.areas["kind"] != "gemeente"])),
                tuple(a.region.id for a in atlases))
        doc = dict(spec_cache["doc"])
        doc["servers"] = [{"url": str(request.base_url).rstrip("/")}]
        return JSONResponse(doc)

    def one(kind: str, ident: str, request: Request, render: Callable[[Entry], dict[str, Any]]) -> JSONResponse:
        params = _query(request, ("include_illustrative", "full_service"))
        entry = data().by_id[kind].get(ident)
        if entry is None or (entry.illustrative and not _bool(params, "include_illustrative")):
            hint = " (an illustrative record: add include_illustrative=true)" if entry is not None else ""
            return error(404, "id", f"{kind[:-1]} '{ident[:60]}' not found{hint}")
        return JSONResponse(render(entry))

    @app.get("/services")
    def services(request: Request) -> Response:
        params = _query(request, (*LIST_PARAMS, "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after",
                                  "minimal", "full"))
        full, minimal = _bool(params, "full"), _bool(params, "minimal")
        entries = _service_filters(_visible(view(params).services, params), params)
        if minimal:  # id and last change (name and status too: the list schema requires them)
            items = [{"id": e.obj["id"], "name": e.obj["name"], "status": e.obj["status"]}
                     | ({"last_modified": f"{e.modified}T00:00:00Z"} if e.modified else {}) for e in entries]
        else:
            items = [e.obj if full else shallow(e.obj) for e in entries]
        return _page(items, params)

    @app.get("/services/{ident}")
    def service(ident: str, request: Request) -> JSONResponse:
        return one("services", ident, request, lambda e: e.obj)

    @app.get("/organizations")
    def organizations(request: Request) -> Response:
        params = _query(request, (*LIST_PARAMS, "full_service", "full"))
        full = _bool(params, "full") or _bool(params, "full_service")
        include = _bool(params, "include_illustrative")
        chosen = view(params)
        entries = _search(_visible(chosen.organizations, params), params)
        return _page(entries, params, lambda e: _org(e, full, include, chosen))

    @app.get("/organizations/{ident}")
    def organization(ident: str, request: Request) -> JSONResponse:
        params = _query(request, ("include_illustrative", "full_service"))
        return one("organizations", ident, request, lambda e: _org(e, True, _bool(params, "include_illustrative"), data()))

    @app.get("/service_at_locations")
    def service_at_locations(request: Request) -> Response:
        params = _query(request, (*LIST_PARAMS, "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after",
                                  "full", "postcode", "proximity"))
        _bool(params, "full")  # items are always nested (location and service)
        proximity = params.get("proximity")  # metres from the postcode's area centroid; ignored without postcode
        if proximity is not None:
            _int(params, "proximity", 0, 0, MAX_PROXIMITY_M)
        d = view(params)  # every region, or the one asked for (checked before the postcode)
        distances = None
        if "postcode" in params:  # the postcode decides the region; region= then only filters (no match: empty)
            try:
                c = data()
                atlas, _ = c.regions.resolve(postcode=params["postcode"])
                serving, (x, y) = c.directories[atlas.region.id].serving(params["postcode"])
            except InputError as exc:
                raise BadRequest("postcode", " ".join(str(exc).split())) from None
            if d is not c and d is not c.directories[atlas.region.id]:
                return _page([], params)
            d = c.directories[atlas.region.id]
            distances = np.hypot(d.sal_xy[:, 0] - x, d.sal_xy[:, 1] - y)
            indices = np.arange(len(d.sal))
            if proximity is not None:  # vectorised distance first, then the service-area check on what is near
                indices = np.flatnonzero(distances <= _int(params, "proximity", 0, 0, MAX_PROXIMITY_M))
            indices = indices[serving[indices]]
            indices = indices[np.argsort(distances[indices], kind="stable")]
        if distances is None:
            return _page(_service_filters(_visible(d.sal, params), params), params, lambda e: e.obj)
        entries = _service_filters(_visible((d.sal[i] for i in indices), params), params)
        at = {id(d.sal[i]): float(distances[i]) for i in indices}
        return _page(entries, params, lambda e: e.obj | {"distance_m": round(at[id(e)])})

    @app.get("/service_at_locations/{ident}")
    def service_at_location(ident: str, request: Request) -> JSONResponse:
        return one("service_at_locations", ident, request, lambda e: e.obj)

    @app.get("/taxonomies")
    def taxonomies(request: Request) -> Response:
        params = _query(request, ("page", "per_page", "format", "search", "region"))
        text = params.get("search", "").lower()
        return _page([t for t in view(params).taxonomies if text in f"{t['name']} {t['description']}".lower()], params)

    @app.get("/taxonomies/{ident}")
    def taxonomy(ident: str) -> JSONResponse:
        found = next((t for t in data().taxonomies if t["id"] == ident), None)
        return JSONResponse(found) if found else error(404, "id", f"taxonomy '{ident[:60]}' not found")

    @app.get("/taxonomy_terms")
    def taxonomy_terms(request: Request) -> Response:
        params = _query(request, ("page", "per_page", "format", "search", "taxonomy_id", "top_only", "parent_id",
                                  "region"))
        text = params.get("search", "").lower()
        terms_all = view(params).terms
        if _bool(params, "top_only"):
            terms_all = [t for t in terms_all if not t.get("parent_id")]
        terms = [t for t in terms_all if text in f"{t['name']} {t['code']} {t['description']}".lower()]
        if params.get("taxonomy_id"):
            terms = [t for t in terms if t["taxonomy_id"] == params["taxonomy_id"]]
        if params.get("parent_id"):
            terms = [t for t in terms if t.get("parent_id") == params["parent_id"]]
        return _page(terms, params)

    @app.get("/taxonomy_terms/{ident}")
    def taxonomy_term(ident: str) -> JSONResponse:
        found = next((t for t in data().terms if t["id"] == ident), None)
        return JSONResponse(found) if found else error(404, "id", f"taxonomy term '{ident[:60]}' not found")

    @app.post("/triage")
    async def triage(request: Request) -> JSONResponse:
        client = request.client.host if request.client else "unknown"
        ok, retry = limiter.allow(client)
        if not ok:
            return error(429, None, f"too many triage requests from this client (at most {limiter.limit} per "
                                    f"{int(limiter.window)} s); try again in {retry} s", {"Retry-After": str(retry)})
        params = _query(request, ("lang", "limit"))
        lang = params.get("lang", "nl")
        if lang not in ("nl", "en"):
            raise BadRequest("lang", f"lang '{lang[:20]}' is not allowed (allowed: nl, en)")
        limit = _int(params, "limit", 0, 0, 100) if "limit" in params else None
        body = await request.body()
        if len(body) > MAX_BODY:
            raise BadRequest("body", f"request body is {len(body)} bytes (at most {MAX_BODY} allowed)", 413)
        try:
            answers = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise BadRequest("body", "request body is not UTF-8 text") from None
        except (json.JSONDecodeError, RecursionError) as exc:
            raise BadRequest("body", f"invalid JSON: {getattr(exc, 'msg', 'nested too deeply')}") from None
        if not isinstance(answers, dict):
            raise BadRequest("body", "expected one JSON object with the answers (triage contract v2)")
        try:
            return JSONResponse(triage_contract(data(), answers, lang, limit))
        except InputError as exc:
            return error(400, getattr(exc, "field", None) or "body", " ".join(str(exc).split()))
        except SocialMapError as exc:
            return error(400, "body", " ".join(str(exc).split()))

    return app


def served(c: Catalogue) -> dict[str, Any]:
    """The regions served (id, name, municipalities, postcodes, attribution) and the licences of all."""
    regions, licenses, attributions = [], [], []
    for rid, d in c.directories.items():
        info = hsds.license_info(d.folder)
        region = d.atlas.region
        regions.append({"id": rid, "name": region.name, "municipalities": [m.name for m in region.municipalities],
                        "postcodes": postcode_ranges(d.atlas.postcodes.index), "attribution": info["attribution"]})
        licenses += [x for x in info["licenses"] if x not in licenses]
        attributions += [info["attribution"]] if info["attribution"] not in attributions else []
    return {"regions": regions, "licenses": licenses, "attribution": " ".join(attributions)}


def _org(entry: Entry, full: bool, include: bool, d: Records) -> dict[str, Any]:
    org = entry.obj
    if not full:
        return shallow(org)
    out = dict(org)
    out["services"] = [s.obj for s in d.services if s.organization_id == org["id"] and (include or not s.illustrative)]
    out["locations"] = [loc for loc in org.get("locations", [])
                        if include or not any(a["link_type"] == hsds.PREFIX + "status" and a["value"] == "illustrative"
                                              for a in loc.get("attributes", []))]
    return out


def triage_contract(c: Catalogue, answers: dict[str, Any], lang: str, limit: int | None) -> dict[str, Any]:
    """The triage contract v2 answer, by the same core call as the app (:func:`socialmap.route.route`):
    the postcode decides the region (``area_code`` without a postcode); a postcode in no region is an
    ``InputError`` naming the regions covered."""
    from ..route import route

    age = answers.get("age")
    if isinstance(age, float) and age.is_integer() and abs(age) < 1000:  # JSON 14.0 is the integer 14
        answers = answers | {"age": int(age)}
    if limit is None:  # the app's default number of services per level
        return route(c.regions, answers, lang).to_contract()
    return route(c.regions, answers, lang, limit=limit or None).to_contract()
