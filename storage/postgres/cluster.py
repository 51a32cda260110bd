"""Several processes on one PostgreSQL database: who does what, and wake-ups between them.

- :class:`SessionLock`: a named lock (``pg_try_advisory_lock``) held for as long as one
  connection of this process lives. A process that dies, SIGKILL included, loses its connection
  and with it the lock at once (the server sees the socket close); another process, trying every
  :data:`RETRY` seconds, holds it next. The bot uses one for Telegram's long polling (Telegram
  allows one poller per token) and one for the outbox (bot/main/cluster.py).
- :class:`Wakeups`: ``LISTEN`` on a connection of its own, so that a row one process commits
  (``NOTIFY`` at commit: storage/postgres/statements.py) wakes the process that acts on it.

Lock and wake-up connections reconnect by themselves; a server that is away is tried again every
:data:`RETRY` seconds, with one log line, never the URL's password.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import psycopg
from psycopg import AsyncConnection

log = logging.getLogger(__name__)

RETRY = 0.5  # seconds between tries for a lock another process holds, or a server that is away
CHECK = 1.0  # seconds between checks that a held lock's connection still lives
_CONNECT_TIMEOUT = 5


def lock_key(name: str) -> int:
    """The advisory lock number of ``name``: stable across processes and versions."""
    return int.from_bytes(hashlib.sha256(f"fsbot:{name}".encode()).digest()[:8], "big") >> 1


async def _connect(url: str) -> AsyncConnection[Any]:
    return await AsyncConnection.connect(
        url,
        autocommit=True,
        connect_timeout=_CONNECT_TIMEOUT,
        # A server that vanishes without closing the socket is noticed within ~10 s.
        keepalives=1,
        keepalives_idle=5,
        keepalives_interval=2,
        keepalives_count=3,
    )


class SessionLock:
    """A lock named ``name`` on the database at ``url``, held by one process at a time."""

    def __init__(self, url: str, name: str) -> None:
        self._url = url
        self.name = name
        self._key = lock_key(name)
        self._db: AsyncConnection[Any] | None = None

    @property
    def held(self) -> bool:
        return self._db is not None

    async def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; True if this process holds it now."""
        if self._db is not None:
            return True
        db: AsyncConnection[Any] | None = None
        try:
            db = await _connect(self._url)
            cursor = await db.execute("SELECT pg_try_advisory_lock(%s)", (self._key,))
            row = await cursor.fetchone()
        except psycopg.Error as error:
            log.warning("lock %s: cannot reach the database: %s", self.name, type(error).__name__)
            if db is not None:
                await db.close()
            return False
        if row is None or not row[0]:
            await db.close()
            return False
        self._db = db
        return True

    async def acquire(self) -> None:
        """Wait until this process holds the lock."""
        while not await self.try_acquire():
            await asyncio.sleep(RETRY)

    async def lost(self) -> None:
        """Return when the lock's connection fails (the lock is then free for others)."""
        while self._db is not None:
            await asyncio.sleep(CHECK)
            try:
                await self._db.execute("SELECT 1")
            except psycopg.Error:
                log.warning("lock %s: lost the connection to the database", self.name)
                await self.release()
                return

    async def release(self) -> None:
        """Give the lock up (closing its connection gives it up on the server too)."""
        db, self._db = self._db, None
        if db is not None:
            with contextlib.suppress(psycopg.Error):
                await db.close()


async def while_held(
    lock: SessionLock,
    work: Callable[[], Awaitable[None]],
    on_held: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Run ``work`` whenever this process holds ``lock``, forever: it is cancelled when the lock
    is lost and started again once the lock is held again. ``on_held`` runs first each time.
    Returns when ``work`` returns; raises what ``work`` raises."""
    while True:
        await lock.acquire()
        log.info("lock %s: held by this process", lock.name)
        running = asyncio.create_task(_then(on_held, work), name=f"while holding {lock.name}")
        losing = asyncio.create_task(lock.lost(), name=f"watching {lock.name}")
        try:
            done, _ = await asyncio.wait({running, losing}, return_when=asyncio.FIRST_COMPLETED)
            if running in done:
                running.result()
                return
        finally:
            for task in (running, losing):
                task.cancel()
            await asyncio.gather(running, losing, return_exceptions=True)
            await lock.release()


async def _then(
    first: Callable[[], Awaitable[None]] | None, work: Callable[[], Awaitable[None]]
) -> None:
    if first is not None:
        await first()
    await work()


class Wakeups:
    """Call ``handlers[channel]()`` for every NOTIFY on ``channel``, and each handler once
    whenever listening (re)starts, for what was committed while nobody listened."""

    def __init__(self, url: str, handlers: dict[str, Callable[[], None]]) -> None:
        self._url = url
        self._handlers = handlers

    async def run(self) -> None:
        """Listen until cancelled, reconnecting after a failure."""
        while True:
            try:
                async with await _connect(self._url) as db:
                    for channel in self._handlers:
                        await db.execute(f"LISTEN {channel}")
                    for handler in self._handlers.values():
                        handler()
                    async for note in db.notifies():
                        woken = self._handlers.get(note.channel)
                        if woken is not None:
                            woken()
            except psycopg.Error as error:
                log.warning("wake-ups: lost the database: %s", type(error).__name__)
            await asyncio.sleep(RETRY)
