"""Domain vocabulary: cases, reports and the words for their states.

Plain dataclasses with no I/O. The Store persists them (encrypting what is private); services
change them and write the audit trail.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.codes import is_drill_code
from bot.domain.policy import EscalationPolicy


class CaseState(enum.StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    ACTION_TAKEN = "action_taken"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"


OPEN_STATES = frozenset(
    {
        CaseState.NEW,
        CaseState.ACKNOWLEDGED,
        CaseState.INVESTIGATING,
        CaseState.ACTION_TAKEN,
        CaseState.REOPENED,
    }
)


class Severity(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


# What /resolve may record; the names are not private (they appear in counts and the team file).
OUTCOMES = (
    "not_a_violation",
    "out_of_scope",
    "no_action",
    "warning",
    "no_contact_agreement",
    "removed_from_event",
    "event_ban",
    "referred",
)

SEVERITY_ORDER = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW]

# How a state reads to a reporter: plain words, no jargon.
STATE_FOR_REPORTER = {
    CaseState.NEW: "received, waiting for someone on the safety team to pick it up",
    CaseState.ACKNOWLEDGED: "picked up by the safety team",
    CaseState.INVESTIGATING: "being looked into",
    CaseState.ACTION_TAKEN: "action has been taken",
    CaseState.RESOLVED: "resolved",
    CaseState.CLOSED: "closed",
    CaseState.REOPENED: "reopened and being looked at again",
}

# How a state reads in the team channel.
STATE_FOR_TEAM = {
    CaseState.NEW: "awaiting acknowledgement",
    CaseState.ACKNOWLEDGED: "acknowledged",
    CaseState.INVESTIGATING: "investigating",
    CaseState.ACTION_TAKEN: "action taken",
    CaseState.RESOLVED: "resolved",
    CaseState.CLOSED: "closed",
    CaseState.REOPENED: "reopened",
}


@dataclass(frozen=True)
class PlatformUser:
    """Somebody on a platform, as the adapter saw them."""

    platform: str
    user_id: str
    display_name: str = ""
    # What the platform calls them: a Telegram @username and full name, a Slack display and
    # real name. Kept only for team members (bot/services/member_names.py), never stored for anyone
    # else.
    names: tuple[str, ...] = field(default=(), compare=False)
    # The language the platform says their app is in, as it sends it (Telegram's
    # ``language_code`` "es", Slack's ``locale`` "es-ES"); "" when it says none. Used only the
    # first time they write (bot/services/languages.py); never stored as given.
    language: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        """The identity string that is blind-indexed; never stored in the clear."""
        return f"{self.platform}:{self.user_id}"


CONTACT_HERE = "Message me here"
NO_CONTACT = "Please don't contact me"


@dataclass
class ReportBody:
    """What a reporter told us. Stored encrypted as a whole."""

    danger: str = ""  # yes | no | not_sure
    role: str = ""  # target | witness | on_behalf
    account: list[str] = field(default_factory=list)
    when: str = ""
    where: str = ""  # venue | nearby_event | travel | accommodation | online | other
    where_detail: str = ""
    who: str = ""
    affiliation: str = (
        ""  # participant | organizer | board_staff | venue_staff | other_event | unknown
    )
    witnesses: str = ""
    disclosure: str = ""  # named | pseudonymous | anonymous
    contact: str = ""
    # Automatic messages about the report (picked up, state changes, late): only if chosen.
    updates: bool = False
    excluded: list[str] = field(default_factory=list)  # member ids
    outcome: str = ""
    location_now: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)  # platform file references
    help_now: bool = False
    # Whom they would prefer to talk to (bot.preferences): "gender:..." or "language:...".
    prefer: str = ""
    meet: bool = False  # "I'd rather tell someone in person": the handler is asked to meet them
    notes: list[str] = field(default_factory=list)  # text typed where a button was expected
    # Who filed it: "" (the reporter themselves), "in_person" (a member, on the person's behalf)
    # or "team" (no participant reported it, e.g. a noticeboard discussion), or "drill" (a lead's
    # practice run, bot/services/drills.py); then taken_by.
    source: str = ""
    taken_by: str = ""  # member id
    # The language the reporter read the bot in while writing it (bot.domain.languages code);
    # a member's page says so when it is not their own. "" for reports from before issue 21.
    language: str = ""
    # Which message each free-text answer came from, forwards and corrections
    # (bot/domain/pieces.py).
    pieces: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @property
    def contactable(self) -> bool:
        """The reporter left a way to reach them here (so a question or a handler's message
        may go to them); automatic updates need :attr:`updates` as well."""
        return self.disclosure != "anonymous" and self.contact != NO_CONTACT

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportBody:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "updates" not in known:  # stored before the choice was asked: as it was then
            known["updates"] = known.get("contact") == CONTACT_HERE
        return cls(**known)


@dataclass
class Report:
    id: int | None
    created_at: datetime
    body: ReportBody
    reporter: PlatformUser | None  # None when the reporter chose to stay anonymous


@dataclass
class Case:
    id: int
    code: str
    report_id: int
    severity: Severity
    state: CaseState
    created_at: datetime
    updated_at: datetime
    assignee: str | None  # member id (the database column is still "handler")
    acknowledged_at: datetime | None
    disclosure: str
    excluded: list[str]
    policy: EscalationPolicy
    esc_step: int
    esc_round: int
    reporter_key: str | None
    checkin_hours: float | None = None  # the reporter's opt-in check-ins, if any
    recused: list[str] = field(default_factory=list)  # member ids who stepped aside
    second_person: str | None = None  # the second member on the case (two-person rule)
    outcome: str | None = None  # set by /resolve, cleared on reopen; not private
    review_at: datetime | None = None  # set on close by outcome; None while open or kept
    purged_at: datetime | None = None  # private parts erased then; only counts remain
    # A taken case whose reporter asked for help again (a check-in's "I need help"): the new
    # alert pages as critical until someone acknowledges *it*; None when there is none.
    alert_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_drill(self) -> bool:
        """A drill case (bot/services/drills.py): practice, never counted, purged after."""
        return is_drill_code(self.code)

    @property
    def awaiting_ack(self) -> bool:
        """Pages for it are out and nobody has acknowledged them: a new case, or a new alert on
        an open one."""
        return self.state == CaseState.NEW or (self.alert_at is not None and self.is_open)


@dataclass(frozen=True)
class AuditEntry:
    case_id: int
    at: datetime
    actor: str  # "member:alice", "reporter", "system"
    kind: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class Task:
    """Something a team member must do for a case by a time (``/task``)."""

    id: int
    case_id: int
    owner: str  # member id
    created_by: str  # member id
    due_at: datetime
    text: str
    done_at: datetime | None = None
    done_by: str | None = None

    @property
    def is_open(self) -> bool:
        return self.done_at is None


@dataclass
class Person:
    """An entry of the people-of-concern register (safety contacts and leads only).

    Stored encrypted as a whole; found through blind indexes of its normalised identifiers.
    """

    id: int
    name: str
    identifiers: list[str]
    created_at: datetime
    created_by: str  # member id
    flag: str | None = None  # watch | banned
    flag_until: datetime | None = None  # the flag ends by itself at this moment
    note: str = ""
    history: list[dict[str, Any]] = field(default_factory=list)  # {at, by, what}
    case_ids: list[int] = field(default_factory=list)

    @property
    def code(self) -> str:
        return f"P-{self.id}"

    def flag_at(self, now: datetime) -> str | None:
        """The flag in force at ``now``, if any."""
        if self.flag is None or (self.flag_until is not None and now >= self.flag_until):
            return None
        return self.flag
