"""Reports a team member files: taken in person (story 3) and cases nobody reported (story 1)."""

from __future__ import annotations

from support import Harness, case_code


async def _in_person(bot: Harness) -> str:
    await bot.say("carol", "/report for")
    assert "taken in person by you" in bot.platform.texts("carol")[-2]
    assert bot.last_text("carol") == "First, is the person in danger right now?"
    assert bot.platform.last("carol").labels == ["Yes, they are in danger", "No", "Not sure"]
    await bot.press("carol", "No")
    await bot.press("carol", "It happened to me")
    await bot.press("carol", "Named")
    await bot.press("carol", "Through me")
    await bot.say("carol", "On the train a participant shouted at them and grabbed their arm.")
    await bot.press("carol", "Done")
    await bot.press("carol", "Another day")
    await bot.press("carol", "Travelling to or from the event")
    await bot.say("carol", "Kim from the other affiliate")
    await bot.press("carol", "A participant")
    await bot.press("carol", "No one")
    await bot.press("carol", "Done")
    await bot.press("carol", "Skip")
    await bot.press("carol", "Send report")
    return case_code(bot.last_text("carol"))


async def test_an_organizer_files_a_report_taken_in_person(team_bot: Harness) -> None:
    bot = team_bot
    code = await _in_person(bot)
    assert "You can give the person this code" in bot.last_text("carol")
    page = bot.last_text("alice")
    assert code in page and "taken in person by Carol Organizer" in page
    assert "Through the team member who took the report" in page
    assert ("member:carol", "opened") in [(a, k) for a, k, _ in await bot.audit(code)]
    # The organizer is not the reporter: nothing about this case is theirs to follow.
    await bot.say("carol", "/mycases")
    assert bot.last_text("carol").startswith("You have no reports I can show.")
    assert not any("check in" in t.lower() for t in bot.platform.texts("carol"))
    await bot.press("alice", "Acknowledge")
    await bot.say("alice", f"/reply {code} How are you doing?")
    assert "taken in person by Carol Organizer: reach the person through them" in bot.last_text(
        "alice"
    )


async def test_a_case_nobody_reported_skips_the_reporter_questions(team_bot: Harness) -> None:
    bot = team_bot
    await bot.say("alice", "/case new")
    assert "no participant reported" in bot.platform.texts("alice")[-2]
    assert bot.last_text("alice") == "First, is anyone in danger right now?"
    assert bot.platform.last("alice").labels == ["Yes, someone is in danger", "No", "Not sure"]
    await bot.press("alice", "No")  # danger; the role question is not asked
    assert "In your own words" in bot.last_text("alice")
    await bot.say("alice", "User:JoD is discussed on the admins' noticeboard for harassment.")
    await bot.press("alice", "Done")
    await bot.press("alice", "Another day")
    await bot.press("alice", "Online")
    await bot.say("alice", "User:JoD")
    await bot.press("alice", "A participant")
    await bot.press("alice", "Not sure")
    # no identity or contact questions: straight to who should not handle it
    assert "anyone on the safety team you do not want handling this" in bot.last_text("alice")
    await bot.press("alice", "Done")
    await bot.press("alice", "Skip")
    await bot.press("alice", "Send report")
    code = case_code(bot.last_text("alice"))
    assert (
        bot.last_text("alice") == f"Case {code} is open. The safety contact on duty has been"
        f" alerted. /case {code} shows it."
    )
    await bot.press("alice", "Acknowledge")
    await bot.say("alice", f"/case {code}")
    assert "none: opened by Alice Example; no participant reported it" in bot.last_text("alice")
    await bot.say("alice", f"/reply {code} hello")
    assert "opened by the team: there is no reporter" in bot.last_text("alice")


async def test_participants_cannot_file_for_others(team_bot: Harness) -> None:
    bot = team_bot
    await bot.say("sam", "/report for")
    assert (
        bot.last_text("sam") == "That is for the safety team. /report starts a report of your own."
    )
    await bot.say("sam", "/case new")
    assert "That is for the safety team" in bot.last_text("sam")
