"""The shape shared by the outbox worker and the scheduler: work, then sleep until the next
deadline or until woken by a commit. No polling: an idle bot sleeps until something is due.

When the work fails, what failed stays due and is tried again after a backoff (0.5 s, doubling,
at most 30 s; a commit elsewhere wakes it sooner), so a full disk or a locked database never
makes the loop spin, and never ends it. A failing store is logged in one line and, once it is
more than a passing lock, reported to ``health`` (bot/runtime/storage_alarm.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from bot.ports.store import StoreFault
from bot.runtime.clock import Clock
from bot.runtime.storage_retry import PATIENCE, delays, stop_if_cancelled

log = logging.getLogger(__name__)

FIRST_BACKOFF = 0.5  # seconds
MAX_BACKOFF = 30.0  # seconds


class Health(Protocol):
    """Who hears that storing fails (bot.storage_alarm.StorageAlarm)."""

    def fault(self, fault: StoreFault) -> None: ...


class WakeableLoop:
    def __init__(self, clock: Clock, health: Health | None = None) -> None:
        self._clock = clock
        self._health = health
        self._wake = asyncio.Event()
        self._trouble_since: float | None = None  # time.monotonic() of the first failure
        # Heartbeat, for the health check (bot/runtime/health.py): the loop runs, and when it
        # is working, the time.monotonic() of its last sign of progress (None: it sleeps).
        self.running = False
        self.busy_since: float | None = None

    def wake(self) -> None:
        """Something committed that may be due now: look again at once."""
        self._wake.set()

    def beat(self) -> None:
        """The work made progress (a row delivered, a batch of timers fired)."""
        if self.busy_since is not None:
            self.busy_since = time.monotonic()

    def alive(self, stall: float) -> bool:
        """The loop runs, and is asleep or has made progress within ``stall`` seconds."""
        busy = self.busy_since
        return self.running and (busy is None or time.monotonic() - busy < stall)

    async def forever(
        self,
        work: Callable[[], Awaitable[object]],
        next_due: Callable[[], Awaitable[datetime | None]],
        what: str,
    ) -> None:
        self.running = True
        try:
            await self._forever(work, next_due, what)
        finally:
            self.running, self.busy_since = False, None

    async def _forever(
        self,
        work: Callable[[], Awaitable[object]],
        next_due: Callable[[], Awaitable[datetime | None]],
        what: str,
    ) -> None:
        backoff = delays(FIRST_BACKOFF, MAX_BACKOFF)
        while True:
            self._wake.clear()
            self.busy_since = time.monotonic()
            try:
                await work()
                due = await next_due()
            except StoreFault as fault:  # keep going: what failed stays due
                stop_if_cancelled()
                log.warning("%s failed: %s", what, fault)
                self._report(fault)
                await self._sleep(backoff())
                continue
            except Exception:  # a bug: keep going, without spinning on it
                stop_if_cancelled()
                log.exception("%s failed", what)
                await self._sleep(backoff())
                continue
            self._trouble_since = None  # (work that only read proves nothing to ``health``)
            backoff = delays(FIRST_BACKOFF, MAX_BACKOFF)
            timeout = None
            if due is not None:
                timeout = max(0.0, (due - self._clock.now()).total_seconds())
            await self._sleep(timeout)

    def _report(self, fault: StoreFault) -> None:
        """Tell ``health`` of a fault, unless it is a lock that has not yet lasted too long."""
        now = time.monotonic()
        if self._trouble_since is None:
            self._trouble_since = now
        lasted = now - self._trouble_since
        if self._health is not None and (fault.kind != "busy" or lasted >= PATIENCE["busy"]):
            self._health.fault(fault)

    async def _sleep(self, timeout: float | None) -> None:
        """Until ``timeout`` seconds pass (forever if None) or someone calls :meth:`wake`."""
        self.busy_since = None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._wake.wait()
