"""Start from a snapshot: the validated region as Arrow columns, rebuilt only when the data changed."""

from __future__ import annotations

import shutil
import subprocess

import pandas as pd
import pytest

from conftest import ROOT
from socialmap import matching, snapshot
from socialmap.errors import DataError
from socialmap.loader import load_region
from test_maps import _rename


def _edit(region, file, row_id, column, value):
    _rename(region, file, row_id, column, value)


def test_a_snapshot_reads_back_the_same_atlas(mini_region):
    atlas = load_region(mini_region)
    snapshot.write(atlas, mini_region)
    again = snapshot.read(mini_region)
    assert again is not None
    for name in snapshot.FRAMES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(atlas, name), check_exact=True)
    assert type(again.areas).__name__ == "GeoDataFrame" and again.areas.crs == atlas.areas.crs
    assert again.region == atlas.region and again.warnings == atlas.warnings


def test_the_shipped_region_reads_back_the_same_with_its_lists_as_tuples(tmp_path):
    folder = tmp_path / "kennemerland"
    shutil.copytree(ROOT / "data" / "regions" / "kennemerland", folder, ignore=shutil.ignore_patterns(".*"))
    atlas = load_region(folder)
    snapshot.write(atlas, folder)
    again = snapshot.read(folder)
    for name in snapshot.FRAMES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(atlas, name), check_exact=True)
    assert all(isinstance(v, tuple) and all(isinstance(x, str) for x in v) for v in again.services["service_area"])
    assert list(again.services.columns) == list(atlas.services.columns)


def test_the_first_start_validates_and_writes_the_snapshot_the_next_reads_it(mini_region, monkeypatch):
    shutil.rmtree(mini_region / snapshot.SNAPSHOT_DIR, ignore_errors=True)  # as on a fresh clone
    assert snapshot.read_meta(mini_region) is None
    first = snapshot.load(mini_region)
    meta = snapshot.read_meta(mini_region)
    assert meta["format"] == snapshot.FORMAT and meta["content_hash"] == snapshot.content_hash(mini_region)

    def no_validation(*_args, **_kwargs):
        raise AssertionError("validated although the data did not change")

    monkeypatch.setattr(snapshot, "load_region", no_validation)
    second = snapshot.load(mini_region)
    assert second is not first and list(second.services.index) == list(first.services.index)


def test_a_hand_edit_makes_the_snapshot_stale_and_the_region_is_validated_again(mini_region):
    snapshot.load(mini_region)
    _edit(mini_region, "services.csv", "svc-cjg", "name", "Opvoedspreekuur CJG (nieuw)")
    assert not snapshot.is_fresh(mini_region)
    atlas = snapshot.load(mini_region)
    assert atlas.services.at["svc-cjg", "name"] == "Opvoedspreekuur CJG (nieuw)"
    assert snapshot.is_fresh(mini_region)


def test_invalid_data_is_refused_even_with_an_old_snapshot(mini_region):
    snapshot.load(mini_region)
    _edit(mini_region, "services.csv", "svc-cjg", "level", "no_such_level")
    with pytest.raises(DataError) as err:
        snapshot.load(mini_region)
    assert any("no_such_level" in m for m in err.value.messages)


def test_an_old_or_broken_snapshot_is_rebuilt(mini_region):
    snapshot.load(mini_region)
    (mini_region / snapshot.SNAPSHOT_DIR / "services.parquet").write_bytes(b"not parquet")
    assert snapshot.read(mini_region) is None
    assert len(snapshot.load(mini_region).services) > 0
    assert snapshot.read(mini_region) is not None


def test_an_interrupted_save_is_finished_before_the_snapshot_is_read(mini_region, monkeypatch):
    seen = []
    monkeypatch.setattr(snapshot, "recover", lambda folder: seen.append(folder))
    snapshot.load(mini_region)
    assert seen == [mini_region]


def test_hidden_files_do_not_change_the_content_hash(mini_region):
    before = snapshot.content_hash(mini_region)
    (mini_region / ".history").mkdir(exist_ok=True)
    (mini_region / ".history" / "x.json").write_text("{}", encoding="utf-8")
    assert snapshot.content_hash(mini_region) == before
    (mini_region / "notes.txt").write_text("x", encoding="utf-8")
    assert snapshot.content_hash(mini_region) != before


def test_snapshots_are_never_committed():
    for path in ("data/regions/kennemerland/.snapshot/services.parquet", "tests/fixtures/regions/x/.snapshot/snapshot.json"):
        assert subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT, check=False).returncode == 0, path


def test_the_shared_indexes_are_built_in_the_background_and_say_when_they_are_ready(mini_region):
    atlas = snapshot.load(mini_region)
    assert snapshot.readiness(atlas).ready is False
    state = snapshot.build_indexes(atlas)
    assert state.ready and state.error is None
    assert state.steps == ["match", "lookup", "practices", "search", "wijk", "wijk_real", "profiles", "map",
                           "cards", "coverage", "route_atlas", "outlines"]
    assert snapshot.readiness(atlas).as_dict()["ready"] is True
    assert matching.lookup.peek(atlas) is not None


def test_the_validate_command_leaves_a_fresh_snapshot_for_the_app(mini_region):
    from socialmap import validate

    shutil.rmtree(mini_region / snapshot.SNAPSHOT_DIR, ignore_errors=True)
    assert validate.main([str(mini_region), "--quiet"]) == 0
    assert snapshot.is_fresh(mini_region)
    # with its day, so the Beheer page takes its warnings instead of validating again
    import datetime as dt

    assert snapshot.read_meta(mini_region)["validated_on"] == dt.date.today().isoformat()


def test_list_columns_read_back_as_tuples_for_every_kind_of_row():
    import pyarrow as pa

    rows = [["GM0392"], None, [], [""], ["a", "b"], ["GM0392"], ["x\x1fy"], ["a", "b"]]
    column = pa.chunked_array([pa.array(rows[:3], type=pa.list_(pa.string())),
                               pa.array(rows[3:], type=pa.list_(pa.string()))])
    assert snapshot._string_tuples(column) == [None if r is None else tuple(r) for r in rows]
    without_separator = pa.chunked_array([pa.array([r for r in rows if r != ["x\x1fy"]], type=pa.list_(pa.string()))])
    got = snapshot._string_tuples(without_separator)
    assert got == [None if r is None else tuple(r) for r in rows if r != ["x\x1fy"]]
    assert got[0] is got[5]  # one tuple per distinct list, shared by its rows
    assert snapshot._string_tuples(pa.chunked_array([pa.array([[1]], type=pa.list_(pa.int64()))])) is None
