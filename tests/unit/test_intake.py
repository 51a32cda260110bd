"""The guided report as a participant lives it: every step, back, cancel, edit, resume."""

from __future__ import annotations

from support import Harness

from bot.ports.events import MAX_INBOUND_TEXT


async def test_start_explains_who_sees_a_report_and_offers_the_three_choices(bot: Harness) -> None:
    await bot.say("sam", "/start")
    welcome = bot.platform.last("sam")
    assert "Only the safety team reads a report" in welcome.text
    assert welcome.labels == [
        "Report something",
        "I need help now",
        "How my information is handled",
        "Language",
    ]
    await bot.press("sam", "How my information is handled")
    assert "never your name" in bot.last_text("sam")


async def test_whole_intake_creates_a_case_and_tells_the_reporter_the_code(bot: Harness) -> None:
    code = await bot.file_report(account="He touched my arm twice after I stepped away.")
    confirmation = bot.confirmation("sam")
    assert f"Your report is in: {code}" in confirmation
    assert "will pick it up within 15 minutes" in confirmation  # the team file's target
    assert all(ch not in code[3:] for ch in "01OI")
    async with bot.app.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None
        report = await tx.get_report(case.report_id)
    assert report.body.account == ["He touched my arm twice after I stepped away."]
    assert report.body.where == "venue"
    assert report.body.affiliation == "participant"
    assert case.severity.value == "medium"
    assert await _draft(bot, "sam") is None


async def test_steps_are_asked_one_at_a_time_with_buttons_for_fixed_answers(bot: Harness) -> None:
    await bot.say("sam", "/report")
    assert "are you in danger right now" in bot.last_text("sam")
    assert bot.platform.last("sam").labels == ["Yes, I'm in danger", "No", "Not sure"]
    await bot.press("sam", "Not sure")
    assert bot.platform.last("sam").labels == [
        "I need help now",
        "Carry on with the report",
        "Back",
    ]
    await bot.press("sam", "Carry on with the report")
    assert bot.platform.last("sam").labels == [
        "It happened to me",
        "I saw it happen",
        "I'm reporting for someone else",
        "Back",
    ]


async def test_several_messages_make_up_the_account(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.press("sam", "No")
    await bot.press("sam", "I saw it happen")
    await bot.press("sam", "Pseudonymous")
    await bot.press("sam", "Message me here")
    await bot.press("sam", "Done")  # nothing said yet
    assert "Please tell me what happened first" in bot.last_text("sam")
    await bot.say("sam", "First part.")
    await bot.say("sam", "Second part.")
    await bot.press("sam", "Done")
    draft = await _draft(bot, "sam")
    assert draft is not None
    assert draft["body"]["account"] == ["First part.", "Second part."]
    assert draft["step"] == "when"


async def test_back_returns_to_the_previous_question_and_keeps_going(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.press("sam", "No")
    await bot.press("sam", "It happened to me")
    await bot.press("sam", "Back")
    assert "Which of these fits best?" in bot.last_text("sam")
    await bot.press("sam", "I'm reporting for someone else")
    draft = await _draft(bot, "sam")
    assert draft is not None
    assert draft["body"]["role"] == "on_behalf"
    assert draft["step"] == "disclosure"  # how identifiable comes before the account


async def test_cancel_at_any_step_deletes_the_draft_and_sends_nothing(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.press("sam", "No")
    await bot.press("sam", "It happened to me")
    await bot.press("sam", "Pseudonymous")
    await bot.press("sam", "Message me here")
    await bot.say("sam", "Something happened.")
    await bot.say("sam", "/cancel")
    assert "Nothing was sent" in bot.last_text("sam")
    assert await _draft(bot, "sam") is None
    assert bot.platform.chat("alice") == []
    assert bot.platform.chat("team") == []
    await bot.say("sam", "/cancel")
    assert "nothing to cancel" in bot.last_text("sam")


async def test_cancel_button_on_the_summary_sends_nothing(bot: Harness) -> None:
    await _to_summary(bot)
    await bot.press("sam", "Cancel")
    assert "Nothing was sent" in bot.last_text("sam")
    assert bot.platform.chat("alice") == []
    async with bot.app.store.transaction() as tx:
        assert await tx.list_cases() == []


async def test_edit_before_sending_changes_one_answer_and_returns_to_summary(bot: Harness) -> None:
    await _to_summary(bot)
    await bot.press("sam", "Edit")
    await bot.press("sam", "Where")
    await bot.press("sam", "Online")
    summary = bot.platform.last("sam")
    assert "Where: Online" in summary.text
    assert summary.labels == ["Send report", "Edit", "Cancel"]
    await bot.press("sam", "Send report")
    async with bot.app.store.transaction() as tx:
        (case,) = await tx.list_cases()
        report = await tx.get_report(case.report_id)
    assert report.body.where == "online"


async def test_a_restart_resumes_the_conversation_where_it_was(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.press("sam", "No")
    await bot.press("sam", "It happened to me")
    await bot.press("sam", "Pseudonymous")
    await bot.press("sam", "Message me here")
    await bot.say("sam", "It happened at lunch.")
    await bot.restart()
    await bot.say("sam", "And again at dinner.")
    await bot.press("sam", "Done")
    assert "When did it happen?" in bot.last_text("sam")
    draft = await _draft(bot, "sam")
    assert draft is not None
    assert draft["body"]["account"] == ["It happened at lunch.", "And again at dinner."]


async def test_anonymous_reporters_are_not_asked_how_to_be_contacted(bot: Harness) -> None:
    code = await bot.file_report(disclosure="Anonymous")
    assert "nobody can reply to you" in bot.last_text("sam")
    texts = " ".join(bot.platform.texts("sam"))
    assert "How may the safety team contact you" not in texts
    async with bot.app.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None
        report = await tx.get_report(case.report_id)
        assert case.reporter_key is None
    assert report.reporter is None
    await bot.say("sam", "/mycases")
    assert code not in bot.last_text("sam")


async def test_danger_yes_shows_the_emergency_information_at_once(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.press("sam", "Yes, I'm in danger")
    assert "Emergency services: 112" in bot.last_text("sam")
    assert "I need help now" in bot.platform.last("sam").labels


async def test_a_text_where_a_button_is_needed_is_kept_and_asks_again_kindly(
    bot: Harness,
) -> None:
    await bot.say("sam", "/report")
    before = len(bot.platform.chat("sam"))
    await bot.say("sam", "maybe")
    answer = [shown.text for shown in bot.platform.chat("sam")[before:]]
    assert "I've kept what you wrote" in answer[0]
    assert "please use one of the buttons" in answer[0]
    # at the danger question, the way to help comes before the question again
    assert any("If you are in danger right now" in text for text in answer[1:-1])
    assert "are you in danger right now" in bot.last_text("sam")
    draft = await _draft(bot, "sam")
    assert draft is not None and draft["step"] == "danger"
    assert draft["body"]["notes"] == ["maybe"]  # kept, never thrown away


async def test_an_old_button_does_nothing_but_says_where_we_are(bot: Harness) -> None:
    await bot.say("sam", "/report")
    old_no = bot.token("sam", "No")
    await bot.press("sam", "No")
    await bot.app.handle(bot.event("sam", button=old_no))
    await bot.app.flush()
    assert "earlier message" in bot.platform.chat("sam")[-2].text
    draft = await _draft(bot, "sam")
    assert draft is not None and draft["step"] == "role"
    assert draft["body"]["danger"] == "no"


async def test_oversized_text_is_refused_kindly_and_changes_nothing(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.press("sam", "No")
    await bot.press("sam", "It happened to me")
    before = await _draft(bot, "sam")
    await bot.say("sam", "x" * (MAX_INBOUND_TEXT + 1))
    assert "too long" in bot.last_text("sam")
    assert await _draft(bot, "sam") == before


async def test_unknown_commands_get_a_pointer_to_help(bot: Harness) -> None:
    await bot.say("sam", "/frobnicate")
    assert "I don't know the command /frobnicate" in bot.last_text("sam")


async def test_a_button_pressed_by_someone_else_is_refused(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.press("sam", "No", as_who="mallory")
    assert "isn't for you" in bot.last_text("mallory")
    draft = await _draft(bot, "sam")
    assert draft is not None and draft["step"] == "danger"


async def test_the_bot_never_asks_why_someone_did_not_report_sooner(bot: Harness) -> None:
    await bot.file_report()
    for text in bot.platform.texts("sam"):
        assert "why" not in text.lower()
        assert "sooner" not in text.lower()


async def _to_summary(bot: Harness) -> None:
    await bot.say("sam", "/report")
    await bot.press("sam", "No")
    await bot.press("sam", "It happened to me")
    await bot.press("sam", "Named")
    await bot.press("sam", "Message me here")
    await bot.say("sam", "Something happened.")
    await bot.press("sam", "Done")
    await bot.say("sam", "Yesterday evening")
    await bot.press("sam", "At the accommodation")
    await bot.press("sam", "I don't know who")
    await bot.press("sam", "Not known")
    await bot.press("sam", "Not sure")
    await bot.press("sam", "Done")
    await bot.say("sam", "I'd like them to stop.")
    assert "Here is your report" in bot.last_text("sam")


async def _draft(bot: Harness, who: str) -> dict[str, object] | None:
    async with bot.app.store.transaction() as tx:
        return await tx.load_draft(bot.app.cipher.blind_index(f"console:{who}"))
