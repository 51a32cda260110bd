"""Erasing what is private about closed cases past review (see
:class:`bot.ports.repositories.Retention`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.model import CaseState, ReportBody
from bot.runtime.crypto import EncryptionKeyError
from storage.sqlite.statements import Statements
from storage.sqlite.statements import ts as _ts

# What a purged case's audit entries keep: states, severities and the outcome (names from fixed
# lists), never anything anyone wrote.
_PURGE_KEEPS_DETAIL = frozenset({"old", "new", "severity", "outcome"})
_IDS_PER_STATEMENT = 500  # ids bound in one statement (SQLite allows 32,766)


class SqliteRetention(Statements):
    """:class:`bot.ports.repositories.Retention` in SQL, for both stores."""

    async def cases_due_for_purge(self, now: datetime, limit: int | None = None) -> list[int]:
        rows = await self._all(
            # Not by the state index (every closed case, sorted each batch: 30 ms at 100,000
            # cases on SQLite) but by cases_review (0005), in review order already.
            f"SELECT id FROM cases WHERE {self._STATE_UNINDEXED} = ?"
            " AND review_at IS NOT NULL AND review_at <= ?"
            " AND purged_at IS NULL ORDER BY review_at, id"
            + (" LIMIT ?" if limit is not None else ""),
            (CaseState.CLOSED.value, _ts(now), *((limit,) if limit is not None else ())),
        )
        return [row[0] for row in rows]

    async def purge_cases(self, case_ids: list[int], now: datetime) -> None:
        """Erase what is private about these cases and keep their counts
        (bot/services/retention.py).

        Blanked: the report body (an encrypted empty body, so every reader still works), the
        reporter's identity and blind index, member ids on the case, audit actors and details
        (kind and time stay; a state change keeps its old and new state and the outcome),
        outbox payloads, task texts and owners, the cases' action tokens, the keys of the
        reported person and links from the register. Kept: code, severity, state, outcome and
        every timestamp.
        """
        wanted = set(case_ids)
        ids = sorted(wanted)
        for start in range(0, len(ids), _IDS_PER_STATEMENT):
            await self._purge_part(ids[start : start + _IDS_PER_STATEMENT], now)
        # Tokens name their case only inside their encrypted arguments: one pass for all cases.
        for token, args_enc in await self._all("SELECT token, args_enc FROM action_tokens"):
            args = self._readable(args_enc, "token")
            if args.get("case") in wanted:
                self._later("DELETE FROM action_tokens WHERE token = ?", (token,))
        self.purged = self.purged or bool(wanted)

    def _readable(self, value: str, context: str) -> dict[str, Any]:
        """A stored dict, or {} if it cannot be read (another key): erasing must not stop at
        a value nobody can read anyway."""
        try:
            found = self._cipher.decrypt_json(value, context)
        except (EncryptionKeyError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}

    async def _purge_part(self, case_ids: list[int], now: datetime) -> None:
        """Purge these cases with two reads and one statement per table for them all: the
        write lock is held for the work, not for a thousand trips to the database thread."""
        marks = ",".join("?" for _ in case_ids)
        found = await self._all(
            f"SELECT id, report_id FROM cases WHERE id IN ({marks}) ORDER BY id", tuple(case_ids)
        )
        if not found:
            return
        present = [(row[0],) for row in found]
        events = await self._all(
            f"SELECT id, actor, detail_enc FROM case_events WHERE case_id IN ({marks})",
            tuple(case_ids),
        )
        self._later_many(
            "UPDATE reports SET body_enc = ?, reporter_enc = NULL, reporter_key = NULL"
            " WHERE id = ?",
            [
                (self._cipher.encrypt_json(ReportBody().to_dict(), "report"), row[1])
                for row in found
            ],
        )
        self._later_many(
            "UPDATE cases SET reporter_key = NULL, handler = NULL, second_person = NULL,"
            " excluded = '[]', recused = '[]', purged_at = ? WHERE id = ?",
            [(_ts(now), row[0]) for row in found],
        )
        self._later_many(
            "UPDATE case_events SET actor = ?, detail_enc = ? WHERE id = ?",
            [
                (actor.partition(":")[0], self._cipher.encrypt_json(self._kept(enc), "audit"), i)
                for i, actor, enc in events
            ],
        )
        self._later_many(
            "UPDATE outbox SET payload_enc = NULL, status = CASE WHEN status = 'pending'"
            " THEN 'failed' ELSE status END WHERE case_id = ?",
            present,
        )
        self._later_many(
            "UPDATE timers SET status = 'cancelled' WHERE case_id = ? AND status = 'pending'",
            present,
        )
        # Tasks say what was done for whom; the keys of the reported person and the register's
        # link would still tie this case to someone.
        self._later_many(
            "UPDATE tasks SET text_enc = ?, owner = '', created_by = '', done_by = NULL"
            " WHERE case_id = ?",
            [(self._cipher.encrypt("", "task"), row[0]) for row in found],
        )
        self._later_many("DELETE FROM case_keys WHERE case_id = ?", present)
        self._later_many("DELETE FROM person_cases WHERE case_id = ?", present)

    def _kept(self, detail_enc: str) -> dict[str, Any]:
        """What a purged audit entry keeps of its details (:data:`_PURGE_KEEPS_DETAIL`)."""
        detail = self._readable(detail_enc, "audit")
        return {k: v for k, v in detail.items() if k in _PURGE_KEEPS_DETAIL}
