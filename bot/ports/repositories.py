"""The store's repositories: one small protocol per kind of thing kept.

:class:`bot.ports.store.Tx` is all of them at once, inside one transaction; a store implements
them one by one (``storage/sqlite/`` and ``storage/postgres/`` have a module for each), and each
has a contract test suite any store must pass (``tests/contract/``, run on both). All methods run
inside the caller's transaction: what they write is seen by later reads in it and undone with it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Protocol

from bot.domain.model import AuditEntry, Case, CaseState, Person, Report, ReportBody, Task
from bot.ports.events import Outbound
from bot.ports.records import (
    CaseCount,
    CaseFigures,
    ChatMove,
    DrillRecord,
    DutyChange,
    NewCase,
    OutboxRow,
    TestPageRecord,
    TimerRow,
    TokenRecord,
    VitalSigns,
)


class Deliveries(Protocol):
    """De-duplication of platform deliveries."""

    def claim_delivery(self, platform: str, delivery_id: str, now: datetime) -> Awaitable[bool]:
        """Claim a delivery without waiting; the answer, awaited later, is True the first time
        it is seen and False for a retry or a double tap."""
        ...


class Members(Protocol):
    """Team members, kept for history (the team file is the source of truth), and the names
    the platforms show for them (bot/services/member_names.py)."""

    async def sync_members(self, members: list[dict[str, Any]]) -> None: ...

    async def member_names(self) -> dict[str, list[str]]:
        """Every name recorded for each member, by member id, oldest first."""
        ...

    async def add_member_names(
        self, member_id: str, platform: str, names: list[tuple[str, str]], now: datetime
    ) -> None:
        """Record ``(key, name)`` pairs seen for a member; a key already recorded is kept once."""
        ...


class Reachability(Protocol):
    """A person who blocked the bot is skipped by escalation."""

    async def mark_unreachable(self, platform: str, chat_id: str, now: datetime) -> None: ...
    async def mark_reachable(self, platform: str, chat_id: str) -> None:
        """They wrote to the bot, a message reached them, or the platform says they are back."""
        ...

    async def unreachable(self) -> set[tuple[str, str]]: ...


class Drafts(Protocol):
    """Conversation drafts, keyed by a blind index of the person."""

    async def load_draft(self, owner: str) -> dict[str, Any] | None: ...
    async def save_draft(self, owner: str, data: dict[str, Any], now: datetime) -> None: ...
    async def delete_draft(self, owner: str) -> None: ...


class Tokens(Protocol):
    """Opaque action tokens carried by buttons."""

    async def create_tokens(
        self, audience: str, actions: list[tuple[str, dict[str, Any]]], now: datetime
    ) -> list[str]:
        """One token for each (action, args), all for ``audience``, in order."""
        ...

    async def get_token(self, token: str) -> TokenRecord | None: ...


class Reports(Protocol):
    """What a person reported."""

    async def add_report(self, report: Report, reporter_key: str | None) -> int: ...
    async def get_report(self, report_id: int) -> Report: ...
    async def get_reports(self, report_ids: Sequence[int]) -> dict[int, Report]:
        """The reports with these ids by id, decrypted, read together (a list of open cases
        reads its few dozen reports in one trip, not one each). Raises ``LookupError`` when one
        is not there, as :meth:`get_report` does."""
        ...

    async def save_report_body(self, report_id: int, body: ReportBody) -> None: ...


class Cases(Protocol):
    """Cases opened on reports."""

    async def add_case(self, new: NewCase) -> Case: ...
    async def get_case(self, case_id: int) -> Case | None: ...
    async def find_case(self, code: str) -> Case | None: ...
    async def save_case(self, case: Case) -> None: ...
    async def list_cases(self, states: list[CaseState] | None = None) -> list[Case]:
        """Real cases (in these states), oldest first: never a drill case (its code starts
        with bot.domain.codes.DRILL_PREFIX), so no count, list or statistic includes one."""
        ...

    async def cases_for_reporter(self, reporter_key: str) -> list[Case]: ...


class CaseViews(Protocol):
    """What the team's views read, from indexes and aggregates: none loads the closed history.

    Open cases are a few dozen however long the history; counts come from the store's
    ``GROUP BY``; the transparency report reads four plain columns. A drill's case (code starting
    with :data:`bot.domain.codes.DRILL_PREFIX`) is never counted; lists show it, since it is
    worked like any other.
    """

    async def open_case_counts(self) -> list[CaseCount]:
        """Open cases (:data:`bot.domain.model.OPEN_STATES`) by state and severity, drills left
        out; only non-zero counts, in no particular order."""
        ...

    async def open_cases(self, assignee: str | None = None) -> list[Case]:
        """Open cases, drills left out, oldest first; with ``assignee``, only theirs."""
        ...

    async def awaiting_ack_cases(self) -> list[Case]:
        """Open cases whose pages nobody acknowledged (:attr:`Case.awaiting_ack`), drills
        left out, oldest first."""
        ...

    async def cases_updated_since(self, since: datetime) -> list[Case]:
        """Cases changed at or after ``since`` (any state, drills left out), oldest first."""
        ...

    async def case_figures(self, start: datetime, end: datetime) -> list[CaseFigures]:
        """The transparency figures of cases received from ``start`` (included) to ``end``
        (excluded), drills left out, in order of receipt."""
        ...


class Audit(Protocol):
    """The audit trail of each case."""

    async def add_audit(self, entry: AuditEntry) -> None: ...
    async def audit_for(self, case_id: int) -> list[AuditEntry]: ...


class Outbox(Protocol):
    """Messages waiting to be sent, and what became of them."""

    async def enqueue(
        self,
        message: Outbound,
        *,
        purpose: str,
        case_id: int | None,
        now: datetime,
        replaces: int | None = None,
    ) -> int: ...
    async def due_outbox(
        self, now: datetime, limit: int, channel: bool, *, mail: bool = False
    ) -> list[OutboxRow]:
        """Pending rows due now of one lane: team-channel posts (``channel``), e-mail
        (``mail``: rows to the ``email`` platform) or all others; pages first, then in order."""
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
    async def next_outbox_due(self, channel: bool, *, mail: bool = False) -> datetime | None:
        """When the next pending row of that lane (as :meth:`due_outbox`) is due; None: none."""
        ...

    async def stuck_outbox(self, before: datetime) -> int:
        """How many messages written before ``before`` are still waiting to be sent (the
        readiness check: stuck for more than a minute)."""
        ...

    # a platform that refused the bot's own credentials: its messages wait, uncounted
    async def hold_platform(self, platform: str, until: datetime, reason: str) -> None:
        """Postpone every pending message to ``platform`` due before ``until`` to ``until``,
        with ``reason`` (starting with ``held:``) as their last error."""
        ...

    async def release_held(self, now: datetime, platform: str | None = None) -> None:
        """Make messages held by :meth:`hold_platform` (for ``platform``, or all) due ``now``."""
        ...


class Timers(Protocol):
    """Deadlines."""

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


class Duty(Protocol):
    """Duty: ad-hoc changes (/shift on|off) and shift confirmations."""

    async def add_duty_change(
        self, member_id: str, on_duty: bool, at: datetime, until: datetime | None
    ) -> None: ...
    async def duty_changes(self) -> list[DutyChange]: ...
    async def confirm_shift(self, shift_key: str, member_id: str, at: datetime) -> bool: ...
    async def shift_confirmed(self, shift_key: str) -> bool: ...


class Tasks(Protocol):
    """Tasks on a case."""

    async def add_task(
        self, case_id: int, owner: str, created_by: str, due_at: datetime, text: str, now: datetime
    ) -> int: ...
    async def get_task(self, task_id: int) -> Task | None: ...
    async def tasks_for_case(self, case_id: int) -> list[Task]: ...
    async def finish_task(self, task_id: int, member_id: str, now: datetime) -> bool:
        """Mark a task done; False if it already was."""
        ...


class Register(Protocol):
    """The people-of-concern register, and what each case's reported-person text names. Keys
    are normalised identifiers (bot/domain/identifiers.py), which the store keeps only as blind
    indexes."""

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


class ChatMoves(Protocol):
    """Chats a platform moved to a new id; the team channel follows them
    (bot/services/chat_moves.py)."""

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


class Drills(Protocol):
    """Drills and test pages (bot/services/drills.py, bot/services/testpages.py)."""

    async def add_drill(
        self, case_id: int, started_by: str, story: str, started_at: datetime, ends_at: datetime
    ) -> DrillRecord: ...

    async def running_drills(self) -> list[DrillRecord]:
        """Drills not ended yet, oldest first."""
        ...

    async def drill_for_case(self, case_id: int) -> DrillRecord | None: ...

    async def end_drill(self, drill_id: int, now: datetime) -> bool:
        """Mark a drill ended; False if it had ended already (so a debrief is sent once)."""
        ...

    async def add_test_page(self, asked_by: str, paged: str, now: datetime) -> TestPageRecord: ...
    async def test_page(self, test_page_id: int) -> TestPageRecord | None: ...

    async def test_page_delivered(self, test_page_id: int, at: datetime) -> bool:
        """Record the platform's confirmation; False if it was recorded already."""
        ...

    async def test_page_acknowledged(self, test_page_id: int, at: datetime) -> bool:
        """Record the first press of Acknowledge; False if it was pressed before."""


class Languages(Protocol):
    """The language each person reads the bot in (issue 21): ``person`` is their blind index
    (``UnitOfWork.person_key``), ``language`` a code of bot.domain.languages.SHIPPED."""

    async def language_of(self, person: str) -> str | None:
        """The language remembered for this person, or None when none is."""
        ...

    async def set_language(self, person: str, language: str, now: datetime, *, chosen: bool) -> str:
        """Remember ``language`` for ``person``: ``chosen`` when they picked it (it replaces
        anything stored), else the platform's guess at first contact (kept only when nothing is
        stored yet). Returns the language now remembered."""
        ...


class Retention(Protocol):
    """Closed cases past their review date lose everything private."""

    async def cases_due_for_purge(self, now: datetime, limit: int | None = None) -> list[int]:
        """Ids of closed, unpurged cases whose review date is at or before ``now``, the
        earliest first; at most ``limit`` of them (a purge goes in batches)."""
        ...

    async def purge_cases(self, case_ids: list[int], now: datetime) -> None:
        """Erase the account, identities and notes of these cases; keep counts and times."""
        ...


class Savepoints(Protocol):
    """Part of a transaction that can fail alone."""

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """A nested transaction inside this one."""
        ...


class Vitals(Protocol):
    """What the health check and the metrics count (bot/runtime/health.py): read only."""

    async def vital_signs(self) -> VitalSigns:
        """The outbox backlog by lane and platform, when the oldest unsent page was written, and
        how many timers are pending (see :class:`bot.ports.records.VitalSigns`)."""
        ...
