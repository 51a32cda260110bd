"""A bot process's part among several on one PostgreSQL database (part of the composition root).

Every process takes updates (webhooks, Slack, the Telegram poller when it holds that lock: see
:meth:`Cluster.poll`) and fires the timers it claims first (storage/sqlite/timers.py, shared). One
process at a time holds the outbox (:class:`storage.postgres.cluster.SessionLock` named
``outbox``) and sends everything: the others' commits wake it by ``NOTIFY``, so a page written by
any process leaves at once. When the holder dies its lock is free at once; the next holder frees
the rows the dead one had claimed (:meth:`storage.postgres.outbox.PgOutbox.release_leases`) and
sends them. A row the dead holder was sending when it died goes again (as after a crash on
SQLite); a row is never sent by two live processes at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.ports.store import Store, StoreFault
from bot.runtime.clock import SystemClock
from bot.runtime.loop import WakeableLoop
from storage.postgres.cluster import SessionLock, Wakeups, while_held
from storage.postgres.store import PostgresStore

if TYPE_CHECKING:
    from bot.main.app import BotApp

log = logging.getLogger(__name__)

TELEGRAM_POLLER = "telegram-poller"


class Cluster:
    """The shared-database duties of ``app``, whose store is ``store``."""

    def __init__(self, app: BotApp, store: Store) -> None:
        assert isinstance(store, PostgresStore), "a cluster shares a PostgreSQL database"
        self._app = app
        self._store = store
        self._outbox = SessionLock(store.url, "outbox")

    @property
    def holds_outbox(self) -> bool:
        """Whether this process sends the outbox now."""
        return self._outbox.held

    async def start(self) -> list[asyncio.Task[None]]:
        """Listen for other processes' commits and take the outbox when it is free (at once
        when no other process holds it); returns the tasks, which run until cancelled."""
        app = self._app
        await self._outbox.try_acquire()
        wakeups = Wakeups(
            self._store.url, {"fsb_outbox": self._outbox_woken, "fsb_timers": app.scheduler.wake}
        )
        return [
            asyncio.create_task(wakeups.run(), name="wake-ups"),
            asyncio.create_task(
                while_held(self._outbox, self._deliver, self._took_outbox), name="outbox holder"
            ),
        ]

    def _outbox_woken(self) -> None:
        if self.holds_outbox:
            self._app.worker.wake()
            self._app.mail_worker.wake()
            self._app.channel_worker.wake()

    async def _took_outbox(self) -> None:
        try:
            async with self._store.transaction() as tx:
                freed = await tx.release_leases()
        except (
            StoreFault
        ) as fault:  # their leases run out by themselves (storage/postgres/outbox.py)
            log.warning("could not free the last outbox holder's messages: %s", fault)
            return
        if freed:
            log.info("took the outbox over: %d messages the last holder had claimed", freed)

    async def _deliver(self) -> None:
        app = self._app
        await asyncio.gather(app.worker.run(), app.mail_worker.run(), app.channel_worker.run())

    def health_loops(self, loops: dict[str, WakeableLoop]) -> dict[str, WakeableLoop]:
        """The loops the health check watches, as this process runs them: the outbox lanes only
        while it holds the outbox (a process standing by is healthy without them)."""
        return {
            name: _WhileHeld(loop, self) if name.startswith("outbox") else loop
            for name, loop in loops.items()
        }

    async def poll(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run ``work`` (an adapter's long polling) only while this process holds the poller
        lock: one process polls at a time, and another takes over within a second or so of its
        death (storage/postgres/cluster.py)."""
        await while_held(SessionLock(self._store.url, TELEGRAM_POLLER), work)


class _WhileHeld(WakeableLoop):
    """An outbox loop as the health check sees it: alive as it says while this process holds
    the outbox, and alive while another process holds it (this one is standing by)."""

    def __init__(self, loop: WakeableLoop, cluster: Cluster) -> None:
        super().__init__(SystemClock())
        self._loop = loop
        self._cluster = cluster

    def alive(self, stall: float) -> bool:
        return not self._cluster.holds_outbox or self._loop.alive(stall)
