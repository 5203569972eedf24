"""Dekking lichte hulp: the coverage choropleth and its summary, built once per atlas and view.

The Dekking page shows every wijk of the region. Nationally that is 3,383 outlines (about 5 MB of
deck.gl JSON); pydeck's own serialiser (indented, in pure Python) took 6-7 s for it on every new
distance or language. Here each wijk's geometry is serialised once per atlas and a choropleth is
assembled from those strings with compact JSON, cached per (distance, language, examples included,
asset base), so the first user of the page gets a prepared spec (the background index build
prepares the default view, see :func:`socialmap.snapshot.warm_indexes`).

Figures count real services only unless examples are included (``socialmap.figures``): a wijk with
fewer than ``figures.MIN_REAL`` real light-help services is grey ("te weinig echte gegevens"), and
without enough real records region-wide no wijk gets the red "far" outline.
"""

from __future__ import annotations

import html
import json
import threading
from collections import OrderedDict
from typing import Any

import pandas as pd
import pydeck as pdk

from . import figures, maps, profiles
from .derived import per_atlas
from .i18n import t
from .model import Atlas

TOO_FEW_COLOUR = (235, 235, 235, 200)
_PLACEHOLDER = "__socialmap_features__"
_MAX_ENTRIES = 32


class _Cache:
    """A small LRU per atlas (summaries and choropleths of the views asked for)."""

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...], build: Any) -> Any:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        value = build()
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > _MAX_ENTRIES:
                self.entries.popitem(last=False)
        return value


@per_atlas
def _cache(atlas: Atlas) -> _Cache:
    return _Cache()


@per_atlas
def _geometries(atlas: Atlas) -> dict[str, str]:
    """Each wijk's display geometry as a compact JSON string (serialised once per atlas)."""
    return {str(feat["id"]): json.dumps(feat["geometry"], separators=(",", ":"))
            for feat in maps.map_data(atlas, "nl").wijken["features"]}


def summary(atlas: Atlas, distance: int, include: bool) -> figures.Figure:
    """(wijken without own light help, wijken where it is far, wijken) and the light-help services
    the figure rests on (real ones unless ``include``)."""

    def build() -> figures.Figure:
        cov = profiles.coverage(atlas, distance, include)
        svc = atlas.services
        light = svc.loc[svc["level"].isin(profiles.LIGHT_LEVELS)
                        & svc.index.isin(atlas.service_at_location["service_id"])]
        used = figures.basis(light, include)
        value = (int((cov["light_services"] == 0).sum()), int(cov["far"].sum()), len(cov))
        return figures.make(value, used["status"], include)

    return _cache(atlas).get(("summary", int(distance), bool(include)), build)


def _properties(cov: pd.DataFrame, lang: str, include: bool, show_far: bool) -> dict[str, dict[str, Any]]:
    """The properties of every wijk's feature (tooltip texts, fill, outline), by wijk code."""
    far_text = html.escape(t("map.dekking.far_flag", lang))
    out: dict[str, dict[str, Any]] = {}
    for code, name, youth, n, per, nearest, far, enough, n_real in zip(
            cov.index, cov["name"], cov["youth_0_24"], cov["light_services"], cov["youth_per_service"],
            cov["nearest_m"], cov["far"], cov["enough"], cov["light_real"]):
        far = bool(far) and show_far
        props = {
            "code": code,
            "name": html.escape(str(name)),
            "youth": "?" if pd.isna(youth) else f"{int(youth):,}".replace(",", "."),
            "services": int(n),
            "per_service": "–" if pd.isna(per) else f"{round(per):,}".replace(",", "."),
            "nearest": "–" if pd.isna(nearest) else f"{nearest / 1000:.1f}".replace(".", ",") + " km",
            "far_text": far_text if far else "",
            "fill": list(maps.coverage_colour(per, int(n))),
            "line": list(maps.FAR_LINE if far else maps.NORMAL_LINE),
            "line_width": 90 if far else 12,
        }
        if not include and not bool(enough):
            props["fill"] = list(TOO_FEW_COLOUR)
            props["per_service"] = html.escape(t("map.honest.tip_too_few", lang, n=int(n_real)))
        out[str(code)] = props
    return out


def choropleth(atlas: Atlas, distance: int, lang: str, include: bool,
               asset_base: str = maps.DEFAULT_ASSET_BASE) -> pdk.Deck:
    """The coverage choropleth for ``st.pydeck_chart``: a deck whose compact JSON (``to_json``)
    is prepared once per (atlas, distance, language, examples included, asset base). Read-only:
    every session shares it."""

    def build() -> pdk.Deck:
        cov = profiles.coverage(atlas, distance, include)
        show_far = summary(atlas, distance, include).shown
        props = _properties(cov, lang, include, show_far)
        geometries = _geometries(atlas)
        # the deck without its features (small: tooltip, view, style), then the features from
        # the prepared geometry strings
        deck = maps.coverage_deck(atlas, cov.iloc[0:0], lang, asset_base=asset_base)
        outer = json.loads(deck.to_json())
        for layer in outer["layers"]:
            if layer.get("id") == "coverage":
                layer["data"] = _PLACEHOLDER
        features = ",".join(
            '{"type":"Feature","geometry":' + geometries[code] + ',"properties":'
            + json.dumps(props[code], separators=(",", ":"), ensure_ascii=False) + "}"
            for code in geometries if code in props)
        text = json.dumps(outer, separators=(",", ":"), ensure_ascii=False).replace(
            json.dumps(_PLACEHOLDER), '{"type":"FeatureCollection","features":[' + features + "]}", 1)
        deck.to_json = lambda: text  # type: ignore[method-assign]
        return deck

    return _cache(atlas).get(("deck", int(distance), lang, bool(include), asset_base), build)


def warm(atlas: Atlas, asset_base: str = maps.DEFAULT_ASSET_BASE) -> None:
    """Prepare the page's first view: the region's reach, Dutch, real records only."""
    reach = int(atlas.region.reach_m)
    summary(atlas, reach, False)
    choropleth(atlas, reach, "nl", False, asset_base)


__all__ = ["TOO_FEW_COLOUR", "summary", "choropleth", "warm"]
