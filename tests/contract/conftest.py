"""The store every contract test runs against, once per store implementation.

Each test gets a fresh store: a new SQLite file, or a new PostgreSQL database on the local server
(tests/pgdb.py), dropped afterwards. A new implementation joins the whole suite by adding its
name to :data:`STORES` and a branch to :func:`_made`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pgdb import fresh_database

from bot.ports.store import Store
from bot.runtime.crypto import Cipher, generate_key
from storage.postgres.store import PostgresStore
from storage.sqlite.store import SqliteStore

STORES = ["sqlite", "postgresql"]


@contextmanager
def _made(kind: str, tmp_path: Path) -> Iterator[Store]:
    if kind == "sqlite":
        yield SqliteStore(tmp_path / "contract.db", Cipher(generate_key()))
    elif kind == "postgresql":
        with fresh_database() as url:
            yield PostgresStore(url, Cipher(generate_key()))
    else:
        raise ValueError(f"no store called {kind!r}")


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """An open, empty store, closed (and its database dropped) after the test."""
    with _made(request.param, tmp_path) as made:
        await made.open()
        yield made
        await made.close()
