"""The people-of-concern register and what cases' texts name (see
:class:`bot.ports.repositories.Register`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.model import Person
from storage.sqlite.statements import Statements, from_ts
from storage.sqlite.statements import ts as _ts


class SqliteRegister(Statements):
    """:class:`bot.ports.repositories.Register` in SQL, for both stores."""

    # Keys arrive normalised (bot.identifiers) and are stored only as blind indexes.
    def _blind(self, keys: set[str]) -> list[str]:
        return sorted({self._cipher.blind_index("who:" + key) for key in keys})

    def _person_entry(self, person: Person) -> str:
        entry = {
            "name": person.name,
            "identifiers": person.identifiers,
            "created_by": person.created_by,
            "flag": person.flag,
            "flag_until": _ts(person.flag_until) if person.flag_until else None,
            "note": person.note,
            "history": person.history,
        }
        return self._cipher.encrypt_json(entry, "person")

    async def add_person(self, person: Person, keys: set[str]) -> int:
        new_id = await self._insert_id(
            "INSERT INTO people (created_at, updated_at, entry_enc) VALUES (?, ?, ?)",
            (_ts(person.created_at), _ts(person.created_at), self._person_entry(person)),
        )
        self._later_many(
            "INSERT OR IGNORE INTO person_keys (person_id, key) VALUES (?, ?)",
            [(new_id, key) for key in self._blind(keys)],
        )
        return new_id

    async def save_person(self, person: Person, now: datetime) -> None:
        self._later(
            "UPDATE people SET updated_at = ?, entry_enc = ? WHERE id = ?",
            (_ts(now), self._person_entry(person), person.id),
        )

    async def _person(self, row: Any) -> Person:
        entry = self._cipher.decrypt_json(row[2], "person")
        links = await self._all(
            "SELECT case_id FROM person_cases WHERE person_id = ? ORDER BY linked_at, case_id",
            (row[0],),
        )
        return Person(
            id=row[0],
            name=entry["name"],
            identifiers=list(entry["identifiers"]),
            created_at=from_ts(row[1]),
            created_by=entry["created_by"],
            flag=entry["flag"],
            flag_until=from_ts(entry["flag_until"]) if entry["flag_until"] else None,
            note=entry["note"],
            history=list(entry["history"]),
            case_ids=[link[0] for link in links],
        )

    async def get_person(self, person_id: int) -> Person | None:
        row = await self._one(
            "SELECT id, created_at, entry_enc FROM people WHERE id = ?", (person_id,)
        )
        return await self._person(row) if row else None

    async def list_people(self) -> list[Person]:
        rows = await self._all("SELECT id, created_at, entry_enc FROM people ORDER BY id")
        return [await self._person(row) for row in rows]

    async def link_person(self, person_id: int, case_id: int, now: datetime) -> bool:
        cursor = await self._now(
            "INSERT OR IGNORE INTO person_cases (person_id, case_id, linked_at) VALUES (?, ?, ?)",
            (person_id, case_id, _ts(now)),
        )
        return cursor.rowcount == 1

    async def people_for_case(self, case_id: int) -> list[int]:
        rows = await self._all(
            "SELECT person_id FROM person_cases WHERE case_id = ? ORDER BY person_id", (case_id,)
        )
        return [row[0] for row in rows]

    async def people_matching(self, keys: set[str]) -> list[int]:
        blind = self._blind(keys)
        if not blind:
            return []
        marks = ",".join("?" for _ in blind)
        rows = await self._all(
            f"SELECT DISTINCT person_id FROM person_keys WHERE key IN ({marks}) ORDER BY person_id",
            tuple(blind),
        )
        return [row[0] for row in rows]

    async def add_case_keys(self, case_id: int, ids: set[str], grams: set[str]) -> None:
        self._later_many(
            "INSERT OR IGNORE INTO case_keys (case_id, kind, key) VALUES (?, ?, ?)",
            [(case_id, "id", key) for key in self._blind(ids)]
            + [(case_id, "gram", key) for key in self._blind(grams)],
        )

    async def cases_matching(self, ids: set[str], grams: set[str]) -> list[int]:
        found: set[int] = set()
        for kind, keys in (("gram", ids), ("id", grams)):
            blind = self._blind(keys)
            for start in range(0, len(blind), 500):  # SQLite's limit on bound parameters
                part = blind[start : start + 500]
                marks = ",".join("?" for _ in part)
                rows = await self._all(
                    f"SELECT DISTINCT case_id FROM case_keys WHERE kind = ? AND key IN ({marks})",
                    (kind, *part),
                )
                found.update(row[0] for row in rows)
        return sorted(found)
