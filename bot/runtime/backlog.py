"""Events kept on disk while the database keeps them waiting, finished one at a time, in order.

When another process holds the database's write lock for longer than a platform waits for its
answer, :meth:`bot.main.app.BotApp.accept` writes the event to the inbox (a bot.ports.inbox.Inbox,
on disk: storage/inbox.py) and lets
the platform have its acknowledgement. From then on, until the backlog is empty, every new event
joins it at once, so that a person's messages are handled in the order they sent them. Each event
is tried until the database takes it, however long that is: it is safe on disk, and nobody was
told otherwise. On start, whatever the inbox still holds is finished first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from bot.ports.events import Inbound
from bot.ports.inbox import Inbox
from bot.ports.store import StoreFault
from bot.runtime.storage_alarm import StorageAlarm
from bot.runtime.storage_retry import FIRST_DELAY, delays, stop_if_cancelled

log = logging.getLogger(__name__)

MAX_DELAY = 30.0  # seconds between tries of one event, at most


class Backlog:
    def __init__(
        self, inbox: Inbox, handle: Callable[[Inbound], Awaitable[bool]], alarm: StorageAlarm
    ) -> None:
        self._inbox = inbox
        self._handle = handle
        self._alarm = alarm
        # (inbox key, event, the try already under way when it was kept, if any)
        self._queue: deque[tuple[str, Inbound, asyncio.Task[bool] | None]] = deque()
        self._worker: asyncio.Task[None] | None = None

    @property
    def waiting(self) -> int:
        """How many events wait for the database."""
        return len(self._queue)

    async def resume(self) -> None:
        """Finish what the inbox kept from before (at start)."""
        for key, event in await self._inbox.pending():
            self._queue.append((key, event, None))
        self._kick()

    async def keep(self, event: Inbound, attempt: asyncio.Task[bool] | None = None) -> None:
        """Write ``event`` to disk and finish it in its turn; ``attempt`` is a try already under
        way, awaited first. Raises ``OSError`` (or ``TypeError``) when it cannot be written."""
        key = await self._inbox.put(event)
        self._queue.append((key, event, attempt))
        self._kick()

    async def stop(self) -> None:
        """Stop finishing; what is not finished stays in the inbox for the next start."""
        tasks: list[asyncio.Task[Any]] = [a for _, _, a in self._queue if a is not None]
        if self._worker is not None:
            tasks.append(self._worker)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def _kick(self) -> None:
        if self._queue and (self._worker is None or self._worker.done()):
            self._worker = asyncio.create_task(self._work(), name="inbox")

    async def _work(self) -> None:
        while self._queue:
            key, event, attempt = self._queue[0]
            await self._finish(event, attempt)
            try:
                await self._inbox.remove(key)
            except OSError as error:  # left behind: finished again, as a duplicate, next start
                log.warning("could not remove an inbox file: %s", type(error).__name__)
            self._queue.popleft()

    async def _finish(self, event: Inbound, attempt: asyncio.Task[bool] | None) -> None:
        wait = delays(FIRST_DELAY, MAX_DELAY)
        while True:
            try:
                await (attempt if attempt is not None else self._handle(event))
                return
            except StoreFault as fault:  # safe on disk: try again, however long it takes
                stop_if_cancelled()
                self._alarm.fault(fault)
                attempt = None
                await asyncio.sleep(wait())
            except Exception:  # a bug: as an adapter would, log it and go on to the next
                stop_if_cancelled()
                log.exception("an update kept in the inbox could not be handled")
                return
