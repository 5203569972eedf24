"""Local services for an advice: real records first; then serving the area, nearest, shortest wait."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from socialmap import schedule
from socialmap.matching import Match, match, match_index, services_for_advice
from socialmap.model import Atlas, Region

# A 10 x 4 km strip: gemeente GM0001 with wijk W1 (x 0-5 km) and wijk W2 (x 5-10 km); buurt B1 in W1.
X0, Y0 = 100_000, 480_000


def box(x1, x2, y1=0, y2=4000):
    return shapely.box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def build_atlas(services: list[dict], locations: dict[str, tuple[float, float]] | None = None,
                schedules: list[dict] | None = None, reach_m: int = 3000) -> Atlas:
    areas = gpd.GeoDataFrame(
        {
            "kind": ["gemeente", "wijk", "wijk", "buurt"],
            "name": ["Gemeente", "West", "Oost", "Westbuurt"],
            "name_source": ["cbs"] * 4,
            "parent_code": ["", "GM0001", "GM0001", "WK000101"],
            "municipality_code": ["GM0001"] * 4,
            "population": pd.array([None] * 4, dtype="Int64"),
            "age_0_14": pd.array([None] * 4, dtype="Int64"),
            "age_15_24": pd.array([None] * 4, dtype="Int64"),
            "youth_source": [""] * 4,
        },
        index=pd.Index(["GM0001", "WK000101", "WK000102", "BU00010101"]),
        geometry=[box(0, 10000), box(0, 5000), box(5000, 10000), box(0, 5000, 0, 2000)],
        crs="EPSG:28992",
    )
    postcodes = pd.DataFrame({"buurt_code": ["BU00010101", ""], "wijk_code": ["WK000101", "WK000102"],
                              "municipality_code": ["GM0001"] * 2, "share": [1.0, 1.0], "inhabitants": [1, 1]},
                             index=pd.Index(["1001", "1002"]))
    locations = locations or {}
    locs = gpd.GeoDataFrame(
        {"organization_id": ["org"] * len(locations), "name": list(locations)},
        index=pd.Index(list(locations), dtype=object),
        geometry=[shapely.Point(X0 + x, Y0 + y) for x, y in locations.values()],
        crs="EPSG:28992",
    )
    rows = []
    sal = []
    for s in services:
        row = {"organization_id": "org", "name": s["id"], "level": s.get("level", "gp_practice"),
               "concerns": tuple(s.get("concerns", ())), "age_min_months": s.get("age_min", 0),
               "age_max_months": s.get("age_max", 23 * 12 + 11), "waiting_weeks": s.get("waiting"),
               "service_area": tuple(s.get("area", ())), "status": s.get("status", "illustrative")}
        rows.append(row)
        for loc in s.get("at", ()):
            sal.append({"service_id": s["id"], "location_id": loc})
    svc = pd.DataFrame(rows, index=pd.Index([s["id"] for s in services], dtype=object))
    svc["waiting_weeks"] = svc["waiting_weeks"].astype("Int64")
    svc["age_min_months"] = svc["age_min_months"].astype("Int64")
    svc["age_max_months"] = svc["age_max_months"].astype("Int64")
    sal_df = pd.DataFrame(sal, columns=["service_id", "location_id"], index=pd.Index([f"sal{i}" for i in range(len(sal))]))
    sched = pd.DataFrame(schedules or [], columns=["service_id", "location_id", "kind", "weekday", "opens", "closes", "note"])
    region = Region("synthetic", "Synthetisch", (), None, reach_m, "test", 2024, Path("."))
    return Atlas(region, areas, postcodes, pd.DataFrame(), locs, svc, sal_df, sched, pd.DataFrame())


def ids(matches: list[Match]) -> list[str]:
    return [m.service_id for m in matches]


def test_it_ranks_services_serving_the_area_first_then_nearest_then_shortest_waiting():
    atlas = build_atlas(
        [
            {"id": "near-not-serving", "area": ["WK000102"], "at": ["l-500"], "waiting": 0},
            {"id": "serving-far", "area": ["WK000101"], "at": ["l-4000"], "waiting": 0},
            {"id": "serving-near-long-wait", "area": ["GM0001"], "at": ["l-1000"], "waiting": 9},
            {"id": "serving-near-short-wait", "area": ["BU00010101"], "at": ["l-1000b"], "waiting": 2},
            {"id": "serving-no-location", "area": ["NL"], "waiting": 0},
        ],
        locations={"l-500": (2500 + 500, 1000), "l-4000": (2500, 1000 + 4000 - 1000 + 1000),
                   "l-1000": (2500 + 1000, 1000), "l-1000b": (2500 - 1000, 1000)},
    )
    area = atlas.area("BU00010101")  # representative point (2500, 1000)
    got = match(atlas, area, ["gp_practice"], 10)
    assert ids(got) == ["serving-near-short-wait", "serving-near-long-wait", "serving-far", "serving-no-location",
                        "near-not-serving"]
    assert [m.serves_area for m in got] == [True, True, True, True, False]
    assert got[0].distance_m == pytest.approx(1000.0)
    assert got[3].distance_m is None


def test_it_lists_real_records_before_illustrative_ones_whatever_their_distance():
    atlas = build_atlas(
        [
            {"id": "fake-serving-near", "area": ["BU00010101"], "at": ["near"], "waiting": 0},
            {"id": "real-not-serving-far", "area": ["WK000102"], "at": ["far"], "waiting": 9, "status": "to_verify"},
            {"id": "real-serving-far", "area": ["GM0001"], "at": ["far2"], "waiting": 9, "status": "verified"},
            {"id": "fake-serving-far", "area": ["GM0001"], "at": ["far3"], "waiting": 0},
        ],
        locations={"near": (2600, 1000), "far": (2500 + 2900, 1000), "far2": (2500 + 2000, 1000),
                   "far3": (2500 + 1500, 1000)},
    )
    got = match(atlas, atlas.area("BU00010101"), ["gp_practice"], 10)
    assert ids(got) == ["real-serving-far", "real-not-serving-far", "fake-serving-near", "fake-serving-far"]
    assert [m.status for m in got] == ["verified", "to_verify", "illustrative", "illustrative"]


def test_it_takes_services_within_reach_and_leaves_out_far_ones_that_do_not_serve_the_area():
    atlas = build_atlas(
        [{"id": "in-reach", "area": ["GM9999"], "at": ["a"]}, {"id": "out-of-reach", "area": ["GM9999"], "at": ["b"]}],
        locations={"a": (2500 + 2999, 1000), "b": (2500 + 3001, 1000)},
    )
    assert ids(match(atlas, atlas.area("BU00010101"), ["gp_practice"], None)) == ["in-reach"]


def test_it_measures_to_the_nearest_location_of_a_service():
    atlas = build_atlas([{"id": "two-sites", "area": ["GM0001"], "at": ["far", "near"]}],
                        locations={"far": (9000, 3000), "near": (2500, 1300)})
    assert match(atlas, atlas.area("BU00010101"), ["gp_practice"], 8)[0].distance_m == pytest.approx(300.0)


def test_it_filters_by_level_age_and_concern():
    atlas = build_atlas(
        [
            {"id": "poh-general", "area": ["GM0001"]},
            {"id": "poh-anxiety", "area": ["GM0001"], "concerns": ["anxiety", "low_mood"]},
            {"id": "poh-eating", "area": ["GM0001"], "concerns": ["eating"]},
            {"id": "from-four", "area": ["GM0001"], "age_min": 48},
            {"id": "babies", "area": ["GM0001"], "age_max": 6},
            {"id": "wijkteam", "area": ["GM0001"], "level": "wijkteam"},
        ]
    )
    area = atlas.area("WK000102")
    assert ids(match(atlas, area, ["gp_practice"], 10, ["anxiety"])) == ["from-four", "poh-anxiety", "poh-general"]
    assert "from-four" not in ids(match(atlas, area, ["gp_practice"], 3))
    assert "from-four" in ids(match(atlas, area, ["gp_practice"], 4))
    assert "babies" in ids(match(atlas, area, ["gp_practice"], 0))
    assert "babies" not in ids(match(atlas, area, ["gp_practice"], 1))
    assert set(ids(match(atlas, area, ["gp_practice", "wijkteam"], None))) == {
        "poh-general", "poh-anxiety", "poh-eating", "from-four", "babies", "wijkteam"}
    assert match(atlas, area, ["basic_mh"], 10) == []


def test_it_limits_the_number_of_matches_and_groups_them_per_level_for_an_advice():
    atlas = build_atlas([{"id": f"poh-{i}", "area": ["GM0001"], "waiting": i} for i in range(5)]
                        + [{"id": "wt", "area": ["GM0001"], "level": "wijkteam"}])
    area = atlas.area("GM0001")
    assert ids(match(atlas, area, ["gp_practice"], 9, limit=2)) == ["poh-0", "poh-1"]
    assert ids(services_for_advice(atlas, area, "gp_practice", ("wijkteam",), 9, per_level=3)) == [
        "poh-0", "poh-1", "poh-2", "wt"]


def test_it_gives_the_contract_service_object():
    atlas = build_atlas([{"id": "s", "area": ["GM0001"], "at": ["x"], "waiting": 3}], locations={"x": (2500, 1000 + 1249)})
    assert match(atlas, atlas.area("BU00010101"), ["gp_practice"], 9)[0].to_contract() == {
        "id": "s", "name": "s", "level": "gp_practice", "distance_km": 1.2, "waiting_weeks": 3}


MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0)  # a Monday


def test_it_tells_whether_a_service_is_open_now_and_has_walk_in_hours_today():
    atlas = build_atlas(
        [{"id": "open-mon", "area": ["GM0001"]}, {"id": "walk-in-mon", "area": ["GM0001"]},
         {"id": "no-schedule", "area": ["GM0001"]}],
        schedules=[
            {"service_id": "open-mon", "kind": "open", "weekday": "mo", "opens": "09:00", "closes": "17:00"},
            {"service_id": "walk-in-mon", "kind": "walk_in", "weekday": "mo", "opens": "13:00", "closes": "15:00"},
        ],
    )
    got = {m.service_id: m for m in match(atlas, atlas.area("GM0001"), ["gp_practice"], 9, now=MONDAY_10)}
    assert (got["open-mon"].open_now, got["open-mon"].walk_in_today) == (True, False)
    assert (got["walk-in-mon"].open_now, got["walk-in-mon"].walk_in_today) == (False, True)
    assert (got["no-schedule"].open_now, got["no-schedule"].walk_in_today) == (None, False)
    later = {m.service_id: m for m in match(atlas, atlas.area("GM0001"), ["gp_practice"], 9,
                                           now=MONDAY_10.replace(hour=16))}
    assert later["walk-in-mon"].walk_in_today is False


@pytest.mark.parametrize("now,expected", [
    (dt.datetime(2026, 11, 23, 8, 59), False), (dt.datetime(2026, 11, 23, 9, 0), True),
    (dt.datetime(2026, 11, 23, 16, 59), True), (dt.datetime(2026, 11, 23, 17, 0), False),
    (dt.datetime(2026, 11, 24, 10, 0), False),  # Tuesday
    (dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.timezone.utc), True),  # 10:30 in Amsterdam
    (dt.datetime(2026, 11, 23, 16, 30, tzinfo=dt.timezone.utc), False),  # 17:30 in Amsterdam
])
def test_it_reads_opening_hours_in_dutch_local_time(now, expected):
    rows = [{"kind": "open", "weekday": "mo", "opens": "09:00", "closes": "17:00"}]
    assert schedule.is_open(rows, now) is expected


def test_it_handles_round_the_clock_and_past_midnight_hours():
    assert schedule.is_open([{"kind": "open", "weekday": "sa", "opens": "00:00", "closes": "24:00"}],
                            dt.datetime(2026, 11, 28, 23, 59)) is True
    night = [{"kind": "open", "weekday": "fr", "opens": "17:00", "closes": "08:00"}]
    assert schedule.is_open(night, dt.datetime(2026, 11, 28, 7, 0)) is True  # Saturday morning
    assert schedule.is_open(night, dt.datetime(2026, 11, 28, 9, 0)) is False
    assert schedule.is_open([], MONDAY_10) is None


def test_it_builds_the_match_index_once_per_atlas():
    atlas = build_atlas([{"id": "s", "area": ["GM0001"]}])
    assert match_index(atlas) is match_index(atlas)
    other = build_atlas([{"id": "s", "area": ["GM0001"]}])
    assert match_index(other) is not match_index(atlas)


# ---- the shipped data ---------------------------------------------------------------------------

def test_it_lists_first_line_services_serving_boerhaavewijk_first_for_postcode_2035(shipped_atlas):
    area = shipped_atlas.resolve_postcode("2035")
    assert area.code.startswith("BU039219") or area.code == "WK039219"
    got = match(shipped_atlas, area, ["gp_practice"], 10, ["anxiety"])
    assert got and all(m.level == "gp_practice" for m in got)
    flags = [m.serves_area for m in got]
    assert flags == sorted(flags, reverse=True)  # serving services come first
    wijk_specific = [sid for sid, codes in shipped_atlas.services["service_area"].items()
                     if "WK039219" in codes and shipped_atlas.services.at[sid, "level"] == "gp_practice"]
    assert wijk_specific
    assert set(wijk_specific) <= set(ids(got)[: sum(flags)])
    served = [m for m in got if m.serves_area and m.distance_m is not None]
    assert [m.distance_m for m in served] == sorted(m.distance_m for m in served)
