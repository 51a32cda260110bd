"""The console story every test in this folder tells: the seed stories' team by default; a test
file may give another team by defining its own ``story_config`` fixture."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from story import Story
from teams import story_team

from bot.config.teamfile import TeamFile


@pytest.fixture
def story_config() -> TeamFile:
    return story_team()


@pytest.fixture
async def story(tmp_path: Path, story_config: TeamFile) -> AsyncIterator[Story]:
    told = Story(tmp_path / "story.db", story_config)
    await told.start()
    yield told
    await told.stop()
