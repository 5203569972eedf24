"""The Dekking choropleth is prepared once per view and says the same as pydeck's own serialiser."""

from __future__ import annotations

import html
import json

import pytest

from conftest import FIXTURES, ROOT
from socialmap import coverage, maps, profiles, snapshot
from socialmap.i18n import t


def _pydeck_spec(atlas, distance: int, lang: str, include: bool) -> dict:
    """The choropleth as the page built it before: pydeck's deck, then greyed and outlined."""
    cov = profiles.coverage(atlas, distance, include)
    show_far = coverage.summary(atlas, distance, include).shown
    deck = maps.coverage_deck(atlas, cov, lang)
    enough, n_real = cov["enough"].to_dict(), cov["light_real"].to_dict()
    for feature in deck.layers[0].data["features"]:
        props = feature["properties"]
        if not include and not enough.get(props["code"], True):
            props["fill"] = list(coverage.TOO_FEW_COLOUR)
            props["per_service"] = html.escape(t("map.honest.tip_too_few", lang, n=n_real[props["code"]]))
        if not show_far:
            props["line"], props["line_width"], props["far_text"] = list(maps.NORMAL_LINE), 12, ""
    return json.loads(deck.to_json())


@pytest.mark.parametrize("folder", [ROOT / "data" / "regions" / "kennemerland", FIXTURES / "regions" / "honest_mini"],
                         ids=["kennemerland", "honest_mini"])
def test_the_prepared_choropleth_is_the_same_as_pydecks_for_every_view(folder):
    atlas = snapshot.load(folder)
    for distance in (500, int(atlas.region.reach_m), 10_000):
        for lang in ("nl", "en"):
            for include in (False, True):
                deck = coverage.choropleth(atlas, distance, lang, include)
                assert json.loads(deck.to_json()) == _pydeck_spec(atlas, distance, lang, include), (distance, lang, include)


def test_the_prepared_choropleth_is_compact_json_and_keeps_its_tooltip():
    atlas = snapshot.load(FIXTURES / "regions" / "honest_mini")
    deck = coverage.choropleth(atlas, 3000, "en", False)
    text = deck.to_json()
    assert "\n" not in text and ", " not in text.split('"html"')[0]
    assert deck._tooltip["html"].startswith("<b>{name}</b>")


def test_a_view_is_prepared_once_and_shared():
    atlas = snapshot.load(FIXTURES / "regions" / "honest_mini")
    first = coverage.choropleth(atlas, 2500, "nl", False)
    assert coverage.choropleth(atlas, 2500, "nl", False) is first
    assert coverage.choropleth(atlas, 2500, "en", False) is not first
    assert coverage.summary(atlas, 2500, False) is coverage.summary(atlas, 2500, False)
