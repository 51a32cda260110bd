"""Several processes on one PostgreSQL database, each played here by a store of its own (its own
connections, its own lease owner): what one claims, the other does not get."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from contract.making import NOW, message, minutes
from pgdb import fresh_database

from bot.runtime.crypto import Cipher, generate_key
from storage.postgres.cluster import SessionLock, Wakeups
from storage.postgres.outbox import LEASE
from storage.postgres.store import PostgresStore


@pytest.fixture
async def two() -> AsyncIterator[tuple[PostgresStore, PostgresStore]]:
    """Two processes' stores on one fresh database (the same key)."""
    cipher = Cipher(generate_key())
    with fresh_database() as url:
        first, second = PostgresStore(url, cipher), PostgresStore(url, cipher)
        await first.open()
        await second.open()
        yield first, second
        await first.close()
        await second.close()


async def test_a_delivery_seen_by_two_processes_at_once_is_handled_by_one(
    two: tuple[PostgresStore, PostgresStore],
) -> None:
    async def claim(store: PostgresStore) -> bool:
        async with store.transaction() as tx:
            return await tx.claim_delivery("telegram", "update-1", NOW)

    assert sorted(await asyncio.gather(*(claim(store) for store in two))) == [False, True]


async def test_a_claimed_message_is_not_given_to_another_process_until_its_lease_runs_out(
    two: tuple[PostgresStore, PostgresStore],
) -> None:
    first, second = two
    async with first.transaction() as tx:
        page = await tx.enqueue(message("page"), purpose="page", case_id=None, now=NOW)
    async with first.transaction() as tx:
        assert [row.id for row in await tx.due_outbox(NOW, 10, False)] == [page]
    async with second.transaction() as tx:
        assert await tx.due_outbox(NOW, 10, False) == []
        # it knows when to look again: when the lease runs out
        assert await tx.next_outbox_due(False) == NOW + minutes(LEASE / 60)
    async with first.transaction() as tx:  # the holder may take its own row again
        assert [row.id for row in await tx.due_outbox(NOW, 10, False)] == [page]
    later = NOW + minutes(LEASE / 60)
    async with second.transaction() as tx:  # the first process died: the lease ran out
        assert [row.id for row in await tx.due_outbox(later, 10, False)] == [page]
    async with first.transaction() as tx:
        assert await tx.due_outbox(later, 10, False) == []


async def test_the_next_outbox_holder_frees_what_the_last_one_claimed(
    two: tuple[PostgresStore, PostgresStore],
) -> None:
    first, second = two
    async with first.transaction() as tx:
        page = await tx.enqueue(message("page"), purpose="page", case_id=None, now=NOW)
        await tx.due_outbox(NOW, 10, False)
    async with second.transaction() as tx:
        assert await tx.release_leases() == 1
        assert [row.id for row in await tx.due_outbox(NOW, 10, False)] == [page]


async def test_a_sent_message_is_not_sent_again_by_the_other_process(
    two: tuple[PostgresStore, PostgresStore],
) -> None:
    first, second = two
    async with first.transaction() as tx:
        page = await tx.enqueue(message("page"), purpose="page", case_id=None, now=NOW)
        (row,) = await tx.due_outbox(NOW, 10, False)
    async with first.transaction() as tx:
        await tx.mark_sent(page, "ref-1", NOW, False, row.revision)
    later = NOW + minutes(LEASE)
    async with second.transaction() as tx:
        assert await tx.due_outbox(later, 10, False) == []


async def test_a_timer_due_is_fired_by_one_process_only(
    two: tuple[PostgresStore, PostgresStore],
) -> None:
    first, _ = two
    async with first.transaction() as tx:
        await tx.add_timer(NOW, "escalate", None, {}, 0)
    fired: list[int] = []

    async def fire(store: PostgresStore) -> None:
        async with store.transaction() as tx:
            for timer in await tx.due_timers(NOW + minutes(1)):
                fired.append(timer.id)
                await tx.complete_timer(timer.id, NOW)

    await asyncio.gather(*(fire(store) for store in two))
    assert len(fired) == 1


async def test_a_commit_in_one_process_wakes_the_other(
    two: tuple[PostgresStore, PostgresStore],
) -> None:
    first, _ = two
    woken = {"fsb_outbox": asyncio.Event(), "fsb_timers": asyncio.Event()}
    started: set[str] = set()
    listening = asyncio.Event()

    def heard(channel: str) -> None:
        if channel in started:
            woken[channel].set()
            return
        started.add(channel)  # each handler is called once when listening begins
        if started == set(woken):
            listening.set()

    wakeups = Wakeups(first.url, {name: lambda name=name: heard(name) for name in woken})
    task = asyncio.create_task(wakeups.run())
    try:
        await asyncio.wait_for(listening.wait(), 10)
        async with first.transaction() as tx:
            await tx.enqueue(message("page"), purpose="page", case_id=None, now=NOW)
        await asyncio.wait_for(woken["fsb_outbox"].wait(), 10)
        assert not woken["fsb_timers"].is_set()
        async with first.transaction() as tx:
            await tx.add_timer(NOW, "escalate", None, {}, 0)
        await asyncio.wait_for(woken["fsb_timers"].wait(), 10)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_one_process_holds_a_lock_and_another_takes_it_once_it_is_given_up(
    two: tuple[PostgresStore, PostgresStore],
) -> None:
    first, second = SessionLock(two[0].url, "poller"), SessionLock(two[0].url, "poller")
    try:
        assert await first.try_acquire()
        assert not await second.try_acquire()
        await first.release()  # as a process that dies: its connection closes
        await asyncio.wait_for(second.acquire(), 10)
        assert second.held
    finally:
        await first.release()
        await second.release()
