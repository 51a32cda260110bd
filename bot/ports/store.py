"""The ports the core needs, implemented outside it.

``Store`` is persistence (SQLite now, PostgreSQL later): every change happens inside one
``transaction()``, so a handler's effects (case, audit, outbox rows, the processed delivery
id) commit together or not at all. Implementations encrypt private values themselves; the core
hands them plain values. ``Messenger`` is one platform's way to deliver an :class:`Outbound`.
"""

from __future__ import annotations

from collections.abc import Awaitable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.domain.model import AuditEntry, Case, CaseState, Person, Report, ReportBody, Severity, Task
from bot.domain.policy import EscalationPolicy
from bot.ports.events import Outbound


@dataclass(frozen=True)
class TokenRecord:
    token: str
    audience: str  # "member:<id>" or "reporter:<blind index>"
    action: str
    args: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class OutboxRow:
    id: int
    case_id: int | None
    purpose: str  # page | channel | reply | notice
    message: Outbound | None  # None once a private message has been sent and purged
    replaces: int | None  # outbox id of the message this one edits
    status: str  # pending | sent | failed
    attempts: int
    next_attempt_at: datetime
    sent_ref: str | None
    revision: int = 0  # rewrites while pending (see SqliteTx.mark_sent)


@dataclass(frozen=True)
class TimerRow:
    id: int
    due_at: datetime
    kind: str
    case_id: int | None
    payload: dict[str, Any]
    fence: int


@dataclass(frozen=True)
class DutyChange:
    member_id: str
    on_duty: bool
    at: datetime
    until: datetime | None


@dataclass(frozen=True)
class ChatMove:
    """A platform moved a chat to a new id (Telegram: a group upgraded to a supergroup)."""

    platform: str
    old_id: str
    new_id: str


@dataclass(frozen=True)
class NewCase:
    report_id: int
    severity: Severity
    disclosure: str
    excluded: list[str]
    policy: EscalationPolicy
    reporter_key: str | None
    created_at: datetime


class Tx(Protocol):
    """Everything the core may read or change, inside one transaction."""

    # de-duplication of platform deliveries
    def claim_delivery(self, platform: str, delivery_id: str, now: datetime) -> Awaitable[bool]:
        """Claim a delivery without waiting; the answer, awaited later, is True the first time
        it is seen and False for a retry or a double tap."""
        ...

    # team members, kept for history (the team file is the source of truth)
    async def sync_members(self, members: list[dict[str, Any]]) -> None: ...

    # names the platforms show for members (bot/member_names.py)
    async def member_names(self) -> dict[str, list[str]]:
        """Every name recorded for each member, by member id, oldest first."""
        ...

    async def add_member_names(
        self, member_id: str, platform: str, names: list[tuple[str, str]], now: datetime
    ) -> None:
        """Record ``(key, name)`` pairs seen for a member; a key already recorded is kept once."""
        ...

    # conversation drafts, keyed by a blind index of the person
    async def load_draft(self, owner: str) -> dict[str, Any] | None: ...
    async def save_draft(self, owner: str, data: dict[str, Any], now: datetime) -> None: ...
    async def delete_draft(self, owner: str) -> None: ...

    # opaque action tokens carried by buttons
    async def create_tokens(
        self, audience: str, actions: list[tuple[str, dict[str, Any]]], now: datetime
    ) -> list[str]:
        """One token for each (action, args), all for ``audience``, in order."""
        ...

    async def get_token(self, token: str) -> TokenRecord | None: ...

    # reports and cases
    async def add_report(self, report: Report, reporter_key: str | None) -> int: ...
    async def get_report(self, report_id: int) -> Report: ...
    async def save_report_body(self, report_id: int, body: ReportBody) -> None: ...
    async def add_case(self, new: NewCase) -> Case: ...
    async def get_case(self, case_id: int) -> Case | None: ...
    async def find_case(self, code: str) -> Case | None: ...
    async def save_case(self, case: Case) -> None: ...
    async def list_cases(self, states: list[CaseState] | None = None) -> list[Case]: ...
    async def cases_for_reporter(self, reporter_key: str) -> list[Case]: ...

    # the audit trail
    async def add_audit(self, entry: AuditEntry) -> None: ...
    async def audit_for(self, case_id: int) -> list[AuditEntry]: ...

    # the outbox
    async def enqueue(
        self,
        message: Outbound,
        *,
        purpose: str,
        case_id: int | None,
        now: datetime,
        replaces: int | None = None,
    ) -> int: ...
    async def due_outbox(self, now: datetime, limit: int, channel: bool) -> list[OutboxRow]:
        """Pending rows due now, team-channel posts or all others: pages first, then in order."""
        ...

    async def get_outbox(self, outbox_id: int) -> OutboxRow | None: ...
    async def outbox_for_case(self, case_id: int, purposes: list[str]) -> list[OutboxRow]: ...
    async def replace_pending(self, outbox_id: int, message: Outbound) -> None: ...
    async def mark_sent(
        self, outbox_id: int, ref: str, now: datetime, purge: bool, revision: int
    ) -> Outbound | None:
        """Record a send of ``revision``; the row's newer text if it was rewritten meanwhile."""
        ...

    async def mark_retry(
        self, outbox_id: int, at: datetime, error: str, *, counted: bool = True
    ) -> None:
        """Try again at ``at``; ``counted=False`` when it was not a failure (see DeliveryError)."""
        ...

    async def mark_failed(self, outbox_id: int, error: str) -> None: ...
    async def next_outbox_due(self, channel: bool) -> datetime | None: ...

    # deadlines
    async def add_timer(
        self,
        due_at: datetime,
        kind: str,
        case_id: int | None,
        payload: dict[str, Any],
        fence: int,
        key: str | None = None,
    ) -> None:
        """Add a deadline; with a ``key``, only if no timer with that key exists yet."""
        ...

    async def due_timers(self, now: datetime, limit: int = 100) -> list[TimerRow]: ...
    async def complete_timer(self, timer_id: int, now: datetime) -> None: ...
    async def cancel_timers(self, case_id: int, kinds: list[str]) -> None: ...
    async def next_timer_due(self) -> datetime | None: ...

    # reachability: a person who blocked the bot is skipped by escalation
    async def mark_unreachable(self, platform: str, chat_id: str, now: datetime) -> None: ...
    async def mark_reachable(self, platform: str, chat_id: str) -> None:
        """They wrote to the bot, a message reached them, or the platform says they are back."""
        ...

    async def unreachable(self) -> set[tuple[str, str]]: ...

    # a platform that refused the bot's own credentials: its messages wait, uncounted
    async def hold_platform(self, platform: str, until: datetime, reason: str) -> None:
        """Postpone every pending message to ``platform`` due before ``until`` to ``until``,
        with ``reason`` (starting with ``held:``) as their last error."""
        ...

    async def release_held(self, now: datetime, platform: str | None = None) -> None:
        """Make messages held by :meth:`hold_platform` (for ``platform``, or all) due ``now``."""
        ...

    # duty: ad-hoc changes (/shift on|off) and shift confirmations
    async def add_duty_change(
        self, member_id: str, on_duty: bool, at: datetime, until: datetime | None
    ) -> None: ...
    async def duty_changes(self) -> list[DutyChange]: ...
    async def confirm_shift(self, shift_key: str, member_id: str, at: datetime) -> bool: ...
    async def shift_confirmed(self, shift_key: str) -> bool: ...

    # tasks on a case
    async def add_task(
        self, case_id: int, owner: str, created_by: str, due_at: datetime, text: str, now: datetime
    ) -> int: ...
    async def get_task(self, task_id: int) -> Task | None: ...
    async def tasks_for_case(self, case_id: int) -> list[Task]: ...
    async def finish_task(self, task_id: int, member_id: str, now: datetime) -> bool:
        """Mark a task done; False if it already was."""
        ...

    # the people-of-concern register; keys are normalised identifiers (bot.identifiers),
    # which the store keeps only as blind indexes
    async def add_person(self, person: Person, keys: set[str]) -> int: ...
    async def save_person(self, person: Person, now: datetime) -> None: ...
    async def get_person(self, person_id: int) -> Person | None: ...
    async def list_people(self) -> list[Person]: ...
    async def link_person(self, person_id: int, case_id: int, now: datetime) -> bool: ...
    async def people_for_case(self, case_id: int) -> list[int]: ...
    async def people_matching(self, keys: set[str]) -> list[int]:
        """Register entries with any of these keys."""
        ...

    async def add_case_keys(self, case_id: int, ids: set[str], grams: set[str]) -> None:
        """What a case's reported-person text names: identifiers found in it, and its grams."""
        ...

    async def cases_matching(self, ids: set[str], grams: set[str]) -> list[int]:
        """Cases whose text contains one of ``ids`` or names an identifier among ``grams``."""
        ...

    # chats a platform moved to a new id; the team channel follows them (bot/chat_moves.py)
    async def record_chat_move(self, platform: str, old: str, new: str, now: datetime) -> bool:
        """Remember that ``old`` is now ``new``; False if this move was known already."""
        ...

    async def chat_moves(self) -> list[ChatMove]:
        """Every move remembered, oldest first."""
        ...

    async def readdress_pending(self, platform: str, old: str, new: str) -> int:
        """Send what waits for chat ``old`` to ``new`` instead, an edit of a message there as a
        new message (the new chat cannot edit the old one's); returns how many messages."""
        ...

    # retention: closed cases past their review date lose everything private
    async def cases_due_for_purge(self, now: datetime) -> list[int]: ...
    async def purge_cases(self, case_ids: list[int], now: datetime) -> None:
        """Erase the account, identities and notes of these cases; keep counts and times."""
        ...

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """A nested transaction inside this one."""
        ...


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
        acknowledgement) waits for this; a page may leave before it (see bot/app.py).
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
