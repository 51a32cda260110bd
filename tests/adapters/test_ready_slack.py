"""``/safety ready`` on Slack: slack-bolt and slack_sdk over real HTTP against the fake Web API.
A lead gets every problem in a direct message; in the team channel, counts only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlack
from test_slack import BOB, GRANTED, LENA, SECRET, SlackBot, slack_bot

CHANNEL = "C0TEAM01"  # tests/teams.py SLACK


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(scopes=GRANTED) as server:
        yield server
        assert server.violations == []


@pytest.fixture
async def bot(tmp_path: Path, fake: FakeSlack) -> AsyncIterator[SlackBot]:
    fake.fail_next("conversations.open", error="user_not_found", channel=BOB, times=10)
    fake.remove_bot(CHANNEL)
    async with slack_bot(tmp_path / "slack.db", fake) as running:
        yield running


async def test_a_lead_s_ready_names_who_cannot_get_a_dm(bot: SlackBot, fake: FakeSlack) -> None:
    status, _ = await fake.send_command(bot.url, SECRET, text="ready", user_id=LENA)
    assert status == 200
    text = fake.visible_text(await bot.said(LENA, "problems:"))
    assert "Bob cannot be sent a direct message on Slack." in text
    assert "The bot cannot post in the team channel on Slack." in text
    assert "Invite the bot to the channel: /invite @" in text


async def test_ready_in_the_team_channel_gives_counts_and_no_names(
    bot: SlackBot, fake: FakeSlack
) -> None:
    fake.outside_channels.discard(CHANNEL)  # invited now: the answer can be posted there
    status, _ = await fake.send_command(
        bot.url, SECRET, text="ready", user_id=LENA, channel_id=CHANNEL
    )
    assert status == 200
    text = fake.visible_text(await bot.said(CHANNEL, "Readiness check:"))
    assert "1 × people the bot cannot message" in text
    for name in ("Bob", "Lena", "Alice", BOB):
        assert name not in text
