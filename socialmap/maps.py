"""Map builders: a folium map of the social map and a pydeck choropleth of light-help coverage.

Builders return objects (``folium.Map``, ``pydeck.Deck``) and never display anything. Geometry is
simplified in RD New (metres) and reprojected once per atlas with :func:`socialmap.geo.to_wgs84`
(:func:`map_data`, cached per atlas object and language).

Privacy and offline use: the folium map loads Leaflet from the app itself
(``static/vendor/leaflet-<version>/``, vendored by ``scripts/vendor_leaflet.sh``) instead of a
CDN, and drops folium's other default assets (jQuery, Bootstrap, awesome-markers, Font Awesome),
which these maps do not use. Base tiles come from ``SOCIALMAP_TILES``: ``none`` (default: no
external request at all), or, as an explicit choice, ``pdok`` (the Kadaster BRT-Achtergrondkaart)
or ``osm``; a tile server sees which neighbourhood a visitor looks at.

Every text from data is HTML-escaped before it goes into a tooltip, popup or legend.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import os
import re
import weakref
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence
from urllib.parse import urlencode

import folium
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from . import geo, i18n, vocab
from .model import Atlas

LEAFLET_VERSION = "1.9.3"  # the version folium 0.20.0 pins (folium.folium._default_js)
DEFAULT_ASSET_BASE = "/app/static/vendor"

TILE_CHOICES: tuple[str, ...] = ("pdok", "osm", "none")
PDOK_TILES = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
PDOK_ATTRIBUTION = ('Kaartgegevens &copy; <a href="https://www.kadaster.nl" target="_blank" rel="noopener">'
                    'Kadaster</a> / <a href="https://www.pdok.nl" target="_blank" rel="noopener">PDOK</a>')
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = ('&copy; <a href="https://www.openstreetmap.org/copyright" target="_blank" '
                   'rel="noopener">OpenStreetMap</a>')

#: One colour per care level (lightest to heaviest; colour-blind friendly, distinct from the
#: boundary blue).
LEVEL_COLOURS: dict[str, str] = {
    "self_help": "#66a61e",
    "open_access": "#1b9e77",
    "gp_practice": "#7570b3",
    "wijkteam": "#e6ab02",
    "basic_mh": "#d95f02",
    "specialist_mh": "#a6761d",
    "crisis": "#e7298a",
}
WIJK_STYLE = {"color": "#1f3a68", "weight": 2.5, "fill": False, "opacity": 0.9}
BUURT_STYLE = {"color": "#5a7bb5", "weight": 1, "fillColor": "#5a7bb5", "fillOpacity": 0.04, "opacity": 0.7}
FOCUS_STYLE = {"color": "#c0392b", "weight": 4, "fill": False, "opacity": 1.0}

#: Simplification tolerance in metres (RD) for display geometry; coordinates rounded to 1e-5°.
SIMPLIFY_M = 8.0
_DECIMALS = 5


def tiles_setting(value: str | None = None) -> str:
    """The base-tile choice: ``value`` or env ``SOCIALMAP_TILES``; unset or unknown means ``none``
    (no request to a third party unless the operator chooses one)."""
    choice = (value if value is not None else os.environ.get("SOCIALMAP_TILES", "none")).strip().lower()
    return choice if choice in TILE_CHOICES else "none"


def asset_urls(asset_base: str = DEFAULT_ASSET_BASE) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(default_js, default_css) of the map, pointing at the vendored Leaflet."""
    base = f"{asset_base.rstrip('/')}/leaflet-{LEAFLET_VERSION}"
    return [("leaflet", f"{base}/leaflet.js")], [("leaflet_css", f"{base}/leaflet.css")]


# ---- cached display data ----------------------------------------------------------------------

@dataclass
class MapData:
    """Display-ready GeoJSON (WGS84) of one atlas in one language. Read-only."""

    wijken: dict[str, Any]
    buurten: dict[str, Any]
    service_features: dict[str, list[dict[str, Any]]]  # service id -> point features (one per location)
    bounds: list[list[float]]  # [[south, west], [north, east]] of the region
    area_bounds: dict[str, list[list[float]]]
    atlas_ref: Any = field(default=None, repr=False)


def _round_coords(geometry: Any, decimals: int = _DECIMALS) -> Any:
    return shapely.transform(geometry, lambda xy: np.round(xy, decimals))


def _bounds(bounds: Sequence[float]) -> list[list[float]]:
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    return [[round(miny, _DECIMALS), round(minx, _DECIMALS)], [round(maxy, _DECIMALS), round(maxx, _DECIMALS)]]


def _profile_href(app_base: str, code: str, lang: str) -> str:
    """Link to the Wijkprofiel page. Opened in a new tab: Streamlit sandboxes component iframes
    without ``allow-top-navigation``, so a ``target="_top"`` link would do nothing."""
    return f"{app_base.rstrip('/')}/wijkprofiel?{urlencode({'code': code, 'lang': lang})}"


def _area_features(atlas: Atlas, kind: str, wgs: Any, lang: str, app_base: str) -> dict[str, Any]:
    areas = atlas.areas
    features = []
    for code in wgs.index[wgs["kind"] == kind]:
        geom = wgs.geometry[code]
        if geom is None or geom.is_empty:
            continue
        name = str(areas.at[code, "name"])
        kind_label = i18n.t(f"map.kind.{kind}", lang)
        popup = [f"<b>{html.escape(name)}</b> <small>({html.escape(kind_label)} {html.escape(code)})</small><br>",
                 f'<a href="{html.escape(_profile_href(app_base, code, lang))}" target="_blank" rel="noopener">'
                 f"{html.escape(i18n.t('map.open_profile', lang))}</a>"]
        parent = areas.at[code, "parent_code"]
        if kind == "buurt" and parent and parent in areas.index:
            wijk_name = str(areas.at[parent, "name"])
            popup.append(f'<br><a href="{html.escape(_profile_href(app_base, parent, lang))}" target="_blank" rel="noopener">'
                         f"{html.escape(i18n.t('map.open_wijk_profile', lang, name=wijk_name))}</a>")
        features.append({
            "type": "Feature",
            "id": code,
            "properties": {
                "kind": kind,
                "code": code,
                "tip": f"{html.escape(name)} <small>({html.escape(kind_label)})</small>",
                "popup": "".join(popup),
            },
            "geometry": shapely.geometry.mapping(geom),
        })
    return {"type": "FeatureCollection", "features": features}


def _service_features(atlas: Atlas, lang: str) -> dict[str, list[dict[str, Any]]]:
    sal = atlas.service_at_location
    locs = atlas.locations
    if not len(sal) or not len(locs):
        return {}
    points = geo.to_wgs84(locs[["geometry"]])
    # column lookups as dicts: one .loc per link took seconds at national scale
    svc = atlas.services
    names, levels, statuses = svc["name"].to_dict(), svc["level"].to_dict(), svc["status"].to_dict()
    xs = dict(zip(points.index, shapely.get_x(points.geometry.values).tolist()))
    ys = dict(zip(points.index, shapely.get_y(points.geometry.values).tolist()))
    loc_names = locs["name"].to_dict()
    level_labels: dict[str, str] = {}
    illustrative = f"<br><i>{html.escape(i18n.t('common.status.illustrative', lang))}</i>"
    out: dict[str, list[dict[str, Any]]] = {}
    for sal_id, sid, lid in zip(sal.index, sal["service_id"], sal["location_id"]):
        if sid not in names or lid not in xs:
            continue
        level = str(levels[sid])
        if level not in level_labels:
            level_labels[level] = html.escape(i18n.label("level", level, lang))
        loc_name = str(loc_names[lid])
        tip = (f"<b>{html.escape(str(names[sid]))}</b><br>{level_labels[level]}"
               f"<br><small>{html.escape(loc_name)}</small>")
        if statuses[sid] == "illustrative":
            tip += illustrative
        out.setdefault(str(sid), []).append({
            "type": "Feature",
            "id": f"s:{sal_id}",
            "properties": {"kind": "service", "id": str(sid), "location": str(lid), "level": level,
                           "colour": LEVEL_COLOURS.get(level, "#555555"), "tip": tip},
            "geometry": {"type": "Point", "coordinates": [round(xs[lid], 6), round(ys[lid], 6)]},
        })
    return out


_CACHE: dict[tuple[int, str, str, float], MapData] = {}


def map_data(atlas: Atlas, lang: str = "nl", app_base: str = "", simplify_m: float = SIMPLIFY_M) -> MapData:
    """Display GeoJSON of an atlas, built once per (atlas, language, app base, tolerance)."""
    key = (id(atlas), lang, app_base, simplify_m)
    cached = _CACHE.get(key)
    if cached is not None and cached.atlas_ref() is atlas:
        return cached
    areas = atlas.areas[["kind", "geometry"]]
    wgs = geo.to_wgs84(areas, simplify_m=simplify_m)
    wgs["geometry"] = _round_coords(wgs.geometry.values)
    area_bounds = {str(code): _bounds(geom.bounds) for code, geom in zip(wgs.index, wgs.geometry)
                   if geom is not None and not geom.is_empty}
    data = MapData(
        wijken=_area_features(atlas, "wijk", wgs, lang, app_base),
        buurten=_area_features(atlas, "buurt", wgs, lang, app_base),
        service_features=_service_features(atlas, lang),
        bounds=_bounds(wgs.total_bounds),
        area_bounds=area_bounds,
        atlas_ref=weakref.ref(atlas),
    )
    _CACHE[key] = data
    weakref.finalize(atlas, _CACHE.pop, key, None)
    return data


# ---- folium -----------------------------------------------------------------------------------

class _Legend(MacroElement):
    """A Leaflet control with the level colours (works in folium HTML and in st_folium)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "socialmap-legend");
                div.style.cssText = "background: rgba(255,255,255,0.92); padding: 4px 8px; font: 11px/1.45 sans-serif; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); max-width: 240px;";
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, title: str, items: Iterable[tuple[str, str]]):
        super().__init__()
        self._name = "Legend"
        rows = []
        for colour, label in items:
            rows.append(f'<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
                        f'background:{html.escape(colour)};border:1px solid #fff;margin-right:5px;'
                        f'vertical-align:middle"></span>{html.escape(label)}')
        body = ("<details open><summary style=\"cursor:pointer;font-weight:bold\">" + html.escape(title)
                + "</summary>" + "<br>".join(rows) + "</details>")
        # json.dumps escapes quotes; "</" is split so the string can never close the script tag
        self.html_json = json.dumps(body).replace("</", "<\\/")


def legend_items(lang: str, levels: Iterable[str] = vocab.LEVELS) -> list[tuple[str, str]]:
    return [(LEVEL_COLOURS[level], i18n.label("level", level, lang)) for level in levels]


def _empty_map(tiles: str | None, asset_base: str) -> folium.Map:
    """A Leaflet map with the vendored assets and the configured base tiles, nothing else."""
    choice = tiles_setting(tiles)
    m = folium.Map(location=None, tiles=None, control_scale=True, prefer_canvas=False,
                   zoom_control=True, attribution_control=True)
    js, css = asset_urls(asset_base)
    m.default_js = js
    m.default_css = css
    if choice == "pdok":
        folium.TileLayer(PDOK_TILES, attr=PDOK_ATTRIBUTION, name="PDOK BRT-Achtergrondkaart",
                         max_zoom=19, min_zoom=6, control=False).add_to(m)
    elif choice == "osm":
        folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19,
                         control=False).add_to(m)
    return m


def service_map(
    atlas: Atlas,
    service_ids: Iterable[str] | None = None,
    lang: str = "nl",
    tiles: str | None = None,
    asset_base: str = DEFAULT_ASSET_BASE,
    app_base: str = "",
    focus: str | None = None,
    show_buurten: bool = True,
) -> folium.Map:
    """The social map: wijk and buurt boundaries and services (ONE GeoJSON layer) by care level.

    ``service_ids``: the services to draw (default all); those without a location are simply not
    on the map. ``focus``: an area code to zoom to and outline. ``tiles``: see :func:`tiles_setting`.
    """
    data = map_data(atlas, lang, app_base)
    m = _empty_map(tiles, asset_base)

    if show_buurten and data.buurten["features"]:
        folium.GeoJson(
            data.buurten, name=i18n.t("map.layer.buurten", lang),
            style_function=lambda _f: BUURT_STYLE,
            highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.15},
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
            popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
        ).add_to(m)
    if data.wijken["features"]:
        wijk_layer = {"type": "FeatureCollection", "features": data.wijken["features"]}
        folium.GeoJson(
            wijk_layer, name=i18n.t("map.layer.wijken", lang), style_function=lambda _f: WIJK_STYLE,
            interactive=show_buurten is False,
            **({} if show_buurten else {
                "tooltip": folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
                "popup": folium.GeoJsonPopup(fields=["popup"], labels=False)}),
        ).add_to(m)
    if focus and focus in data.area_bounds:
        feature = next((f for coll in (data.buurten, data.wijken) for f in coll["features"] if f["id"] == focus), None)
        if feature is not None:
            folium.GeoJson({"type": "FeatureCollection", "features": [feature]}, name="focus",
                           style_function=lambda _f: FOCUS_STYLE, interactive=False).add_to(m)

    wanted = data.service_features.keys() if service_ids is None else [str(s) for s in service_ids]
    points = [feat for sid in wanted for feat in data.service_features.get(sid, ())]
    if points:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": points},
            name=i18n.t("map.layer.services", lang),
            marker=folium.CircleMarker(radius=7, weight=1.5, fill=True, fill_opacity=0.95),
            style_function=lambda f: {"fillColor": f["properties"]["colour"], "color": "#ffffff"},
            highlight_function=lambda _f: {"radius": 10, "weight": 3},
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        ).add_to(m)

    _Legend(i18n.t("map.legend_title", lang), legend_items(lang)).add_to(m)
    bounds = data.area_bounds.get(focus) if focus else None
    m.fit_bounds(bounds or data.bounds, max_zoom=15, padding=(12, 12))
    return m


def map_html(m: folium.Map) -> str:
    """The complete HTML document of a folium map (what a browser would receive standalone)."""
    return m.get_root().render()


# ---- the view-bound map ---------------------------------------------------------------------
#
# The browser reports the bounds and zoom it shows; only what lies in (a slightly larger, snapped
# version of) that view is sent: the finest boundary kind with at most MAX_OUTLINES outlines in
# view, simplified to about one pixel at that zoom, and the services in view (or, when there are
# more than MAX_POINTS, one counted circle per grid cell of CLUSTER_PX pixels). The base map (tiles,
# legend, the first fit) is sent once; the data layer is data (JSON), read by a small script.

#: At most this many service points in a view; above it the services are counted per grid cell.
MAX_POINTS = 1500
#: At most this many outlines in a view; above it the next coarser kind (buurt → wijk → gemeente).
MAX_OUTLINES = 400
#: Grid cell of a server-side cluster, in screen pixels.
CLUSTER_PX = 64
#: A typical map size in pixels, to guess the zoom of the first view before the browser reports it.
MAP_WIDTH_PX, MAP_HEIGHT_PX = 700, 560
#: Metres per pixel at zoom 0 at the latitude of the Netherlands (52°): 156,543 m × cos 52°.
_M_PER_PX_Z0 = 96_378.0
_KIND_ORDER = ("buurt", "wijk", "gemeente")
CLUSTER_STYLE = {"fill": "#1f5fa8", "line": "#1f3a68", "text": "#ffffff"}


@dataclass(frozen=True)
class View:
    """What the browser shows: a WGS84 box and a Leaflet zoom level."""

    south: float
    west: float
    north: float
    east: float
    zoom: int

    @classmethod
    def from_returned(cls, returned: dict[str, Any] | None) -> "View | None":
        """The view in ``st_folium``'s returned objects (``bounds``, ``zoom``); None if absent."""
        if not returned:
            return None
        bounds, zoom = returned.get("bounds") or {}, returned.get("zoom")
        try:
            sw, ne = bounds["_southWest"], bounds["_northEast"]
            view = cls(float(sw["lat"]), float(sw["lng"]), float(ne["lat"]), float(ne["lng"]), int(zoom))
        except (KeyError, TypeError, ValueError):
            return None
        if not all(math.isfinite(v) for v in (view.south, view.west, view.north, view.east)):
            return None
        return view

    def snapped(self, margin_tiles: int = 1) -> "View":
        """The view widened to whole map tiles of its zoom plus a margin: small pans send nothing new."""
        step = 360.0 / (2 ** max(self.zoom, 0))
        return View(math.floor(self.south / step - margin_tiles) * step, math.floor(self.west / step - margin_tiles) * step,
                    math.ceil(self.north / step + margin_tiles) * step, math.ceil(self.east / step + margin_tiles) * step,
                    self.zoom)


def fit_view(bounds: list[list[float]], width_px: int = MAP_WIDTH_PX, height_px: int = MAP_HEIGHT_PX,
             max_zoom: int = 15) -> View:
    """The view Leaflet's ``fitBounds`` would show for ``[[south, west], [north, east]]``."""
    (south, west), (north, east) = bounds

    def merc_y(lat: float) -> float:
        rad = math.radians(max(min(lat, 85.0), -85.0))
        return math.log(math.tan(math.pi / 4 + rad / 2)) / (2 * math.pi)

    span_x = max(east - west, 1e-9) / 360.0
    span_y = max(merc_y(north) - merc_y(south), 1e-9)
    zoom = math.floor(min(math.log2(width_px / 256.0 / span_x), math.log2(height_px / 256.0 / span_y)))
    zoom = int(max(0, min(max_zoom, zoom)))
    # the box actually shown around the centre at that zoom
    cx, cy = (west + east) / 2, (merc_y(north) + merc_y(south)) / 2
    half_x = width_px / 256.0 / 2 ** zoom * 360.0 / 2
    half_y = height_px / 256.0 / 2 ** zoom / 2

    def lat_of(y: float) -> float:
        return math.degrees(2 * math.atan(math.exp(y * 2 * math.pi)) - math.pi / 2)

    return View(lat_of(cy - half_y), cx - half_x, lat_of(cy + half_y), cx + half_x, zoom)


def _merc_px(lon: np.ndarray, lat: np.ndarray, zoom: int) -> tuple[np.ndarray, np.ndarray]:
    scale = 256.0 * 2 ** zoom
    rad = np.radians(np.clip(lat, -85.0, 85.0))
    x = (lon + 180.0) / 360.0 * scale
    y = (1.0 - np.log(np.tan(rad) + 1.0 / np.cos(rad)) / math.pi) / 2.0 * scale
    return x, y


#: Outlines are simplified for these zoom levels only (a zoom uses the next band up: 7 → 8, 11 → 12).
ZOOM_BANDS = (8, 10, 12, 14)


def zoom_band(zoom: int) -> int:
    """The zoom band whose simplified outlines a zoom level draws."""
    return next((band for band in ZOOM_BANDS if zoom <= band), ZOOM_BANDS[-1])


def decimals_for_zoom(zoom: int) -> int:
    """Decimals of a degree that still resolve one screen pixel at a zoom level (3 to 5)."""
    return int(max(3, min(_DECIMALS, math.ceil(math.log10(256.0 * 2 ** max(zoom, 0) / 360.0)))))


def simplify_for_zoom(zoom: int) -> float:
    """Simplification tolerance in metres for a zoom level: about 1.5 screen pixels, at least SIMPLIFY_M."""
    return max(SIMPLIFY_M, round(1.5 * _M_PER_PX_Z0 / 2 ** max(zoom, 0), 1))


def _drop_specks(geoms: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Simplify (RD, metres) and leave out polygon parts and holes smaller than about 2 × 2
    tolerances (islands, slivers and gaps nobody can see at that zoom); an area keeps its largest part."""
    simple = shapely.simplify(geoms, tolerance_m, preserve_topology=True)
    min_area = 4 * tolerance_m ** 2
    out = np.array(simple, dtype=object)
    for i, geom in enumerate(simple):
        if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        parts = list(getattr(geom, "geoms", [geom]))
        largest = max(p.area for p in parts)
        kept = []
        for part in parts:
            if part.area < min_area and part.area < largest:
                continue
            holes = [ring for ring in part.interiors if shapely.Polygon(ring).area >= min_area]
            kept.append(part if len(holes) == len(part.interiors) else shapely.Polygon(part.exterior, holes))
        out[i] = kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept)
    return out


@dataclass
class ViewLayers:
    """The data the browser gets for one view (plain GeoJSON-like dicts; no HTML document)."""

    outline_kind: str | None  # buurt / wijk / gemeente / None
    outlines: list[dict[str, Any]]  # interactive outlines (tooltip + popup); "geometry" is JSON text
    frames: list[dict[str, Any]]  # non-interactive wijk outlines around buurten
    focus: list[dict[str, Any]]
    points: list[dict[str, Any]]  # service points (one per location)
    clusters: list[dict[str, Any]]  # counted circles
    in_view: int  # services in view (before clustering)

    def to_json(self) -> str:
        """Compact JSON for the page's script: ``</`` and Jinja openers cannot appear raw. Outline
        geometries are JSON text already (cached per zoom band) and are put in as they are."""
        def dumps(value: Any) -> str:
            return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

        def areas(features: list[dict[str, Any]]) -> str:
            return "[" + ",".join('{"type":"Feature","id":' + dumps(f["id"]) + ',"properties":' + dumps(f["properties"])
                                  + ',"geometry":' + f["geometry"] + "}" for f in features) + "]"

        text = ('{"outline_kind":' + dumps(self.outline_kind) + ',"outlines":' + areas(self.outlines)
                + ',"frames":' + areas(self.frames) + ',"focus":' + areas(self.focus)
                + ',"points":' + dumps(self.points) + ',"clusters":' + dumps(self.clusters) + "}")
        text = text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return re.sub(r"\{(?=[{%#])", r"\\u007b", text)


@dataclass(frozen=True, eq=False)
class Selection:
    """Some of an atlas's services, compactly: one bit per service in the atlas's order (6 KB at
    50,000 services) and a digest that names the set in the layer caches. This, not a list of tens
    of thousands of ids, is what a session keeps for the reruns of its map."""

    bits: np.ndarray  # np.packbits of a bool per service, in atlas.services order
    n: int  # services in the atlas
    key: str  # digest of the bits: the same services, the same key (whatever their order)

    def mask(self) -> np.ndarray:
        """A bool per service in the atlas's order."""
        return np.unpackbits(self.bits, count=self.n).astype(bool)


def _layers_key(service_ids: "Sequence[str] | Selection | None", ids_key: Any) -> Any:
    if ids_key is not None:
        return ids_key
    if service_ids is None or isinstance(service_ids, Selection):
        return None if service_ids is None else service_ids.key
    return tuple(service_ids)


class ViewIndex:
    """Spatial lookups over one atlas's display data (per atlas, language and app base). Read-only
    apart from its caches (simplified outlines per zoom, layers per view)."""

    CACHE_SIZE = 256

    def __init__(self, atlas: Atlas, lang: str, app_base: str) -> None:
        self.atlas_ref = weakref.ref(atlas)
        self.lang, self.app_base = lang, app_base
        data = map_data(atlas, lang, app_base)
        self.data = data
        # points: one per (service, location), in one array each
        ids, feats = [], []
        for sid, fs in data.service_features.items():
            for f in fs:
                ids.append(sid)
                feats.append(f)
        self.point_features = feats
        self.point_sid = np.array(ids, dtype=object)
        coords = np.array([f["geometry"]["coordinates"] for f in feats], dtype=float).reshape(-1, 2)
        self.lon, self.lat = coords[:, 0], coords[:, 1]
        svc = atlas.services
        pos = {str(s): i for i, s in enumerate(svc.index)}
        self.point_pos = np.array([pos[s] for s in ids], dtype=np.int64)
        self.n_services = len(svc)
        self.service_pos = pos
        self.level_labels = {lvl: i18n.label("level", lvl, lang) for lvl in vocab.LEVELS}
        self.point_level = np.array([vocab.LEVELS.index(f["properties"]["level"]) if f["properties"]["level"] in vocab.LEVELS
                                     else len(vocab.LEVELS) for f in feats], dtype=np.int64)
        # areas: popups and tooltips per kind (no geometry), RD geometry and WGS84 boxes
        areas = atlas.areas
        self.area_rd = areas[["kind", "geometry"]]
        self.area_props: dict[str, dict[str, Any]] = {}
        for coll in (data.wijken, data.buurten):
            for f in coll["features"]:
                self.area_props[f["id"]] = f["properties"]
        for code, kind, name in zip(areas.index, areas["kind"], areas["name"]):
            if kind == "gemeente":
                self.area_props[str(code)] = {"kind": "gemeente", "code": str(code),
                                              "tip": f"{html.escape(str(name))} <small>({html.escape(i18n.t('map.kind.gemeente', lang))})</small>",
                                              "popup": f"<b>{html.escape(str(name))}</b> <small>({html.escape(i18n.t('map.kind.gemeente', lang))} {html.escape(str(code))})</small>"}
        self.kind_codes: dict[str, np.ndarray] = {}
        self.kind_boxes: dict[str, np.ndarray] = {}
        self.kind_tree: dict[str, shapely.STRtree] = {}
        boxes = data.area_bounds
        for kind in _KIND_ORDER:
            codes = [str(c) for c in areas.index[areas["kind"] == kind] if str(c) in boxes]
            if not codes:
                continue
            b = np.array([[boxes[c][0][1], boxes[c][0][0], boxes[c][1][1], boxes[c][1][0]] for c in codes], dtype=float)
            self.kind_codes[kind] = np.array(codes, dtype=object)
            self.kind_boxes[kind] = b
            self.kind_tree[kind] = shapely.STRtree(shapely.box(b[:, 0], b[:, 1], b[:, 2], b[:, 3]))
        self._geoms: dict[tuple[str, int], dict[str, Any]] = {}  # (kind, zoom) -> code -> geometry or None
        self._layers: dict[Any, ViewLayers] = {}
        self._json: dict[Any, str] = {}

    def geometries(self, kind: str, zoom: int, codes: Iterable[str] | None = None) -> dict[str, str]:
        """code -> GeoJSON geometry (WGS84, as JSON text) of the areas of a kind (``codes``, default
        all), simplified to about a pixel at the zoom band of ``zoom``; each area is simplified once per
        band, when it is first asked for (or by the background warm-up)."""
        band = zoom_band(zoom)
        cache = self._geoms.setdefault((kind, band), {})
        frame = self.area_rd[self.area_rd["kind"] == kind]
        wanted = list(frame.index) if codes is None else [c for c in codes if c in frame.index]
        missing = [c for c in wanted if c not in cache]
        if missing:
            part = frame.loc[missing].copy()
            part["geometry"] = _drop_specks(part.geometry.values, simplify_for_zoom(band))
            wgs = geo.to_wgs84(part)
            geoms = _round_coords(wgs.geometry.values, decimals_for_zoom(band))
            for c, g in zip(wgs.index, geoms):
                cache[str(c)] = None if g is None or g.is_empty else json.dumps(
                    shapely.geometry.mapping(g), separators=(",", ":"))
        return {c: cache[c] for c in wanted if cache.get(c) is not None}

    def warm(self) -> None:
        """Simplify every outline for every zoom band (for a background thread)."""
        for band in ZOOM_BANDS:
            for kind in _KIND_ORDER:
                self.geometries(kind, band)

    def _codes_in(self, kind: str, box: Any) -> list[str]:
        tree = self.kind_tree.get(kind)
        if tree is None:
            return []
        hits = np.sort(tree.query(box))
        return [str(c) for c in self.kind_codes[kind][hits]]

    def selection(self, service_ids: Iterable[str] | None) -> Selection | None:
        """The services as a :class:`Selection` (None, like no selection at all, when they are all
        the atlas's services or ``service_ids`` is None)."""
        if service_ids is None:
            return None
        wanted = np.zeros(self.n_services, dtype=bool)
        pos = [self.service_pos[s] for s in service_ids if s in self.service_pos]
        wanted[np.array(pos, dtype=np.int64)] = True
        if wanted.all():
            return None
        bits = np.packbits(wanted)
        return Selection(bits, self.n_services, hashlib.blake2b(bits.tobytes(), digest_size=16).hexdigest())

    def mask(self, service_ids: Iterable[str] | Selection | None) -> np.ndarray:
        """Which points belong to the given services (all when None)."""
        if service_ids is None:
            return np.ones(len(self.point_pos), dtype=bool)
        if isinstance(service_ids, Selection):
            return service_ids.mask()[self.point_pos]
        wanted = np.zeros(self.n_services, dtype=bool)
        pos = [self.service_pos[s] for s in service_ids if s in self.service_pos]
        wanted[np.array(pos, dtype=np.int64)] = True
        return wanted[self.point_pos]

    def layers(self, view: View, service_ids: Sequence[str] | Selection | None = None, focus: str | None = None,
               ids_key: Any = None) -> ViewLayers:
        """What to send for a view (cached per (services, snapped view, focus))."""
        snapped = view.snapped()
        key = (_layers_key(service_ids, ids_key), snapped, focus)
        hit = self._layers.get(key)
        if hit is not None:
            return hit
        box = shapely.box(snapped.west, snapped.south, snapped.east, snapped.north)
        zoom = snapped.zoom
        outline_kind, outlines, frames = None, [], []
        for kind in _KIND_ORDER:
            codes = self._codes_in(kind, box)
            if codes and len(codes) <= MAX_OUTLINES:
                outline_kind = kind
                geoms = self.geometries(kind, zoom, codes)
                outlines = [{"type": "Feature", "id": c, "properties": self.area_props[c], "geometry": geoms[c]}
                            for c in codes if c in geoms and c in self.area_props]
                if kind == "buurt":
                    wijken = self._codes_in("wijk", box)
                    wgeoms = self.geometries("wijk", zoom, wijken)
                    frames = [{"type": "Feature", "id": c, "properties": {"kind": "wijk"}, "geometry": wgeoms[c]}
                              for c in wijken if c in wgeoms]
                break
        focus_feats = []
        if focus:
            kind = str(self.area_rd.at[focus, "kind"]) if focus in self.area_rd.index else None
            geom = self.geometries(kind, zoom, [focus]).get(focus) if kind else None
            if geom is not None:
                focus_feats = [{"type": "Feature", "id": focus, "properties": {"kind": "focus"}, "geometry": geom}]
        inside = ((self.lon >= snapped.west) & (self.lon <= snapped.east) & (self.lat >= snapped.south)
                  & (self.lat <= snapped.north) & self.mask(service_ids))
        rows = np.flatnonzero(inside)
        points: list[dict[str, Any]] = []
        clusters: list[dict[str, Any]] = []
        if len(rows) <= MAX_POINTS:
            points = [self.point_features[i] for i in rows.tolist()]
        else:
            points, clusters = self._clusters(rows, snapped.zoom)
        layers = ViewLayers(outline_kind, outlines, frames, focus_feats, points, clusters, int(len(rows)))
        if len(self._layers) >= self.CACHE_SIZE:
            self._layers.pop(next(iter(self._layers)))
        self._layers[key] = layers
        return layers

    def layers_json(self, view: View, service_ids: Sequence[str] | Selection | None = None, focus: str | None = None,
                    ids_key: Any = None) -> str:
        """:meth:`layers` as the JSON text the browser gets (cached with it)."""
        snapped = view.snapped()
        key = (_layers_key(service_ids, ids_key), snapped, focus)
        text = self._json.get(key)
        if text is None:
            text = self.layers(view, service_ids, focus, ids_key=key[0]).to_json()
            if len(self._json) >= self.CACHE_SIZE:
                self._json.pop(next(iter(self._json)))
            self._json[key] = text
        return text

    def _clusters(self, rows: np.ndarray, zoom: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        x, y = _merc_px(self.lon[rows], self.lat[rows], zoom)
        cx, cy = np.floor(x / CLUSTER_PX).astype(np.int64), np.floor(y / CLUSTER_PX).astype(np.int64)
        cell = cx * (1 << 32) + cy
        cells, inverse, counts = np.unique(cell, return_inverse=True, return_counts=True)
        lon = np.bincount(inverse, weights=self.lon[rows]) / counts
        lat = np.bincount(inverse, weights=self.lat[rows]) / counts
        n_lvl = len(vocab.LEVELS) + 1
        per_level = np.bincount(inverse * n_lvl + self.point_level[rows], minlength=len(cells) * n_lvl).reshape(-1, n_lvl)
        points: list[dict[str, Any]] = []
        clusters: list[dict[str, Any]] = []
        single = np.flatnonzero(counts == 1)
        if len(single):
            first = np.full(len(cells), -1, dtype=np.int64)
            first[inverse[::-1]] = rows[::-1]
            points = [self.point_features[i] for i in first[single].tolist()]
        unit = i18n.t("map.cluster.services", self.lang)
        for c in np.flatnonzero(counts > 1).tolist():
            parts = [f"{int(n)} × {html.escape(self.level_labels[vocab.LEVELS[li]])}"
                     for li, n in enumerate(per_level[c][: len(vocab.LEVELS)]) if n]
            clusters.append({
                "type": "Feature",
                "properties": {"kind": "cluster", "n": int(counts[c]),
                               "tip": f"<b>{int(counts[c])} {html.escape(unit)}</b><br>" + "<br>".join(parts)},
                "geometry": {"type": "Point", "coordinates": [round(float(lon[c]), 5), round(float(lat[c]), 5)]},
            })
        return points, clusters


_VIEW_INDEXES: dict[tuple[int, str, str], ViewIndex] = {}


def view_index(atlas: Atlas, lang: str = "nl", app_base: str = "") -> ViewIndex:
    """The :class:`ViewIndex` of an atlas in a language (built once, dropped with the atlas)."""
    key = (id(atlas), lang, app_base)
    hit = _VIEW_INDEXES.get(key)
    if hit is not None and hit.atlas_ref() is atlas:
        return hit
    index = ViewIndex(atlas, lang, app_base)
    _VIEW_INDEXES[key] = index
    weakref.finalize(atlas, _VIEW_INDEXES.pop, key, None)
    return index


class _RawScript(Element):
    """Already rendered script text, added to the page as is (never parsed again as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


class ViewLayer(MacroElement):
    """The data of one view (:class:`ViewLayers` as JSON) drawn by a small Leaflet script: outlines
    with tooltips and popups, service points coloured by level with tooltips, counted clusters that
    zoom in on a click. The JSON is inserted as a value, never parsed as a template."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function() {
            var d = {{ this.data_json }};
            var group = L.featureGroup();
            var styles = {{ this.styles_json }};
            function tip(layer, p, sticky) { if (p.tip) { layer.bindTooltip(p.tip, {sticky: sticky}); } }
            function areas(features, style, interactive) {
                return L.geoJSON({type: "FeatureCollection", features: features}, {
                    style: function () { return style; }, interactive: interactive,
                    onEachFeature: function (f, layer) {
                        if (!interactive) { return; }
                        tip(layer, f.properties, true);
                        if (f.properties.popup) { layer.bindPopup(f.properties.popup); }
                        layer.on("mouseover", function () { layer.setStyle(styles.highlight); });
                        layer.on("mouseout", function () { layer.setStyle(style); });
                    }
                });
            }
            var kind = d.outline_kind;
            if (d.outlines.length) { areas(d.outlines, styles[kind] || styles.wijk, true).addTo(group); }
            if (d.frames.length) { areas(d.frames, styles.wijk_frame, false).addTo(group); }
            if (d.focus.length) { areas(d.focus, styles.focus, false).addTo(group); }
            if (d.clusters.length) {
                L.geoJSON({type: "FeatureCollection", features: d.clusters}, {
                    pointToLayer: function (f, latlng) {
                        var n = f.properties.n, size = Math.round(20 + 5 * Math.log10(n));
                        var icon = L.divIcon({className: "socialmap-cluster", iconSize: [size, size],
                            html: '<div style="width:' + size + 'px;height:' + size + 'px;line-height:' + size + 'px;border-radius:50%;'
                                + 'background:' + styles.cluster.fill + ';border:2px solid ' + styles.cluster.line + ';color:' + styles.cluster.text
                                + ';opacity:0.9;text-align:center;font:bold 11px sans-serif">' + String(Number(n)) + '</div>'});
                        return L.marker(latlng, {icon: icon, keyboard: false});
                    },
                    onEachFeature: function (f, layer) {
                        tip(layer, f.properties, false);
                        layer.on("click", function (e) { if (layer._map) { layer._map.setView(e.latlng, layer._map.getZoom() + 2); } });
                    }
                }).addTo(group);
            }
            if (d.points.length) {
                L.geoJSON({type: "FeatureCollection", features: d.points}, {
                    pointToLayer: function (f, latlng) {
                        return L.circleMarker(latlng, {radius: 7, weight: 1.5, color: "#ffffff", fill: true,
                                                       fillColor: f.properties.colour, fillOpacity: 0.95});
                    },
                    onEachFeature: function (f, layer) {
                        tip(layer, f.properties, false);
                        layer.on("mouseover", function () { layer.setStyle({radius: 10, weight: 3}); });
                        layer.on("mouseout", function () { layer.setStyle({radius: 7, weight: 1.5}); });
                    }
                }).addTo(group);
            }
            return group;
        })();
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, data_json: str) -> None:
        super().__init__()
        self._name = "ViewLayer"
        self.data_json = data_json
        styles = {"buurt": BUURT_STYLE, "wijk": {**WIJK_STYLE, "fill": True, "fillOpacity": 0.0},
                  "gemeente": {**WIJK_STYLE, "fill": True, "fillOpacity": 0.0},
                  "wijk_frame": WIJK_STYLE, "focus": FOCUS_STYLE, "highlight": {"weight": 3, "fillOpacity": 0.15},
                  "cluster": CLUSTER_STYLE}
        self.styles_json = json.dumps(styles)

    def render(self, **kwargs: Any) -> None:
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(_RawScript(script(self, kwargs)), name=self.get_name())


def base_map(atlas: Atlas, lang: str = "nl", tiles: str | None = None, asset_base: str = DEFAULT_ASSET_BASE,
             app_base: str = "", focus: str | None = None) -> folium.Map:
    """The map without data: tiles, the legend and the first fit (the region, or ``focus``)."""
    m = _empty_map(tiles, asset_base)
    _Legend(i18n.t("map.legend_title", lang), legend_items(lang)).add_to(m)
    m.fit_bounds(first_bounds(atlas, lang, app_base, focus), max_zoom=15, padding=(12, 12))
    return m


def first_bounds(atlas: Atlas, lang: str = "nl", app_base: str = "", focus: str | None = None) -> list[list[float]]:
    """The box the map fits first: the focus area's, else the region's."""
    data = map_data(atlas, lang, app_base)
    return (data.area_bounds.get(focus) if focus else None) or data.bounds


def view_layer(atlas: Atlas, view: View, service_ids: Sequence[str] | Selection | None = None, lang: str = "nl",
               app_base: str = "", focus: str | None = None, ids_key: Any = None) -> folium.FeatureGroup:
    """A feature group with the data of one view (for ``st_folium(feature_group_to_add=...)``)."""
    text = view_index(atlas, lang, app_base).layers_json(view, service_ids, focus, ids_key=ids_key)
    group = folium.FeatureGroup(name=i18n.t("map.layer.services", lang), control=False)
    ViewLayer(text).add_to(group)
    return group


# ---- pydeck: light-help coverage --------------------------------------------------------------

#: Choropleth classes of youth (0-24) per light-help service: (upper bound, RGBA). Light = good.
COVERAGE_CLASSES: tuple[tuple[float, tuple[int, int, int, int]], ...] = (
    (100, (237, 248, 233, 210)),
    (200, (186, 228, 179, 210)),
    (300, (116, 196, 118, 210)),
    (400, (49, 163, 84, 220)),
    (math.inf, (0, 109, 44, 230)),
)
NO_SERVICE_COLOUR = (189, 0, 38, 220)
NO_DATA_COLOUR = (200, 200, 200, 160)
FAR_LINE = (189, 0, 38, 255)
NORMAL_LINE = (60, 60, 60, 200)
BLANK_STYLE_PATH = "basemap/blank-style.json"  # under static/vendor: a background-only map style


def coverage_colour(youth_per_service: float, n_services: int) -> tuple[int, int, int, int]:
    if n_services == 0:
        return NO_SERVICE_COLOUR
    if youth_per_service is None or (isinstance(youth_per_service, float) and math.isnan(youth_per_service)):
        return NO_DATA_COLOUR
    for upper, colour in COVERAGE_CLASSES:
        if youth_per_service <= upper:
            return colour
    return COVERAGE_CLASSES[-1][1]


def coverage_legend(lang: str) -> list[tuple[tuple[int, int, int, int], str]]:
    """(RGBA, label) rows of the choropleth legend."""
    rows = []
    lower = 0
    for upper, colour in COVERAGE_CLASSES:
        if math.isinf(upper):
            label = i18n.t("map.dekking.class_over", lang, lower=f"{lower:,}".replace(",", "."))
        else:
            label = i18n.t("map.dekking.class_range", lang, lower=f"{lower:,}".replace(",", "."),
                           upper=f"{int(upper):,}".replace(",", "."))
        rows.append((colour, label))
        if not math.isinf(upper):
            lower = int(upper)
    rows.append((NO_SERVICE_COLOUR, i18n.t("map.dekking.class_none", lang)))
    rows.append((NO_DATA_COLOUR, i18n.t("map.dekking.class_unknown", lang)))
    return rows


def coverage_deck(atlas: Atlas, coverage: pd.DataFrame, lang: str = "nl", height: int = 520,
                  asset_base: str = DEFAULT_ASSET_BASE) -> pdk.Deck:
    """A pydeck choropleth of light-help coverage per wijk (no base map, no API key).

    ``coverage`` is :func:`socialmap.profiles.coverage` for the chosen distance. Fill: youth per
    light-help service; a thick red outline: the nearest light help is farther than that distance.
    """
    data = map_data(atlas, lang)
    features = []
    # columns as dicts: a .loc per wijk took seconds with thousands of wijken
    names, per_service = coverage["name"].to_dict(), coverage["youth_per_service"].to_dict()
    services, nearest_m = coverage["light_services"].to_dict(), coverage["nearest_m"].to_dict()
    youths, fars = coverage["youth_0_24"].to_dict(), coverage["far"].to_dict()
    for feat in data.wijken["features"]:
        code = feat["id"]
        if code not in names:
            continue
        per = per_service[code]
        n = int(services[code])
        nearest = nearest_m[code]
        youth = youths[code]
        far = bool(fars[code])
        features.append({
            "type": "Feature",
            "geometry": feat["geometry"],
            "properties": {
                "code": code,
                "name": html.escape(str(names[code])),
                "youth": "?" if pd.isna(youth) else f"{int(youth):,}".replace(",", "."),
                "services": n,
                "per_service": "–" if pd.isna(per) else f"{round(per):,}".replace(",", "."),
                "nearest": "–" if pd.isna(nearest) else f"{nearest / 1000:.1f}".replace(".", ",") + " km",
                "far_text": html.escape(i18n.t("map.dekking.far_flag", lang)) if far else "",
                "fill": list(coverage_colour(per, n)),
                "line": list(FAR_LINE if far else NORMAL_LINE),
                "line_width": 90 if far else 12,
            },
        })
    layer = pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": features},
        id="coverage",
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color="properties.line",
        get_line_width="properties.line_width",
        line_width_min_pixels=1,  # widths are in metres (deck.gl's default unit)
    )
    (south, west), (north, east) = data.bounds
    lat, lon = (south + north) / 2, (west + east) / 2
    span = max(north - south, (east - west) * 0.6, 1e-3)
    zoom = max(6.0, min(14.0, math.log2(360.0 / span) - 0.8))
    tooltip = {
        "html": ("<b>{name}</b><br>"
                 + html.escape(i18n.t("map.dekking.tip_youth", lang)) + ": {youth}<br>"
                 + html.escape(i18n.t("map.dekking.tip_services", lang)) + ": {services}<br>"
                 + html.escape(i18n.t("map.dekking.tip_per_service", lang)) + ": {per_service}<br>"
                 + html.escape(i18n.t("map.dekking.tip_nearest", lang)) + ": {nearest}<br><b>{far_text}</b>"),
        "style": {"backgroundColor": "white", "color": "#222", "fontSize": "12px"},
    }
    return pdk.Deck(
        layers=[layer],
        initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=round(zoom, 2)),
        # A local style with only a plain background: no tiles, no token, no request elsewhere.
        # (With map_style=None Streamlit substitutes a CARTO basemap from basemaps.cartocdn.com;
        # its frontend needs a style URL, not an inline dict.)
        map_style=f"{asset_base.rstrip('/')}/{BLANK_STYLE_PATH}",
        map_provider=None,
        tooltip=tooltip,
        height=height,
    )


__all__ = [
    "LEAFLET_VERSION", "LEVEL_COLOURS", "TILE_CHOICES", "PDOK_TILES", "MapData", "map_data",
    "service_map", "map_html", "tiles_setting", "asset_urls", "legend_items", "coverage_deck",
    "coverage_legend", "coverage_colour", "View", "Selection", "ViewIndex", "ViewLayers", "ViewLayer", "view_index",
    "view_layer", "base_map", "fit_view", "first_bounds", "simplify_for_zoom",
]
