"""Where the core keeps an inbound event it could not store in time (the database kept it waiting
past what the platform allows), to finish it later: bot/runtime/backlog.py uses it,
storage/inbox.py implements it on disk beside the database, bot/main wires the two."""

from __future__ import annotations

from typing import Protocol

from bot.ports.events import Inbound


class Inbox(Protocol):
    """Events kept durably, in the order written, each under a key."""

    async def put(self, event: Inbound) -> str:
        """Keep ``event`` durably (synced) and return its key. Raises ``OSError`` (no space, no
        permission) or ``TypeError`` (an event that cannot be written down)."""
        ...

    async def remove(self, key: str) -> None:
        """Forget an event once the database has it; a leftover is harmless (it is finished
        again, and its delivery id makes that change nothing)."""
        ...

    async def pending(self) -> list[tuple[str, Inbound]]:
        """The events still kept, oldest first, as (key, event); unreadable ones left out."""
        ...
