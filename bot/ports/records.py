"""What the store hands the core and takes from it, besides the domain's own objects
(:mod:`bot.domain.model`): one frozen record per kind of row (see :mod:`bot.ports.repositories`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from bot.domain.model import CaseState, Severity
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
    drill: bool = False  # a drill case: its code starts with bot.domain.codes.DRILL_PREFIX


@dataclass(frozen=True)
class DrillRecord:
    """A drill (bot/services/drills.py): its case, the lead who started it and which story,
    when it started, when it ends by itself, and when it ended (``None`` while it runs)."""

    id: int
    case_id: int
    started_by: str  # member id
    story: str
    started_at: datetime
    ends_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True)
class TestPageRecord:
    """A test page (bot/services/testpages.py): who asked for it and who was paged (member ids),
    when it was written (with its outbox rows), delivered and acknowledged. Its Acknowledge
    button carries its id."""

    __test__ = False  # a record, not a test (pytest collects classes named Test*)

    id: int
    asked_by: str
    paged: str
    created_at: datetime
    delivered_at: datetime | None = None
    acknowledged_at: datetime | None = None


@dataclass(frozen=True)
class VitalSigns:
    """What the health check and the metrics read from the store: counts and one age, no people.

    ``backlog`` counts the messages waiting to be sent, by (lane, platform), where the lane is
    ``"channel"`` for team-channel posts and ``"direct"`` for everything else (the outbox
    workers' two lanes); ``oldest_page`` is when the longest-waiting unsent page was written
    (None: no page waits); ``timers`` counts pending deadlines.
    """

    backlog: dict[tuple[str, str], int]
    oldest_page: datetime | None
    timers: int


@dataclass(frozen=True)
class CaseCount:
    """How many open cases are in one state at one severity (a drill's never count)."""

    state: CaseState
    severity: Severity
    count: int


class CaseFigures(NamedTuple):
    """What the transparency report may know about one case: times, an outcome name and whether
    it is still open; never a code, a name or a word (bot/services/stats.py).

    A named tuple, not a frozen dataclass like the other records: the report reads one per case
    ever received (100,000 and more), and a tuple is made three times as fast."""

    created_at: datetime
    acknowledged_at: datetime | None
    outcome: str | None
    is_open: bool
