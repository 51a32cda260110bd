"""Conversation drafts (see :class:`bot.ports.repositories.Drafts`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.sqlite.statements import Statements
from storage.sqlite.statements import ts as _ts


class SqliteDrafts(Statements):
    """:class:`bot.ports.repositories.Drafts` in SQL, for both stores."""

    async def load_draft(self, owner: str) -> dict[str, Any] | None:
        row = await self._one("SELECT state_enc FROM drafts WHERE owner_key = ?", (owner,))
        if row is None:
            return None
        data: dict[str, Any] = self._cipher.decrypt_json(row[0], "draft")
        return data

    async def save_draft(self, owner: str, data: dict[str, Any], now: datetime) -> None:
        self._later(
            "INSERT INTO drafts (owner_key, updated_at, state_enc) VALUES (?, ?, ?)"
            " ON CONFLICT(owner_key) DO UPDATE SET updated_at = excluded.updated_at,"
            " state_enc = excluded.state_enc",
            (owner, _ts(now), self._cipher.encrypt_json(data, "draft")),
        )

    async def delete_draft(self, owner: str) -> None:
        self._later("DELETE FROM drafts WHERE owner_key = ?", (owner,))
