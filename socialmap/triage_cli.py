r"""``python -m socialmap triage``: route advice for answers in JSON (``shared/contracts/triage.md``).

    python -m socialmap triage < answers.json
    python -m socialmap triage --answers answers.json
    python -m socialmap triage --batch < many.jsonl

Invalid input: exit code 2, one line on stderr, nothing on stdout. In ``--batch`` mode input lines
are separated by ``\n`` only (JSON strings may hold U+2028 and other Unicode line separators);
every non-empty input line gets one output line (``{"error": "..."}`` for an invalid one) and the
exit code is 2 if any line was invalid. Output escapes U+2028, U+2029 and U+0085. The region
atlas is loaded only when an answer has a postcode or area_code.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from .errors import DataError, InputError, SocialMapError
from .rules import Rules, load_rules
from .route import route
from .triage import LongNumber, parse_answers

REPO_ROOT = Path(__file__).resolve().parents[1]
REGIONS_DIR = REPO_ROOT / "data" / "regions"
DEFAULT_REGION = "kennemerland"
DEFAULT_PER_LEVEL = 10


class _ArgError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise _ArgError(message)


def _parser(stdout: TextIO) -> _Parser:
    parser = _Parser(
        prog="python -m socialmap triage",
        description="Route advice (triage contract v2): answers as JSON in, advice as JSON out.",
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="store_true", help="show this help and exit")
    parser.add_argument("--answers", metavar="FILE", help="read the answers from FILE instead of stdin")
    parser.add_argument("--batch", action="store_true", help="JSON Lines in (one answers object per line), one JSON line out per input line")
    parser.add_argument("--region", metavar="ID_OR_PATH", default=DEFAULT_REGION, help=f"region id or folder (default: {DEFAULT_REGION})")
    parser.add_argument("--lang", default="nl", choices=("nl", "en"), help="language of the reasons (default: nl)")
    parser.add_argument("--limit", type=int, default=DEFAULT_PER_LEVEL, metavar="N", help=f"services per level when a postcode or area_code is given (default: {DEFAULT_PER_LEVEL}; 0 = all)")
    return parser


def region_folder(region: str) -> Path:
    """A region id (``kennemerland``) or a folder path → the folder; InputError when missing."""
    candidate = Path(region)
    if candidate.is_dir():
        return candidate
    by_id = REGIONS_DIR / region
    if by_id.is_dir():
        return by_id
    known = sorted(p.name for p in REGIONS_DIR.iterdir() if p.is_dir()) if REGIONS_DIR.is_dir() else []
    raise InputError(
        f"region '{region}' not found (expected a region id ({', '.join(known) or 'none shipped'}) or a region folder)",
        field="region",
        value=region,
    )


class _Session:
    """Rules and (lazily) the atlas of one region, shared by all answers of a run."""

    def __init__(self, folder: Path, lang: str, limit: int) -> None:
        self.folder = folder
        self.lang = lang
        self.limit = limit if limit > 0 else None
        self.rules: Rules = load_rules(folder)
        self._atlas: Any = None
        self._atlas_error: SocialMapError | None = None

    def atlas(self) -> Any:
        if self._atlas_error is not None:
            raise self._atlas_error
        if self._atlas is None:
            from .loader import load_region  # heavy: only when a postcode or area_code appears

            try:
                self._atlas = load_region(self.folder)
            except DataError as exc:
                self._atlas_error = DataError(f"region data in {self.folder} is invalid: " + "; ".join(exc.messages))
                raise self._atlas_error from None
        return self._atlas

    def answer(self, obj: Any) -> dict[str, Any]:
        # Validate strictly first (every required key); only the contract's keys go on, so a
        # caller's own keys (the app's ``for_self``) never change the output.
        answers = parse_answers(obj)
        atlas = None
        if answers.postcode or answers.area_code:
            atlas = self.atlas()
            atlas.resolve(postcode=answers.postcode, area_code=answers.area_code)  # the contract's messages
        result = route(atlas, answers.to_dict(), self.lang, limit=self.limit, rules=self.rules)
        return result.to_contract()


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def _json_error(exc: json.JSONDecodeError) -> str:
    return f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"


def _parse_int(digits: str) -> int | LongNumber:
    """JSON integers; one too long for Python's int conversion becomes a :class:`LongNumber`."""
    if len(digits) > 40:
        return LongNumber(digits)
    return int(digits)


def _read_json(text: str) -> Any:
    try:
        return json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise InputError(_json_error(exc)) from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an exponent too large for a float
        raise InputError(f"invalid JSON: {exc}") from None


#: Characters a line-based reader may take for a line end; JSON allows them raw, so they are escaped.
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"})


def _dump(obj: Any) -> str:
    """One line of JSON: no raw character that any reader could split a line on."""
    return json.dumps(obj, ensure_ascii=False).translate(_LINE_BREAKS)


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    args_in = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(stdout)
    try:
        args = parser.parse_args(args_in)
    except _ArgError as exc:
        print(f"triage: {_one_line(str(exc))} (see --help)", file=stderr)
        return 2
    if args.help:
        parser.print_help(stdout)
        return 0
    try:
        if args.answers:
            path = Path(args.answers)
            try:
                text = path.read_text(encoding="utf-8-sig")
            except FileNotFoundError:
                raise InputError(f"answers file '{path}' not found") from None
            except IsADirectoryError:
                raise InputError(f"answers file '{path}' is a folder, not a file") from None
            except UnicodeDecodeError:
                raise InputError(f"answers file '{path}' is not UTF-8 text") from None
            except OSError as exc:
                raise InputError(f"answers file '{path}' cannot be read ({exc.strerror})") from None
        else:
            text = _read_stdin(stdin)
        session = _Session(region_folder(args.region), args.lang, args.limit)
        if args.batch:
            return _batch(session, text, stdout)
        out = session.answer(_read_json(text))
    except SocialMapError as exc:
        print(_one_line(str(exc)), file=stderr)
        return 2
    except Exception as exc:  # a bug: still one line, no traceback for the user
        print(f"triage: unexpected error ({type(exc).__name__}: {_one_line(str(exc))})", file=stderr)
        return 1
    stdout.write(_dump(out) + "\n")
    return 0


def _read_stdin(stdin: TextIO) -> str:
    """Standard input as text: UTF-8 (a byte-order mark is accepted), else an InputError."""
    raw = getattr(stdin, "buffer", None)
    try:
        if raw is not None:
            text = raw.read().decode("utf-8")
        else:
            text = stdin.read()
    except UnicodeDecodeError:
        raise InputError("input is not UTF-8 text") from None
    return text.removeprefix("\ufeff")


def batch_lines(text: str) -> list[str]:
    r"""Input lines split on ``\n`` only (a trailing ``\r`` stripped); U+2028, U+2029, U+0085 and
    form feeds stay inside their line, as JSON strings may hold them. Blank lines are skipped."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    return [line for line in lines if line.strip(" \t")]


def _batch(session: _Session, text: str, stdout: TextIO) -> int:
    failed = False
    for line in batch_lines(text):
        try:
            out = session.answer(_read_json(line))
        except SocialMapError as exc:
            failed = True
            out = {"error": _one_line(str(exc))}
        stdout.write(_dump(out) + "\n")
    return 2 if failed else 0


__all__ = ["main", "region_folder"]
