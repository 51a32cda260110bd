"""Working a case after it was taken: notes, state, outcome, recusal, replies to the reporter."""

from __future__ import annotations

from support import Harness

SECRET_NOTE = "NOTE-ZQ-4471"


async def _taken(bot: Harness, disclosure: str = "Pseudonymous") -> str:
    code = await bot.file_report(disclosure=disclosure)
    await bot.press("alice", "Acknowledge")
    return code


async def test_notes_go_into_the_timeline_encrypted(bot: Harness) -> None:
    code = await _taken(bot)
    await bot.say("alice", f"/note {code} Spoke to venue security. {SECRET_NOTE}")
    assert bot.last_text("alice") == f"Noted on {code}."
    await bot.say("lena", f"/case {code}")
    shown = bot.last_text("lena")
    assert "Timeline:" in shown
    assert f"note · Alice Example: Spoke to venue security. {SECRET_NOTE}" in shown
    assert "viewed · Lena Lead" in shown  # each look is recorded
    await bot.stop()
    for suffix in ("", "-wal"):
        path = bot.path.parent / (bot.path.name + suffix)
        if path.exists():
            assert SECRET_NOTE.encode() not in path.read_bytes()


async def test_state_changes_tell_the_reporter_and_update_the_channel(bot: Harness) -> None:
    code = await _taken(bot)
    await bot.say("alice", f"/status {code} investigating")
    assert bot.last_text("alice") == f"{code} is now investigating."
    assert f"Your report {code} is now: being looked into." in bot.last_text("sam")
    assert bot.platform.chat("team")[0].text.startswith(f"{code} · medium · investigating")
    await bot.say("alice", f"/severity {code} high")
    assert bot.platform.chat("team")[0].text.startswith(f"{code} · high · investigating")
    await bot.say("alice", f"/resolve {code} warning Spoke to them; they apologised.")
    texts = bot.platform.texts("alice")
    assert f"{code} is now resolved." in texts[-3]
    # The end is told in the handler's words (issue 15), not as "is now: resolved".
    assert "A last message to the reporter" in texts[-2]
    assert "Thank you for handling this" in texts[-1]
    assert "resolved" not in bot.last_text("sam")
    await bot.press("alice", "Send this")
    assert f"A message from the safety team about {code}" in bot.last_text("sam")
    await bot.say("alice", f"/close {code}")
    assert (await bot.case(code)).state.value == "closed"
    await bot.say("alice", f"/reopen {code}")
    assert "Reopening needs a note" in bot.last_text("alice")
    await bot.say("alice", f"/reopen {code} They came back.")
    assert (await bot.case(code)).state.value == "reopened"


async def test_bad_transitions_and_the_wrong_person_are_refused(bot: Harness) -> None:
    code = await bot.file_report()
    await bot.say("alice", f"/status {code} investigating")
    assert f"/ack {code} first" in bot.last_text("alice")
    await bot.press("alice", "Acknowledge")
    await bot.say("bob", f"/status {code} investigating")
    assert (
        "is handled by Alice Example; only they, the second person on it or a lead can change it"
        in bot.last_text("bob")
    )
    await bot.say("alice", f"/close {code}")
    assert "cannot become closed" in bot.last_text("alice")
    await bot.say("alice", f"/resolve {code} sorted")
    assert "Use /resolve CODE OUTCOME" in bot.last_text("alice")
    await bot.say("sam", f"/note {code} hello")
    assert "That is for the safety team" in bot.last_text("sam")
    kinds = [kind for _, kind, _ in await bot.audit(code)]
    assert "change_refused" in kinds


async def test_recusal_removes_a_member_from_the_case(bot: Harness) -> None:
    code = await _taken(bot)
    await bot.say("alice", f"/recuse {code}")
    assert "stepped aside" in bot.last_text("alice")
    assert f"{code}: Alice Example recused; it needs a handler." in bot.last_text("lena")
    await bot.say("alice", f"/case {code}")
    assert f"I can't find a case {code} that you can see." in bot.last_text("alice")
    await bot.say("alice", "/cases")
    assert code not in bot.last_text("alice")
    refused = [d for _, kind, d in await bot.audit(code) if kind == "open_refused"]
    assert refused == [{"reason": "recused"}]
    await bot.say("lena", f"/ack {code}")
    assert f"You're handling {code} now." in bot.last_text("lena")
    await bot.say("lena", f"/status {code} investigating")
    assert (await bot.case(code)).assignee == "lena"


async def test_reply_reaches_pseudonymous_and_named_reporters_but_not_anonymous_ones(
    bot: Harness,
) -> None:
    code = await _taken(bot)
    await bot.say("alice", f"/reply {code} Could you tell me which room it was?")
    assert "Could you tell me which room it was?" in bot.last_text("sam")
    assert "Sent to the reporter" in bot.last_text("alice")
    assert "sam" not in bot.last_text("alice").lower()  # the handler never learns who
    anonymous = await bot.file_report("kim", disclosure="Anonymous")
    await bot.press("alice", "Acknowledge")
    await bot.say("alice", f"/reply {anonymous} Hello?")
    assert "no reply is possible" in bot.last_text("alice")
    assert not any("Hello?" in t for t in bot.platform.texts("kim"))


async def test_a_reporter_can_add_to_an_open_report_and_the_handler_gets_it(
    bot: Harness,
) -> None:
    code = await _taken(bot)
    await bot.say("sam", "/mycases")
    await bot.press("sam", f"Add to my report {code}")
    await bot.say("sam", "I remembered: it was also on Tuesday.")
    assert f"Added to {code}." in bot.last_text("sam")
    assert f"{code} · the reporter added:\nI remembered: it was also on Tuesday." in (
        bot.last_text("alice")
    )
    await bot.press("sam", "Done")
    # after Done, words are still never dropped: their one open report takes them, and says so
    await bot.say("sam", "hello again")
    assert f"I've added what you wrote to your report {code}" in bot.last_text("sam")
    assert bot.last_text("alice") == f"{code} · the reporter added:\nhello again"
    async with bot.app.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None
        report = await tx.get_report(case.report_id)
    assert report.body.account[-2:] == ["I remembered: it was also on Tuesday.", "hello again"]


async def test_cases_lists_mine_waiting_and_others(bot: Harness) -> None:
    mine = await _taken(bot)
    waiting = await bot.file_report("kim")
    await bot.say("alice", "/cases")
    text = bot.last_text("alice")
    assert text.index("Yours:") < text.index(mine) < text.index("Waiting for someone:")
    assert text.index("Waiting for someone:") < text.index(waiting)
    await bot.say("bob", "/cases")
    assert "Others:" in bot.last_text("bob") and "Yours:" not in bot.last_text("bob")


async def test_a_reported_persons_statement_needs_two_named_people(bot: Harness) -> None:
    code = await _taken(bot)
    await bot.say("alice", f"/statement {code} reported They say it was a misunderstanding.")
    assert "needs two named people" in bot.last_text("alice")
    assert "statement_refused" in [kind for _, kind, _ in await bot.audit(code)]
    await bot.say("alice", f"/statement {code} reporter It happened twice on Monday.")
    assert "present: Alice Example." in bot.last_text("alice")
    await bot.say("alice", f"/second {code} bob")
    assert "asked you to be the second person" in bot.last_text("bob")
    await bot.say("alice", f"/statement {code} reported They say it was a misunderstanding.")
    assert "present: Alice Example, Bob Builder." in bot.last_text("alice")
    await bot.say("alice", f"/case {code}")
    shown = bot.last_text("alice")
    assert "statement reported · Alice Example: They say it was a misunderstanding." in shown
    assert "statement reporter · Alice Example: It happened twice on Monday." in shown


async def test_a_reply_to_a_closed_case_message_still_reaches_the_handler(bot: Harness) -> None:
    import dataclasses

    code = await _taken(bot)
    picked = next(s for s in bot.platform.chat("sam") if "picked up your report" in s.text)
    await bot.say("alice", f"/resolve {code} no_action Talked it through.")
    await bot.say("alice", f"/close {code}")
    event = dataclasses.replace(bot.event("sam", "One more thing"), reply_to=picked.ref)
    await bot.app.handle(event)
    await bot.app.flush()
    # A closed report still takes messages (issue 15): they reach its handler.
    assert bot.last_text("sam").startswith(f"Sent to the safety team with {code}.")
    assert bot.last_text("alice") == f"{code} (closed) · the reporter added:\nOne more thing"
    assert "reporter_added" in [k for _, k, _ in await bot.audit(code)]
    assert (await bot.case(code)).state.value == "closed"
    # someone else replying to a message ref of sam's chat reaches no case at all
    other = dataclasses.replace(bot.event("kim", "hello"), reply_to=picked.ref)
    await bot.app.handle(other)
    await bot.app.flush()
    # (kim's words are kept in a draft of kim's own, and nobody is told)
    assert "Hi, this is the" in bot.platform.texts("kim")[0]
    assert "kept what you wrote as the start of a report" in bot.last_text("kim")
    assert "hello" not in bot.last_text("alice")
