"""The statements of one PostgreSQL transaction (see :class:`storage.postgres.tx.PgTx`): queued
writes, reads, BEGIN, COMMIT, ROLLBACK and savepoints, under the repository modules of
storage/sqlite/, written once for both stores (:class:`storage.sqlite.statements.Statements`).
Their SQL is SQLite's, with ``?`` placeholders; :func:`pg_sql` makes it PostgreSQL's.

Writes whose result nobody reads are queued (``_later``) and sent before the next read and before
COMMIT, in the order they were made, in one pipeline (one trip to the server for all of them);
an error among them surfaces there, and the transaction (or the savepoint) rolls back as a whole.

Private values are encrypted by the repository modules, with the same contexts as on SQLite, so
the ciphertext of one store is the ciphertext of the other (``fsbot migrate-db`` copies it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import AsyncConnection, AsyncCursor

from bot.runtime.crypto import Cipher
from storage.postgres.faults import store_fault
from storage.sqlite.statements import Remembered, Statements

# One writer at a time across every process on the database, as SQLite's write lock gives one
# writer per file: a transaction takes this advisory lock first, so the core's read-then-write
# steps (acknowledge a case, fire a timer) never interleave with another process's. It is held
# until COMMIT or ROLLBACK, and a process that dies gives it up with its connection.
WRITER_LOCK = 0x46534200  # "FSB\0"


_IGNORE = "INSERT OR IGNORE INTO "


@lru_cache(maxsize=2048)
def pg_sql(sql: str) -> str:
    """SQLite's SQL (as the repository modules write it) as psycopg runs it: each ``?`` a ``%s``
    placeholder, each literal ``%`` doubled, and ``INSERT OR IGNORE INTO ...`` as ``INSERT INTO
    ... ON CONFLICT DO NOTHING`` (which skips a row that breaks a unique key, as SQLite's does).
    Remembered per SQL text: the same few hundred statements run again and again."""
    if sql.startswith(_IGNORE):
        sql = f"INSERT INTO {sql.removeprefix(_IGNORE)} ON CONFLICT DO NOTHING"
    return sql.replace("%", "%%").replace("?", "%s")


@dataclass
class _Queued:
    sql: str
    params: Sequence[Any]
    many: bool = False
    counted: list[int] = field(default_factory=list)  # rowcount, for a caller that asked


class PgStatements(Statements):
    """The connection, key and remembered tables one PostgreSQL transaction works with, and its
    statements; :class:`storage.postgres.tx.PgTx` is the repository modules over it.

    ``owner`` names this process in leases it takes (storage/postgres/outbox.py). The remembered
    tables are remembered for one transaction only (another process may change them at any
    time): the store gives each transaction a fresh :class:`Remembered`.
    """

    _ROW_ORDER = "seq"  # member_names' sequence column (SQLite's rowid)
    _STATE_UNINDEXED = "state"  # served by cases_review (migration 0001) all the same
    _CLAIM_ROWS = " FOR UPDATE SKIP LOCKED"

    def _wake(self, channel: str) -> None:
        self.notify.add(channel)

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
        # channels to NOTIFY at commit (see _wake; storage/postgres/cluster.py listens)
        self.notify: set[str] = set()
        self._queue: list[_Queued] = []
        self._outbox_ids: list[int] = []  # drawn ahead (storage/postgres/outbox.py)

    def _later(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._queue.append(_Queued(pg_sql(sql), params))

    def _later_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self._queue.append(_Queued(pg_sql(sql), rows, many=True))

    def _later_counted(self, sql: str, params: Sequence[Any] = ()) -> list[int]:
        """Queue a write whose row count someone reads after the next :meth:`settle`."""
        queued = _Queued(pg_sql(sql), params)
        self._queue.append(queued)
        return queued.counted

    def _later_changed(self, sql: str, params: Sequence[Any] = ()) -> Awaitable[bool]:
        return self._changed_one(self._later_counted(sql, params))

    async def _changed_one(self, counted: list[int]) -> bool:
        if not counted:  # not sent yet: send it (and what was queued before it) now
            await self.settle()
        if not counted:
            raise RuntimeError("the write was not made (its transaction failed)")
        return counted[0] == 1

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
        await cursor.execute(pg_sql(sql), params)
        return cursor

    async def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        rows = await self._all(sql, params)
        return rows[0] if rows else None

    async def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        cursor = await self._now(sql, params)
        return list(await cursor.fetchall())

    async def _insert_id(self, sql: str, params: tuple[Any, ...]) -> int:
        row = await self._one(f"{sql} RETURNING id", params)
        assert row is not None
        return int(row[0])

    async def _insert_unless_taken(self, sql: str, params: tuple[Any, ...], key: str) -> int | None:
        # ON CONFLICT: an error would end the whole transaction, not just this statement
        row = await self._one(f"{sql} ON CONFLICT ({key}) DO NOTHING RETURNING id", params)
        return None if row is None else int(row[0])

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
