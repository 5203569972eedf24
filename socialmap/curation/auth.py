"""Curator login: OIDC (``st.login``, handled by the UI) or one shared curator password.

The password is never stored: the environment holds only its bcrypt hash in
``SOCIALMAP_CURATOR_PASSWORD_HASH``. Make one with::

    python -c "import bcrypt, getpass; print(bcrypt.hashpw(getpass.getpass().encode(), bcrypt.gensalt()).decode())"

A :class:`Curator` can only be created here, after a successful check; every write function of
the curation core refuses anything else (:func:`require_curator`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

import bcrypt

from ..errors import InputError

HASH_ENV = "SOCIALMAP_CURATOR_PASSWORD_HASH"
_SEAL = object()  # only this module passes it; a Curator built elsewhere is rejected
_MAX_PASSWORD_BYTES = 72  # bcrypt's limit


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


def hash_password(password: str) -> str:
    """A bcrypt hash for ``SOCIALMAP_CURATOR_PASSWORD_HASH`` (used by tests and the docs)."""
    return bcrypt.hashpw(password.encode("utf-8")[:_MAX_PASSWORD_BYTES], bcrypt.gensalt()).decode("ascii")


def password_configured(env: Mapping[str, str] | None = None) -> bool:
    value = (env if env is not None else os.environ).get(HASH_ENV, "").strip()
    return value.startswith("$2")


def check_password(password: str, hashed: str) -> bool:
    """Constant-time check of a password against a bcrypt hash; False for a broken hash."""
    if not password or not hashed:
        return False
    try:
        return bcrypt.checkpw(password.encode("utf-8")[:_MAX_PASSWORD_BYTES], hashed.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False


_NAME = re.compile(r"[^\w .@'-]+", re.UNICODE)


def _clean_name(name: str) -> str:
    cleaned = _NAME.sub("", (name or "").strip())[:80].strip()
    return cleaned


def login_with_password(password: str, name: str, env: Mapping[str, str] | None = None) -> Curator | None:
    """A :class:`Curator` when the password matches the configured hash, else None.

    ``name`` (who is editing, for the history) is required: an ``InputError`` when empty.
    """
    hashed = (env if env is not None else os.environ).get(HASH_ENV, "")
    who = _clean_name(name)
    if not who:
        raise InputError("name is empty (the history records who made each change)", field="name", value=name)
    if not check_password(password, hashed):
        return None
    return Curator(name=who, method="password", _seal=_SEAL)


def curator_from_oidc(user: Mapping[str, Any]) -> Curator | None:
    """A :class:`Curator` from Streamlit's ``st.user`` after ``st.login`` (None if not logged in)."""
    if not user or not user.get("is_logged_in"):
        return None
    who = _clean_name(str(user.get("email") or user.get("name") or user.get("sub") or ""))
    if not who:
        return None
    return Curator(name=who, method="oidc", _seal=_SEAL)
