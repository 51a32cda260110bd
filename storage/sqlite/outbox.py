"""Messages waiting to be sent (see :class:`bot.ports.repositories.Outbox`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.addresses import EMAIL
from bot.domain.codes import DRILL_PREFIX
from bot.ports.events import Outbound
from bot.ports.records import OutboxRow
from storage.sqlite.statements import Statements, from_ts
from storage.sqlite.statements import ts as _ts

_OUTBOX_COLUMNS = (
    "id, case_id, purpose, payload_enc, replaces, status, attempts, next_attempt_at, sent_ref,"
    " revision"
)


class SqliteOutbox(Statements):
    """:class:`bot.ports.repositories.Outbox` on SQLite, and the part of it the PostgreSQL store
    shares (storage/postgres/outbox.py has its leases)."""

    _next_outbox_id: int | None = None  # see _new_outbox_id
    # Said where a row is marked sent, retried or failed: frees the lease on it (none on SQLite).
    _LEASE_FREE = ""
    # Said after reading a row about to be marked, so no other process changes it meanwhile.
    _LOCK_ROW = ""

    async def enqueue(
        self,
        message: Outbound,
        *,
        purpose: str,
        case_id: int | None,
        now: datetime,
        replaces: int | None = None,
    ) -> int:
        self._wake("fsb_outbox")  # the sender (storage/postgres/cluster.py) hears at commit
        outbox_id = await self._new_outbox_id()
        self._later(
            "INSERT INTO outbox (id, created_at, case_id, purpose, platform, replaces,"
            " payload_enc, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                outbox_id,
                _ts(now),
                case_id,
                purpose,
                message.address.platform,
                replaces,
                self._cipher.encrypt_json(message.to_json(), "outbox"),
                _ts(now),
            ),
        )
        return outbox_id

    async def _new_outbox_id(self) -> int:
        """The id the next row will have, drawn here, as SQLite would draw it (one past the
        largest), so the insert need not be waited for: this transaction holds the write lock,
        nobody else inserts."""
        if self._next_outbox_id is None:
            row = await self._one("SELECT COALESCE(MAX(id), 0) FROM outbox")
            assert row is not None
            self._next_outbox_id = int(row[0]) + 1
        outbox_id = self._next_outbox_id
        self._next_outbox_id += 1
        return outbox_id

    @staticmethod
    def _flag(value: bool) -> Any:
        """A yes/no as compared with a condition in SQL (SQLite's is 0 or 1)."""
        return int(value)

    def _outbox(self, row: Any) -> OutboxRow:
        message = None
        if row[3] is not None:
            message = Outbound.from_json(self._cipher.decrypt_json(row[3], "outbox"))
        return OutboxRow(
            id=row[0],
            case_id=row[1],
            purpose=row[2],
            message=message,
            replaces=row[4],
            status=row[5],
            attempts=row[6],
            next_attempt_at=from_ts(row[7]),
            sent_ref=row[8],
            revision=row[9],
        )

    async def due_outbox(
        self, now: datetime, limit: int, channel: bool, *, mail: bool = False
    ) -> list[OutboxRow]:
        rows = await self._all(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE status = 'pending'"
            " AND next_attempt_at <= ? AND (purpose LIKE 'channel%') = ? AND (platform = ?) = ?"
            # Pages first, a real case's before a drill's (bot/services/drills.py); within a
            # kind, the order they were written.
            " ORDER BY CASE WHEN purpose NOT IN ('page', 'external') THEN 2"
            " WHEN case_id IN (SELECT id FROM cases WHERE code LIKE ?) THEN 1 ELSE 0 END,"
            " id LIMIT ?",
            (_ts(now), self._flag(channel), EMAIL, self._flag(mail), f"{DRILL_PREFIX}%", limit),
        )
        return [self._outbox(row) for row in rows]

    async def get_outbox(self, outbox_id: int) -> OutboxRow | None:
        row = await self._one(f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE id = ?", (outbox_id,))
        return self._outbox(row) if row else None

    async def outbox_for_case(self, case_id: int, purposes: list[str]) -> list[OutboxRow]:
        marks = ",".join("?" for _ in purposes)
        rows = await self._all(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE case_id = ? AND replaces IS NULL"
            f" AND purpose IN ({marks}) ORDER BY id",
            (case_id, *purposes),
        )
        return [self._outbox(row) for row in rows]

    async def replace_pending(self, outbox_id: int, message: Outbound) -> None:
        self._later(
            "UPDATE outbox SET payload_enc = ?, revision = revision + 1"
            " WHERE id = ? AND status = 'pending'",
            (self._cipher.encrypt_json(message.to_json(), "outbox"), outbox_id),
        )

    async def mark_sent(
        self, outbox_id: int, ref: str, now: datetime, purge: bool, revision: int
    ) -> Outbound | None:
        row = await self._one(
            f"SELECT revision, payload_enc FROM outbox WHERE id = ?{self._LOCK_ROW}", (outbox_id,)
        )
        newer = None
        if row is not None and row[0] != revision and row[1] is not None:
            newer = Outbound.from_json(self._cipher.decrypt_json(row[1], "outbox"))
        purge_sql = ", payload_enc = NULL" if purge and newer is None else ""
        self._later(
            f"UPDATE outbox SET status = 'sent', sent_ref = ?, sent_at = ?,"
            f" attempts = attempts + 1{self._LEASE_FREE}{purge_sql} WHERE id = ?",
            (ref, _ts(now), outbox_id),
        )
        return newer

    async def mark_retry(
        self, outbox_id: int, at: datetime, error: str, *, counted: bool = True
    ) -> None:
        self._later(
            "UPDATE outbox SET attempts = attempts + ?, next_attempt_at = ?, last_error = ?"
            f"{self._LEASE_FREE} WHERE id = ?",
            (int(counted), _ts(at), error[:200], outbox_id),
        )

    async def mark_failed(self, outbox_id: int, error: str) -> None:
        self._later(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?"
            f"{self._LEASE_FREE} WHERE id = ?",
            (error[:200], outbox_id),
        )

    async def hold_platform(self, platform: str, until: datetime, reason: str) -> None:
        self._later(
            "UPDATE outbox SET next_attempt_at = ?, last_error = ?"
            " WHERE status = 'pending' AND platform = ? AND next_attempt_at < ?",
            (_ts(until), reason[:200], platform, _ts(until)),
        )

    async def release_held(self, now: datetime, platform: str | None = None) -> None:
        self._later(
            "UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending'"
            " AND last_error LIKE 'held:%' AND next_attempt_at > ?"
            " AND (CAST(? AS TEXT) IS NULL OR platform = ?)",
            (_ts(now), _ts(now), platform, platform),
        )

    async def stuck_outbox(self, before: datetime) -> int:
        row = await self._one(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND created_at < ?",
            (_ts(before),),
        )
        return int(row[0]) if row else 0

    async def next_outbox_due(self, channel: bool, *, mail: bool = False) -> datetime | None:
        row = await self._one(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'"
            " AND (purpose LIKE 'channel%') = ? AND (platform = ?) = ?",
            (self._flag(channel), EMAIL, self._flag(mail)),
        )
        return from_ts(row[0]) if row and row[0] is not None else None
