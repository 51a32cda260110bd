"""Deadlines that survive anything: rows in the timers table, fired by one in-process timer.

The scheduler sleeps until exactly the nearest deadline (no minute polling) and re-reads after every
change (``wake``). On start it finds every pending deadline and fires the overdue ones at once.
Firing a timer, its effects (state, audit, outbox rows) and marking it done are one transaction:
a death while firing rolls it all back and the timer fires again on restart, so its effects
happen exactly once. Handlers fence themselves: a timer that finds its case acknowledged, or its
step already passed by hand, does nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from bot.domain.team import Team
from bot.ports.store import OutboxRow, Store, StoreFault, TimerRow
from bot.runtime.clock import Clock
from bot.runtime.crypto import Cipher
from bot.runtime.failpoints import failpoint
from bot.runtime.loop import Health, WakeableLoop
from bot.text.reader import reading
from bot.uow import UnitOfWork

log = logging.getLogger(__name__)

TimerAction = Callable[[UnitOfWork, TimerRow], Awaitable[None]]
"""What a timer of one kind does when it fires, inside the scheduler's transaction."""
BATCH = 200


class Scheduler:
    def __init__(
        self,
        store: Store,
        team: Team,
        cipher: Cipher,
        clock: Clock,
        on_timer: dict[str, TimerAction],
        on_commit: Callable[[Sequence[OutboxRow]], None] = lambda urgent: None,
        health: Health | None = None,
    ) -> None:
        self._store = store
        self._team = team
        self._cipher = cipher
        self._clock = clock
        self._on_timer = on_timer
        self._on_commit = on_commit
        self._loop = self.heartbeat = WakeableLoop(clock, health)
        self._lock = asyncio.Lock()
        self.fired = 0

    def wake(self) -> None:
        """Something committed that may have added or moved a deadline: look again."""
        self._loop.wake()

    async def fire_due(self) -> int:
        """Fire every timer due now, in order; return how many fired."""
        fired = 0
        async with self._lock:
            while True:
                batch = await self._fire_batch()
                fired += batch
                if batch < BATCH:
                    return fired

    async def _fire_batch(self) -> int:
        self._loop.beat()
        sent = False
        urgent: list[OutboxRow] = []
        async with self._store.transaction() as tx:
            now = self._clock.now()
            timers = await tx.due_timers(now, BATCH)
            for timer in timers:
                uow = UnitOfWork(tx, now, self._team, self._cipher)
                action = self._on_timer.get(timer.kind)
                try:
                    async with tx.savepoint():
                        if action is not None:
                            # Nobody wrote in: what a timer writes is in the team's language,
                            # unless it writes to someone through a Words function.
                            with reading(self._team.config.team.language):
                                await action(uow, timer)
                        else:
                            log.error("no action for timer kind %s", timer.kind)
                    urgent.extend(uow.urgent.values())  # not those of a timer rolled back
                except StoreFault:
                    raise  # the store fails, not this timer: all of it is fired again later
                except Exception:
                    # Its work is undone; mark it done so one bad timer cannot wedge the rest.
                    log.exception("timer %s (%s) failed", timer.id, timer.kind)
                await tx.complete_timer(timer.id, now)
                sent = sent or uow.sent > 0
            if timers:
                failpoint("while_firing")
        self.fired += len(timers)
        if sent:
            self._on_commit(urgent)
        return len(timers)

    async def run(self) -> None:
        """Fire deadlines as they come due, forever."""
        await self._loop.forever(self.fire_due, self._next_due, "firing timers")

    async def _next_due(self) -> datetime | None:
        async with self._store.transaction() as tx:
            return await tx.next_timer_due()
