"""A ``getUpdates`` batch on Telegram: each person's updates in their order, different people's at
once, a call for help first (adapters/telegram/batches.py), with the real python-telegram-bot
over real HTTP against the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fakes.telegram_api import FakeTelegram
from telegram import Update
from test_telegram import ALICE, SAM, press, running_bot, step

from adapters.telegram.batches import lanes
from bot.domain.codes import is_urgent_token
from bot.main.app import BotApp

PEOPLE = [1001 + n for n in range(6)]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations == []
        assert server.rate_limited == 0


def _sends_to(fake: FakeTelegram, chat: int) -> list[int]:
    """Where in the fake's log of calls each message to ``chat`` arrived."""
    return [
        at
        for at, (method, params) in enumerate(fake.calls)
        if method == "sendMessage" and str(params.get("chat_id")) == str(chat)
    ]


async def _reports(app: BotApp) -> list[Any]:
    async with app.store.transaction() as tx:
        cases = await tx.list_cases()
        return [(await tx.get_report(case.report_id)).body for case in cases]


async def test_each_persons_messages_in_one_batch_are_handled_in_their_order(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    async with running_bot(tmp_path / "tg.db", fake) as (app, _):
        for person in PEOPLE:
            await step(fake, person, "/start", "Only the safety team reads a report")
            await step(fake, person, "> I need help now", "Where are you right now?")
        # All in one batch: pushed without a pause, so the bot's next getUpdates takes them all.
        for person in PEOPLE:
            fake.push_message(person, f"at the main door {person}")
        for person in PEOPLE:
            fake.push_message(person, f"second thing {person}")
        for person in PEOPLE:
            await fake.wait_for(
                lambda p=person: any(
                    "Passed on to the safety team" in m["text"] for m in fake.messages(p)
                ),
                timeout=20,
                what="the second message passed on",
            )
        bodies = await _reports(app)
    for person in PEOPLE:
        # the first message is where they are, the second what they wrote after it
        (body,) = [b for b in bodies if any(str(person) in place for place in b.location_now)]
        assert body.location_now == [f"at the main door {person}"]
        assert any(f"second thing {person}" in said for said in body.account)


async def test_a_call_for_help_behind_others_in_a_batch_is_paged_before_their_replies(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    async with running_bot(tmp_path / "tg.db", fake):
        await step(fake, SAM, "/start", "Only the safety team reads a report")
        for person in PEOPLE:
            await step(fake, person, "/start", "Only the safety team reads a report")
        replied = {person: len(_sends_to(fake, person)) for person in PEOPLE}
        paged = len(_sends_to(fake, ALICE))
        # Everyone else writes first; the call for help is the last update of the same batch.
        for person in PEOPLE:
            fake.push_message(person, "/report")
        update = await press(fake, SAM, "I need help now")
        assert is_urgent_token(update["callback_query"]["data"])
        await fake.wait_for(
            lambda: (
                len(_sends_to(fake, ALICE)) > paged
                and all(len(_sends_to(fake, p)) > replied[p] for p in PEOPLE)
            ),
            timeout=20,
            what="the page and every reply",
        )
        page = _sends_to(fake, ALICE)[paged]
        first_replies = [_sends_to(fake, p)[replied[p]] for p in PEOPLE]
    assert page < min(first_replies)


def test_lanes_keep_each_chat_in_order_and_put_a_call_for_help_first() -> None:
    def message(update_id: int, user: int, chat: int) -> Update:
        raw = {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": chat, "type": "private" if chat == user else "group"},
                "from": {"id": user, "is_bot": False, "first_name": "P"},
                "text": "hi",
            },
        }
        return Update.de_json(raw, None)

    def pressed(update_id: int, user: int, data: str) -> Update:
        raw = {
            "update_id": update_id,
            "callback_query": {
                "id": f"q{update_id}",
                "chat_instance": "c",
                "data": data,
                "from": {"id": user, "is_bot": False, "first_name": "P"},
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": {"id": user, "type": "private"},
                },
            },
        }
        return Update.de_json(raw, None)

    batch = [
        message(1, 7, 7),
        message(2, 8, 8),
        message(3, 7, 7),
        message(4, 9, -5),  # in a group
        message(5, 8, -5),  # the same group, another sender: ties 8's lane to the group's
        pressed(6, 10, "!urgenttoken0000"),
        message(7, 8, 8),
        pressed(8, 11, "ordinarytoken000"),
    ]
    result = [[u.update_id for u in lane] for lane in lanes(batch)]
    assert result == [[6], [1, 3], [2, 4, 5, 7], [8]]
