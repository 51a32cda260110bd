"""The team file: the safety team's own description of itself (TOML), its models and its loader.

The file is edited by hand by people who are not programmers, often in a hurry before an event.
So every model forbids unknown fields (a misspelt ``rols`` must not silently mean "no roles"),
the loader reports *every* mistake at once rather than one per run, and each mistake names the
file, the line and the field (``team.toml:14: members[1].roles[0]: ...``) in plain words.

Times in the file are local to ``team.timezone`` and written without an offset; durations are
short strings such as ``"5m"`` (see :mod:`bot.durations`).
"""

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError
from pydantic_core.core_schema import ErrorType

from bot.config.durations import compact_duration, parse_duration
from bot.config.teamfile_checks import plain_name, plain_text, same_member_problems, shown
from bot.config.teamfile_lines import Loc, build_line_index, locate_line
from bot.config.teamfile_read import MAX_DEPTH, UnreadableTeamFile, nesting_problem, read_limited

__all__ = [
    "NOTIFY_KEYWORDS",
    "Channels",
    "Duration",
    "Escalation",
    "External",
    "LocalDateTime",
    "Member",
    "Problem",
    "ResponseTarget",
    "Retention",
    "Role",
    "Shift",
    "Step",
    "SupportResource",
    "TeamFile",
    "TeamFileError",
    "TeamInfo",
    "format_loc",
    "load_team_file",
    "parse_notify_target",
    "parse_team_text",
    "starter_team_text",
]

Role = Literal["safety_contact", "organizer", "lead"]
Position = Literal["board", "staff"]
ShiftLevel = Literal["primary", "secondary"]

ID_PATTERN = r"^[a-z0-9_-]+$"
"""Ids appear in notify targets (``member:alice``) and commands, so they stay plain."""

NOTIFY_KEYWORDS: tuple[str, ...] = ("on_duty", "safety_contacts", "leads", "channel")
"""Notify targets that need no id; the others are ``member:<id>`` and ``external:<id>``."""

ON_CALL_ROLES: frozenset[str] = frozenset({"safety_contact", "lead"})
"""Roles that may be put on the rota: only they can be paged as the on-duty contact."""

_DATETIME_EXAMPLE = "2027-08-10T08:00:00"
_YEARS = (1970, 2999)  # a time outside these is a typo, and near 9999 it breaks date arithmetic

MAX_REPEAT = 100
"""Most rounds of the escalation chain: 100 rounds of a 20-minute chain last over a day."""


# -- field types ----------------------------------------------------------------------------


def _duration_before(value: Any) -> Any:
    """Read durations only from the short text form, so a bare ``5`` is never guessed at."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, str):
        return parse_duration(value)
    raise ValueError(f'write a duration as text in quotes, like "5m" or "1h30m" (got {value!r})')


Duration = Annotated[
    timedelta,
    BeforeValidator(_duration_before),
    PlainSerializer(compact_duration, return_type=str, when_used="json"),
]
"""A timedelta written as ``"90s"``/``"5m"``/``"2h"``/``"1d"``; JSON dumps use the same form so
a policy copied into a case can be validated again."""


def _local_before(value: Any) -> Any:
    """Refuse a bare date or time: ``event_end = 2027-08-14`` would silently mean midnight."""
    if isinstance(value, date) and not isinstance(value, datetime):
        raise ValueError(f"give a time as well as the date, like {_DATETIME_EXAMPLE}")
    if isinstance(value, time):
        raise ValueError(f"give a date as well as the time, like {_DATETIME_EXAMPLE}")
    return value


def _local_after(value: datetime) -> datetime:
    """Keep every time in the file naive (team-local) so comparisons never mix kinds."""
    if not _YEARS[0] <= value.year <= _YEARS[1]:
        raise ValueError(f"write a date between the years {_YEARS[0]} and {_YEARS[1]}")
    if value.tzinfo is not None:
        raise ValueError(
            f"write a local time without a UTC offset, like {_DATETIME_EXAMPLE}; "
            "times in the team file are local to team.timezone"
        )
    return value


LocalDateTime = Annotated[datetime, BeforeValidator(_local_before), AfterValidator(_local_after)]
"""A naive datetime, local to the team's time zone (see :meth:`TeamFile.to_utc`)."""

Id = Annotated[str, Field(pattern=ID_PATTERN)]

Name = Annotated[str, Field(min_length=1), AfterValidator(plain_name)]
"""A name on one line, without control characters (see :mod:`bot.teamfile_checks`)."""
PlatformId = Annotated[str, AfterValidator(plain_name)]
Text = Annotated[str, AfterValidator(plain_text)]
"""A text people read: several lines allowed, control characters not."""


def _suggest(value: str, options: Iterable[str]) -> str | None:
    """Best guess at what a misspelt ``value`` meant, for "did you mean ...?" hints."""
    choices = list(options)
    for choice in choices:
        if choice.lower() == value.lower():
            return choice
    matches = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return matches[0] if matches else None


def _did_you_mean(value: str, options: Iterable[str]) -> str:
    guess = _suggest(value, options)
    return f"; did you mean {guess!r}?" if guess else ""


class _Hints:
    """ "Did you mean" guesses against the file's own ids, a few per file: each compares the value
    with every id, and thousands of them would keep ``fsbot check-config`` busy for minutes."""

    def __init__(self, budget: int = 20) -> None:
        self.left = budget

    def __call__(self, value: str, options: Iterable[str]) -> str:
        if self.left <= 0:
            return ""
        self.left -= 1
        return _did_you_mean(value, options)


def _some(ids: Iterable[str], limit: int = 10) -> str:
    """A few ids for a message, and how many more there are: ``a, b, c and 40 more``."""
    ordered = sorted(ids)
    if not ordered:
        return "none"
    more = f" and {len(ordered) - limit} more" if len(ordered) > limit else ""
    return ", ".join(ordered[:limit]) + more


# -- models ---------------------------------------------------------------------------------


class _Strict(BaseModel):
    """Base for every team-file table: unknown keys are mistakes, not extensions."""

    model_config = ConfigDict(extra="forbid")


class TeamInfo(_Strict):
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
            hint = _did_you_mean(value, available_timezones())
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
        return _duration_before(value)
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
    """One ``[[external]]`` entry: someone outside the team a step may notify."""

    id: Id
    name: Name
    telegram: int | None = None
    slack: PlatformId | None = None


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


def parse_notify_target(target: str) -> tuple[str, str | None]:
    """Split a notify target into ``(kind, id)``: ``"member:alice"`` -> ``("member", "alice")``.

    Keywords come back with ``id=None`` (``"leads"`` -> ``("leads", None)``). Raises ValueError
    for anything else, so the escalation code and the file check agree on what is valid.
    """
    if target in NOTIFY_KEYWORDS:
        return target, None
    kind, sep, ident = target.partition(":")
    if sep and kind in ("member", "external") and ident:
        return kind, ident
    allowed = ", ".join(NOTIFY_KEYWORDS) + ", member:<id> or external:<id>"
    raise ValueError(f"unknown notify target {shown(target)}; use one of {allowed}")


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
        problems = _cross_check_errors(data)
        try:
            result = handler(data)
        except ValidationError as exc:
            if not problems:
                raise
            merged = [*_as_init_errors(exc), *problems]
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


# -- cross-table checks ---------------------------------------------------------------------


def _get(obj: Any, key: str) -> Any:
    """Read ``key`` from raw TOML data or from an already-built model, else None."""
    if isinstance(obj, Mapping):
        return obj.get(key)
    if isinstance(obj, BaseModel):
        return getattr(obj, key, None)
    return None


def _items(value: Any) -> list[Any]:
    """The elements of a list-like value; anything else counts as empty (pydantic reports it)."""
    return list(value) if isinstance(value, list | tuple) else []


def _cross_check_errors(data: Mapping[str, Any]) -> list[InitErrorDetails]:
    """Check ids, rota members and notify targets on raw data, collecting every problem.

    Works on values that may not have passed field validation yet, so each check only looks
    at values of the expected type and leaves the rest to pydantic's own errors.
    """
    errors: list[InitErrorDetails] = []
    hints = _Hints()

    def fail(kind: str, loc: Loc, message: str, value: Any) -> None:
        errors.append({"type": PydanticCustomError(kind, message), "loc": loc, "input": value})

    member_index: dict[str, int] = {}
    member_roles: dict[str, Any] = {}
    for i, entry in enumerate(_items(_get(data, "members"))):
        member_id = _get(entry, "id")
        if not isinstance(member_id, str):
            continue
        if member_id in member_index:
            fail(
                "duplicate_id",
                ("members", i, "id"),
                f"duplicate member id {shown(member_id)}; members[{member_index[member_id]}] "
                "already uses it",
                member_id,
            )
        else:
            member_index[member_id] = i
            member_roles[member_id] = _get(entry, "roles")

    external_index: dict[str, int] = {}
    for i, entry in enumerate(_items(_get(data, "external"))):
        external_id = _get(entry, "id")
        if not isinstance(external_id, str):
            continue
        if external_id in external_index:
            fail(
                "duplicate_id",
                ("external", i, "id"),
                f"duplicate external id {shown(external_id)};"
                f" external[{external_index[external_id]}] already uses it",
                external_id,
            )
        else:
            external_index[external_id] = i

    above = _get(_get(data, "escalation"), "above_team")
    if isinstance(above, str) and above not in external_index:
        fail(
            "unknown_external",
            ("escalation", "above_team"),
            f"unknown external contact {shown(above)}; add it as an [[external]] entry",
            above,
        )

    valid_roles = set(get_args(Role))
    for i, shift in enumerate(_items(_get(data, "rota"))):
        who = _get(shift, "member")
        if not isinstance(who, str):
            continue
        if who not in member_index:
            known = _some(member_index)
            hint = hints(who, member_index)
            fail(
                "unknown_member",
                ("rota", i, "member"),
                f"unknown member {shown(who)}{hint or f' (known member ids: {known})'}",
                who,
            )
            continue
        roles = member_roles[who]
        # Only judge roles that are themselves valid; a misspelt role is reported on its own.
        if (
            isinstance(roles, list)
            and roles
            and all(r in valid_roles for r in roles)
            and not ON_CALL_ROLES.intersection(roles)
        ):
            fail(
                "not_on_call",
                ("rota", i, "member"),
                f"{shown(who)} is on the rota but has no 'safety_contact' or 'lead' role "
                f"(roles: {', '.join(roles)}); add one of those roles or take them off the rota",
                who,
            )

    steps = _items(_get(_get(data, "escalation"), "steps"))
    for i, step in enumerate(steps):
        for j, target in enumerate(_items(_get(step, "notify"))):
            if not isinstance(target, str):
                continue
            message = _notify_target_problem(target, member_index, external_index, hints)
            if message:
                fail("bad_notify_target", ("escalation", "steps", i, "notify", j), message, target)
    for loc, kind, message, value in same_member_problems(data):
        fail(kind, loc, message, value)
    return errors


def _notify_target_problem(
    target: str, members: Mapping[str, int], externals: Mapping[str, int], hints: _Hints
) -> str | None:
    """Explain what is wrong with a notify target, or return None if it is fine."""
    try:
        kind, ident = parse_notify_target(target)
    except ValueError as exc:
        if target in members:
            return f"{exc}; did you mean 'member:{target}'?"
        if target in externals:
            return f"{exc}; did you mean 'external:{target}'?"
        guess = _suggest(target, NOTIFY_KEYWORDS)
        return f"{exc}; did you mean {guess!r}?" if guess else str(exc)
    if kind == "member" and ident not in members:
        hint = hints(ident or "", members)
        return f"{shown(target)} names an unknown member {shown(ident)}{hint}"
    if kind == "external" and ident not in externals:
        defined = _some(externals)
        return (
            f"{shown(target)} names an unknown external contact {shown(ident)}; add an"
            f" [[external]] entry with id = {shown(ident)} (defined external ids: {defined})"
        )
    return None


_KNOWN_ERROR_TYPES: frozenset[str] = frozenset(get_args(ErrorType))


def _as_init_errors(exc: ValidationError) -> list[InitErrorDetails]:
    """Turn a ValidationError's errors back into a form that can be raised again."""
    out: list[InitErrorDetails] = []
    for err in exc.errors():
        if err["type"] in _KNOWN_ERROR_TYPES:
            detail: InitErrorDetails = {
                "type": err["type"],
                "loc": err["loc"],
                "input": err["input"],
            }
            if "ctx" in err:
                detail["ctx"] = err["ctx"]
        else:
            detail = {
                "type": PydanticCustomError(err["type"], err["msg"]),
                "loc": err["loc"],
                "input": err["input"],
            }
        out.append(detail)
    return out


# -- problems and the loader ----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One mistake in a team file, placed as precisely as we can (line may be unknown)."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        """``file:line: field: message``, the shape editors and terminals make clickable."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class TeamFileError(Exception):
    """The team file could not be used; ``problems`` lists every mistake found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        """One problem per line, ready to print as-is."""
        return "\n".join(str(p) for p in self.problems)


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def format_loc(loc: Sequence[str | int]) -> str:
    """``("members", 1, "roles", 0)`` -> ``"members[1].roles[0]"``, as people write it."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = part if _BARE_KEY.match(part) else f'"{part}"'
            out += f".{key}" if out else key
    return out


def _model_at(loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class that holds the last key of ``loc`` (for "allowed fields" hints)."""
    model: type[BaseModel] = TeamFile
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        inner = _inner_model(field.annotation) if field is not None else None
        if inner is None:
            return None
        model = inner
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | date | time)


def _friendly_message(err: ErrorDetails) -> str:
    """Rephrase pydantic's message for someone editing a TOML file, not writing Python."""
    kind = err["type"]
    loc = err["loc"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    got = f" (got {shown(value)})" if _is_scalar(value) else ""

    if kind not in _KNOWN_ERROR_TYPES:
        return err["msg"]  # our own cross-check messages already name the value
    if kind == "missing":
        return "missing required field"
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else ""
        model = _model_at(loc)
        allowed = list(model.model_fields) if model is not None else []
        hint = _did_you_mean(name, allowed)
        if hint:
            return f"unknown field{hint}"
        return "unknown field" + (f"; allowed here: {', '.join(allowed)}" if allowed else "")
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "literal_error":
        if not isinstance(value, str):
            return f"{err['msg']}{got}"
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{err['msg']} (got {value!r}{_did_you_mean(value, options)})"
    if kind.startswith("datetime_") or kind.startswith("date_"):
        return f"not a date and time; write it like {_DATETIME_EXAMPLE} (no quotes){got}"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        return f"use only lowercase letters, digits, '_' and '-'{got}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in ("less_than_equal", "greater_than_equal"):
        bound = ctx.get("le", ctx.get("ge"))
        return f"must be at {'most' if kind == 'less_than_equal' else 'least'} {bound}{got}"
    if kind == "too_short":
        minimum = ctx.get("min_length", 1)
        return f"must list at least {minimum} item{'' if minimum == 1 else 's'}"
    if kind == "list_type":
        if isinstance(value, Mapping):
            name = next((p for p in reversed(loc) if isinstance(p, str)), "name")
            return f"should be a list; write [[{name}]] (double brackets) once per entry"
        return f'should be a list, like ["a", "b"]{got}'
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"should be a table (a [section] or {{ key = value }}){got}"
    return f"{err['msg']}{got}"


_MAX_MESSAGE = 400  # characters of one problem: its line, not a copy of the file


def _problems_from_validation(exc: ValidationError, text: str, filename: str) -> list[Problem]:
    index = build_line_index(text)
    problems: dict[Problem, None] = {}  # in order, each once (a set would lose the order)
    for err in exc.errors(include_url=False):
        message = _friendly_message(err)
        problem = Problem(
            file=filename,
            line=locate_line(index, err["loc"]),
            field=format_loc(err["loc"])[:_MAX_MESSAGE],
            message=message if len(message) <= _MAX_MESSAGE else message[:_MAX_MESSAGE] + "...",
        )
        problems[problem] = None
    # Reading order is fixing order; problems without a line (whole file) go last.
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0))


_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def _syntax_problem(exc: tomllib.TOMLDecodeError, text: str, filename: str) -> Problem:
    """Turn tomllib's "Invalid value (at line 3, column 9)" into a placed Problem."""
    message = str(exc)
    match = _TOML_POSITION.search(message)
    line: int | None = None
    column = ""
    if match:
        message = message[: match.start()]
        if match.group(1):
            line = int(match.group(1))
            column = f" (column {match.group(2)})"
        else:
            line = max(1, len(text.splitlines()))
    hint = ""
    if message.startswith("Invalid value"):
        hint = '; text values need quotes, like name = "Alice"'
    return Problem(filename, line, "", f"TOML syntax error: {message}{column}{hint}")


def parse_team_text(text: str, filename: str = "team.toml") -> TeamFile:
    """Parse and validate team-file text; ``filename`` only labels the problems.

    Raises:
        TeamFileError: listing every problem found (one for a TOML syntax error, since
            nothing after it can be trusted).
    """
    deep = nesting_problem(text)
    if deep is not None:
        line, key = deep
        message = f"nested more than {MAX_DEPTH} levels deep; a team file needs 3 at most"
        raise TeamFileError([Problem(filename, line, key, message)])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TeamFileError([_syntax_problem(exc, text, filename)]) from exc
    except RecursionError as exc:  # the check above should make this unreachable
        message = "nested too deeply to read"
        raise TeamFileError([Problem(filename, None, "", message)]) from exc
    try:
        return TeamFile.model_validate(data)
    except ValidationError as exc:
        raise TeamFileError(_problems_from_validation(exc, text, filename)) from exc


def load_team_file(path: Path | str) -> TeamFile:
    """Read, parse and validate the team file at ``path``.

    Raises:
        TeamFileError: for a missing or unreadable file too, so callers (``fsbot check-config``,
            start-up) have a single error type to print.
    """
    path = Path(path)
    filename = str(path)
    try:
        raw = read_limited(path)
    except UnreadableTeamFile as exc:
        raise TeamFileError([Problem(filename, None, "", str(exc))]) from None
    except FileNotFoundError:
        raise TeamFileError(
            [
                Problem(
                    filename,
                    None,
                    "",
                    "team file not found; create it (a commented template ships with the bot) "
                    "or point FSB_TEAM_FILE at it",
                )
            ]
        ) from None
    except IsADirectoryError:
        raise TeamFileError(
            [Problem(filename, None, "", "this is a directory; FSB_TEAM_FILE must name a file")]
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise TeamFileError(
            [Problem(filename, None, "", f"cannot read the team file: {reason}")]
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TeamFileError(
            [Problem(filename, line, "", "the file is not UTF-8 text; save it as UTF-8")]
        ) from exc
    return parse_team_text(text, filename)


def starter_team_text() -> str:
    """The commented template team file shipped with the bot, as text.

    Read through importlib.resources so it works from a wheel or zip, not only a checkout.
    """
    return resources.files("bot.config").joinpath("team_template.toml").read_text(encoding="utf-8")
