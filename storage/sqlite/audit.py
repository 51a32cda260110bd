"""Each case's audit trail (see :class:`bot.ports.repositories.Audit`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from bot.domain.model import AuditEntry
from storage.sqlite.statements import Statements, from_ts
from storage.sqlite.statements import ts as _ts


class SqliteAudit(Statements):
    """:class:`bot.ports.repositories.Audit` in SQL, for both stores."""

    async def add_audit(self, entry: AuditEntry) -> None:
        self._later(
            "INSERT INTO case_events (case_id, at, actor, kind, detail_enc) VALUES (?, ?, ?, ?, ?)",
            (
                entry.case_id,
                _ts(entry.at),
                entry.actor,
                entry.kind,
                self._cipher.encrypt_json(entry.detail, "audit"),
            ),
        )

    async def audit_for(self, case_id: int) -> list[AuditEntry]:
        rows = await self._all(
            "SELECT case_id, at, actor, kind, detail_enc FROM case_events WHERE case_id = ?"
            " ORDER BY id",
            (case_id,),
        )
        return [
            AuditEntry(
                case_id=row[0],
                at=from_ts(row[1]),
                actor=row[2],
                kind=row[3],
                detail=self._cipher.decrypt_json(row[4], "audit"),
            )
            for row in rows
        ]
