"""The statements of one PostgreSQL transaction, which every repository module builds on (see
:class:`storage.postgres.tx.PgTx`): queued writes, reads, BEGIN, COMMIT, ROLLBACK and
savepoints. The same shape as storage/sqlite/statements.py, so each repository module here reads
like its SQLite twin.

Writes whose result nobody reads are queued (``_later``) and sent before the next read and before
COMMIT, in the order they were made, in one pipeline (one trip to the server for all of them);
an error among them surfaces there, and the transaction (or the savepoint) rolls back as a whole.

Private values are encrypted by the repository modules, with the same contexts as on SQLite, so
the ciphertext of one store is the ciphertext of the other (``fsbot migrate-db`` copies it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import AsyncConnection, AsyncCursor

from bot.ports.records import DutyChange
from bot.runtime.crypto import Cipher
from storage.postgres.faults import store_fault

# One writer at a time across every process on the database, as SQLite's write lock gives one
# writer per file: a transaction takes this advisory lock first, so the core's read-then-write
# steps (acknowledge a case, fire a timer) never interleave with another process's. It is held
# until COMMIT or ROLLBACK, and a process that dies gives it up with its connection.
WRITER_LOCK = 0x46534200  # "FSB\0"


def ts(value: datetime) -> float:
    """A time as the store keeps it: seconds since the epoch (as on SQLite)."""
    return value.timestamp()


def from_ts(value: float) -> datetime:
    """A kept time (seconds since the epoch) as an aware UTC datetime."""
    return datetime.fromtimestamp(value, UTC)


@dataclass
class Remembered:
    """Small tables read more than once in a transaction (see storage/sqlite/statements.py).

    On PostgreSQL another process may change them at any time, so they are remembered for one
    transaction only: the store gives each transaction a fresh one.
    """

    unreachable: frozenset[tuple[str, str]] | None = None
    duty: tuple[DutyChange, ...] | None = None
    member_names: dict[str, tuple[str, ...]] | None = None

    def forget(self) -> None:
        self.unreachable = None
        self.duty = None
        self.member_names = None


@dataclass
class _Queued:
    sql: str
    params: Sequence[Any]
    many: bool = False
    counted: list[int] = field(default_factory=list)  # rowcount, for a caller that asked


class Statements:
    """The connection, key and remembered tables one transaction works with, and its statements;
    each repository module is a subclass, and :class:`storage.postgres.tx.PgTx` all of them.

    ``owner`` names this process in leases it takes (storage/postgres/outbox.py).
    """

    def __init__(
        self,
        db: AsyncConnection[Any],
        cipher: Cipher,
        remembered: Remembered,
        owner: str,
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._remembered = remembered
        self._owner = owner
        self.purged = False  # set by purge_cases: the store vacuums after commit
        self.notify: set[str] = set()  # channels to NOTIFY at commit (storage/postgres/wakeups.py)
        self._queue: list[_Queued] = []
        self._outbox_ids: list[int] = []  # drawn ahead (storage/postgres/outbox.py)

    def _later(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._queue.append(_Queued(sql, params))

    def _later_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self._queue.append(_Queued(sql, rows, many=True))

    def _later_counted(self, sql: str, params: Sequence[Any] = ()) -> list[int]:
        """Queue a write whose row count someone reads after the next :meth:`settle`."""
        queued = _Queued(sql, params)
        self._queue.append(queued)
        return queued.counted

    async def settle(self) -> None:
        """Send the queued writes, in order, in one pipeline; raise the first one's error."""
        queue, self._queue = self._queue, []
        if not queue:
            return
        if len(queue) == 1:
            cursors = [await self._run(queue[0])]
        else:
            async with self._db.pipeline():
                cursors = [await self._run(queued) for queued in queue]
        for queued, cursor in zip(queue, cursors, strict=True):
            queued.counted.append(cursor.rowcount)

    async def _run(self, queued: _Queued) -> AsyncCursor[Any]:
        cursor = self._db.cursor()
        if queued.many:
            await cursor.executemany(queued.sql, queued.params)
        else:
            await cursor.execute(queued.sql, queued.params)
        return cursor

    async def _now(self, sql: str, params: Sequence[Any] = ()) -> AsyncCursor[Any]:
        await self.settle()
        cursor = self._db.cursor()
        await cursor.execute(sql, params)
        return cursor

    async def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        rows = await self._all(sql, params)
        return rows[0] if rows else None

    async def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        cursor = await self._now(sql, params)
        return list(await cursor.fetchall())

    async def begin(self) -> None:
        """BEGIN, then the writer lock (see :data:`WRITER_LOCK`), in one trip to the server."""
        await self._db.execute(f"BEGIN; SELECT pg_advisory_xact_lock({WRITER_LOCK:d})".encode())

    async def commit(self) -> None:
        """NOTIFY what this transaction woke (delivered only if it commits), then COMMIT."""
        notify = "".join(f"NOTIFY {channel}; " for channel in sorted(self.notify))
        await self._db.execute(f"{notify}COMMIT".encode())

    async def rollback(self) -> None:
        """Undo what is open; a connection that is gone has nothing left to undo."""
        self._queue = []
        if self._db.closed:
            return
        if self._db.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            await self._db.execute("ROLLBACK")

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested transaction: one timer's failure undoes only that timer's work."""
        await self.settle()
        await self._db.execute("SAVEPOINT fire")
        try:
            yield
            await self.settle()
        except BaseException as error:
            self._remembered.forget()
            self._queue = []
            fault = store_fault(error)
            if fault is None:  # the server is still there: undo this part only
                await self._db.execute("ROLLBACK TO SAVEPOINT fire")
                await self._db.execute("RELEASE SAVEPOINT fire")
                raise
            # A fault of the connection is the whole transaction's, not this savepoint's.
            if fault is error:
                raise
            raise fault from error
        await self._db.execute("RELEASE SAVEPOINT fire")
