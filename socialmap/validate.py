"""``python -m socialmap validate [PATH]``: check a region folder, print every problem.

Exit 0 when valid (warnings may be printed), 1 when invalid, 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections import Counter
from typing import TextIO

from . import snapshot
from .loader import DEFAULT_REGION, check_region, region_path


def main(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialmap validate",
                                     description="Validate a region folder of the social map.")
    parser.add_argument("path", nargs="?", default=DEFAULT_REGION,
                        help="region id or folder (default: the shipped kennemerland data)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    args = parser.parse_args(argv)
    folder = region_path(args.path)
    atlas, errors, warnings = check_region(folder)
    for message in errors:
        print(f"error: {message}", file=stderr)
    if not args.quiet:
        for message in warnings:
            print(f"warning: {message}", file=stderr)
    if errors or atlas is None:
        print(f"{folder}: INVALID, {len(errors)} error(s), {len(warnings)} warning(s)", file=stderr)
        return 1
    with contextlib.suppress(OSError):  # the app starts from this snapshot instead of validating again
        snapshot.write(atlas, folder)
    if not args.quiet:
        services = atlas.services
        levels = Counter(services["level"])
        statuses = Counter(services["status"])
        print(f"{folder}: valid ({atlas.region.name})", file=stdout)
        print(f"  areas: {len(atlas.areas)}  postcodes: {len(atlas.postcodes)}  organizations: "
              f"{len(atlas.organizations)}  locations: {len(atlas.locations)}  services: {len(services)}", file=stdout)
        print("  services per level: " + ", ".join(f"{k} {v}" for k, v in sorted(levels.items())), file=stdout)
        print("  services per status: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())), file=stdout)
        print(f"  warnings: {len(warnings)}", file=stdout)
    return 0
