"""The right key, or none: a PostgreSQL database remembers which encryption key it was created
with, exactly as an SQLite one does (storage/sqlite/keys.py: the same table ``key_check``, the same
sealed value, so a database copied by ``fsbot migrate-db`` keeps its seal)."""

from __future__ import annotations

import time
from typing import Any

from psycopg import AsyncConnection

from bot.runtime.crypto import Cipher, WrongKeyError
from storage.sqlite.keys import INDEX_CONTEXT, opens, sealed_check


def wrong_key_message(where: str) -> str:
    """What a person reads when the key does not open the database at ``where``."""
    return (
        f"This encryption key is not the current key of the database {where}, so nothing was"
        " started and nothing was changed: reports stored under one key cannot be read with"
        " another."
    )


async def check(db: AsyncConnection[Any], cipher: Cipher, where: str) -> bool:
    """Refuse a key this database was not sealed with; reads only. True when not sealed yet
    (a new database), so the caller seals it with :func:`seal` once migrations have run.

    Raises:
        WrongKeyError: with :func:`wrong_key_message`, before anything is written.
    """
    cursor = await db.execute("SELECT to_regclass('key_check') IS NOT NULL")
    exists = await cursor.fetchone()
    if not exists or not exists[0]:
        return True
    cursor = await db.execute("SELECT sealed FROM key_check WHERE id = 1")
    row = await cursor.fetchone()
    if row is None:
        return True
    if not opens(cipher, str(row[0])):
        raise WrongKeyError(wrong_key_message(where))
    return False


async def keep_index_key(db: AsyncConnection[Any], cipher: Cipher) -> None:
    """Give ``cipher`` the blind-index key this database keeps, if its key was ever rotated
    (on SQLite, before it was copied here: storage/sqlite/rotation.py); call after the key check
    and the migrations."""
    cursor = await db.execute("SELECT index_enc FROM key_check WHERE id = 1")
    row = await cursor.fetchone()
    if row is not None and row[0] is not None:
        cipher.keep_index_secret(cipher.decrypt(str(row[0]), INDEX_CONTEXT))


async def seal(db: AsyncConnection[Any], cipher: Cipher) -> None:
    """Record that this database belongs to ``cipher``'s key (once; a second call is a no-op)."""
    await db.execute(
        "INSERT INTO key_check (id, sealed, created_at) VALUES (1, %s, %s)"
        " ON CONFLICT (id) DO NOTHING",
        (sealed_check(cipher), time.time()),
    )
