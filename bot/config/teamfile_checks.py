"""Team-file checks for mistakes that pass a type check and go wrong later, at runtime.

* Two members with the same Telegram or Slack id: the bot finds a member by id, so one of them
  silently acts as the other (acknowledges, reads cases, gets their pages).
* One member's shifts that overlap: the same person twice on duty, with two handoffs.
* Names and texts with control characters (a terminal escape, a right-to-left override that makes
  a name read as another) or of absurd length (a page that no platform will deliver).

Each check returns ``(location, kind, message, value)`` tuples that :mod:`bot.teamfile` turns
into placed problems; all of them run in time linear in the size of the file (up to sorting).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from bot.config.teamfile_lines import Loc

__all__ = [
    "MAX_NAME",
    "MAX_TEXT",
    "overlapping_shifts",
    "plain_name",
    "plain_text",
    "same_member_problems",
    "shared_platform_ids",
    "shown",
]

Found = tuple[Loc, str, str, Any]
"""A problem: where (as pydantic places it), its kind, the message, the value."""

MAX_NAME = 100
"""Characters in a name (team, member, username, contact, platform id)."""
MAX_TEXT = 1000
"""Characters in a text shown to people (emergency information, the aftercare note)."""

PLATFORMS = ("telegram", "slack")

# Invisible characters that change how the text around them is shown: bidirectional embeddings,
# overrides and isolates ("Trojan Source"), and the line and paragraph separators.
_REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")


def shown(value: object, limit: int = 40) -> str:
    """``value`` as a message shows it: quoted, and cut short so the message fits on a line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _bad_character(text: str, allowed: str) -> str | None:
    for ch in text:
        if ch in allowed:
            continue
        if unicodedata.category(ch) == "Cc" or ch in _REORDERING:
            return f"U+{ord(ch):04X}"
    return None


def _plain(text: str, limit: int, allowed: str, what: str) -> str:
    bad = _bad_character(text, allowed)
    if bad is not None:
        raise ValueError(
            f"contains an invisible control character ({bad}); {what} must be plain text"
        )
    if len(text) > limit:
        raise ValueError(f"is {len(text)} characters long; keep it under {limit}")
    return text


def plain_name(text: str) -> str:
    """A name or id on one line: no control characters, at most :data:`MAX_NAME` characters."""
    return _plain(text, MAX_NAME, "", "a name")


def plain_text(text: str) -> str:
    """A text people read: lines and tabs allowed, other control characters not, at most
    :data:`MAX_TEXT` characters."""
    return _plain(text, MAX_TEXT, "\n\t", "a text")


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _field(entry: Any, key: str) -> Any:
    return entry.get(key) if isinstance(entry, Mapping) else None


def _platform_id(value: Any) -> str | None:
    """An id as the bot compares it (``str`` of what is written), or None if it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    return str(value).strip() or None


def shared_platform_ids(members: Any) -> Iterator[Found]:
    """A Telegram or Slack id given to two members: each later one is a problem."""
    for platform in PLATFORMS:
        first: dict[str, int] = {}
        for i, entry in enumerate(_items(members)):
            ident = _platform_id(_field(entry, platform))
            if ident is None:
                continue
            if ident in first:
                j = first[ident]
                yield (
                    ("members", i, platform),
                    "shared_platform_id",
                    f"members[{j}] has the same {platform} id {shown(ident)}; the bot would"
                    " take one of them for the other. Give each person their own id",
                    ident,
                )
            else:
                first[ident] = i


def overlapping_shifts(rota: Any) -> Iterator[Found]:
    """Two shifts of the same member that overlap in time (end is exclusive: back-to-back
    shifts are fine)."""
    by_member: dict[str, list[tuple[datetime, datetime, int]]] = {}
    for i, shift in enumerate(_items(rota)):
        who, start, end = (_field(shift, k) for k in ("member", "start", "end"))
        if isinstance(who, str) and isinstance(start, datetime) and isinstance(end, datetime):
            by_member.setdefault(who, []).append((start, end, i))
    for who, shifts in by_member.items():
        shifts.sort(key=lambda s: (s[0].replace(tzinfo=None), s[2]))
        latest_end, latest = shifts[0][1], shifts[0][2]
        for start, end, i in shifts[1:]:
            if start.replace(tzinfo=None) < latest_end.replace(tzinfo=None):
                yield (
                    ("rota", i, "start"),
                    "overlapping_shifts",
                    f"this shift of {shown(who)} overlaps rota[{latest}]; one person needs one"
                    " shift at a time (merge them, or fix a date)",
                    start,
                )
            if end.replace(tzinfo=None) > latest_end.replace(tzinfo=None):
                latest_end, latest = end, i


def same_member_problems(data: Mapping[str, Any]) -> list[Found]:
    """Every shared platform id and overlapping shift in raw team-file data."""
    return [*shared_platform_ids(data.get("members")), *overlapping_shifts(data.get("rota"))]
