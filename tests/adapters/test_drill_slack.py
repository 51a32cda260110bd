"""/safety testpage and /safety drill on Slack (issue 17): the real slack-bolt over real HTTP
against the fake Slack API. The test page has its Acknowledge button; the drill's page reads
DRILL first and its lead gets the debrief."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlack
from slack_manifest import bot_scopes
from test_slack import ALICE, FAST, LENA, SECRET, SlackBot, slack_bot


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(post_rate=FAST, scopes=bot_scopes()) as server:
        yield server
        assert server.violations == []


@pytest.fixture
async def bot(tmp_path: Path, fake: FakeSlack) -> AsyncIterator[SlackBot]:
    async with slack_bot(tmp_path / "slack.db", fake) as running:
        yield running


async def test_a_test_page_and_a_drill_on_slack(bot: SlackBot, fake: FakeSlack) -> None:
    status, _ = await fake.send_command(
        bot.url, SECRET, text="testpage", user_id=ALICE, channel_id=ALICE
    )
    assert status == 200
    await bot.said(ALICE, "You asked for this test page")
    delivered = await bot.said(ALICE, "The test page reached you in")
    assert re.search(r"reached you in \d+\.\d s", fake.visible_text(delivered))
    await bot.press(ALICE, "Acknowledge")
    await bot.said(ALICE, "Test page acknowledged after")

    status, _ = await fake.send_command(
        bot.url, SECRET, text="drill", user_id=LENA, channel_id=LENA
    )
    assert status == 200
    page = await bot.said(ALICE, "A new report needs a safety contact")
    assert fake.visible_text(page).startswith("DRILL")
    assert re.search(r"DR-[A-Z2-9]{4}", fake.visible_text(page))
    await bot.press(ALICE, "Acknowledge")
    await bot.said(ALICE, "You're handling DR-")
    status, _ = await fake.send_command(
        bot.url, SECRET, text="drill stop", user_id=LENA, channel_id=LENA
    )
    assert status == 200
    debrief = await bot.said(LENA, "Debrief of drill")
    text = fake.visible_text(debrief)
    assert text.startswith("DRILL") and "stopped with /drill stop" in text
    assert re.search(r"Acknowledged\*? by Alice after \d+ s\.", text), text
