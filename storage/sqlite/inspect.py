"""The database's half of ``fsbot doctor``: read-only, beside a running bot or none.

It opens the file only if it exists (never creates one), checks the key as the bot would at start
(storage/sqlite/keys.py, which writes nothing), compares the applied migrations with the packaged
ones, and counts outbox messages pending for more than a minute. Migrations are not applied here:
that is ``fsbot run``'s job. The state and the findings it shares with PostgreSQL's
(storage/postgres/inspect.py) are in storage/inspection.py.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import aiosqlite

from bot.domain import readiness as r
from bot.domain.readiness import Finding
from bot.runtime.crypto import Cipher, EncryptionKeyError
from storage.inspection import DatabaseState, outbox_findings, schema_findings
from storage.sqlite import keys as sqlite_keys
from storage.sqlite.faults import describe, store_fault
from storage.sqlite.statements import ts
from storage.sqlite.store import migrations

__all__ = ["DatabaseState", "inspect"]


async def inspect(path: Path, cipher: Cipher, now: datetime) -> DatabaseState:
    """Read the database at ``path`` with ``cipher``'s key; see the module's docstring."""
    if not path.exists():
        return DatabaseState([Finding(r.NO_DATABASE, facts={"path": str(path)})])
    try:
        async with aiosqlite.connect(f"file:{path}?mode=ro", uri=True) as db:
            return await _read(db, cipher, path, now)
    except EncryptionKeyError:
        return DatabaseState([Finding(r.WRONG_KEY, blocking=True)])
    except (sqlite3.Error, OSError) as error:
        fault = store_fault(error, path)
        why = str(fault) if fault is not None else describe("io", path)
        return DatabaseState([Finding(r.DATABASE_FAULT, blocking=True, facts={"why": why})])


async def _read(
    db: aiosqlite.Connection, cipher: Cipher, path: Path, now: datetime
) -> DatabaseState:
    await sqlite_keys.check(db, cipher, path)
    state = DatabaseState()
    tables = {row[0] for row in await db.execute_fetchall("SELECT name FROM sqlite_master")}
    applied: set[int] = set()
    if "schema_migrations" in tables:
        rows = await db.execute_fetchall("SELECT version FROM schema_migrations")
        applied = {int(row[0]) for row in rows}
    packaged = {number for number, _ in migrations()}
    state.findings += schema_findings(applied, packaged)
    if "outbox" in tables:
        before = ts(now - timedelta(seconds=r.STUCK_AFTER_SECONDS))
        rows = await db.execute_fetchall(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND created_at < ?", (before,)
        )
        state.findings += outbox_findings(int(next(iter(rows))[0]))
    if "identities" in tables:
        rows = await db.execute_fetchall(
            "SELECT platform, user_id FROM identities WHERE unreachable_since IS NOT NULL"
        )
        state.unreachable = {(str(row[0]), str(row[1])) for row in rows}
    return state
