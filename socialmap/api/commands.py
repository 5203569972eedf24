"""``python -m socialmap export`` and ``python -m socialmap api``.

    python -m socialmap export --format hsds-json|hsds-zip|geojson --out PATH [--region ID] [--include-illustrative]
    python -m socialmap api [--host 127.0.0.1] [--port 8000] [--region ID]

``export`` prints the path written and exits 0, or prints one line on stderr and exits 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import SocialMapError

FORMATS = ("hsds-json", "hsds-zip", "geojson")
DEFAULT_REGION = "kennemerland"


def _default_region() -> str:
    """The app's region: ``$SOCIALMAP_REGION``, else the shipped one."""
    return os.environ.get("SOCIALMAP_REGION", DEFAULT_REGION)


class _ArgError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise _ArgError(message)


def _export_parser() -> _Parser:
    parser = _Parser(prog="python -m socialmap export", description="Open-data export of a region (HSDS 3.0 or GeoJSON).")
    parser.add_argument("--format", required=True, choices=FORMATS, help="hsds-json, hsds-zip (tabular) or geojson")
    parser.add_argument("--out", required=True, metavar="PATH", help="file to write")
    parser.add_argument("--region", default=_default_region(), metavar="ID_OR_PATH",
                        help="region id or folder (default: $SOCIALMAP_REGION or kennemerland)")
    parser.add_argument("--include-illustrative", action="store_true",
                        help="also export illustrative (example) records, as inactive with an alert")
    return parser


def main_export(argv: list[str]) -> int:
    from ..curation import hsds
    from ..triage_cli import region_folder

    try:
        args = _export_parser().parse_args(argv)
        folder = region_folder(args.region)
        if not (folder / "region.yaml").exists():
            raise _ArgError(f"region '{args.region}': {folder} has no region.yaml")
        out = Path(args.out)
        if out.is_dir():
            raise _ArgError(f"--out {out}: is a folder (give a file name)")
        if not out.parent.is_dir():
            raise _ArgError(f"--out {out}: folder {out.parent} does not exist")
        make = {"hsds-json": hsds.export_json, "hsds-zip": hsds.export_tabular_zip, "geojson": hsds.export_geojson}[args.format]
        data = make(folder, include_illustrative=args.include_illustrative)
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(out)
    except _ArgError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 1
    except SocialMapError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"export: cannot write {getattr(exc, 'filename', '') or ''}: {exc.strerror}", file=sys.stderr)
        return 1
    print(out)
    return 0


def _api_parser() -> _Parser:
    parser = _Parser(prog="python -m socialmap api", description="HSDS 3.0 read API (and POST /triage) of a region.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--region", default=_default_region(), metavar="ID_OR_PATH",
                        help="region id or folder (default: $SOCIALMAP_REGION or kennemerland, as the app)")
    return parser


def main_api(argv: list[str]) -> int:
    try:
        args = _api_parser().parse_args(argv)
        from ..triage_cli import region_folder

        folder = region_folder(args.region)
    except (_ArgError, SocialMapError) as exc:
        print(f"api: {exc}", file=sys.stderr)
        return 1
    import uvicorn

    from .app import create_app

    try:
        app = create_app(folder)
    except SocialMapError as exc:
        print(f"api: region data in {folder} cannot be served: {' '.join(str(exc).split())[:500]}", file=sys.stderr)
        return 1
    # access_log=False: request lines (with query strings) are never logged.
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="warning", server_header=False)
    return 0
