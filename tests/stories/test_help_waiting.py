"""A call for help nobody answers, and the words around a call for help (issue: a person who
pressed "I need help now" heard nothing while the team was paged again and again)."""

from __future__ import annotations

from support import Harness

NOT_ANSWERED = "Nobody from the safety team has answered your call for help"


async def test_the_person_is_told_once_at_the_first_repeat_that_nobody_has_answered_yet(
    bot: Harness,
) -> None:
    await bot.say("sam", "/start")
    await bot.press("sam", "I need help now")
    await bot.say("sam", "Room B, by the lifts")
    before = len(bot.platform.texts("sam"))
    pages = len(bot.platform.texts("alice"))
    await bot.advance(120)  # the first repeat
    assert len(bot.platform.texts("alice")) > pages  # the team is paged again
    told = bot.platform.texts("sam")[before:]
    assert len(told) == 1 and told[0].startswith(NOT_ANSWERED)
    assert "They are still being alerted, and will be until someone answers." in told[0]
    assert "Emergency services: 112" in told[0]  # the team's emergency information again
    for _ in range(3):  # later repeats: the team is still paged, the person not told again
        await bot.advance(120)
    assert sum(t.startswith(NOT_ANSWERED) for t in bot.platform.texts("sam")) == 1
    await bot.press("alice", "Acknowledge")
    assert "is coming to you" in bot.last_text("sam")


async def test_nothing_is_said_when_someone_answered_before_the_first_repeat(
    bot: Harness,
) -> None:
    await bot.say("sam", "/start")
    await bot.press("sam", "I need help now")
    await bot.press("bob", "Acknowledge")
    await bot.advance(600)
    assert not any(t.startswith(NOT_ANSWERED) for t in bot.platform.texts("sam"))


async def test_a_help_now_page_shows_what_is_known_where_they_are_first(bot: Harness) -> None:
    await bot.say("sam", "/start")
    await bot.press("sam", "I need help now")
    await bot.say("sam", "Room B, by the lifts")
    page = bot.platform.chat("alice")[0].text
    lines = page.splitlines()
    assert lines[0] == "Urgent: someone needs help now."
    at = next(i for i, line in enumerate(lines) if line.endswith("awaiting acknowledgement"))
    assert lines[at + 1 : at + 3] == [
        "Asked for help now.",
        "Where they are now: Room B, by the lifts",
    ]
    assert "not given" not in page and "What happened" not in page and "Danger now" not in page
    assert "Identity: " in page  # who is asking, so that they can be found


async def test_mycases_says_the_safety_team_picked_it_up_whoever_did(bot: Harness) -> None:
    code = await bot.file_report("sam")
    await bot.say("lena", f"/ack {code}")
    await bot.say("sam", "/mycases")
    reply = bot.last_text("sam")
    assert f"{code}: picked up by the safety team" in reply
    assert "safety contact" not in reply


async def test_the_summary_says_plainly_what_was_not_given(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.press("sam", "No")
    await bot.press("sam", "It happened to me")
    await bot.press("sam", "Pseudonymous")
    await bot.press("sam", "Message me here")
    await bot.say("sam", "He kept following me.")
    await bot.press("sam", "Done")
    for _ in range(5):  # when, where, who, their role, witnesses
        await bot.press("sam", "I'd rather not say")
    await bot.press("sam", "Done")
    await bot.press("sam", "Skip")
    summary = "\n".join(t for t in bot.platform.texts("sam") if "Here is your report" in t)
    assert summary, "the summary was not reached"
    assert "Who: not given" in summary and "-" not in summary
    assert "When: not given" in summary and "Witnesses: not given" in summary


async def test_a_report_in_danger_now_nobody_answers_is_told_so_once_too(bot: Harness) -> None:
    code = await bot.file_report("sam", danger="Yes, I'm in danger")
    await bot.say("sam", "Hotel lobby")
    await bot.advance(120)
    await bot.advance(120)
    told = [t for t in bot.platform.texts("sam") if t.startswith(NOT_ANSWERED)]
    assert len(told) == 1 and code in told[0]
