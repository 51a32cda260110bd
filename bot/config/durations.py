"""Short human durations such as ``"90s"``, ``"5m"``, ``"2h"``, ``"1d"`` and ``"1h30m"``.

The team file is written by people, not programs, so durations use the short forms people
already type in chat rather than ISO 8601 (``PT5M``) or bare numbers whose unit is a guess.
Messages shown to people use :func:`format_duration` ("1 hour 30 minutes"), and
:func:`compact_duration` gives back the short form so a stored policy can be read again.
"""

from __future__ import annotations

import re
from datetime import timedelta

__all__ = ["MAX_DURATION", "compact_duration", "format_duration", "parse_duration"]

# Units in the order they must appear: "1h30m" reads naturally, "30m1h" is almost surely a typo.
_UNITS: tuple[tuple[str, int, str], ...] = (
    ("d", 86_400, "day"),
    ("h", 3_600, "hour"),
    ("m", 60, "minute"),
    ("s", 1, "second"),
)

_DURATION_RE = re.compile(
    r"""
    ^\s*
    (?:(?P<d>\d+)\s*d\s*)?
    (?:(?P<h>\d+)\s*h\s*)?
    (?:(?P<m>\d+)\s*m\s*)?
    (?:(?P<s>\d+)\s*s\s*)?
    $
    """,
    re.VERBOSE | re.IGNORECASE,
)

_EXAMPLES = '"90s", "5m", "2h", "1d" or "1h30m"'

MAX_DURATION = timedelta(days=36_500)
"""About a hundred years: longer than any wait, reminder or keeping time, and short enough that
a deadline computed from it is always a date Python can hold (timedelta stops at 999999999
days, datetime at the year 9999)."""
_MAX_DIGITS = 9


def _shown(text: str) -> str:
    """``text`` quoted for a message, cut short: the message must fit on a line."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _too_long(text: str) -> str:
    return f"{_shown(text)} is longer than {MAX_DURATION.days}d (about 100 years); is it a typo?"


def parse_duration(text: str) -> timedelta:
    """Turn ``"1h30m"``-style text into a :class:`~datetime.timedelta`.

    Accepts whole numbers followed by ``d``, ``h``, ``m`` or ``s``, largest unit first, optionally
    combined (``"1d2h"``, ``"1h 30m"``). A zero duration is refused: every duration in this bot is
    a wait or a reminder interval, and a zero there would page people in a tight loop, which is
    never what the team meant. So is anything over :data:`MAX_DURATION`.

    Raises:
        ValueError: with a message that says what was wrong and shows valid examples, because
            it is shown as-is to whoever edits the team file.
    """
    if not isinstance(text, str):
        raise ValueError(f"a duration must be text such as {_EXAMPLES}, not {text!r}")
    stripped = text.strip()
    if not stripped:
        raise ValueError(f"the duration is empty; write it like {_EXAMPLES}")
    match = _DURATION_RE.match(stripped)
    if match is None or not any(match.group(unit) for unit, _, _ in _UNITS):
        raise ValueError(
            f"{_shown(text)} is not a duration I understand; write it like {_EXAMPLES} "
            "(whole numbers with d, h, m or s, largest unit first)"
        )
    # Bounded before int(): a hundred-digit number would otherwise overflow timedelta, or be
    # refused by Python's own limit on long numbers with a message about Python.
    if any(len(match.group(unit) or "") > _MAX_DIGITS for unit, _, _ in _UNITS):
        raise ValueError(_too_long(text))
    seconds = sum(int(match.group(unit) or 0) * size for unit, size, _ in _UNITS)
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(_too_long(text))
    if seconds == 0:
        raise ValueError(f"{_shown(text)} is zero; a wait or reminder must be longer than that")
    return timedelta(seconds=seconds)


def _split(td: timedelta) -> list[tuple[int, str, str]]:
    """Break a non-negative timedelta into (amount, short unit, long unit) parts, zeros dropped.

    Shared by both formatters so "what is shown" and "what is stored" can never disagree.
    Fractions of a second are rounded because nobody configures or reads sub-second waits.
    """
    if td < timedelta(0):
        raise ValueError(f"cannot format a negative duration ({td})")
    remaining = round(td.total_seconds())
    parts: list[tuple[int, str, str]] = []
    for unit, size, word in _UNITS:
        amount, remaining = divmod(remaining, size)
        if amount:
            parts.append((amount, unit, word))
    return parts


def format_duration(td: timedelta) -> str:
    """Say a duration in words, e.g. ``"5 minutes"``, ``"1 hour 30 minutes"``, ``"45 seconds"``.

    Used in messages people read ("escalating in 5 minutes"), so units are spelled out and
    singular/plural is right. A zero (or sub-half-second) duration reads ``"0 seconds"``.
    """
    parts = _split(td)
    if not parts:
        return "0 seconds"
    return " ".join(f"{amount} {word}{'' if amount == 1 else 's'}" for amount, _, word in parts)


def compact_duration(td: timedelta) -> str:
    """Write a duration in the short form :func:`parse_duration` reads, e.g. ``"1h30m"``.

    Lets a policy copied into a case (or dumped to JSON) round-trip through the same parser
    the team file uses. A zero duration gives ``"0s"`` (which the parser will refuse, on purpose).
    """
    parts = _split(td)
    if not parts:
        return "0s"
    return "".join(f"{amount}{unit}" for amount, unit, _ in parts)
