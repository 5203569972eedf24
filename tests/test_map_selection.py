"""The services on the map as a compact selection: what a session keeps for the reruns of its map."""

from __future__ import annotations

import pytest

from conftest import VALID_MINI
from socialmap import maps
from socialmap.loader import load_region


@pytest.fixture(scope="module")
def atlas():
    return load_region(VALID_MINI)


def test_a_selection_sends_the_same_services_as_the_list_of_their_ids(atlas):
    index = maps.view_index(atlas)
    view = maps.fit_view(maps.map_data(atlas).bounds)
    chosen = index.selection(["svc-poh", "svc-hap"])
    assert [f["properties"]["id"] for f in index.layers(view, chosen).points] == ["svc-poh"]
    assert index.layers(view, index.selection([])).points == []


def test_a_selection_of_every_service_is_no_selection_and_draws_the_whole_map(atlas):
    index = maps.view_index(atlas)
    assert index.selection(list(atlas.services.index)) is None
    assert index.selection(None) is None


def test_the_same_services_in_another_order_share_one_key_and_one_cached_layer(atlas):
    index = maps.view_index(atlas)
    view = maps.fit_view(maps.map_data(atlas).bounds)
    one, other = index.selection(["svc-cjg", "svc-poh"]), index.selection(["svc-poh", "svc-cjg"])
    assert one.key == other.key and one.key != index.selection(["svc-cjg"]).key
    assert index.layers(view, one) is index.layers(view, other)
    assert index.layers_json(view, one) is index.layers_json(view, other)


def test_a_selection_holds_one_bit_per_service(atlas):
    chosen = maps.view_index(atlas).selection(["svc-cjg"])
    assert chosen.n == len(atlas.services) and chosen.bits.nbytes == -(-len(atlas.services) // 8)
    assert [sid for sid, keep in zip(atlas.services.index, chosen.mask()) if keep] == ["svc-cjg"]
