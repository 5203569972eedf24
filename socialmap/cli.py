"""``python -m socialmap <command>``: one entry point, one module per command.

Every command module exposes ``main(argv) -> int``. Errors a user can make are answered with a
clear message and exit code, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

COMMANDS: dict[str, tuple[str, str, str]] = {
    # name: (module, function, help)
    "validate": ("socialmap.validate", "main", "check a region's data files (default: the shipped data)"),
    "triage": ("socialmap.triage_cli", "main", "route advice for answers in JSON (see shared contract)"),
    "backup": ("socialmap.backup", "main_backup", "copy a region's data into a timestamped backup archive"),
    "restore": ("socialmap.backup", "main_restore", "restore a region's data from a backup archive"),
    "curator-hash": ("socialmap.curation.auth", "main_hash", "make the bcrypt hash for the curator password"),
    # open data: HSDS/GeoJSON export and the HSDS read API
    "export": ("socialmap.api.commands", "main_export", "write an HSDS JSON, HSDS tabular zip or GeoJSON export"),
    "api": ("socialmap.api.commands", "main_api", "run the HSDS read API (and POST /triage)"),
    "db": ("socialmap.db.cli", "main", "PostgreSQL store: migrate, load FOLDER, dump FOLDER, publish REGION"),
}


def usage() -> str:
    lines = ["usage: python -m socialmap <command> [options]", "", "commands:"]
    lines += [f"  {name:<9} {help_}" for name, (_, _, help_) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"socialmap: unknown command '{name}' (allowed: {', '.join(COMMANDS)})", file=sys.stderr)
        return 2
    module_name, func, _ = COMMANDS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            print(f"socialmap: command '{name}' is not available in this version", file=sys.stderr)
            return 2
        raise
    return int(getattr(module, func)(rest) or 0)
