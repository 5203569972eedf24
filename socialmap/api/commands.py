"""``python -m socialmap export`` and ``python -m socialmap api``.

    python -m socialmap export --format hsds-json|hsds-zip|geojson --out PATH [--region ID] [--include-illustrative]
    python -m socialmap api [--host 127.0.0.1] [--port 8000] [--region ID]

Without ``--region`` both work on the regions the app serves: every shipped region (or only
``$SOCIALMAP_REGION`` when that names a folder outside ``data/regions``). ``export`` then writes one
file per region, the region id before the extension (``--out hsds.zip`` → ``hsds-heuvelland.zip``,
``hsds-kennemerland.zip``); with ``--region`` it writes PATH itself. It prints each path written and
exits 0, or prints one line on stderr, writes nothing and exits 1. ``api`` serves every region at
once (the postcode decides the region); ``--region`` limits it to one.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import SocialMapError

FORMATS = ("hsds-json", "hsds-zip", "geojson")


def served_folders(region: str | None) -> list[Path]:
    """The region folders to work on: ``region`` (an id or folder; ``InputError`` when unknown), else
    the app's regions: every shipped region, or only ``$SOCIALMAP_REGION`` when it names a folder
    outside ``data/regions``."""
    from ..regions import region_folders
    from ..triage_cli import region_folder

    if region:
        return [region_folder(region)]
    shipped = region_folders()
    env = os.environ.get("SOCIALMAP_REGION", "")
    if env:
        folder = region_folder(env)
        if not any(folder.resolve() == f.resolve() for f in shipped):
            return [folder]
    return shipped


def per_region_path(out: Path, folder: Path) -> Path:
    """``hsds.zip`` → ``hsds-<region>.zip`` (the region folder's name, which is its id)."""
    return out.with_name(f"{out.stem}-{folder.name}{out.suffix}")


class _ArgError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise _ArgError(message)


def _export_parser() -> _Parser:
    parser = _Parser(prog="python -m socialmap export",
                     description="Open-data export of the regions (HSDS 3.0 or GeoJSON). Without --region every region is "
                                 "exported, one file per region: the region id goes before the extension "
                                 "(--out hsds.zip writes hsds-heuvelland.zip and hsds-kennemerland.zip).")
    parser.add_argument("--format", required=True, choices=FORMATS, help="hsds-json, hsds-zip (tabular) or geojson")
    parser.add_argument("--out", required=True, metavar="PATH",
                        help="file to write (without --region: PATH with -<region id> before the extension, per region)")
    parser.add_argument("--region", default=None, metavar="ID_OR_PATH",
                        help="export only this region (id or folder) to PATH itself; default: every region the app "
                             "serves (the shipped regions, or $SOCIALMAP_REGION when it is a folder outside data/regions)")
    parser.add_argument("--include-illustrative", action="store_true",
                        help="also export illustrative (example) records, as inactive with an alert")
    return parser


def main_export(argv: list[str]) -> int:
    from ..curation import hsds

    written: list[Path] = []
    try:
        args = _export_parser().parse_args(argv)
        folders = served_folders(args.region)
        if not folders:
            raise _ArgError("no region folder found under data/regions (give --region)")
        for folder in folders:
            if not (folder / "region.yaml").exists():
                raise _ArgError(f"region '{args.region or folder.name}': {folder} has no region.yaml")
        out = Path(args.out)
        if out.is_dir():
            raise _ArgError(f"--out {out}: is a folder (give a file name)")
        if not out.parent.is_dir():
            raise _ArgError(f"--out {out}: folder {out.parent} does not exist")
        targets = [out] if args.region else [per_region_path(out, f) for f in folders]
        for target in targets:
            if target.is_dir():
                raise _ArgError(f"--out {out}: {target} is a folder")
        make = {"hsds-json": hsds.export_json, "hsds-zip": hsds.export_tabular_zip, "geojson": hsds.export_geojson}[args.format]
        data = [make(folder, include_illustrative=args.include_illustrative) for folder in folders]  # all, then write
        for target, content in zip(targets, data, strict=True):
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(content)
            tmp.replace(target)
            written.append(target)
    except _ArgError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 1
    except SocialMapError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"export: cannot write {getattr(exc, 'filename', '') or ''}: {exc.strerror}"
              + (f" (written before: {', '.join(map(str, written))})" if written else ""), file=sys.stderr)
        return 1
    for target in written:
        print(target)
    return 0


def _api_parser() -> _Parser:
    parser = _Parser(prog="python -m socialmap api",
                     description="HSDS 3.0 read API (and POST /triage) of every region at once; the postcode decides "
                                 "the region.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--region", default=None, metavar="ID_OR_PATH",
                        help="serve only this region (id or folder); default: every region the app serves (the "
                             "shipped regions, or $SOCIALMAP_REGION when it is a folder outside data/regions)")
    return parser


def main_api(argv: list[str]) -> int:
    try:
        args = _api_parser().parse_args(argv)
        folders = served_folders(args.region)
        if not folders:
            raise _ArgError("no region folder found under data/regions (give --region)")
    except (_ArgError, SocialMapError) as exc:
        print(f"api: {exc}", file=sys.stderr)
        return 1
    import uvicorn

    from .app import create_app

    try:
        app = create_app(folders)
    except SocialMapError as exc:
        where = ", ".join(str(f) for f in folders)
        print(f"api: region data in {where} cannot be served: {' '.join(str(exc).split())[:500]}", file=sys.stderr)
        return 1
    # access_log=False: request lines (with query strings) are never logged.
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="warning", server_header=False)
    return 0
