"""Messages waiting to be sent (see :class:`bot.ports.repositories.Outbox`), claimed with a lease
by the process sending them (several processes may share the database).

The rest is storage/sqlite/outbox.py, shared. Mixed into :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.addresses import EMAIL
from bot.domain.codes import DRILL_PREFIX
from bot.ports.records import OutboxRow
from storage.postgres.statements import PgStatements
from storage.sqlite.outbox import _OUTBOX_COLUMNS, SqliteOutbox
from storage.sqlite.statements import from_ts
from storage.sqlite.statements import ts as _ts

# How long a claimed row is this process's alone, in seconds of the bot's clock: longer than a
# send takes (the platforms' time-outs are 30 s at most, bot/runtime/delivery.py).
LEASE = 120.0

_IDS_AT_ONCE = 8  # outbox ids drawn in one trip (see _new_outbox_id)


class PgOutbox(SqliteOutbox, PgStatements):
    """:class:`bot.ports.repositories.Outbox` on PostgreSQL: SQLite's, with leases."""

    _LEASE_FREE = ", lease_owner = NULL, lease_until = NULL"
    _LOCK_ROW = " FOR UPDATE"

    @staticmethod
    def _flag(value: bool) -> Any:
        return value

    async def _new_outbox_id(self) -> int:
        # The id is drawn from the table's sequence ahead (a few at once: a report queues four
        # messages), so the insert need not be waited for. Sequences never hand one number
        # out twice, to this process or another; an unused one is a harmless gap.
        if not self._outbox_ids:
            rows = await self._all(
                "SELECT nextval(pg_get_serial_sequence('outbox', 'id')) FROM generate_series(1, ?)",
                (_IDS_AT_ONCE,),
            )
            self._outbox_ids = [int(row[0]) for row in rows]
        return self._outbox_ids.pop(0)

    async def due_outbox(
        self, now: datetime, limit: int, channel: bool, *, mail: bool = False
    ) -> list[OutboxRow]:
        """Pending rows due now, claimed for this process for :data:`LEASE` seconds: rows
        another process is sending are skipped (locked) or left alone (leased) until its lease
        runs out, so a row is never sent by two processes at once, and the rows of a process
        that died go out once their lease has run out (or at once, when the process that takes
        the outbox over releases them: :meth:`release_leases`)."""
        rows = await self._all(
            f"UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id IN ("
            " SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?"
            " AND (purpose LIKE 'channel%') = ? AND (platform = ?) = ?"
            " AND (lease_until IS NULL OR lease_until <= ? OR lease_owner = ?)"
            # Pages first, a real case's before a drill's (bot/services/drills.py); within a
            # kind, the order they were written.
            " ORDER BY CASE WHEN purpose NOT IN ('page', 'external') THEN 2"
            " WHEN case_id IN (SELECT id FROM cases WHERE code LIKE ?) THEN 1 ELSE 0 END,"
            f" id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING {_OUTBOX_COLUMNS}",
            (
                self._owner,
                _ts(now) + LEASE,
                _ts(now),
                channel,
                EMAIL,
                mail,
                _ts(now),
                self._owner,
                f"{DRILL_PREFIX}%",
                limit,
            ),
        )
        return [self._outbox(row) for row in await self._in_order(rows)]

    async def _in_order(self, rows: list[Any]) -> list[Any]:
        """``rows`` (UPDATE ... RETURNING: in no order) as due_outbox sends them: pages first, a
        real case's before a drill's, then in the order written."""
        cases = sorted({row[1] for row in rows if row[1] is not None})
        drills: set[int] = set()
        if cases:
            found = await self._all(
                "SELECT id FROM cases WHERE id = ANY(?) AND code LIKE ?",
                (cases, f"{DRILL_PREFIX}%"),
            )
            drills = {int(row[0]) for row in found}

        def rank(row: Any) -> tuple[int, int]:
            if row[2] not in ("page", "external"):
                return (2, row[0])
            return (1 if row[1] in drills else 0, row[0])

        return sorted(rows, key=rank)

    async def release_leases(self) -> int:
        """Free the rows other processes claimed: called by the process that has just taken the
        outbox over from one that is gone (storage/postgres/cluster.py); returns how many."""
        cursor = await self._now(
            "UPDATE outbox SET lease_owner = NULL, lease_until = NULL"
            " WHERE status = 'pending' AND lease_owner IS NOT NULL AND lease_owner <> ?",
            (self._owner,),
        )
        return cursor.rowcount

    async def next_outbox_due(self, channel: bool, *, mail: bool = False) -> datetime | None:
        row = await self._one(
            # a row another process holds is due when its lease runs out
            "SELECT MIN(CASE WHEN lease_owner IS NULL OR lease_owner = ? THEN next_attempt_at"
            " ELSE GREATEST(next_attempt_at, lease_until) END) FROM outbox"
            " WHERE status = 'pending' AND (purpose LIKE 'channel%') = ?"
            " AND (platform = ?) = ?",
            (self._owner, channel, EMAIL, mail),
        )
        return from_ts(row[0]) if row and row[0] is not None else None
