""" "I need help now": a critical case at once, everyone on duty paged, then where they are."""

from __future__ import annotations

from support import Harness


async def test_help_now_pages_every_safety_contact_and_asks_where_they_are(bot: Harness) -> None:
    await bot.say("sam", "/start")
    await bot.press("sam", "I need help now")
    reply = bot.last_text("sam")
    assert "Everyone on duty has been alerted" in reply
    assert "Emergency services: 112" in reply
    assert "Where are you right now?" in reply
    for contact in ("alice", "bob"):
        (page,) = bot.platform.chat(contact)
        assert "Urgent: someone needs help now." in page.text
        assert page.labels == ["Acknowledge", "Escalate"]
    (post,) = bot.platform.chat("team")
    assert "critical" in post.text


async def test_the_location_is_added_to_the_case_and_the_pages(bot: Harness) -> None:
    await bot.say("sam", "/start")
    await bot.press("sam", "I need help now")
    await bot.say("sam", "Room B, second floor, by the lifts")
    assert "passed on" in bot.last_text("sam")
    for contact in ("alice", "bob"):
        page = bot.platform.chat(contact)[0]
        assert "Where they are now: Room B, second floor, by the lifts" in page.text
        assert page.labels == ["Acknowledge", "Escalate"]
    (post,) = bot.platform.chat("team")
    assert "Room B" not in post.text
    await bot.press("bob", "Acknowledge")
    await bot.press("sam", "I've moved")
    await bot.say("sam", "Now in the lobby")
    assert "where they are now: Room B, second floor, by the lifts / Now in the lobby" in (
        bot.last_text("bob")
    )
    assert "Now in the lobby" not in " ".join(bot.platform.texts("alice"))


async def test_help_now_during_a_report_keeps_what_was_already_said(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.press("sam", "Yes, I'm in danger")
    await bot.press("sam", "Carry on with the report")
    await bot.press("sam", "It happened to me")
    await bot.say("sam", "He is waiting outside my room.")
    await bot.press("sam", "I need help now")
    page = bot.platform.chat("alice")[0]
    assert "He is waiting outside my room." in page.text
    assert "Sam" in page.text  # the person asking for help can be found


async def test_a_report_with_danger_yes_is_critical_and_asks_where_they_are(bot: Harness) -> None:
    code = await bot.file_report(danger="Yes, I'm in danger")
    assert "Where are you right now?" in bot.last_text("sam")
    assert (await bot.case(code)).severity.value == "critical"
    assert any("Urgent: someone needs help now." in t for t in bot.platform.texts("bob"))
    await bot.say("sam", "Hotel lobby")
    assert "Where they are now: Hotel lobby" in bot.platform.chat("alice")[0].text
