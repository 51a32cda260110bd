"""Another process holds the database's write lock (a backup, ``fsbot purge`` from cron) when a
reporter presses "Send report": the press is not lost. It becomes a case and a page once the lock
is let go, and the platform is told "got it" only when the press is stored or kept on disk."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlack
from fakes.telegram_api import FakeTelegram
from faults import WriteLock
from intake_steps import intake_steps
from test_slack import ALICE as SLACK_ALICE
from test_slack import SAM as SLACK_SAM
from test_slack import SlackBot, code_in, slack_bot
from test_telegram import ALICE, SAM, press, running_bot, said, step, texts

HELD = 7.0  # seconds the other process holds the lock: longer than SQLite's busy timeout


def cases(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT code FROM cases")]


def waits_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "locked by another process" in r.getMessage()]


def long_waits(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "went through after" in r.getMessage()]


async def test_telegram_a_press_during_a_7_s_lock_becomes_a_case_and_a_page(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    path = tmp_path / "tg.db"
    async with FakeTelegram() as fake, running_bot(path, fake):
        for action, expect in intake_steps():
            await step(fake, SAM, action, expect)
        lock = await WriteLock(path).take()
        try:
            update = await press(fake, SAM, "Send report")
            # The bot meets the lock, says so in its log, and keeps the update unconfirmed.
            await fake.wait_for(lambda: lock.held >= HELD and waits_logged(caplog), timeout=30)
            assert cases(path) == []
            assert not any("Your report is in" in t for t in texts(fake, SAM))
            offsets = [c.get("offset") or 0 for c in fake.calls_to("getUpdates")]
            assert max(offsets) <= update["update_id"]  # Telegram still holds the press
        finally:
            await lock.release()
        confirmation = await said(fake, SAM, "Your report is in")
        (code,) = cases(path)
        assert code in confirmation["text"]
        await said(fake, ALICE, code)
        await fake.wait_for(
            lambda: any(
                (c.get("offset") or 0) > update["update_id"] for c in fake.calls_to("getUpdates")
            )
        )
        assert not any("couldn't save" in t for t in texts(fake, SAM))
        assert len([t for t in texts(fake, ALICE) if code in t]) == 1
        (logged,) = long_waits(caplog)[-1:]
        assert "an update went through after" in logged
        assert fake.violations == []


async def test_slack_a_press_during_a_7_s_lock_is_acknowledged_in_time_and_becomes_a_case(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    path = tmp_path / "slack.db"
    async with FakeSlack(post_rate=50.0) as fake, slack_bot(path, fake) as bot:
        await _slack_intake(bot)
        lock = await WriteLock(path).take()
        try:
            status, _ = await bot.press(SLACK_SAM, "Send report")
            assert status == 200  # within Slack's 3 s (the fake records a late answer)
            assert fake.late == []
            assert list((Path(f"{path}-inbox")).glob("*.event"))  # kept on disk meanwhile
            # What the reporter writes next waits its turn behind the press, on disk too.
            started = asyncio.get_running_loop().time()
            status, _ = await bot.write(SLACK_SAM, "/mycases")
            assert status == 200 and asyncio.get_running_loop().time() - started < 1.0
            await fake.wait_for(lambda: lock.held >= HELD and waits_logged(caplog), timeout=30)
            assert cases(path) == []
        finally:
            await lock.release()
        confirmation = await bot.said(SLACK_SAM, "Your report is in")
        code = code_in(fake.visible_text(confirmation))
        assert cases(path) == [code]
        await bot.said(SLACK_ALICE, code)
        listed = await bot.said(SLACK_SAM, "Your reports")  # handled after the press: in order
        assert code in fake.visible_text(listed)
        await fake.wait_for(lambda: not list(Path(f"{path}-inbox").glob("*.event")))
        assert fake.violations == [] and fake.late == []


async def _slack_intake(bot: SlackBot) -> None:
    """Slack's intake up to the summary (its steps start with a DM, not /start)."""
    for action, expect in intake_steps():
        if action == "/start":
            await bot.open_dm(SLACK_SAM)
        else:
            await bot.step(SLACK_SAM, action, expect)
