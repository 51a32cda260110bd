"""The disk is full (or the database may not grow) when someone writes: the bot keeps running,
tells them kindly, with the team's emergency information, that it could not save what they
sent; alerts the leads on a platform that works; and takes reports again by itself once there
is room."""

from __future__ import annotations

import asyncio
import logging
import resource
import signal
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlack
from fakes.telegram_api import FakeTelegram
from faults import limit_pages
from intake_steps import intake_steps
from subprocesses import fsb_env, start_run
from teams import SLACK
from test_slack import ALICE as SLACK_ALICE
from test_slack import LENA as SLACK_LENA
from test_slack import SAM as SLACK_SAM
from test_slack import code_in, slack_bot
from test_telegram import press, texts

from adapters.telegram.runner import TelegramAdapter
from bot.config.teamfile import parse_team_text
from bot.runtime.crypto import generate_key

EMERGENCY = "Venue security: 0100 200 300."
SAM, ALICE, LENA = 555, 111, 333
NOT_SAVED = "I couldn't save that"


def team_file(path: Path) -> None:
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    path.write_text(f"""\
[team]
name = "Disk full team"
timezone = "UTC"
emergency_info = "{EMERGENCY}"

[channels]
telegram = -100500

[[members]]
id = "alice"
name = "Alice"
roles = ["safety_contact"]
telegram = {ALICE}

[[members]]
id = "lena"
name = "Lena"
roles = ["lead"]
telegram = {LENA}

[[rota]]
member = "alice"
start = {(now - timedelta(hours=1)).isoformat()}
end = {(now + timedelta(hours=1)).isoformat()}
""")


async def said(fake: FakeTelegram, chat: int, fragment: str, count: int = 1) -> str:
    await fake.wait_for(lambda: sum(fragment in t for t in texts(fake, chat)) >= count, timeout=20)
    return [t for t in texts(fake, chat) if fragment in t][-1]


async def test_a_person_in_danger_sharing_a_location_on_a_full_disk_is_told_kindly(
    tmp_path: Path,
) -> None:
    """``fsbot run`` on Telegram, whose files may not grow (RLIMIT_FSIZE set on the running
    process, as a full disk would refuse them), then may again."""
    team_file(tmp_path / "team.toml")
    database = tmp_path / "bot.db"
    async with FakeTelegram() as fake:
        env = fsb_env(
            {
                "FSB_TEAM_FILE": str(tmp_path / "team.toml"),
                "FSB_DATABASE": f"sqlite:///{database}",
                "FSB_ENCRYPTION_KEY": generate_key(),
                "FSB_TELEGRAM_TOKEN": "123:ABC",
                "FSB_TELEGRAM_API_URL": fake.base_url,
            }
        )
        bot = await start_run(env)
        assert bot.stderr is not None
        stderr = asyncio.create_task(bot.stderr.read())  # drained, so the bot never blocks
        try:
            fake.push_message(SAM, "/start")
            await said(fake, SAM, "Only the safety team reads a report")
            await press(fake, SAM, "I need help now")
            await said(fake, SAM, "Where are you right now?")
            await fake.wait_for(lambda: texts(fake, ALICE), timeout=20)  # paged at once
            # the pages' "sent" marks reach the file first
            await fake.wait_for(lambda: _all_sent(database), timeout=20, what="nothing pending")
            hard = resource.prlimit(bot.pid, resource.RLIMIT_FSIZE)[1]
            resource.prlimit(bot.pid, resource.RLIMIT_FSIZE, (_size(database), hard))

            fake.push_location(SAM, 48.2082, 16.3738)
            kind = await said(fake, SAM, NOT_SAVED)
            assert EMERGENCY in kind
            alert = await said(fake, LENA, "cannot save anything")
            assert "48.2" not in alert and "Sam" not in alert  # nothing of what was sent
            assert bot.returncode is None  # still running

            resource.prlimit(bot.pid, resource.RLIMIT_FSIZE, (hard, hard))  # room again
            fake.push_location(SAM, 48.2083, 16.3739)
            await said(fake, SAM, "passed on")
            await fake.wait_for(
                lambda: any("48.20830, 16.37390" in t for t in texts(fake, ALICE)), timeout=20
            )
            await said(fake, LENA, "can save again")
            assert not any("48.20820" in t for t in texts(fake, ALICE))  # it was not stored
        finally:
            bot.send_signal(signal.SIGTERM)
            await asyncio.wait_for(bot.wait(), 30)
        log = (await stderr).decode()
        assert bot.returncode == 0, log
        assert "Traceback" not in log
        assert "48.2" not in log and "Sam" not in log
        assert fake.violations == []


def _all_sent(database: Path) -> bool:
    """Nothing in the outbox is still waiting to be sent (or to be marked sent)."""
    with sqlite3.connect(database) as conn:
        pending = conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
        return int(pending.fetchone()[0]) == 0


def _size(database: Path) -> int:
    """The largest of the database's files now: none of them may grow past it."""
    return max(Path(f"{database}{suffix}").stat().st_size for suffix in ("", "-wal"))


# -- beyond the given input: SQLITE_FULL itself, on Slack, the leads' first platform down -------


MIXED = SLACK.format(alice='slack = "U0ALICE"').replace(
    'slack = "U0LENA"', 'slack = "U0LENA"\ntelegram = 333'
)


async def test_slack_report_on_a_full_database_is_refused_kindly_then_taken(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    path = tmp_path / "full.db"
    async with FakeTelegram() as telegram, FakeSlack(post_rate=50.0) as fake:
        tg = TelegramAdapter("123:ABC", telegram.base_url, poll_timeout=1)
        await tg.start()
        team = parse_team_text(MIXED, "mixed.toml")
        async with slack_bot(path, fake, team, messengers=[tg.messenger]) as bot:
            account = "He waited for me outside every session and would not let me pass. " * 45
            for action, expect in intake_steps(account=account[:2900]):
                if action == "/start":
                    await bot.open_dm(SLACK_SAM)
                else:
                    await bot.step(SLACK_SAM, action, expect)
            await limit_pages(bot.app.store, await _pages(path))
            fake.fail_next(
                "chat.postMessage", status=500, error="internal_error", channel=SLACK_LENA
            )  # Slack fails her

            status, _ = await bot.press(SLACK_SAM, "Send report")
            assert status == 200 and fake.late == []
            kind = fake.visible_text(await bot.said(SLACK_SAM, NOT_SAVED))
            assert EMERGENCY in kind
            await telegram.wait_for(
                lambda: any("disk is full" in t for t in texts(telegram, LENA)), timeout=10
            )
            with sqlite3.connect(path) as conn:
                assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0

            await limit_pages(bot.app.store, None)  # room again: the same button works
            status, _ = await bot.press(SLACK_SAM, "Send report")
            assert status == 200
            code = code_in(fake.visible_text(await bot.said(SLACK_SAM, "Your report is in")))
            await bot.said(SLACK_ALICE, code)
            await bot.said(SLACK_LENA, "can save again")
        await tg.stop()
        assert telegram.violations == [] and fake.violations == []
    assert not [r for r in caplog.records if "He waited" in r.getMessage()]


async def _pages(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA page_count").fetchone()[0])


async def test_a_report_form_on_a_full_database_stays_open_with_the_answers_in_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "form.db"
    async with FakeSlack(post_rate=50.0) as fake, slack_bot(path, fake) as bot:
        trigger = fake.new_trigger_id()
        await fake.send_command(
            bot.url, "test-signing-secret", text="report", user_id=SLACK_SAM, trigger_id=trigger
        )
        await fake.wait_for(lambda: trigger in fake.modals)
        answers = {
            "danger": "no",
            "role": "target",
            "account": "He followed me to the station and back. " * 72,
            "where": "venue",
            "disclosure": "pseudonymous",
            "contact": "here",
        }
        submit = fake.view_submission(SLACK_SAM, fake.modals[trigger]["id"], values=answers)
        await limit_pages(bot.app.store, await _pages(path))
        status, body = await fake.send_interaction(bot.url, "test-signing-secret", submit)
        assert status == 200 and '"response_action":"errors"' in body.replace(" ", "")
        assert "try again in a few minutes" in body  # shown on the form, answers kept
        assert EMERGENCY in fake.visible_text(await bot.said(SLACK_SAM, NOT_SAVED))
        await limit_pages(bot.app.store, None)
        status, body = await fake.send_interaction(bot.url, "test-signing-secret", submit)
        assert status == 200 and "errors" not in body
        code = code_in(fake.visible_text(await bot.said(SLACK_SAM, "Your report is in")))
        await bot.said(SLACK_ALICE, code)
        assert fake.violations == [] and fake.late == []
