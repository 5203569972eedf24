"""Data derived from an atlas (indexes, tables), computed once per atlas object.

The atlas is read-only and shared by every session, so what is derived from it can be shared too.
An entry is dropped when its atlas is garbage-collected (for example after a curator's save
reloads the data).
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import TypeVar

from .model import Atlas

T = TypeVar("T")


def per_atlas(build: Callable[[Atlas], T]) -> Callable[[Atlas], T]:
    """Decorate ``build(atlas)`` so that it runs once per atlas object."""
    store: dict[int, tuple[weakref.ref[Atlas], T]] = {}

    @functools.wraps(build)
    def get(atlas: Atlas) -> T:
        key = id(atlas)
        hit = store.get(key)
        if hit is not None and hit[0]() is atlas:
            return hit[1]
        value = build(atlas)
        store[key] = (weakref.ref(atlas), value)
        weakref.finalize(atlas, store.pop, key, None)
        return value

    return get
