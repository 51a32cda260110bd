"""Contract: who is on duty, and confirmed shifts (Duty)."""

from __future__ import annotations

import pytest

from bot.ports.store import Store
from contract.making import NOW, minutes


async def test_a_rolled_back_duty_change_is_not_remembered_as_if_it_had_happened(
    store: Store,
) -> None:
    # Who is on duty is kept between transactions (paging asks it every time); a transaction
    # that read its own change and then failed must not leave that change behind in memory.
    async with store.transaction() as tx:
        await tx.add_duty_change("alice", True, NOW, None)
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.add_duty_change("alice", False, NOW, None)
            assert [c.on_duty for c in await tx.duty_changes()] == [True, False]
            raise RuntimeError("handler crashed")
    async with store.transaction() as tx:
        assert [c.on_duty for c in await tx.duty_changes()] == [True]
        await tx.add_duty_change("bob", True, NOW, None)
    async with store.transaction() as tx:
        assert [c.member_id for c in await tx.duty_changes()] == ["alice", "bob"]


async def test_duty_changes_read_back_in_time_order_with_their_end(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.add_duty_change("bob", False, NOW + minutes(10), None)
        await tx.add_duty_change("alice", True, NOW, NOW + minutes(60))
    async with store.transaction() as tx:
        changes = await tx.duty_changes()
    assert [(c.member_id, c.on_duty, c.at, c.until) for c in changes] == [
        ("alice", True, NOW, NOW + minutes(60)),
        ("bob", False, NOW + minutes(10), None),
    ]


async def test_a_shift_is_confirmed_once(store: Store) -> None:
    async with store.transaction() as tx:
        assert await tx.shift_confirmed("day1") is False
        assert await tx.confirm_shift("day1", "alice", NOW) is True
        assert await tx.confirm_shift("day1", "alice", NOW) is False
    async with store.transaction() as tx:
        assert await tx.shift_confirmed("day1") is True
        assert await tx.shift_confirmed("day2") is False
