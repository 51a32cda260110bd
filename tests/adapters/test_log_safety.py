"""No token, signing secret, key, account or identity in the log, at DEBUG, from any logger.

Whole reports go through the real adapters (python-telegram-bot, slack-bolt, slack_sdk, httpx,
aiohttp, aiosqlite) against the fake platforms, with every log line captured and searched for the
secrets and for unique markers in the account, the reported person, the reporter's name, username
and ids. The controls show the search can fail: the same libraries, unguarded, write the token.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import signal
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.slack_api import FakeSlack
from fakes.telegram_api import FakeTelegram
from intake_steps import intake_steps
from subprocesses import REPO, fsb_env
from support import ShiftedClock, case_code
from teams import chain_team
from test_slack import SECRET as SLACK_SECRET
from test_slack import SlackBot, code_in, free_port, slack_bot

from adapters.telegram.runner import TelegramAdapter
from bot.main.app import BotApp
from bot.runtime import logsafety
from bot.runtime.crypto import generate_key

TOKEN = "7012345678:AAHsecretTOKENmarker-0123456789abcdefghij"
SLACK_TOKEN = "xoxb-test-token"  # the one test_slack's bot runs with
KEY = generate_key()
ACCOUNT = "He cornered me by the lifts. ACCOUNTMARK-7731"
WHO = "A tall person WHOMARK-5519"
NAME, USERNAME, REPORTER = "Namemark Quill", "usermark_8813", 7319900417
SLACK_REPORTER = "U0REPMARK4"
ALICE = 111

MARKERS = {
    "the bot token": TOKEN,
    "the token's secret half": TOKEN.split(":")[1],
    "the Slack token": SLACK_TOKEN,
    "the signing secret": SLACK_SECRET,
    "the encryption key": KEY,
    "the account": "ACCOUNTMARK-7731",
    "the reported person": "WHOMARK-5519",
    "the reporter's name": "Namemark",
    "the reporter's username": USERNAME,
    "the reporter's Telegram id": str(REPORTER),
    "the reporter's Slack id": SLACK_REPORTER,
}


OUR_LINE = re.compile(r" (DEBUG|INFO) (bot|handlers|adapters|storage)\.")


def leaks(text: str) -> list[str]:
    return [what for what, marker in MARKERS.items() if marker in text]


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put every logger's level, the root's handlers and Python's error hooks back."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = sys.excepthook, threading.excepthook
    levels = {
        name: logger.level
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    yield
    sys.excepthook, threading.excepthook = hooks
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, logger in logging.root.manager.loggerDict.items():
        if isinstance(logger, logging.Logger):
            logger.setLevel(levels.get(name, logging.NOTSET))


def every_logger_at_debug() -> None:
    """As if someone turned every library up: the guard on the handler must still hold."""
    for logger in logging.root.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            logger.setLevel(logging.DEBUG)


# -- Telegram, in this process --------------------------------------------------------------


async def tg_step(fake: FakeTelegram, user: int, action: str, expect: str, **who: Any) -> None:
    before = len(fake.messages(user))
    if action.startswith("> "):
        label = action[2:]
        message, data = next(
            (m, b["callback_data"])
            for m in reversed(fake.messages(user))
            for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row
            if b["text"] == label and "callback_data" in b
        )
        fake.push_callback(user, message["message_id"], data, **who)
    else:
        fake.push_message(user, action, **who)
    await fake.wait_for(
        lambda: any(expect in m["text"] for m in fake.messages(user)[before:]), timeout=10
    )


async def telegram_report(fake: FakeTelegram) -> str:
    """A whole report by a named reporter, and Alice acknowledging it; returns the page."""
    who = {"first_name": NAME, "username": USERNAME}
    for action, expect in intake_steps(account=ACCOUNT, who=WHO):
        await tg_step(fake, REPORTER, action, expect, **who)
    await tg_step(fake, REPORTER, "> Send report", "Your report is in", **who)
    code = case_code(
        next(m["text"] for m in fake.messages(REPORTER) if "Your report is in" in m["text"])
    )
    await fake.wait_for(lambda: any(code in m["text"] for m in fake.messages(ALICE)), timeout=10)
    page = next(m["text"] for m in fake.messages(ALICE) if code in m["text"])
    await tg_step(fake, ALICE, "> Acknowledge", "acknowledged", first_name="Alice")
    await fake.wait_for(
        lambda: any("picked up your report" in m["text"] for m in fake.messages(REPORTER)),
        timeout=10,
    )
    return str(page)


@asynccontextmanager
async def telegram_bot(path: Path, fake: FakeTelegram) -> AsyncIterator[BotApp]:
    adapter = TelegramAdapter(TOKEN, fake.base_url, poll_timeout=1)
    await adapter.start()
    app = BotApp(
        database=path,
        config=chain_team(wait="5m"),
        key=KEY,
        messengers=[adapter.messenger],
        clock=ShiftedClock(),
    )
    await app.start()
    task = asyncio.create_task(adapter.run(app))
    try:
        yield app
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await app.stop()
        await adapter.stop()


async def test_a_whole_telegram_report_at_debug_logs_no_secret_and_no_content(
    tmp_path: Path, restore_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    written = io.StringIO()
    logsafety.configure(logging.DEBUG, [TOKEN, KEY, SLACK_SECRET], stream=written)
    caplog.set_level(logging.DEBUG)
    async with FakeTelegram() as fake, telegram_bot(tmp_path / "tg.db", fake):
        page = await telegram_report(fake)
        assert fake.token_seen == TOKEN
    assert "ACCOUNTMARK-7731" in page and "WHOMARK-5519" in page  # the markers went through
    assert OUR_LINE.search(written.getvalue())  # our own lines below WARNING are written
    assert leaks(written.getvalue()) == []
    assert leaks(caplog.text) == []  # the libraries are quiet at source, too


async def test_the_guard_holds_when_every_library_logs_at_debug(
    tmp_path: Path, restore_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    written = io.StringIO()
    logsafety.configure(logging.DEBUG, [TOKEN, KEY, SLACK_SECRET], stream=written)
    caplog.set_level(logging.DEBUG)
    every_logger_at_debug()
    async with FakeTelegram() as fake, telegram_bot(tmp_path / "tg.db", fake):
        await telegram_report(fake)
        every_logger_at_debug()  # loggers the libraries created while running
    # The control: unguarded (pytest's own capture), the libraries write the token and content.
    assert "the bot token" in leaks(caplog.text)
    assert "the account" in leaks(caplog.text)
    assert leaks(written.getvalue()) == []


async def test_a_whole_slack_report_at_debug_logs_no_secret_and_no_content(
    tmp_path: Path, restore_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    written = io.StringIO()
    logsafety.configure(logging.DEBUG, [SLACK_TOKEN, SLACK_SECRET, KEY], stream=written)
    caplog.set_level(logging.DEBUG)
    every_logger_at_debug()
    async with FakeSlack(post_rate=50.0) as fake:
        fake.add_user(SLACK_REPORTER, NAME, display_name=USERNAME)
        async with slack_bot(tmp_path / "slack.db", fake) as bot:
            await slack_report(bot)
            every_logger_at_debug()
    assert "the account" in leaks(caplog.text)  # the control, as above
    assert leaks(written.getvalue()) == []


async def slack_report(bot: SlackBot) -> str:
    code = await bot.file_report(SLACK_REPORTER, account=ACCOUNT, who=WHO)
    await bot.said("U0ALICE", code)
    await bot.press("U0ALICE", "Acknowledge")
    await bot.said(SLACK_REPORTER, "has picked up your report")
    return code


def test_redaction_covers_secrets_and_credential_shapes_it_was_not_told() -> None:
    line = (
        f"POST http://127.0.0.1:1/bot{TOKEN}/sendMessage; file /file/bot1:x/doc"
        " Authorization: Bearer xoxb-1-2-abc, xapp-1-A0-9 key=KEYVALUE%2F1"
    )
    safe = logsafety.redact(line, ["KEYVALUE/1"])
    assert TOKEN.split(":")[1] not in safe and "bot1:x" not in safe
    assert "xoxb" not in safe and "xapp" not in safe
    assert "KEYVALUE" in safe  # the quoted form is the guard's job: see below
    guard = logsafety.LogGuard(["KEYVALUE/1"])
    record = logging.LogRecord("bot.x", logging.INFO, __file__, 1, "%s", (line,), None)
    assert guard.filter(record) and "KEYVALUE" not in record.getMessage()
    assert "/sendMessage" in record.getMessage()  # what was called stays readable


def test_a_library_warning_keeps_its_words_but_not_its_values() -> None:
    guard = logsafety.LogGuard()
    record = logging.LogRecord(
        "telegram.request", logging.ERROR, __file__, 1, 'Invalid JSON: "%s"', ("ACCOUNTMARK",), None
    )
    assert guard.filter(record)
    assert record.getMessage() == 'Invalid JSON: "%s" (details withheld)'
    body = logging.LogRecord("slack_bolt.App", logging.WARNING, __file__, 1, {"t": "x"}, (), None)
    assert guard.filter(body) and body.getMessage() == "dict (details withheld)"
    debug = logging.LogRecord("runner.py", logging.INFO, __file__, 1, "body", (), None)
    assert not guard.filter(debug)  # any library below WARNING, known by name or not


def test_a_traceback_is_redacted_too() -> None:
    guard = logsafety.LogGuard([KEY])
    try:
        raise RuntimeError(f"could not open with {KEY}")
    except RuntimeError:
        record = logging.LogRecord(
            "bot.main.app", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    assert guard.filter(record)
    out = logging.Formatter().format(record)
    assert "RuntimeError" in out and KEY not in out


# -- `fsbot run` as a process, on both platforms ----------------------------------------------

BOTH = """\
[team]
name = "Log safety team"
timezone = "UTC"

[channels]
telegram = -100500
slack = "C0TEAM01"

[[members]]
id = "alice"
name = "Alice"
roles = ["safety_contact"]
telegram = {alice}
slack = "U0ALICE"

[[members]]
id = "lena"
name = "Lena"
roles = ["lead"]
telegram = 333
slack = "U0LENA"

[[rota]]
member = "alice"
start = {start}
end = {end}
"""


async def test_fsbot_run_at_debug_writes_no_secret_and_no_content(tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    (tmp_path / "team.toml").write_text(
        BOTH.format(
            alice=ALICE,
            start=(now - timedelta(hours=1)).isoformat(),
            end=(now + timedelta(hours=1)).isoformat(),
        )
    )
    port = free_port()
    log_path = tmp_path / "stderr.log"
    async with FakeTelegram() as tg, FakeSlack(post_rate=50.0) as slack:
        slack.add_user(SLACK_REPORTER, NAME, display_name=USERNAME)
        env = fsb_env(
            {
                "FSB_TEAM_FILE": str(tmp_path / "team.toml"),
                "FSB_DATABASE": f"sqlite:///{tmp_path / 'run.db'}",
                "FSB_ENCRYPTION_KEY": KEY,
                "FSB_LOG_LEVEL": "DEBUG",
                "FSB_TELEGRAM_TOKEN": TOKEN,
                "FSB_TELEGRAM_API_URL": tg.base_url,
                "FSB_SLACK_BOT_TOKEN": SLACK_TOKEN,
                "FSB_SLACK_SIGNING_SECRET": SLACK_SECRET,
                "FSB_SLACK_API_URL": slack.api_url,
                "FSB_SLACK_PORT": str(port),
            }
        )
        with log_path.open("w") as log_file:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=REPO,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log_file,
            )
            try:
                await telegram_report(tg)
                await slack_form_report(slack, f"http://127.0.0.1:{port}/slack/events")
            finally:
                proc.send_signal(signal.SIGTERM)
                await asyncio.wait_for(proc.wait(), 20)
    written = log_path.read_text()
    assert proc.returncode == 0, written
    assert OUR_LINE.search(written)  # it did log below WARNING
    assert leaks(written) == []


async def test_a_token_the_bot_api_rejects_is_not_printed_when_the_bot_stops(
    tmp_path: Path,
) -> None:
    """python-telegram-bot puts a rejected token in its error; nothing catches that error, and
    Python would print it, token and all."""
    (tmp_path / "team.toml").write_text(
        BOTH.format(alice=ALICE, start="2027-08-10T08:00:00", end="2027-08-10T09:00:00")
    )
    async with FakeTelegram() as tg:
        tg.fail_next("getMe", 401)
        env = fsb_env(
            {
                "FSB_TEAM_FILE": str(tmp_path / "team.toml"),
                "FSB_DATABASE": f"sqlite:///{tmp_path / 'run.db'}",
                "FSB_ENCRYPTION_KEY": KEY,
                "FSB_TELEGRAM_TOKEN": TOKEN,
                "FSB_TELEGRAM_API_URL": tg.base_url,
            }
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=REPO,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    written = err.decode()
    assert proc.returncode != 0
    assert (
        "Telegram refused the bot's token" in written
    )  # what went wrong is still said, in one line
    assert leaks(written) == []


async def slack_form_report(fake: FakeSlack, url: str) -> None:
    """A whole report in Slack's form, named, and Alice acknowledging it. (The form, not the
    conversation: the bot paces itself to Slack's 1 message a second per chat.)"""
    trigger = fake.new_trigger_id()
    for _ in range(100):  # until the server listens (a bounded wait for a condition)
        try:
            await fake.send_command(
                url, SLACK_SECRET, text="report", user_id=SLACK_REPORTER, trigger_id=trigger
            )
            break
        except OSError:
            await asyncio.sleep(0.1)
    await fake.wait_for(lambda: trigger in fake.modals, timeout=10)
    answers = {
        "danger": "no",
        "role": "target",
        "account": ACCOUNT,
        "who": WHO,
        "where": "venue",
        "disclosure": "named",
        "contact": "here",  # the form asks it (issue 15); updates reach the reporter
    }
    form = fake.view_submission(SLACK_REPORTER, fake.modals[trigger]["id"], values=answers)
    status, _ = await fake.send_interaction(url, SLACK_SECRET, form)
    assert status == 200
    bot = SlackBot(fake, None, url, Path())  # type: ignore[arg-type]  # drives the fake only
    code = code_in(fake.visible_text(await bot.said(SLACK_REPORTER, "Your report is in")))
    assert "ACCOUNTMARK-7731" in fake.visible_text(await bot.said("U0ALICE", code))
    await bot.press("U0ALICE", "Acknowledge")
    await bot.said(SLACK_REPORTER, "has picked up your report")
