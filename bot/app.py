"""The composition root: the one place that knows every part and wires them together.

Adapters get a running :class:`BotApp` and call ``handle`` with inbound events; the app's outbox
worker delivers through the adapters' messengers.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from bot.clock import Clock, SystemClock
from bot.crypto import Cipher
from bot.delivery import OutboxWorker
from bot.messages import Inbound
from bot.ports import Messenger
from bot.team import Team
from bot.teamfile import TeamFile
from handlers.dispatch import Dispatcher
from storage.sqlite import SqliteStore


class BotApp:
    def __init__(
        self,
        *,
        database: Path,
        config: TeamFile,
        key: str,
        messengers: list[Messenger],
        clock: Clock | None = None,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.cipher = Cipher(key)
        self.store = SqliteStore(database, self.cipher)
        self.team = Team(config, [m.platform for m in messengers])
        self.worker = OutboxWorker(self.store, {m.platform: m for m in messengers}, self.clock)
        self.dispatcher = Dispatcher(
            self.store, self.team, self.cipher, self.clock, on_commit=self.worker.wake
        )
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Open the store, record the team, and start delivering what is pending."""
        await self.store.open()
        async with self.store.transaction() as tx:
            await tx.sync_members(self.team.identities())
        self._tasks.append(asyncio.create_task(self.worker.run(), name="outbox"))

    async def handle(self, event: Inbound) -> bool:
        return await self.dispatcher.handle(event)

    async def flush(self) -> None:
        """Deliver everything due now (the console waits for this after each line)."""
        await self.worker.flush()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.store.close()
