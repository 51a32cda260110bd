"""Messages waiting to be sent (see :class:`bot.ports.repositories.Outbox`), claimed with a lease
by the process sending them (several processes may share the database).

Mixed into :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.addresses import EMAIL
from bot.domain.codes import DRILL_PREFIX
from bot.ports.events import Outbound
from bot.ports.records import OutboxRow
from storage.postgres.statements import Statements, from_ts
from storage.postgres.statements import ts as _ts

# How long a claimed row is this process's alone, in seconds of the bot's clock: longer than a
# send takes (the platforms' time-outs are 30 s at most, bot/runtime/delivery.py).
LEASE = 120.0

_IDS_AT_ONCE = 8  # outbox ids drawn in one trip (see enqueue)

_OUTBOX_COLUMNS = (
    "id, case_id, purpose, payload_enc, replaces, status, attempts, next_attempt_at, sent_ref,"
    " revision"
)


class PgOutbox(Statements):
    """:class:`bot.ports.repositories.Outbox` on PostgreSQL."""

    async def enqueue(
        self,
        message: Outbound,
        *,
        purpose: str,
        case_id: int | None,
        now: datetime,
        replaces: int | None = None,
    ) -> int:
        # Whoever holds the outbox (storage/postgres/cluster.py) hears of the row at commit.
        self.notify.add("fsb_outbox")
        # The id is drawn from the table's sequence ahead (a few at once: a report queues four
        # messages), so the insert need not be waited for. Sequences never hand one number
        # out twice, to this process or another; an unused one is a harmless gap.
        if not self._outbox_ids:
            rows = await self._all(
                "SELECT nextval(pg_get_serial_sequence('outbox', 'id'))"
                " FROM generate_series(1, %s)",
                (_IDS_AT_ONCE,),
            )
            self._outbox_ids = [int(row[0]) for row in rows]
        outbox_id = self._outbox_ids.pop(0)
        self._later(
            "INSERT INTO outbox (id, created_at, case_id, purpose, platform, replaces,"
            " payload_enc, next_attempt_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
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
        """Pending rows due now, claimed for this process for :data:`LEASE` seconds: rows
        another process is sending are skipped (locked) or left alone (leased) until its lease
        runs out, so a row is never sent by two processes at once, and the rows of a process
        that died go out once their lease has run out (or at once, when the process that takes
        the outbox over releases them: :meth:`release_leases`)."""
        rows = await self._all(
            f"UPDATE outbox SET lease_owner = %s, lease_until = %s WHERE id IN ("
            " SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= %s"
            " AND (purpose LIKE 'channel%%') = %s AND (platform = %s) = %s"
            " AND (lease_until IS NULL OR lease_until <= %s OR lease_owner = %s)"
            # Pages first, a real case's before a drill's (bot/services/drills.py); within a
            # kind, the order they were written.
            " ORDER BY CASE WHEN purpose NOT IN ('page', 'external') THEN 2"
            " WHEN case_id IN (SELECT id FROM cases WHERE code LIKE %s) THEN 1 ELSE 0 END,"
            f" id LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING {_OUTBOX_COLUMNS}",
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
                "SELECT id FROM cases WHERE id = ANY(%s) AND code LIKE %s",
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
            " WHERE status = 'pending' AND lease_owner IS NOT NULL AND lease_owner <> %s",
            (self._owner,),
        )
        return cursor.rowcount

    async def get_outbox(self, outbox_id: int) -> OutboxRow | None:
        row = await self._one(f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE id = %s", (outbox_id,))
        return self._outbox(row) if row else None

    async def outbox_for_case(self, case_id: int, purposes: list[str]) -> list[OutboxRow]:
        marks = ",".join("%s" for _ in purposes)
        rows = await self._all(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE case_id = %s AND replaces IS NULL"
            f" AND purpose IN ({marks}) ORDER BY id",
            (case_id, *purposes),
        )
        return [self._outbox(row) for row in rows]

    async def replace_pending(self, outbox_id: int, message: Outbound) -> None:
        self._later(
            "UPDATE outbox SET payload_enc = %s, revision = revision + 1"
            " WHERE id = %s AND status = 'pending'",
            (self._cipher.encrypt_json(message.to_json(), "outbox"), outbox_id),
        )

    async def mark_sent(
        self, outbox_id: int, ref: str, now: datetime, purge: bool, revision: int
    ) -> Outbound | None:
        row = await self._one(
            "SELECT revision, payload_enc FROM outbox WHERE id = %s FOR UPDATE", (outbox_id,)
        )
        newer = None
        if row is not None and row[0] != revision and row[1] is not None:
            newer = Outbound.from_json(self._cipher.decrypt_json(row[1], "outbox"))
        purge_sql = ", payload_enc = NULL" if purge and newer is None else ""
        self._later(
            f"UPDATE outbox SET status = 'sent', sent_ref = %s, sent_at = %s,"
            f" attempts = attempts + 1, lease_owner = NULL, lease_until = NULL{purge_sql}"
            " WHERE id = %s",
            (ref, _ts(now), outbox_id),
        )
        return newer

    async def mark_retry(
        self, outbox_id: int, at: datetime, error: str, *, counted: bool = True
    ) -> None:
        self._later(
            "UPDATE outbox SET attempts = attempts + %s, next_attempt_at = %s, last_error = %s,"
            " lease_owner = NULL, lease_until = NULL WHERE id = %s",
            (int(counted), _ts(at), error[:200], outbox_id),
        )

    async def mark_failed(self, outbox_id: int, error: str) -> None:
        self._later(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = %s,"
            " lease_owner = NULL, lease_until = NULL WHERE id = %s",
            (error[:200], outbox_id),
        )

    async def hold_platform(self, platform: str, until: datetime, reason: str) -> None:
        self._later(
            "UPDATE outbox SET next_attempt_at = %s, last_error = %s"
            " WHERE status = 'pending' AND platform = %s AND next_attempt_at < %s",
            (_ts(until), reason[:200], platform, _ts(until)),
        )

    async def release_held(self, now: datetime, platform: str | None = None) -> None:
        self._later(
            "UPDATE outbox SET next_attempt_at = %s WHERE status = 'pending'"
            " AND last_error LIKE 'held:%%' AND next_attempt_at > %s"
            " AND (%s::text IS NULL OR platform = %s)",
            (_ts(now), _ts(now), platform, platform),
        )

    async def stuck_outbox(self, before: datetime) -> int:
        row = await self._one(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND created_at < %s",
            (_ts(before),),
        )
        return int(row[0]) if row else 0

    async def next_outbox_due(self, channel: bool, *, mail: bool = False) -> datetime | None:
        row = await self._one(
            # a row another process holds is due when its lease runs out
            "SELECT MIN(CASE WHEN lease_owner IS NULL OR lease_owner = %s THEN next_attempt_at"
            " ELSE GREATEST(next_attempt_at, lease_until) END) FROM outbox"
            " WHERE status = 'pending' AND (purpose LIKE 'channel%%') = %s"
            " AND (platform = %s) = %s",
            (self._owner, channel, EMAIL, mail),
        )
        return from_ts(row[0]) if row and row[0] is not None else None
