"""Chats a platform moved to a new id, and the outbox rows that follow them (see
:class:`bot.ports.Tx`; mixed into :class:`storage.sqlite_tx.SqliteTx`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from bot.ports.events import Address, Outbound
from bot.ports.store import ChatMove
from bot.runtime.crypto import Cipher


class _Statements(Protocol):
    """What these methods use of the transaction they are mixed into."""

    _cipher: Cipher

    def _later(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    async def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]: ...


class ChatMoves:
    async def record_chat_move(
        self: _Statements, platform: str, old: str, new: str, now: datetime
    ) -> bool:
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

    async def chat_moves(self: _Statements) -> list[ChatMove]:
        rows = await self._all("SELECT platform, old_id, new_id FROM chat_moves ORDER BY moved_at")
        return [ChatMove(row[0], row[1], row[2]) for row in rows]

    async def readdress_pending(self: _Statements, platform: str, old: str, new: str) -> int:
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
