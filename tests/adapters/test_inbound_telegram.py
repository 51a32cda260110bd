"""What people send on Telegram, through the real python-telegram-bot against the fake Bot API:
edits of what they wrote, forwarded messages, the longest messages and long pastes, text that is
not valid Unicode, and messages with no words."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fakes.telegram_api import FakeTelegram, _utf16_len
from intake_steps import ACCOUNT, intake_steps
from support import case_code
from test_telegram import ALICE, SAM, press, running_bot, said, step, texts

from bot.domain.model import Report
from bot.main.app import BotApp


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations == []


@pytest.fixture
async def bot(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[BotApp]:
    async with running_bot(tmp_path / "tg.db", fake) as (app, _):
        yield app


FIRST_SENT = 1_786_000_000  # when the forwarded messages were first sent
FIRST_SENT_WORDS = datetime.fromtimestamp(FIRST_SENT, UTC).strftime("%a %d %b %H:%M")


async def report_of(bot: BotApp, code: str) -> Report:
    async with bot.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None
        return await tx.get_report(case.report_id)


async def trail(bot: BotApp, code: str) -> list[tuple[str, str, dict[str, Any]]]:
    async with bot.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None
        return [(e.actor, e.kind, e.detail) for e in await tx.audit_for(case.id)]


def index_of(steps: list[tuple[str, str]], action: str) -> int:
    """Where ``action`` is in the intake, so a test does not count the questions before it."""
    return [done for done, _ in steps].index(action)


async def intake(fake: FakeTelegram, **answers: str) -> dict[str, dict[str, Any]]:
    """Go through the intake up to the summary; return each action's update, by action."""
    sent: dict[str, dict[str, Any]] = {}
    for action, expect in intake_steps(**answers):
        sent[action] = await step(fake, SAM, action, expect)
    return sent


async def send(fake: FakeTelegram) -> str:
    await step(fake, SAM, "> Send report", "Your report is in")
    return case_code(next(t for t in texts(fake, SAM) if "Your report is in" in t))


def chat_now(fake: FakeTelegram, chat: int) -> list[tuple[str, int]]:
    """The chat's messages as they read now: text and how many times each was edited."""
    return [(m["text"], m.get("edit_count", 0)) for m in fake.messages(chat)]


# -- edits ------------------------------------------------------------------------------------


async def test_an_edit_while_writing_is_shown_corrected_beside_what_was_first_written(
    bot: BotApp, fake: FakeTelegram
) -> None:
    sent = await intake(fake, account="He grabbed my arm at the party.", who="Jo from the bar")
    fake.edit_message(sent["He grabbed my arm at the party."], "He grabbed my wrist at the party.")
    await said(fake, SAM, "I've changed that in your report (What happened)")
    summary = await said(fake, SAM, "Here is your report", count=2)  # shown again, up to date
    assert "He grabbed my wrist at the party." in summary["text"]
    assert "arm" not in summary["text"]
    fake.edit_message(sent["Jo from the bar"], "Jo Doe from the bar")
    await said(fake, SAM, "I've changed that in your report (Who was involved)")
    code = await send(fake)
    page = (await said(fake, ALICE, code))["text"]
    assert "He grabbed my wrist at the party. (corrected by the reporter Wed " in page
    assert "first written: He grabbed my arm at the party.)" in page
    assert "Who was involved: Jo Doe from the bar (corrected by the reporter" in page
    assert "first written: Jo from the bar)" in page
    kinds = [(actor, kind, detail) for actor, kind, detail in await trail(bot, code)]
    assert ("reporter", "corrected_before_sending", {"part": "What happened"}) in kinds
    assert ("reporter", "corrected_before_sending", {"part": "Who was involved"}) in kinds
    body = (await report_of(bot, code)).body
    assert (
        body.account == ["He grabbed my wrist at the party."] and body.who == "Jo Doe from the bar"
    )
    await press(fake, ALICE, "Acknowledge")
    await said(fake, SAM, "has picked up your report")
    fake.push_message(ALICE, f"/case {code}")
    shown = (await said(fake, ALICE, "corrected before sending"))["text"]
    assert "corrected before sending · reporter (What happened)" in shown


async def test_an_edit_after_sending_reaches_the_pages_then_the_handler_and_is_audited(
    bot: BotApp, fake: FakeTelegram
) -> None:
    sent = await intake(fake, account="It was by the lifts on floor 2.")
    code = await send(fake)
    await said(fake, ALICE, code)
    fake.edit_message(sent["It was by the lifts on floor 2."], "It was by the lifts on floor 3.")
    await said(fake, SAM, f"I've added your correction to {code}")
    # nobody has taken it yet: the waiting page itself now shows the correction
    await fake.wait_for(lambda: "floor 3" in fake.messages(ALICE)[0]["text"])
    page = fake.messages(ALICE)[0]["text"]
    assert "The reporter corrected what they wrote." in page
    assert "first written: It was by the lifts on floor 2.)" in page
    await press(fake, ALICE, "Acknowledge")
    await said(fake, SAM, "has picked up your report")
    fake.edit_message(sent["It was by the lifts on floor 2."], "By the lifts on floor 3, at 9pm.")
    told = (await said(fake, ALICE, "the reporter corrected what they wrote"))["text"]
    assert "(What happened):\nBy the lifts on floor 3, at 9pm." in told
    assert "It first said:\nIt was by the lifts on floor 2." in told
    kinds = [kind for _, kind, _ in await trail(bot, code)]
    assert kinds.count("reporter_corrected") == 2
    pieces = (await report_of(bot, code)).body.pieces
    (account,) = [p for p in pieces if p["field"] == "account"]
    assert account["original"] == "It was by the lifts on floor 2."
    assert [c["text"] for c in account["corrections"]] == [
        "It was by the lifts on floor 3.",
        "By the lifts on floor 3, at 9pm.",
    ]


async def test_an_edit_of_an_addition_or_a_reply_corrects_it_too(
    bot: BotApp, fake: FakeTelegram
) -> None:
    await intake(fake)
    code = await send(fake)
    await press(fake, ALICE, "Acknowledge")
    picked = await said(fake, SAM, "has picked up your report")
    reply = fake.push_message(
        SAM, "He was there again at 6.", reply_to_message_id=picked["message_id"]
    )
    await said(fake, ALICE, "He was there again at 6.")
    fake.edit_message(reply, "He was there again at 7.")
    told = (await said(fake, ALICE, "the reporter corrected what they wrote"))["text"]
    assert "He was there again at 7." in told and "It first said:\nHe was there again at 6." in told
    assert (await report_of(bot, code)).body.account[-1] == "He was there again at 7."


async def test_edits_of_anything_else_change_nothing_and_are_passed_over_quietly(
    bot: BotApp, fake: FakeTelegram
) -> None:
    hello = fake.push_message(SAM, "/start")
    await said(fake, SAM, "Only the safety team reads a report")
    command = fake.push_message(SAM, "/mycases")
    await said(fake, SAM, "You have no reports I can show")
    before = chat_now(fake, SAM)
    fake.edit_message(hello, "/report")  # an edit is never a new command
    fake.edit_message(command, "/start")
    # Updates are handled in order, and a chat's answers sent in order: once this is answered,
    # anything said about the two edits would already be in the chat.
    fake.push_message(SAM, "/mycases")
    await said(fake, SAM, "You have no reports I can show", count=2)
    after = chat_now(fake, SAM)
    assert after[: len(before)] == before  # nothing edited either
    assert len(after) == len(before) + 1


async def test_an_edit_of_a_closed_report_is_answered_and_changes_nothing(
    bot: BotApp, fake: FakeTelegram
) -> None:
    sent = await intake(fake, account="Someone took photos of me.")
    code = await send(fake)
    await press(fake, ALICE, "Acknowledge")
    fake.push_message(ALICE, f"/resolve {code} warning spoke to them")
    await said(fake, ALICE, "is now resolved")
    fake.push_message(ALICE, f"/close {code}")
    await said(fake, ALICE, "is now closed")
    fake.edit_message(sent["Someone took photos of me."], "Someone took photos of me twice.")
    await said(fake, SAM, f"{code} is closed, so your change was not added")
    assert (await report_of(bot, code)).body.account == ["Someone took photos of me."]


# -- forwards ---------------------------------------------------------------------------------


async def test_forwarded_messages_are_evidence_with_their_origin_never_the_reporters_words(
    bot: BotApp, fake: FakeTelegram
) -> None:
    steps = intake_steps(account="He keeps writing to me after I blocked him elsewhere.")
    account_at = index_of(steps, "He keeps writing to me after I blocked him elsewhere.")
    who_at = index_of(steps, "A tall person in a red jacket")
    for action, expect in steps[: account_at + 1]:  # up to and including the first account message
        await step(fake, SAM, action, expect)
    origins = [
        fake.origin_user(777, "Jo", last_name="Doe", username="jodoe", date=FIRST_SENT),
        fake.origin_hidden_user("Jo D.", date=FIRST_SENT),
        fake.origin_channel(
            -1009, "Event gossip", username="eventgossip", author_signature="Kim", date=FIRST_SENT
        ),
    ]
    for n, origin in enumerate(origins, start=2):
        fake.push_message(SAM, f"you can't avoid me forever ({n})", forward_origin=origin)
        await said(fake, SAM, "Add more if you like", count=n)
    for action, expect in steps[account_at + 1 : who_at]:  # Done, when, where: "Who was involved?"
        await step(fake, SAM, action, expect)
    # a forward while another question is asked is kept with what happened, and asked again
    fake.push_message(SAM, "see you tonight", forward_origin=fake.origin_hidden_user("Jo D."))
    await said(fake, SAM, "I've kept that forwarded message with what happened")
    await said(fake, SAM, "Who was involved", count=2)
    for action, expect in steps[who_at:]:
        await step(fake, SAM, action, expect)
    summary = fake.messages(SAM)[-1]["text"]
    assert f"Forwarded message from Jo Doe (@jodoe), first sent {FIRST_SENT_WORDS}:" in summary
    code = await send(fake)
    page = (await said(fake, ALICE, code))["text"]
    lines = page.split("\n")
    start = lines.index("What happened:")
    assert lines[start + 1 : start + 6] == [
        "  He keeps writing to me after I blocked him elsewhere.",
        f"  Forwarded message from Jo Doe (@jodoe), first sent {FIRST_SENT_WORDS}:"
        " you can't avoid me forever (2)",
        "  Forwarded message from Jo D. (their account is hidden), first sent"
        f" {FIRST_SENT_WORDS}: you can't avoid me forever (3)",
        "  Forwarded message from the channel Event gossip (@eventgossip), signed Kim, first"
        f" sent {FIRST_SENT_WORDS}: you can't avoid me forever (4)",
        "  Forwarded message from Jo D. (their account is hidden), first sent"
        f" {FIRST_SENT_WORDS}: see you tonight",
    ]
    assert "Who was involved: A tall person in a red jacket" in page


async def test_a_forward_while_identity_or_contact_is_asked_is_kept_never_taken_as_the_answer(
    bot: BotApp, fake: FakeTelegram
) -> None:
    """Identity and contact come before the account (issue 15): a forward then is evidence all
    the same, and a contact typed there can be corrected like any other answer."""
    steps = intake_steps(contact="jo@example.org")
    identity_at = index_of(steps, "> Pseudonymous")
    for action, expect in steps[:identity_at]:
        await step(fake, SAM, action, expect)
    hidden = fake.origin_hidden_user("Jo D.", date=FIRST_SENT)
    fake.push_message(SAM, "I know where you sleep (1)", forward_origin=hidden)
    await said(fake, SAM, "I've kept that forwarded message with what happened")
    await said(fake, SAM, "How identifiable", count=2)
    await step(fake, SAM, *steps[identity_at])
    fake.push_message(SAM, "I know where you sleep (2)", forward_origin=hidden)
    await said(fake, SAM, "I've kept that forwarded message with what happened", count=2)
    await said(fake, SAM, "How may the safety team contact you", count=2)
    typed = await step(fake, SAM, *steps[identity_at + 1])  # the e-mail address
    fake.edit_message(typed, "jo.doe@example.org")
    await said(fake, SAM, "I've changed that in your report (Contact)")
    for action, expect in steps[identity_at + 2 :]:
        await step(fake, SAM, action, expect)
    code = await send(fake)
    body = (await report_of(bot, code)).body
    assert body.disclosure == "pseudonymous" and body.contact == "jo.doe@example.org"
    assert body.account == ["I know where you sleep (1)", "I know where you sleep (2)", ACCOUNT]
    page = (await said(fake, ALICE, code))["text"]
    for n in (1, 2):
        assert (
            f"  Forwarded message from Jo D. (their account is hidden), first sent"
            f" {FIRST_SENT_WORDS}: I know where you sleep ({n})"
        ) in page
    assert f"  {ACCOUNT}" in page


async def test_a_forward_added_to_a_sent_report_reaches_the_handler_marked_as_forwarded(
    bot: BotApp, fake: FakeTelegram
) -> None:
    await intake(fake)
    code = await send(fake)
    await press(fake, ALICE, "Acknowledge")
    await said(fake, SAM, "has picked up your report")
    fake.push_message(SAM, "/mycases")
    await press(fake, SAM, f"Add to my report {code}")
    await said(fake, SAM, "Write what you want to add")
    origin = fake.origin_user(777, "Jo", username="jodoe", date=FIRST_SENT)
    fake.push_message(SAM, "delete your report or else", forward_origin=origin)
    told = (await said(fake, ALICE, "the reporter added"))["text"]
    assert told == (
        f"{code} · the reporter added:\nForwarded message from Jo (@jodoe), first sent"
        f" {FIRST_SENT_WORDS}:\ndelete your report or else"
    )
    fake.push_message(ALICE, f"/case {code}")
    shown = (await said(fake, ALICE, " · viewed · Alice"))["text"]  # /case and its timeline
    assert f"first sent {FIRST_SENT_WORDS}: delete your report or else" in shown


# -- sizes ------------------------------------------------------------------------------------


def page_text(fake: FakeTelegram, code: str) -> str:
    """Every part of the page about ``code`` (a long page comes in several messages)."""
    parts = fake.messages(ALICE)
    first = next(i for i, m in enumerate(parts) if code in m["text"])
    return "".join(m["text"] for m in parts[first:])


async def test_the_longest_message_telegram_delivers_is_kept_whole(
    bot: BotApp, fake: FakeTelegram
) -> None:
    longest = ("Grüße aus Köln, ñandú, 東京 " * 200)[:4096]  # 4096 characters, 4096 UTF-16 units
    assert len(longest) == _utf16_len(longest) == 4096
    await intake(fake, account=longest)
    code = await send(fake)
    await fake.wait_for(lambda: "Acknowledge" in str(fake.messages(ALICE)[-1]["reply_markup"]))
    assert longest in page_text(fake, code)
    assert (await report_of(bot, code)).body.account == [longest.strip()]


async def test_a_message_of_4096_utf16_units_with_emoji_is_kept_whole_and_shown_within_limits(
    bot: BotApp, fake: FakeTelegram
) -> None:
    # 1000 emoji count 2000 units and a family emoji 11: Telegram's own limit, exactly
    emoji = "👍🏽 I was scared 😟, " * 100 + "👨‍👩‍👧"
    longest = emoji + "x" * (4096 - _utf16_len(emoji))
    assert _utf16_len(longest) == 4096 and len(longest) < 4096
    await intake(fake, account=longest)
    code = await send(fake)
    await fake.wait_for(lambda: "Acknowledge" in str(fake.messages(ALICE)[-1]["reply_markup"]))
    assert longest in page_text(fake, code)  # every part was within Telegram's 4096 units


async def test_a_long_paste_in_several_messages_is_kept_whole_in_order(
    bot: BotApp, fake: FakeTelegram
) -> None:
    paste = " ".join(f"Sentence {n} of what happened that night." for n in range(700))
    steps = intake_steps()
    account_at = index_of(steps, ACCOUNT)
    for action, expect in steps[:account_at]:
        await step(fake, SAM, action, expect)
    pieces = fake.push_paste(SAM, paste)
    assert len(pieces) == 8
    await said(fake, SAM, "Add more if you like", count=len(pieces))
    for action, expect in steps[account_at + 1 :]:
        await step(fake, SAM, action, expect)
    code = await send(fake)
    account = (await report_of(bot, code)).body.account
    assert account == [p["message"]["text"].strip() for p in pieces]
    assert " ".join(account) == paste
    await fake.wait_for(lambda: "Acknowledge" in str(fake.messages(ALICE)[-1]["reply_markup"]))
    shown = page_text(fake, code)
    assert [shown.find(part) for part in account] == sorted(shown.find(part) for part in account)
    assert all(part in shown for part in account)


async def button_press(
    fake: FakeTelegram, user: int, label: str, first_name: str = "Sam"
) -> dict[str, Any]:
    """Press the newest button labelled ``label`` once it is shown, as ``first_name``."""

    def newest() -> tuple[int, str] | None:
        for message in reversed(fake.messages(user)):
            for row in (message["reply_markup"] or {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == label and "callback_data" in button:
                        return message["message_id"], button["callback_data"]
        return None

    message_id, data = await fake.wait_for(newest, timeout=10, what=f"a button {label!r}")
    return fake.push_callback(user, message_id, data, first_name=first_name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_pieces_of_a_paste_that_arrive_out_of_order_are_kept_in_the_order_written(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """A webhook may deliver several updates at once; the order written is the messages' ids."""
    port = _free_port()
    secret = "s3cret"
    options = {
        "webhook_url": "https://bot.example.org/hook",
        "webhook_port": port,
        "webhook_secret": secret,
        "webhook_host": "127.0.0.1",
    }
    url = f"http://127.0.0.1:{port}/hook"
    async with running_bot(tmp_path / "wh.db", fake, **options) as (app, _):
        await fake.wait_for(lambda: bool(fake.calls_to("setWebhook")))

        async def deliver(update: dict[str, Any]) -> None:
            status, _ = await fake.webhook_post(url, update, secret_token=secret)
            assert status == 200

        async def answer(label: str) -> None:
            await deliver(await button_press(fake, SAM, label))

        await deliver(fake.push_message(SAM, "/report"))
        await said(fake, SAM, "are you in danger")
        for label in ("No", "It happened to me", "Pseudonymous", "Message me here"):
            await answer(label)
        await said(fake, SAM, "In your own words")
        paste = " ".join(f"Line {n}: he would not let me pass." for n in range(350))
        pieces = fake.push_paste(SAM, paste)
        assert len(pieces) == 4
        for piece in reversed(pieces):  # the last written arrives first
            await deliver(piece)
        await said(fake, SAM, "Add more if you like", count=4)
        await answer("Done")
        await said(fake, SAM, "When did it happen")
        for label in ("Earlier today", "At the event venue"):
            await answer(label)
        await said(fake, SAM, "Who was involved")
        await deliver(fake.push_message(SAM, "Someone"))
        await said(fake, SAM, "connected to the event")
        for label in ("A participant", "No one"):
            await answer(label)
        await said(fake, SAM, "anyone on the safety team")
        await answer("Done")
        await answer("Skip")
        await said(fake, SAM, "Here is your report")
        await answer("Send report")
        code = case_code((await said(fake, SAM, "Your report is in"))["text"])
        account = (await report_of(app, code)).body.account
        assert account == [p["message"]["text"].strip() for p in pieces]


# -- text that is not valid, and no text at all -----------------------------------------------


async def test_a_lone_surrogate_nul_and_control_characters_are_cleaned_and_the_report_goes_through(
    bot: BotApp, fake: FakeTelegram
) -> None:
    account = "He said \ud800 something\x00 and\x07 left.\r\nThen\x1b[31m he came back\x7f."
    await intake(fake, account=account, who="Jo\x00 \udfff Doe")
    code = await send(fake)
    page = (await said(fake, ALICE, code))["text"]
    assert "He said \ufffd something and left.\nThen[31m he came back." in page
    assert "Who was involved: Jo \ufffd Doe" in page
    body = (await report_of(bot, code)).body
    assert body.account == ["He said \ufffd something and left.\nThen[31m he came back."]
    assert fake.violations == []


async def test_a_name_that_is_not_valid_text_is_cleaned_too(
    bot: BotApp, fake: FakeTelegram
) -> None:
    name = "Sam\ud83d\x00"  # half an emoji, then NUL
    fake.push_message(SAM, "/start", first_name=name)
    await said(fake, SAM, "Only the safety team reads a report")
    await button_press(fake, SAM, "I need help now", first_name=name)
    await said(fake, SAM, "Where are you right now?")
    page = (await said(fake, ALICE, "someone needs help now"))["text"]
    assert "Identity: Sam\ufffd on telegram (id 555)" in page


async def test_a_message_with_no_words_gets_a_kind_answer_and_the_question_again(
    bot: BotApp, fake: FakeTelegram
) -> None:
    steps = intake_steps()
    account_at = index_of(steps, ACCOUNT)
    who_at = index_of(steps, "A tall person in a red jacket")
    for action, expect in steps[:account_at]:
        await step(fake, SAM, action, expect)
    fake.push_message(SAM, "   \n\t  ")
    await said(fake, SAM, "I couldn't find any words in that message, so nothing was added.")
    await said(fake, SAM, "In your own words", count=2)
    for action, expect in steps[account_at:who_at]:
        await step(fake, SAM, action, expect)
    fake.push_message(SAM, " \u3000 ")  # an ideographic space is a space too
    await said(fake, SAM, "I couldn't find any words", count=2)
    await said(fake, SAM, "Who was involved", count=2)
    for action, expect in steps[who_at:]:
        await step(fake, SAM, action, expect)
    code = await send(fake)
    assert (await report_of(bot, code)).body.who == "A tall person in a red jacket"


async def test_a_message_with_no_words_gets_an_answer_when_adding_and_when_in_danger(
    bot: BotApp, fake: FakeTelegram
) -> None:
    await intake(fake)
    code = await send(fake)
    fake.push_message(SAM, "/mycases")
    await press(fake, SAM, f"Add to my report {code}")
    await said(fake, SAM, "Write what you want to add")
    fake.push_message(SAM, "  ")
    await said(fake, SAM, "nothing was added. Write what you want to add, or press Done.")
    await press(fake, SAM, "Done")
    await said(fake, SAM, "Thank you. You can add more at any time")
    fake.push_message(SAM, "/start")
    await step(fake, SAM, "> I need help now", "Where are you right now?")
    fake.push_message(SAM, "\t")
    await said(fake, SAM, "nothing was added. Where are you right now?")
    fake.push_message(SAM, "By the stairs")
    await said(fake, SAM, "that has been passed on")


async def test_an_edited_caption_of_a_file_corrects_the_words_kept_with_it(
    bot: BotApp, fake: FakeTelegram
) -> None:
    steps = intake_steps()
    account_at = index_of(steps, ACCOUNT)
    for action, expect in steps[:account_at]:
        await step(fake, SAM, action, expect)
    photo = fake.push_photo(SAM, caption="The note he left on my bag")
    await said(fake, SAM, "the file is kept with your report")
    fake.edit_message(photo, "The note he left on my bag on Tuesday")
    await said(fake, SAM, "I've changed that in your report (What happened)")
    for action, expect in steps[account_at + 1 :]:
        await step(fake, SAM, action, expect)
    code = await send(fake)
    page = (await said(fake, ALICE, code))["text"]
    assert "The note he left on my bag on Tuesday (corrected by the reporter" in page
    assert "Attachments: 1 kept with the case" in page


async def test_a_note_as_long_as_a_telegram_message_is_kept(
    bot: BotApp, fake: FakeTelegram
) -> None:
    await intake(fake)
    code = await send(fake)
    await press(fake, ALICE, "Acknowledge")
    await said(fake, SAM, "has picked up your report")
    command = f"/note {code} "
    note = ("Spoke with the venue; they will check the cameras. " * 80)[: 4096 - len(command)]
    fake.push_message(ALICE, command + note)
    await said(fake, ALICE, f"Noted on {code}")
    async with bot.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None
        notes = [e.detail["text"] for e in await tx.audit_for(case.id) if e.kind == "note"]
    assert notes == [note.strip()]
