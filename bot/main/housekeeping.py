"""Commands that work on the database while the bot may or may not be running: purge and stats.

Part of the composition root (like :mod:`bot.app`): it opens the store and calls the core.
SQLite in WAL mode with a busy timeout, or PostgreSQL, lets these run beside a running bot.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.config.teamfile import TeamFile
from bot.main.stores import Database, make_store
from bot.runtime.crypto import Cipher, generate_key
from bot.services import retention, stats


async def purge(database: Database, key: str, now: datetime, *, dry_run: bool = False) -> int:
    """Purge the cases past their review date (or only count them); return how many."""
    store = make_store(database, Cipher(key))
    await store.open()
    try:
        async with store.transaction() as tx:
            if dry_run:
                return len(await tx.cases_due_for_purge(now))
            return await retention.purge_due(tx, now)
    finally:
        await store.close()


async def transparency(
    database: Database, key: str | None, config: TeamFile, first: date, last: date
) -> stats.Transparency:
    """The anonymous figures for cases received from ``first`` to ``last`` (team-local days).

    They read no private column, so they need no key; a key that is given must be the
    database's (:class:`bot.crypto.EncryptionKeyError` otherwise, as for every command).
    """
    cipher = Cipher(key if key is not None else generate_key())
    store = make_store(database, cipher, check_key=key is not None)
    await store.open()
    try:
        async with store.transaction() as tx:
            cases = await tx.list_cases()
    finally:
        await store.close()
    figures = [stats.CaseFigures.of(case) for case in cases]
    return stats.compute(figures, first, last, config.tz, config.team.name)
