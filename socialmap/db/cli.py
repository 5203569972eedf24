"""``python -m socialmap db migrate | load FOLDER | dump FOLDER | publish``: move regions in and out of PostgreSQL.

The database is ``--url`` or ``$SOCIALMAP_DATABASE_URL``. ``load`` validates the folder first
(the loader's messages; nothing is written when it is invalid) and replaces that region's data in
one transaction; ``dump`` writes the same files back (byte for byte for a folder written by
``load``); ``publish`` builds the snapshot the app processes read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import DataError, SocialMapError

USAGE = "python -m socialmap db {migrate,load,dump,publish} [options]"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m socialmap db", description="PostgreSQL store of the regions")
    parser.add_argument("--url", help="database URL (default: $SOCIALMAP_DATABASE_URL)")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("migrate", help="create or upgrade the schema (Alembic migrations)")
    load = sub.add_parser("load", help="validate a region folder and put it in the database")
    load.add_argument("folder", type=Path)
    load.add_argument("--region", help="region id (default: the folder's name)")
    dump = sub.add_parser("dump", help="write a region from the database to a folder")
    dump.add_argument("folder", type=Path)
    dump.add_argument("--region", help="region id (default: the folder's name)")
    publish = sub.add_parser("publish", help="build the snapshot of a region for the app processes")
    publish.add_argument("region")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from . import pg

    try:
        if args.action == "migrate":
            pg.migrate(args.url)
            print("socialmap db: schema is up to date")
        elif args.action == "load":
            if not args.folder.is_dir():
                print(f"socialmap db load: {args.folder} is not a folder", file=sys.stderr)
                return 2
            version = pg.load(args.folder, args.region, args.url)
            print(f"socialmap db: loaded {args.folder} as region '{args.region or args.folder.name}' (version {version})")
        elif args.action == "dump":
            if args.folder.exists() and any(args.folder.iterdir()):
                print(f"socialmap db dump: {args.folder} is not empty (choose a new folder)", file=sys.stderr)
                return 2
            region = args.region or args.folder.name
            version = pg.dump(region, args.folder, args.url)
            print(f"socialmap db: wrote region '{region}' (version {version}) to {args.folder}")
        elif args.action == "publish":
            from . import publish

            print(publish.ensure_snapshot(args.region, args.url))
    except pg.NotConfigured as exc:
        print(f"socialmap db: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        print(f"socialmap db: {len(exc.messages)} problem(s), nothing was written:", file=sys.stderr)
        for message in exc.messages:
            print(f"  {message}", file=sys.stderr)
        return 1
    except SocialMapError as exc:
        print(f"socialmap db: {exc}", file=sys.stderr)
        return 1
    except pg.psycopg.OperationalError as exc:
        print(f"socialmap db: cannot reach the database ({str(exc).strip().splitlines()[0]})", file=sys.stderr)
        return 1
    return 0
