"""A press of a button that is not yours is answered to you alone, in your own private chat;
the chat the button sits in (someone else's) hears nothing of it, and nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram
from support import Harness
from test_telegram import ALICE, SAM, file_report, running_bot, texts

from bot.domain.model import PlatformUser
from bot.domain.team import CONSOLE
from bot.ports.events import Inbound

MALLORY = 777


async def press_in(bot: Harness, owner: str, label: str, presser: str) -> None:
    """``presser`` presses the button labelled ``label`` where it is: in ``owner``'s chat."""
    token = bot.token(owner, label)
    sender = PlatformUser(CONSOLE, presser, presser.title())
    await bot.app.handle(Inbound(sender=sender, chat_id=owner, private=True, button=token))
    await bot.app.flush()


@pytest.mark.parametrize(
    ("owner", "label", "presser"),
    [
        ("sam", "No", "mallory"),  # a reporter's intake, pressed by a stranger
        ("sam", "No", "alice"),  # ... by a safety contact
        ("alice", "Acknowledge", "mallory"),  # a page, pressed by a participant
        ("alice", "Acknowledge", "bob"),  # ... by another safety contact
    ],
)
async def test_a_press_of_someone_elses_button_is_answered_to_the_presser_only(
    bot: Harness, owner: str, label: str, presser: str
) -> None:
    if owner == "sam":
        await bot.say("sam", "/report")
    else:
        await bot.file_report()
    seen_by_owner = bot.platform.texts(owner)
    await press_in(bot, owner, label, presser)
    assert bot.last_text(presser) == "That button isn't for you, so I did nothing with it."
    assert bot.platform.texts(owner) == seen_by_owner  # the owner's chat heard nothing


async def test_a_stale_button_pressed_in_someone_elses_chat_is_answered_to_the_presser(
    bot: Harness,
) -> None:
    await bot.say("sam", "/report")
    seen_by_sam = bot.platform.texts("sam")
    sender = PlatformUser(CONSOLE, "mallory", "Mallory")
    await bot.app.handle(Inbound(sender=sender, chat_id="sam", private=True, button="no-such"))
    await bot.app.flush()
    assert "earlier message" in bot.last_text("mallory")
    assert bot.platform.texts("sam") == seen_by_sam


async def test_on_telegram_the_refusal_goes_to_the_presser_not_to_the_chat_of_the_button(
    tmp_path: Path,
) -> None:
    async with FakeTelegram() as fake, running_bot(tmp_path / "tg.db", fake):
        code = await file_report(fake)
        page = next(m for m in fake.messages(ALICE) if code in m["text"])
        data = next(
            b["callback_data"]
            for row in page["reply_markup"]["inline_keyboard"]
            for b in row
            if b["text"] == "Acknowledge"
        )
        seen_by_alice = texts(fake, ALICE)
        fake.push_callback(MALLORY, page["message_id"], data, chat_id=ALICE, first_name="Mal")
        await fake.wait_for(lambda: texts(fake, MALLORY), timeout=10)
        assert texts(fake, MALLORY) == ["That button isn't for you, so I did nothing with it."]
        assert texts(fake, ALICE) == seen_by_alice
        assert not any("picked up your report" in t for t in texts(fake, SAM))
    assert fake.violations == []
