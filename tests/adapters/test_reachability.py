"""Contacts who come back, and a page that lists each skipped person once, on Telegram: the real
python-telegram-bot over real HTTP against the fake Bot API (the harness of
tests/adapters/test_telegram.py).

A member marked unreachable (blocked the bot, never started it) becomes reachable again as soon
as they write to the bot, a message to them goes through, or Telegram says they are back
(``my_chat_member``).
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import Harness
from teams import chain_team
from test_telegram import ALICE, BOB, LENA, file_report, press, running_bot, said, texts

from bot.domain.model import PlatformUser
from bot.main.app import BotApp
from bot.ports.events import Inbound
from bot.ports.platform import DeliveryError

KIM = 556


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


def unreachable(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT user_id FROM identities WHERE unreachable_since IS NOT NULL")
        return {row[0] for row in rows}


def pages_to(fake: FakeTelegram, chat: int, code: str) -> list[str]:
    return [t for t in texts(fake, chat) if code in t and "needs a safety contact" in t]


async def test_a_contact_who_unblocks_and_writes_start_is_paged_for_the_next_report(
    tmp_path: Path, bot: BotApp, fake: FakeTelegram
) -> None:
    # Alice is on duty. She blocks the bot; a report comes: she is rightly skipped.
    fake.block(ALICE)
    first = await file_report(fake)
    page = await said(fake, BOB, first)
    assert "Alice could not be reached." in page["text"]
    assert unreachable(tmp_path / "tg.db") == {str(ALICE)}
    # She unblocks and sends /start (nothing else: no membership update).
    fake.unblock(ALICE)
    fake.push_message(ALICE, "/start", first_name="Alice")
    await said(fake, ALICE, "Only the safety team reads a report")
    assert unreachable(tmp_path / "tg.db") == set()
    # A second report pages her, and only her: she is on duty.
    second = await file_report(fake, KIM)
    await said(fake, ALICE, second)
    assert pages_to(fake, BOB, second) == []


async def test_writing_to_the_bot_is_enough_even_before_a_reply_reaches_her(
    tmp_path: Path, bot: BotApp, fake: FakeTelegram
) -> None:
    fake.push_my_chat_member(ALICE, "kicked", first_name="Alice")
    await fake.wait_for(lambda: unreachable(tmp_path / "tg.db") == {str(ALICE)}, timeout=10)
    fake.unblock(ALICE)
    fake.fail_next("sendMessage", 500, chat_id=ALICE, times=1000)  # no answer gets through
    fake.push_message(ALICE, "/start", first_name="Alice")
    await fake.wait_for(lambda: unreachable(tmp_path / "tg.db") == set(), timeout=10)
    assert texts(fake, ALICE) == []


async def test_a_message_that_reaches_a_contact_makes_them_reachable_again(
    tmp_path: Path, bot: BotApp, fake: FakeTelegram
) -> None:
    first = await file_report(fake)
    await said(fake, ALICE, first)
    fake.block(ALICE)
    second = await file_report(fake, KIM)
    await said(fake, BOB, second)  # Alice's page bounced: the chain moved on at once
    assert unreachable(tmp_path / "tg.db") == {str(ALICE)}
    fake.unblock(ALICE)  # she says nothing to the bot
    # Bob takes the first case: Alice's page about it is edited, and that edit goes through.
    fake.push_message(BOB, f"/ack {first}", first_name="Bob")
    await fake.wait_for(
        lambda: any("acknowledged by Bob" in t for t in texts(fake, ALICE)), timeout=10
    )
    await fake.wait_for(lambda: unreachable(tmp_path / "tg.db") == set(), timeout=10)
    third = await file_report(fake, 557)
    await said(fake, ALICE, third)


async def test_telegram_saying_she_blocked_and_came_back_is_enough(
    tmp_path: Path, bot: BotApp, fake: FakeTelegram
) -> None:
    # Telegram's my_chat_member update: she blocked the bot. No page has to bounce first.
    fake.push_my_chat_member(ALICE, "kicked", first_name="Alice")
    await fake.wait_for(lambda: unreachable(tmp_path / "tg.db") == {str(ALICE)}, timeout=10)
    first = await file_report(fake)
    page = await said(fake, BOB, first)
    assert "Alice could not be reached." in page["text"]
    assert not [c for c in fake.calls_to("sendMessage") if c["chat_id"] == ALICE]
    # She starts the bot again: Telegram says so, and she is paged for the next report.
    fake.push_my_chat_member(ALICE, "member", first_name="Alice")
    await fake.wait_for(lambda: unreachable(tmp_path / "tg.db") == set(), timeout=10)
    second = await file_report(fake, KIM)
    await said(fake, ALICE, second)
    assert texts(fake, ALICE) == [next(t for t in texts(fake, ALICE) if second in t)]


async def test_the_next_page_after_skips_names_each_skipped_person_once(
    tmp_path: Path, bot: BotApp, fake: FakeTelegram
) -> None:
    # Alice (on duty, and a safety contact) and Bob blocked the bot; Dora has no platform id.
    # The on-duty step skips Alice, the safety-contacts step skips her again with Bob and Dora,
    # and the leads' page says so: each of them once.
    for contact in (ALICE, BOB):
        fake.push_my_chat_member(contact, "kicked")
    await fake.wait_for(lambda: len(unreachable(tmp_path / "tg.db")) == 2, timeout=10)
    code = await file_report(fake)
    page = (await said(fake, LENA, code))["text"]
    for name in ("Alice", "Bob", "Dora"):
        assert page.count(f"{name} could not be reached.") == 1, page
    await press(fake, LENA, "Acknowledge")
    await said(fake, LENA, "acknowledged by Lena")


# -- the kind, beyond the given inputs: any order of blocking, coming back and reports ---------

BLOCKED = DeliveryError("telegram 403 blocked", unreachable=True)
CONTACTS = ["111", "222", "333"]  # Alice (on duty), Bob, Lena (lead); Dora has no platform id


def membership(bot: Harness, who: str, state: str) -> Inbound:
    """Telegram's my_chat_member as the adapter passes it on."""
    return Inbound(PlatformUser("telegram", who, who), who, True, membership=state)


async def _known_unreachable(bot: Harness) -> set[str]:
    async with bot.app.store.transaction() as tx:
        return {chat for platform, chat in await tx.unreachable() if platform == "telegram"}


operation = st.tuples(
    st.sampled_from(["blocks", "left", "joined", "writes", "report"]), st.sampled_from(CONTACTS)
)


async def _play_reachability(path: Path, ops: list[tuple[str, str]]) -> None:
    bot = Harness(path, config=chain_team(wait="5s"), platform="telegram")
    await bot.start()
    known: set[str] = set()  # whom the bot should hold unreachable
    try:
        for number, (kind, who) in enumerate(ops):
            if kind == "blocks":  # silently: the bot learns of it from a bounce
                bot.platform.fail_for[who] = BLOCKED
            elif kind == "left":
                bot.platform.fail_for[who] = BLOCKED
                await bot.app.handle(membership(bot, who, "left"))
                known.add(who)
            elif kind == "joined":
                bot.platform.fail_for.pop(who, None)
                await bot.app.handle(membership(bot, who, "member"))
                known.discard(who)
            elif kind == "writes":
                bot.platform.fail_for.pop(who, None)
                await bot.say(who, "/start")
                known.discard(who)
            else:  # a report, and its chain run to the end: everyone is paged in turn
                code = await bot.file_report(f"p{number}")
                if "111" not in known and "111" not in bot.platform.fail_for:
                    assert any(code in s.text for s in bot.platform.chat("111"))
                for _ in range(8):
                    await bot.advance(5)
                known |= set(bot.platform.fail_for)  # their pages bounced
            await bot.app.flush()
            assert await _known_unreachable(bot) == known, (kind, who)
    finally:
        await bot.stop()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops=st.lists(operation, max_size=8))
def test_unreachable_exactly_while_the_bot_has_heard_nothing_since_the_refusal(
    ops: list[tuple[str, str]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_play_reachability(Path(folder) / "r.db", ops))


async def _play_skips(path: Path, left: list[str], bouncing: list[str], critical: bool) -> None:
    bot = Harness(path, config=chain_team(wait="5s", repeat=1), platform="telegram")
    await bot.start()
    try:
        for who in left:
            bot.platform.fail_for[who] = BLOCKED
            await bot.app.handle(membership(bot, who, "left"))
        for who in bouncing:
            bot.platform.fail_for[who] = BLOCKED
        if critical:
            await bot.say("sam", "/start")
            await bot.press("sam", "I need help now")
        else:
            await bot.file_report()
        for _ in range(8):
            await bot.advance(5)
        for shown in bot.platform.shown:
            notes = [line for line in shown.text.splitlines() if "could not be" in line]
            assert len(notes) == len(set(notes)), shown.text
            names = [line.split(" could not")[0] for line in notes]
            assert len(names) == len(set(names)), shown.text
    finally:
        await bot.stop()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    blocked=st.lists(st.sampled_from(CONTACTS), unique=True),
    known=st.booleans(),
    critical=st.booleans(),
)
def test_every_page_names_each_skipped_person_at_most_once(
    blocked: list[str], known: bool, critical: bool
) -> None:
    left, bouncing = (blocked, []) if known else ([], blocked)
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_play_skips(Path(folder) / "s.db", left, bouncing, critical))
