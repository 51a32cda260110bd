"""The embedded Store: one SQLite file through aiosqlite.

One connection, one writer: every transaction holds an asyncio lock and runs ``BEGIN IMMEDIATE`` so
it never meets a lock error half-way. WAL keeps readers (``sqlite3`` on the command line, a backup)
out of the writer's way. Migrations are numbered SQL files applied forward only, each in its own
transaction, recorded in ``schema_migrations``.

Durability: a commit in WAL with ``synchronous=NORMAL`` survives the process being killed, but
not a power cut until the WAL is synced. That sync (an fsync: 0.6 ms on the disk we measured) is not
made inside COMMIT: :meth:`SqliteStore.durable` makes it, for every commit so far at once, and
whoever is about to tell the outside world "we have it" awaits it. So a page leaves as soon as its
case is committed, while the reporter's confirmation and the platform's acknowledgement of the
update wait for the disk (see bot/main/app.py). Concurrent callers share one fsync (group commit).

Faults: a failure of the file itself (locked by another process past the busy timeout, disk full,
an I/O error, read-only, damaged) comes out of ``open``, ``transaction`` and ``durable`` as a
:class:`bot.ports.StoreFault` (storage/sqlite/faults.py), with nothing half-done left behind; the
core decides whether to try again (bot/runtime/storage_retry.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.resources
import logging
import os
import re
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import NoReturn

import aiosqlite

from bot.ports.store import StoreFault
from bot.runtime.crypto import Cipher
from storage.sqlite import keys as sqlite_keys
from storage.sqlite.faults import describe, store_fault
from storage.sqlite.tx import BUSY_TIMEOUT_MS, Remembered, SqliteTx

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations(package: str = "storage.sqlite") -> list[tuple[int, str]]:
    """The migrations packaged in ``package``'s ``migrations/`` folder (SQLite's by default;
    storage.postgres has its own) as (number, SQL), in order."""
    found: list[tuple[int, str]] = []
    folder = importlib.resources.files(package) / "migrations"
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    return sorted(found)


class SqliteStore:
    """A :class:`bot.ports.Store` on one SQLite file.

    ``check_key=False`` is only for a reader that needs no key (``fsbot stats`` reads no private
    column): the database is then neither checked against ``cipher`` nor sealed with it.
    ``check_file=False`` skips the check of the whole file on opening (``PRAGMA quick_check``,
    which reads every page: 0.1-0.4 s at 100,000 cases); only for a reader that writes nothing
    (``fsbot stats``), for which a damaged page is still a fault when it is read.
    """

    def __init__(
        self, path: Path, cipher: Cipher, *, check_key: bool = True, check_file: bool = True
    ) -> None:
        self.path = path
        self._cipher = cipher
        self._check_key = check_key
        self._check_file = check_file
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._commits = 0  # transactions committed so far
        self._synced = 0  # of those, how many are known to be on disk
        self._syncing: asyncio.Task[None] | None = None
        self._remembered = Remembered()  # see Remembered: kept between transactions

    async def open(self) -> None:
        """Open the file (created 0600), refuse a key it was not created with, check the file,
        then migrate.

        Raises:
            EncryptionKeyError: the key is not this database's; nothing was written.
            StoreFault: the file cannot be used (read-only, damaged, not there to be made, locked
                by another process), with the connection closed again, so that a bot that cannot
                start ends instead of staying half alive.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            sqlite_keys.private_files(self.path)
            # "DEFERRED", not autocommit: should SQLite roll a transaction back by itself (disk
            # full, I/O error) while writes are still queued behind the failing one (see
            # SqliteTx._later), those open a new implicit transaction that our ROLLBACK undoes,
            # rather than each committing alone. Transactions are begun explicitly (BEGIN
            # IMMEDIATE).
            db = await _connect(self.path)
        except (OSError, sqlite3.Error) as error:
            self._raise_fault(error)
        try:
            if await self._prepare(db):
                await sqlite_keys.seal(db, self._cipher)
        except BaseException as error:
            with contextlib.suppress(Exception):
                await db.close()
            await _ended(db)
            self._raise_fault(error)
        self._db = db

    async def _prepare(self, db: aiosqlite.Connection) -> bool:
        """Settings, the key check (before any write), a check of the file, and migrations;
        True if the database is still unsealed (see storage/sqlite/keys.py)."""
        await db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        unsealed = False
        if self._check_key:
            unsealed = await sqlite_keys.check(db, self._cipher, self.path)
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")  # the WAL is synced by durable()
        await db.execute("PRAGMA foreign_keys=ON")
        # Deleted and overwritten content is zeroed, not left in free space: a purge must
        # leave no trace of the erased bytes in the file (see bot/services/retention.py).
        await db.execute("PRAGMA secure_delete=ON")
        # A damaged file is found now, not at the first report (milliseconds for a bot's file).
        if self._check_file:
            async with db.execute("PRAGMA quick_check") as cursor:
                verdict = await cursor.fetchone()
            if verdict is None or verdict[0] != "ok":
                raise StoreFault("corrupt", describe("corrupt", self.path))
        await self._migrate(db)
        if self._check_key:
            await sqlite_keys.keep_index_key(db, self._cipher)
        return unsealed

    async def close(self) -> None:
        if self._db is not None:
            try:  # a close checkpoints, but not while another process (the CLI) has the file open
                await self.durable()
            finally:
                await self._db.close()
                self._db = None

    async def _migrate(self, db: aiosqlite.Connection) -> None:
        await db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (version INTEGER PRIMARY KEY, applied_at REAL NOT NULL)"
        )
        async with db.execute("SELECT version FROM schema_migrations") as cursor:
            applied = {row[0] for row in await cursor.fetchall()}
        for number, sql in migrations():
            if number in applied:
                continue
            await db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(sql):
                    await db.execute(statement)
                await db.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (number, time.time()),
                )
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            await db.execute("COMMIT")

    async def schema_version(self) -> int:
        async with self._require().execute("SELECT MAX(version) FROM schema_migrations") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTx]:
        """See :meth:`bot.ports.Store.transaction`. A failure of the file itself comes out as a
        :class:`bot.ports.StoreFault`, with nothing of the transaction left behind."""
        db = self._require()
        async with self._lock:
            tx = SqliteTx(db, self._cipher, self._remembered, self.path)
            try:
                tx.begin()
                yield tx
                await tx.settle()
            except BaseException as error:
                self._remembered.forget()
                await self._roll_back(tx)
                self._raise_fault(error)
            try:
                await tx.commit()
            except BaseException as error:
                self._remembered.forget()  # committed or not, nobody can tell here
                await self._roll_back(tx)  # a COMMIT refused (busy) leaves it open
                self._raise_fault(error)
            self._commits += 1
            if tx.purged:
                await self._truncate_wal()

    def _raise_fault(self, error: BaseException) -> NoReturn:
        """Raise ``error`` as the :class:`StoreFault` it stands for, or as it is."""
        fault = store_fault(error, self.path)
        if fault is None or fault is error:
            raise error
        raise fault from error

    async def _roll_back(self, tx: SqliteTx) -> None:
        """Roll back if anything is left to roll back; a failure here must not hide the error
        that made us roll back (SQLite may have rolled back by itself: disk full, I/O error)."""
        try:
            await tx.rollback()
        except Exception as error:
            log.warning("rollback failed: %s", type(error).__name__)

    async def durable(self) -> None:
        """Return once every commit so far is on disk (see the module's docstring)."""
        target = self._commits
        while self._synced < target:
            if self._syncing is None:
                self._syncing = asyncio.create_task(self._sync(), name="store: fsync")
            # shielded: a caller giving up must not cancel the sync others wait for
            await asyncio.shield(self._syncing)

    async def _sync(self) -> None:
        upto = self._commits  # every one of these has written its frames to the WAL
        try:
            await asyncio.to_thread(_fsync, Path(f"{self.path}-wal"))
            self._synced = max(self._synced, upto)
        except OSError as error:
            self._raise_fault(error)
        finally:
            self._syncing = None

    async def _truncate_wal(self) -> None:
        """Copy the WAL into the main file and empty it: older frames of a purged page would
        otherwise keep the erased bytes in the -wal file until it happened to be overwritten."""
        async with self._require().execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
            row = await cursor.fetchone()
        if row is not None and row[0]:
            log.warning(
                "the WAL checkpoint after a purge was blocked by another reader; erased bytes"
                " may stay in the -wal file until the next purge or a clean shutdown"
            )

    def _require(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("store is not open")
        return self._db


def _fsync(path: Path) -> None:
    """Flush a file to disk; a file that is not there has nothing waiting (a checkpoint that
    emptied the WAL synced the database file itself)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (our migrations have no semicolons inside strings)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]


async def _connect(path: Path) -> aiosqlite.Connection:
    """``aiosqlite.connect`` (see open for the isolation level), except that a connection that
    fails to open has ended its worker thread when this raises (see _ended)."""
    connection = aiosqlite.connect(path, isolation_level="DEFERRED")
    try:
        return await connection
    except Exception:
        await _ended(connection)
        raise


async def _ended(connection: aiosqlite.Connection) -> None:
    """Wait for a stopped connection's worker thread to end. aiosqlite stops it with a future
    that a failed connect never awaits, and its thread reports even to a closed event loop: so
    ``fsbot run``, which ends at once after the one-line error of a database it cannot open,
    printed a traceback after it."""
    await asyncio.to_thread(connection._thread.join, 5.0)  # it has only the stop left to run
