"""Tasks on a case: an owner, a due time, reminders until done (story 3's re-accommodation)."""

from __future__ import annotations

from support import Harness

ROOM_TASK = "Find Sam a room away from the other person"


async def _taken(bot: Harness) -> str:
    code = await bot.file_report()
    await bot.press("alice", "Acknowledge")
    return code


def _reminders(bot: Harness, who: str) -> list[str]:
    return [t for t in bot.platform.texts(who) if t.startswith("Reminder: a task")]


async def test_owner_is_told_reminded_at_due_time_and_again_until_done(bot: Harness) -> None:
    code = await _taken(bot)
    await bot.say("alice", f"/task {code} bob 2h {ROOM_TASK}")
    assert bot.last_text("alice").startswith(f"Task 1 on {code} for Bob Builder, due")
    told = bot.last_text("bob")
    assert f"Alice Example gave you a task on {code}" in told and ROOM_TASK in told
    assert bot.platform.last("bob").labels == ["Mark done"]

    await bot.advance(2 * 3600 - 5)
    assert _reminders(bot, "bob") == []
    await bot.advance(5)
    assert len(_reminders(bot, "bob")) == 1
    assert "OVERDUE" in _reminders(bot, "bob")[0] and ROOM_TASK in _reminders(bot, "bob")[0]
    await bot.advance(3600)  # task_reminder defaults to 1h
    assert len(_reminders(bot, "bob")) == 2

    await bot.press("bob", "Mark done")
    assert bot.last_text("bob") == f"Task 1 on {code} is marked done. Thank you."
    assert f"Bob Builder marked task 1 on {code} done: {ROOM_TASK}" in bot.last_text("alice")
    await bot.advance(3 * 3600)
    assert len(_reminders(bot, "bob")) == 2  # no more after done

    await bot.press("bob", "Mark done")  # pressed twice: nothing changes
    assert bot.last_text("bob") == f"Task 1 on {code} was already marked done."
    await bot.say("alice", f"/case {code}")
    shown = bot.last_text("alice")
    assert f"task 1 · Bob Builder · done by Bob Builder: {ROOM_TASK}" in shown


async def test_open_tasks_show_in_the_case_and_the_idle_reminder(bot: Harness) -> None:
    code = await _taken(bot)
    await bot.say("alice", f"/task {code} alice 30m Call the hotel")
    assert "gave you a task" not in bot.last_text("alice")  # no message to oneself
    await bot.say("alice", f"/case {code}")
    assert "task 1 · Alice Example · due" in bot.last_text("alice")
    await bot.advance(2 * 3600)  # idle_reminder 2h since the task was added
    idle = [t for t in bot.platform.texts("alice") if "has had no update" in t]
    assert idle and "Open tasks:" in idle[-1] and "Call the hotel" in idle[-1]
    assert "OVERDUE" in idle[-1]


async def test_bad_tasks_are_refused_kindly_and_change_nothing(bot: Harness) -> None:
    code = await _taken(bot)
    await bot.say("alice", f"/task {code} zed 2h something")
    assert "I don't know a team member zed" in bot.last_text("alice")
    await bot.say("alice", f"/task {code} bob soonish something")
    assert "I can't read soonish" in bot.last_text("alice")
    await bot.say("alice", f"/task {code} bob 2h")
    assert bot.last_text("alice").startswith("Use /task")
    await bot.say("bob", f"/task {code} bob 2h take it over")  # not the handler, not a lead
    assert "only they, the second person on it or a lead can change it" in bot.last_text("bob")
    await bot.say("sam", f"/task {code} bob 2h anything")
    assert "That is for the safety team" in bot.last_text("sam")
    await bot.say("alice", f"/case {code}")
    assert "Tasks:" not in bot.last_text("alice")


async def test_a_conflicted_member_cannot_own_a_task_and_it_is_recorded(bot: Harness) -> None:
    code = await bot.file_report(exclude=("Bob Builder",))
    await bot.press("alice", "Acknowledge")
    await bot.say("alice", f"/task {code} bob 2h Talk to the hotel")
    assert "Bob Builder can't take work on this case" in bot.last_text("alice")
    assert not any("gave you a task" in t for t in bot.platform.texts("bob"))
    refused = [d for _, kind, d in await bot.audit(code) if kind == "task_refused"]
    assert refused == [{"member": "bob", "reason": "excluded by the reporter"}]


async def test_only_owner_handler_or_lead_may_mark_done(bot: Harness) -> None:
    code = await _taken(bot)
    await bot.say("alice", f"/task {code} alice 1h Call the hotel")
    await bot.say("bob", "/task done 1")
    assert "only they, the people on the case or a lead can mark it done" in bot.last_text("bob")
    await bot.say("lena", "/task done 1")
    assert bot.last_text("lena") == f"Task 1 on {code} is marked done. Thank you."
    await bot.say("lena", "/task done 99")
    assert "I can't find that task" in bot.last_text("lena")


async def test_task_reminders_survive_a_restart(bot: Harness) -> None:
    code = await _taken(bot)
    await bot.say("alice", f"/task {code} bob 1h Call the hotel")
    await bot.restart()
    await bot.advance(3600)
    assert len(_reminders(bot, "bob")) == 1
