"""Contract: messages waiting to be sent, and what became of them (Outbox)."""

from __future__ import annotations

import pytest

from bot.ports.store import Store
from contract.making import NOW, message, minutes, open_case


async def test_a_message_reads_back_pending_and_due_at_once(store: Store) -> None:
    async with store.transaction() as tx:
        case = await open_case(tx)
        first = await tx.enqueue(message("hello"), purpose="reply", case_id=case.id, now=NOW)
        second = await tx.enqueue(message("again"), purpose="reply", case_id=None, now=NOW)
    assert second != first
    async with store.transaction() as tx:
        row = await tx.get_outbox(first)
        assert row is not None
        assert (row.case_id, row.purpose, row.message, row.status) == (
            case.id,
            "reply",
            message("hello"),
            "pending",
        )
        assert (row.attempts, row.next_attempt_at, row.sent_ref, row.replaces) == (
            0,
            NOW,
            None,
            None,
        )
        assert await tx.get_outbox(second + 100) is None
        assert await tx.next_outbox_due(channel=False) == NOW


async def test_due_messages_come_pages_first_then_in_order_channel_posts_apart(
    store: Store,
) -> None:
    async with store.transaction() as tx:
        reply = await tx.enqueue(message("r"), purpose="reply", case_id=None, now=NOW)
        page = await tx.enqueue(message("p"), purpose="page", case_id=None, now=NOW)
        post = await tx.enqueue(message("c", "C1"), purpose="channel", case_id=None, now=NOW)
        notice = await tx.enqueue(message("n"), purpose="notice", case_id=None, now=NOW)
        later = await tx.enqueue(message("l"), purpose="page", case_id=None, now=NOW + minutes(5))
    async with store.transaction() as tx:
        assert [r.id for r in await tx.due_outbox(NOW, 10, channel=False)] == [page, reply, notice]
        assert [r.id for r in await tx.due_outbox(NOW, 2, channel=False)] == [page, reply]
        assert [r.id for r in await tx.due_outbox(NOW, 10, channel=True)] == [post]
        due = await tx.due_outbox(NOW + minutes(5), 10, channel=False)
        assert [r.id for r in due] == [page, later, reply, notice]


async def test_sent_retried_and_failed_messages_leave_the_queue_as_told(store: Store) -> None:
    async with store.transaction() as tx:
        sent = await tx.enqueue(message("s"), purpose="page", case_id=None, now=NOW)
        retried = await tx.enqueue(message("r"), purpose="page", case_id=None, now=NOW)
        failed = await tx.enqueue(message("f"), purpose="page", case_id=None, now=NOW)
        private = await tx.enqueue(message("p"), purpose="reply", case_id=None, now=NOW)
    async with store.transaction() as tx:
        assert await tx.mark_sent(sent, "m1", NOW, purge=False, revision=0) is None
        assert await tx.mark_sent(private, "m2", NOW, purge=True, revision=0) is None
        await tx.mark_retry(retried, NOW + minutes(1), "timed out")
        await tx.mark_retry(retried, NOW + minutes(2), "rate limited", counted=False)
        await tx.mark_failed(failed, "refused")
    async with store.transaction() as tx:
        rows = {i: await tx.get_outbox(i) for i in (sent, retried, failed, private)}
        assert {i: (r.status, r.attempts) for i, r in rows.items() if r} == {
            sent: ("sent", 1),
            retried: ("pending", 1),
            failed: ("failed", 1),
            private: ("sent", 1),
        }
        assert rows[sent] is not None and rows[sent].sent_ref == "m1"
        assert rows[sent].message == message("s")
        assert rows[private] is not None and rows[private].message is None  # purged once sent
        assert await tx.due_outbox(NOW + minutes(1), 10, channel=False) == []
        assert [r.id for r in await tx.due_outbox(NOW + minutes(2), 10, channel=False)] == [retried]
        assert await tx.next_outbox_due(channel=False) == NOW + minutes(2)


async def test_a_message_rewritten_while_being_sent_is_handed_back_and_kept(store: Store) -> None:
    async with store.transaction() as tx:
        outbox_id = await tx.enqueue(message("v1"), purpose="reply", case_id=None, now=NOW)
    async with store.transaction() as tx:
        row = await tx.get_outbox(outbox_id)
        assert row is not None
        await tx.replace_pending(outbox_id, message("v2"))
    async with store.transaction() as tx:
        newer = await tx.mark_sent(outbox_id, "m1", NOW, purge=True, revision=row.revision)
        assert newer == message("v2")
        again = await tx.get_outbox(outbox_id)
        assert again is not None and again.message == message("v2")  # not purged: still to show
        await tx.replace_pending(outbox_id, message("v3"))  # sent: no longer pending
        again = await tx.get_outbox(outbox_id)
        assert again is not None and again.message == message("v2")


async def test_a_cases_messages_are_its_originals_of_the_purposes_asked(store: Store) -> None:
    async with store.transaction() as tx:
        case = await open_case(tx)
        page = await tx.enqueue(message("p"), purpose="page", case_id=case.id, now=NOW)
        await tx.enqueue(message("p2"), purpose="page", case_id=case.id, now=NOW, replaces=page)
        post = await tx.enqueue(message("c", "C1"), purpose="channel", case_id=case.id, now=NOW)
        await tx.enqueue(message("r"), purpose="reply", case_id=case.id, now=NOW)
        await tx.enqueue(message("x"), purpose="page", case_id=None, now=NOW)
    async with store.transaction() as tx:
        found = await tx.outbox_for_case(case.id, ["page", "channel"])
        assert [r.id for r in found] == [page, post]


async def test_a_held_platform_waits_until_released(store: Store) -> None:
    async with store.transaction() as tx:
        held = await tx.enqueue(message("t"), purpose="page", case_id=None, now=NOW)
        other = await tx.enqueue(message("s", "U1", "slack"), purpose="page", case_id=None, now=NOW)
        await tx.hold_platform("telegram", NOW + minutes(30), "held: token refused")
    async with store.transaction() as tx:
        assert [r.id for r in await tx.due_outbox(NOW, 10, channel=False)] == [other]
        await tx.release_held(NOW + minutes(1), "slack")  # another platform: still held
        assert [r.id for r in await tx.due_outbox(NOW + minutes(1), 10, False)] == [other]
        await tx.release_held(NOW + minutes(2))
        due = await tx.due_outbox(NOW + minutes(2), 10, channel=False)
        assert [r.id for r in due] == [held, other]
        assert [r.attempts for r in due] == [0, 0]


async def test_a_rolled_back_message_is_not_queued(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.enqueue(message("gone"), purpose="page", case_id=None, now=NOW)
            raise RuntimeError("handler crashed")
    async with store.transaction() as tx:
        assert await tx.due_outbox(NOW, 10, channel=False) == []
        assert await tx.next_outbox_due(channel=False) is None
        kept = await tx.enqueue(message("kept"), purpose="page", case_id=None, now=NOW)
    async with store.transaction() as tx:
        assert [r.id for r in await tx.due_outbox(NOW, 10, channel=False)] == [kept]


async def test_stuck_messages_are_those_still_pending_written_before_a_moment(
    store: Store,
) -> None:
    async with store.transaction() as tx:
        old = await tx.enqueue(message("o"), purpose="page", case_id=None, now=NOW)
        sent = await tx.enqueue(message("s"), purpose="page", case_id=None, now=NOW)
        await tx.enqueue(message("n"), purpose="page", case_id=None, now=NOW + minutes(2))
    async with store.transaction() as tx:
        await tx.mark_sent(sent, "m1", NOW, purge=False, revision=0)
        await tx.mark_retry(old, NOW + minutes(5), "timed out")
    async with store.transaction() as tx:
        assert await tx.stuck_outbox(NOW) == 0
        assert await tx.stuck_outbox(NOW + minutes(1)) == 1  # the retried one, not the sent one
        assert await tx.stuck_outbox(NOW + minutes(3)) == 2
