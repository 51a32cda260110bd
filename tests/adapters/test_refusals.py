"""A message a platform refuses for good never strands a person, and a delivery error's text
never reaches the logs or the database.

Through the real adapters against the fake platforms: a refused reply is re-sent once in a safe
plain form with its buttons; a refused page moves the chain on at once (recorded in the audit
trail) and still reaches its contact in plain form; what is stored and logged about a failure is
a status and an error code, whatever text the platform library put in its exception.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlack
from fakes.telegram_api import FakeTelegram
from hypothesis import given
from hypothesis import strategies as st
from support import Harness
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError
from test_slack import FAST, slack_bot
from test_telegram import ALICE, BOB, SAM, file_report, running_bot, said, step

from adapters.slack.messenger import delivery_error as slack_error
from adapters.telegram.messenger import delivery_error as telegram_error
from bot.main.app import BotApp
from bot.ports.platform import DeliveryError
from bot.runtime.refusals import PLAIN_LIMIT, SHORTENED, plain_text

SECRET = "SECRET-ACCOUNT-77"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations == []
        assert server.rate_limited == 0


@pytest.fixture
async def bot(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[BotApp]:
    async with running_bot(tmp_path / "tg.db", fake) as (app, _):
        yield app


def last_errors(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT last_error FROM outbox WHERE last_error IS NOT NULL")
        return [row[0] for row in rows]


def buttons(message: dict[str, object]) -> list[str]:
    markup = message.get("reply_markup") or {}
    assert isinstance(markup, dict)
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


async def test_a_refused_reply_is_sent_again_plain_with_its_buttons(
    tmp_path: Path, bot: BotApp, fake: FakeTelegram
) -> None:
    fake.fail_next("sendMessage", 400, description="Bad Request: message is too long", chat_id=SAM)
    fake.push_message(SAM, "/start")
    welcome = await said(fake, SAM, "Only the safety team reads a report")
    assert welcome["text"].startswith("Hi, this is the Chain test team.")
    assert welcome["entities"] == []  # plain: the bold heading is gone
    assert buttons(welcome) == [
        "Report something",
        "I need help now",
        "How my information is handled",
        "Language",
    ]
    # the person can go on from it
    await step(fake, SAM, "> Report something", "are you in danger")
    assert last_errors(tmp_path / "tg.db") == ["telegram 400 message_too_long"]


async def test_a_refused_page_moves_the_chain_on_at_once_and_still_reaches_its_contact(
    tmp_path: Path, bot: BotApp, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    # Telegram's description quotes what it could not parse: here, the report itself.
    description = f"Bad Request: can't parse entities: unsupported start tag at {SECRET} <x>"
    fake.fail_next("sendMessage", 400, description=description, chat_id=ALICE)
    account = f"{SECRET} " + "He followed me from the lifts to the hall and back again. " * 20
    code = await file_report(fake, account=account)
    # Bob is paged at once, not after the 5 minutes Alice's step waits.
    page = await said(fake, BOB, code)
    assert "Alice could not be shown the page." in page["text"]
    # Alice gets the page in plain form, shortened, with the buttons she needs (and, as a
    # safety contact, the second step's page too).
    plain = await said(fake, ALICE, SHORTENED)
    assert code in plain["text"]
    assert plain["text"].endswith(SHORTENED) and len(plain["text"]) <= PLAIN_LIMIT
    assert buttons(plain) == ["Acknowledge", "Escalate"]
    async with bot.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None
        audit = await tx.audit_for(case.id)
    skipped = [e.detail for e in audit if e.kind == "page_skipped"]
    assert {"member": "alice", "reason": "the platform refused the page"}.items() <= skipped[
        0
    ].items()
    # She takes it from the plain page.
    (acknowledge,) = [
        b["callback_data"]
        for row in plain["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"] == "Acknowledge"
    ]
    fake.push_callback(ALICE, plain["message_id"], acknowledge)
    await said(fake, SAM, "has picked up your report")
    # What was stored and logged about the refusal is a status and a code, not the report.
    assert last_errors(tmp_path / "tg.db") == ["telegram 400 cant_parse_entities"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "telegram 400 cant_parse_entities" in logged
    assert SECRET not in logged


async def test_a_reply_slack_refuses_is_sent_again_plain_with_its_buttons(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    async with FakeSlack(post_rate=FAST) as fake, slack_bot(tmp_path / "s.db", fake) as bot:
        await bot.step("U0SAM", "hello", "Only the safety team reads a report")
        fake.fail_next("chat.postMessage", error="invalid_blocks", channel="U0SAM")
        await bot.step("U0SAM", "> Stop and delete it", "Stopped")  # one reply, with buttons
        await bot.step("U0SAM", "> Report something", "are you in danger")
        # refused, then sent again plain with its buttons (a later pacing may overwrite the
        # row's last error, so the refusal is read from the log, which names no one)
        assert any("slack invalid_blocks" in r.getMessage() for r in caplog.records)
        stopped = [m for m in fake.messages("U0SAM") if "Stopped" in fake.visible_text(m)]
        assert stopped and "Report something" in str(stopped[-1].get("blocks"))  # its buttons
        assert fake.violations == []


async def test_an_adapter_error_is_logged_by_its_type_only(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot = Harness(tmp_path / "h.db")
    await bot.start()
    try:
        bot.platform.fail_for["alice"] = ValueError(f"could not send {SECRET}")
        caplog.set_level(logging.DEBUG)
        await bot.file_report(account=f"It was {SECRET}.")
        logged = "\n".join(r.getMessage() for r in caplog.records)
        assert "ValueError" in logged and SECRET not in logged
        assert "adapter error ValueError" in last_errors(tmp_path / "h.db")
        assert all(SECRET not in e for e in last_errors(tmp_path / "h.db"))
    finally:
        await bot.stop()


# -- the kind, beyond the given inputs ---------------------------------------------------------

TELEGRAM_REASON = r"telegram (\d{3}(/\d{3})? [a-z_/ ]+|network \w+|error \w+)"


@given(words=st.text(min_size=1, max_size=200))
def test_a_telegram_error_reason_never_repeats_the_errors_text(words: str) -> None:
    marked = f"{words} {SECRET}"
    for error in (
        BadRequest(marked),
        Forbidden(marked),
        InvalidToken(marked),
        NetworkError(marked),
        TelegramError(marked),
    ):
        reason = telegram_error(error).reason
        assert SECRET not in reason
        assert __import__("re").fullmatch(TELEGRAM_REASON, reason), reason


@given(code=st.text(max_size=80), status=st.sampled_from([200, 400, 403, 429, 500, 503]))
def test_a_slack_error_reason_is_its_status_and_code_only(code: str, status: int) -> None:
    error = slack_error(status, code, None)
    assert isinstance(error, DeliveryError)
    assert error.reason.startswith("slack ")
    if code not in error.reason:
        assert error.reason.endswith("unknown_error")
    assert len(error.reason) <= 80


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("invalid_auth", "credentials"),
        ("token_revoked", "credentials"),
        ("account_inactive", "credentials"),
        ("not_authed", "credentials"),
        ("missing_scope", "refused"),
        ("cannot_dm_bot", "unreachable"),
        ("user_disabled", "unreachable"),
        ("msg_too_long", "refused"),
        ("invalid_blocks", "refused"),
        ("ratelimited", "retry"),
        ("internal_error", "retry"),
    ],
)
def test_slack_errors_are_sorted_into_their_kinds(code: str, kind: str) -> None:
    error = slack_error(200, code, None)
    found = (
        "credentials"
        if error.credentials
        else "unreachable"
        if error.unreachable
        else "refused"
        if error.refused
        else "retry"
    )
    assert found == kind
    assert not (error.credentials and error.unreachable)


@given(text=st.text(max_size=3000))
def test_the_plain_form_is_short_printable_and_says_when_it_was_cut(text: str) -> None:
    plain = plain_text(text)
    assert 1 <= len(plain) <= PLAIN_LIMIT
    assert len(plain.encode("utf-16-le")) // 2 <= 4096  # Telegram's count
    escaped = plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert len(escaped) <= 3000  # Slack's section
    assert all(c in "\n\t" or c.isprintable() or not c.isascii() for c in plain)
    if len(text.strip()) <= PLAIN_LIMIT and text.isprintable():
        assert plain == (text.strip() or "…")
    elif plain.endswith(SHORTENED):
        assert plain[: -len(SHORTENED)].rstrip().endswith("…")
