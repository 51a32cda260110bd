"""Duty changes and shift confirmations (see :class:`bot.ports.repositories.Duty`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from datetime import datetime

from bot.ports.records import DutyChange
from storage.sqlite.statements import Statements, from_ts
from storage.sqlite.statements import ts as _ts


class SqliteDuty(Statements):
    """:class:`bot.ports.repositories.Duty` in SQL, for both stores."""

    async def add_duty_change(
        self, member_id: str, on_duty: bool, at: datetime, until: datetime | None
    ) -> None:
        self._remembered.duty = None
        self._later(
            "INSERT INTO duty_changes (member_id, on_duty, at, until) VALUES (?, ?, ?, ?)",
            (member_id, int(on_duty), _ts(at), _ts(until) if until else None),
        )

    async def duty_changes(self) -> list[DutyChange]:
        if self._remembered.duty is None:
            rows = await self._all(
                "SELECT member_id, on_duty, at, until FROM duty_changes ORDER BY at, id"
            )
            self._remembered.duty = tuple(
                DutyChange(
                    row[0], bool(row[1]), from_ts(row[2]), from_ts(row[3]) if row[3] else None
                )
                for row in rows
            )
        return list(self._remembered.duty)

    async def confirm_shift(self, shift_key: str, member_id: str, at: datetime) -> bool:
        cursor = await self._now(
            "INSERT OR IGNORE INTO shift_confirmations (shift_key, member_id, at) VALUES (?, ?, ?)",
            (shift_key, member_id, _ts(at)),
        )
        return cursor.rowcount == 1

    async def shift_confirmed(self, shift_key: str) -> bool:
        row = await self._one("SELECT 1 FROM shift_confirmations WHERE shift_key = ?", (shift_key,))
        return row is not None
