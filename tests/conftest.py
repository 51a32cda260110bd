from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support import Harness
from teams import story_team


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = Harness(tmp_path / "fsbot.db")
    await harness.start()
    yield harness
    await harness.stop()


@pytest.fixture
async def team_bot(tmp_path: Path) -> AsyncIterator[Harness]:
    """The seed stories' team: an organizer, two leads, a board member, external contacts."""
    harness = Harness(tmp_path / "fsbot.db", config=story_team())
    await harness.start()
    yield harness
    await harness.stop()
