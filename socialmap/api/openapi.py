"""Our OpenAPI document: the official HSDS 3.0 ``openapi.json`` extended with what this API adds.

Starting from the official file (``socialmap/curation/hsds-3.0/openapi.json``, unchanged), this
module:

* fills ``info`` (title, version, licence) and points the schema ``$ref``s, which in the official
  file are URLs on raw.githubusercontent.com, at local copies under ``components/schemas`` (the
  entity schemas of ``compiled/service_with_definitions.json`` and the compiled list schemas), so
  the document works offline;
* bounds ``page`` (1-100000) and ``per_page`` (1-100), restricts ``format`` to ``json``/``ndjson``
  and documents the NDJSON stream, adds ``include_illustrative`` to every list and lookup,
  gives ``proximity`` a pattern (whole metres, at most 100 km) and ``modified_after`` the standard
  ``date-time`` format;
* adds ``region`` (the ids of the regions served) to the lists, for filtering by region;
* adds the error answers: ``400`` (a message naming the parameter), ``404``, ``429``, ``413``;
* adds ``POST /triage`` (triage contract v2) with its request and response schemas.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

from .. import __version__, vocab
from ..curation import hsds

_RAW = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
_LIST_SCHEMAS = {"compiled/service_list.json": "hsds_service_list",
                 "compiled/organization_list.json": "hsds_organization_list",
                 "compiled/service_at_location_list.json": "hsds_service_at_location_list"}
_ENTITY = {"compiled/service.json": "service", "compiled/organization.json": "organization",
           "taxonomy.json": "taxonomy", "taxonomy_term.json": "taxonomy_term"}
_DROP = ("$schema", "$id", "name", "path", "datapackage_metadata", "tabular_required", "constraints", "core",
         "datapackage_type", "order", "title")


def _clean(node: Any, prefix: str = "hsds_") -> Any:
    """Drop non-schema keys of the HSDS files and point ``#/definitions/x`` at ``components``."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/definitions/"):
                out[key] = f"#/components/schemas/{prefix}{value.rsplit('/', 1)[-1]}"
            elif key == "properties" and isinstance(value, dict):
                out[key] = {k: _clean(v, prefix) for k, v in value.items()}
            elif key in _DROP or key == "definitions":
                continue
            else:
                out[key] = _clean(value, prefix)
        return out
    if isinstance(node, list):
        return [_clean(x, prefix) for x in node]
    return node


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _triage_schemas(pc4s: tuple[str, ...], area_codes: tuple[str, ...]) -> dict[str, Any]:
    levels = list(vocab.LEVELS)
    request = {
        "type": "object",
        "description": "Answers (triage contract v2). Unknown keys are ignored; unknown values of known keys are refused.",
        "required": ["age", "concerns", "impact", "duration"],
        "properties": {
            "age": {"type": "integer", "minimum": 0, "maximum": vocab.AGE_MAX_YEARS},
            "concerns": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": list(vocab.CONCERNS)}},
            "red_flags": {"type": ["array", "null"], "items": {"type": "string", "enum": list(vocab.RED_FLAGS)}},
            "impact": {"type": "string", "enum": list(vocab.IMPACTS)},
            "duration": {"type": "string", "enum": list(vocab.DURATIONS)},
            "tried": {"type": ["array", "null"], "items": {"type": "string", "enum": levels}},
            "context": {"type": ["array", "null"], "items": {"type": "string", "enum": list(vocab.CONTEXTS)}},
            "postcode": {"type": ["string", "null"],
                         "description": "Dutch postcode of a region served (it decides the region): 2031AB, 2031 ab or 2031",
                         **({"pattern": postcode_pattern(pc4s, optional=True)} if pc4s else {})},
            "area_code": {"type": ["string", "null"],
                          "description": "CBS code of a buurt (BU...) or wijk (WK...) of a region served",
                          **({"enum": [*sorted(area_codes), "", None]} if area_codes else {})},
        },
    }
    response = {
        "type": "object",
        "required": ["contract", "level", "also", "next_step", "urgency", "contacts", "reasons", "rule_ids"],
        "properties": {
            "contract": {"type": "string", "const": "2"},
            "level": {"type": "string", "enum": levels},
            "also": {"type": "array", "items": {"type": "string", "enum": levels}},
            "next_step": {"type": ["string", "null"]},
            "urgency": {"type": "string", "enum": ["now", "today", "soon", "routine"]},
            "contacts": {"type": "array", "items": {"type": "string"}},
            "reasons": {"type": "array", "items": {"type": "string"}},
            "rule_ids": {"type": "array", "items": {"type": "string"}},
            "area": {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                                      "municipality": {"type": "string"}}},
            "services": {"type": "array", "items": {"type": "object", "required": ["id", "name", "level"],
                                                    "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                                                   "level": {"type": "string"}}}},
        },
    }
    return {"TriageAnswers": request, "TriageAdvice": response}


def postcode_pattern(pc4s: tuple[str, ...], optional: bool = False) -> str:
    """A pattern for the regions' postcodes (PC4, or PC6 with or without a space, any case)."""
    core = "(" + "|".join(sorted(pc4s)) + r")\s*([A-Za-z]{2})?\s*"
    return rf"^(|\s*{core})$" if optional else rf"^\s*{core}$"


#: The lists that take ``region``.
REGION_FILTERED = ("/services", "/organizations", "/service_at_locations", "/taxonomies", "/taxonomy_terms")


@functools.lru_cache(maxsize=4)
def document(pc4s: tuple[str, ...] = (), area_codes: tuple[str, ...] = (), regions: tuple[str, ...] = ()) -> dict[str, Any]:
    """The OpenAPI 3.1 document served at ``/openapi.json`` (postcodes, area codes and region ids: those
    of the regions served)."""
    doc = json.loads((hsds.OFFICIAL / "openapi.json").read_text(encoding="utf-8"))
    definitions = json.loads((hsds.OFFICIAL / "compiled" / "service_with_definitions.json").read_text(encoding="utf-8"))
    schemas = doc["components"]["schemas"]
    for name, schema in definitions["definitions"].items():
        schemas[f"hsds_{name}"] = _clean(schema)
    schemas["hsds_service"] = _clean({k: v for k, v in definitions.items() if k != "definitions"})
    for path, name in _LIST_SCHEMAS.items():
        schemas[name] = _clean(json.loads((hsds.OFFICIAL / path).read_text(encoding="utf-8")))
    schemas["Error"] = {"type": "object", "required": ["error"],
                        "properties": {"error": {"type": "string", "description": "What is wrong, in one sentence"},
                                       "parameter": {"type": "string", "description": "The parameter (or field) at fault"}}}
    schemas.update(_triage_schemas(pc4s, area_codes))
    mapping = {_RAW + p: f"#/components/schemas/{n}" for p, n in _LIST_SCHEMAS.items()}
    mapping |= {_RAW + p: f"#/components/schemas/hsds_{n}" for p, n in _ENTITY.items()}

    def relink(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (mapping.get(v, v) if k == "$ref" else relink(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [relink(x) for x in node]
        return node

    doc["paths"] = relink(doc["paths"])
    doc["info"] = {
        "title": "socialmap HSDS 3.0 API",
        "version": __version__,
        "summary": "Read API of a Dutch youth-care social map (HSDS 3.0, socialmap profile) and route advice.",
        "description": ("HSDS 3.0 read endpoints with the socialmap profile (" + hsds.PROFILE_URL + "). "
                        "Illustrative (example) records are left out unless include_illustrative=true. "
                        "Data: CC BY 4.0 (see GET / for the attribution)."),
        "license": {"name": "CC BY 4.0 (data)", "identifier": "CC-BY-4.0"},
    }
    params = doc["components"]["parameters"]
    params["page"]["schema"] = {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1}
    params["per_page"]["schema"] = {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}
    params["format"]["schema"] = {"type": "string", "enum": ["json", "ndjson"], "default": "json"}
    params["proximity"]["schema"] = {"type": "string", "pattern": "^(100000|[0-9]{1,5})$",
                                     "description": "Whole metres, 0-100000; needs postcode"}
    params["modified_after"]["schema"] = {"type": "string", "format": "date-time"}
    if pc4s:
        params["postcode"]["schema"] = {"type": "string", "pattern": postcode_pattern(pc4s)}
    for name in ("search", "taxonomy_term_id", "taxonomy_id", "organization_id", "postcode"):
        params[name]["schema"]["maxLength"] = 500
    for flag in ("minimal", "full", "full_service"):
        params[flag]["schema"] = {"type": "boolean"}
    params["include_illustrative"] = {
        "name": "include_illustrative", "in": "query", "required": False,
        "description": "Also return illustrative (example) records; they are inactive and carry an alert.",
        "schema": {"type": "boolean", "default": False}}
    params["region"] = {
        "name": "region", "in": "query", "required": False,
        "description": ("Only the records of this region (an id; GET / lists the regions served). Without it, every "
                        "region. On /service_at_locations the postcode decides the region; a region other than the "
                        "postcode's then finds nothing."),
        "schema": {"type": "string", "maxLength": 100, **({"enum": sorted(regions)} if regions else {})}}
    ndjson = {"application/x-ndjson": {"schema": {"type": "string",
                                                  "description": "One JSON object per line, all results, no paging"}}}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post") or not isinstance(op, dict):
                continue
            op.setdefault("parameters", []).append({"$ref": "#/components/parameters/include_illustrative"})
            responses = op.setdefault("responses", {})
            responses["400"] = _error("A parameter is not allowed; the message names it")
            if "{id}" in path:
                responses["404"] = _error("No record with this id (or an illustrative one without include_illustrative)")
            if any(p.get("$ref", "").endswith("/format") for p in op["parameters"]):
                responses["200"].setdefault("content", {}).update(ndjson)
    doc["paths"]["/"]["get"]["parameters"] = []
    root = doc["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
    root["api_version"] = {"type": "string", "description": "Version of this API (the socialmap release)."}
    root["regions"] = {"type": "array", "description": "The regions served (every list joins them; see region).",
                       "items": {"type": "object", "required": ["id", "name"], "properties": {
                           "id": {"type": "string"}, "name": {"type": "string"},
                           "municipalities": {"type": "array", "items": {"type": "string"}},
                           "postcodes": {"type": "string", "description": "The region's PC4s as ranges, e.g. 2011-2015, 2019"},
                           "attribution": {"type": "string"}}}}
    root["licenses"] = {"type": "array", "items": {"type": "object"}}
    root["attribution"] = {"type": "string"}
    params["postcode"]["description"] += " Here the postcode also decides the region (a postcode in no region served is a 400)."
    for path in ("/taxonomies", "/taxonomies/{id}", "/taxonomy_terms", "/taxonomy_terms/{id}"):
        item = doc["paths"][path]["get"]
        item["parameters"] = [p for p in item["parameters"] if not p.get("$ref", "").endswith("include_illustrative")]
    for item in doc["paths"]["/taxonomy_terms"]["get"]["parameters"]:
        if item.get("name") == "top_only":
            item["schema"] = {"type": "boolean"}
    for path in REGION_FILTERED:
        doc["paths"][path]["get"]["parameters"].append({"$ref": "#/components/parameters/region"})
    sal = doc["paths"]["/service_at_locations"]["get"]["responses"]["400"]
    sal["description"] += " (also: a postcode in no region served; the message names the regions served)"
    doc["paths"]["/triage"] = {"post": {
        "operationId": "postTriage",
        "summary": "Route advice for one set of answers (triage contract v2), with local services when a postcode is given.",
        "parameters": [
            {"name": "lang", "in": "query", "required": False, "schema": {"type": "string", "enum": ["nl", "en"]}},
            {"name": "limit", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 0, "maximum": 100}, "description": "services per level (0 = all; default: as in the app)"}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TriageAnswers"}}}},
        "responses": {
            "200": {"description": "The advice", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TriageAdvice"}}}},
            "400": _error("The answers are not valid; the message names the field, the value and what is allowed"),
            "413": _error("The request body is larger than 16 KB"),
            "429": _error("Too many requests from this client; see Retry-After"),
        }}}
    doc["components"]["responses"] = {}
    return copy.deepcopy(doc)
