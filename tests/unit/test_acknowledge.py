"""Acknowledgement: one tap takes the case, every page follows, nobody takes it twice."""

from __future__ import annotations

from support import Harness


async def test_new_case_pages_the_on_duty_contact_with_acknowledge_and_escalate(
    bot: Harness,
) -> None:
    code = await bot.file_report(account="He blocked the door.")
    (page,) = bot.platform.chat("alice")
    assert code in page.text
    assert "He blocked the door." in page.text
    assert page.labels == ["Acknowledge", "Escalate"]
    # bob is not on duty; lena is a lead and not on the first step
    assert bot.platform.chat("bob") == []
    assert bot.platform.chat("lena") == []


async def test_acknowledge_by_button_assigns_tells_reporter_and_updates_posts(
    bot: Harness,
) -> None:
    code = await bot.file_report()
    bot.clock.advance(120)
    await bot.press("alice", "Acknowledge")

    page = bot.platform.chat("alice")[0]
    assert page.edits == 1
    assert page.text == f"{code} · acknowledged by Alice Example at 10:02."
    assert page.labels == []
    (post,) = bot.platform.chat("team")
    assert post.edits == 1
    assert post.text == f"{code} · medium · acknowledged by Alice Example after 2m"
    told = bot.last_text("sam")
    assert "A member of the safety team has picked up your report" in told
    assert "Alice" not in told  # show_handler_names is off
    assert f"You're handling {code}" in bot.last_text("alice")
    async with bot.app.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None
        assert case.state.value == "acknowledged"
        assert case.assignee == "alice"
        kinds = [entry.kind for entry in await tx.audit_for(case.id)]
    assert kinds == ["opened", "paged", "step_paged", "acknowledged"]
    await bot.say("sam", "/mycases")
    assert f"{code}: picked up by the safety team" in bot.last_text("sam")


async def test_acknowledge_by_command_does_the_same(bot: Harness) -> None:
    code = await bot.file_report()
    await bot.say("bob", f"/ack {code.lower()}")
    assert f"You're handling {code}" in bot.last_text("bob")
    assert bot.platform.chat("alice")[0].text.endswith("acknowledged by Bob Builder at 10:00.")
    assert "picked up your report" in bot.last_text("sam")


async def test_second_acknowledgement_says_who_has_it_and_changes_nothing(bot: Harness) -> None:
    code = await bot.file_report()
    await bot.press("alice", "Acknowledge")
    sends_to_sam = len(bot.platform.chat("sam"))
    await bot.say("bob", f"/ack {code}")
    assert bot.last_text("bob") == f"{code} was already acknowledged by Alice Example at 10:00."
    await bot.say("alice", f"/ack {code}")
    assert bot.last_text("alice") == f"{code} was already acknowledged by you at 10:00."
    assert len(bot.platform.chat("sam")) == sends_to_sam
    async with bot.app.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None and case.assignee == "alice"
        kinds = [entry.kind for entry in await tx.audit_for(case.id)]
    assert kinds.count("acknowledged") == 1


async def test_a_double_tap_on_acknowledge_acknowledges_once(bot: Harness) -> None:
    await bot.file_report()
    token = bot.token("alice", "Acknowledge")
    await bot.app.handle(bot.event("alice", button=token))
    await bot.app.handle(bot.event("alice", button=token))
    await bot.app.flush()
    assert "already acknowledged by you" in bot.last_text("alice")
    assert sum("picked up your report" in t for t in bot.platform.texts("sam")) == 1


async def test_a_participant_cannot_acknowledge(bot: Harness) -> None:
    code = await bot.file_report()
    await bot.say("mallory", f"/ack {code}")
    assert "That is for the safety team" in bot.last_text("mallory")
    await bot.press("alice", "Acknowledge", as_who="mallory")
    assert "isn't for you" in bot.last_text("mallory")
    async with bot.app.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None and case.state.value == "new"


async def test_an_excluded_member_is_not_paged_and_cannot_acknowledge(bot: Harness) -> None:
    code = await bot.file_report(exclude=("Alice Example",))
    # alice is on duty but excluded: nobody else is on duty, so the chain moves on at once
    assert bot.platform.chat("alice") == []
    assert any(code in t for t in bot.platform.texts("bob"))
    await bot.say("alice", f"/ack {code}")
    # the answer an unknown code gets: nothing says that a case she may not see exists
    assert f"I can't find a case {code} that you can see." in bot.last_text("alice")
    await bot.press("bob", "Acknowledge", as_who="alice")
    assert "isn't for you" in bot.last_text("alice")
    async with bot.app.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None and case.state.value == "new"
        audit = await tx.audit_for(case.id)
    refused = [e for e in audit if e.kind == "ack_refused"]
    assert refused and refused[0].actor == "member:alice"
    assert refused[0].detail["reason"] == "excluded by the reporter"
    assert any(e.kind == "page_skipped" and e.detail["member"] == "alice" for e in audit)


async def test_a_member_named_in_the_report_is_not_paged(bot: Harness) -> None:
    code = await bot.file_report(who_text="It was AliceWMAT, one of the organizers")
    assert bot.platform.chat("alice") == []
    # a report about someone on the team goes above them: to the leads
    assert any(code in t for t in bot.platform.texts("lena"))
    assert bot.platform.chat("bob") == []
    await bot.say("alice", f"/case {code}")
    assert f"I can't find a case {code} that you can see." in bot.last_text("alice")
    assert "AliceWMAT" not in bot.last_text("alice")


async def test_unknown_case_code_is_answered_kindly(bot: Harness) -> None:
    await bot.say("alice", "/ack FS-ZZZZ")
    assert "I can't find a case FS-ZZZZ" in bot.last_text("alice")
    await bot.say("alice", "/ack")
    assert "Please add the case code" in bot.last_text("alice")


async def test_summary_in_the_channel_counts_and_lists_waiting_cases(bot: Harness) -> None:
    first = await bot.file_report("sam")
    second = await bot.file_report("kim", danger="Not sure")
    await bot.press("alice", "Acknowledge")  # the newest page: kim's
    bot.clock.advance(600)
    await bot.say("lena", "/summary", channel=True)
    summary = bot.last_text("team")
    assert "Open cases: 2 (1 acknowledged, 1 awaiting acknowledgement)" in summary
    assert "By severity: 1 high, 1 medium" in summary
    assert f"{first} · medium · waiting 10m" in summary
    assert second not in summary.split("Awaiting acknowledgement:")[1]
    assert "On duty now: Alice Example (primary)" in summary


async def test_non_members_in_the_channel_are_ignored(bot: Harness) -> None:
    await bot.say("mallory", "/summary", channel=True)
    assert bot.platform.chat("team") == []


async def test_a_report_is_never_taken_in_the_channel(bot: Harness) -> None:
    await bot.say("alice", "/report", channel=True)
    assert bot.last_text("team") == "Please write to me in a private chat."
    assert bot.platform.last("team").message.choices[0].link == "private_chat"
    async with bot.app.store.transaction() as tx:
        assert await tx.load_draft(bot.app.cipher.blind_index("console:alice")) is None
