"""Data derived from an atlas (indexes, tables), computed once per atlas object.

The atlas is read-only and shared by every session, so what is derived from it can be shared too.
An entry is dropped when its atlas is garbage-collected (for example after a curator's save
reloads the data). Builds are serialised per decorated function: a page asking for an index that a
background thread is building waits for that build instead of starting a second one.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from .model import Atlas

T = TypeVar("T")


class PerAtlas(Generic[T]):
    """``build(atlas)`` run once per atlas object; ``peek(atlas)`` without building."""

    def __init__(self, build: Callable[[Atlas], T]) -> None:
        self.build = build
        self.store: dict[int, tuple[weakref.ref[Atlas], T]] = {}
        self.lock = threading.Lock()
        functools.update_wrapper(self, build)

    def peek(self, atlas: Atlas) -> T | None:
        """The value if it was built already, else None (never builds)."""
        hit = self.store.get(id(atlas))
        return hit[1] if hit is not None and hit[0]() is atlas else None

    def __call__(self, atlas: Atlas) -> T:
        value = self.peek(atlas)
        if value is not None:
            return value
        with self.lock:
            value = self.peek(atlas)
            if value is not None:
                return value
            value = self.build(atlas)
            key = id(atlas)
            self.store[key] = (weakref.ref(atlas), value)
            weakref.finalize(atlas, self.store.pop, key, None)
            return value


def per_atlas(build: Callable[[Atlas], T]) -> PerAtlas[T]:
    """Decorate ``build(atlas)`` so that it runs once per atlas object."""
    return PerAtlas(build)
