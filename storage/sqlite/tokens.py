"""Action tokens carried by buttons (see :class:`bot.ports.repositories.Tokens`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.codes import new_token
from bot.ports.records import TokenRecord
from storage.sqlite.statements import Statements, from_ts
from storage.sqlite.statements import ts as _ts


class SqliteTokens(Statements):
    """:class:`bot.ports.repositories.Tokens` in SQL, for both stores."""

    async def create_tokens(
        self, audience: str, actions: list[tuple[str, dict[str, Any]]], now: datetime
    ) -> list[str]:
        tokens = [new_token(action) for action, _ in actions]
        if actions:  # one statement for a message's buttons, not one each
            self._later_many(
                "INSERT INTO action_tokens (token, created_at, audience, action, args_enc)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (token, _ts(now), audience, action, self._cipher.encrypt_json(args, "token"))
                    for token, (action, args) in zip(tokens, actions, strict=True)
                ],
            )
        return tokens

    async def get_token(self, token: str) -> TokenRecord | None:
        row = await self._one(
            "SELECT token, audience, action, args_enc, created_at FROM action_tokens"
            " WHERE token = ?",
            (token,),
        )
        if row is None:
            return None
        return TokenRecord(
            token=row[0],
            audience=row[1],
            action=row[2],
            args=self._cipher.decrypt_json(row[3], "token"),
            created_at=from_ts(row[4]),
        )
