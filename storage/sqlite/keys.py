"""The right key, or none: a database remembers which encryption key it was created with.

Without this, a bot started with another ``FSB_ENCRYPTION_KEY`` stored new reports under the new
key and stopped at the first old case, and going back to the right key failed on the new ones: the
database was split between two keys. Now a known value is sealed with the key when the database
is created (table ``key_check``, migration 0013), and a store opened with another key is refused
before anything is written. A database from before that migration is checked against values it
already holds (a report, a draft, a button, a message, an audit entry) before it is sealed.

The file itself is created readable by its owner only (0600); SQLite gives its ``-wal`` and
``-shm`` files the mode of the database file, and files left looser by an older version are
tightened at start.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from pathlib import Path

import aiosqlite

from bot.runtime.crypto import Cipher, EncryptionKeyError, WrongKeyError

_CONTEXT = "key_check"
_KNOWN = "Friendly Space Bot key check v1"
INDEX_CONTEXT = "index_key"
"""The context the kept blind-index key is sealed with (migration 0019)."""


class RotationUnfinished(WrongKeyError):
    """The key given is the one a key rotation replaced, and the rotation is not finished:
    ``fsbot rotate-key`` with this key finishes it (nothing was written)."""


# Encrypted values a database from before the key check may hold: (table, column, context).
_PROBES = (
    ("reports", "body_enc", "report"),
    ("drafts", "state_enc", "draft"),
    ("action_tokens", "args_enc", "token"),
    ("outbox", "payload_enc", "outbox"),
    ("case_events", "detail_enc", "audit"),
)


def wrong_key_message(path: Path) -> str:
    """What a person reads when the key does not open ``path`` (the command adds what to do)."""
    return (
        f"This encryption key is not the current key of {path}, so nothing was started and"
        " nothing was changed: reports stored under one key cannot be read with another."
    )


def private_files(path: Path) -> None:
    """Create the database file readable by its owner only, and take group and other access
    away from it and its ``-wal`` and ``-shm`` files if an older version left them open."""
    if not path.exists():  # a file that cannot be made, or a folder, is SQLite's to refuse
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if not name.is_file():
            continue
        try:
            mode = stat.S_IMODE(name.stat().st_mode)
            if mode & 0o077:
                name.chmod(mode & 0o700)
        except FileNotFoundError:
            continue
        except PermissionError:  # someone else's file: their choice, and SQLite still works
            continue


async def _tables(db: aiosqlite.Connection) -> set[str]:
    async with db.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
        return {str(row[0]) for row in await cursor.fetchall()}


async def _sealed(db: aiosqlite.Connection, tables: set[str]) -> str | None:
    if "key_check" not in tables:
        return None
    async with db.execute("SELECT sealed FROM key_check WHERE id = 1") as cursor:
        row = await cursor.fetchone()
    return str(row[0]) if row is not None else None


async def _opens_what_is_stored(db: aiosqlite.Connection, cipher: Cipher, tables: set[str]) -> bool:
    """For a database sealed by no key yet: does the key open every kind of value it holds?"""
    for table, column, context in _PROBES:
        if table not in tables:
            continue
        sql = f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL LIMIT 1"
        async with db.execute(sql) as cursor:
            row = await cursor.fetchone()
        if row is None:
            continue
        try:
            cipher.decrypt(str(row[0]), context)
        except (EncryptionKeyError, ValueError):
            return False
    return True


def opens(cipher: Cipher, sealed: str) -> bool:
    """Whether ``sealed`` (a key check) was made with ``cipher``'s key."""
    try:
        return cipher.decrypt(sealed, _CONTEXT) == _KNOWN
    except (EncryptionKeyError, ValueError):
        return False


def sealed_check(cipher: Cipher) -> str:
    """A new key check for ``cipher``'s key."""
    return cipher.encrypt(_KNOWN, _CONTEXT)


async def _opens_rotated(db: aiosqlite.Connection, cipher: Cipher) -> bool:
    async with db.execute("SELECT old_sealed FROM key_rotation WHERE id = 1") as cursor:
        row = await cursor.fetchone()
    return row is not None and opens(cipher, str(row[0]))


async def keep_index_key(db: aiosqlite.Connection, cipher: Cipher) -> None:
    """Give ``cipher`` the blind-index key this database keeps, if its key was ever rotated
    (see storage/sqlite/rotation.py); call after the key check and the migrations."""
    async with db.execute("SELECT index_enc FROM key_check WHERE id = 1") as cursor:
        row = await cursor.fetchone()
    if row is not None and row[0] is not None:
        cipher.keep_index_secret(cipher.decrypt(str(row[0]), INDEX_CONTEXT))


async def check(db: aiosqlite.Connection, cipher: Cipher, path: Path) -> bool:
    """Refuse a key this database was not created with; reads only, writes nothing.

    Returns True when the database is not sealed yet (new, or from before the key check), so
    the caller seals it with :func:`seal` once its migrations have run.

    Raises:
        WrongKeyError: with :func:`wrong_key_message`, before anything is written.
    """
    tables = await _tables(db)
    sealed = await _sealed(db, tables)
    if sealed is not None:
        if not opens(cipher, sealed):
            if "key_rotation" in tables and await _opens_rotated(db, cipher):
                raise RotationUnfinished(
                    f"The key of {path} was being rotated, and this is the old key. Run `fsbot"
                    " rotate-key` again with it to finish: it writes the new key where this one"
                    " was read from (or prints it), and nothing else was changed."
                )
            raise WrongKeyError(wrong_key_message(path))
        return False
    if not await _opens_what_is_stored(db, cipher, tables):
        raise WrongKeyError(wrong_key_message(path))
    return True


async def seal(db: aiosqlite.Connection, cipher: Cipher) -> None:
    """Record that this database belongs to ``cipher``'s key (once; a second call is a no-op)."""
    await db.execute("BEGIN IMMEDIATE")
    try:
        await db.execute(
            "INSERT OR IGNORE INTO key_check (id, sealed, created_at) VALUES (1, ?, ?)",
            (sealed_check(cipher), time.time()),
        )
    except BaseException:
        await db.execute("ROLLBACK")
        raise
    await db.execute("COMMIT")
