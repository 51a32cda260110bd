"""The team file's field types and names: roles, ids, durations, local times, notify targets,
and the "did you mean" hints every check shares (bot/config/teamfile.py is the loader)."""

import difflib
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
)

from bot.config.durations import compact_duration, parse_duration
from bot.config.teamfile_checks import plain_name, plain_text, shown

Role = Literal["safety_contact", "organizer", "lead"]
Position = Literal["board", "staff"]
ShiftLevel = Literal["primary", "secondary"]

ID_PATTERN = r"^[a-z0-9_-]+$"
"""Ids appear in notify targets (``member:alice``) and commands, so they stay plain."""

NOTIFY_KEYWORDS: tuple[str, ...] = ("on_duty", "safety_contacts", "leads", "channel")
"""Notify targets that need no id; the others are ``member:<id>`` and ``external:<id>``."""

ON_CALL_ROLES: frozenset[str] = frozenset({"safety_contact", "lead"})
"""Roles that may be put on the rota: only they can be paged as the on-duty contact."""

DATETIME_EXAMPLE = "2027-08-10T08:00:00"
_YEARS = (1970, 2999)  # a time outside these is a typo, and near 9999 it breaks date arithmetic

MAX_REPEAT = 100
"""Most rounds of the escalation chain: 100 rounds of a 20-minute chain last over a day."""


# -- field types ----------------------------------------------------------------------------


def duration_before(value: Any) -> Any:
    """Read durations only from the short text form, so a bare ``5`` is never guessed at."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, str):
        return parse_duration(value)
    raise ValueError(f'write a duration as text in quotes, like "5m" or "1h30m" (got {value!r})')


Duration = Annotated[
    timedelta,
    BeforeValidator(duration_before),
    PlainSerializer(compact_duration, return_type=str, when_used="json"),
]
"""A timedelta written as ``"90s"``/``"5m"``/``"2h"``/``"1d"``; JSON dumps use the same form so
a policy copied into a case can be validated again."""


def _local_before(value: Any) -> Any:
    """Refuse a bare date or time: ``event_end = 2027-08-14`` would silently mean midnight."""
    if isinstance(value, date) and not isinstance(value, datetime):
        raise ValueError(f"give a time as well as the date, like {DATETIME_EXAMPLE}")
    if isinstance(value, time):
        raise ValueError(f"give a date as well as the time, like {DATETIME_EXAMPLE}")
    return value


def _local_after(value: datetime) -> datetime:
    """Keep every time in the file naive (team-local) so comparisons never mix kinds."""
    if not _YEARS[0] <= value.year <= _YEARS[1]:
        raise ValueError(f"write a date between the years {_YEARS[0]} and {_YEARS[1]}")
    if value.tzinfo is not None:
        raise ValueError(
            f"write a local time without a UTC offset, like {DATETIME_EXAMPLE}; "
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


def suggest(value: str, options: Iterable[str]) -> str | None:
    """Best guess at what a misspelt ``value`` meant, for "did you mean ...?" hints."""
    choices = list(options)
    for choice in choices:
        if choice.lower() == value.lower():
            return choice
    matches = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(value: str, options: Iterable[str]) -> str:
    guess = suggest(value, options)
    return f"; did you mean {guess!r}?" if guess else ""


class Hints:
    """ "Did you mean" guesses against the file's own ids, a few per file: each compares the value
    with every id, and thousands of them would keep ``fsbot check-config`` busy for minutes."""

    def __init__(self, budget: int = 20) -> None:
        self.left = budget

    def __call__(self, value: str, options: Iterable[str]) -> str:
        if self.left <= 0:
            return ""
        self.left -= 1
        return did_you_mean(value, options)


def some_ids(ids: Iterable[str], limit: int = 10) -> str:
    """A few ids for a message, and how many more there are: ``a, b, c and 40 more``."""
    ordered = sorted(ids)
    if not ordered:
        return "none"
    more = f" and {len(ordered) - limit} more" if len(ordered) > limit else ""
    return ", ".join(ordered[:limit]) + more


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
