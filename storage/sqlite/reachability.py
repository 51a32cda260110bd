"""Who blocked the bot (see :class:`bot.ports.repositories.Reachability`): members by their
identities, and external contacts' addresses (an e-mail address refused for good) in
``external_refusals``.

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from datetime import datetime

from storage.sqlite.statements import Statements
from storage.sqlite.statements import ts as _ts


class SqliteReachability(Statements):
    """:class:`bot.ports.repositories.Reachability` in SQL, for both stores."""

    async def mark_unreachable(self, platform: str, chat_id: str, now: datetime) -> None:
        self._remembered.unreachable = None
        self._later(
            "UPDATE identities SET unreachable_since = ? WHERE platform = ? AND user_id = ?",
            (_ts(now), platform, chat_id),
        )
        # Not a member's chat: an external contact's address (no row in identities).
        self._later(
            "INSERT OR IGNORE INTO external_refusals (platform, address, since)"
            " SELECT ?, ?, ? WHERE NOT EXISTS"
            " (SELECT 1 FROM identities WHERE platform = ? AND user_id = ?)",
            (platform, chat_id, _ts(now), platform, chat_id),
        )

    async def mark_reachable(self, platform: str, chat_id: str) -> None:
        self._remembered.unreachable = None
        self._later(
            "UPDATE identities SET unreachable_since = NULL WHERE platform = ? AND user_id = ?",
            (platform, chat_id),
        )
        self._later(
            "DELETE FROM external_refusals WHERE platform = ? AND address = ?",
            (platform, chat_id),
        )

    async def unreachable(self) -> set[tuple[str, str]]:
        if self._remembered.unreachable is None:
            rows = await self._all(
                "SELECT platform, user_id FROM identities WHERE unreachable_since IS NOT NULL"
                " UNION SELECT platform, address FROM external_refusals"
            )
            self._remembered.unreachable = frozenset((row[0], row[1]) for row in rows)
        return set(self._remembered.unreachable)
