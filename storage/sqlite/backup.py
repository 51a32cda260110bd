"""Online backups and restores of the SQLite file (``fsbot backup``, ``fsbot restore``).

A backup is SQLite's own backup API (``sqlite3.Connection.backup``) run in one step: it reads
the database as one snapshot, like any reader in WAL mode, so the running bot keeps writing
meanwhile and the copy holds every transaction committed before it began and none after. The
copy is written beside its destination, checked, synced, made a single self-contained file
(journal mode DELETE) and only then renamed into place, readable by its owner only.

What is in a backup stays there: cases purged later at their review date, and everything
sealed with the key of the day. So backups are the operator's to rotate out within the
retention period, and each needs the key it was made with.

A restore copies the backup in the same way, opens the copy with the current key (which
refuses a copy made with another key and applies any newer migrations), then moves the current
database aside (``<database>.before-restore-<time>``) and renames the copy into its place. It
is only done while no bot runs on the database (the caller holds storage/sqlite/instance.py's
lock).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

from bot.ports.store import StoreFault
from bot.runtime.crypto import Cipher
from storage.sqlite.keys import private_files
from storage.sqlite.store import SqliteStore
from storage.sqlite.tx import BUSY_TIMEOUT_MS


class BackupError(Exception):
    """The backup or restore was not made; nothing was changed. ``str()`` is one line."""


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy(source: Path, target: Path) -> int:
    """Copy ``source`` (a live database or a backup) to the new file ``target`` with the backup
    API, as one snapshot; the copy in journal mode DELETE, checked and synced. Its page count.
    """
    private_files(target)
    src = sqlite3.connect(source)  # only read; WAL readers need the -shm to be writable
    try:
        src.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # pages=-1: all at once, one consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")
            verdict = dst.execute("PRAGMA quick_check").fetchone()
            if verdict is None or verdict[0] != "ok":
                raise BackupError(f"The copy of {source} did not pass SQLite's check.")
            pages = int(dst.execute("PRAGMA page_count").fetchone()[0])
        finally:
            dst.close()
    finally:
        src.close()
    _sync(target)
    return pages


def _sqlite_problem(error: sqlite3.Error, what: Path) -> BackupError:
    return BackupError(f"Cannot read {what} as a bot database: {error}.")


def backup(database: Path, target: Path) -> int:
    """Write a consistent copy of ``database`` to ``target`` (which must not exist); return its
    size in bytes.

    Raises:
        BackupError: no database, ``target`` exists, the file cannot be read or written; no
            file is left at ``target``.
    """
    if not database.is_file():
        raise BackupError(f"No database at {database} (FSB_DATABASE).")
    if target.exists():
        raise BackupError(f"{target} exists; give a new file name (nothing was written).")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        _copy(database, partial)
        os.replace(partial, target)
        _sync(target.parent)
    except sqlite3.Error as error:
        raise _sqlite_problem(error, database) from None
    except OSError as error:
        raise BackupError(f"Cannot write {target}: {error.strerror or error}.") from None
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


async def _opens(copy: Path, key: str) -> None:
    store = SqliteStore(copy, Cipher(key))
    await store.open()  # the key check, and the migrations a backup from before needs
    await store.close()
    with contextlib.closing(sqlite3.connect(copy)) as db:
        db.execute("PRAGMA journal_mode=DELETE")


async def restore(backup_file: Path, database: Path, key: str) -> Path | None:
    """Put ``backup_file`` in place of ``database``; the path the old database was moved to
    (None when there was none). The caller holds the database's lock.

    Raises:
        BackupError: the backup is missing or not a bot database (nothing was changed), or a
            file could not be moved.
        EncryptionKeyError: the backup was made with another key; nothing was changed.
        StoreFault: the copy cannot be used (damaged); nothing was changed.
    """
    if not backup_file.is_file():
        raise BackupError(f"No backup at {backup_file}.")
    incoming = database.with_name(f".{database.name}.restoring")
    for leftover in (incoming, Path(f"{incoming}-wal"), Path(f"{incoming}-shm")):
        leftover.unlink(missing_ok=True)
    try:
        try:
            _copy(backup_file, incoming)
        except sqlite3.Error as error:
            raise _sqlite_problem(error, backup_file) from None
        await _opens(incoming, key)
        aside = _set_aside(database)
        os.replace(incoming, database)
        _sync(database.parent)
        return aside
    except StoreFault as fault:
        raise BackupError(f"{backup_file} cannot be restored: {fault}") from None
    except OSError as error:
        raise BackupError(
            f"Cannot restore to {database}: {error.strerror or error}; check the folder."
        ) from None
    finally:
        for leftover in (incoming, Path(f"{incoming}-wal"), Path(f"{incoming}-shm")):
            leftover.unlink(missing_ok=True)


def _set_aside(database: Path) -> Path | None:
    """Move the current database aside with its ``-wal`` (a WAL left beside the restored file
    would be read as its own); its WAL is folded in first where nobody else reads it."""
    if not database.exists():
        return None
    with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    aside = database.with_name(f"{database.name}.before-restore-{stamp}")
    os.replace(database, aside)
    wal = Path(f"{database}-wal")
    if wal.exists():
        os.replace(wal, Path(f"{aside}-wal"))
    Path(f"{database}-shm").unlink(missing_ok=True)  # rebuilt from the WAL when needed
    return aside
