"""One bot per SQLite database: a lock file beside the database, held with ``flock``.

Two ``fsbot run`` on one file would both long-poll the same Telegram token (Telegram answers one
of them "Conflict") and both fire every escalation timer, paging twice. The store itself cannot
tell them apart (SQLite lets two writers take turns), so ``fsbot run`` holds an exclusive
``flock`` on ``<database>.lock`` for as long as it runs. The kernel lets the lock go when the
process ends, however it ends (SIGKILL, a power cut), so a stale lock never keeps the bot down.
Commands that must not run beside the bot (``fsbot restore``, ``fsbot rotate-key``) take the
same lock. The file holds the process id of its holder, for the message; its presence alone
means nothing, and it is removed again when its holder ends normally.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


class LockRefused(Exception):
    """The database's lock cannot be taken: another process holds it, or the lock file cannot
    be made. ``str()`` is one line for the operator."""


def lock_path(database: Path) -> Path:
    """The lock file of ``database``: ``fsbot.db`` -> ``fsbot.db.lock``, in the same folder."""
    return Path(f"{database}.lock")


def _holder(path: Path) -> str:
    with contextlib.suppress(OSError, ValueError):
        pid = int(path.read_text().strip())
        return f" (process {pid})"
    return ""


def _take(path: Path) -> int:
    """Open and lock ``path``; the descriptor, locked. A file that a releasing holder unlinked
    between our open and our lock is not the lock any more: open the new one instead."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.path.samestat(os.fstat(fd), os.stat(path)):
                return fd
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


@contextlib.contextmanager
def only_instance(database: Path, refused: str = "this one did not start") -> Iterator[None]:
    """Hold ``database``'s lock for the ``with`` block; the lock file is removed when it ends
    (a process killed leaves it behind, unlocked, which is harmless).

    ``refused`` says what did not happen, for the refusal ("nothing was restored"...).

    Raises:
        LockRefused: another process holds it, or the lock file cannot be made (a read-only
            folder, say); nothing was changed.
    """
    path = lock_path(database)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = _take(path)
    except BlockingIOError:
        raise LockRefused(
            f"Another fsbot is already running on {database}{_holder(path)}, and only one may"
            f" use a SQLite database at a time, so {refused}. Stop the other one first."
        ) from None
    except OSError as error:
        raise LockRefused(
            f"Cannot make the lock file {path} beside the database: {error.strerror or error}."
            " The folder must be writable by the bot."
        ) from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # while still locked: see _take
        os.close(fd)  # closing the only descriptor releases the flock
