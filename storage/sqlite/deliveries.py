"""Platform deliveries claimed once (see :class:`bot.ports.repositories.Deliveries`): the primary
key decides, and a second claim of the same delivery, by this process or another sharing the
database, inserts nothing.

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime

from storage.sqlite.statements import Statements
from storage.sqlite.statements import ts as _ts


class SqliteDeliveries(Statements):
    """:class:`bot.ports.repositories.Deliveries` in SQL."""

    def claim_delivery(self, platform: str, delivery_id: str, now: datetime) -> Awaitable[bool]:
        return self._later_changed(
            "INSERT OR IGNORE INTO deliveries (platform, delivery_id, seen_at) VALUES (?, ?, ?)",
            (platform, delivery_id, _ts(now)),
        )
