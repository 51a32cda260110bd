"""Inbound events kept on disk, beside the database, while the database keeps them waiting.

A platform must hear back within seconds (Slack: 3 s; a Slack button press is never sent
again), but another process may hold the database's write lock for longer. Then the event is
written here, synced, and acknowledged; the bot finishes it as soon as the database lets it, and
on the next start whatever is still here is handled first (bot/main/app.py). An event carries a
delivery id before it is written, so finishing it twice changes nothing.

One file per event in ``<database>-inbox/``, named so that they sort in the order written. The
content is encrypted like everything private in the database (what a person wrote, who they
are); the names say nothing.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any

from bot.domain.model import PlatformUser
from bot.ports.events import Inbound
from bot.runtime.crypto import Cipher

log = logging.getLogger(__name__)

_CONTEXT = "inbox"
_SUFFIX = ".event"


class Inbox:
    """The events kept in ``folder``, one encrypted file each (implements
    :class:`bot.ports.inbox.Inbox`)."""

    def __init__(self, folder: Path, cipher: Cipher) -> None:
        self.folder = folder
        self._cipher = cipher

    @classmethod
    def beside(cls, database: Path, cipher: Cipher) -> Inbox:
        """The inbox of a database file: ``<database>-inbox/``, like SQLite's ``-wal``."""
        return cls(Path(f"{database}-inbox"), cipher)

    async def put(self, event: Inbound) -> str:
        """Write ``event`` to disk and sync it; return its key. Raises ``OSError`` (no space, no
        permission) or ``TypeError`` (an event that cannot be written down)."""
        data = self._cipher.encrypt_json(_to_json(event), _CONTEXT)
        key = f"{time.time_ns():020d}-{uuid.uuid4().hex}{_SUFFIX}"
        await asyncio.to_thread(self._write, key, data.encode())
        return key

    async def remove(self, key: str) -> None:
        """Forget an event once the database has it (a leftover is harmless: see above)."""
        await asyncio.to_thread((self.folder / key).unlink, True)

    async def pending(self) -> list[tuple[str, Inbound]]:
        """The events still here, oldest first. One that cannot be read (another key, a torn
        file) is set aside as ``unreadable-*`` and logged, never handed on half-read."""
        return await asyncio.to_thread(self._pending)

    def _write(self, key: str, data: bytes) -> None:
        self.folder.mkdir(mode=0o700, exist_ok=True)
        temporary = self.folder / f".{key}.tmp"
        with open(temporary, "wb") as file:
            try:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise
        os.replace(temporary, self.folder / key)
        _fsync_folder(self.folder)

    def _pending(self) -> list[tuple[str, Inbound]]:
        if not self.folder.is_dir():
            return []
        found: list[tuple[str, Inbound]] = []
        for path in sorted(self.folder.glob(f"*{_SUFFIX}")):
            if path.name.startswith((".", "unreadable-")):
                continue
            try:
                event = _from_json(self._cipher.decrypt_json(path.read_text(), _CONTEXT))
            except Exception as error:  # wrong key, torn or edited file: keep it for a person
                log.warning("an inbox file could not be read (%s); set aside", type(error).__name__)
                path.rename(path.with_name(f"unreadable-{path.name}"))
                continue
            found.append((path.name, event))
        return found


def _to_json(event: Inbound) -> dict[str, Any]:
    return dataclasses.asdict(event)


def _from_json(data: dict[str, Any]) -> Inbound:
    known = {field.name for field in dataclasses.fields(Inbound)}
    values = {name: value for name, value in data.items() if name in known}
    values["sender"] = PlatformUser(**values["sender"])
    return Inbound(**values)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
