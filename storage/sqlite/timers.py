"""Deadlines (see :class:`bot.ports.repositories.Timers`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.ports.records import TimerRow
from storage.sqlite.statements import Statements, from_ts
from storage.sqlite.statements import ts as _ts


class SqliteTimers(Statements):
    """:class:`bot.ports.repositories.Timers` in SQL, for both stores."""

    async def add_timer(
        self,
        due_at: datetime,
        kind: str,
        case_id: int | None,
        payload: dict[str, Any],
        fence: int,
        key: str | None = None,
    ) -> None:
        self._wake("fsb_timers")
        self._later(
            "INSERT OR IGNORE INTO timers (due_at, kind, case_id, payload, fence, key)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (_ts(due_at), kind, case_id, json.dumps(payload), fence, key),
        )

    async def due_timers(self, now: datetime, limit: int = 100) -> list[TimerRow]:
        # Claimed for this transaction (``_CLAIM_ROWS``): where processes share the database, the
        # row locks are held until it commits or rolls back, so no other process fires these
        # timers meanwhile, and a process that dies mid-way gives them up with its connection at
        # once (the firing is one transaction: nothing half-done to wait out, so a row lock is
        # the whole lease). Rows another process holds are skipped, not waited for.
        rows = await self._all(
            "SELECT id, due_at, kind, case_id, payload, fence FROM timers"
            " WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?"
            + self._CLAIM_ROWS,
            (_ts(now), limit),
        )
        return [
            TimerRow(
                id=row[0],
                due_at=from_ts(row[1]),
                kind=row[2],
                case_id=row[3],
                payload=json.loads(row[4]),
                fence=row[5],
            )
            for row in rows
        ]

    async def complete_timer(self, timer_id: int, now: datetime) -> None:
        self._later(
            "UPDATE timers SET status = 'done', done_at = ? WHERE id = ?", (_ts(now), timer_id)
        )

    async def cancel_timers(self, case_id: int, kinds: list[str]) -> None:
        marks = ",".join("?" for _ in kinds)
        self._later(
            f"UPDATE timers SET status = 'cancelled' WHERE case_id = ? AND status = 'pending'"
            f" AND kind IN ({marks})",
            (case_id, *kinds),
        )

    async def next_timer_due(self) -> datetime | None:
        row = await self._one("SELECT MIN(due_at) FROM timers WHERE status = 'pending'")
        return from_ts(row[0]) if row and row[0] is not None else None
