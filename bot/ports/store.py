"""The ports the core needs, implemented outside it.

``Store`` is persistence (an SQLite file, or a PostgreSQL database): every change happens inside one
``transaction()``, so a handler's effects (case, audit, outbox rows, the processed delivery
id) commit together or not at all. A transaction, :class:`Tx`, is the small repositories of
:mod:`bot.ports.repositories` composed; the rows they hand back are in :mod:`bot.ports.records`
(and named here too, where callers have always found them). Implementations encrypt private
values themselves; the core hands them plain values. ``Messenger`` is one platform's way to
deliver an :class:`Outbound`.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from bot.ports.records import ChatMove as ChatMove
from bot.ports.records import DutyChange as DutyChange
from bot.ports.records import NewCase as NewCase
from bot.ports.records import OutboxRow as OutboxRow
from bot.ports.records import TimerRow as TimerRow
from bot.ports.records import TokenRecord as TokenRecord
from bot.ports.records import VitalSigns as VitalSigns
from bot.ports.repositories import (
    Audit,
    Cases,
    CaseViews,
    ChatMoves,
    Deliveries,
    Drafts,
    Drills,
    Duty,
    Languages,
    Members,
    Outbox,
    Reachability,
    Register,
    Reports,
    Retention,
    Savepoints,
    Tasks,
    Timers,
    Tokens,
    Vitals,
)


class Tx(
    Deliveries,
    Members,
    Reachability,
    Drafts,
    Tokens,
    Reports,
    Cases,
    CaseViews,
    Audit,
    Outbox,
    Timers,
    Duty,
    Tasks,
    Register,
    ChatMoves,
    Languages,
    Retention,
    Drills,
    Savepoints,
    Vitals,
    Protocol,
):
    """Everything the core may read or change, inside one transaction: every repository of
    :mod:`bot.ports.repositories` at once."""


class Store(Protocol):
    async def open(self) -> None:
        """Connect and apply pending migrations."""
        ...

    async def close(self) -> None: ...

    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        """One short write transaction; commits on success, rolls back on error.

        A commit survives the process dying at once; it survives a power cut only once
        :meth:`durable` has returned.
        """
        ...

    async def durable(self) -> None:
        """Return once every transaction committed so far would survive a power cut.

        Anything that tells the outside world "we have it" (a reply, the platform's delivery
        acknowledgement) waits for this; a page may leave before it (see bot/main/app.py).
        """
        ...


class StoreFault(Exception):
    """The store could not do what was asked, for a reason outside the bot's code.

    ``kind`` is one of :data:`TRANSIENT_FAULTS` (``busy``: another process holds the write lock;
    ``full``: no space left; ``io``: reading or writing the disk failed), which may pass by
    themselves and are tried again, or of the permanent ones (``readonly``, ``corrupt``,
    ``cantopen``), which need a person. ``str()`` is one line fit for an operator: it names the
    database file and what to do, never any content.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind

    @property
    def transient(self) -> bool:
        return self.kind in TRANSIENT_FAULTS


TRANSIENT_FAULTS = frozenset({"busy", "full", "io"})
