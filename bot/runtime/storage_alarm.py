"""What the bot does when it cannot store what people send it: it keeps running, tells each
person kindly (with the team's emergency information), and alerts the leads.

Nothing here goes through the outbox, which lives in the database that is failing: messages are
sent straight through the platforms' messengers. The leads hear of each kind of trouble at most
once every :data:`REPEAT`, each on the first of their platforms that takes the message, and hear
it is over when an update is stored again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.domain.team import Team
from bot.ports.events import Address, Inbound, Outbound
from bot.ports.platform import DeliveryError, Messenger
from bot.ports.store import StoreFault
from bot.runtime.clock import Clock
from bot.text import phrases as texts
from bot.text.reader import reading
from bot.text.richtext import Rich

log = logging.getLogger(__name__)

REPEAT = timedelta(minutes=30)  # the leads are reminded this often while the trouble lasts
SEND_TIMEOUT = 15.0  # seconds for one direct message, waits for the platform's pace included
SEND_TRIES = 3


class StorageAlarm:
    def __init__(self, team: Team, messengers: Mapping[str, Messenger], clock: Clock) -> None:
        self._team = team
        self._messengers = messengers
        self._clock = clock
        self._last_alert: dict[str, datetime] = {}  # kind of trouble -> when the leads heard
        self._alerted = False  # the leads were alerted and have not heard it is over
        self._tasks: set[asyncio.Task[None]] = set()

    async def refuse(self, event: Inbound, fault: StoreFault) -> None:
        """Tell the sender their message was not stored and what to do; alert the leads."""
        log.warning("an update could not be stored (%s); its sender is told so", fault.kind)
        if not event.home:  # opening a home tab is not something a person sent
            info = self._team.config.team.emergency_info
            await self._send(Address(event.sender.platform, event.chat_id), texts.not_saved(info))
        self.fault(fault)

    def fault(self, fault: StoreFault) -> None:
        """Storing failed for good (for now): alert the leads, unless they heard of this kind of
        trouble within :data:`REPEAT` (a disk that fills and empties must not flood them)."""
        now = self._clock.now()
        last = self._last_alert.get(fault.kind)
        if last is not None and now - last < REPEAT:
            return
        self._last_alert[fault.kind] = now
        self._alerted = True
        log.error("cannot store: %s", fault)
        self._later(self._tell_leads(lambda: texts.storage_trouble(fault.kind)))

    def ok(self) -> None:
        """An update was stored: if the leads were alerted, tell them storing works again."""
        if not self._alerted:
            return
        self._alerted = False
        log.warning("storing works again")
        self._later(self._tell_leads(lambda: texts.STORAGE_RECOVERED))

    async def close(self) -> None:
        """Let the alerts on their way finish (a stopping bot's last words), briefly."""
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=SEND_TIMEOUT)
        for task in list(self._tasks):
            task.cancel()

    def _later(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work, name="storage alarm")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _tell_leads(self, write: Callable[[], Rich]) -> None:
        """One message to each lead (the first platform that takes it), in the team's language:
        what a lead chose is in the store, which is what fails."""
        with reading(self._team.config.team.language):
            text = write()
        leads = self._team.with_role("lead") or self._team.handlers()
        for lead in leads:
            for address in self._team.addresses_for(lead):
                if await self._send(address, text):
                    break  # one platform that works is enough

    async def _send(self, address: Address, text: Rich) -> bool:
        """Send one message now, waiting for the platform's pace a few times; True if sent."""
        messenger = self._messengers.get(address.platform)
        if messenger is None:
            return False
        for _ in range(SEND_TRIES):
            try:
                async with asyncio.timeout(SEND_TIMEOUT):
                    await messenger.send(Outbound(address, text))
                return True
            except DeliveryError as error:
                if error.retry_after is None or error.permanent:
                    log.warning("a direct message on %s failed: %s", address.platform, error)
                    return False
                await asyncio.sleep(error.retry_after)
            except Exception as error:  # a platform down is why we try the next one
                name = type(error).__name__
                log.warning("a direct message on %s failed: %s", address.platform, name)
                return False
        return False
