"""The domain model: a region's social map as one read-only in-memory atlas.

Names follow Open Referral HSDS 3 (Organization, Service, Location, service_at_location,
Schedule), with Dutch care-route fields on Service. Tables are pandas / geopandas frames indexed by
their stable id; geometry is in EPSG:28992 (RD New, metres). Treat every frame as read-only: the
atlas is shared between all sessions of the app.

Service columns after loading (see ``data/README.md`` for the file format):
``organization_id, name, description, level, access_route, concerns (tuple), professional,
age_min_months, age_max_months (inclusive), languages (tuple), cost, waiting_weeks (Int64),
waiting_as_of (date|None), service_area (tuple of codes), phone, email, url, status,
verified_at (date|None), verified_by, source_url, source_year``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .errors import InputError
from .vocab import NATIONAL_AREA

_PC6 = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})?\s*$")


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    municipalities: tuple[Municipality, ...]
    huisartsenpost_service_id: str | None
    reach_m: int
    attribution: str
    data_year: int
    path: Path


@dataclass(frozen=True)
class Area:
    """A CBS gemeente, wijk or buurt."""

    code: str
    kind: str  # gemeente / wijk / buurt
    name: str
    municipality_code: str
    municipality_name: str
    parent_code: str | None
    population: int | None
    age_0_14: int | None
    age_15_24: int | None

    def as_contract(self) -> dict[str, str]:
        """The ``area`` object of the triage contract."""
        return {"code": self.code, "name": self.name, "municipality": self.municipality_name}


@dataclass(frozen=True)
class Atlas:
    """One region's social map, loaded and validated. Read-only."""

    region: Region
    areas: gpd.GeoDataFrame  # index code; kind, name, name_source, parent_code, municipality_code, population, age_0_14, age_15_24, youth_source, geometry (RD)
    postcodes: pd.DataFrame  # index pc4 (str); buurt_code, wijk_code, municipality_code, share, inhabitants
    organizations: pd.DataFrame  # index id
    locations: gpd.GeoDataFrame  # index id; organization_id, name, address, postcode, city, municipality_code, latitude, longitude, status, ..., geometry (RD points)
    services: pd.DataFrame  # index id; see module docstring
    service_at_location: pd.DataFrame  # index id; service_id, location_id
    schedules: pd.DataFrame  # index id; service_id, location_id, kind, weekday, opens, closes, note
    gp_practices: pd.DataFrame  # index id; organization_id, location_id, youth_professional, youth_days (tuple), service_id
    warnings: tuple[str, ...] = field(default=())

    # ---- areas -------------------------------------------------------------------------
    def area(self, code: str) -> Area:
        """The area with this CBS code; ``InputError`` when the code is not in the region."""
        key = (code or "").strip().upper()
        if key not in self.areas.index:
            raise InputError(
                f"area_code '{code}' is not a CBS gemeente, wijk or buurt code of region "
                f"{self.region.name} (expected e.g. {self._example_codes()})",
                field="area_code",
                value=code,
            )
        row = self.areas.loc[key]
        muni = self.areas.loc[row["municipality_code"], "name"] if row["municipality_code"] in self.areas.index else ""
        return Area(
            code=key,
            kind=row["kind"],
            name=row["name"],
            municipality_code=row["municipality_code"],
            municipality_name=str(muni),
            parent_code=row["parent_code"] or None,
            population=_opt_int(row["population"]),
            age_0_14=_opt_int(row["age_0_14"]),
            age_15_24=_opt_int(row["age_15_24"]),
        )

    def area_chain(self, code: str) -> tuple[str, ...]:
        """The code and all its parents, most specific first (buurt, wijk, gemeente)."""
        chain: list[str] = []
        current: str | None = code
        while current:
            chain.append(current)
            parent = self.areas.at[current, "parent_code"] if current in self.areas.index else None
            current = parent or None
        return tuple(chain)

    def resolve_postcode(self, postcode: str) -> Area:
        """The most specific area for a PC4 or PC6 (``2031``, ``2031AB``, ``2031 ab``)."""
        pc4 = parse_pc4(postcode)
        if pc4 not in self.postcodes.index:
            raise InputError(
                f"postcode '{postcode}' is outside region {self.region.name} (known postcodes: "
                f"{self.postcodes.index.min()}-{self.postcodes.index.max()}, "
                f"{len(self.postcodes)} areas)",
                field="postcode",
                value=postcode,
            )
        row = self.postcodes.loc[pc4]
        code = row["buurt_code"] or row["wijk_code"]
        return self.area(code)

    def resolve(self, postcode: str | None = None, area_code: str | None = None) -> Area | None:
        """Resolve a postcode or CBS code (``area_code`` wins when both are given)."""
        if area_code:
            return self.area(area_code)
        if postcode:
            return self.resolve_postcode(postcode)
        return None

    def wijk_of(self, code: str) -> str | None:
        """The wijk code of an area (itself for a wijk, None for a gemeente)."""
        for c in self.area_chain(code):
            if self.areas.at[c, "kind"] == "wijk":
                return c
        return None

    def _example_codes(self) -> str:
        kinds = self.areas["kind"]
        examples = [self.areas.index[kinds == k][0] for k in ("gemeente", "wijk", "buurt") if (kinds == k).any()]
        return ", ".join(examples)

    # ---- services ----------------------------------------------------------------------
    def serves(self, service_id: str, area_code: str) -> bool:
        """Whether a service's service area covers an area (or the whole country)."""
        codes = self.services.at[service_id, "service_area"]
        if NATIONAL_AREA in codes:
            return True
        chain = set(self.area_chain(area_code))
        return any(c in chain for c in codes)

    def illustrative_share(self, service_ids: pd.Index | list[str] | None = None) -> tuple[int, int]:
        """(illustrative count, total) over the given services (default: all)."""
        frame = self.services if service_ids is None else self.services.loc[list(service_ids)]
        return int((frame["status"] == "illustrative").sum()), int(len(frame))


def parse_pc4(postcode: str) -> str:
    """The PC4 of a Dutch postcode (``2031``, ``2031AB``, ``2031 ab``); ``InputError`` otherwise."""
    match = _PC6.match(postcode or "")
    if not match:
        raise InputError(
            f"postcode '{postcode}' is not a Dutch postcode (expected 4 digits and optionally "
            "2 letters, e.g. 2031 AB or 2031)",
            field="postcode",
            value=postcode,
        )
    return match.group(1)


def _opt_int(value: object) -> int | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
