"""The store every contract test runs against, once per store implementation.

Each test gets a fresh store on a real file. A new implementation (PostgreSQL) joins the whole
suite by adding its name to :data:`STORES` and a branch to :func:`_make`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.ports.store import Store
from bot.runtime.crypto import Cipher, generate_key
from storage.sqlite.store import SqliteStore

STORES = ["sqlite"]


def _make(kind: str, tmp_path: Path) -> Store:
    if kind == "sqlite":
        return SqliteStore(tmp_path / "contract.db", Cipher(generate_key()))
    raise ValueError(f"no store called {kind!r}")


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """An open, empty store, closed after the test."""
    made = _make(request.param, tmp_path)
    await made.open()
    yield made
    await made.close()
