"""Team members and the names the platforms show for them (see
:class:`bot.ports.repositories.Members`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from storage.sqlite.statements import Statements
from storage.sqlite.statements import ts as _ts


class SqliteMembers(Statements):
    """:class:`bot.ports.repositories.Members` in SQL, for both stores."""

    async def sync_members(self, members: list[dict[str, Any]]) -> None:
        self._remembered.unreachable = None
        self._later("UPDATE members SET active = 0")
        self._later("DELETE FROM identities")
        self._later("DELETE FROM external_refusals")  # a new start tries everyone again
        for member in members:
            self._later(
                "INSERT INTO members (id, name, roles, position, active) VALUES (?, ?, ?, ?, 1)"
                " ON CONFLICT(id) DO UPDATE SET name = excluded.name, roles = excluded.roles,"
                " position = excluded.position, active = 1",
                (member["id"], member["name"], json.dumps(member["roles"]), member["position"]),
            )
            for platform, user_id in member["identities"]:
                self._later(
                    "INSERT INTO identities (platform, user_id, member_id) VALUES (?, ?, ?)"
                    " ON CONFLICT (platform, user_id) DO UPDATE SET member_id = excluded.member_id,"
                    " unreachable_since = NULL",
                    (platform, user_id, member["id"]),
                )

    async def member_names(self) -> dict[str, list[str]]:
        if self._remembered.member_names is None:
            rows = await self._all(
                f"SELECT member_id, name_enc FROM member_names ORDER BY seen_at, {self._ROW_ORDER}"
            )
            found: dict[str, list[str]] = {}
            for member_id, name_enc in rows:
                found.setdefault(member_id, []).append(
                    str(self._cipher.decrypt_json(name_enc, "member_name"))
                )
            self._remembered.member_names = {m: tuple(names) for m, names in found.items()}
        return {m: list(names) for m, names in self._remembered.member_names.items()}

    async def add_member_names(
        self, member_id: str, platform: str, names: list[tuple[str, str]], now: datetime
    ) -> None:
        self._remembered.member_names = None
        self._later_many(
            "INSERT OR IGNORE INTO member_names (member_id, key, platform, name_enc, seen_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (
                    member_id,
                    self._cipher.blind_index("member_name:" + key),
                    platform,
                    self._cipher.encrypt_json(name, "member_name"),
                    _ts(now),
                )
                for key, name in names
            ],
        )
