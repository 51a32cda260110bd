"""SQLite's errors in the terms the core acts on: a :class:`bot.ports.StoreFault` of some kind.

SQLite names its failures by result code (https://www.sqlite.org/rescode.html); the low byte is
the primary code, the rest says more (``SQLITE_IOERR_WRITE`` is ``SQLITE_IOERR`` | 3<<8). The
ones that can pass by themselves are tried again by the core (``bot.storage_retry``); the others
need a person, and their message says what to look at. An error that is neither (a constraint,
a syntax error) is a bug in the bot, not a fault of the file, and is left as it is.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from bot.ports.store import StoreFault

# primary result codes -> the kind of fault
_KINDS = {
    3: "cantopen",  # SQLITE_PERM
    5: "busy",  # SQLITE_BUSY: another connection holds the write lock past the busy timeout
    6: "busy",  # SQLITE_LOCKED: a conflict inside one connection; passes once it is done
    8: "readonly",  # SQLITE_READONLY
    10: "io",  # SQLITE_IOERR
    11: "corrupt",  # SQLITE_CORRUPT
    13: "full",  # SQLITE_FULL
    14: "cantopen",  # SQLITE_CANTOPEN
    23: "cantopen",  # SQLITE_AUTH
    26: "corrupt",  # SQLITE_NOTADB
}

# errors of the store's own file operations (syncing the WAL, making the folder)
_ERRNO_KINDS = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EFBIG: "full",
    errno.EIO: "io",
    errno.EROFS: "readonly",
    errno.EACCES: "cantopen",
    errno.EPERM: "cantopen",
}


def describe(kind: str, path: Path | None) -> str:
    """One line for an operator: which file, what is wrong, what to do. No content, ever."""
    where = f"the database {path} (FSB_DATABASE)" if path else "the database (FSB_DATABASE)"
    said = {
        "busy": "{The} is locked by another process (a backup, `fsbot purge`?) for longer than"
        " the bot waits; try again once it is done.",
        "full": "There is no space left for {the}; free some disk space.",
        "io": "Reading or writing {the} fails (a disk error or a file size limit).",
        "readonly": "{The} is read-only; the bot must be able to write the file and its folder.",
        "corrupt": "{The} is damaged or is not an SQLite database; restore it from a backup.",
        "cantopen": "Cannot open {the}; check that its folder exists and the bot may write there.",
    }[kind]
    return said.format(the=where, The="T" + where[1:])


def store_fault(error: BaseException, path: Path | None) -> StoreFault | None:
    """The fault ``error`` stands for, or ``None`` when it is not a fault of the file."""
    if isinstance(error, StoreFault):
        return error
    kind: str | None = None
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        kind = _KINDS.get(code & 0xFF) if isinstance(code, int) else None
    elif isinstance(error, OSError) and error.errno is not None:
        kind = _ERRNO_KINDS.get(error.errno)
    if kind is None:
        return None
    return StoreFault(kind, describe(kind, path))
