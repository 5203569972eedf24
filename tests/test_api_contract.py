"""Contract tests: schemathesis against the API's own OpenAPI document (the official HSDS 3.0
openapi.json extended with 4xx answers, bounds, format=ndjson, region and /triage), on an API that
serves both shipped regions.

Every operation gets at most 20 generated requests (positive and negative), derandomised, so the
run is short and the same in CI; every response must match its documented status and schema.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import schemathesis
from conftest import SHIPPED
from hypothesis import HealthCheck, settings

from socialmap.api.app import create_app
from socialmap.api.openapi import document

_PARENT = Path(tempfile.mkdtemp(prefix="socialmap-contract-"))
_REGIONS = [_PARENT / name for name in ("kennemerland", "heuvelland")]
for _target in _REGIONS:
    shutil.copytree(SHIPPED.parent / _target.name, _target, ignore=shutil.ignore_patterns(".history", ".suggestions", ".review"))
APP = create_app(_REGIONS, triage_limit=100_000)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


def test_our_openapi_document_extends_the_official_one():
    doc = document()
    assert doc["openapi"] == "3.1.0"
    assert set(doc["paths"]) == {"/", "/services", "/services/{id}", "/organizations", "/organizations/{id}",
                                 "/service_at_locations", "/service_at_locations/{id}", "/taxonomies", "/taxonomies/{id}",
                                 "/taxonomy_terms", "/taxonomy_terms/{id}", "/triage"}
    params = doc["components"]["parameters"]
    assert params["per_page"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}
    assert params["format"]["schema"]["enum"] == ["json", "ndjson"]
    services = doc["paths"]["/services"]["get"]["responses"]
    assert set(services) == {"200", "400"} and "application/x-ndjson" in services["200"]["content"]
    assert "raw.githubusercontent.com" not in str(doc)


def test_the_served_document_offers_the_region_filter_with_the_regions_served():
    from fastapi.testclient import TestClient

    doc = TestClient(APP).get("/openapi.json").json()
    assert doc["components"]["parameters"]["region"]["schema"] == {"type": "string", "maxLength": 100,
                                                                 "enum": ["heuvelland", "kennemerland"]}
    with_region = sorted(p for p, item in doc["paths"].items()
                         if {"$ref": "#/components/parameters/region"} in item.get("get", {}).get("parameters", []))
    assert with_region == ["/organizations", "/service_at_locations", "/services", "/taxonomies", "/taxonomy_terms"]
    pattern = doc["components"]["parameters"]["postcode"]["schema"]["pattern"]
    assert "6211" in pattern and "2011" in pattern


@schema.parametrize()
@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case):
    case.call_and_validate()
