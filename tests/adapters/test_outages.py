"""A platform that refuses the bot's own credentials, with Telegram and Slack running together:
the real python-telegram-bot and slack-bolt over real HTTP against both fake platforms.

Telegram's 401 on the token and Slack's ``invalid_auth`` / ``token_revoked`` are about the bot,
not a person: nobody is marked unreachable, that platform's messages wait (no attempt counted,
none given up), the outage is logged once, the leads hear of it on the platform that still works,
a page that waits lets the chain move on, and once the token works again everything queued goes
out.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlack
from fakes.telegram_api import FakeTelegram
from support import Harness, ShiftedClock
from teams import chain_team
from test_slack import FAST, SECRET, SlackBot, free_port, listening
from test_telegram import file_report, said

from adapters.slack.runner import SlackAdapter
from adapters.telegram.runner import TelegramAdapter
from bot.config.teamfile import TeamFile, parse_team_text
from bot.main.app import BotApp
from bot.ports.platform import DeliveryError
from bot.runtime.crypto import generate_key

TG_ALICE, TG_BOB, TG_LENA, TG_SAM = 111, 222, 333, 555
SLACK_ALICE, SLACK_BOB, SLACK_LENA = "U0ALICE", "U0BOB", "U0LENA"
TG_GROUP, SLACK_CHANNEL = -100500, "C0TEAM01"

TEAM = """\
[team]
name = "Two platforms"
timezone = "UTC"
event_start = 2027-08-10T08:00:00
event_end = 2027-08-14T22:00:00
emergency_info = "Venue security: 0100 200 300."

[channels]
telegram = -100500
slack = "C0TEAM01"

[[members]]
id = "alice"
name = "Alice"
roles = ["safety_contact"]
{alice}

[[members]]
id = "bob"
name = "Bob"
roles = ["safety_contact"]
{bob}

[[members]]
id = "lena"
name = "Lena"
roles = ["lead"]
telegram = 333
slack = "U0LENA"

[[rota]]
member = "alice"
start = 2027-08-11T08:00:00
end = 2027-08-11T18:00:00

[escalation]
steps = [
  {{ notify = ["on_duty"], wait = "5m" }},
  {{ notify = ["safety_contacts"], wait = "5m" }},
  {{ notify = ["leads"], wait = "5m" }},
]
"""


def team(alice_on: str) -> TeamFile:
    """Alice (on duty) on ``alice_on``, Bob on the other platform, Lena the lead on both."""
    ids = {"telegram": "telegram = {}", "slack": 'slack = "{}"'}
    other = "slack" if alice_on == "telegram" else "telegram"
    alice = ids[alice_on].format(TG_ALICE if alice_on == "telegram" else SLACK_ALICE)
    bob = ids[other].format(TG_BOB if other == "telegram" else SLACK_BOB)
    return parse_team_text(TEAM.format(alice=alice, bob=bob), "two.toml")


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations == []


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(post_rate=FAST) as server:
        yield server
        assert server.violations == []


@asynccontextmanager
async def both_platforms(
    path: Path, telegram: FakeTelegram, slack: FakeSlack, config: TeamFile
) -> AsyncIterator[SlackBot]:
    tg = TelegramAdapter("123:ABC", telegram.base_url, poll_timeout=1)
    port = free_port()
    sk = SlackAdapter(
        "xoxb-test-token",
        signing_secret=SECRET,
        api_url=slack.api_url,
        port=port,
        host="127.0.0.1",
        per_channel=FAST,
    )
    await tg.start()
    await sk.start()
    app = BotApp(
        database=path,
        config=config,
        key=generate_key(),
        messengers=[tg.messenger, sk.messenger],
        clock=ShiftedClock(),
    )
    await app.start()
    tasks = [asyncio.create_task(tg.run(app)), asyncio.create_task(sk.run(app))]
    await telegram.wait_for(lambda: telegram.calls_to("getUpdates"))
    await listening(f"http://127.0.0.1:{port}/healthz", tasks[1])  # Slack's HTTP server
    try:
        yield SlackBot(slack, app, f"http://127.0.0.1:{port}/slack/events", path)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await app.stop()
        await tg.stop()
        await sk.stop()


def unreachable(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT user_id FROM identities WHERE unreachable_since IS NOT NULL")
        return [row[0] for row in rows]


def outbox(path: Path, platform: str) -> list[tuple[str, int, str | None]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT status, attempts, last_error FROM outbox WHERE platform = ? ORDER BY id",
            (platform,),
        )
        return list(rows)


def told_once(caplog: pytest.LogCaptureFixture) -> int:
    return sum("refused the bot's own credentials" in r.getMessage() for r in caplog.records)


def tg_texts(fake: FakeTelegram, chat: int) -> list[str]:
    return [m["text"] for m in fake.messages(chat)]


async def test_telegram_refusing_the_token_holds_telegram_and_tells_the_lead_on_slack(
    tmp_path: Path,
    telegram: FakeTelegram,
    slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    path = tmp_path / "two.db"
    async with both_platforms(path, telegram, slack, team("telegram")) as bot:
        telegram.revoke_token()
        code = await bot.file_report()  # on Slack; Alice, on duty, is on Telegram
        # Her page waits, so the chain moves on at once: Bob, on Slack, is paged.
        page = bot.fake.visible_text(await bot.said(SLACK_BOB, code))
        assert "Alice could not be reached: Telegram is not taking the bot's messages." in page
        notice = await bot.said(SLACK_LENA, "Telegram is not taking the bot's messages.")
        assert "token" in bot.fake.visible_text(notice) and "123:ABC" not in str(notice)
        assert unreachable(path) == []
        assert told_once(caplog) == 1
        held = outbox(path, "telegram")
        assert held and all(
            status == "pending" and attempts == 0 and (error or "").startswith("held: ")
            for status, attempts, error in held
        ), held
        assert tg_texts(telegram, TG_ALICE) == []
        # The token works again: everything queued for Telegram goes out, and Lena hears it.
        telegram.restore_token()
        await said(telegram, TG_ALICE, code, count=2)  # the on-duty page and the step-2 page
        await telegram.wait_for(lambda: any(code in t for t in tg_texts(telegram, TG_GROUP)))
        await bot.said(SLACK_LENA, "Telegram works again.")
        await telegram.wait_for(
            lambda: all(status == "sent" for status, _, _ in outbox(path, "telegram")),
            timeout=10,
        )
        assert told_once(caplog) == 1
        assert unreachable(path) == []
        # One notice each time on Slack, none on Telegram (it could not take them).
        texts = bot.texts(SLACK_LENA)
        assert sum("is not taking" in t for t in texts) == 1
        assert sum("Telegram works again." in t for t in texts) == 1
        assert not any("Telegram" in t for t in tg_texts(telegram, TG_LENA))


@pytest.mark.parametrize("refusal", ["invalid_auth", "token_revoked", "account_inactive"])
async def test_slack_refusing_the_token_holds_slack_and_tells_the_lead_on_telegram(
    tmp_path: Path,
    telegram: FakeTelegram,
    slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    refusal: str,
) -> None:
    caplog.set_level(logging.INFO)
    path = tmp_path / "two.db"
    async with both_platforms(path, telegram, slack, team("slack")) as bot:
        slack.revoke_token(refusal)
        code = await file_report(telegram, TG_SAM)  # on Telegram; Alice is on Slack
        page = await said(telegram, TG_BOB, code)
        assert (
            "Alice could not be reached: Slack is not taking the bot's messages." in (page["text"])
        )
        await said(telegram, TG_LENA, "Slack is not taking the bot's messages.")
        assert unreachable(path) == []
        assert told_once(caplog) == 1
        assert all(
            status == "pending" and attempts == 0 for status, attempts, _ in outbox(path, "slack")
        )
        slack.restore_token()
        await bot.said(SLACK_ALICE, code, count=2)
        await bot.said(SLACK_CHANNEL, code)
        await said(telegram, TG_LENA, "Slack works again.")
        assert unreachable(path) == []
        assert told_once(caplog) == 1
        assert not any(f"{refusal}" in t for t in tg_texts(telegram, TG_LENA))


# -- the kind, beyond the given inputs (a recording platform and a movable clock) --------------

REVOKED = DeliveryError("telegram 401/404 token refused", credentials=True)


async def test_a_platform_held_for_hours_gives_nothing_up_and_never_loops(tmp_path: Path) -> None:
    # Everyone is on the one platform, and it refuses the token: every page waits, the chain
    # runs to its end at once (nobody can see a page) and stops there; no row is given up and
    # no attempt is counted, however long it lasts; then everything goes out.
    bot = Harness(tmp_path / "h.db", config=chain_team(wait="5s"), platform="telegram")
    await bot.start()
    try:
        await bot.file_report(send=False)
        for chat in ("111", "222", "333", "999", bot.channel_id, "sam"):
            bot.platform.fail_for[chat] = REVOKED
        async with asyncio.timeout(30):
            await bot.press("sam", "Send report")
            code = await _only_case(tmp_path / "h.db")
            for _ in range(12 * 60):  # an hour, a probe's wait at a time
                await bot.advance(5)
        kinds = [kind for _, kind, _ in await bot.audit(code)]
        assert kinds.count("chain_exhausted") == 1
        with sqlite3.connect(tmp_path / "h.db") as conn:
            rows = conn.execute("SELECT status, attempts FROM outbox WHERE platform = 'telegram'")
            held = [r for r in rows if r[0] != "sent"]
        assert held and all(row == ("pending", 0) for row in held), held
        assert await _unreachable(bot) == set()
        bot.platform.fail_for.clear()
        await bot.advance(300)
        assert sum(code in s.text for s in bot.platform.chat("111")) >= 1
        assert any(code in s.text for s in bot.platform.chat(bot.channel_id))
    finally:
        await bot.stop()


async def test_after_a_restart_with_a_working_token_held_messages_go_at_once(
    tmp_path: Path,
) -> None:
    bot = Harness(tmp_path / "h.db", config=chain_team(wait="5m"), platform="telegram")
    await bot.start()
    try:
        await bot.file_report(send=False)
        bot.platform.fail_for["111"] = REVOKED
        await bot.press("sam", "Send report")
        code = await _only_case(tmp_path / "h.db")
        for _ in range(6):  # failed probes: the next one is minutes away now
            await bot.advance(60)
        assert not any(code in s.text for s in bot.platform.chat("111"))
        bot.platform.fail_for.clear()  # a new token, and a restart to use it
        await bot.restart()
        assert any(code in s.text for s in bot.platform.chat("111"))
    finally:
        await bot.stop()


async def _unreachable(bot: Harness) -> set[tuple[str, str]]:
    async with bot.app.store.transaction() as tx:
        return await tx.unreachable()


async def _only_case(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        (code,) = conn.execute("SELECT code FROM cases").fetchone()
        return str(code)
