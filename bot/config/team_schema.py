"""The team file's TOML schema: one pydantic model per table, each forbidding unknown fields (a
misspelt ``rols`` must not silently mean "no roles"). :class:`TeamFile` runs the cross-table
checks (bot/config/team_cross_checks.py) alongside its own field checks, so every mistake is
reported at once. Times are local to ``team.timezone``; durations are short strings (``"5m"``).
"""

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.config.email_address import EmailAddress
from bot.config.team_cross_checks import as_init_errors, cross_check_errors

# -- models ---------------------------------------------------------------------------------
from bot.config.team_fields import (
    MAX_REPEAT,
    Duration,
    Id,
    LocalDateTime,
    Name,
    PlatformId,
    Position,
    Role,
    ShiftLevel,
    Text,
    did_you_mean,
    duration_before,
)
from bot.config.team_languages import TeamLanguages


class _Strict(BaseModel):
    """Base for every team-file table: unknown keys are mistakes, not extensions."""

    model_config = ConfigDict(extra="forbid")


class TeamInfo(TeamLanguages, _Strict):
    """The ``[team]`` table: who the team is, where in time it works and what to tell people."""

    name: Name
    timezone: str
    event_start: LocalDateTime | None = None
    event_end: LocalDateTime | None = None
    emergency_info: Text = ""
    show_handler_names: bool = False
    daily_post: list[str] = Field(default_factory=list)
    aftercare_note: Text = (
        "Thank you for handling this. Cases like this can weigh on you: take a break, talk it"
        " through with your lead or a debrief partner, and don't carry it alone."
    )

    @field_validator("daily_post")
    @classmethod
    def _clock_times(cls, value: list[str]) -> list[str]:
        """Each entry is a local clock time, "HH:MM", for the daily check-in post."""
        for item in value:
            try:
                time.fromisoformat(item)
            except ValueError:
                raise ValueError(f'{item!r} is not a time like "09:00"') from None
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        """Fail at load time, not at the first page, if the zone name is wrong."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            hint = did_you_mean(value, available_timezones())
            advice = hint or "; use an IANA name such as 'Europe/Vienna' or 'UTC'"
            raise ValueError(f"unknown time zone {value!r}{advice}") from None
        return value

    @field_validator("event_end")
    @classmethod
    def _end_after_start(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("event_start")
        if value is not None and isinstance(start, datetime) and value <= start:
            raise ValueError(f"event_end ({value}) must be after event_start ({start})")
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The team's time zone; every naive time in the file is read in it."""
        return ZoneInfo(self.timezone)


class Channels(_Strict):
    """The ``[channels]`` table: the team channel on each platform in use."""

    telegram: int | None = None
    slack: PlatformId | None = None


class Member(_Strict):
    """One ``[[members]]`` entry: a person on the team and how to reach them."""

    id: Id
    name: Name
    roles: list[Role] = Field(min_length=1)
    position: Position | None = None
    telegram: int | None = None
    slack: PlatformId | None = None
    usernames: list[Name] = Field(default_factory=list)
    # Optional, in the member's own words: a reporter may ask to talk to someone who speaks a
    # language or is of a gender they prefer, and routing prefers a member on duty who does
    # (bot.preferences). Never shown in the team channel.
    languages: list[Name] = Field(default_factory=list)
    gender: Name | None = None

    def has_role(self, role: Role) -> bool:
        """True if the member holds ``role``; reads better at call sites than ``in roles``."""
        return role in self.roles


class Shift(_Strict):
    """One ``[[rota]]`` entry: who is on duty when, as the primary or a secondary contact."""

    member: str
    start: LocalDateTime
    end: LocalDateTime
    level: ShiftLevel = "primary"

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, value: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("start")
        if isinstance(start, datetime) and value <= start:
            raise ValueError(f"end ({value}) must be after start ({start})")
        return value


class Step(_Strict):
    """One escalation step: notify these targets, then wait this long before the next step."""

    notify: list[str] = Field(min_length=1)
    wait: Duration


def _default_steps() -> list[Step]:
    """On duty, then every safety contact, then the leads: the chain DESIGN.md describes."""
    return [
        Step(notify=["on_duty"], wait=timedelta(minutes=5)),
        Step(notify=["safety_contacts"], wait=timedelta(minutes=5)),
        Step(notify=["leads"], wait=timedelta(minutes=10)),
    ]


class Escalation(_Strict):
    """The ``[escalation]`` table: the paging chain and the reminder intervals."""

    steps: list[Step] = Field(default_factory=_default_steps, min_length=1)
    repeat: int = Field(default=2, ge=0, le=MAX_REPEAT)
    critical_repeat: Duration = timedelta(minutes=2)
    idle_reminder: Duration = timedelta(hours=2)
    task_reminder: Duration = timedelta(hours=1)
    shift_confirm: Duration = timedelta(minutes=10)
    # The external contact (an [[external]] id) who hears of a case about someone on the team.
    above_team: str | None = None
    # When nobody is on duty (outside the rota, after the event): how soon a reporter hears back,
    # as they are told. Unset: they are told the team replies as soon as it can, with no time.
    off_duty_reply: Duration | None = None


KEEP = "keep"
"""In ``[retention]``: no review date, the case is kept until someone decides otherwise."""


def _review_after_before(value: Any) -> Any:
    """A duration, or ``"keep"``; TOML has no null, so "no review date" needs a word."""
    if isinstance(value, str) and value.strip().lower() == KEEP:
        return None
    try:
        return duration_before(value)
    except ValueError as exc:
        raise ValueError(f'{exc}; or "{KEEP}" for no review date') from None


ReviewAfter = Annotated[timedelta | None, BeforeValidator(_review_after_before)]
"""How long after closing a case its account is kept; ``None`` (``"keep"``): no review date."""

SIX_MONTHS = timedelta(days=183)
ONE_YEAR = timedelta(days=365)


class Retention(_Strict):
    """The ``[retention]`` table: when a closed case's account, identities and notes are erased.

    One key per outcome of ``/resolve``, so a misspelt outcome is caught like any unknown field.
    Defaults: six months for outcomes that needed nothing lasting; a year where the team may
    need the case again at the next edition of the event (a no-contact agreement to uphold, a
    referral someone may ask back about); removals and bans are kept, since a ban outlives the
    event and lifting it is a decision for people, not a timer.
    """

    not_a_violation: ReviewAfter = SIX_MONTHS
    out_of_scope: ReviewAfter = SIX_MONTHS
    no_action: ReviewAfter = SIX_MONTHS
    warning: ReviewAfter = SIX_MONTHS
    no_contact_agreement: ReviewAfter = ONE_YEAR
    removed_from_event: ReviewAfter = None
    event_ban: ReviewAfter = None
    referred: ReviewAfter = ONE_YEAR

    def review_after(self, outcome: str | None) -> timedelta | None:
        """How long a case closed with ``outcome`` keeps its account; None: kept.

        An outcome this table does not know (none recorded) is kept: erasing is the one step
        that cannot be undone, so it never happens by default.
        """
        if outcome is None or outcome not in type(self).model_fields:
            return None
        value: timedelta | None = getattr(self, outcome)
        return value


class External(_Strict):
    """One ``[[external]]`` entry: someone outside the team a step may notify.

    ``email`` reaches them by e-mail through the outbox when SMTP is configured (``FSB_SMTP_*``,
    adapters/email); it may stand beside a chat id or alone.
    """

    id: Id
    name: Name
    telegram: int | None = None
    slack: PlatformId | None = None
    email: EmailAddress | None = None


class SupportResource(_Strict):
    """One ``[[support]]`` entry: help beside the team's own (a crisis or sexual-assault line,
    the venue's first aid, the foundation's safety team). Reporters see it after a report, at
    its close, in "How my information is handled" and with the emergency information."""

    name: str = Field(min_length=1)
    contact: str = Field(min_length=1)  # how to reach them: a number, an address, a place
    hours: str = ""  # in the reader's words: "24h", "09:00-18:00 at the info desk"
    languages: list[str] = Field(default_factory=list)


def _clock(value: str | None) -> time | None:
    return None if value is None else time.fromisoformat(value)


class ResponseTarget(_Strict):
    """One ``[[response_target]]`` entry: how soon a reporter is told to expect an answer while
    someone is on duty, for the hours from ``start`` to ``end`` (team-local "HH:MM", which may
    run past midnight; both left out: at any hour). The first entry covering the moment a report
    is sent is what the reporter is promised; with none, no time is promised."""

    within: Duration
    start: str | None = None
    end: str | None = None

    @field_validator("start", "end")
    @classmethod
    def _clock_time(cls, value: str | None) -> str | None:
        """A local clock time, "HH:MM"."""
        if value is not None:
            try:
                time.fromisoformat(value)
            except ValueError:
                raise ValueError(f'{value!r} is not a time like "08:00"') from None
        return value

    @model_validator(mode="after")
    def _both_or_neither(self) -> "ResponseTarget":
        if (self.start is None) != (self.end is None):
            raise ValueError('give both start and end (like "08:00" and "22:00"), or neither')
        return self

    def covers(self, clock: time) -> bool:
        """Whether a report sent at this team-local clock time falls in these hours."""
        start, end = _clock(self.start), _clock(self.end)
        if start is None or end is None or start == end:
            return True
        if start < end:
            return start <= clock < end
        return clock >= start or clock < end  # past midnight


class TeamFile(_Strict):
    """The whole team file, with the checks that need more than one table to decide."""

    team: TeamInfo
    channels: Channels = Field(default_factory=Channels)
    members: list[Member] = Field(min_length=1)
    rota: list[Shift] = Field(default_factory=list)
    escalation: Escalation = Field(default_factory=Escalation)
    retention: Retention = Field(default_factory=Retention)
    external: list[External] = Field(default_factory=list)
    support: list[SupportResource] = Field(default_factory=list)
    response_target: list[ResponseTarget] = Field(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _cross_check(cls, data: Any, handler: ModelWrapValidatorHandler["TeamFile"]) -> "TeamFile":
        """Run the cross-table checks even when field validation fails, and report both.

        An "after" validator would only run once every field is valid, so someone fixing a
        timezone typo would only then learn that the rota names an unknown member. Checking
        the raw data here, and merging with pydantic's own errors, reports everything at once.
        """
        if not isinstance(data, Mapping):
            return handler(data)
        problems = cross_check_errors(data)
        try:
            result = handler(data)
        except ValidationError as exc:
            if not problems:
                raise
            merged = [*as_init_errors(exc), *problems]
            raise ValidationError.from_exception_data(cls.__name__, merged) from None
        if problems:
            raise ValidationError.from_exception_data(cls.__name__, problems)
        return result

    def member(self, member_id: str) -> Member | None:
        """The member with this id, or None."""
        return next((m for m in self.members if m.id == member_id), None)

    def external_contact(self, external_id: str) -> External | None:
        """The external contact with this id, or None."""
        return next((e for e in self.external if e.id == external_id), None)

    def response_within(self, moment: datetime) -> timedelta | None:
        """What a reporter is promised for a report sent at ``moment`` (aware) while someone is
        on duty: the first ``[[response_target]]`` covering its local time, or None."""
        clock = moment.astimezone(self.tz).time()
        return next((t.within for t in self.response_target if t.covers(clock)), None)

    @property
    def tz(self) -> ZoneInfo:
        """Shortcut for ``team.tz``."""
        return self.team.tz

    def to_utc(self, local: datetime) -> datetime:
        """Turn a naive team-local time (as written in the file) into an aware UTC datetime.

        The scheduler and the database work in UTC; the file speaks local time because that
        is what the team reads on the venue's clocks. An aware datetime is just converted.
        """
        aware = local.replace(tzinfo=self.tz) if local.tzinfo is None else local
        return aware.astimezone(UTC)
