"""The outbox workers: the only code that talks to platforms to send.

Rows are committed before a worker sees them, so a crash before sending loses nothing: the next
start sends what is pending. A row is marked sent right after the platform accepts it; a death
between the two re-sends it once on restart (at least once: a repeated page beats a lost one).
Rate limits wait ``retry_after``; other failures back off; a person who blocked the bot is marked
unreachable (and reachable again once a message to them goes through). A message the platform
refuses for good is sent once more in a safe plain form (bot.refusals); a platform that refuses
the bot's own credentials is held whole (bot.outages). A page that bounces, is refused or is held
lets the chain move on at once (the ``page_failed`` timer). What is logged and stored about a
failure is the adapter's content-free reason, never an exception's text. Pages do not wait for
the disk to sync (see storage/sqlite/store.py); every other message does, so nobody is told
"received"
about something a power cut could still take away.

There are three workers, three lanes (bot/runtime/lanes.py): team-channel posts, e-mail, and
everything else. A channel post held back by its platform's limit (Telegram allows a group 20
messages a minute), or an e-mail waiting for a slow server, holds up its own lane, never a page.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.ports.events import Outbound
from bot.ports.platform import DeliveryError, Messenger
from bot.ports.store import OutboxRow, Store, StoreFault
from bot.runtime.clock import Clock
from bot.runtime.delivery_failures import (
    MAX_ATTEMPTS,
    after_failure,
    conversation,
    log_unexpected,
)
from bot.runtime.failpoints import failpoint
from bot.runtime.lanes import in_lane
from bot.runtime.loop import Health, WakeableLoop
from bot.runtime.metrics import Metrics
from bot.runtime.outbox_claims import OutboxClaims
from bot.services.outages import Outage, PlatformOutages
from bot.services.page_counts import real_page
from bot.services.page_failures import page_failed
from bot.services.testpages import page_delivered
from bot.uow import EDITABLE_PURPOSES, URGENT_PURPOSES

log = logging.getLogger(__name__)

BATCH = 5


class OutboxWorker:
    """Delivers the outbox through the platforms' messengers: one lane (team-channel posts, or
    everything else). ``on_bounce(platform, chat_id)`` is called after a page bounced, was
    refused or held (a ``page_failed`` timer is due now); ``on_outage(outage)`` when a platform
    starts or stops refusing the bot's credentials (``outages`` is shared by the lanes)."""

    def __init__(
        self,
        store: Store,
        messengers: dict[str, Messenger],
        clock: Clock,
        on_unreachable: Callable[[str, str], None] | None = None,
        *,
        channel: bool = False,
        mail: bool = False,
        outages: PlatformOutages | None = None,
        on_outage: Callable[[Outage], Awaitable[None]] | None = None,
        on_moved: Callable[[str, str, str], Awaitable[None]] | None = None,
        health: Health | None = None,
        metrics: Metrics | None = None,
        on_timer: Callable[[], None] | None = None,
    ) -> None:
        self._metrics = metrics or Metrics(())  # pages sent and failed, retries (per platform)
        self._on_timer = on_timer  # a timer due now was added (a test page delivered)
        self._channel = channel  # this lane sends the team-channel posts (and only those)
        self._mail = mail  # this lane sends the e-mail (and only that)
        # The platform moved a chat to a new id: (platform, old, new), to be followed before
        # the message is tried again (see bot/services/chat_moves.py).
        self._on_moved = on_moved
        self._store = store
        self._messengers = messengers
        self._clock = clock
        self._loop = self.heartbeat = WakeableLoop(clock, health)
        # Rows a platform took while the store could not record it (disk full): their platform
        # refs, so that they are marked, not sent again, once it can (see _deliver).
        self._unmarked: dict[int, str] = {}
        self._lock = asyncio.Lock()
        self._on_bounce = on_unreachable
        self._outages = outages or PlatformOutages()
        self._on_outage = on_outage
        self._urgent: set[asyncio.Task[None]] = set()  # sends from memory (see committed)
        self._claims = OutboxClaims()
        # Conversations whose platform asked us to wait (DeliveryError.paced), and until when.
        self._paced: dict[tuple[str, str], datetime] = {}

    def wake(self) -> None:
        """New rows were committed: look at the outbox now rather than at the next deadline."""
        self._loop.wake()

    def committed(self, urgent: Sequence[OutboxRow]) -> None:
        """New rows were committed, ``urgent`` (pages) among them, as the transaction wrote them:
        those of this worker's lane go out at once from memory, even while the loop sends ordinary
        messages (see bot/runtime/outbox_claims.py, which also keeps a row from going twice)."""
        urgent = [r for r in urgent if in_lane(r, channel=self._channel, mail=self._mail)]
        if urgent:
            task = asyncio.create_task(self._deliver_now(list(urgent)), name="outbox: urgent")
            self._urgent.add(task)
            task.add_done_callback(self._urgent.discard)
        self.wake()

    async def urgent_sent(self, timeout: float) -> None:
        """Wait, at most ``timeout`` seconds, for the urgent rows in hand to be delivered."""
        if self._urgent:
            await asyncio.wait(self._urgent, timeout=timeout)

    async def _deliver_now(self, rows: list[OutboxRow]) -> None:
        for row in rows:
            if not self._claims.claim(row.id):
                continue  # the loop has it
            try:
                await self._deliver(row)
            except StoreFault as fault:  # the row stays pending: the loop tries it again
                log.warning("could not record outbox row %s: %s", row.id, fault)
            except Exception as exc:  # the row stays pending: the loop tries it again
                log_unexpected("could not deliver", row.id, exc)
            finally:
                self._claims.ended(row.id)

    async def flush(self) -> int:
        """Send everything due now; return how many rows were handled. Safe to call anytime."""
        handled = 0
        async with self._lock:
            while True:
                sending = self._claims.before_read()
                async with self._store.transaction() as tx:
                    # A few at a time, so a page written meanwhile goes before older posts.
                    rows = await tx.due_outbox(
                        self._clock.now(), BATCH, self._channel, mail=self._mail
                    )
                mine = [row for row in rows if not self._claims.taken(row.id)]
                if not mine and rows and sending and self._urgent:
                    await asyncio.wait(set(self._urgent))  # pages under way: then read again
                    continue
                if not mine:
                    return handled
                for row in mine:
                    if not self._claims.claim(row.id):
                        continue  # sent from memory since it was read
                    try:
                        await self._deliver(row)
                    finally:
                        self._claims.release(row.id)
                    handled += 1

    async def release_held(self) -> None:
        """Messages held for a platform that refused the bot's credentials (by an earlier run:
        this one knows of no outage yet) are due now, so a replaced token is tried at once."""
        async with self._store.transaction() as tx:
            await tx.release_held(self._clock.now())

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
            return await tx.next_outbox_due(self._channel, mail=self._mail)

    async def _deliver(self, row: OutboxRow) -> None:
        self._loop.beat()
        now = self._clock.now()
        if await self._recorded_late(row, now):
            return
        message = await self._prepared(row, now)
        if message is None:
            return
        messenger = self._messengers.get(message.address.platform)
        if messenger is None:
            async with self._store.transaction() as tx:
                await tx.mark_retry(row.id, now + timedelta(minutes=1), "platform not running")
            return
        if await self._waits(row, message, now):
            return
        if row.purpose not in URGENT_PURPOSES:
            # A page leaves as soon as its case is committed; anything else, a reporter's
            # "your report is in" above all, only once what it speaks of is safe on disk.
            await self._store.durable()
        else:  # ahead of ordinary messages in the platform's own queue too
            message = replace(message, urgent=True)
        failpoint("before_send")
        try:
            ref = await messenger.send(message)
        except DeliveryError as error:
            await self._failed(row, message, error, now)
            return
        except Exception as exc:  # an adapter bug must not wedge the outbox: back off, retry
            log_unexpected("unexpected error delivering", row.id, exc)
            unexpected = DeliveryError(f"adapter error {type(exc).__name__}")
            await self._failed(row, message, unexpected, now)
            return
        try:
            await self._sent(row, message, ref, now)
        except StoreFault:
            self._unmarked[row.id] = ref
            raise

    async def _recorded_late(self, row: OutboxRow, now: datetime) -> bool:
        """Record a row the platform took while the store could not record it (disk full), so
        that it is marked sent rather than sent again; True if it was such a row."""
        taken = self._unmarked.get(row.id)
        if taken is None or row.message is None:
            return False
        await self._sent(row, row.message, taken, now)
        del self._unmarked[row.id]
        return True

    async def _prepared(self, row: OutboxRow, now: datetime) -> Outbound | None:
        """The message to send now, or ``None`` when the row cannot go (yet)."""
        if row.message is None:
            async with self._store.transaction() as tx:
                await tx.mark_failed(row.id, "no payload")
            return None
        if row.replaces is None:
            return row.message
        return await self._edit_target(row, row.message, now)

    async def _waits(self, row: OutboxRow, message: Outbound, now: datetime) -> bool:
        """Put the row back, uncounted, while its platform is held or its conversation paced."""
        held = self._outages.held(message.address.platform, now)
        if held is not None:
            await self._hold(row, message, *held, now)
            return True
        paced_until = self._paced.get(conversation(message))
        if paced_until is not None and paced_until > now:
            # A message before this one in the same conversation is waiting for its turn:
            # this one waits too, so the person reads them in the order they were written.
            async with self._store.transaction() as tx:
                await tx.mark_retry(row.id, paced_until, "paced", counted=False)
            return True
        return False

    async def _sent(self, row: OutboxRow, message: Outbound, ref: str, now: datetime) -> None:
        address = message.address
        outage = self._outages.worked(address.platform)
        async with self._store.transaction() as tx:
            counted = await real_page(tx, row)
            purge = row.purpose not in EDITABLE_PURPOSES
            newer = await tx.mark_sent(row.id, ref, self._clock.now(), purge, row.revision)
            delivered = await page_delivered(tx, row, self._clock.now())
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
            if (address.platform, address.chat_id) in await tx.unreachable():
                await tx.mark_reachable(address.platform, address.chat_id)  # they are back
            if outage is not None:
                await tx.release_held(now, address.platform)
        if counted:
            self._metrics.page_sent(address.platform)
        log.info("delivered outbox row %s (%s)", row.id, row.purpose)
        if delivered and self._on_timer is not None:
            self._on_timer()
        if outage is not None:
            log.warning(
                "%s takes the bot's messages again; the messages held since %s go out now",
                address.platform,
                outage.since.isoformat(timespec="seconds"),
            )
            await self._outage_changed(outage)

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
        return replace(message, replaces_ref=original.sent_ref)

    async def _failed(
        self, row: OutboxRow, message: Outbound, error: DeliveryError, now: datetime
    ) -> None:
        address = message.address
        if not error.paced and row.purpose == "page":
            async with self._store.transaction() as tx:
                if await real_page(tx, row):
                    self._metrics.page_not_taken(address.platform)
        moved = error.moved_to not in (None, address.chat_id)
        if moved and self._on_moved is not None and row.attempts + 1 < MAX_ATTEMPTS:
            # The chat is elsewhere now, and this message goes there at once. Counted all the
            # same, so that a platform that kept moving a chat could not keep it going forever.
            await self._on_moved(address.platform, address.chat_id, str(error.moved_to))
            self._metrics.retry(address.platform, self._channel)
            async with self._store.transaction() as tx:
                await tx.mark_retry(row.id, now, error.reason)
            return
        if error.paced:  # not a failure: its conversation's turn comes again shortly
            until = now + timedelta(seconds=error.retry_after or 1.0)
            self._paced = {key: at for key, at in self._paced.items() if at > now}
            self._paced[conversation(message)] = until
            async with self._store.transaction() as tx:
                await tx.mark_retry(row.id, until, error.reason, counted=False)
            return
        if error.credentials:  # the bot's fault, not the person's: logged once, by the outage
            await self._credentials_refused(row, message, error, now)
            return
        log.warning("delivery of outbox row %s failed: %s", row.id, error.reason)
        async with self._store.transaction() as tx:
            if error.unreachable:
                await tx.mark_unreachable(message.address.platform, message.address.chat_id, now)
            if error.permanent:
                why = "unreachable" if error.unreachable else "refused"
                await page_failed(tx, row, message, now, why)
            if await after_failure(tx, row, message, error, now):
                self._metrics.retry(message.address.platform, self._channel)
        if error.permanent and row.purpose in URGENT_PURPOSES:
            self._bounced(message)

    async def _credentials_refused(
        self, row: OutboxRow, message: Outbound, error: DeliveryError, now: datetime
    ) -> None:
        """Hold the whole platform: nobody is unreachable, no attempt counts, nothing is given
        up. A new outage is logged once and the leads are told (``on_outage``)."""
        platform = message.address.platform
        outage, new = self._outages.refused(platform, error.reason, now)
        async with self._store.transaction() as tx:
            await tx.hold_platform(platform, outage.until, f"held: {outage.reason}")
        await self._hold(row, message, outage.until, f"held: {outage.reason}", now)
        if new:
            log.error(
                "%s refused the bot's own credentials (%s). Nobody is marked unreachable; its"
                " messages are held and it is tried again with growing waits.",
                platform,
                error.reason,
            )
            await self._outage_changed(outage)

    async def _hold(
        self, row: OutboxRow, message: Outbound, until: datetime, reason: str, now: datetime
    ) -> None:
        """Put a row back until its platform is tried again; a page lets its chain move on
        (once for each row: the timer's key)."""
        async with self._store.transaction() as tx:
            await tx.mark_retry(row.id, until, reason, counted=False)
            await page_failed(tx, row, message, now, "held", key=f"page_held:{row.id}")
        if row.purpose in URGENT_PURPOSES:
            self._bounced(message)

    def _bounced(self, message: Outbound) -> None:
        if self._on_bounce is not None:
            self._on_bounce(message.address.platform, message.address.chat_id)

    async def _outage_changed(self, outage: Outage) -> None:
        if self._on_outage is None:
            return
        try:
            await self._on_outage(outage)
        except Exception as exc:  # telling the leads must not stop delivery
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error(
                "could not tell the leads about %s: %s\n%s",
                outage.platform,
                type(exc).__name__,
                frames,
            )
