"""A Telegram group upgraded to a supergroup gets a new id: the bot follows the team channel there.

Telegram refuses sends to the old id with the new one (``migrate_to_chat_id``) and sends a service
message in each chat. Either alone must make the bot follow: its queued post goes to the new id,
``/summary`` from the new id is answered as the team channel, the new id holds after a restart,
and each lead is told privately, once, to update the team file. Another group's upgrade changes
nothing. The real python-telegram-bot against the fake Bot API, on a real SQLite file.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram
from test_telegram import ALICE, GROUP, LENA, SAM, file_report, press, running_bot, said, texts

NEW = -1009876500  # the supergroup the team's group became
NOTICE = "has a new id"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations == []
        assert server.rate_limited == 0


def sends_to(fake: FakeTelegram, chat: int, since: int = 0) -> int:
    """How many messages the bot tried to send to ``chat`` (refused ones included)."""
    return sum(
        1
        for method, params in fake.calls[since:]
        if method == "sendMessage" and str(params.get("chat_id")) == str(chat)
    )


def notices(fake: FakeTelegram) -> list[str]:
    return [t for t in texts(fake, LENA) if NOTICE in t]


async def test_the_queued_post_follows_the_refusal_to_the_new_id_and_stays_after_a_restart(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    path = tmp_path / "tg.db"
    async with running_bot(path, fake):
        fake.migrate_group(GROUP, NEW, service_messages=())  # only the refusal tells the bot
        code = await file_report(fake)
        await said(fake, NEW, code)  # the new case's post, refused at the old id, went here
        assert sends_to(fake, GROUP) >= 1 and not any(code in t for t in texts(fake, GROUP))
        notice = (await said(fake, LENA, NOTICE))["text"]
        assert str(GROUP) in notice and f"telegram = {NEW}" in notice and "[channels]" in notice
        fake.push_message(LENA, "/summary", chat_id=NEW, chat_type="supergroup", first_name="Lena")
        summary = await said(fake, NEW, "summary at")
        assert "Open cases: 1" in summary["text"]

    before = len(fake.calls)
    async with running_bot(path, fake):  # a new process on the same database
        fake.push_message(LENA, "/summary", chat_id=NEW, chat_type="supergroup", first_name="Lena")
        await said(fake, NEW, "summary at", count=2)
        await file_report(fake, account="It happened again at the party.")
        await fake.wait_for(lambda: sum("FS-" in t for t in texts(fake, NEW)) >= 2)
        assert f"chat:{NEW}" in fake.commands  # the channel's commands are offered there
    assert sends_to(fake, GROUP, since=before) == 0  # straight to the new id
    assert len(notices(fake)) == 1  # the lead was told once
    assert not [t for t in texts(fake, SAM) if str(NEW) in t]  # nobody else was


async def test_an_update_to_a_post_in_the_old_group_arrives_in_the_new_one(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    async with running_bot(tmp_path / "tg.db", fake):
        code = await file_report(fake)
        await said(fake, GROUP, code)
        fake.migrate_group(GROUP, NEW, service_messages=())
        await press(fake, ALICE, "Acknowledge")
        # the post's edit is refused at the old id, whose messages the new group cannot edit:
        # the update arrives there as a message of its own
        update = await said(fake, NEW, "acknowledged by Alice")
        assert code in update["text"]
        await said(fake, LENA, NOTICE)
    assert len(notices(fake)) == 1


@pytest.mark.parametrize("service_message", ["migrate_to", "migrate_from"])
async def test_a_service_message_alone_makes_the_bot_follow(
    tmp_path: Path, fake: FakeTelegram, service_message: str
) -> None:
    async with running_bot(tmp_path / "tg.db", fake):
        calls = len(fake.calls)
        fake.migrate_group(GROUP, NEW, by_user=LENA, service_messages=(service_message,))
        await said(fake, LENA, NOTICE)
        fake.push_message(LENA, "/summary", chat_id=NEW, chat_type="supergroup", first_name="Lena")
        await said(fake, NEW, "summary at")
        code = await file_report(fake)
        await said(fake, NEW, code)
        assert sends_to(fake, GROUP, since=calls) == 0  # no send was refused first
        fake.migrate_group(GROUP - 1, NEW - 1)  # both service messages of another move...
        fake.push_message(LENA, "/oncall", chat_id=NEW, chat_type="supergroup", first_name="Lena")
        await said(fake, NEW, "Next: ")  # ...handled before this answer
    assert len(notices(fake)) == 1


async def test_another_groups_upgrade_changes_nothing(tmp_path: Path, fake: FakeTelegram) -> None:
    other, other_new = -100777, -1009877700
    async with running_bot(tmp_path / "tg.db", fake):
        fake.push_message(LENA, "/id", chat_id=other, chat_type="group", first_name="Lena")
        await said(fake, other, "This chat's id")
        fake.migrate_group(other, other_new, by_user=LENA)
        fake.push_message(
            LENA, "/summary", chat_id=other_new, chat_type="supergroup", first_name="Lena"
        )
        code = await file_report(fake)
        await said(fake, GROUP, code)  # the team channel is where the team file says
        fake.push_message(LENA, "/summary", chat_id=GROUP, chat_type="supergroup")
        await said(fake, GROUP, "summary at")  # after the other group's /summary was handled
    assert texts(fake, other_new) == []  # not taken for the team channel: nothing said there
    assert notices(fake) == []
    assert fake.messages(NEW) == []
