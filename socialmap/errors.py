"""Errors that reach users: each carries one clear, complete message (no traceback)."""

from __future__ import annotations


class SocialMapError(Exception):
    """Base class: ``str(err)`` is the message shown to the user."""


class DataError(SocialMapError):
    """A data file is broken or invalid. ``messages`` lists every problem found."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


class InputError(SocialMapError):
    """A user's or caller's input is invalid (answers, postcode, area code)."""

    def __init__(self, message: str, field: str | None = None, value: object = None):
        self.field = field
        self.value = value
        super().__init__(message)
