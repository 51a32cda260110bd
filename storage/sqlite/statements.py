"""The statements of one transaction, which every repository module builds on: :class:`Statements`
says what the modules may use, whichever the database; :class:`SqliteStatements` does it on SQLite
(see :class:`storage.sqlite.tx.SqliteTx`): queued writes, reads in one trip, BEGIN, COMMIT,
ROLLBACK and savepoints, and the small tables kept between transactions. The repository modules
are written once, in SQLite's SQL with ``?`` placeholders; the PostgreSQL store reuses them over
its own statements (storage/postgres/statements.py), which translate that SQL.

Private values are encrypted by the repository modules, at the edge of the database, so no caller
can forget to. Encryption contexts bind each value to its table and row kind, so a ciphertext
copied into another column does not decrypt.
"""

from __future__ import annotations

import asyncio
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import aiosqlite

from bot.ports.records import DutyChange
from bot.runtime.crypto import Cipher
from storage.sqlite.faults import store_fault

# How long a statement waits for another process's write lock (a backup, `fsbot purge`) before
# failing with a "busy" fault, which the bot then tries again with backoff
# (bot/runtime/storage_retry.py).
BUSY_TIMEOUT_MS = 5000
_RESTORE_TIMEOUT = f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}"


def ts(value: datetime) -> float:
    """A time as SQLite keeps it: seconds since the epoch."""
    return value.timestamp()


def from_ts(value: float) -> datetime:
    """A time SQLite kept (seconds since the epoch) as an aware UTC datetime."""
    return datetime.fromtimestamp(value, UTC)


async def _changed_one(write: Awaitable[aiosqlite.Cursor]) -> bool:
    return (await write).rowcount == 1


@dataclass
class Remembered:
    """Small tables read on nearly every page and written rarely, kept between transactions.

    Paging asks who refused the bot and who is on duty; reading them each time cost a trip to
    the database thread apiece. Only the bot's own process writes them (the command line does
    not), so a write here forgets the value, to be read afresh; so does any rollback, since a
    value read after an uncommitted write would hold that write.
    """

    unreachable: frozenset[tuple[str, str]] | None = None
    duty: tuple[DutyChange, ...] | None = None
    member_names: dict[str, tuple[str, ...]] | None = None

    def forget(self) -> None:
        self.unreachable = None
        self.duty = None
        self.member_names = None


class Counted(Protocol):
    """What a write run at once (``_now``) tells: how many rows it changed."""

    @property
    def rowcount(self) -> int: ...


class Statements(ABC):
    """The key, the remembered tables and the statements one transaction works with, whichever the
    database; each repository module is a subclass. SQL is written as SQLite's, with ``?``
    placeholders; what differs between the databases is behind the methods and names here.
    The PostgreSQL store runs the same text through :func:`storage.postgres.statements.pg_sql`,
    so a ``?`` in it is always a placeholder (never inside a literal), and ``INSERT OR IGNORE
    INTO`` begins a statement or is not used.
    """

    _cipher: Cipher
    _remembered: Remembered
    purged: bool
    # The column giving the order rows were added in (SQLite's own rowid; a sequence elsewhere).
    _ROW_ORDER = "rowid"
    # The case state column, kept from choosing the state index ("+state" on SQLite: see
    # storage/sqlite/retention.py).
    _STATE_UNINDEXED = "+state"
    # Said after a SELECT of rows this transaction is about to act on, so another process sharing
    # the database skips them (nothing on SQLite: one writer holds the whole file).
    _CLAIM_ROWS = ""

    def _wake(self, channel: str) -> None:
        """Tell whoever waits for rows of ``channel`` ("fsb_outbox", "fsb_timers") of new ones once
        this transaction commits (nothing on SQLite: its one process looks by itself)."""
        return  # a hook: only PostgreSQL's statements wake anyone

    @abstractmethod
    def _later(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Queue a write whose result nobody reads; its error surfaces at :meth:`settle`."""
        ...

    @abstractmethod
    def _later_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Queue one write per row of ``rows``."""
        ...

    @abstractmethod
    def _later_changed(self, sql: str, params: Sequence[Any] = ()) -> Awaitable[bool]:
        """Queue a write; what it gives, once awaited, is whether it changed exactly one row."""
        ...

    @abstractmethod
    async def _now(self, sql: str, params: Sequence[Any] = ()) -> Counted:
        """Run a write now (after what is queued) and tell how many rows it changed."""
        ...

    @abstractmethod
    async def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        """The first row a read gives, or None."""
        ...

    @abstractmethod
    async def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Every row a read gives."""
        ...

    @abstractmethod
    async def _insert_id(self, sql: str, params: tuple[Any, ...]) -> int:
        """Run an INSERT of one row now; the id the database gave it."""
        ...

    @abstractmethod
    async def _insert_unless_taken(self, sql: str, params: tuple[Any, ...], key: str) -> int | None:
        """Run an INSERT of one row now, unless the unique column ``key`` already holds its value
        (then None, and nothing is inserted); the id the database gave it."""
        ...

    @abstractmethod
    async def settle(self) -> None:
        """Wait for the writes not yet waited for; raise the first one's error, if any."""
        ...


class SqliteStatements(Statements):
    """The connection, key and remembered tables one SQLite transaction works with, and its
    statements; :class:`storage.sqlite.tx.SqliteTx` is all the repository modules over it."""

    def __init__(
        self,
        db: aiosqlite.Connection,
        cipher: Cipher,
        remembered: Remembered,
        path: Path | None = None,
    ) -> None:
        self._db = db
        self._path = path  # the file, named in a fault's message
        self._cipher = cipher
        self._remembered = remembered
        # Set by purge_cases: the store then checkpoints after commit, so the erased bytes leave
        # the WAL file too (see SqliteStore.transaction).
        self.purged = False
        self._writes: list[asyncio.Future[Any]] = []  # see _later

    # Every statement is a task on aiosqlite's one thread, so they run in the order issued. Each
    # trip there and back costs 40-100 us, and a report's commit makes dozens, so a write whose
    # result nobody reads is not waited for (``_later``): the thread runs it while this side
    # goes on. Its error surfaces at ``settle``, before COMMIT or the end of a savepoint, which
    # then rolls back as a whole. Reads fetch all rows in one trip (a cursor's execute, fetch
    # and close would be three).
    def _later(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._writes.append(asyncio.ensure_future(self._db.execute(sql, params)))

    def _later_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self._writes.append(asyncio.ensure_future(self._db.executemany(sql, rows)))

    def _later_changed(self, sql: str, params: Sequence[Any] = ()) -> Awaitable[bool]:
        write = asyncio.ensure_future(self._db.execute(sql, params))
        self._writes.append(write)
        return asyncio.ensure_future(_changed_one(write))

    async def _now(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Cursor:
        return await asyncio.ensure_future(self._db.execute(sql, params))

    async def _one(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        rows = await self._all(sql, params)
        return rows[0] if rows else None

    async def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        return list(await asyncio.ensure_future(self._db.execute_fetchall(sql, params)))

    async def _insert_id(self, sql: str, params: tuple[Any, ...]) -> int:
        cursor = await self._now(sql, params)
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def _insert_unless_taken(self, sql: str, params: tuple[Any, ...], key: str) -> int | None:
        try:
            return await self._insert_id(sql, params)
        except sqlite3.IntegrityError:
            return None

    async def settle(self) -> None:
        """Wait for the writes not yet waited for; raise the first one's error, if any."""
        writes, self._writes = self._writes, []
        for result in await asyncio.gather(*writes, return_exceptions=True):
            if isinstance(result, BaseException):
                raise result

    def begin(self) -> None:
        """Queued like a write: should it fail (another process holding the file past the busy
        timeout), what follows fails too, and ``settle`` rolls the whole back.

        Once BEGIN IMMEDIATE holds the write lock, nothing inside the transaction waits for
        another process; should it have failed, each write queued behind it would wait the whole
        busy timeout in turn (a report's dozens of writes: minutes). So the timeout is 0 inside
        and back to :data:`BUSY_TIMEOUT_MS` at the end, and a try under a lock takes one timeout.
        """
        self._later("BEGIN IMMEDIATE")
        self._later("PRAGMA busy_timeout=0")

    async def commit(self) -> None:
        """COMMIT, once ``settle`` has seen every queued write through (SqliteStore.transaction)."""
        restore = asyncio.ensure_future(self._db.execute(_RESTORE_TIMEOUT))
        await self._now("COMMIT")
        await restore  # ran before COMMIT: no wait

    async def rollback(self) -> None:
        """Undo what is open. SQLite may have rolled back by itself already (disk full, I/O
        error), and then there is nothing left to undo."""
        await self._let_writes_finish()
        await self._now(_RESTORE_TIMEOUT)
        if self._db.in_transaction:
            await self._now("ROLLBACK")

    async def _let_writes_finish(self) -> None:
        """Before rolling back: the queued writes run first, whatever their outcome."""
        writes, self._writes = self._writes, []
        await asyncio.gather(*writes, return_exceptions=True)

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested transaction: one timer's failure undoes only that timer's work."""
        self._later("SAVEPOINT fire")
        try:
            yield
            await self.settle()
        except BaseException as error:
            self._remembered.forget()
            await self._let_writes_finish()
            if self._db.in_transaction:  # SQLite rolls all back by itself on some faults
                await self._now("ROLLBACK TO fire")
                await self._now("RELEASE fire")
            # A fault of the file is the whole transaction's, not this savepoint's: said so
            # here, where the caller may catch what went wrong inside (bot/runtime/scheduler.py).
            fault = store_fault(error, self._path)
            if fault is None or fault is error:
                raise
            raise fault from error
        self._later("RELEASE fire")
