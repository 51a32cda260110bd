"""Platform deliveries claimed once (see :class:`bot.ports.repositories.Deliveries`).

Mixed into :class:`storage.sqlite.tx.SqliteTx`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import datetime

import aiosqlite

from storage.sqlite.statements import Statements
from storage.sqlite.statements import ts as _ts


async def _inserted(write: Awaitable[aiosqlite.Cursor]) -> bool:
    """Whether a queued ``INSERT OR IGNORE`` inserted its row."""
    return (await write).rowcount == 1


class SqliteDeliveries(Statements):
    """:class:`bot.ports.repositories.Deliveries` on SQLite."""

    def claim_delivery(self, platform: str, delivery_id: str, now: datetime) -> Awaitable[bool]:
        write = asyncio.ensure_future(
            self._db.execute(
                "INSERT OR IGNORE INTO deliveries (platform, delivery_id, seen_at)"
                " VALUES (?, ?, ?)",
                (platform, delivery_id, _ts(now)),
            )
        )
        self._writes.append(write)
        return asyncio.ensure_future(_inserted(write))
