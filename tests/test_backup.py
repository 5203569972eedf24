"""python -m socialmap backup / restore."""

from __future__ import annotations

import io
import tarfile

from socialmap import backup
from socialmap.loader import check_region


def test_backup_then_restore_brings_back_the_data_and_keeps_a_backup_of_what_was_there(mini_region, tmp_path):
    out = tmp_path / "backups"
    stdout = io.StringIO()
    assert backup.main_backup(["--region", str(mini_region), "--out", str(out)], stdout=stdout) == 0
    archive = next(out.glob("*.tar.gz"))
    assert stdout.getvalue() == f"backup written: {archive}\n"
    original = (mini_region / "services.csv").read_bytes()
    changed = original.replace(b"Opvoedspreekuur CJG", b"Opvoedspreekuur CJG gewijzigd")
    (mini_region / "services.csv").write_bytes(changed)
    assert backup.main_restore([str(archive), "--region", str(mini_region), "--out", str(out)], stdout=io.StringIO()) == 0
    assert (mini_region / "services.csv").read_bytes() == original
    assert check_region(mini_region)[1] == []
    previous = sorted(set(out.glob("*.tar.gz")) - {archive})
    assert len(previous) == 1
    with tarfile.open(previous[0]) as tar:
        assert tar.extractfile("services.csv").read() == changed


def test_restore_refuses_an_invalid_archive_and_changes_nothing(mini_region, tmp_path):
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        for path in mini_region.iterdir():
            if path.is_file() and path.name != "services.csv":
                tar.add(path, arcname=path.name)
    before = {p.name: p.read_bytes() for p in mini_region.iterdir() if p.is_file()}
    stderr = io.StringIO()
    assert backup.main_restore([str(bad), "--region", str(mini_region), "--out", str(tmp_path / "b")], stderr=stderr) == 1
    lines = stderr.getvalue().splitlines()
    assert lines[0].startswith("error: bad.tar.gz: services.csv: file is missing from ")
    assert lines[-1] == "restore: bad.tar.gz is invalid; nothing was changed"
    assert {p.name: p.read_bytes() for p in mini_region.iterdir() if p.is_file()} == before
    assert not (tmp_path / "b").exists()  # no backup made: nothing was about to change


def test_restore_refuses_an_archive_with_paths_outside_the_region(mini_region, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    stderr = io.StringIO()
    assert backup.main_restore([str(evil), "--region", str(mini_region), "--out", str(tmp_path / "b")], stderr=stderr) == 1
    assert "archive member '../escape.txt' is not allowed" in stderr.getvalue()
    assert not (tmp_path / "escape.txt").exists()
