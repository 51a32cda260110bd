"""Test pages (issue 17): a safety contact or lead pages themselves, or a lead pages another
member, the way a real page goes; the answer says how long delivery took. Not a case."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support import Harness
from teams import story_team

from bot.ports.platform import DeliveryError


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Harness]:
    started = await Harness(tmp_path / "pages.db", config=story_team()).start()
    yield started
    await started.stop()


async def test_a_test_page_has_acknowledge_and_the_answer_says_how_long_delivery_took(
    bot: Harness,
) -> None:
    # The platform takes 2.5 seconds to confirm the page: the answer says so.
    gate = asyncio.Event()
    bot.platform.hold_for["alice"] = gate
    await bot.app.handle(bot.event("alice", "/testpage"))
    bot.clock.advance(2.5)
    gate.set()
    await bot.app.flush()
    page = next(s for s in bot.platform.chat("alice") if "test page" in s.text)
    assert page.text.startswith("Test page\nYou asked for this test page. It is not a case.")
    assert page.labels == ["Acknowledge"]
    assert bot.last_text("alice") == (
        "The test page reached you in 2.5 s (from being queued to the platform's confirmation)."
    )
    await bot.advance(20)
    await bot.press("alice", "Acknowledge")
    assert bot.last_text("alice") == (
        "Test page acknowledged after 22 s. A real page reaches you the same way."
    )
    # Not a case: nothing to count or list, nothing in the channel.
    await bot.say("mira", "/summary")
    assert "No open cases" in bot.last_text("mira")
    assert not bot.platform.texts(bot.channel_id)


async def test_a_lead_pages_another_member_by_name(bot: Harness) -> None:
    await bot.say("lena", "/testpage Bob Builder")
    assert bot.last_text("bob").startswith("Test page\nLena Lead sent you this test page.")
    assert bot.last_text("lena").startswith("The test page reached Bob Builder in 0.0 s")
    await bot.advance(12)
    await bot.press("bob", "Acknowledge")
    assert bot.last_text("lena") == "Bob Builder acknowledged the test page after 12 s."
    await bot.press("bob", "Acknowledge")  # twice: the lead hears it once
    assert (
        bot.platform.texts("lena").count("Bob Builder acknowledged the test page after 12 s.") == 1
    )
    # A username from the team file names a member the same way a report would.
    await bot.say("lena", "/testpage BramB")
    assert "Lena Lead sent you this test page" in bot.last_text("bram")
    await bot.say("lena", "/testpage Zed")
    assert bot.last_text("lena").startswith("I know no team member called Zed.")


async def test_only_a_lead_pages_someone_else_and_only_the_team_tests_pages(
    bot: Harness,
) -> None:
    await bot.say("alice", "/testpage bob")
    assert bot.last_text("alice") == "Only a lead can send a test page to someone else."
    assert not bot.platform.texts("bob")
    await bot.say("carol", "/testpage")  # an organizer does not take pages
    assert bot.last_text("carol") == "Test pages are for safety contacts and leads."
    await bot.say("sam", "/testpage")
    assert "for the safety team" in bot.last_text("sam")
    assert [t for t in bot.platform.texts("carol") if "Test page\n" in t] == []


async def test_a_test_page_that_cannot_reach_its_member_says_so_and_what_to_do(
    bot: Harness,
) -> None:
    bot.platform.fail_for["alice"] = DeliveryError("403 blocked", unreachable=True)
    await bot.say("lena", "/testpage Alice")
    assert bot.last_text("lena").startswith(
        "The test page could not reach Alice Example.\nThe platform said the bot is blocked"
    )
    assert "open a chat with the bot" in bot.last_text("lena")
    await bot.say("lena", "/testpage Alice")  # now known: nothing is sent
    assert bot.last_text("lena").startswith("Alice Example can't be paged: the platform said")
