"""The crash tests run each bot on both stores: ``database`` is its FSB_DATABASE, a new SQLite
file or a new PostgreSQL database (dropped afterwards)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pgdb import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.db'}"
        return
    with fresh_database() as url:
        yield url
