"""The front door for every inbound event, whatever adapter it came from.

Each event is handled in one transaction together with its de-duplication record: a platform retry
or a double tap finds its delivery id already claimed and does nothing, and a crash before commit
leaves no trace, so the platform's retry is handled as if new. The outbox is woken only after
commit, so nobody is told "received" about something not yet stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.clock import Clock
from bot.crypto import Cipher
from bot.failpoints import failpoint
from bot.messages import Inbound
from bot.ports import Store
from bot.team import Team
from bot.unit_of_work import UnitOfWork
from handlers.context import Request
from handlers.router import route

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(
        self,
        store: Store,
        team: Team,
        cipher: Cipher,
        clock: Clock,
        on_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.team = team
        self.cipher = cipher
        self.clock = clock
        self.on_commit = on_commit

    async def handle(self, event: Inbound) -> bool:
        """Handle one event; False when it was a duplicate delivery and nothing was done."""
        async with self.store.transaction() as tx:
            now = self.clock.now()
            if event.delivery_id is not None and not await tx.claim_delivery(
                event.sender.platform, event.delivery_id, now
            ):
                log.info("duplicate delivery ignored")
                return False
            uow = UnitOfWork(tx, now, self.team, self.cipher)
            member = self.team.member_for(event.sender.platform, event.sender.user_id)
            await route(Request(uow, event, member))
            sent = uow.sent
        for milestone in uow.milestones:
            failpoint(f"after_commit:{milestone}")
        if sent:
            self.on_commit()
        return True
