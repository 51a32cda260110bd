"""The shared Store: one PostgreSQL database through psycopg 3 and its connection pool.

Chosen by ``FSB_DATABASE=postgresql://...``. Several ``fsbot run`` processes may share one
database (storage/postgres/cluster.py). Every transaction takes the writer lock first (see
:data:`storage.postgres.statements.WRITER_LOCK`), so a transaction sees the database as SQLite's
one writer does; within a process, transactions queue on an asyncio lock as on SQLite and use one
pooled connection at a time. Migrations are numbered SQL files of their own
(storage/postgres/migrations/), applied forward only under an advisory lock, so two processes
starting together do not both apply one.

Durability: PostgreSQL flushes its write-ahead log at COMMIT (``synchronous_commit`` on, the
server's default), so a commit survives a power cut of the server and :meth:`durable` has
nothing left to wait for.

Faults: a failure of the server or the connection (not running, lost, full, read-only, no
rights) comes out of ``open`` and ``transaction`` as a :class:`bot.ports.StoreFault`
(storage/postgres/faults.py), with nothing half-done left behind.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, NoReturn

import psycopg
from psycopg import AsyncConnection
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from bot.ports.store import StoreFault
from bot.runtime.crypto import Cipher
from storage.postgres import keys as pg_keys
from storage.postgres.faults import describe, store_fault
from storage.postgres.tx import PgTx
from storage.sqlite.statements import Remembered
from storage.sqlite.store import migrations as packaged_migrations

log = logging.getLogger(__name__)

_MIGRATE_LOCK = 0x46534201  # held while migrating, so one process migrates at a time
_CONNECT_TIMEOUT = 10  # seconds to wait for the server when opening
# The tables a purge blanks values in (storage/sqlite/retention.py, shared).
_PURGED_TABLES = (
    "reports",
    "cases",
    "case_events",
    "outbox",
    "tasks",
    "action_tokens",
    "case_keys",
    "person_cases",
)


def migrations() -> list[tuple[int, str]]:
    """The packaged PostgreSQL migrations as (number, SQL), in order."""
    return packaged_migrations("storage.postgres")


def where(url: str) -> str:
    """The server and database a URL names, fit for a log line or a message: no password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(an unreadable URL)"
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    return f"{host}:{port}/{parts.get('dbname') or parts.get('user') or ''}"


class PostgresStore:
    """A :class:`bot.ports.Store` on one PostgreSQL database.

    ``url`` is a libpq connection URL (``postgresql://user@host:port/db``). ``owner`` names this
    process in the leases it takes (storage/postgres/outbox.py); a fresh one by default.
    ``check_key=False`` is only for a reader that needs no key, as on SQLite.
    """

    def __init__(
        self, url: str, cipher: Cipher, *, check_key: bool = True, owner: str | None = None
    ) -> None:
        self.url = url
        self.where = where(url)
        self.owner = owner or uuid.uuid4().hex
        self._cipher = cipher
        self._check_key = check_key
        self._pool: AsyncConnectionPool[AsyncConnection[Any]] | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        """Connect, refuse a key the database was not created with, migrate, then open the pool.

        Raises:
            EncryptionKeyError: the key is not this database's; nothing was written.
            StoreFault: the server cannot be reached or used.
        """
        try:
            async with await psycopg.AsyncConnection.connect(
                self.url, autocommit=True, connect_timeout=_CONNECT_TIMEOUT
            ) as db:
                await db.execute("SELECT pg_advisory_lock(%s)", (_MIGRATE_LOCK,))
                try:
                    unsealed = False
                    if self._check_key:
                        unsealed = await pg_keys.check(db, self._cipher, self.where)
                    await self._migrate(db)
                    if unsealed:
                        await pg_keys.seal(db, self._cipher)
                    if self._check_key:
                        await pg_keys.keep_index_key(db, self._cipher)
                finally:
                    await db.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATE_LOCK,))
            pool: AsyncConnectionPool[AsyncConnection[Any]] = AsyncConnectionPool(
                self.url,
                min_size=1,
                max_size=4,
                kwargs={"autocommit": True},
                open=False,
                name="fsbot",
            )
            await pool.open(wait=True, timeout=_CONNECT_TIMEOUT)
        except PoolTimeout as error:
            raise StoreFault("io", describe("io", self.where)) from error
        except BaseException as error:
            self._raise_fault(error)
        self._pool = pool

    async def _migrate(self, db: AsyncConnection[Any]) -> None:
        await db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (version INTEGER PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)"
        )
        cursor = await db.execute("SELECT version FROM schema_migrations")
        applied = {row[0] for row in await cursor.fetchall()}
        for number, sql in migrations():
            if number in applied:
                continue
            async with db.transaction():
                await db.execute(sql.encode())  # a whole file: several statements at once
                await db.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (%s, %s)",
                    (number, time.time()),
                )

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def schema_version(self) -> int:
        async with self._require().connection() as db:
            cursor = await db.execute("SELECT MAX(version) FROM schema_migrations")
            row = await cursor.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgTx]:
        """See :meth:`bot.ports.Store.transaction`. A failure of the server or the connection
        comes out as a :class:`bot.ports.StoreFault`, with nothing of the transaction left."""
        pool = self._require()
        async with self._lock:
            try:
                async with pool.connection() as db:
                    tx = PgTx(db, self._cipher, Remembered(), self.owner)
                    try:
                        await tx.begin()
                        yield tx
                        await tx.settle()
                        await tx.commit()
                    except BaseException as error:
                        # cancelled mid-statement (the bot stopping), the connection may be
                        # unusable, and the server rolls back when the pool drops it
                        await self._roll_back(tx, quiet=isinstance(error, asyncio.CancelledError))
                        raise
            except PoolTimeout as error:
                raise StoreFault("io", describe("io", self.where)) from error
            except BaseException as error:
                self._raise_fault(error)
        if tx.purged:
            await self._vacuum()

    async def _vacuum(self) -> None:
        """After a purge: the old versions of the rows it blanked (ciphertext, never plain
        text) are dead tuples until VACUUM removes them, for their space to be written over;
        the server's WAL and backups keep them until those are recycled (README: Keeping and
        forgetting). A VACUUM that fails is logged and tried by autovacuum later."""
        try:
            async with self._require().connection() as db:
                for table in _PURGED_TABLES:
                    await db.execute(f"VACUUM {table}".encode())
        except psycopg.Error as error:
            log.warning("VACUUM after a purge failed: %s", type(error).__name__)

    async def _roll_back(self, tx: PgTx, *, quiet: bool = False) -> None:
        """Roll back if anything is left to roll back; a failure here must not hide the error
        that made us roll back (a lost connection has rolled back by itself)."""
        try:
            await tx.rollback()
        except Exception as error:
            if not quiet:
                log.warning("rollback failed: %s", type(error).__name__)

    def _raise_fault(self, error: BaseException) -> NoReturn:
        """Raise ``error`` as the :class:`StoreFault` it stands for, or as it is."""
        fault = store_fault(error, self.where)
        if fault is None or fault is error:
            raise error
        raise fault from error

    async def durable(self) -> None:
        """Every commit is on the server's disk already (see the module's docstring)."""

    def _require(self) -> AsyncConnectionPool[AsyncConnection[Any]]:
        if self._pool is None:
            raise RuntimeError("store is not open")
        return self._pool
