"""The websocket load client drives the real GP flow: every step finds its widget and the route card appears."""

from __future__ import annotations

import random
import sys

from conftest import run_coroutine
from e2e import harness

sys.path.insert(0, str(harness.ROOT / "benchmarks"))
import ws_load  # noqa: E402


def test_one_websocket_session_walks_the_gp_flow_to_the_route_card(app_server):
    stats = ws_load.Stats()
    run_coroutine(ws_load.gp_flow(app_server.url, stats, random.Random(3), 0.0, None))
    assert stats.errors == []
    assert sorted(stats.latency) == sorted(["open page", *(s.name for s in ws_load.GP_FLOW)])


def test_a_missing_sticky_cookie_is_an_error_not_a_silent_pass(app_server):
    stats = ws_load.Stats()
    try:
        run_coroutine(ws_load.gp_flow(app_server.url, stats, random.Random(3), 0.0, "SERVERID"))
    except ws_load.FlowError as exc:
        assert str(exc) == f"the sticky-session cookie 'SERVERID' was not set by {app_server.url}/"
    else:
        raise AssertionError("no error for a missing sticky cookie")
