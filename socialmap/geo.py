"""Coordinate reference systems in one place.

All distances and areas are computed in EPSG:28992 (RD New, metres). WGS84 (EPSG:4326) is used
only to read curators' latitude/longitude and to draw maps; :func:`to_wgs84` is the one place that
reprojects for drawing.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
from pyproj import Transformer

RD = "EPSG:28992"
WGS84 = "EPSG:4326"

#: Rough bounding box of the Netherlands (incl. the Wadden and the North Sea coast), WGS84.
NL_BBOX = (3.2, 50.7, 7.3, 53.7)  # lon_min, lat_min, lon_max, lat_max


@lru_cache(maxsize=2)
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def lonlat_to_rd(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project WGS84 longitude/latitude arrays to RD New x/y (metres)."""
    return _transformer(WGS84, RD).transform(np.asarray(lon, float), np.asarray(lat, float))


def rd_to_lonlat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _transformer(RD, WGS84).transform(np.asarray(x, float), np.asarray(y, float))


def in_netherlands(lon: float, lat: float) -> bool:
    lon_min, lat_min, lon_max, lat_max = NL_BBOX
    return lon_min <= lon <= lon_max and lat_min <= lat <= lat_max


def to_wgs84(frame: gpd.GeoDataFrame, simplify_m: float | None = None) -> gpd.GeoDataFrame:
    """A WGS84 copy for drawing, optionally simplified (tolerance in metres, in RD first)."""
    out = frame
    if simplify_m:
        out = out.copy()
        out["geometry"] = out.geometry.simplify(simplify_m, preserve_topology=True)
    return out.to_crs(WGS84)
