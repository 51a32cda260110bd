"""The composition root: the one place that knows every part and wires them together.

Adapters get a running :class:`BotApp` and call ``handle`` with inbound events; the app's outbox
worker delivers through the adapters' messengers and its scheduler fires deadlines.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from pathlib import Path

from bot import checkins, escalation, response, retention, rota, tasks
from bot.clock import Clock, SystemClock
from bot.crypto import Cipher
from bot.delivery import OutboxWorker
from bot.messages import Inbound
from bot.ports import Files, Messenger, OutboxRow
from bot.scheduler import Scheduler, TimerHandler
from bot.team import Team
from bot.teamfile import TeamFile
from bot.unit_of_work import UnitOfWork
from handlers.dispatch import Dispatcher
from storage.sqlite import SqliteStore

TIMER_HANDLERS: dict[str, TimerHandler] = {
    escalation.ESCALATE_TIMER: escalation.on_escalate_timer,
    escalation.PAGE_FAILED: escalation.on_page_failed,
    escalation.IDLE_TIMER: escalation.on_idle_timer,
    rota.SHIFT_START: rota.shift_started,
    rota.SHIFT_CONFIRM: rota.shift_unconfirmed,
    rota.DAILY_POST: rota.daily_post,
    checkins.CHECKIN_TIMER: checkins.on_checkin_timer,
    response.RESPONSE_TIMER: response.on_response_due,
    tasks.TASK_TIMER: tasks.on_task_timer,
    retention.PURGE_TIMER: retention.on_purge_timer,
}


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
        by_platform = {m.platform: m for m in messengers}
        self.worker = OutboxWorker(
            self.store,
            by_platform,
            self.clock,
            on_unreachable=lambda platform, chat_id: self.scheduler.wake(),
        )
        self.channel_worker = OutboxWorker(self.store, by_platform, self.clock, channel=True)
        self.scheduler = Scheduler(
            self.store,
            self.team,
            self.cipher,
            self.clock,
            TIMER_HANDLERS,
            on_commit=self._committed_by_timer,
        )
        self.dispatcher = Dispatcher(
            self.store,
            self.team,
            self.cipher,
            self.clock,
            on_commit=self._committed,
            # a platform's messenger that can also read files people send (see bot.ports.Files)
            files={m.platform: m for m in messengers if isinstance(m, Files)},
        )
        self._tasks: list[asyncio.Task[None]] = []

    def _committed(self, urgent: Sequence[OutboxRow]) -> None:
        self._committed_by_timer(urgent)
        self.scheduler.wake()

    def _committed_by_timer(self, urgent: Sequence[OutboxRow]) -> None:
        # The direct lane first: what was just committed may be a page someone is waiting for.
        self.worker.committed(urgent)
        self.channel_worker.wake()

    async def start(self) -> None:
        """Open the store, record the team, plan the rota, and start delivering and firing."""
        await self.store.open()
        async with self.store.transaction() as tx:
            await tx.sync_members(self.team.identities())
            await rota.plan(UnitOfWork(tx, self.clock.now(), self.team, self.cipher))
            await retention.plan(UnitOfWork(tx, self.clock.now(), self.team, self.cipher))
        self._tasks.append(asyncio.create_task(self.worker.run(), name="outbox"))
        self._tasks.append(asyncio.create_task(self.channel_worker.run(), name="outbox: channel"))
        self._tasks.append(asyncio.create_task(self.scheduler.run(), name="scheduler"))

    async def handle(self, event: Inbound) -> bool:
        """Handle one event; return once what it changed is on disk and its pages are out.

        The adapter acknowledges the event to its platform after this returns (the next
        ``getUpdates`` offset, a webhook's answer, Slack's ack), so a platform only forgets an
        event once a power cut could not take it away; until then it delivers it again, and the
        delivery record makes that harmless. The pages go first (their case is committed), and
        the sync and the adapter's next requests wait for them, 20 ms at most: the adapter's
        requests alongside a page's made it arrive about a millisecond later, and a sync shares
        the same two cores.
        """
        handled = await self.dispatcher.handle(event)
        await self.worker.urgent_sent(0.02)
        await self.store.durable()
        return handled

    async def flush(self) -> None:
        """Fire what is due and deliver what is queued (the console waits for this)."""
        # Firing can queue messages, and a bounced page can add a timer due now: go until quiet.
        busy = True
        while busy:
            fired = await self.scheduler.fire_due()
            busy = fired + await self.worker.flush() + await self.channel_worker.flush() > 0

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.store.close()
