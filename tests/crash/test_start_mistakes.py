"""The common mistakes at start, each answered in one plain line that says what to do, with no
token shown and no traceback: a token the platform refuses, a token in the wrong variable, and
(logged, the bot keeps running) a Telegram group the bot is not in. A platform that cannot be
reached is in test_start_failures.py."""

from __future__ import annotations

import asyncio
import signal
import sys

import pytest
from fakes.slack_api import FakeSlack
from fakes.telegram_api import FakeTelegram
from subprocesses import REPO
from test_start_failures import LIMIT, closed_port, fsbot_run, one_line, settings

from adapters.telegram.runner import NOT_IN_CHANNEL

GROUP = -100500  # the team file's [channels] telegram (tests/teams.py SLACK)
SLACK_BOT = "xoxb-test-token"
SLACK_APP = "xapp-1-A0APP-test"


def slack_env(tmp_path, api_url: str, **more: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = settings(tmp_path, tmp_path / "bot.db", "unused")
    del env["FSB_TELEGRAM_TOKEN"]
    env |= {
        "FSB_SLACK_BOT_TOKEN": SLACK_BOT,
        "FSB_SLACK_SIGNING_SECRET": "secret",
        "FSB_SLACK_API_URL": api_url,
        "FSB_SLACK_PORT": str(closed_port()),
        **more,
    }
    return env


def no_secret(lines: list[str], *secrets: str) -> None:
    for line in lines:
        for secret in secrets:
            assert secret not in line, line


async def test_a_revoked_telegram_token_is_one_line_saying_where_to_get_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with FakeTelegram() as fake:
        fake.revoke_token()
        code, lines = await fsbot_run(settings(tmp_path, tmp_path / "bot.db", fake.base_url))
    one_line(code, lines, "FSB_TELEGRAM_TOKEN", "@BotFather")


@pytest.mark.parametrize("error", ["invalid_auth", "token_revoked", "account_inactive"])
async def test_a_refused_slack_bot_token_is_one_line_saying_where_to_get_one(
    tmp_path,
    error: str,  # type: ignore[no-untyped-def]
) -> None:
    async with FakeSlack() as fake:
        fake.revoke_token(error)
        code, lines = await fsbot_run(slack_env(tmp_path, fake.api_url))
    line = one_line(code, lines, "FSB_SLACK_BOT_TOKEN", error, "OAuth & Permissions")
    no_secret([line], SLACK_BOT)


async def test_a_refused_slack_app_token_is_one_line_saying_where_to_make_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with FakeSlack() as fake:
        fake.fail_next("apps.connections.open", error="invalid_auth", times=20)
        env = slack_env(tmp_path, fake.api_url, FSB_SLACK_APP_TOKEN=SLACK_APP)
        code, lines = await fsbot_run(env)
    line = one_line(code, lines, "FSB_SLACK_APP_TOKEN", "invalid_auth", "App-Level Tokens")
    no_secret(lines, SLACK_APP, SLACK_BOT)
    assert line


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        # the two Slack tokens swapped
        (
            {"FSB_SLACK_BOT_TOKEN": SLACK_APP, "FSB_SLACK_APP_TOKEN": SLACK_BOT},
            ["FSB_SLACK_BOT_TOKEN", "goes in FSB_SLACK_APP_TOKEN", "FSB_SLACK_APP_TOKEN must"],
        ),
        # a user token, or the signing secret, where the bot token goes
        ({"FSB_SLACK_BOT_TOKEN": "xoxp-123-user"}, ["starts with xoxb-", "Bot User OAuth"]),
        # the bot token put where Socket Mode's token goes
        ({"FSB_SLACK_APP_TOKEN": SLACK_BOT}, ["FSB_SLACK_APP_TOKEN", "connections:write"]),
    ],
)
async def test_a_slack_token_in_the_wrong_variable_is_named_before_anything_starts(
    tmp_path,
    changes: dict[str, str],
    words: list[str],  # type: ignore[no-untyped-def]
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/api/"  # never called: refused before
    code, lines = await fsbot_run(slack_env(tmp_path, url) | changes)
    one_line(code, lines, *words)
    no_secret(lines, SLACK_APP, SLACK_BOT, "xoxp-123-user")
    assert not (tmp_path / "bot.db").exists()


@pytest.mark.parametrize("token", ["ABC:123", "123 ABC", '"123:ABC"', "bot123:ABC"])
async def test_a_telegram_token_of_the_wrong_shape_is_named_before_anything_starts(
    tmp_path,
    token: str,  # type: ignore[no-untyped-def]
) -> None:
    env = settings(tmp_path, tmp_path / "bot.db", f"http://127.0.0.1:{closed_port()}/bot")
    code, lines = await fsbot_run(env | {"FSB_TELEGRAM_TOKEN": token})
    one_line(code, lines, "FSB_TELEGRAM_TOKEN", "@BotFather")
    no_secret(lines, token)


async def test_a_bot_not_in_the_telegram_group_says_so_once_and_keeps_running(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with FakeTelegram() as fake:
        fake.fail_next(
            "setMyCommands",
            403,
            description="Forbidden: bot was kicked from the supergroup chat",
            chat_id=GROUP,
        )
        env = settings(tmp_path, tmp_path / "bot.db", fake.base_url)
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=REPO, env=env,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert bot.stderr is not None
        seen: list[str] = []
        try:
            async with asyncio.timeout(LIMIT):
                while not any(NOT_IN_CHANNEL in line for line in seen):
                    line = (await bot.stderr.readline()).decode()
                    assert line, seen
                    seen.append(line)
            assert bot.returncode is None  # still running: private pages still work
        finally:
            bot.send_signal(signal.SIGTERM)
            rest = (await bot.stderr.read()).decode()
            await bot.wait()
    everything = "".join(seen) + rest
    assert everything.count(NOT_IN_CHANNEL) == 1
    assert "Traceback" not in everything and "123:ABC" not in everything
    assert str(GROUP) not in everything
