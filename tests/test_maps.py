"""Map builders: the folium social map and the pydeck coverage choropleth (objects and HTML)."""

from __future__ import annotations

import csv
import json
import re

import folium
import folium.folium
import pydeck as pdk
import pytest

from conftest import ROOT, SHIPPED, VALID_MINI
from socialmap import maps, profiles
from socialmap.loader import load_region

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def atlas():
    return load_region(VALID_MINI)


def _geojson_layers(m: folium.Map) -> dict[str, folium.GeoJson]:
    return {child.layer_name: child for child in m._children.values() if isinstance(child, folium.GeoJson)}


def _html(m: folium.Map) -> str:
    return maps.map_html(m)


def test_the_map_has_wijk_and_buurt_boundaries_and_one_service_layer(atlas):
    layers = _geojson_layers(maps.service_map(atlas, lang="nl", tiles="none"))
    assert list(layers) == ["Buurten", "Wijken", "Hulp"]
    assert [f["properties"]["code"] for f in layers["Wijken"].data["features"]] == ["WK999101", "WK999102"]
    assert len(layers["Buurten"].data["features"]) == 3
    services = layers["Hulp"].data["features"]
    assert [(f["properties"]["id"], f["properties"]["level"]) for f in services] == [
        ("svc-cjg", "open_access"), ("svc-poh", "gp_practice")]


def test_services_without_a_location_are_not_on_the_map(atlas):
    layers = _geojson_layers(maps.service_map(atlas, ["svc-hap", "svc-baby", "svc-cjg"], tiles="none"))
    assert [f["properties"]["id"] for f in layers["Hulp"].data["features"]] == ["svc-cjg"]
    layers = _geojson_layers(maps.service_map(atlas, ["svc-hap"], tiles="none"))
    assert "Hulp" not in layers


def test_services_are_coloured_by_care_level_and_the_legend_names_every_level(atlas):
    m = maps.service_map(atlas, lang="nl", tiles="none")
    services = _geojson_layers(m)["Hulp"].data["features"]
    assert {f["properties"]["colour"] for f in services} == {maps.LEVEL_COLOURS["open_access"],
                                                              maps.LEVEL_COLOURS["gp_practice"]}
    page = _html(m)
    assert "socialmap-legend" in page
    for label in ("Zelf aan de slag", "Vrij toegankelijk", "Praktijkondersteuner jeugd bij de huisarts",
                  "Sociaal wijkteam", "Basis jeugd-GGZ", "Specialistische jeugd-GGZ", "Direct hulp / veiligheid"):
        assert label in page
    for colour in maps.LEVEL_COLOURS.values():
        assert colour in page


def test_the_legend_is_in_english_when_the_page_is(atlas):
    page = _html(maps.service_map(atlas, lang="en", tiles="none"))
    assert "Kind of help" in page and "Soort hulp" not in page


def test_an_area_opens_its_profile_and_a_service_has_a_tooltip(atlas):
    layers = _geojson_layers(maps.service_map(atlas, lang="nl", tiles="none", app_base="/base"))
    buurt = layers["Buurten"].data["features"][0]["properties"]
    assert '<a href="/base/wijkprofiel?code=BU99910101&amp;lang=nl" target="_blank" rel="noopener">Wijkprofiel openen</a>' in buurt["popup"]
    assert '/base/wijkprofiel?code=WK999101&amp;lang=nl' in buurt["popup"]  # and its wijk
    tip = layers["Hulp"].data["features"][0]["properties"]["tip"]
    assert tip == "<b>Opvoedspreekuur CJG</b><br>Vrij toegankelijk<br><small>CJG West</small>"


def _rename(region, file, row_id, column, value):
    path = region / file
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["id" if "id" in row else "code"] == row_id:
            row[column] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_text_from_data_is_escaped_in_the_map_html(mini_region):
    def rename(file, row_id, column, value):
        _rename(mini_region, file, row_id, column, value)

    rename("services.csv", "svc-cjg", "name", XSS)
    rename("locations.csv", "loc-cjg", "name", XSS)
    rename("areas.csv", "BU99910101", "name", XSS)
    atlas = load_region(mini_region)
    m = maps.service_map(atlas, tiles="none")
    layers = _geojson_layers(m)
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    assert layers["Hulp"].data["features"][0]["properties"]["tip"] == (
        f"<b>{escaped}</b><br>Vrij toegankelijk<br><small>{escaped}</small>")
    assert layers["Buurten"].data["features"][0]["properties"]["popup"].startswith(f"<b>{escaped}</b>")
    page = _html(m)
    assert XSS not in page
    assert "<img" not in page
    # folium writes the GeoJSON with < > & as \u escapes; the browser then sees the entities as text
    assert page.count("\\u0026lt;img src=x onerror=alert(1)\\u0026gt;") == 4  # service name and location (tooltip), buurt tooltip and popup


def test_leaflet_comes_from_the_app_and_nothing_from_a_cdn_without_tiles(atlas):
    m = maps.service_map(atlas, tiles="none")
    page = _html(m)
    assert sorted(re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', page)) == [
        "/app/static/vendor/leaflet-1.9.3/leaflet.css", "/app/static/vendor/leaflet-1.9.3/leaflet.js"]
    assert re.findall(r"https?://", page) == []
    assert "cdn" not in page.lower()


def test_the_asset_base_follows_the_server_path(atlas):
    page = _html(maps.service_map(atlas, tiles="none", asset_base="/kaart/app/static/vendor"))
    assert '<script src="/kaart/app/static/vendor/leaflet-1.9.3/leaflet.js"></script>' in page


def test_the_vendored_leaflet_is_the_version_folium_pins():
    assert f"leaflet@{maps.LEAFLET_VERSION}/" in dict(folium.folium._default_js)["leaflet"]
    folder = ROOT / "static" / "vendor" / f"leaflet-{maps.LEAFLET_VERSION}"
    assert (folder / "leaflet.js").read_text(encoding="utf-8").startswith(f"/* @preserve\n * Leaflet {maps.LEAFLET_VERSION},")
    for name in ("leaflet.css", "LICENSE", "images/layers.png", "images/marker-icon.png"):
        assert (folder / name).is_file(), name
    manifest = (ROOT / "static" / "vendor" / "MANIFEST.txt").read_text(encoding="utf-8")
    assert f"./leaflet-{maps.LEAFLET_VERSION}/leaflet.js" in manifest


def test_by_default_the_map_loads_no_tiles_from_a_third_party(atlas, monkeypatch):
    monkeypatch.delenv("SOCIALMAP_TILES", raising=False)
    assert [c for c in maps.service_map(atlas)._children.values() if isinstance(c, folium.TileLayer)] == []


def test_pdok_tiles_are_an_explicit_choice_with_the_kadaster_attribution(atlas, monkeypatch):
    monkeypatch.setenv("SOCIALMAP_TILES", "pdok")
    tiles = [c for c in maps.service_map(atlas)._children.values() if isinstance(c, folium.TileLayer)]
    assert [t.tiles for t in tiles] == [maps.PDOK_TILES]
    assert "Kadaster" in tiles[0].options["attribution"] and "PDOK" in tiles[0].options["attribution"]


@pytest.mark.parametrize("setting,expected", [
    ("osm", ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]), ("none", []), ("PDOK", [maps.PDOK_TILES]),
    ("something", []),
])
def test_base_tiles_follow_the_socialmap_tiles_setting(atlas, monkeypatch, setting, expected):
    monkeypatch.setenv("SOCIALMAP_TILES", setting)
    tiles = [c for c in maps.service_map(atlas)._children.values() if isinstance(c, folium.TileLayer)]
    assert [t.tiles for t in tiles] == expected


def test_a_focus_area_is_outlined_and_the_map_zooms_to_it(atlas):
    m = maps.service_map(atlas, tiles="none", focus="BU99910201")
    layers = _geojson_layers(m)
    assert [f["id"] for f in layers["focus"].data["features"]] == ["BU99910201"]
    fit = [c for c in m._children.values() if type(c).__name__ == "FitBounds"]
    assert fit[-1].bounds == maps.map_data(atlas).area_bounds["BU99910201"]
    whole = [c for c in maps.service_map(atlas, tiles="none")._children.values() if type(c).__name__ == "FitBounds"]
    assert whole[-1].bounds == maps.map_data(atlas).bounds


def test_the_display_data_is_built_once_per_atlas_and_language(atlas):
    assert maps.map_data(atlas, "nl") is maps.map_data(atlas, "nl")
    assert maps.map_data(atlas, "en") is not maps.map_data(atlas, "nl")


def test_the_coverage_deck_is_a_choropleth_per_wijk_without_token_or_remote_style(atlas):
    deck = maps.coverage_deck(atlas, profiles.coverage(atlas, 999), "nl")
    assert isinstance(deck, pdk.Deck)
    spec = json.loads(deck.to_json())
    assert spec["mapStyle"] == "/app/static/vendor/basemap/blank-style.json"
    assert (ROOT / "static" / "vendor" / "basemap" / "blank-style.json").is_file()
    assert "mapProvider" not in spec and not deck.mapbox_key
    [layer] = spec["layers"]
    assert layer["@@type"] == "GeoJsonLayer"
    props = [f["properties"] for f in layer["data"]["features"]]
    assert [p["code"] for p in props] == ["WK999101", "WK999102"]
    assert [p["per_service"] for p in props] == ["1.750", "2.000"]
    assert [p["fill"] for p in props] == [list(maps.coverage_colour(1750, 2))] * 2
    assert [p["line"] for p in props] == [list(maps.FAR_LINE)] * 2  # both farther than 999 m
    assert props[0]["far_text"] == "Lichte hulp is ver weg"


def test_the_coverage_legend_names_every_class():
    labels = [label for _, label in maps.coverage_legend("nl")]
    assert labels == ["0 tot 100", "100 tot 200", "200 tot 300", "300 tot 400", "meer dan 400",
                      "Geen lichte hulp voor deze wijk", "Aantal jongeren onbekend"]
    assert maps.coverage_colour(150, 3) == maps.COVERAGE_CLASSES[1][1]
    assert maps.coverage_colour(float("nan"), 0) == maps.NO_SERVICE_COLOUR


@pytest.mark.skipif(not (SHIPPED / "areas.csv").exists(), reason="shipped region not built yet")
def test_the_shipped_map_stays_under_two_megabytes(shipped_atlas):
    page = _html(maps.service_map(shipped_atlas, tiles="none"))
    assert len(page.encode("utf-8")) < 2_000_000


def test_a_markdown_link_escapes_its_label_and_percent_encodes_brackets_and_spaces_in_the_url():
    from socialmap.ui.maps import md_link

    assert md_link("Site [1]", " https://x.example/a (b)[c] ") == "[Site \\[1\\]](https://x.example/a%20%28b%29%5Bc%5D)"


# ---- the view-bound map -------------------------------------------------------------------------

def _shapely_points(features):
    return [tuple(f["geometry"]["coordinates"]) for f in features]


def test_the_first_view_is_the_box_leaflet_fits_around_the_region(atlas):
    bounds = maps.map_data(atlas).bounds
    view = maps.fit_view(bounds, width_px=700, height_px=560)
    assert view.zoom == 13
    (south, west), (north, east) = bounds
    assert view.south <= south and view.west <= west and view.north >= north and view.east >= east
    assert maps.fit_view([[50.75, 3.36], [53.55, 7.23]]).zoom == 7  # the whole country


def test_the_view_comes_from_what_st_folium_returns_and_nothing_else():
    returned = {"bounds": {"_southWest": {"lat": 52.3, "lng": 4.5}, "_northEast": {"lat": 52.4, "lng": 4.7}}, "zoom": 12}
    assert maps.View.from_returned(returned) == maps.View(52.3, 4.5, 52.4, 4.7, 12)
    assert maps.View.from_returned(None) is None
    assert maps.View.from_returned({"bounds": {"_southWest": {"lat": None, "lng": None},
                                               "_northEast": {"lat": None, "lng": None}}, "zoom": 12}) is None
    assert maps.View.from_returned({"last_active_drawing": None}) is None


def test_a_view_gets_only_the_services_and_outlines_inside_it(atlas):
    index = maps.view_index(atlas)
    whole = index.layers(maps.fit_view(maps.map_data(atlas).bounds))
    assert whole.outline_kind == "buurt"
    assert [f["id"] for f in whole.outlines] == ["BU99910101", "BU99910102", "BU99910201"]
    assert [f["id"] for f in whole.frames] == ["WK999101", "WK999102"]  # the wijken around them, not interactive
    assert sorted(f["properties"]["id"] for f in whole.points) == ["svc-cjg", "svc-poh"]
    # zoomed in at street level around the CJG (the snapped view still lies far from the POH)
    near_cjg = index.layers(maps.View(52.3140, 4.5950, 52.3146, 4.5956, 17))
    assert [f["properties"]["id"] for f in near_cjg.points] == ["svc-cjg"]
    assert near_cjg.in_view == 1 and near_cjg.clusters == []


def test_filtered_out_services_are_not_sent(atlas):
    index = maps.view_index(atlas)
    view = maps.fit_view(maps.map_data(atlas).bounds)
    assert [f["properties"]["id"] for f in index.layers(view, ["svc-poh", "svc-hap"]).points] == ["svc-poh"]
    assert index.layers(view, []).points == []


def test_above_max_points_services_are_counted_per_grid_cell(atlas, monkeypatch):
    monkeypatch.setattr(maps, "MAX_POINTS", 1)
    index = maps.ViewIndex(atlas, "nl", "")
    layers = index.layers(maps.View(52.2, 4.4, 52.5, 4.8, 8))  # both services in one cell at zoom 8
    assert layers.points == []
    [cluster] = layers.clusters
    assert cluster["properties"]["n"] == 2
    assert cluster["properties"]["tip"] == "<b>2 diensten</b><br>1 × Vrij toegankelijk<br>1 × Praktijkondersteuner jeugd bij de huisarts"
    # a cell with one service shows the service itself
    apart = index.layers(maps.View(52.2, 4.4, 52.5, 4.8, 16))
    assert sorted(f["properties"]["id"] for f in apart.points) == ["svc-cjg", "svc-poh"] and apart.clusters == []


def test_too_many_outlines_in_view_fall_back_to_a_coarser_kind(atlas, monkeypatch):
    monkeypatch.setattr(maps, "MAX_OUTLINES", 2)
    layers = maps.ViewIndex(atlas, "nl", "").layers(maps.fit_view(maps.map_data(atlas).bounds))
    assert layers.outline_kind == "wijk" and [f["id"] for f in layers.outlines] == ["WK999101", "WK999102"]
    assert '/wijkprofiel?code=WK999101&amp;lang=nl' in layers.outlines[0]["properties"]["popup"]
    monkeypatch.setattr(maps, "MAX_OUTLINES", 1)
    layers = maps.ViewIndex(atlas, "nl", "").layers(maps.fit_view(maps.map_data(atlas).bounds))
    assert layers.outline_kind == "gemeente"
    assert layers.outlines[0]["properties"]["tip"] == "Testgemeente <small>(gemeente)</small>"


def test_outlines_are_simpler_at_a_lower_zoom(shipped_atlas):
    index = maps.view_index(shipped_atlas)

    def size(zoom):
        return sum(len(g) for g in index.geometries("wijk", zoom).values())

    assert size(9) < size(12) < size(15)
    assert maps.zoom_band(7) == 8 and maps.zoom_band(11) == 12 and maps.zoom_band(17) == 14
    assert maps.simplify_for_zoom(15) == maps.SIMPLIFY_M and maps.simplify_for_zoom(9) == 282.4
    assert maps.decimals_for_zoom(7) == 3 and maps.decimals_for_zoom(16) == 5


def test_the_layers_of_a_view_are_built_once_per_filter_and_snapped_view(atlas):
    index = maps.view_index(atlas)
    view = maps.fit_view(maps.map_data(atlas).bounds)
    nudged = maps.View(view.south + 1e-4, view.west + 1e-4, view.north + 1e-4, view.east + 1e-4, view.zoom)
    assert index.layers(view) is index.layers(nudged)  # a small pan sends nothing new
    assert index.layers_json(view) is index.layers_json(nudged)
    assert index.layers(view, ["svc-cjg"]) is not index.layers(view)


def test_text_from_data_is_escaped_in_the_view_data(mini_region):
    def rename(file, row_id, column, value):
        _rename(mini_region, file, row_id, column, value)

    payload = XSS + "</script>{{ 7*7 }}{% if 1 %}x{% endif %}"
    rename("services.csv", "svc-cjg", "name", payload)
    rename("areas.csv", "BU99910101", "name", payload)
    atlas = load_region(mini_region)
    m = maps.base_map(atlas, tiles="none")
    group = maps.view_layer(atlas, maps.fit_view(maps.first_bounds(atlas)))
    group.add_to(m)
    page = maps.map_html(m)
    assert "<img" not in page and "</script>{" not in page
    assert "{{ 7*7 }}" not in page and "{% if" not in page and ">49<" not in page  # never run as a template
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;\\u007b{ 7*7 }}" in page
    [layer] = [c for c in group._children.values() if isinstance(c, maps.ViewLayer)]
    data = json.loads(layer.data_json)
    tips = {f["properties"]["id"]: f["properties"]["tip"] for f in data["points"]}
    assert tips["svc-cjg"].startswith("<b>&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;{{ 7*7 }}")


def test_the_base_map_has_tiles_legend_and_first_fit_but_no_data(atlas):
    m = maps.base_map(atlas, lang="en", tiles="none", focus="BU99910201")
    page = maps.map_html(m)
    assert "Kind of help" in page and "Oostbuurt" not in page and "svc-cjg" not in page
    fit = [c for c in m._children.values() if type(c).__name__ == "FitBounds"]
    assert fit[-1].bounds == maps.map_data(atlas).area_bounds["BU99910201"]
    layers = maps.view_index(atlas, "en").layers(maps.fit_view(maps.first_bounds(atlas, focus="BU99910201")),
                                                 focus="BU99910201")
    assert [f["id"] for f in layers.focus] == ["BU99910201"]
