"""The composition root: the one place that knows every part and wires them together.

Adapters get a running :class:`BotApp` as their :class:`bot.ports.platform.Core` and call
``accept`` with inbound events; the app's outbox worker delivers through the adapters'
messengers and its scheduler fires deadlines.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.config.settings import DEFAULT_PAGE_WAIT
from bot.config.teamfile import TeamFile
from bot.domain.codes import is_drill_code
from bot.domain.model import PlatformUser
from bot.domain.team import Team
from bot.main.probing import Prober
from bot.main.stores import Database, inbox_folder, make_store
from bot.ports.events import Inbound
from bot.ports.forms import Field
from bot.ports.health import HealthReport
from bot.ports.platform import Files, Messenger, ReadinessProbe
from bot.ports.store import OutboxRow, StoreFault
from bot.runtime.backlog import Backlog
from bot.runtime.clock import Clock, SystemClock
from bot.runtime.crypto import Cipher
from bot.runtime.delivery import OutboxWorker
from bot.runtime.health import HealthCheck
from bot.runtime.metrics import Metrics
from bot.runtime.scheduler import Scheduler, TimerAction
from bot.runtime.storage_alarm import StorageAlarm
from bot.runtime.storage_retry import with_retries
from bot.services import (
    aftercare,
    chat_moves,
    checkins,
    drills,
    escalation,
    help_waiting,
    languages,
    outages,
    readiness,
    response,
    retention,
    rota,
    tasks,
    testpages,
)
from bot.services.outages import Outage, PlatformOutages
from bot.uow import UnitOfWork
from handlers.dispatch import Dispatcher
from handlers.participant import report_form
from storage.inbox import Inbox

if TYPE_CHECKING:
    from bot.main.cluster import Cluster

log = logging.getLogger(__name__)

TIMER_ACTIONS: dict[str, TimerAction] = {
    escalation.ESCALATE_TIMER: help_waiting.on_escalate_timer,
    escalation.PAGE_FAILED: escalation.on_page_failed,
    escalation.IDLE_TIMER: escalation.on_idle_timer,
    rota.SHIFT_START: rota.shift_started,
    rota.SHIFT_CONFIRM: rota.shift_unconfirmed,
    aftercare.SHIFT_END: aftercare.on_shift_end,
    rota.DAILY_POST: rota.daily_post,
    checkins.CHECKIN_TIMER: checkins.on_checkin_timer,
    response.RESPONSE_TIMER: response.on_response_due,
    tasks.TASK_TIMER: tasks.on_task_timer,
    retention.PURGE_TIMER: retention.on_purge_timer,
    drills.DRILL_END: drills.on_drill_end,
    drills.DRILL_PURGE: drills.on_drill_purge,
    testpages.TESTPAGE_DELIVERED: testpages.on_delivered,
    testpages.TESTPAGE_FAILED: testpages.on_failed,
    readiness.NOTE_TIMER: readiness.on_note,
}


class BotApp:
    def __init__(
        self,
        *,
        database: Database,
        config: TeamFile,
        key: str,
        messengers: list[Messenger],
        clock: Clock | None = None,
        page_wait: float = DEFAULT_PAGE_WAIT,
    ) -> None:
        """``page_wait``: seconds a page may wait unsent before :meth:`health` says unhealthy."""
        self.clock: Clock = clock or SystemClock()
        self.cipher = Cipher(key)
        self.store = make_store(database, self.cipher)
        self.team = Team(config, [m.platform for m in messengers])
        for messenger in messengers:  # a started Telegram adapter knows its bot's username
            username = getattr(messenger, "username", "")
            if isinstance(username, str) and username:
                self.team.bot_names[messenger.platform] = f"@{username}"
        by_platform = {m.platform: m for m in messengers}
        # each platform's readiness probe (bot/services/readiness.py): /ready, the daily note
        self.probes = {m.platform: m for m in messengers if isinstance(m, ReadinessProbe)}
        self.prober = Prober(self.store, self.team, self.cipher, self.clock, self.probes)
        self.metrics = Metrics(by_platform)  # this app's own registry (bot/runtime/metrics.py)
        # A platform refusing the bot's credentials holds both lanes (bot.outages).
        self.outages = PlatformOutages()
        self.alarm = StorageAlarm(self.team, by_platform, self.clock)
        self.worker = OutboxWorker(
            self.store,
            by_platform,
            self.clock,
            on_unreachable=lambda platform, chat_id: self.scheduler.wake(),
            outages=self.outages,
            on_outage=self._outage,
            on_moved=self._chat_moved,
            health=self.alarm,
            on_timer=lambda: self.scheduler.wake(),
            metrics=self.metrics,
        )
        self.channel_worker = OutboxWorker(
            self.store,
            by_platform,
            self.clock,
            on_unreachable=lambda platform, chat_id: self.scheduler.wake(),
            channel=True,
            outages=self.outages,
            on_outage=self._outage,
            on_moved=self._chat_moved,
            health=self.alarm,
            metrics=self.metrics,
        )
        # E-mail (to external contacts) has a lane of its own: a slow SMTP server never holds
        # up a page (bot/runtime/delivery.py).
        self.mail_worker = OutboxWorker(
            self.store,
            by_platform,
            self.clock,
            on_unreachable=lambda platform, chat_id: self.scheduler.wake(),
            mail=True,
            outages=self.outages,
            on_outage=self._outage,
            health=self.alarm,
        )
        self.scheduler = Scheduler(
            self.store,
            self.team,
            self.cipher,
            self.clock,
            TIMER_ACTIONS,
            on_commit=self._committed_by_timer,
            health=self.alarm,
        )
        self.dispatcher = Dispatcher(
            self.store,
            self.team,
            self.cipher,
            self.clock,
            on_commit=self._committed,
            # a platform's messenger that can also read files people send (see bot.ports.Files)
            files={m.platform: m for m in messengers if isinstance(m, Files)},
            on_handled=self._observe,
            probes=self.probes,
        )
        loops = {
            "outbox": self.worker.heartbeat,
            "outbox_channel": self.channel_worker.heartbeat,
            "scheduler": self.scheduler.heartbeat,
        }
        self._tasks: list[asyncio.Task[None]] = []
        # several processes on one PostgreSQL database share the work (bot/main/cluster.py)
        self.cluster: Cluster | None = None
        if isinstance(database, str):
            from bot.main.cluster import Cluster  # psycopg only for PostgreSQL (bot/main/stores.py)

            self.cluster = Cluster(self, self.store)
            loops = self.cluster.health_loops(loops)
        self.health_check = HealthCheck(self.store, self.clock, loops, self.metrics, page_wait)
        self.backlog = Backlog(Inbox(inbox_folder(database), self.cipher), self.handle, self.alarm)

    def _committed(self, urgent: Sequence[OutboxRow]) -> None:
        self._committed_by_timer(urgent)
        self.scheduler.wake()

    def _committed_by_timer(self, urgent: Sequence[OutboxRow]) -> None:
        # The direct lane first: what was just committed may be a page someone is waiting for.
        if self.cluster is not None and not self.cluster.holds_outbox:
            return  # the holder sends it: the commit woke it (NOTIFY)
        self.worker.committed(urgent)
        self.mail_worker.committed(urgent)
        self.channel_worker.wake()

    def _observe(self, event: Inbound, uow: UnitOfWork) -> None:
        """Count what a committed event did: cases opened, first acknowledgements (a drill's
        never count: bot/services/drills.py)."""
        platform = event.sender.platform
        for kind, case in uow.audited:
            if is_drill_code(case.code):
                continue
            if kind == "opened":
                self.metrics.reports.labels(platform).inc()
            elif kind == "acknowledged" and case.acknowledged_at is not None:
                waited = (case.acknowledged_at - case.created_at).total_seconds()
                self.metrics.ack_seconds.labels(platform).observe(max(0.0, waited))

    async def health(self) -> HealthReport:
        """Whether the bot can do its job now (see bot/runtime/health.py)."""
        return await self.health_check.check()

    async def _outage(self, outage: Outage) -> None:
        """A platform started (or stopped) refusing the bot's credentials: the leads hear it on
        a platform that works, once when it starts and, if they heard that, once when it ends."""
        if outage.over and not outage.told:
            return
        async with self.store.transaction() as tx:
            uow = UnitOfWork(tx, self.clock.now(), self.team, self.cipher)
            told = await outages.tell_leads(uow, outage, self.outages.down())
        outage.told = outage.told or told > 0
        if told:
            self._committed_by_timer([])

    async def _chat_moved(self, platform: str, old: str, new: str) -> None:
        """A send found that the platform moved a chat: follow it (see
        bot/services/chat_moves.py)."""
        async with self.store.transaction() as tx:
            uow = UnitOfWork(tx, self.clock.now(), self.team, self.cipher)
            await chat_moves.chat_moved(uow, platform, old, new)
        chat_moves.follow(self.team, uow)
        self._committed(list(uow.urgent.values()))

    async def start(self) -> None:
        """Open the store, record the team, plan the rota, and start delivering and firing;
        then finish what the inbox kept from before.

        Raises :class:`bot.ports.StoreFault` (its message is one line for the operator) when
        the database cannot be used, having waited a while for another process's lock; nothing
        is left running then.
        """
        try:
            await with_retries(self.store.open, what="opening the database")
            await with_retries(self._prepare, what="preparing the database")
        except BaseException:
            with contextlib.suppress(Exception):
                await self.store.close()
            raise
        _log_team(self.team)
        await self.worker.release_held()  # what a refused token held goes out now (bot.outages)
        if self.cluster is None:
            self._tasks.append(asyncio.create_task(self.worker.run(), name="outbox"))
            self._tasks.append(asyncio.create_task(self.mail_worker.run(), name="outbox: e-mail"))
            self._tasks.append(
                asyncio.create_task(self.channel_worker.run(), name="outbox: channel")
            )
        else:
            self._tasks.extend(await self.cluster.start())
        self._tasks.append(asyncio.create_task(self.scheduler.run(), name="scheduler"))
        self.prober.start()  # not one of the loops: it ends with the last note before the event
        await self.backlog.resume()

    async def _prepare(self) -> None:
        async with self.store.transaction() as tx:
            for move in await tx.chat_moves():  # where the team channel went, before anything
                self.team.follow(move.platform, move.old_id, move.new_id)
            await tx.sync_members(self.team.identities())
            await rota.plan(UnitOfWork(tx, self.clock.now(), self.team, self.cipher))
            await retention.plan(UnitOfWork(tx, self.clock.now(), self.team, self.cipher))
            await readiness.plan(UnitOfWork(tx, self.clock.now(), self.team, self.cipher))

    async def handle(self, event: Inbound) -> bool:
        """Handle one event; return once what it changed is on disk and its pages are out.

        The adapter acknowledges the event to its platform after this returns (the next
        ``getUpdates`` offset, a webhook's answer, Slack's ack), so a platform only forgets an
        event once a power cut could not take it away; until then it delivers it again, and the
        delivery record makes that harmless. The pages go first (their case is committed), and
        the sync and the adapter's next requests wait for them, 20 ms at most: the adapter's
        requests alongside a page's made it arrive about a millisecond later, and a sync shares
        the same two cores.

        A store that fails for a while (locked by another process, disk full) is tried again
        with backoff (bot/runtime/storage_retry.py); past that, or at once when the file itself is
        broken, this raises :class:`bot.ports.StoreFault`, having stored nothing. Adapters call
        :meth:`accept`, which turns that into a kind answer.
        """
        handled = await with_retries(lambda: self.dispatcher.handle(event), what="an update")
        await self.worker.urgent_sent(0.02)
        await with_retries(self.store.durable, what="syncing the database")
        if handled:  # stored (a duplicate stored nothing, and proves nothing)
            self.alarm.ok()
        return handled

    async def accept(self, event: Inbound, within: float | None) -> bool:
        """Take one event for an adapter, which confirms it to its platform when this returns.

        It returns once the event is stored (see :meth:`handle`); or, when the database keeps
        it waiting past ``within`` seconds (what the platform allows for an answer), once it
        is kept on disk in the inbox, to be finished as soon as the database lets it; or, when
        it cannot be stored at all (disk full, a broken file), once the sender has been told so,
        with the team's emergency information, and the leads alerted (bot/runtime/storage_alarm.py).
        Returns False in that last case only. ``within=None`` never uses the inbox (the console
        has no platform waiting). Any other error (a bug) is raised, as from :meth:`handle`.
        """
        if within is not None and event.delivery_id is None:  # finishing it twice is harmless
            event = dataclasses.replace(event, delivery_id=f"bot:{uuid.uuid4().hex}")
        if within is not None and self.backlog.waiting and await self._keep(event):
            return True  # behind others that wait for the database: in their order
        attempt = asyncio.create_task(self.handle(event), name="update")
        try:
            done, _ = await asyncio.wait({attempt}, timeout=within)
            if not done and await self._keep(event, attempt):
                return True
            await asyncio.wait({attempt})
        except asyncio.CancelledError:
            attempt.cancel()
            raise
        try:
            attempt.result()
        except StoreFault as fault:
            await self.alarm.refuse(event, fault)
            return False
        return True

    async def _keep(self, event: Inbound, attempt: asyncio.Task[bool] | None = None) -> bool:
        """Keep ``event`` in the inbox (see bot/runtime/backlog.py); False if it cannot be
        written."""
        try:
            await self.backlog.keep(event, attempt)
        except (OSError, TypeError, ValueError) as error:
            log.warning("could not keep an update in the inbox: %s", type(error).__name__)
            return False
        return True

    async def flush(self) -> None:
        """Fire what is due and deliver what is queued (the console waits for this)."""
        # Firing can queue messages, and a bounced page can add a timer due now: go until quiet.
        busy = True
        while busy:
            fired = await self.scheduler.fire_due()
            sent = await self.worker.flush() + await self.channel_worker.flush()
            busy = fired + sent + await self.mail_worker.flush() > 0

    async def language_of(self, person: PlatformUser) -> str:
        """The language to write to ``person`` in (see :class:`bot.ports.platform.Core`)."""
        async with self.store.transaction() as tx:
            uow = UnitOfWork(tx, self.clock.now(), self.team, self.cipher)
            member = self.team.member_for(person.platform, person.user_id)
            return await languages.of_sender(uow, person, member)

    def form_fields(self) -> list[Field]:
        """The report form's questions (see :class:`bot.ports.platform.Core`)."""
        return report_form.fields(self.team)

    def form_intro(self) -> str:
        """What the report form says before its questions."""
        return report_form.intro(self.team)

    def form_problems(self, form: dict[str, Any]) -> dict[str, str]:
        """Field name -> why, for every answer the intake would not accept."""
        return report_form.problems(self.team, form)

    async def stop(self) -> None:
        """Stop working; what is still in the inbox stays there for the next start."""
        await self.backlog.stop()
        await self.prober.stop()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.alarm.close()
        await self.store.close()


def _log_team(team: Team) -> None:
    """One line saying the team loaded: counts only, never a name or an id."""
    config = team.config
    log.info(
        "team loaded: members %d, safety contacts %d, leads %d, externals %d, shifts %d",
        len(config.members),
        len(team.with_role("safety_contact")),
        len(team.with_role("lead")),
        len(config.external),
        len(config.rota),
    )
