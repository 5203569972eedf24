"""Curator login: OIDC (``st.login``, handled by the UI) or one shared curator password.

The password is never stored: the environment holds only its bcrypt hash in
``SOCIALMAP_CURATOR_PASSWORD_HASH``. Make one with ``python -m socialmap curator-hash`` (asks for
the password twice without showing it; refuses passwords over 72 bytes, bcrypt's limit).

Failed password logins are counted for the whole server process (:data:`LOGIN_THROTTLE`), per
client address and in total, with a growing wait: a new browser session does not reset them.

OIDC admits only the accounts on the curator allow-list (:func:`allowed_curators`): e-mail
addresses, or ``group:NAME`` for a group claim, from ``curators:`` in the region's
``region.yaml`` or from ``SOCIALMAP_CURATORS`` (comma-separated). No allow-list, no curator.

A :class:`Curator` can only be created here, after a successful check; every write function of
the curation core refuses anything else (:func:`require_curator`).
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import bcrypt
import yaml

from ..errors import InputError, SocialMapError

HASH_ENV = "SOCIALMAP_CURATOR_PASSWORD_HASH"
CURATORS_ENV = "SOCIALMAP_CURATORS"
_SEAL = object()  # only this module passes it; a Curator built elsewhere is rejected
_MAX_PASSWORD_BYTES = 72  # bcrypt's limit: longer passwords are refused, never cut
_BCRYPT_HASH = re.compile(r"\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}", re.ASCII)
LOGIN_CLIENT_LIMIT = 5  # failed logins per client address ...
LOGIN_TOTAL_LIMIT = 20  # ... and for the whole process, per LOGIN_WINDOW_S, before waiting starts
LOGIN_WINDOW_S = 600
LOGIN_FIRST_WAIT_S = 30  # doubles with every further failure ...
LOGIN_MAX_WAIT_S = 900  # ... up to 15 minutes
_log = logging.getLogger("socialmap.curation")


class NotAuthenticated(PermissionError):
    """A write was attempted without an authenticated curator."""


@dataclass(frozen=True)
class Curator:
    """A logged-in curator: ``name`` is recorded in the history as who made a change."""

    name: str
    method: str  # "password" or "oidc"
    _seal: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._seal is not _SEAL:
            raise NotAuthenticated("a Curator is only created by a successful login (socialmap.curation.auth)")


def require_curator(curator: object) -> Curator:
    """Return the curator, or raise :class:`NotAuthenticated` (for every write path)."""
    if not isinstance(curator, Curator) or curator._seal is not _SEAL:
        raise NotAuthenticated("writing needs a logged-in curator")
    return curator


class TooManyAttempts(SocialMapError):
    """Too many failed logins: ``wait_s`` seconds before the next password is checked."""

    def __init__(self, wait_s: float):
        self.wait_s = wait_s
        super().__init__(f"too many failed logins; try again in {math.ceil(wait_s / 60)} minute(s)")


class LoginThrottle:
    """Failed logins of the whole process, per client and in total, with a doubling wait.

    The first ``client_limit`` failures of a client (``total_limit`` of all clients together)
    within ``window_s`` are free; after that each failure makes the next check wait
    ``first_wait_s`` × 2^(failures over the limit), at most ``max_wait_s``. Holds only opaque
    client keys and timestamps, in memory (thread-safe).
    """

    TOTAL = "\0total"

    def __init__(self, client_limit: int = LOGIN_CLIENT_LIMIT, total_limit: int = LOGIN_TOTAL_LIMIT,
                 window_s: float = LOGIN_WINDOW_S, first_wait_s: float = LOGIN_FIRST_WAIT_S,
                 max_wait_s: float = LOGIN_MAX_WAIT_S, max_clients: int = 10_000) -> None:
        self.limits = {self.TOTAL: total_limit}
        self.client_limit = client_limit
        self.window_s = window_s
        self.first_wait_s = first_wait_s
        self.max_wait_s = max_wait_s
        self.max_clients = max_clients
        self._fails: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _keys(self, client: str) -> tuple[str, ...]:
        return (self.TOTAL, f"client:{client}") if client else (self.TOTAL,)

    def _recent(self, key: str, now: float) -> list[float]:
        # a failure counts while the window or its wait lasts (the wait can outgrow the window)
        keep = max(self.window_s, self.max_wait_s)
        return [t for t in self._fails.get(key, []) if now - t < keep]

    def wait_s(self, client: str = "", now: float | None = None) -> float:
        """Seconds until a password of ``client`` may be checked again (0: now)."""
        now = time.time() if now is None else now
        with self._lock:
            wait = 0.0
            for key in self._keys(client):
                fails = self._recent(key, now)
                in_window = [t for t in fails if now - t < self.window_s]
                over = len(in_window) - self.limits.get(key, self.client_limit)
                if over >= 0 and fails:
                    pause = min(self.first_wait_s * 2 ** over, self.max_wait_s)
                    wait = max(wait, fails[-1] + pause - now)
            return max(wait, 0.0)

    def failed(self, client: str = "", now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._lock:
            for key in self._keys(client):
                self._fails[key] = [*self._recent(key, now), now]
            while len(self._fails) > self.max_clients:
                self._fails.pop(next(k for k in self._fails if k != self.TOTAL))

    def clear(self) -> None:
        with self._lock:
            self._fails.clear()


#: The one throttle of this server process (every browser session shares it).
LOGIN_THROTTLE = LoginThrottle()


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be a curator password, or None."""
    size = len(password.encode("utf-8"))
    if size > _MAX_PASSWORD_BYTES:
        return f"the password is {size} bytes long (at most {_MAX_PASSWORD_BYTES} bytes: bcrypt ignores the rest)"
    if len(password) < 12:
        return f"the password is {len(password)} characters long (at least 12 needed)"
    return None


def hash_password(password: str) -> str:
    """A bcrypt hash for ``SOCIALMAP_CURATOR_PASSWORD_HASH``; ``InputError`` for a password over 72 bytes."""
    if len(password.encode("utf-8")) > _MAX_PASSWORD_BYTES:
        raise InputError(password_problem(password) or "", field="password")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def hash_problem(hashed: str) -> str | None:
    """Why a configured hash can never match (for the operator's log), or None when it is sound."""
    value = hashed.strip()
    if not value:
        return None
    if not _BCRYPT_HASH.fullmatch(value):
        # never quote the value: it may be a password pasted by mistake
        start = f"starting with '{value[:4]}'" if value.startswith("$2") else "not starting with $2"
        return (f"{HASH_ENV} is not a bcrypt hash ($2b$12$ followed by 53 characters; "
                f"found {len(value)} characters {start}): no password can log in. "
                "Make one with: python -m socialmap curator-hash")
    return None


def password_configured(env: Mapping[str, str] | None = None) -> bool:
    value = (env if env is not None else os.environ).get(HASH_ENV, "").strip()
    return value.startswith("$2")


def check_password(password: str, hashed: str) -> bool:
    """Constant-time check of a password against a bcrypt hash; False for a broken hash and for
    a password over 72 bytes (bcrypt would only compare its first 72 bytes)."""
    if not password or not hashed:
        return False
    secret = password.encode("utf-8")
    if len(secret) > _MAX_PASSWORD_BYTES:
        return False
    try:
        return bcrypt.checkpw(secret, hashed.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False


_NAME = re.compile(r"[^\w .@'-]+", re.UNICODE)


def _clean_name(name: str) -> str:
    cleaned = _NAME.sub("", (name or "").strip())[:80].strip()
    return cleaned


_warned_hashes: set[str] = set()


def log_hash_problem(env: Mapping[str, str] | None = None) -> bool:
    """Log once per process (for the operator, never on the page) when the configured hash can
    never match; True when there is such a problem."""
    hashed = (env if env is not None else os.environ).get(HASH_ENV, "")
    problem = hash_problem(hashed)
    if problem and hashed not in _warned_hashes:
        _warned_hashes.add(hashed)
        _log.error("curator login: %s", problem)
    return problem is not None


def login_with_password(password: str, name: str, env: Mapping[str, str] | None = None, client: str = "",
                        throttle: LoginThrottle | None = None) -> Curator | None:
    """A :class:`Curator` when the password matches the configured hash, else None.

    ``name`` (who is editing, for the history) is required: an ``InputError`` when empty.
    Failures are counted in ``throttle`` (default: the process-wide :data:`LOGIN_THROTTLE`) for
    ``client`` (an opaque key of the client address) and in total; while a wait lasts,
    :class:`TooManyAttempts` is raised and the password is not checked.
    """
    hashed = (env if env is not None else os.environ).get(HASH_ENV, "")
    throttle = LOGIN_THROTTLE if throttle is None else throttle
    who = _clean_name(name)
    if not who:
        raise InputError("name is empty (the history records who made each change)", field="name", value=name)
    wait = throttle.wait_s(client)
    if wait > 0:
        raise TooManyAttempts(wait)
    log_hash_problem({HASH_ENV: hashed})  # for the operator; the page says only 'wrong password'
    if not check_password(password, hashed):
        throttle.failed(client)
        return None
    return Curator(name=who, method="password", _seal=_SEAL)


def allowed_curators(folder: str | Path | None = None, env: Mapping[str, str] | None = None) -> frozenset[str]:
    """The OIDC allow-list: lower-cased e-mail addresses and ``group:NAME`` entries from the
    region's ``region.yaml`` (``curators:``) and ``SOCIALMAP_CURATORS`` (comma-separated)."""
    entries: list[str] = []
    raw = (env if env is not None else os.environ).get(CURATORS_ENV, "")
    entries += raw.split(",")
    if folder is not None:
        try:
            meta = yaml.safe_load((Path(folder) / "region.yaml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
            meta = None
        listed = meta.get("curators") if isinstance(meta, dict) else None
        if isinstance(listed, list):
            entries += [e for e in listed if isinstance(e, str)]
    return frozenset(_normal_entry(e) for e in entries if e.strip())


def _normal_entry(entry: str) -> str:
    entry = entry.strip()
    if entry.lower().startswith("group:"):
        return "group:" + entry[6:].strip()
    return entry.lower()


def _groups(user: Mapping[str, Any]) -> Iterable[str]:
    for claim in ("groups", "roles"):
        value = user.get(claim)
        if isinstance(value, str):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from (str(v) for v in value)


def curator_from_oidc(user: Mapping[str, Any], allowed: Iterable[str] = ()) -> Curator | None:
    """A :class:`Curator` from Streamlit's ``st.user`` after ``st.login``, only for an account on
    the allow-list ``allowed`` (:func:`allowed_curators`): its verified e-mail address, or one
    of its groups as ``group:NAME``. None when not logged in, not listed, or the list is empty."""
    if not user or not user.get("is_logged_in"):
        return None
    allowed = frozenset(allowed)
    if not allowed:
        return None
    email = str(user.get("email") or "").strip().lower()
    email_ok = bool(email) and user.get("email_verified", True) is not False and email in allowed
    group_ok = any(f"group:{g}" in allowed for g in _groups(user))
    if not (email_ok or group_ok):
        return None
    who = _clean_name(str(user.get("email") or user.get("name") or user.get("sub") or ""))
    if not who:
        return None
    return Curator(name=who, method="oidc", _seal=_SEAL)



def main_hash(argv: list[str], stdin: Any = None, stdout: Any = None, stderr: Any = None,
              ask: Any = None) -> int:
    """``python -m socialmap curator-hash``: ask for the password twice (not shown), print its hash.

    Exit 0 with the hash on stdout; 1 when the two differ or the password is too short or over
    72 bytes; 2 for a wrong command line.
    """
    import argparse
    import getpass
    import sys

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = argparse.ArgumentParser(prog="python -m socialmap curator-hash",
                                     description=f"Print a bcrypt hash of the curator password for {HASH_ENV}.")
    parser.parse_args(argv)
    ask = ask or getpass.getpass
    try:
        first = ask("Curator password: ")
        second = ask("Same password again: ")
    except (EOFError, KeyboardInterrupt):
        print("curator-hash: no password given", file=stderr)
        return 1
    if first != second:
        print("curator-hash: the two passwords differ; nothing was made", file=stderr)
        return 1
    problem = password_problem(first)
    if problem:
        print(f"curator-hash: {problem}", file=stderr)
        return 1
    print(hash_password(first), file=stdout)
    print(f"Put this line in the environment of the app: {HASH_ENV}='<the hash above>'", file=stderr)
    return 0
