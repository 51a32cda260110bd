"""``/ready`` on Telegram: the real python-telegram-bot over real HTTP against the fake Bot API.
A lead asks in a private chat and gets every problem by name, with each person's step; in the
team group, counts only. What the probe learns about a person is recorded like a bounced page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_api import BOT_USERNAME, FakeTelegram
from test_reachability import unreachable
from test_telegram import BOB, GROUP, LENA, running_bot, said, texts

from bot.main.app import BotApp


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations == []


@pytest.fixture
async def bot(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[BotApp]:
    fake.never_started(BOB)
    async with running_bot(tmp_path / "tg.db", fake) as (app, _):
        yield app


async def test_a_lead_s_ready_names_who_never_started_the_bot_and_records_it(
    tmp_path: Path, bot: BotApp, fake: FakeTelegram
) -> None:
    assert unreachable(tmp_path / "tg.db") == set()
    fake.push_message(LENA, "/ready", first_name="Lena")
    text = (await said(fake, LENA, "problems:"))["text"]
    assert f"Bob: open a chat with @{BOT_USERNAME} and press Start." in text
    assert "Dora has no Telegram id, so they are never paged." in text
    assert unreachable(tmp_path / "tg.db") == {str(BOB)}  # escalation now moves past him
    # Bob starts the bot: the next check finds him, and he is reachable again.
    fake.unblock(BOB)
    fake.push_message(LENA, "/ready", first_name="Lena")
    await said(fake, LENA, "problems:", count=2)
    assert "Bob" not in texts(fake, LENA)[-1]
    assert unreachable(tmp_path / "tg.db") == set()
    assert texts(fake, BOB) == []  # the check showed him nothing


async def test_ready_in_the_team_group_gives_counts_and_no_names(
    bot: BotApp, fake: FakeTelegram
) -> None:
    fake.push_message(LENA, "/ready", chat_id=GROUP, chat_type="supergroup")
    text = (await said(fake, GROUP, "Readiness check:"))["text"]
    assert "1 × people who have not started the bot" in text
    assert "1 × people with no platform id" in text
    for name in ("Bob", "Dora", "Alice", "Lena", "222"):
        assert name not in text
