"""The database's half of ``fsbot doctor`` on PostgreSQL: read-only, beside running bots or none
(storage/sqlite/inspect.py does the same for an SQLite file; the state and the findings they
share are in storage/inspection.py).

It connects in a read-only transaction (``BEGIN READ ONLY``: the server itself refuses any
write) and rolls it back; it checks the key as the bot would at start
(storage/postgres/keys.py), compares the applied migrations with the packaged ones
(storage/postgres/store.py), counts outbox messages pending for more than a minute, and lists
the people marked unreachable. Nothing is created or migrated: a PostgreSQL database is made by
its operator, and migrated by ``fsbot run``. A server that cannot be reached, or a database that
does not exist or may not be used, is one blocking finding whose reason names the server (host,
port, database) and never a password.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg import AsyncConnection

from bot.domain import readiness as r
from bot.domain.readiness import Finding
from bot.runtime.crypto import Cipher, EncryptionKeyError
from storage.inspection import DatabaseState, outbox_findings, schema_findings
from storage.postgres import keys as pg_keys
from storage.postgres.faults import describe, store_fault
from storage.postgres.store import migrations, where
from storage.sqlite.statements import ts

_CONNECT_TIMEOUT = 10  # seconds to wait for the server, as storage/postgres/store.py waits
# libpq's report when the server answered and refused us (no such database, authentication,
# no rights): such a failure to connect carries no SQLSTATE, only this in its text.
_REFUSED = re.compile(r"\bFATAL:")


async def inspect(url: str, cipher: Cipher, now: datetime) -> DatabaseState:
    """Read the PostgreSQL database at ``url`` (a libpq URL) with ``cipher``'s key; see the
    module's docstring. Never raises for the database's own failures: they become findings."""
    place = where(url)
    try:
        async with await psycopg.AsyncConnection.connect(
            url, connect_timeout=_CONNECT_TIMEOUT
        ) as db:
            await db.set_read_only(True)
            try:
                return await _read(db, cipher, place, now)
            finally:
                await db.rollback()
    except EncryptionKeyError:
        return DatabaseState([Finding(r.WRONG_KEY, blocking=True)])
    except psycopg.Error as error:
        why = _why(error, place)
        return DatabaseState([Finding(r.DATABASE_FAULT, blocking=True, facts={"why": why})])


def _why(error: psycopg.Error, place: str) -> str:
    """One line for the operator, naming ``place`` (no password, nothing from the database)."""
    if error.sqlstate is None and _REFUSED.search(str(error)):
        return describe("cantopen", place)
    fault = store_fault(error, place)
    return str(fault) if fault is not None else describe("cantopen", place)


async def _read(
    db: AsyncConnection[Any], cipher: Cipher, place: str, now: datetime
) -> DatabaseState:
    await pg_keys.check(db, cipher, place)
    state = DatabaseState()
    tables = {
        str(row[0])
        for row in await _rows(
            db,
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema()",
        )
    }
    applied: set[int] = set()
    if "schema_migrations" in tables:
        rows = await _rows(db, "SELECT version FROM schema_migrations")
        applied = {int(row[0]) for row in rows}
    state.findings += schema_findings(applied, {number for number, _ in migrations()})
    if "outbox" in tables:
        before = ts(now - timedelta(seconds=r.STUCK_AFTER_SECONDS))
        rows = await _rows(
            db,
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND created_at < %s",
            (before,),
        )
        state.findings += outbox_findings(int(rows[0][0]))
    if "identities" in tables:
        rows = await _rows(
            db, "SELECT platform, user_id FROM identities WHERE unreachable_since IS NOT NULL"
        )
        state.unreachable = {(str(row[0]), str(row[1])) for row in rows}
    return state


async def _rows(
    db: AsyncConnection[Any], sql: str, params: tuple[Any, ...] = ()
) -> list[tuple[Any, ...]]:
    cursor = await db.execute(sql, params)
    return list(await cursor.fetchall())
