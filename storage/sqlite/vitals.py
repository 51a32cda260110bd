"""Counts for the health check and the metrics (see :class:`bot.ports.repositories.Vitals`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`. Read only,
and served by the outbox's and the timers' ``(status, ...)`` indexes."""

from __future__ import annotations

from bot.ports.records import VitalSigns
from storage.sqlite.statements import Statements, from_ts


class SqliteVitals(Statements):
    """:class:`bot.ports.repositories.Vitals` in SQL, for both stores."""

    async def vital_signs(self) -> VitalSigns:
        rows = await self._all(
            "SELECT CASE WHEN purpose LIKE 'channel%' THEN 'channel' ELSE 'direct' END, platform,"
            " COUNT(*) FROM outbox WHERE status = 'pending' GROUP BY 1, 2"
        )
        oldest = await self._one(
            "SELECT MIN(created_at) FROM outbox WHERE status = 'pending' AND purpose = 'page'"
        )
        timers = await self._one("SELECT COUNT(*) FROM timers WHERE status = 'pending'")
        return VitalSigns(
            backlog={(str(lane), str(platform)): int(count) for lane, platform, count in rows},
            oldest_page=from_ts(oldest[0]) if oldest and oldest[0] is not None else None,
            timers=int(timers[0]) if timers else 0,
        )
