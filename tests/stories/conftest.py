"""The console story every test in this folder tells: the seed stories' team by default; a test
file may give another team by defining its own ``story_config`` fixture. Every story is told on
each store (``database``: an SQLite file, a fresh PostgreSQL database)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pgdb import fresh_database
from story import Story
from teams import story_team

from bot.config.teamfile import TeamFile


@pytest.fixture
def story_config() -> TeamFile:
    return story_team()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """Where the story's bot keeps its data: an SQLite file, or a PostgreSQL database made for
    the test and dropped after it."""
    if request.param == "sqlite":
        yield tmp_path / "story.db"
        return
    with fresh_database() as url:
        yield url


@pytest.fixture
async def story(database: Path | str, story_config: TeamFile) -> AsyncIterator[Story]:
    told = Story(database, story_config)
    await told.start()
    yield told
    await told.stop()
