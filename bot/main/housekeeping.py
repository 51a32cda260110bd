"""Commands that work on the database while the bot may or may not be running: purge and stats.

Part of the composition root (like :mod:`bot.app`): it opens the store and calls the core.
SQLite in WAL mode with a busy timeout, or PostgreSQL, lets these run beside a running bot.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from bot.config.teamfile import TeamFile
from bot.main.stores import Database, make_store
from bot.runtime.crypto import Cipher, generate_key
from bot.services import retention, stats

BATCH_PAUSE = 0.11
"""Seconds between two purge batches (see :func:`purge`)."""


async def purge(
    database: Database,
    key: str,
    now: datetime,
    *,
    dry_run: bool = False,
    batch: int = retention.PURGE_BATCH,
) -> int:
    """Purge the cases past their review date (or only count them); return how many.

    Each ``batch`` of cases is purged in a transaction of its own, so memory stays bounded and a
    running bot waits for the write lock only a short while at a time (its pages go out between
    batches); a purge stopped half way leaves whole batches done and the rest due.
    """
    store = make_store(database, Cipher(key))
    await store.open()
    try:
        if dry_run:
            async with store.transaction() as tx:
                return len(await tx.cases_due_for_purge(now))
        total = 0
        while True:
            async with store.transaction() as tx:
                done = await retention.purge_due(tx, now, batch)
            total += done
            if done < batch:
                return total
            # A running bot waiting for the write lock polls for it every 100 ms at most
            # (SQLite's busy handler): leave it that long to get in between two batches.
            await asyncio.sleep(BATCH_PAUSE)
    finally:
        await store.close()


async def transparency(
    database: Database,
    key: str | None,
    config: TeamFile,
    first: date,
    last: date,
    by: str | None = None,
    min_count: int = stats.DEFAULT_MIN_COUNT,
) -> stats.Transparency:
    """The anonymous figures for cases received from ``first`` to ``last`` (team-local days),
    grouped ``by`` day, week or month, counts under ``min_count`` hidden
    (:func:`bot.services.stats.compute`).

    They read no private column, so they need no key; a key that is given must be the
    database's (:class:`bot.crypto.EncryptionKeyError` otherwise, as for every command).
    """
    cipher = Cipher(key if key is not None else generate_key())
    store = make_store(database, cipher, check_key=key is not None, check_file=False)
    await store.open()
    try:
        start, end = stats.period_bounds(first, last, config.tz)
        async with store.transaction() as tx:
            figures = await tx.case_figures(start, end)
    finally:
        await store.close()
    return stats.compute(
        figures, first, last, config.tz, config.team.name, by=by, min_count=min_count
    )
