"""Contract: deadlines (Timers)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.ports.store import Store
from contract.making import NOW, minutes, open_case


async def test_timers_come_due_in_order_and_complete_once(store: Store) -> None:
    later = datetime(2027, 8, 11, 10, 5, tzinfo=UTC)
    async with store.transaction() as tx:
        await tx.add_timer(later, "escalate", None, {"x": 2}, 1)
        await tx.add_timer(NOW, "escalate", None, {"x": 1}, 0)
        assert await tx.next_timer_due() == NOW
        due = await tx.due_timers(later)
        assert [t.payload for t in due] == [{"x": 1}, {"x": 2}]
        await tx.complete_timer(due[0].id, NOW)
        assert [t.payload for t in await tx.due_timers(later)] == [{"x": 2}]


async def test_a_keyed_timer_is_added_once_and_cancelled_timers_never_come_due(
    store: Store,
) -> None:
    async with store.transaction() as tx:
        case = await open_case(tx)
        await tx.add_timer(NOW, "checkin", case.id, {"n": 1}, 3, key="checkin:1")
        await tx.add_timer(NOW, "checkin", case.id, {"n": 2}, 3, key="checkin:1")
        await tx.add_timer(NOW + minutes(1), "escalate", case.id, {}, 3)
    async with store.transaction() as tx:
        due = await tx.due_timers(NOW + minutes(1))
        assert [(t.kind, t.case_id, t.payload, t.fence) for t in due] == [
            ("checkin", case.id, {"n": 1}, 3),
            ("escalate", case.id, {}, 3),
        ]
        assert await tx.due_timers(NOW + minutes(1), limit=1) == due[:1]
        await tx.cancel_timers(case.id, ["escalate"])
    async with store.transaction() as tx:
        assert [t.kind for t in await tx.due_timers(NOW + minutes(1))] == ["checkin"]
        await tx.complete_timer(due[0].id, NOW)
        assert await tx.next_timer_due() is None


async def test_a_rolled_back_timer_is_not_there(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.add_timer(NOW, "escalate", None, {}, 0, key="once")
            raise RuntimeError("handler crashed")
    async with store.transaction() as tx:
        assert await tx.next_timer_due() is None
        await tx.add_timer(NOW, "escalate", None, {"again": True}, 0, key="once")
    async with store.transaction() as tx:
        assert [t.payload for t in await tx.due_timers(NOW)] == [{"again": True}]
