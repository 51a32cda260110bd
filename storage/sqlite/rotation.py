"""Key rotation: every encrypted value re-sealed under a new key, in one transaction.

What ``fsbot rotate-key`` does to the file, in three steps that can each be interrupted:

1. :func:`rotate`, one transaction: every ``*_enc`` value is decrypted with the old key and
   encrypted with the new one; the key check (``key_check.sealed``) becomes the new key's; the
   old check is kept in ``key_rotation`` with the new key sealed under the old key. Killed before
   the commit, nothing happened (run it again); after it, step 2 is left.
2. The caller saves the new key where the old one was read from (or prints it). Until step 3, the
   old key still opens ``key_rotation`` and nothing else: ``fsbot run`` with it is refused with
   "run rotate-key again" (:class:`storage.sqlite.keys.RotationUnfinished`), and
   :func:`pending_key` gives the new key back to finish.
3. :func:`finish` deletes ``key_rotation`` (overwritten, ``secure_delete``) and empties the WAL.

Blind indexes (keyed hashes used to find rows by a private value) are stored only as hashes, so
they cannot be recomputed: the database keeps the blind-index key it has always used, sealed
under the current key (``key_check.index_enc``). So someone holding the database *and* an old key
can still test guesses against those hashes; everything readable is sealed under the new key.

A column that this module does not know (``*_enc`` added by a later migration without a context
here) stops the rotation before anything is written.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from bot.runtime.crypto import Cipher, EncryptionKeyError
from storage.sqlite import keys
from storage.sqlite.tx import BUSY_TIMEOUT_MS

# Every encrypted column, with the context it is sealed with (see the repository modules).
CONTEXTS: dict[tuple[str, str], str] = {
    ("reports", "reporter_enc"): "reporter",
    ("reports", "body_enc"): "report",
    ("case_events", "detail_enc"): "audit",
    ("outbox", "payload_enc"): "outbox",
    ("drafts", "state_enc"): "draft",
    ("action_tokens", "args_enc"): "token",
    ("people", "entry_enc"): "person",
    ("tasks", "text_enc"): "task",
    ("member_names", "name_enc"): "member_name",
}
# Sealed values this module handles itself.
_OWN = {("key_check", "index_enc"), ("key_rotation", "new_key_enc")}
_NEW_KEY_CONTEXT = "key_rotation"


class RotationError(Exception):
    """The rotation cannot be done; nothing was changed. ``str()`` is one line."""


def _connect(database: Path) -> sqlite3.Connection:
    db = sqlite3.connect(database, isolation_level=None)
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA secure_delete=ON")  # the old ciphertexts are zeroed, not left in pages
    return db


def encrypted_columns(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """Every ``(table, column)`` whose name ends in ``_enc``, in schema order.

    Raises:
        RotationError: one of them has no known context (a later migration's column).
    """
    tables = [
        str(row[0])
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid"
        ).fetchall()
    ]
    found: list[tuple[str, str]] = []
    for table in tables:
        for column in db.execute(f"PRAGMA table_info({table})").fetchall():
            name = (table, str(column[1]))
            if not name[1].endswith("_enc") or name in _OWN:
                continue
            if name not in CONTEXTS:
                raise RotationError(
                    f"rotate-key does not know how {table}.{name[1]} is encrypted, so nothing"
                    " was changed; this version of fsbot cannot rotate this database's key."
                )
            found.append(name)
    return found


def _reseal(db: sqlite3.Connection, old: Cipher, new: Cipher, table: str, column: str) -> int:
    context = CONTEXTS[(table, column)]
    rows = db.execute(f"SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL").fetchall()
    for rowid, value in rows:
        plain = old.decrypt(str(value), context)
        db.execute(
            f"UPDATE {table} SET {column} = ? WHERE rowid = ?",
            (new.encrypt(plain, context), rowid),
        )
    return len(rows)


def _index_secret(db: sqlite3.Connection, old: Cipher) -> str:
    row = db.execute("SELECT index_enc FROM key_check WHERE id = 1").fetchone()
    if row is not None and row[0] is not None:
        return old.decrypt(str(row[0]), keys.INDEX_CONTEXT)
    return old.index_secret()


def rotate(
    database: Path, old_key: str, new_key: str, each_table: Callable[[], None] = lambda: None
) -> int:
    """Step 1: re-seal everything under ``new_key`` in one transaction; return how many values.

    The database must have been opened with ``old_key`` (checked and migrated) by the caller,
    and no bot may be running on it (storage/sqlite/instance.py). ``each_table`` is called
    after each table inside the transaction (the crash tests kill the process there).

    Raises:
        RotationError: a column with no known context; nothing was changed.
        EncryptionKeyError: a value that ``old_key`` does not open (damaged); rolled back.
    """
    old, new = Cipher(old_key), Cipher(new_key)
    db = _connect(database)
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("SELECT sealed FROM key_check WHERE id = 1").fetchone() is None:
                raise RotationError(f"{database} has no key check; start the bot once first.")
            count = 0
            for table, column in encrypted_columns(db):
                count += _reseal(db, old, new, table, column)
                each_table()
            db.execute(
                "UPDATE key_check SET sealed = ?, index_enc = ? WHERE id = 1",
                (keys.sealed_check(new), new.encrypt(_index_secret(db, old), keys.INDEX_CONTEXT)),
            )
            db.execute(
                "INSERT INTO key_rotation (id, old_sealed, new_key_enc, started_at)"
                " VALUES (1, ?, ?, ?)",
                (keys.sealed_check(old), old.encrypt(new_key, _NEW_KEY_CONTEXT), time.time()),
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    finally:
        db.close()
    return count


def pending_key(database: Path, key: str) -> str | None:
    """Step 2's key, if a rotation is committed but not finished: the new key when ``key`` is
    the old one, ``key`` itself when it is the new one; None when no rotation is pending.

    Raises:
        EncryptionKeyError: a rotation is pending and ``key`` is neither key.
    """
    db = _connect(database)
    try:
        tables = {
            str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if "key_rotation" not in tables:
            return None
        row = db.execute("SELECT old_sealed, new_key_enc FROM key_rotation WHERE id = 1").fetchone()
        if row is None:
            return None
        cipher = Cipher(key)
        if keys.opens(cipher, str(row[0])):
            return cipher.decrypt(str(row[1]), _NEW_KEY_CONTEXT)
        current = db.execute("SELECT sealed FROM key_check WHERE id = 1").fetchone()
        if current is not None and keys.opens(cipher, str(current[0])):
            return key
        raise EncryptionKeyError(keys.wrong_key_message(database))
    finally:
        db.close()


def finish(database: Path) -> None:
    """Step 3: forget the old key's check and the sealed new key, and empty the WAL so that no
    old page of them is left in the ``-wal`` file."""
    db = _connect(database)
    try:
        db.execute("DELETE FROM key_rotation")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
