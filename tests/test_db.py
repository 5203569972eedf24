"""The PostgreSQL + PostGIS store, against a real PostgreSQL server (a fresh database per test session).

``make test`` runs ``scripts/ensure_postgres.sh`` first (PostGIS installed, server reachable).
The server is ``$SOCIALMAP_TEST_DATABASE_URL`` (default: postgres on 127.0.0.1:5432); each test
session creates its own database and drops it afterwards.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import numpy as np
import psycopg
import pytest
import shapely

from conftest import ROOT, SHIPPED, VALID_MINI
from curation_helpers import curator
from socialmap import db, geo
from socialmap.curation import importer, records, store, suggestions
from socialmap.db import pg, publish
from socialmap.errors import InputError
from socialmap.loader import check_region
from socialmap.schema import TABLES

pytestmark = pytest.mark.postgres

SERVER = os.environ.get("SOCIALMAP_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def pg_url():
    """A fresh, migrated database for this test session, dropped at the end."""
    name = f"socialmap_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin = psycopg.connect(SERVER, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {SERVER} ({exc}); run: bash scripts/ensure_postgres.sh")
    admin.execute(f'CREATE DATABASE "{name}"')
    url = SERVER.rsplit("/", 1)[0] + "/" + name
    try:
        pg.migrate(url)
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def snapshot_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(publish.SNAPSHOT_ENV, str(tmp_path / "snapshots"))
    return tmp_path / "snapshots"


@pytest.fixture
def region(pg_url, snapshot_dir) -> pg.PgStore:
    """The small fixture region, loaded under its own id."""
    rid = f"mini-{uuid.uuid4().hex[:8]}"
    pg.load(VALID_MINI, region=rid, url=pg_url)
    return pg.PgStore(rid, pg_url)


def _q(url: str, sql: str, *params):
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


# ---- moving data ---------------------------------------------------------------------------------

def test_db_dump_of_the_loaded_shipped_region_gives_back_every_file_byte_for_byte(pg_url, tmp_path):
    env = {**os.environ, "SOCIALMAP_DATABASE_URL": pg_url}
    run = [sys.executable, "-m", "socialmap", "db"]
    loaded = subprocess.run([*run, "load", str(SHIPPED), "--region", "kennemerland-rt"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded" in loaded.stdout and "as region 'kennemerland-rt'" in loaded.stdout
    out = tmp_path / "kennemerland"
    dumped = subprocess.run([*run, "dump", str(out), "--region", "kennemerland-rt"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert dumped.returncode == 0, dumped.stderr
    def files(folder: Path) -> list[str]:  # hidden folders (history, caches) are not region data
        return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                      if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))

    original, copy = files(SHIPPED), files(out)
    assert copy == original
    _, mismatch, errors = filecmp.cmpfiles(SHIPPED, out, original, shallow=False)
    assert mismatch == [] and errors == []


def test_db_migrate_twice_is_harmless_and_the_tables_have_every_schema_column(pg_url):
    pg.migrate(pg_url)
    for file, spec in TABLES.items():
        cols = [r[0] for r in _q(pg_url, "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                                         "ORDER BY ordinal_position", pg.table_name(file))]
        assert [c.name for c in spec] == [c for c in cols if c in {s.name for s in spec}], file


def test_db_load_refuses_an_invalid_folder_with_the_loaders_messages_and_writes_nothing(pg_url, tmp_path):
    bad = tmp_path / "bad-region"
    shutil.copytree(VALID_MINI, bad)
    text = (bad / "services.csv").read_text().replace(",0,17,nl;en,", ",0,ten,nl;en,")
    (bad / "services.csv").write_text(text)
    _, expected, _ = check_region(bad)
    with pytest.raises(store.ValidationFailed) as err:
        pg.load(bad, url=pg_url)
    assert err.value.messages == expected == [
        "services.csv line 2: age_max 'ten' is not a number (expected whole years 0-23, or months such as 6m)"]
    assert _q(pg_url, "SELECT id FROM region WHERE id = 'bad-region'") == []
    cli = subprocess.run([sys.executable, "-m", "socialmap", "db", "--url", pg_url, "load", str(bad)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert cli.returncode == 1
    assert "services.csv line 2: age_max 'ten' is not a number" in cli.stderr and "nothing was written" in cli.stderr


def test_db_commands_without_a_database_say_how_to_configure_one():
    env = {k: v for k, v in os.environ.items() if k != "SOCIALMAP_DATABASE_URL"}
    out = subprocess.run([sys.executable, "-m", "socialmap", "db", "migrate"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip() == ("socialmap db: no database configured: set SOCIALMAP_DATABASE_URL "
                                  "(e.g. postgresql://postgres@127.0.0.1:5432/socialmap)")


def test_db_dump_refuses_a_folder_that_is_not_empty_and_an_unknown_region(pg_url, tmp_path):
    run = [sys.executable, "-m", "socialmap", "db", "--url", pg_url, "dump"]
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    full = subprocess.run([*run, str(tmp_path / "full")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (full.returncode, full.stderr.strip()) == (
        2, f"socialmap db dump: {tmp_path / 'full'} is not empty (choose a new folder)")
    unknown = subprocess.run([*run, str(tmp_path / "nowhere")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (unknown.returncode, unknown.stderr.strip()) == (
        1, "socialmap db: region 'nowhere' is not in the database (load it with: python -m socialmap db load <folder>)")


# ---- geometry --------------------------------------------------------------------------------------

def test_locations_and_areas_are_in_postgis_in_rd_new_for_distances_and_wgs84_for_drawing(region):
    rows = _q(region.url, "SELECT ST_SRID(geom_rd), ST_SRID(geom_wgs), ST_X(geom_wgs), ST_Y(geom_wgs) FROM locations "
                          "WHERE region_id = %s AND id = 'loc-cjg'", region.region)
    assert rows == [(28992, 4326, 4.595288, 52.314302)]
    (metres,) = _q(region.url, "SELECT ST_Distance(a.geom_rd, b.geom_rd) FROM locations a, locations b WHERE "
                               "a.region_id = %s AND b.region_id = a.region_id AND a.id = 'loc-cjg' AND b.id = 'loc-gp'",
                   region.region)[0]
    assert 2700 < metres < 2900  # 52.314302,4.595288 → 52.332469,4.624307 is about 2.8 km
    inside = _q(region.url, "SELECT g.code FROM area_geometry g JOIN locations l ON l.region_id = g.region_id "
                            "WHERE g.region_id = %s AND l.id = 'loc-cjg' AND ST_Contains(g.geom_rd, l.geom_rd) "
                            "ORDER BY g.code", region.region)
    assert ("GM9991",) in inside


def test_distances_from_postgis_match_the_apps_own_rd_new_distances(pg_url, shipped_atlas):
    rid = f"kennemerland-geo-{uuid.uuid4().hex[:6]}"
    pg.load(SHIPPED, region=rid, url=pg_url)
    lat, lon = 52.3812, 4.6372  # Haarlem centre
    near = pg.PgStore(rid, pg_url).locations_within(lat, lon, 1500)
    x, y = geo.lonlat_to_rd(np.array([lon]), np.array([lat]))
    points = shipped_atlas.locations.geometry
    ours = sorted((float(d), i) for i, d in points.distance(shapely.Point(x[0], y[0])).items() if d <= 1500)
    assert [i for _, i in ours] == [i for i, _ in sorted(near, key=lambda r: (r[1], r[0]))]
    assert max(abs(a - b) for (a, _), (_, b) in zip(ours, sorted(near, key=lambda r: (r[1], r[0])))) < 2.0
    assert len(near) > 5


# ---- writes: validation, history, versions ---------------------------------------------------------

def _service(store_like, sid: str = "svc-cjg") -> dict[str, str]:
    row = store_like.record("service", sid)
    assert row is not None
    return row


def test_a_curator_edit_is_saved_with_history_who_when_which_fields_and_a_new_version(region):
    token = region.version_token()
    values = _service(region) | {"phone": "023-1111111", "waiting_weeks": "3"}
    result, change = region.upsert("service", values, curator("Anna"), token, original_id="svc-cjg")
    assert change.fields == ("waiting_weeks", "phone")
    assert result.version == str(int(token) + 1) == region.version_token()
    assert _service(region)["phone"] == "023-1111111"
    entry = region.history(limit=1)[0]
    assert (entry["who"], entry["action"], entry["table"], entry["record_id"], entry["fields"]) == \
        ("Anna", "edit", "services.csv", "svc-cjg", ["waiting_weeks", "phone"])
    assert (entry["version_before"], entry["version_after"]) == (token, result.version)
    assert _q(region.url, "SELECT version FROM services WHERE region_id = %s AND id = 'svc-cjg'", region.region) == \
        [(int(result.version),)]


def _same_failure(file_store, pg_store, action) -> list[str]:
    """Run one refused action on both stores; return the messages, which must be identical."""
    failures = []
    for s in (file_store, pg_store):
        with pytest.raises((store.ValidationFailed, InputError)) as err:
            action(s)
        failures.append((type(err.value), getattr(err.value, "messages", [str(err.value)])))
    assert failures[0] == failures[1]
    return failures[0][1]


@pytest.mark.parametrize("case", ["bad_cell", "unknown_reference", "id_taken", "retire_still_used", "illustrative_phone"])
def test_a_refused_save_has_the_same_messages_as_the_file_store(region, mini_region, case):
    files = db.FileStore(mini_region)
    who = curator()
    actions = {
        "bad_cell": lambda s: s.upsert("service", _service(s) | {"age_max": "ten"}, who, s.version_token(), "svc-cjg"),
        "unknown_reference": lambda s: s.upsert("service", _service(s) | {"organization_id": "org-nope"}, who,
                                                s.version_token(), "svc-cjg"),
        "id_taken": lambda s: s.upsert("service", _service(s), who, s.version_token()),
        "retire_still_used": lambda s: s.retire("organization", "org-cjg", "gesloten", who, s.version_token()),
        "illustrative_phone": lambda s: s.upsert("service", _service(s, "svc-poh") | {"phone": "023-5555555"}, who,
                                                 s.version_token(), "svc-poh"),
    }
    messages = _same_failure(files, region, actions[case])
    expected = {
        "bad_cell": ["services.csv (svc-cjg): age_max 'ten' is not a number (expected whole years 0-23, or months such as 6m)"],
        "id_taken": ["services.csv: id 'svc-cjg' is already used (ids are unique)"],
        "illustrative_phone": ["services.csv line 3: illustrative record 'svc-poh' must not have a phone number"],
    }
    if case in expected:
        assert messages == expected[case]
    assert region.version_token() == "1"  # nothing written
    assert region.history() == [entry for entry in region.history() if entry["action"] == "load"]


def test_a_save_against_a_record_changed_since_the_form_was_opened_is_refused(region):
    opened = region.version_token()
    region.upsert("service", _service(region) | {"waiting_weeks": "5"}, curator("Anna"), opened, "svc-cjg")
    with pytest.raises(store.ConcurrentEditError) as err:
        region.upsert("service", _service(region) | {"waiting_weeks": "9"}, curator("Bram"), opened, "svc-cjg")
    assert str(err.value) == ("the data was changed by someone else after you opened this form (version 1 → 2); "
                              "nothing was saved: reload and make your change again")
    assert _service(region)["waiting_weeks"] == "5"


def test_edits_of_different_records_opened_on_the_same_version_both_succeed(region):
    opened = region.version_token()
    region.upsert("service", _service(region) | {"waiting_weeks": "5"}, curator("Anna"), opened, "svc-cjg")
    org = region.record("organization", "org-cjg") | {"description": "Nieuwe omschrijving"}
    region.upsert("organization", org, curator("Bram"), opened, "org-cjg")
    assert region.version_token() == "3"
    assert region.record("organization", "org-cjg")["description"] == "Nieuwe omschrijving"
    assert _service(region)["waiting_weeks"] == "5"


def test_two_writers_on_the_same_record_at_once_one_wins_and_the_other_gets_a_concurrent_edit_error(region):
    opened = region.version_token()
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def write(name: str, weeks: str) -> None:
        own = pg.PgStore(region.region, region.url, publish=False)
        values = _service(own) | {"waiting_weeks": weeks}
        barrier.wait()
        try:
            own.upsert("service", values, curator(name), opened, "svc-cjg")
            outcomes[name] = weeks
        except store.ConcurrentEditError as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=write, args=(n, w)) for n, w in (("Anna", "6"), ("Bram", "7"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    winners = [v for v in outcomes.values() if isinstance(v, str)]
    losers = [v for v in outcomes.values() if isinstance(v, store.ConcurrentEditError)]
    assert len(winners) == 1 and len(losers) == 1
    assert _service(region)["waiting_weeks"] == winners[0]
    assert region.version_token() == "2"
    assert len([e for e in region.history() if e["action"] == "edit"]) == 1


_KILLED_WRITER = """
import sys, time
from curation_helpers import curator
from socialmap.db import pg
pg._HOOKS["rows_written"] = lambda: (print("rows written", flush=True), time.sleep(120))
s = pg.PgStore(sys.argv[1], sys.argv[2], publish=False)
s.retire("service", "svc-cjg", "gestopt", curator("Writer"), s.version_token())
"""


def test_a_writer_killed_mid_transaction_leaves_nothing_half_written(region):
    before = {file: region.read_rows(file) for file in TABLES}
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, region.region, region.url], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "rows written", proc.stderr.read()
        # mid-transaction: the service, its links and schedules are deleted and the archive written, uncommitted
        assert region.read_rows("services.csv") == before["services.csv"]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    deadline = time.monotonic() + 30
    while _q(region.url, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                         "AND state LIKE 'idle in transaction%%'")[0][0] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert {file: region.read_rows(file) for file in TABLES} == before
    assert region.version_token() == "1"
    assert region.read_rows("retired/services.csv") == ([], [])
    assert [e["action"] for e in region.history()] == ["load"]
    region.retire("service", "svc-cjg", "gestopt", curator(), region.version_token())  # the lock was released
    assert [r["id"] for r in region.read_rows("retired/services.csv")[1]] == ["svc-cjg"]


def test_retiring_a_service_archives_it_with_its_links_in_one_save(region, tmp_path):
    region.retire("service", "svc-cjg", "gestopt", curator("Anna"), region.version_token())
    assert region.record("service", "svc-cjg") is None
    _, archived = region.read_rows("retired/services.csv")
    assert [(r["id"], r["retired_by"], r["reason"]) for r in archived] == [("svc-cjg", "Anna", "gestopt")]
    assert all(r["service_id"] != "svc-cjg" for r in region.read_rows("schedules.csv")[1])
    region.export_folder(tmp_path / "after")
    _, errors, _ = check_region(tmp_path / "after")
    assert errors == []
    with pytest.raises(InputError) as err:
        region.upsert("service", archived[0] | {"name": "Terug"}, curator(), region.version_token())
    assert str(err.value) == "services.csv: id 'svc-cjg' belonged to a retired record (never reuse an id)"


def test_an_import_is_applied_in_one_transaction_and_refused_when_the_region_changed_since_the_preview(region):
    data = "Code;Naam\nsvc-cjg;Opvoedspreekuur CJG Noord\n".encode()
    preview = region.preview_upload("services.csv", "lijst.csv", data, {"id": "Code", "name": "Naam"})
    assert preview.ok and preview.diffs["services.csv"].changed == {"svc-cjg": ["name"]}
    assert preview.base_version == "1"
    region.apply_import(preview, curator("Anna"))
    assert _service(region)["name"] == "Opvoedspreekuur CJG Noord"
    assert region.history(limit=1)[0]["action"] == "import"
    with pytest.raises(store.ConcurrentEditError):
        region.apply_import(preview, curator("Anna"))


def test_an_import_with_errors_reports_them_by_upload_line_like_the_file_store(region, mini_region):
    data = b"id,name,phone,organization_id\nsvc-cjg,CJG,bel ons,org-cjg\nsvc-new,Nieuw,,org-nope\n"
    ours = region.preview_upload("services.csv", "up.csv", data)
    theirs = importer.preview_upload(mini_region, "services.csv", "up.csv", data)
    assert ours.errors == theirs.errors == [
        "up.csv line 2: phone 'bel ons' is not a Dutch phone number (expected e.g. 023-7504567, 0800-0432, 112)"]


def test_the_limit_of_open_suggestions_is_the_file_stores(region, monkeypatch):
    monkeypatch.setattr(suggestions, "MAX_OPEN", 2)
    region.submit_suggestion("svc-cjg", "phone", "023-1111111", "")
    region.submit_suggestion("svc-poh", "name", "POH Jeugd voorbeeld Oost", "")
    with pytest.raises(InputError) as err:
        region.submit_suggestion("svc-cjg", "other", "", "nog iets")
    assert str(err.value) == "there are already 2 open suggestions; try again later"
    assert len(region.open_suggestions()) == 2


def test_accepting_a_suggestion_edits_the_service_and_marks_it_accepted_together(region):
    s = region.submit_suggestion("svc-cjg", "phone", "023-1111111", "")
    region.accept_suggestion(s.id, curator("Anna"), region.version_token())
    assert _service(region)["phone"] == "023-1111111"
    assert [x.status for x in region.suggestions()] == ["accepted"]
    bad = region.submit_suggestion("svc-cjg", "phone", "bel maar", "")
    with pytest.raises(store.ValidationFailed):
        region.accept_suggestion(bad.id, curator(), region.version_token())
    assert [x.status for x in region.suggestions()] == ["accepted", "open"]  # refused edit: still open
    region.reject_suggestion(bad.id, curator())
    assert [x.status for x in region.suggestions()] == ["accepted", "rejected"]
    with pytest.raises(InputError) as err:
        region.submit_suggestion("svc-cjg", "colour", "x", "")
    assert str(err.value) == ("field 'colour' is not allowed (allowed: " + ", ".join(suggestions.FIELDS) + ")")


# ---- publishing to the app processes ---------------------------------------------------------------

def test_a_committed_save_is_published_as_a_snapshot_that_every_process_picks_up(region, snapshot_dir):
    first = publish.published_folder(region.region, region.url)
    assert first == snapshot_dir / region.region / "v1"
    region.upsert("service", _service(region) | {"waiting_weeks": "8"}, curator(), region.version_token(), "svc-cjg")
    assert (snapshot_dir / region.region / "v2" / "services.csv").is_file()  # published by the writer
    assert os.readlink(publish.current_link(region.region)) == "v2"
    code = ("import sys; from socialmap.db import publish; from socialmap.loader import load_region; "
            "f = publish.published_folder(sys.argv[1], sys.argv[2]); "
            "print(f.name, load_region(f).services.at['svc-cjg', 'waiting_weeks'])")
    other = subprocess.run([sys.executable, "-c", code, region.region, region.url], cwd=ROOT, capture_output=True,
                           text=True, timeout=120, env={**os.environ, publish.SNAPSHOT_ENV: str(snapshot_dir)})
    assert other.stdout.split() == ["v2", "8"], other.stderr


def test_when_the_database_is_down_the_app_keeps_serving_the_newest_snapshot(region, snapshot_dir, monkeypatch):
    from socialmap.errors import DataError

    served = publish.published_folder(region.region, region.url)
    monkeypatch.setattr(publish, "POLL_S", 0.0)
    down = "postgresql://postgres@127.0.0.1:1/nothing"
    assert publish.published_folder(region.region, down) == served
    with pytest.raises(DataError) as err:
        publish.published_folder("never-published", down)
    assert str(err.value).startswith("the database cannot be reached and there is no snapshot of region 'never-published' yet (")


def test_the_store_factory_uses_the_region_folder_without_a_database_url(monkeypatch, mini_region, pg_url):
    monkeypatch.delenv(db.ENV_URL, raising=False)
    assert isinstance(db.open_store(str(mini_region)), db.FileStore)
    assert db.atlas_folder(str(mini_region)) == mini_region
    assert db.curation_modules() == (store, records, suggestions, importer)
    monkeypatch.setenv(db.ENV_URL, pg_url)
    assert isinstance(db.open_store("kennemerland"), pg.PgStore)


def test_the_curation_modules_for_the_database_write_through_the_same_functions(region, monkeypatch):
    monkeypatch.setenv(db.ENV_URL, region.url)
    a_store, a_records, a_suggestions, a_importer = db.curation_modules(region.region)
    folder = Path("ignored")
    token = a_store.version_token(folder)
    values = a_records.record(folder, "service", "svc-cjg") | {"waiting_weeks": "11"}
    a_records.upsert(folder, "service", values, curator(), token, original_id="svc-cjg")
    assert _service(region)["waiting_weeks"] == "11"
    assert a_store.ConcurrentEditError is store.ConcurrentEditError and a_records.KINDS is records.KINDS
    assert a_store.history(folder, limit=1)[0]["fields"] == ["waiting_weeks"]


# ---- the Beheer page on the database ---------------------------------------------------------------

@pytest.fixture
def beheer_on_db(region, monkeypatch):
    """The curation page with SOCIALMAP_DATABASE_URL set (its modules chosen again at import)."""
    import importlib

    from curation_helpers import HASH
    from socialmap.curation import auth
    from socialmap.ui import common, curation

    monkeypatch.setenv(db.ENV_URL, region.url)
    monkeypatch.setenv("SOCIALMAP_REGION", region.region)
    monkeypatch.setenv(auth.HASH_ENV, HASH)
    importlib.reload(curation)
    common.get_atlas.clear()
    yield region
    monkeypatch.delenv(db.ENV_URL)
    importlib.reload(curation)
    common.get_atlas.clear()


def test_the_beheer_page_edits_the_database_and_the_history_says_who(beheer_on_db, snapshot_dir):
    from curation_helpers import PASSWORD
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "views" / "beheer.py"), default_timeout=60)
    at.run()
    assert not at.exception
    at.text_input(key="curator_name").input("Anna")
    at.text_input(key="curator_password").input(PASSWORD)
    at.button(key="FormSubmitter:curator_login-Inloggen").click()
    at.run()
    at.radio(key="curator_section").set_value("edit").run()
    at.radio(key="curator_kind").set_value("service").run()
    at.selectbox(key="curator_pick_service").set_value("svc-cjg").run()
    form = next(f.proto.form.form_id for f in at.get("form") if f.proto.form.form_id.startswith("curator_form_service_svc-cjg"))
    assert form == "curator_form_service_svc-cjg_1"  # opened on version 1 of the database
    at.text_input(key=f"{form}_name").input("Opvoedspreekuur CJG Oost")
    at.button(key=f"FormSubmitter:{form}-Opslaan").click()
    at.run()
    assert not at.exception
    assert at.success[0].value == "Opgeslagen: svc-cjg (gewijzigd: name)."
    assert _service(beheer_on_db)["name"] == "Opvoedspreekuur CJG Oost"
    assert beheer_on_db.history(limit=1)[0]["who"] == "Anna"
    assert "Opvoedspreekuur CJG Oost" in (snapshot_dir / beheer_on_db.region / "v2" / "services.csv").read_text()


def test_an_app_process_picks_up_a_save_committed_elsewhere_without_a_restart(region, monkeypatch):
    from socialmap.ui import common

    monkeypatch.setenv(db.ENV_URL, region.url)
    common.get_atlas.clear()
    first = common.get_atlas(region.region)
    assert first.services.at["svc-cjg", "waiting_weeks"] == 0
    elsewhere = pg.PgStore(region.region, region.url, publish=False)  # e.g. a curator on another host
    elsewhere.upsert("service", _service(elsewhere) | {"waiting_weeks": "12"}, curator(), elsewhere.version_token(),
                     "svc-cjg")
    time.sleep(publish.POLL_S + 0.2)
    second = common.get_atlas(region.region)
    assert second is not first and second.services.at["svc-cjg", "waiting_weeks"] == 12
    assert common.get_atlas(region.region) is second  # loaded once per version
    common.get_atlas.clear()


def test_db_load_brings_the_folders_history_and_suggestions_along(pg_url, mini_region, snapshot_dir):
    files = db.FileStore(mini_region)
    files.upsert("service", _service(files) | {"waiting_weeks": "4"}, curator("Anna"), files.version_token(), "svc-cjg")
    files.submit_suggestion("svc-cjg", "phone", "023-1111111", "nieuw nummer")
    rid = f"moved-{uuid.uuid4().hex[:6]}"
    pg.load(mini_region, region=rid, url=pg_url)
    moved = pg.PgStore(rid, pg_url)
    assert [(e["action"], e["who"], e.get("fields")) for e in moved.history()] == [
        ("load", "db load", None), ("edit", "Anna", ["waiting_weeks"])]
    assert [(s.service_id, s.value, s.status) for s in moved.suggestions()] == [("svc-cjg", "023-1111111", "open")]
