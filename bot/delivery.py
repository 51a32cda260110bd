"""The outbox workers: the only code that talks to platforms to send.

Rows are committed before a worker sees them, so a crash before sending loses nothing: the next
start sends what is pending. A row is marked sent right after the platform accepts it; a death
between the two re-sends it once on restart (at least once: a repeated page beats a lost one).
Rate limits wait ``retry_after``; other failures back off; a person who blocked the bot is marked
unreachable. Pages do not wait for the disk to sync (see storage/sqlite.py); every other message
does, so nobody is told "received" about something a power cut could still take away.

There are two workers, two lanes: one for team-channel posts, one for everything else. A channel
post held back by its platform's limit (Telegram allows a group 20 messages a minute) then holds
up other channel posts only, never a page.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.failpoints import failpoint
from bot.loop import Health, WakeableLoop
from bot.messages import Outbound
from bot.ports import DeliveryError, Messenger, OutboxRow, Store, StoreFault
from bot.unit_of_work import EDITABLE_PURPOSES, URGENT_PURPOSES

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=5)
BATCH = 5
MAX_ATTEMPTS = 50


def _conversation(message: Outbound) -> tuple[str, str]:
    return (message.address.platform, message.address.chat_id)


def backoff(attempts: int) -> timedelta:
    return min(MAX_BACKOFF, timedelta(seconds=2 ** min(attempts, 10)))


class OutboxWorker:
    def __init__(
        self,
        store: Store,
        messengers: dict[str, Messenger],
        clock: Clock,
        on_unreachable: Callable[[str, str], None] | None = None,
        *,
        channel: bool = False,
        health: Health | None = None,
    ) -> None:
        self._channel = channel  # this lane sends the team-channel posts (and only those)
        self._store = store
        self._messengers = messengers
        self._clock = clock
        self._loop = WakeableLoop(clock, health)
        # Rows a platform took while the store could not record it (disk full): their platform
        # refs, so that they are marked, not sent again, once it can (see _deliver).
        self._unmarked: dict[int, str] = {}
        self._lock = asyncio.Lock()
        self._on_unreachable = on_unreachable
        self._urgent: set[asyncio.Task[None]] = set()  # sends from memory (see committed)
        # Conversations whose platform asked us to wait (DeliveryError.paced), and until when.
        self._paced: dict[tuple[str, str], datetime] = {}

    def wake(self) -> None:
        """New rows were committed: look at the outbox now rather than at the next deadline."""
        self._loop.wake()

    def committed(self, urgent: Sequence[OutboxRow]) -> None:
        """New rows were committed, ``urgent`` (pages) among them, as the transaction wrote them.

        When nothing is being delivered, the urgent rows go out at once from memory: reading them
        back would cost the page a transaction of its own (a millisecond or two). Otherwise the
        loop finds them first thing, since pages sort first.
        """
        if urgent and not self._lock.locked():
            task = asyncio.create_task(self._deliver_now(list(urgent)), name="outbox: urgent")
            self._urgent.add(task)
            task.add_done_callback(self._urgent.discard)
        self.wake()

    async def urgent_sent(self, timeout: float) -> None:
        """Wait, at most ``timeout`` seconds, for the urgent rows in hand to be delivered."""
        if self._urgent:
            await asyncio.wait(self._urgent, timeout=timeout)

    async def _deliver_now(self, rows: list[OutboxRow]) -> None:
        # Checked and taken with no await in between: if the loop took the lock first, it reads
        # these rows from the store itself and they must not go twice.
        if self._lock.locked():
            return
        async with self._lock:
            for row in rows:
                try:
                    await self._deliver(row)
                except StoreFault as fault:  # the row stays pending: the loop tries it again
                    log.warning("could not record outbox row %s: %s", row.id, fault)
                except Exception:
                    log.exception("could not deliver outbox row %s", row.id)

    async def flush(self) -> int:
        """Send everything due now; return how many rows were handled. Safe to call anytime."""
        handled = 0
        async with self._lock:
            while True:
                async with self._store.transaction() as tx:
                    # A few at a time, so a page written meanwhile goes before older posts.
                    rows = await tx.due_outbox(self._clock.now(), BATCH, self._channel)
                if not rows:
                    return handled
                for row in rows:
                    await self._deliver(row)
                    handled += 1

    async def run(self) -> None:
        """Deliver forever: wake on new rows or at the next retry time."""
        try:
            await self._loop.forever(self.flush, self._next_due, "outbox delivery")
        finally:
            for task in list(self._urgent):
                task.cancel()
            await asyncio.gather(*self._urgent, return_exceptions=True)

    async def _next_due(self) -> datetime | None:
        async with self._store.transaction() as tx:
            return await tx.next_outbox_due(self._channel)

    async def _deliver(self, row: OutboxRow) -> None:
        now = self._clock.now()
        taken = self._unmarked.get(row.id)
        if taken is not None:  # sent before; only the record of it is missing
            await self._mark_sent(row, taken, now)
            del self._unmarked[row.id]
            return
        if row.message is None:
            async with self._store.transaction() as tx:
                await tx.mark_failed(row.id, "no payload")
            return
        message = row.message
        if row.replaces is not None:
            prepared = await self._edit_target(row, message, now)
            if prepared is None:
                return
            message = prepared
        messenger = self._messengers.get(message.address.platform)
        if messenger is None:
            async with self._store.transaction() as tx:
                await tx.mark_retry(row.id, now + timedelta(minutes=1), "platform not running")
            return
        paced_until = self._paced.get(_conversation(message))
        if paced_until is not None and paced_until > now:
            # A message before this one in the same conversation is waiting for its turn:
            # this one waits too, so the person reads them in the order they were written.
            async with self._store.transaction() as tx:
                await tx.mark_retry(row.id, paced_until, "paced", counted=False)
            return
        await self._send(row, message, messenger, now)

    async def _send(
        self, row: OutboxRow, message: Outbound, messenger: Messenger, now: datetime
    ) -> None:
        """Send one row's message and record that it went. Should the store refuse the record
        (disk full), the platform's ref is kept in memory, so that the row is recorded later
        rather than sent again (see ``_unmarked``)."""
        if row.purpose not in URGENT_PURPOSES:
            # A page leaves as soon as its case is committed; anything else, a reporter's
            # "your report is in" above all, only once what it speaks of is safe on disk.
            await self._store.durable()
        failpoint("before_send")
        try:
            ref = await messenger.send(message)
        except DeliveryError as error:
            await self._failed(row, message, error, now)
            return
        except Exception as exc:  # an adapter bug must not wedge the outbox: back off, retry
            log.exception("unexpected error delivering outbox row %s", row.id)
            await self._failed(row, message, DeliveryError(type(exc).__name__), now)
            return
        try:
            await self._mark_sent(row, ref, now)
        except StoreFault:
            self._unmarked[row.id] = ref
            raise
        log.info("delivered outbox row %s (%s)", row.id, row.purpose)

    async def _mark_sent(self, row: OutboxRow, ref: str, now: datetime) -> None:
        async with self._store.transaction() as tx:
            purge = row.purpose not in EDITABLE_PURPOSES
            newer = await tx.mark_sent(row.id, ref, self._clock.now(), purge, row.revision)
            if newer is not None:
                # Rewritten while this send was on its way (an acknowledgement racing a page):
                # what went out is the old text, so the new one follows as an edit.
                await tx.enqueue(
                    newer,
                    purpose=f"{row.purpose}-edit",
                    case_id=row.case_id,
                    now=now,
                    replaces=row.id,
                )

    async def _edit_target(
        self, row: OutboxRow, message: Outbound, now: datetime
    ) -> Outbound | None:
        """An edit needs the platform id of the message it changes; wait for it if unsent."""
        assert row.replaces is not None
        async with self._store.transaction() as tx:
            original = await tx.get_outbox(row.replaces)
            if original is None or original.status == "failed":
                await tx.mark_failed(row.id, "original message was never delivered")
                return None
            if original.sent_ref is None:
                await tx.mark_retry(row.id, now + timedelta(seconds=1), "original not sent yet")
                return None
        return Outbound(message.address, message.text, message.choices, original.sent_ref)

    async def _failed(
        self, row: OutboxRow, message: Outbound, error: DeliveryError, now: datetime
    ) -> None:
        if error.paced:  # not a failure: its conversation's turn comes again shortly
            until = now + timedelta(seconds=error.retry_after or 1.0)
            self._paced = {key: at for key, at in self._paced.items() if at > now}
            self._paced[_conversation(message)] = until
            async with self._store.transaction() as tx:
                await tx.mark_retry(row.id, until, error.reason, counted=False)
            return
        log.warning("delivery of outbox row %s failed: %s", row.id, error.reason)
        async with self._store.transaction() as tx:
            if error.unreachable:
                await tx.mark_unreachable(message.address.platform, message.address.chat_id, now)
                if row.purpose == "page" and row.case_id is not None:
                    # the chain decides, in its own transaction, whether to move on at once
                    await tx.add_timer(
                        now,
                        "page_failed",
                        row.case_id,
                        {"platform": message.address.platform, "chat_id": message.address.chat_id},
                        -1,
                    )
            if error.permanent or row.attempts + 1 >= MAX_ATTEMPTS:
                await tx.mark_failed(row.id, error.reason)
            else:
                wait = (
                    timedelta(seconds=error.retry_after)
                    if error.retry_after is not None
                    else backoff(row.attempts)
                )
                await tx.mark_retry(row.id, now + wait, error.reason)
        if error.unreachable and self._on_unreachable is not None:
            self._on_unreachable(message.address.platform, message.address.chat_id)
