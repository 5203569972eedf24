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

import html
import json
import math
import os
import weakref
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence
from urllib.parse import urlencode

import folium
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from branca.element import MacroElement
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


def _round_coords(geometry: Any) -> Any:
    return shapely.transform(geometry, lambda xy: np.round(xy, _DECIMALS))


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
    "coverage_legend", "coverage_colour",
]
