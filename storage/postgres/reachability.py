"""Who blocked the bot (see :class:`bot.ports.repositories.Reachability`): members by their
identities, and external contacts' addresses (an e-mail address refused for good) in
``external_refusals``.

Mixed into :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from datetime import datetime

from storage.postgres.statements import Statements
from storage.postgres.statements import ts as _ts


class PgReachability(Statements):
    """:class:`bot.ports.repositories.Reachability` on PostgreSQL."""

    async def mark_unreachable(self, platform: str, chat_id: str, now: datetime) -> None:
        self._remembered.unreachable = None
        self._later(
            "UPDATE identities SET unreachable_since = %s WHERE platform = %s AND user_id = %s",
            (_ts(now), platform, chat_id),
        )
        # Not a member's chat: an external contact's address (no row in identities).
        self._later(
            "INSERT INTO external_refusals (platform, address, since)"
            " SELECT %s, %s, %s WHERE NOT EXISTS"
            " (SELECT 1 FROM identities WHERE platform = %s AND user_id = %s)"
            " ON CONFLICT DO NOTHING",
            (platform, chat_id, _ts(now), platform, chat_id),
        )

    async def mark_reachable(self, platform: str, chat_id: str) -> None:
        self._remembered.unreachable = None
        self._later(
            "UPDATE identities SET unreachable_since = NULL WHERE platform = %s AND user_id = %s",
            (platform, chat_id),
        )
        self._later(
            "DELETE FROM external_refusals WHERE platform = %s AND address = %s",
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
