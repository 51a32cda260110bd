"""The outbox: stored before sent, retried until the platform takes it, edits in order."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from support import Harness, case_code

from bot.ports.platform import DeliveryError
from bot.runtime.delivery_failures import MAX_ATTEMPTS
from storage.sqlite import store as sqlite_module


async def test_a_rate_limited_page_waits_retry_after_then_goes_out(bot: Harness) -> None:
    bot.platform.fail_for["alice"] = DeliveryError("429 Too Many Requests", retry_after=30)
    code = await bot.file_report()
    assert bot.platform.chat("alice") == []
    del bot.platform.fail_for["alice"]
    bot.clock.advance(10)
    await bot.app.flush()
    assert bot.platform.chat("alice") == []  # not before retry_after
    bot.clock.advance(21)
    await bot.app.flush()
    (page,) = bot.platform.chat("alice")
    assert code in page.text


async def test_a_server_error_backs_off_and_retries(bot: Harness) -> None:
    bot.platform.fail_for["alice"] = DeliveryError("500 Internal Server Error")
    await bot.file_report()
    del bot.platform.fail_for["alice"]
    bot.clock.advance(5)
    await bot.app.flush()
    assert len(bot.platform.chat("alice")) == 1


async def test_acknowledged_before_the_page_went_out_sends_the_updated_page_once(
    bot: Harness,
) -> None:
    bot.platform.fail_for["alice"] = DeliveryError("500 Internal Server Error")
    code = await bot.file_report()
    await bot.say("bob", f"/ack {code}")
    del bot.platform.fail_for["alice"]
    bot.clock.advance(5)
    await bot.app.flush()
    (page,) = bot.platform.chat("alice")
    assert page.edits == 0
    assert page.text == f"{code} · acknowledged by Bob Builder at 10:00."


async def test_acknowledged_while_the_page_is_on_its_way_the_page_is_edited_after(
    bot: Harness,
) -> None:
    # The page has left (the platform has not answered yet) when Bob takes the case: the change
    # to the page must not be lost because the row still looked pending when Bob's ack wrote it.
    gate = asyncio.Event()
    bot.platform.hold_for["alice"] = gate
    filing = asyncio.create_task(bot.file_report())
    async with asyncio.timeout(10):
        while not bot.platform.held:
            await asyncio.sleep(0.001)
    code = case_code(bot.platform.held[0].text.plain)
    assert await bot.app.handle(bot.event("bob", f"/ack {code}"))
    gate.set()
    await filing
    await bot.app.flush()
    (page,) = [s for s in bot.platform.chat("alice") if code in s.text]
    assert page.text == f"{code} · acknowledged by Bob Builder at 10:00."
    assert page.labels == []
    assert page.edits == 1


async def test_a_message_waiting_for_its_conversations_turn_is_never_given_up(
    bot: Harness,
) -> None:
    # Keeping a platform's pace is not a failure: waiting more turns than failed attempts are
    # allowed (MAX_ATTEMPTS) must not make the page count as undeliverable.
    bot.platform.fail_for["alice"] = DeliveryError("paced", retry_after=1, paced=True)
    code = await bot.file_report()
    for _ in range(MAX_ATTEMPTS + 10):
        await bot.advance(1)
    del bot.platform.fail_for["alice"]
    await bot.advance(1)
    assert any(code in s.text and s.labels for s in bot.platform.chat("alice"))


async def test_a_contact_who_blocked_the_bot_is_skipped_for_later_cases(bot: Harness) -> None:
    bot.platform.fail_for["alice"] = DeliveryError("403 blocked by the user", unreachable=True)
    await bot.file_report("sam")
    async with bot.app.store.transaction() as tx:
        assert ("console", "alice") in await tx.unreachable()
    code = await bot.file_report("kim")
    assert any(code in t for t in bot.platform.texts("bob"))
    async with bot.app.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None
        audit = await tx.audit_for(case.id)
    skipped = [e for e in audit if e.kind == "page_skipped"]
    assert skipped[0].detail == {"member": "alice", "reason": "unreachable"}
    page = next(t for t in bot.platform.texts("bob") if code in t)
    assert "Alice Example could not be reached." in page


async def test_private_messages_are_purged_from_the_outbox_once_sent(bot: Harness) -> None:
    await bot.file_report()
    async with bot.app.store.transaction() as tx:
        rows = [await tx.get_outbox(i) for i in range(1, 200)]
    sent = [r for r in rows if r is not None]
    assert {r.status for r in sent} == {"sent"}
    for row in sent:
        if row.purpose in ("page", "channel"):
            assert row.message is not None  # kept: it will be edited on acknowledgement
        else:
            assert row.message is None


async def test_a_page_goes_first_while_held_back_channel_posts_go_in_their_own_lane(
    bot: Harness,
) -> None:
    bot.platform.fail_for["team"] = DeliveryError("429 Too Many Requests", retry_after=10)
    for reporter in ("sam", "kim", "ola"):
        await bot.file_report(reporter)
    del bot.platform.fail_for["team"]
    await bot.say("pat", "/report")
    for label in ("No", "It happened to me", "Pseudonymous", "Message me here"):
        await bot.press("pat", label)
    await bot.say("pat", "It happened.")
    for label in (
        "Done",
        "Just now",
        "Online",
        "I don't know who",
        "Not known",
        "No one",
        "Done",
        "Skip",
    ):
        await bot.press("pat", label)
    bot.clock.advance(10)  # the three held-back channel posts are due again, right now
    before = len(bot.platform.sends)
    await bot.app.handle(bot.event("pat", button=bot.token("pat", "Send report")))
    await bot.app.flush()
    order = [m.address.chat_id for m in bot.platform.sends[before:]]
    # the page ahead of what the reporter is told; the channel's lane sends the four posts
    direct = [chat for chat in order if chat != "team"]
    assert direct[0] == "alice" and set(direct[1:]) == {"pat"}
    assert order.count("team") == 4


async def test_the_page_leaves_at_once_and_the_reporter_hears_back_once_the_disk_has_it(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The disk is slow to confirm (its sync is held): the contact is paged meanwhile, but
    # nobody is told "received", and the platform's update is not let go, before it confirms.
    await bot.file_report("sam", send=False)
    disk = threading.Event()
    real = sqlite_module._fsync

    def slow_disk(path: Path) -> None:
        disk.wait(10)
        real(path)

    monkeypatch.setattr(sqlite_module, "_fsync", slow_disk)
    # Which of the bot's tasks are waiting for the disk: the outbox worker's, once it has the
    # confirmation in hand (the worker sends a chat's messages in order, the page first).
    durable = bot.app.store.durable
    waiting: list[str] = []

    async def watched() -> None:
        task = asyncio.current_task()
        waiting.append(task.get_name() if task is not None else "")
        await durable()

    monkeypatch.setattr(bot.app.store, "durable", watched)
    pressing = asyncio.create_task(
        bot.app.handle(bot.event("sam", button=bot.token("sam", "Send report")))
    )
    async with asyncio.timeout(10):
        while not any("Acknowledge" in s.labels for s in bot.platform.chat("alice")):
            await asyncio.sleep(0.005)
        while "outbox" not in waiting:  # the confirmation would go now, were it allowed to
            await asyncio.sleep(0.005)
    assert not any("Your report is in" in text for text in bot.platform.texts("sam"))
    assert not pressing.done()
    disk.set()
    assert await pressing
    await bot.app.flush()
    code = case_code(bot.confirmation("sam"))
    assert any(code in s.text and "Acknowledge" in s.labels for s in bot.platform.chat("alice"))


async def test_a_page_goes_out_while_the_outbox_is_stuck_on_an_ordinary_message_and_only_once(
    bot: Harness,
) -> None:
    # The outbox loop is sending Bob an ordinary answer that the platform holds (as a rate
    # limiter holds it): the page does not wait for it, and neither side sends a row twice.
    await bot.file_report(send=False)
    gate = asyncio.Event()
    bot.platform.hold_for["bob"] = gate
    answer = asyncio.create_task(bot.say("bob", "/help"))
    while not bot.platform.held:
        await asyncio.sleep(0.001)
    press = bot.event("sam", button=bot.token("sam", "Send report"))
    assert await bot.app.handle(press)
    deadline = asyncio.get_running_loop().time() + 30
    while not bot.platform.chat("alice"):
        assert asyncio.get_running_loop().time() < deadline, "the page waited for Bob's answer"
        await asyncio.sleep(0.005)
    assert not answer.done()  # Bob's answer is still held
    gate.set()
    await answer
    await bot.app.flush()
    (page,) = bot.platform.chat("alice")
    assert "A new report needs a safety contact." in page.text
    assert len([s for s in bot.platform.chat("bob") if "What I can do" in s.text]) == 1
    assert len([t for t in bot.platform.texts("sam") if "Your report is in" in t]) == 1
