"""One curator save, file store vs PostgreSQL store, on the shipped region (ratio to the same-run baseline).

    .venv/bin/python benchmarks/bench_db_save.py [--saves 5]

Both stores do the same work per save (lock, version check, validate the whole region with the
change applied, write, history); the PostgreSQL store also writes the region to a temporary
folder for that validation and publishes the snapshot of the new version. Uses a fresh database
on ``$SOCIALMAP_TEST_DATABASE_URL`` (dropped at the end) and a temporary copy of the region.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import psycopg  # noqa: E402
from curation_helpers import curator  # noqa: E402

from socialmap import db  # noqa: E402
from socialmap.db import pg, publish  # noqa: E402

SERVER = os.environ.get("SOCIALMAP_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SERVICE = "svc-cjg-kennemerland"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="socialmap-bench-save-"))
    os.environ[publish.SNAPSHOT_ENV] = str(tmp / "snapshots")
    shutil.copytree(ROOT / "data/regions/kennemerland", tmp / "kennemerland")
    name = f"socialmap_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(SERVER, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = SERVER.rsplit("/", 1)[0] + "/" + name
    try:
        pg.migrate(url)
        t0 = time.perf_counter()
        pg.load(tmp / "kennemerland", url=url)
        load_s = time.perf_counter() - t0
        who = curator()
        timings: dict[str, list[float]] = {}
        for label, target in (("files", db.FileStore(tmp / "kennemerland")), ("postgres", pg.PgStore("kennemerland", url))):
            for number in range(args.saves + 1):
                row = target.record("service", SERVICE) or {}
                t0 = time.perf_counter()
                target.upsert("service", row | {"waiting_weeks": str(number + 1)}, who, target.version_token(), SERVICE)
                if number:  # the first save warms caches
                    timings.setdefault(label, []).append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        pg.dump("kennemerland", tmp / "dump" / "kennemerland", url)
        dump_s = time.perf_counter() - t0
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        shutil.rmtree(tmp, ignore_errors=True)
    files, pgs = statistics.median(timings["files"]), statistics.median(timings["postgres"])
    print(f"one save, median of {args.saves}: file store {files:.2f} s, PostgreSQL store {pgs:.2f} s "
          f"(ratio {pgs / files:.1f}); db load {load_s:.1f} s, db dump {dump_s:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
