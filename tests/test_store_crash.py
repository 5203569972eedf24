"""A save killed half-way (SIGKILL) leaves the old or the new data, and it validates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from curation_helpers import env_with_hash

from socialmap.curation import store
from socialmap.loader import check_region

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from curation_helpers import curator
    from socialmap.curation import records, store

    folder, stage, marker = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    def pause():
        marker.write_text(stage)
        time.sleep(120)  # killed here
    store._HOOKS[stage] = pause
    # a multi-file save: services.csv, service_at_location.csv, schedules.csv and the retired/ archive
    records.retire(folder, "service", "svc-cjg", "crash test", curator(), store.version_token(folder))
    marker.write_text("finished")
""")


def _kill_during(stage: str, region: Path, tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    marker = tmp_path / "marker"
    env = env_with_hash() | {"PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
    child = subprocess.Popen([sys.executable, str(script), str(region), stage, str(marker)], cwd=ROOT, env=env)
    try:
        deadline = time.time() + 60
        while not (marker.exists() and marker.read_text() == stage):
            assert child.poll() is None, "the child ended before reaching the crash point"
            assert time.time() < deadline, "the child did not reach the crash point"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


def _state(region: Path) -> dict[str, bytes]:
    return {n: (region / n).read_bytes() for n in ("services.csv", "service_at_location.csv", "schedules.csv")}


@pytest.mark.slow
def test_a_save_killed_after_writing_temp_files_leaves_the_old_data_valid(mini_region, tmp_path):
    old = _state(mini_region)
    _kill_during("temp_written", mini_region, tmp_path)
    assert _state(mini_region) == old  # untouched even before recovery
    assert list(mini_region.glob(".*.tmp")) != []
    assert check_region(mini_region)[1] == []  # reading cleans up first
    assert store.recover(mini_region) is False
    assert _state(mini_region) == old
    assert list(mini_region.glob(".*.tmp")) == []
    assert check_region(mini_region)[1] == []


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["journal_written", "renamed_one"])
def test_a_save_killed_after_its_journal_is_rolled_forward_to_the_new_data(mini_region, tmp_path, stage):
    old = _state(mini_region)
    _kill_during(stage, mini_region, tmp_path)
    store.recover(mini_region)
    new = _state(mini_region)
    atlas, errors, _ = check_region(mini_region)
    assert errors == []
    assert all(new[n] != old[n] for n in new)  # every file of the save is the new one
    assert "svc-cjg" not in atlas.services.index
    assert "svc-cjg" not in set(atlas.service_at_location["service_id"]) | set(atlas.schedules["service_id"])
    assert [e["action"] for e in store.history(mini_region)] == ["retire"]
    assert not (mini_region / ".history" / "journal.json").exists()


@pytest.mark.slow
def test_the_validate_command_finishes_an_interrupted_save_before_reading(mini_region, tmp_path):
    _kill_during("renamed_one", mini_region, tmp_path)
    assert (mini_region / ".history" / "journal.json").exists()  # a half-renamed transaction on disk
    result = subprocess.run([sys.executable, "-m", "socialmap", "validate", str(mini_region)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"warning: {mini_region.name}: an interrupted save was finished before reading" in result.stderr
    assert not (mini_region / ".history" / "journal.json").exists()
    assert [e["action"] for e in store.history(mini_region)] == ["retire"]


def test_a_stale_temp_file_of_an_interrupted_journal_write_is_removed_when_the_region_is_read(mini_region):
    hist = mini_region / ".history"
    hist.mkdir(exist_ok=True)
    stale = hist / ".journal.json.0123456789ab.tmp"
    stale.write_text('{"files": [', encoding="utf-8")
    assert check_region(mini_region)[1] == []
    assert not stale.exists()
