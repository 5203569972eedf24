"""Shared helpers for the curation tests (not a test module)."""

from __future__ import annotations

import os

from socialmap.curation import auth

PASSWORD = "correct horse battery"
HASH = auth.hash_password(PASSWORD)


def curator(name: str = "Test Curator") -> auth.Curator:
    user = auth.login_with_password(PASSWORD, name, env={auth.HASH_ENV: HASH})
    assert user is not None
    return user


def env_with_hash() -> dict[str, str]:
    return {**os.environ, auth.HASH_ENV: HASH}
