"""At start the operator reads one line per platform saying the bot is connected (the bot's name
and the mode) and one saying the team loaded (counts only), through the real libraries against
the fake platforms. Bot names are not people; no id, chat id or token is in these lines."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fakes.slack_api import BOT_ID as SLACK_BOT_ID
from fakes.slack_api import BOT_NAME, BOT_USER_ID, TEAM_ID, TEAM_NAME, FakeSlack
from fakes.telegram_api import BOT_ID, BOT_USERNAME, FakeTelegram
from support import ShiftedClock
from teams import story_team

from adapters.slack.runner import SlackAdapter
from adapters.telegram.runner import TelegramAdapter
from bot.main.app import BotApp
from bot.runtime.crypto import generate_key

TOKEN = "7012345678:AAHconnectedTOKEN-0123456789abcdefghijk"
SLACK_TOKEN = "xoxb-connected-token"
APP_TOKEN = "xapp-1-A0APP-connected"


def connected(caplog: pytest.LogCaptureFixture, platform: str) -> str:
    """The one "connected" line for ``platform``."""
    (line,) = [
        r.getMessage()
        for r in caplog.records
        if r.getMessage().startswith(f"connected to {platform}")
    ]
    return line


@pytest.mark.parametrize(
    ("webhook", "mode"), [(None, "long polling"), ("https://bot.example.org/tg", "webhook")]
)
async def test_telegram_says_it_is_connected_with_the_bots_name_and_mode(
    caplog: pytest.LogCaptureFixture, webhook: str | None, mode: str
) -> None:
    caplog.set_level(logging.INFO, logger="adapters")
    async with FakeTelegram() as fake:
        adapter = TelegramAdapter(TOKEN, fake.base_url, webhook_url=webhook)
        await adapter.start()
        await adapter.stop()
    line = connected(caplog, "Telegram")
    assert line == f"connected to Telegram as @{BOT_USERNAME} ({mode})"
    assert str(BOT_ID) not in line and TOKEN.split(":")[1] not in line


@pytest.mark.parametrize(("app_token", "mode"), [(APP_TOKEN, "Socket Mode"), (None, "HTTP mode")])
async def test_slack_says_it_is_connected_with_the_bots_name_and_mode(
    caplog: pytest.LogCaptureFixture, app_token: str | None, mode: str
) -> None:
    caplog.set_level(logging.INFO, logger="adapters")
    async with FakeSlack() as fake:
        adapter = SlackAdapter(
            SLACK_TOKEN, signing_secret="s3cret", app_token=app_token, api_url=fake.api_url
        )
        await adapter.start()
        await adapter.stop()
    line = connected(caplog, "Slack")
    assert line == f"connected to Slack as {BOT_NAME} in {TEAM_NAME} ({mode})"
    for never in (BOT_USER_ID, SLACK_BOT_ID, TEAM_ID, SLACK_TOKEN, APP_TOKEN):
        assert never not in line


async def test_the_team_loaded_line_gives_counts_only(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    team = story_team()
    app = BotApp(
        database=tmp_path / "team.db",
        config=team,
        key=generate_key(),
        messengers=[],
        clock=ShiftedClock(),
    )
    await app.start()
    await app.stop()
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("team loaded")]
    contacts = sum("safety_contact" in m.roles for m in team.members)
    leads = sum("lead" in m.roles for m in team.members)
    assert line == (
        f"team loaded: members {len(team.members)}, safety contacts {contacts}, leads {leads},"
        f" externals {len(team.external)}, shifts {len(team.rota)}"
    )
    for person in [*team.members, *team.external]:
        assert person.id not in line and person.name not in line
