"""Safe writes: validation before writing, history, version tokens, login required."""

from __future__ import annotations

import json

import pytest
from curation_helpers import curator

from socialmap.curation import auth, records, store
from socialmap.loader import check_region


def test_a_save_writes_the_change_and_keeps_the_old_file_and_who_when_what_in_the_history(mini_region):
    old = (mini_region / "services.csv").read_bytes()
    version = store.version_token(mini_region)
    row = records.record(mini_region, "service", "svc-cjg")
    row["name"] = "Opvoedspreekuur CJG West"
    result, change = records.upsert(mini_region, "service", row, curator("Anna"), version, original_id="svc-cjg")
    assert change.fields == ("name",)
    assert "Opvoedspreekuur CJG West" in (mini_region / "services.csv").read_text(encoding="utf-8")
    assert (mini_region / result.history_dir / "services.csv").read_bytes() == old
    entry = json.loads((mini_region / ".history" / "log.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert (entry["who"], entry["action"], entry["record_id"], entry["fields"]) == ("Anna", "edit", "svc-cjg", ["name"])
    assert entry["version_before"] == version and entry["version_after"] == store.version_token(mini_region)
    assert check_region(mini_region)[1] == []


def test_the_second_of_two_concurrent_edits_is_refused_and_overwrites_nothing(mini_region):
    opened = store.version_token(mini_region)  # both curators open the form on the same version
    first = records.record(mini_region, "service", "svc-cjg") | {"name": "Eerste naam"}
    second = records.record(mini_region, "service", "svc-cjg") | {"description": "Tweede beschrijving"}
    records.upsert(mini_region, "service", first, curator("A"), opened, original_id="svc-cjg")
    after_first = (mini_region / "services.csv").read_bytes()
    with pytest.raises(store.ConcurrentEditError) as err:
        records.upsert(mini_region, "service", second, curator("B"), opened, original_id="svc-cjg")
    assert str(err.value).startswith("the data was changed by someone else after you opened this form")
    assert (mini_region / "services.csv").read_bytes() == after_first


def test_a_change_that_breaks_the_region_is_refused_with_the_loaders_message_and_nothing_is_written(mini_region):
    before = {p.name: p.read_bytes() for p in mini_region.iterdir() if p.is_file()}
    version = store.version_token(mini_region)
    row = records.record(mini_region, "service", "svc-cjg") | {"age_max": "ten"}
    with pytest.raises(store.ValidationFailed) as err:
        records.upsert(mini_region, "service", row, curator(), version, original_id="svc-cjg")
    assert err.value.messages == ["services.csv (svc-cjg): age_max 'ten' is not a number (expected whole years 0-23, or months such as 6m)"]
    row = records.record(mini_region, "service", "svc-cjg") | {"service_area": "WK123456"}
    with pytest.raises(store.ValidationFailed) as err:
        records.upsert(mini_region, "service", row, curator(), version, original_id="svc-cjg")
    assert err.value.messages == ["services.csv line 2: service_area 'WK123456' is not a CBS code in areas.csv "
                                  "(expected GM/WK/BU codes of this region or NL)"]
    assert {p.name: p.read_bytes() for p in mini_region.iterdir() if p.is_file()} == before


def test_writing_needs_a_curator_from_a_successful_login(mini_region):
    version = store.version_token(mini_region)
    with pytest.raises(auth.NotAuthenticated):
        auth.Curator("mallory", "password")
    with pytest.raises(auth.NotAuthenticated):
        store.save(mini_region, {}, None, version, "edit")  # type: ignore[arg-type]
    with pytest.raises(auth.NotAuthenticated):
        records.retire(mini_region, "service", "svc-cjg", "x", object(), version)  # type: ignore[arg-type]
    env = {auth.HASH_ENV: auth.hash_password("geheim")}
    assert auth.login_with_password("fout", "Anna", env=env) is None
    assert auth.login_with_password("geheim", "Anna", env=env).name == "Anna"
    assert auth.login_with_password("geheim", "Anna", env={}) is None  # no hash configured: nobody gets in


def test_retire_removes_the_service_and_its_links_and_archives_them_in_retired(mini_region):
    version = store.version_token(mini_region)
    records.retire(mini_region, "service", "svc-cjg", "gestopt", curator("Anna"), version)
    atlas, errors, _ = check_region(mini_region)
    assert errors == []
    assert "svc-cjg" not in atlas.services.index
    assert "svc-cjg" not in set(atlas.service_at_location["service_id"]) | set(atlas.schedules["service_id"])
    _, archived = store.read_rows(mini_region, "retired/services.csv")
    assert [(r["id"], r["retired_by"], r["reason"]) for r in archived] == [("svc-cjg", "Anna", "gestopt")]
    _, links = store.read_rows(mini_region, "retired/schedules.csv")
    assert sorted(r["id"] for r in links) == ["sch-1", "sch-2"]


def test_an_organisation_with_services_cannot_be_retired(mini_region):
    with pytest.raises(store.ValidationFailed) as err:
        records.retire(mini_region, "organization", "org-cjg", "", curator(), store.version_token(mini_region))
    assert "services.csv line 2: organization_id 'org-cjg' does not exist in organizations.csv" in err.value.messages


def test_a_retired_id_is_never_reused(mini_region):
    records.retire(mini_region, "service", "svc-baby", "", curator(), store.version_token(mini_region))
    row = records.record(mini_region, "service", "svc-cjg") | {"id": "svc-baby"}
    with pytest.raises(Exception) as err:
        records.upsert(mini_region, "service", row, curator(), store.version_token(mini_region))
    assert str(err.value) == "services.csv: id 'svc-baby' belonged to a retired record (never reuse an id)"


def test_recover_removes_temp_files_of_a_save_that_never_committed(mini_region):
    stray = mini_region / ".services.csv.abc123.tmp"
    stray.write_text("half written", encoding="utf-8")
    assert store.recover(mini_region) is True
    assert not stray.exists()
    assert store.recover(mini_region) is False


def test_two_saves_racing_on_the_same_version_let_exactly_one_through(mini_region):
    import threading

    opened = store.version_token(mini_region)
    outcomes: list[str] = []

    def edit(name: str) -> None:
        row = records.record(mini_region, "service", "svc-cjg") | {"name": name}
        try:
            records.upsert(mini_region, "service", row, curator(name), opened, original_id="svc-cjg")
            outcomes.append("saved")
        except store.ConcurrentEditError:
            outcomes.append("refused")

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("Naam A", "Naam B")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert len(store.history(mini_region)) == 1


def test_an_oidc_login_gives_a_curator_named_by_email():
    allowed = {"anna@example.nl"}
    assert auth.curator_from_oidc({"is_logged_in": True, "email": "anna@example.nl"}, allowed).name == "anna@example.nl"
    assert auth.curator_from_oidc({"is_logged_in": False}) is None
