"""The language each person reads the bot in (see :class:`bot.ports.repositories.Languages`;
mixed into :class:`storage.sqlite.tx.SqliteTx`)."""

from __future__ import annotations

from datetime import datetime

from storage.sqlite.statements import Statements
from storage.sqlite.statements import ts as _ts


class SqliteLanguages(Statements):
    """:class:`bot.ports.repositories.Languages` in SQL, for both stores."""

    async def language_of(self, person: str) -> str | None:
        row = await self._one("SELECT language FROM languages WHERE person = ?", (person,))
        return None if row is None else str(row[0])

    async def set_language(self, person: str, language: str, now: datetime, *, chosen: bool) -> str:
        row = await self._one("SELECT language, chosen FROM languages WHERE person = ?", (person,))
        if row is not None and not chosen:
            return str(row[0])  # a platform's guess never replaces what is stored
        self._later(
            "INSERT INTO languages (person, language, chosen, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (person) DO UPDATE SET language = excluded.language,"
            " chosen = excluded.chosen, updated_at = excluded.updated_at",
            (person, language, int(chosen), _ts(now)),
        )
        return language
