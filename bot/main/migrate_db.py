"""``fsbot migrate-db --to postgresql://...``: move a bot's SQLite database to PostgreSQL.

Part of the composition root (it opens both stores). Every row is copied as it is stored: private
values stay the ciphertext they are (nothing is decrypted or re-encrypted), and the ``key_check``
row goes too, so the PostgreSQL database opens with the same key and refuses any other. The
target must be empty (a database that already holds the bot's tables with rows is refused, so
nothing is ever merged or overwritten); the copy is one transaction, and its row counts are
compared with the source's before it commits.

The SQLite file is first opened as the bot opens it (the key checked, its migrations applied), so
both schemas are at the same version; the bot must not be running on it meanwhile.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from bot.runtime.crypto import Cipher
from storage.postgres.store import PostgresStore
from storage.sqlite.store import SqliteStore

# Parents before children (foreign keys); tables not named here follow in name order.
_ORDER = (
    "members",
    "identities",
    "reports",
    "cases",
    "case_events",
    "outbox",
    "people",
    "person_keys",
    "person_cases",
    "case_keys",
    "tasks",
)
_SKIP = frozenset({"schema_migrations", "sqlite_sequence"})
# PostgreSQL columns with no SQLite twin, filled from the SQLite row by another name.
_EXTRA_SOURCES = {("member_names", "seq"): "rowid"}


class MigrationError(Exception):
    """The copy cannot be made (the target is not empty, the schemas differ, the counts do not
    match); nothing was written. The message is one line for the operator."""


@dataclass(frozen=True)
class Copied:
    """What was copied: rows per table, in the order copied."""

    tables: tuple[tuple[str, int], ...]

    @property
    def rows(self) -> int:
        return sum(count for _, count in self.tables)


async def migrate(source: Path, target: str, key: str) -> Copied:
    """Copy the SQLite database ``source`` into the empty PostgreSQL database ``target``.

    Raises:
        WrongKeyError: ``key`` is not the one ``source`` was created with.
        StoreFault: either database cannot be used.
        MigrationError: see :class:`MigrationError`.
    """
    cipher = Cipher(key)
    sqlite_store = SqliteStore(source, cipher)
    await sqlite_store.open()  # the key checked, its migrations applied
    await sqlite_store.close()
    postgres = PostgresStore(target, cipher, check_key=False)
    where = postgres.where
    async with await psycopg.AsyncConnection.connect(target, autocommit=True) as db:
        await _refuse_unless_empty(db, where)
    await postgres.open()  # the schema, unsealed: the seal comes from the source
    await postgres.close()
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src:
        tables = _tables(src)
        async with await psycopg.AsyncConnection.connect(target) as db:
            copied = []
            for table in tables:
                columns, sources = await _columns(db, src, table)
                rows = src.execute(
                    f"SELECT {', '.join(sources)} FROM {table} ORDER BY rowid"
                ).fetchall()
                async with (
                    db.cursor() as cursor,
                    cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
                ):
                    for row in rows:
                        await copy.write_row(row)
                copied.append((table, len(rows)))
            await _follow_identities(db)
            await _verify(db, copied, where)
            await db.commit()
    return Copied(tuple(copied))


async def _refuse_unless_empty(db: psycopg.AsyncConnection[Any], where: str) -> None:
    cursor = await db.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    )
    for (table,) in await cursor.fetchall():
        if table == "schema_migrations":
            continue
        found = await (await db.execute(f'SELECT 1 FROM "{table}" LIMIT 1')).fetchone()
        if found is not None:
            raise MigrationError(
                f"The PostgreSQL database {where} is not empty (table {table} has rows), so"
                " nothing was copied; give migrate-db a new, empty database."
            )


def _tables(src: sqlite3.Connection) -> list[str]:
    names = {
        row[0]
        for row in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if row[0] not in _SKIP
    }
    first = [name for name in _ORDER if name in names]
    return first + sorted(names - set(first))


async def _columns(
    db: psycopg.AsyncConnection[Any], src: sqlite3.Connection, table: str
) -> tuple[list[str], list[str]]:
    """The target's columns to fill and the source's expressions that fill them."""
    theirs = [row[1] for row in src.execute(f"PRAGMA table_info({table})")]
    cursor = await db.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = %s",
        (table,),
    )
    ours = {row[0] for row in await cursor.fetchall()}
    missing = [column for column in theirs if column not in ours]
    if not ours or missing:
        raise MigrationError(
            f"The PostgreSQL schema has no place for {table}"
            f"{' (' + ', '.join(missing) + ')' if missing else ''}: this version of the bot"
            " cannot copy this database; nothing was copied."
        )
    columns, sources = list(theirs), list(theirs)
    for (extra_table, column), source in _EXTRA_SOURCES.items():
        if extra_table == table and column in ours:
            columns.append(column)
            sources.append(source)
    return columns, sources


async def _follow_identities(db: psycopg.AsyncConnection[Any]) -> None:
    """Rows were copied with their ids: each id sequence continues past the largest."""
    cursor = await db.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND is_identity = 'YES'"
    )
    for table, column in await cursor.fetchall():
        await db.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"
            f" COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
        )


async def _verify(
    db: psycopg.AsyncConnection[Any], copied: list[tuple[str, int]], where: str
) -> None:
    for table, expected in copied:
        row = await (await db.execute(f"SELECT COUNT(*) FROM {table}")).fetchone()
        if row is None or row[0] != expected:
            raise MigrationError(
                f"{table}: {expected} rows in the SQLite file but {row[0] if row else 0} in"
                f" {where}; nothing was copied."
            )
