"""Platform deliveries claimed once (see :class:`bot.ports.repositories.Deliveries`), across
every process on the database: the primary key decides, and a second claim of the same
delivery, by this process or another, inserts nothing.

Mixed into :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime

from storage.postgres.statements import Statements
from storage.postgres.statements import ts as _ts


class PgDeliveries(Statements):
    """:class:`bot.ports.repositories.Deliveries` on PostgreSQL."""

    def claim_delivery(self, platform: str, delivery_id: str, now: datetime) -> Awaitable[bool]:
        counted = self._later_counted(
            "INSERT INTO deliveries (platform, delivery_id, seen_at) VALUES (%s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (platform, delivery_id, _ts(now)),
        )
        return self._claimed(counted)

    async def _claimed(self, counted: list[int]) -> bool:
        if not counted:  # not sent yet: send it (and what was queued before it) now
            await self.settle()
        if not counted:
            raise RuntimeError("the delivery claim was not made (its transaction failed)")
        return counted[0] == 1
