from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
VALID_MINI = FIXTURES / "regions" / "valid_mini"
SHIPPED = ROOT / "data" / "regions" / "kennemerland"


@pytest.fixture
def mini_region(tmp_path: Path) -> Path:
    """A writable copy of the small valid fixture region."""
    target = tmp_path / "valid_mini"
    shutil.copytree(VALID_MINI, target)
    return target


@pytest.fixture(scope="session")
def shipped_atlas():
    from socialmap.loader import load_region

    return load_region(SHIPPED)


def run_coroutine(coro):
    """Run a coroutine to its end in a thread of its own and return its result.

    ``asyncio.run`` refuses to start while the calling thread already runs an event loop, which
    the browser tests' Playwright (sync API) leaves in the main thread for the whole session.
    """
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
