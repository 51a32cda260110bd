"""Contract: the counts the health check and the metrics read (Vitals)."""

from __future__ import annotations

from bot.ports.store import Store
from contract.making import NOW, message, minutes, open_case


async def test_an_empty_store_has_nothing_waiting(store: Store) -> None:
    async with store.transaction() as tx:
        signs = await tx.vital_signs()
    assert (signs.backlog, signs.oldest_page, signs.timers) == ({}, None, 0)


async def test_the_backlog_counts_unsent_messages_by_lane_and_platform(store: Store) -> None:
    async with store.transaction() as tx:
        case = await open_case(tx)
        late = await tx.enqueue(message("p"), purpose="page", case_id=case.id, now=NOW)
        await tx.enqueue(message("p2"), purpose="page", case_id=case.id, now=NOW + minutes(2))
        await tx.enqueue(message("r", "U1", "slack"), purpose="reply", case_id=None, now=NOW)
        await tx.enqueue(message("c", "-100"), purpose="channel", case_id=case.id, now=NOW)
        await tx.enqueue(message("a", "-100"), purpose="channel-alert", case_id=None, now=NOW)
        sent = await tx.enqueue(message("s"), purpose="reply", case_id=None, now=NOW)
        gone = await tx.enqueue(message("f"), purpose="page", case_id=None, now=NOW - minutes(9))
    async with store.transaction() as tx:
        await tx.mark_sent(sent, "ref", NOW, True, 0)
        await tx.mark_failed(gone, "telegram 403 blocked")
    async with store.transaction() as tx:
        signs = await tx.vital_signs()
    assert signs.backlog == {
        ("direct", "telegram"): 2,
        ("direct", "slack"): 1,
        ("channel", "telegram"): 2,
    }
    assert signs.oldest_page == NOW  # the failed one waits for nothing any more
    async with store.transaction() as tx:
        await tx.mark_sent(late, "ref", NOW, False, 0)
    async with store.transaction() as tx:
        assert (await tx.vital_signs()).oldest_page == NOW + minutes(2)


async def test_pending_timers_are_counted_done_and_cancelled_ones_not(store: Store) -> None:
    async with store.transaction() as tx:
        case = await open_case(tx)
        await tx.add_timer(NOW, "escalate", case.id, {}, 0)
        await tx.add_timer(NOW + minutes(5), "escalate", case.id, {}, 1)
        await tx.add_timer(NOW + minutes(5), "checkin", case.id, {}, 0)
        await tx.add_timer(NOW + minutes(9), "task", None, {}, 0)
    async with store.transaction() as tx:
        (first,) = await tx.due_timers(NOW)
        await tx.complete_timer(first.id, NOW)
        await tx.cancel_timers(case.id, ["checkin"])
    async with store.transaction() as tx:
        assert (await tx.vital_signs()).timers == 2
