"""The shape shared by the outbox worker and the scheduler: work, then sleep until the next
deadline or until woken by a commit. No polling: an idle bot sleeps until something is due."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.clock import Clock

log = logging.getLogger(__name__)


class WakeableLoop:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Something committed that may be due now: look again at once."""
        self._wake.set()

    async def forever(
        self,
        work: Callable[[], Awaitable[object]],
        next_due: Callable[[], Awaitable[datetime | None]],
        what: str,
    ) -> None:
        while True:
            self._wake.clear()
            try:
                await work()
            except Exception:  # keep going: what failed stays due and is tried again
                log.exception("%s failed", what)
            due = await next_due()
            timeout = None
            if due is not None:
                timeout = max(0.0, (due - self._clock.now()).total_seconds())
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()
