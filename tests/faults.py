"""Real storage faults for tests: another connection holding the write lock, a database that may
not grow, real SQLite errors of each kind, and what the bot's log said about them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from storage.sqlite.store import SqliteStore


class WriteLock:
    """Another connection (in a thread) holding ``BEGIN IMMEDIATE`` on the database, as a backup
    or ``fsbot purge`` would, until :meth:`release`. ``held`` is how long it has held it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._taken = threading.Event()
        self._release = threading.Event()
        self._thread = threading.Thread(target=self._hold, name="write lock", daemon=True)
        self._since = 0.0

    def _hold(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        try:
            conn.execute("BEGIN IMMEDIATE")
            self._since = time.monotonic()
            self._taken.set()
            self._release.wait()
            conn.execute("ROLLBACK")
        finally:
            conn.close()

    async def take(self) -> WriteLock:
        self._thread.start()
        if not await asyncio.to_thread(self._taken.wait, 30):
            raise AssertionError("could not take the write lock")
        return self

    @property
    def held(self) -> float:
        return time.monotonic() - self._since if self._taken.is_set() else 0.0

    async def release(self) -> None:
        self._release.set()
        await asyncio.to_thread(self._thread.join, 30)


async def limit_pages(store: SqliteStore, pages: int | None) -> None:
    """Let the store's database file grow no further than ``pages`` pages (``None``: as far as it
    likes), so that SQLite answers SQLITE_FULL as on a full disk (``PRAGMA max_page_count``)."""
    async with store.transaction() as tx:
        count = (await tx._all("PRAGMA page_count"))[0][0]
        await tx._all(f"PRAGMA max_page_count={pages or 2**31 - 2}")
        assert pages is None or count <= pages


# -- real SQLite errors, each of the kind its name says -------------------------------------------


def busy_error(folder: Path) -> sqlite3.Error:
    path = folder / "busy.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")
    try:
        return _error(lambda: sqlite3.connect(path, timeout=0).execute("BEGIN IMMEDIATE"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def locked_error(folder: Path) -> sqlite3.Error:
    conn = sqlite3.connect(folder / "locked.db", isolation_level=None)
    conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(5)])
    reading = conn.execute("SELECT x FROM t")
    reading.fetchone()  # a statement still running on this connection
    return _error(lambda: conn.execute("DROP TABLE t"))


def full_error(folder: Path) -> sqlite3.Error:
    conn = sqlite3.connect(folder / "full.db", isolation_level=None)
    conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count={pages}")
    return _error(lambda: conn.execute("INSERT INTO t VALUES (?)", ("x" * 10_000,)))


def io_error(folder: Path) -> sqlite3.Error:
    """SQLITE_IOERR_WRITE: the file may not grow (RLIMIT_FSIZE, briefly, in this process)."""
    conn = sqlite3.connect(folder / "io.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
    with file_size_limit(os.path.getsize(folder / "io.db-wal")):
        return _error(lambda: conn.execute("INSERT INTO t VALUES (?)", ("x" * 10_000,)))


def readonly_error(folder: Path) -> sqlite3.Error:
    sqlite3.connect(folder / "ro.db").execute("CREATE TABLE IF NOT EXISTS t (x)").connection.close()
    conn = sqlite3.connect(f"file:{folder / 'ro.db'}?mode=ro", uri=True)
    return _error(lambda: conn.execute("INSERT INTO t VALUES (1)"))


def corrupt_error(folder: Path) -> sqlite3.Error:
    (folder / "garbage.db").write_bytes(os.urandom(8192))
    return _error(lambda: sqlite3.connect(folder / "garbage.db").execute("PRAGMA quick_check"))


def cantopen_error(folder: Path) -> sqlite3.Error:
    (folder / "a-folder.db").mkdir(exist_ok=True)
    return _error(lambda: sqlite3.connect(folder / "a-folder.db").execute("SELECT 1"))


@contextlib.contextmanager
def file_size_limit(size: int) -> Iterator[None]:
    old = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, old[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old)


def _error(action: object) -> sqlite3.Error:
    try:
        action()  # type: ignore[operator]
    except sqlite3.Error as error:
        return error
    raise AssertionError("no error")
