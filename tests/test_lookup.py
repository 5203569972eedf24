"""Matching by lookup: the precomputed per-(area, level) candidates give exactly ``match``'s result."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from conftest import VALID_MINI
from socialmap import matching, vocab
from socialmap.loader import load_region

NOW = dt.datetime(2026, 3, 4, 10, 30)


def _random_cases(atlas, n, seed):
    rng = random.Random(seed)
    codes = list(atlas.areas.index)
    for _ in range(n):
        levels = rng.sample(vocab.LEVELS, rng.choice((1, 1, 1, 2, 3)))
        if rng.random() < 0.03:
            levels.append("no_such_level")
        concerns = rng.sample(vocab.CONCERNS, rng.choice((0, 0, 1, 2)))
        if rng.random() < 0.03:
            concerns.append("no_such_concern")
        age = rng.choice((None, *range(0, 24)))
        limit = rng.choice((None, 10, 3, 0))
        yield atlas.area(rng.choice(codes)), levels, age, concerns, limit


def _same(atlas, table, cases):
    mismatches = []
    for area, levels, age, concerns, limit in cases:
        reference = matching.match(atlas, area, levels, age, concerns, now=NOW, limit=limit)
        fast = matching.match_by_lookup(atlas, area, levels, age, concerns, now=NOW, limit=limit, table=table)
        if fast != reference:
            mismatches.append((area.code, levels, age, concerns, limit))
    return mismatches


def test_the_lookup_gives_exactly_matchs_result_on_2000_random_cases(shipped_atlas):
    table = matching.MatchLookup(shipped_atlas)
    assert _same(shipped_atlas, table, _random_cases(shipped_atlas, 2000, seed=14)) == []


def test_the_lookup_gives_exactly_matchs_result_in_the_small_region():
    atlas = load_region(VALID_MINI)
    table = matching.MatchLookup(atlas)
    assert _same(atlas, table, _random_cases(atlas, 300, seed=3)) == []


def test_real_records_come_first_then_serving_then_nearest(shipped_atlas):
    table = matching.MatchLookup(shipped_atlas)
    area = shipped_atlas.area(next(c for c in shipped_atlas.areas.index if str(c).startswith("WK")))
    found = matching.match_by_lookup(shipped_atlas, area, ["open_access"], None, now=NOW, table=table)
    keys = [(m.status == "illustrative", not m.serves_area, m.distance_m if m.distance_m is not None else float("inf"))
            for m in found]
    assert len(found) > 3 and keys == sorted(keys)


def test_without_a_built_table_the_lookup_falls_back_to_match(shipped_atlas):
    atlas = load_region(VALID_MINI)
    assert matching.lookup.peek(atlas) is None
    area = atlas.area("BU99910101")
    assert matching.match_by_lookup(atlas, area, ["open_access"], 8, now=NOW) == matching.match(
        atlas, area, ["open_access"], 8, now=NOW)
    assert matching.lookup.peek(atlas) is None  # a request never builds the table itself


def test_an_area_outside_the_table_falls_back_to_match(shipped_atlas):
    table = matching.lookup(shipped_atlas)
    area = shipped_atlas.area(next(iter(shipped_atlas.areas.index)))
    outside = type(area)(**{**area.__dict__, "code": "XX0000"})
    assert table.candidates("XX0000", "open_access") is None
    assert matching.match_by_lookup(shipped_atlas, outside, ["open_access"], None, now=NOW) == matching.match(
        shipped_atlas, outside, ["open_access"], None, now=NOW)


def test_the_advice_uses_the_table_once_it_is_built(shipped_atlas):
    table = matching.lookup(shipped_atlas)
    assert matching.lookup.peek(shipped_atlas) is table
    area = shipped_atlas.area(next(c for c in shipped_atlas.areas.index if str(c).startswith("BU")))
    advice = matching.services_for_advice(shipped_atlas, area, "wijkteam", ("open_access",), 10, now=NOW)
    assert advice == (matching.match(shipped_atlas, area, ["wijkteam"], 10, now=NOW, limit=10)
                      + matching.match(shipped_atlas, area, ["open_access"], 10, now=NOW, limit=10))
    assert table.nbytes > 0


@pytest.mark.parametrize("limit", [None, 1])
def test_levels_named_twice_count_once(shipped_atlas, limit):
    table = matching.lookup(shipped_atlas)
    area = shipped_atlas.area(next(iter(shipped_atlas.areas.index)))
    assert matching.match_by_lookup(shipped_atlas, area, ["wijkteam", "wijkteam"], None, now=NOW, limit=limit,
                                    table=table) == matching.match(shipped_atlas, area, ["wijkteam"], None, now=NOW,
                                                                   limit=limit)
