"""``python -m socialmap validate [PATH]``: check a region folder, print every problem.

Without PATH every region under ``data/regions`` is checked, and so is that no PC4 belongs to two
regions. Exit 0 when valid (warnings may be printed), 1 when invalid, 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from . import snapshot
from .errors import DataError
from .loader import check_region, region_path
from .model import Atlas
from .regions import Regions, region_folders


def main(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialmap validate",
                                     description="Validate a region folder of the social map.")
    parser.add_argument("path", nargs="?", default=None,
                        help="region id or folder (default: every shipped region)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    args = parser.parse_args(argv)
    if args.path is not None:
        return _validate(region_path(args.path), args.quiet, stdout, stderr)[0]
    folders = region_folders()
    if not folders:
        print("no region folder found under data/regions (expected folders with a region.yaml)", file=stderr)
        return 1
    results = [_validate(folder, args.quiet, stdout, stderr) for folder in folders]
    if any(code for code, _ in results):
        return 1
    misnamed = [(folder, atlas.region.id) for folder, (_, atlas) in zip(folders, results)
                if atlas is not None and atlas.region.id != folder.name]
    for folder, rid in misnamed:  # the app finds a region by its folder name
        print(f"error: {folder}/region.yaml: id '{rid}' differs from the folder name '{folder.name}' "
              "(a shipped region's folder is named after its id)", file=stderr)
    if misnamed:
        return 1
    try:
        Regions.of(atlas for _, atlas in results if atlas is not None)
    except DataError as exc:
        for message in exc.messages:
            print(f"error: {message}", file=stderr)
        return 1
    return 0


def _validate(folder: Path, quiet: bool, stdout: TextIO, stderr: TextIO) -> tuple[int, Atlas | None]:
    day = dt.date.today()
    atlas, errors, warnings = check_region(folder, today=day)
    for message in errors:
        print(f"error: {message}", file=stderr)
    if not quiet:
        for message in warnings:
            print(f"warning: {message}", file=stderr)
    if errors or atlas is None:
        print(f"{folder}: INVALID, {len(errors)} error(s), {len(warnings)} warning(s)", file=stderr)
        return 1, None
    with contextlib.suppress(OSError):  # the app starts from this snapshot instead of validating again
        snapshot.write(atlas, folder, validated_on=day.isoformat() if dt.date.today() == day else None)
    if not quiet:
        services = atlas.services
        levels = Counter(services["level"])
        statuses = Counter(services["status"])
        print(f"{folder}: valid ({atlas.region.name})", file=stdout)
        print(f"  areas: {len(atlas.areas)}  postcodes: {len(atlas.postcodes)}  organizations: "
              f"{len(atlas.organizations)}  locations: {len(atlas.locations)}  services: {len(services)}", file=stdout)
        print("  services per level: " + ", ".join(f"{k} {v}" for k, v in sorted(levels.items())), file=stdout)
        print("  services per status: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())), file=stdout)
        print(f"  warnings: {len(warnings)}", file=stdout)
    return 0, atlas
