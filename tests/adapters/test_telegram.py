"""The whole bot on Telegram: the real python-telegram-bot over real HTTP against a local fake
Bot API that checks every call against the official API description."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from fakes.telegram_api import FakeTelegram
from intake_steps import ACCOUNT, intake_steps
from support import ShiftedClock, case_code
from teams import chain_team

from adapters.telegram.runner import TelegramAdapter
from bot.main.app import BotApp
from bot.runtime.crypto import generate_key

SAM, ALICE, BOB, LENA = 555, 111, 222, 333
GROUP = -100500


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations == []
        assert server.rate_limited == 0


@asynccontextmanager
async def running_bot(
    path: Path, fake: FakeTelegram, **options: Any
) -> AsyncIterator[tuple[BotApp, TelegramAdapter]]:
    adapter = TelegramAdapter("123:ABC", fake.base_url, poll_timeout=1, **options)
    await adapter.start()
    app = BotApp(
        database=path,
        config=chain_team(wait="5m"),
        key=options.pop("key", None) or KEY,
        messengers=[adapter.messenger],
        clock=ShiftedClock(),
    )
    await app.start()
    task = asyncio.create_task(adapter.run(app))
    try:
        yield app, adapter
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await app.stop()
        await adapter.stop()


KEY = generate_key()


@pytest.fixture
async def bot(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[BotApp]:
    async with running_bot(tmp_path / "tg.db", fake) as (app, _):
        yield app


def texts(fake: FakeTelegram, chat: int) -> list[str]:
    return [m["text"] for m in fake.messages(chat)]


async def said(fake: FakeTelegram, chat: int, fragment: str, count: int = 1) -> dict[str, Any]:
    """Wait until a message containing ``fragment`` is in the chat; return the newest one."""
    await fake.wait_for(
        lambda: sum(fragment in t for t in texts(fake, chat)) >= count,
        timeout=10,
    )
    return [m for m in fake.messages(chat) if fragment in m["text"]][-1]


async def press(
    fake: FakeTelegram, user: int, label: str, chat: int | None = None
) -> dict[str, Any]:
    """Press the newest button with this label, once it is there: a long message's buttons come
    with its last part, which may still be on its way."""
    chat = chat or user

    def newest() -> tuple[int, str] | None:
        for message in reversed(fake.messages(chat)):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == label and "callback_data" in button:
                        return message["message_id"], button["callback_data"]
        return None

    message_id, data = await fake.wait_for(
        newest, timeout=10, what=f"a button {label!r} in chat {chat}"
    )
    return fake.push_callback(user, message_id, data, chat_id=chat)


async def step(fake: FakeTelegram, user: int, action: str, expect: str) -> dict[str, Any]:
    """Do one thing (press a label with "> ", else write text) and wait for the answer."""
    before = len(fake.messages(user))
    if action.startswith("> "):
        update = await press(fake, user, action[2:])
    else:
        update = fake.push_message(user, action)
    await fake.wait_for(
        lambda: (
            any(expect in t for t in texts(fake, user)[before:])
            or any(expect in m["text"] for m in fake.messages(user) if m.get("edit_count"))
        ),
        timeout=10,
    )
    return update


async def file_report(
    fake: FakeTelegram,
    user: int = SAM,
    *,
    account: str = ACCOUNT,
    when: str = "> Earlier today",
    who: str = "A tall person in a red jacket",
    witnesses: str = "> No one",
    outcome: str = "> Skip",
    sent: list[dict[str, Any]] | None = None,
) -> str:
    steps = intake_steps(account=account, when=when, who=who, witnesses=witnesses, outcome=outcome)
    for action, expect in steps:
        await step(fake, user, action, expect)
    update = await step(fake, user, "> Send report", "Your report is in")
    if sent is not None:
        sent.append(update)
    return case_code(next(t for t in texts(fake, user) if "Your report is in" in t))


async def test_report_page_acknowledge_and_summary_end_to_end(
    bot: BotApp, fake: FakeTelegram
) -> None:
    code = await file_report(fake, account="He cornered me by the lifts. SECRET-ACCOUNT-77")
    page = await said(fake, ALICE, code)
    assert "SECRET-ACCOUNT-77" in page["text"]
    labels = [b["text"] for row in page["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["Acknowledge", "Escalate"]
    await press(fake, ALICE, "Acknowledge")
    await said(fake, SAM, "has picked up your report")
    await fake.wait_for(lambda: fake.messages(ALICE)[0].get("edit_count", 0) >= 1)
    edited = fake.messages(ALICE)[0]
    assert "acknowledged by Alice" in edited["text"]
    assert not (edited.get("reply_markup") or {}).get("inline_keyboard")
    # The channel post is edited after the pages (pages go first), so wait for it too.
    await fake.wait_for(lambda: fake.messages(GROUP)[0].get("edit_count", 0) >= 1)
    channel_post = fake.messages(GROUP)[0]
    assert code in channel_post["text"] and "acknowledged by Alice" in channel_post["text"]
    assert channel_post.get("edit_count", 0) >= 1  # edited, not re-sent
    assert len([m for m in fake.messages(GROUP) if code in m["text"]]) == 1
    fake.push_message(LENA, "/summary", chat_id=GROUP, chat_type="supergroup")
    summary = await said(fake, GROUP, "summary at")
    assert "Open cases: 1 (1 acknowledged)" in summary["text"]
    for message in fake.messages(GROUP):
        assert "SECRET-ACCOUNT-77" not in message["text"]
    assert fake.calls_to("answerCallbackQuery")


async def test_a_report_started_in_the_group_is_sent_to_a_private_chat(
    bot: BotApp, fake: FakeTelegram
) -> None:
    fake.push_message(SAM, "/report", chat_id=GROUP, chat_type="supergroup")
    reply = await said(fake, GROUP, "private chat")
    assert reply["text"] == "Please write to me in a private chat."
    (button,) = [b for row in reply["reply_markup"]["inline_keyboard"] for b in row]
    assert button["url"] == "https://t.me/fsb_test_bot?start=report"
    fake.push_message(SAM, "/start report")  # the deep link opens the intake directly
    await said(fake, SAM, "are you in danger")


async def test_markup_in_every_free_text_field_is_shown_literally(
    bot: BotApp, fake: FakeTelegram
) -> None:
    code = await file_report(
        fake,
        account="<b>bold</b> & <script>alert(1)</script> &amp; <a href='x'>link</a>",
        when="<i>yesterday</i>",
        who="<tg-spoiler>someone</tg-spoiler>",
        witnesses="A & B <u>",
        outcome="<code>stop</code>",
    )
    page = await said(fake, ALICE, code)
    # what Alice sees is exactly what the reporter typed, markup and all
    shown = page["text"]
    assert "<b>bold</b> & <script>alert(1)</script> &amp; <a href='x'>link</a>" in shown
    assert "<i>yesterday</i>" in shown
    assert "<tg-spoiler>someone</tg-spoiler>" in shown
    assert "A & B <u>" in shown
    assert "<code>stop</code>" in shown
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in page["raw_text"]
    assert not [e for e in page.get("entities") or [] if e["type"] in ("spoiler", "text_link")]


async def test_rate_limit_and_server_error_then_success(bot: BotApp, fake: FakeTelegram) -> None:
    fake.fail_next("sendMessage", 429, retry_after=1, chat_id=ALICE)
    fake.fail_next("sendMessage", 500, chat_id=ALICE)
    code = await file_report(fake)
    page = await said(fake, ALICE, code)
    assert "A new report needs a safety contact." in page["text"]
    assert len([m for m in fake.messages(ALICE) if code in m["text"]]) == 1


async def test_a_contact_who_blocked_the_bot_moves_the_chain_on(
    bot: BotApp, fake: FakeTelegram
) -> None:
    fake.block(ALICE)
    code = await file_report(fake)
    page = await said(fake, BOB, code)  # at once, not after the 5 minute wait
    assert "Alice could not be reached." in page["text"]


async def test_the_same_update_delivered_twice_is_handled_once(
    tmp_path: Path, bot: BotApp, fake: FakeTelegram
) -> None:
    sent: list[dict[str, Any]] = []
    code = await file_report(fake, sent=sent)
    fake.redeliver(sent[0])
    fake.push_message(SAM, "/mycases")
    await said(fake, SAM, "Your reports")
    with sqlite3.connect(tmp_path / "tg.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 1
    assert len([m for m in fake.messages(ALICE) if code in m["text"]]) == 1


async def test_a_long_report_is_split_on_paragraph_boundaries_and_edited_whole(
    bot: BotApp, fake: FakeTelegram
) -> None:
    paragraph = "This went on for a long time and I did not know what to do. " * 33
    account = "\n\n".join(f"{n}. {paragraph}" for n in range(2))  # about 3700 characters
    code = await file_report(fake, account=account)
    await fake.wait_for(lambda: len([m for m in fake.messages(ALICE)]) >= 2)
    parts = fake.messages(ALICE)
    assert len(parts) == 2
    assert all(len(m["text"]) <= 4096 for m in parts)
    assert code in parts[0]["text"]
    assert "reply_markup" not in parts[0] or not parts[0]["reply_markup"]
    assert parts[1]["reply_markup"]["inline_keyboard"]  # the buttons come with the last part
    await press(fake, ALICE, "Acknowledge")
    await fake.wait_for(
        lambda: (
            len(fake.messages(ALICE)) >= 2 and "acknowledged by" in fake.messages(ALICE)[0]["text"]
        )
    )
    assert not any("A new report needs" in m["text"] for m in fake.messages(ALICE))


# Every menu the bot sets for the chain team: all private chats, each member with a Telegram id
# (Dora has none), the team channel.
MENU_SCOPES = ("all_private_chats", f"chat:{ALICE}", f"chat:{BOB}", f"chat:{LENA}", f"chat:{GROUP}")


def menu(fake: FakeTelegram, scope: str) -> list[str]:
    return [c["command"] for c in fake.commands[scope]]


async def test_commands_are_scoped_to_who_may_use_them(bot: BotApp, fake: FakeTelegram) -> None:
    # Wait for every menu, not for a number of calls: the last one may still be on its way.
    await fake.wait_for(lambda: all(scope in fake.commands for scope in MENU_SCOPES))
    private = menu(fake, "all_private_chats")
    assert "report" in private and "ack" not in private
    for member in (ALICE, BOB, LENA):
        assert menu(fake, f"chat:{member}") == menu(fake, f"chat:{ALICE}")
    alice = menu(fake, f"chat:{ALICE}")
    assert "ack" in alice and "report" in alice
    # the case commands that once were routed but missing from the members' menu
    assert {"status", "severity", "close", "reopen", "recuse"} <= set(alice)
    group = menu(fake, f"chat:{GROUP}")
    assert "summary" in group and "report" not in group


async def test_id_tells_the_chat_and_user_ids(bot: BotApp, fake: FakeTelegram) -> None:
    fake.push_message(777, "/id", chat_id=-100999, chat_type="supergroup")
    reply = await said(fake, -100999, "Your user id")
    assert "This chat's id: -100999" in reply["text"]
    assert "Your user id: 777" in reply["text"]


async def test_photos_documents_and_voice_notes_are_kept_with_the_case_as_file_ids(
    bot: BotApp, fake: FakeTelegram
) -> None:
    steps = intake_steps()
    # the account is files here: the steps before it, then those from "When did it happen" on
    before_account, after_account = steps[:6], steps[8:]
    for action, expect in before_account:
        await step(fake, SAM, action, expect)
    kept = "the file is kept with your report"
    photo = fake.push_photo(SAM, caption="The note he left on my bag")
    await said(fake, SAM, kept)
    document = fake.push_document(SAM, "messages.pdf")
    await said(fake, SAM, kept, count=2)
    voice = fake.push_voice(SAM)
    await said(fake, SAM, kept, count=3)
    await step(fake, SAM, "> Done", "When did it happen")
    fake.push_photo(SAM)  # not where a file belongs: refused kindly, nothing kept
    await said(fake, SAM, "I can keep files only with what happened")
    for action, expect in [*after_account, ("> Send report", "Your report is in")]:
        await step(fake, SAM, action, expect)
    page = await said(fake, ALICE, "Attachments: 3 kept with the case")
    assert "The note he left on my bag" in page["text"]
    code = case_code(page["text"])
    async with bot.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None
        report = await tx.get_report(case.report_id)
    assert report.body.attachments == [
        f"telegram:photo:{photo['message']['photo'][-1]['file_id']}",  # the largest size
        f"telegram:document:{document['message']['document']['file_id']}",
        f"telegram:voice:{voice['message']['voice']['file_id']}",
    ]


async def test_a_shared_location_answers_where_are_you(bot: BotApp, fake: FakeTelegram) -> None:
    await step(fake, SAM, "/start", "Only the safety team reads a report")
    await step(fake, SAM, "> I need help now", "Where are you right now?")
    fake.push_location(SAM, 48.2082, 16.3738)
    await said(fake, SAM, "passed on")
    await fake.wait_for(
        lambda: any(
            "Shared location: 48.20820, 16.37380" in m["text"] for m in fake.messages(ALICE)
        ),
    )


async def test_webhook_rejects_a_wrong_secret_and_serves_health(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = {
        "webhook_url": "https://bot.example.org/telegram-hook",
        "webhook_port": port,
        "webhook_secret": "right-secret",
        "webhook_host": "127.0.0.1",
    }
    async with running_bot(tmp_path / "wh.db", fake, **options):
        await fake.wait_for(lambda: bool(fake.calls_to("setWebhook")))
        params = fake.calls_to("setWebhook")[0]
        assert params["secret_token"] == "right-secret"
        url = f"http://127.0.0.1:{port}/telegram-hook"
        update = {
            "update_id": 9001,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": "/report",
                "chat": {"id": SAM, "type": "private"},
                "from": {"id": SAM, "is_bot": False, "first_name": "Sam"},
                "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
            },
        }
        status, _ = await fake.webhook_post(url, update, secret_token="wrong")
        assert status == 401
        status, _ = await fake.webhook_post(url, update, secret_token=None)
        assert status == 401
        # Refused before the core saw them (Telegram's answer waits for the commit): nothing
        # stored, so nothing can be sent later either.
        with sqlite3.connect(tmp_path / "wh.db") as conn:
            assert conn.execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 0
            assert conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 0
            assert conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0
        status, _ = await fake.webhook_post(url, update, secret_token="right-secret")
        assert status == 200
        await said(fake, SAM, "are you in danger")
        # the one accepted update's answer, nothing more
        assert sum("are you in danger" in t for t in texts(fake, SAM)) == 1
        import aiohttp

        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}/healthz") as response,
        ):
            assert response.status == 200


async def test_replying_to_a_case_message_adds_to_the_report(
    bot: BotApp, fake: FakeTelegram
) -> None:
    code = await file_report(fake)
    await press(fake, ALICE, "Acknowledge")
    picked = await said(fake, SAM, "has picked up your report")
    fake.push_message(SAM, "He is <b>here</b> again.", reply_to_message_id=picked["message_id"])
    forwarded = await said(fake, ALICE, "the reporter added")
    assert code in forwarded["text"] and "He is <b>here</b> again." in forwarded["text"]
    confirmation = next(m for m in fake.messages(SAM) if "Your report is in" in m["text"])
    fake.push_message(SAM, "And a second thing.", reply_to_message_id=confirmation["message_id"])
    await said(fake, ALICE, "And a second thing.")
    await said(fake, SAM, f"Added to {code}", count=2)


async def test_screen_a_registration_csv_sent_as_a_document(
    bot: BotApp, fake: FakeTelegram
) -> None:
    await step(fake, ALICE, '/person add "Jo Doe" User:JoD jo@example.org', "Added P-1")
    await step(fake, ALICE, "/person flag P-1 banned until 2027-08-14", "is flagged banned")
    csv_bytes = (
        "Name;Wiki username;E-mail\nAnn Example;AnnE;ann@example.org\nJ. Doe;JoD;jd@example.net\n"
    ).encode("utf-8-sig")
    # a participant's /screen file is never downloaded
    fake.push_document(SAM, "list.csv", mime_type="text/csv", caption="/screen", data=csv_bytes)
    await said(fake, SAM, "That is for the safety team")
    assert not any(method == "getFile" for method, _ in fake.calls)
    fake.push_document(LENA, "list.csv", mime_type="text/csv", caption="/screen", data=csv_bytes)
    answer = (await said(fake, LENA, "Screening:"))["text"]
    assert "2 registrations checked against 1 flagged person. 1 match:" in answer
    assert "line 3 (Wiki username JoD): banned until 2027-08-14, no case you can open" in answer
    assert [method for method, _ in fake.calls].count("getFile") == 1
