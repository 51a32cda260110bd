"""Each case's audit trail (see :class:`bot.ports.repositories.Audit`).

Mixed into :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from bot.domain.model import AuditEntry
from storage.postgres.statements import Statements, from_ts
from storage.postgres.statements import ts as _ts


class PgAudit(Statements):
    """:class:`bot.ports.repositories.Audit` on PostgreSQL."""

    async def add_audit(self, entry: AuditEntry) -> None:
        self._later(
            "INSERT INTO case_events (case_id, at, actor, kind, detail_enc)"
            " VALUES (%s, %s, %s, %s, %s)",
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
            "SELECT case_id, at, actor, kind, detail_enc FROM case_events WHERE case_id = %s"
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
