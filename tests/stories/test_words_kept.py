"""A participant's words are never silently dropped (WORDS.md, point 2): written with nothing
asked, they start a report (nobody told until the person chooses), or go to their open report,
or they are asked which one; and a message of only invisible characters is no answer anywhere."""

from __future__ import annotations

from support import Harness, case_code

SCARED = "Someone grabbed me at the party and I am scared, please help"


async def _account(bot: Harness, code: str) -> list[str]:
    case = await bot.case(code)
    async with bot.app.store.transaction() as tx:
        return (await tx.get_report(case.report_id)).body.account


def _pages(bot: Harness) -> int:
    return sum(len(bot.platform.chat(m)) for m in ("alice", "bob", "carol", "team"))


async def test_a_first_message_starts_a_report_and_nobody_is_told_until_they_choose(
    bot: Harness,
) -> None:
    await bot.say("sam", SCARED)
    said = bot.platform.last("sam")
    assert "kept what you wrote as the start of a report" in said.text
    assert "Nobody has been told yet" in said.text
    # perhaps their first word to the bot: who reads a report is said first
    assert bot.platform.texts("sam")[-2].startswith("Hi, this is the")
    assert said.labels == ["Carry on with the report", "I need help now", "Stop and delete it"]
    await bot.say("sam", "It was by the bar.")  # more words before choosing: kept too
    assert _pages(bot) == 0
    await bot.press("sam", "Carry on with the report")
    assert "danger" in bot.last_text("sam")
    await bot.press("sam", "No")
    await bot.press("sam", "It happened to me")
    await bot.press("sam", "Pseudonymous")
    await bot.press("sam", "Message me here")
    await bot.press("sam", "Done")  # what happened was already written
    await bot.press("sam", "Earlier today")
    await bot.press("sam", "At the event venue")
    await bot.say("sam", "A tall person")
    await bot.press("sam", "A participant")
    await bot.press("sam", "No one")
    await bot.press("sam", "Done")
    await bot.press("sam", "Skip")
    await bot.press("sam", "Send report")
    code = case_code(bot.confirmation("sam"))
    assert await _account(bot, code) == [SCARED, "It was by the bar."]


async def test_help_now_from_kept_words_keeps_them(bot: Harness) -> None:
    await bot.say("sam", SCARED)
    await bot.press("sam", "I need help now")
    code = case_code(bot.last_text("sam"))
    assert await _account(bot, code) == [SCARED]


async def test_stop_and_delete_keeps_nothing_and_offers_a_way_back(bot: Harness) -> None:
    await bot.say("sam", SCARED)
    await bot.press("sam", "Stop and delete it")
    assert bot.platform.last("sam").labels == ["I need help now", "Report something"]
    await bot.say("sam", "/cancel")
    assert "nothing to cancel" in bot.last_text("sam")
    assert bot.platform.last("sam").labels == ["I need help now", "Report something"]
    await bot.say("sam", "/report")
    await bot.say("sam", "/cancel")
    assert bot.last_text("sam").startswith("Stopped.")
    assert bot.platform.last("sam").labels == ["I need help now", "Report something"]
    await bot.press("sam", "Report something")
    assert "danger" in bot.last_text("sam")
    assert _pages(bot) == 0


async def test_words_after_asking_to_meet_go_to_that_report(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.press("sam", "I'd rather tell someone in person")
    code = case_code(bot.last_text("sam"))
    await bot.say("sam", "I'm at the registration desk")
    said = bot.last_text("sam")
    assert f"I've added what you wrote to your report {code}" in said
    assert "I'm at the registration desk" in await _account(bot, code)
    assert ("reporter", "reporter_added") in [(a, k) for a, k, _d in await bot.audit(code)]


async def test_with_two_open_reports_the_person_is_asked_which(bot: Harness) -> None:
    first = await bot.file_report("sam")
    second = await bot.file_report("sam", "Another thing happened later.")
    await bot.say("sam", "He is here again")
    said = bot.platform.last("sam")
    assert "Which of your reports is it about?" in said.text
    assert said.labels == [
        f"Add to my report {first}",
        f"Add to my report {second}",
        "Something new",
    ]
    assert "He is here again" not in await _account(bot, first)
    await bot.press("sam", f"Add to my report {second}")
    assert f"I've added what you wrote to your report {second}" in bot.last_text("sam")
    assert await _account(bot, second) == ["Another thing happened later.", "He is here again"]
    assert "He is here again" not in await _account(bot, first)


async def test_invisible_characters_are_no_answer(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.say("sam", "\u200b")  # at the danger question
    assert "couldn't find any words" in bot.platform.texts("sam")[-2]
    assert "kept what you wrote" not in " ".join(bot.platform.texts("sam"))
    await bot.press("sam", "No")
    await bot.press("sam", "It happened to me")
    await bot.press("sam", "Pseudonymous")
    await bot.press("sam", "Message me here")
    await bot.say("sam", "\u200b")  # what happened: the one answer that is required
    assert "couldn't find any words" in bot.platform.texts("sam")[-2]
    await bot.press("sam", "Done")
    assert "what happened first" in bot.last_text("sam")
    await bot.say("sam", "They shouted at me.")
    await bot.press("sam", "Done")
    await bot.say("sam", "\u00ad\u200b\u200e")  # at "When"
    assert "couldn't find any words" in bot.platform.texts("sam")[-2]
    assert "When did it happen" in bot.last_text("sam")
    await bot.say("sam", "/cancel")
    await bot.say("sam", "\u200b\ufeff")  # nothing asked: no words, so no draft either
    assert "kept what you wrote" not in bot.last_text("sam")
    await bot.say("sam", "/cancel")
    assert "nothing to cancel" in bot.last_text("sam")


async def test_words_after_a_call_for_help_was_closed_are_kept(bot: Harness) -> None:
    await bot.say("sam", "/start")
    await bot.press("sam", "I need help now")
    code = case_code(bot.last_text("sam"))
    await bot.press("alice", "Acknowledge")
    await bot.say("alice", f"/resolve {code} no_action Found them, all fine.")
    await bot.say("alice", f"/close {code}")
    await bot.say("sam", "Actually it happened again")
    assert "That call for help is closed now." in bot.platform.texts("sam")[-3]
    said = bot.platform.last("sam")
    assert "kept what you wrote as the start of a report" in said.text
    await bot.press("sam", "I need help now")
    again = case_code(bot.last_text("sam"))
    assert again != code
    assert await _account(bot, again) == ["Actually it happened again"]
