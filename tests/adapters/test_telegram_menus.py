"""Telegram's command menus: one per audience, made from the one declaration of the commands, and
a refused ``setMyCommands`` call never stops the others (nor the bot)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram
from test_telegram import ALICE, BOB, GROUP, LENA, MENU_SCOPES, SAM, menu, running_bot, said

from bot.text.commands import Audience, offered_to

PRIVATE_CHATS = None  # fail_next without a chat: the first call, the participants' menu

# (the scope refused, the chat fail_next aims at, status, description), one or more per case
REFUSALS: dict[str, list[tuple[str, int | None, int, str | None]]] = {
    "a member never started the bot": [
        (f"chat:{ALICE}", ALICE, 400, "Bad Request: chat not found")
    ],
    "the participants' menu is refused": [("all_private_chats", PRIVATE_CHATS, 400, None)],
    "the bot was removed from the team channel": [
        (f"chat:{GROUP}", GROUP, 403, "Forbidden: bot was kicked from the supergroup chat")
    ],
    "a flood limit on one member's menu": [(f"chat:{BOB}", BOB, 429, None)],
    "a server error": [(f"chat:{LENA}", LENA, 500, None)],
    "no member has started the bot yet": [
        (f"chat:{m}", m, 400, "Bad Request: chat not found") for m in (ALICE, BOB, LENA)
    ],
}


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations == []


@pytest.mark.parametrize("case", list(REFUSALS), ids=list(REFUSALS))
async def test_a_refused_menu_does_not_stop_the_others_or_the_bot(
    tmp_path: Path, fake: FakeTelegram, case: str
) -> None:
    refusals = REFUSALS[case]
    for _, chat, status, description in refusals:
        fake.fail_next("setMyCommands", status, description=description, chat_id=chat)
    refused = {scope for scope, *_ in refusals}
    others = [scope for scope in MENU_SCOPES if scope not in refused]
    async with running_bot(tmp_path / "tg.db", fake):
        await fake.wait_for(
            lambda: (
                len(fake.injected) == len(refusals)
                and all(scope in fake.commands for scope in others)
            )
        )
        assert refused.isdisjoint(fake.commands)
        members = [c.name for c in offered_to(Audience.PARTICIPANT, Audience.MEMBER)]
        for scope in others:
            if scope.startswith("chat:") and scope != f"chat:{GROUP}":
                assert menu(fake, scope) == members
        # and the bot goes on to take updates
        fake.push_message(SAM, "/start")
        await said(fake, SAM, "Only the safety team reads a report")


async def test_every_menu_is_the_declaration_for_its_audience(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    async with running_bot(tmp_path / "tg.db", fake):
        await fake.wait_for(lambda: all(scope in fake.commands for scope in MENU_SCOPES))
    expected = {
        "all_private_chats": offered_to(Audience.PARTICIPANT),
        f"chat:{ALICE}": offered_to(Audience.PARTICIPANT, Audience.MEMBER),
        f"chat:{GROUP}": offered_to(Audience.CHANNEL),
    }
    for scope, commands in expected.items():
        assert menu(fake, scope) == [c.name for c in commands]
    described = {c["command"]: c["description"] for c in fake.commands[f"chat:{ALICE}"]}
    assert described["ack"] == "Take a case (as the Acknowledge button does): /ack CODE"
    assert described["status"].endswith("/status CODE investigating | action_taken")
