"""Load test: N concurrent browser sessions doing the GP flow against one local server.

    .venv/bin/python benchmarks/load_test.py [--sessions 10] [--seconds 120] [--url http://127.0.0.1:PORT]

One headless Debian Chromium, one browser context (= one Streamlit session) per simulated GP. Each
session repeats the GP's fast path until the time is up: open the Hulpwijzer, type a postcode,
an age, pick a concern, impact and duration, open the route card. Every interaction is timed
from the key press or click until Streamlit reports the rerun finished (and, for the route card,
until the card is on screen). Reports interactions, errors, p50/p95/max latency, flows per minute.

Bounded and local: at most ``--sessions`` (<= 20) contexts, for ``--seconds`` (<= 600) plus a
hard stop; the server runs on 127.0.0.1 (started here unless ``--url`` is given) and every
request that does not go to 127.0.0.1 is aborted and counted as an error.
Exit code 1 when any error occurred.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from playwright.async_api import async_playwright, expect  # noqa: E402

from e2e import harness  # noqa: E402
from socialmap import i18n, vocab  # noqa: E402

T = lambda key: i18n.t(key, "nl")  # noqa: E731
L = lambda kind, value: i18n.label(kind, value, "nl")  # noqa: E731
STEP_TIMEOUT_MS = 60_000
CONCERNS = ("anxiety", "low_mood", "sleep", "behaviour", "parenting", "school", "social")


def _postcodes() -> list[str]:
    import csv

    path = harness.SHIPPED_REGION / "postcodes.csv"
    with open(path, encoding="utf-8") as fh:
        return [row["pc4"] for row in csv.DictReader(fh)]


class Stats:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.flows = 0
        self.blocked: list[str] = []

    def add(self, step: str, ms: float) -> None:
        self.latency.setdefault(step, []).append(ms)

    def all(self) -> list[float]:
        return sorted(v for vs in self.latency.values() for v in vs)


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


async def _timed(page, stats: Stats, step: str, action, done=None) -> None:
    """Run ``action`` and wait for the rerun it starts (or for ``done``); record the latency."""
    page.sm_step = step
    before = page.sm_finished_runs
    t0 = time.perf_counter()
    await action()
    if done is None:
        while page.sm_finished_runs <= before:
            if time.perf_counter() - t0 > STEP_TIMEOUT_MS / 1000:
                raise AssertionError("no finished run (websocket count)")
            await asyncio.sleep(0.05)
        await page.wait_for_function(harness._IDLE_JS, timeout=STEP_TIMEOUT_MS)
    else:
        await done()
    stats.add(step, (time.perf_counter() - t0) * 1000)


async def _click_radio(radio) -> None:
    holder = radio.locator("xpath=ancestor::label[1]")
    await (holder if await holder.count() else radio).click()


async def gp_flow(page, base_url: str, stats: Stats, rng: random.Random, postcodes: list[str]) -> None:
    main = page.locator('[data-testid="stMain"]')

    async def opened() -> None:
        # As harness.open_page + settle: connected, first run done, and no run for 500 ms.
        await page.wait_for_function(harness._IDLE_JS, timeout=STEP_TIMEOUT_MS)
        await page.evaluate(harness._COUNT_RUNS_JS)
        await main.get_by_role("textbox", name=T("advisor.q.postcode.short")).wait_for(timeout=STEP_TIMEOUT_MS)
        await page.wait_for_function(
            f"() => ({harness._IDLE_JS})() && performance.now() - window.__smLastChange > 500",
            timeout=STEP_TIMEOUT_MS, polling=100)

    t0 = time.perf_counter()
    page.sm_step = "open page"
    await page.goto(f"{base_url}/hulpwijzer", wait_until="domcontentloaded")
    await opened()
    stats.add("open page", (time.perf_counter() - t0) * 1000)

    box = main.get_by_role("textbox", name=T("advisor.q.postcode.short"))
    await box.click()
    await box.fill(rng.choice(postcodes))
    await _timed(page, stats, "postcode", lambda: box.press("Enter"))
    age = main.get_by_role("spinbutton", name=T("advisor.q.age.short"))
    await age.click()
    await age.fill(str(rng.randint(1, 17)))
    await _timed(page, stats, "age", lambda: age.press("Enter"))
    concern = L("concern", rng.choice(CONCERNS))
    pill = main.get_by_role("button", name=concern, exact=True)

    async def pick() -> None:
        await pill.click()

    await _timed(page, stats, "concern", pick)
    for kind, values in (("impact", ("mild", "moderate", "severe")), ("duration", vocab.DURATIONS)):
        group = main.get_by_role("radiogroup", name=T(f"advisor.q.{kind}.short"))
        radio = group.get_by_role("radio", name=L(kind, rng.choice(values)), exact=True)
        await _timed(page, stats, kind, lambda radio=radio: _click_radio(radio))
    link = main.get_by_role("link", name=T("advisor.result.routecard_button"), exact=True)
    await link.wait_for(timeout=STEP_TIMEOUT_MS)

    async def card_shown() -> None:
        await page.wait_for_url(re.compile(r"/routekaart\?"), timeout=STEP_TIMEOUT_MS)
        await page.wait_for_function(harness._IDLE_JS, timeout=STEP_TIMEOUT_MS)
        await expect(main.locator(".sm-card")).to_be_visible(timeout=STEP_TIMEOUT_MS)

    await _timed(page, stats, "route card", lambda: link.click(), card_shown)
    problems = await main.get_by_text("This app has encountered an error").count()
    if problems:
        raise AssertionError("the app showed an error")


async def session(browser, n: int, base_url: str, stats: Stats, deadline: float, max_flows: int,
                  postcodes: list[str], ramp_s: float = 0.0) -> None:
    rng = random.Random(n)
    await asyncio.sleep(n * ramp_s)  # ramp-up: GPs do not all open the app in the same millisecond
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page_errors: list[str] = []

    async def route(r) -> None:
        url = r.request.url
        if re.match(r"^(https?|wss?)://127\.0\.0\.1(:\d+)?/", url) or url.startswith(("data:", "blob:", "about:")):
            await r.continue_()
        else:
            stats.blocked.append(url)
            await r.abort()

    await ctx.route("**/*", route)
    page = await ctx.new_page()
    harness.track_runs(page)
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    page.on("dialog", lambda d: asyncio.ensure_future(d.dismiss()))
    try:
        for i in range(max_flows):
            if time.monotonic() >= deadline:
                break
            try:
                await gp_flow(page, base_url, stats, rng, postcodes)
                stats.flows += 1
            except Exception as exc:  # count, keep a screenshot of the first few, go on
                stats.errors.append(f"session {n} flow {i} step {getattr(page, 'sm_step', '?')}: "
                                    f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
                if len(stats.errors) <= 3:
                    harness.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    await page.screenshot(path=str(harness.SCREENSHOTS / f"load-error-{len(stats.errors)}.png"))
            stats.errors.extend(f"session {n}: page error {e[:200]}" for e in page_errors)
            page_errors.clear()
    finally:
        await ctx.close()


async def run(base_url: str, sessions: int, seconds: float, max_flows: int, ramp_s: float = 0.0) -> Stats:
    stats = Stats()
    postcodes = _postcodes()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=harness.CHROMIUM, headless=True, args=harness.CHROMIUM_ARGS)
        try:
            # One visit to "/" first: a fresh server runs pages/*.py without app.py until the first
            # st.navigation call (see tests/e2e/test_e2e_pages.py); it also loads the atlas once.
            warm = await browser.new_context()
            page = await warm.new_page()
            await page.goto(base_url + "/", wait_until="domcontentloaded")
            await page.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"]',
                                         timeout=STEP_TIMEOUT_MS)
            await page.wait_for_function(harness._IDLE_JS, timeout=STEP_TIMEOUT_MS)
            await warm.close()
            deadline = time.monotonic() + seconds
            tasks = [session(browser, n, base_url, stats, deadline, max_flows, postcodes, ramp_s) for n in range(sessions)]
            # Hard stop: the last flow may still finish after the deadline, but never run away.
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + 180)
        finally:
            await browser.close()
    return stats


def summary(stats: Stats, sessions: int, seconds: float, wall: float, ramp_s: float = 0.0) -> dict:
    all_ms = stats.all()
    per_step = {step: {"n": len(v), "p50_ms": round(_p(v, 0.5)), "p95_ms": round(_p(v, 0.95)), "max_ms": round(max(v))}
                for step, v in stats.latency.items()}
    interactions = [v for step, vs in stats.latency.items() if step != "open page" for v in vs]
    return {
        "sessions": sessions, "seconds": seconds, "ramp_s": ramp_s, "wall_s": round(wall, 1), "flows": stats.flows,
        "flows_per_min": round(stats.flows / (wall / 60), 1),
        "interactions": len(interactions), "errors": len(stats.errors) + len(stats.blocked),
        "interaction_p50_ms": round(_p(interactions, 0.5)), "interaction_p95_ms": round(_p(interactions, 0.95)),
        "interaction_max_ms": round(max(interactions)) if interactions else None,
        "all_p95_ms": round(_p(all_ms, 0.95)) if all_ms else None,
        "per_step": per_step, "error_list": stats.errors[:20], "blocked": stats.blocked[:10],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--max-flows", type=int, default=500, help="per session, an upper bound")
    ap.add_argument("--ramp", type=float, default=0.0, help="seconds between the starts of two sessions")
    ap.add_argument("--url", help="an already running app on 127.0.0.1 (default: start one)")
    ap.add_argument("--json", type=Path, default=harness.ARTIFACTS / "bench" / "load_test.json")
    args = ap.parse_args(argv)
    if not 1 <= args.sessions <= 20 or not 1 <= args.seconds <= 600:
        ap.error("--sessions must be 1-20 and --seconds 1-600")
    if args.url and not re.match(r"^http://127\.0\.0\.1:\d+/?$", args.url):
        ap.error("--url must be http://127.0.0.1:PORT (loopback only)")
    server = None if args.url else harness.StreamlitServer(region=harness.SHIPPED_REGION, name="load").start()
    base = args.url.rstrip("/") if args.url else server.url
    try:
        t0 = time.perf_counter()
        stats = asyncio.run(run(base, args.sessions, args.seconds, args.max_flows, args.ramp))
        res = summary(stats, args.sessions, args.seconds, time.perf_counter() - t0, args.ramp)
    finally:
        if server is not None:
            server.stop()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(res, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in res.items() if k not in ("per_step",)}, indent=2))
    print("per step:")
    for step, s in res["per_step"].items():
        print(f"  {step:<12} n={s['n']:<5} p50 {s['p50_ms']:>6} ms  p95 {s['p95_ms']:>6} ms  max {s['max_ms']:>6} ms")
    return 1 if res["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
