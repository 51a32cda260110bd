"""Chats a platform moved to a new id, and the outbox rows that follow them (see
:class:`bot.ports.repositories.ChatMoves`; mixed into :class:`storage.sqlite.tx.SqliteTx`)."""

from __future__ import annotations

from datetime import datetime

from bot.ports.events import Address, Outbound
from bot.ports.records import ChatMove
from storage.sqlite.statements import Statements


class SqliteChatMoves(Statements):
    """:class:`bot.ports.repositories.ChatMoves` in SQL, for both stores."""

    async def record_chat_move(self, platform: str, old: str, new: str, now: datetime) -> bool:
        known = await self._all(
            "SELECT new_id FROM chat_moves WHERE platform = ? AND old_id = ?", (platform, old)
        )
        if known:
            return False
        self._later(
            "INSERT INTO chat_moves (platform, old_id, new_id, moved_at) VALUES (?, ?, ?, ?)",
            (platform, old, new, now.timestamp()),
        )
        return True

    async def chat_moves(self) -> list[ChatMove]:
        rows = await self._all("SELECT platform, old_id, new_id FROM chat_moves ORDER BY moved_at")
        return [ChatMove(row[0], row[1], row[2]) for row in rows]

    async def readdress_pending(self, platform: str, old: str, new: str) -> int:
        # An edit of a message in the old chat cannot be made from the new one (the message ids
        # are the old chat's): it goes out as a new message there instead (``replaces`` cleared).
        rows = await self._all(
            "SELECT id, payload_enc FROM outbox WHERE status = 'pending' AND platform = ?"
            " AND payload_enc IS NOT NULL",
            (platform,),
        )
        moved = 0
        for outbox_id, payload in rows:
            message = Outbound.from_json(self._cipher.decrypt_json(payload, "outbox"))
            if message.address.chat_id != old:
                continue
            message.address = Address(platform, new)
            self._later(
                "UPDATE outbox SET payload_enc = ?, revision = revision + 1, replaces = NULL"
                " WHERE id = ?",
                (self._cipher.encrypt_json(message.to_json(), "outbox"), outbox_id),
            )
            moved += 1
        return moved
