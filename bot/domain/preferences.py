"""Whom a reporter would prefer to talk to: someone who speaks their language, or of a gender they
prefer, as members describe themselves in the team file (``languages``, ``gender``).

Offered only when the team can: the choices come from what the safety contacts and leads wrote
about themselves. A preference never holds up a page; it only adds members on duty who match to
the pages (bot.escalation, bot.talk). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.config.teamfile import Member
from bot.domain.model import Case, ReportBody
from bot.domain.team import Team

GENDER = "gender"
LANGUAGE = "language"
MOST_CHOICES = 6  # buttons offered at most, languages after genders
LABEL_LIMIT = 60  # characters of a button's label


@dataclass(frozen=True)
class Preference:
    """``kind`` is ``gender`` or ``language``; ``value`` is as a member wrote it."""

    kind: str
    value: str

    @property
    def key(self) -> str:
        """How it is stored in the report (``ReportBody.prefer``) and carried by a button."""
        return f"{self.kind}:{self.value}"

    @classmethod
    def parse(cls, key: str) -> Preference | None:
        """``"language:German"`` -> the preference; ``None`` for anything else (no choice)."""
        kind, _, value = key.partition(":")
        return cls(kind, value) if kind in (GENDER, LANGUAGE) and value else None

    @property
    def label(self) -> str:
        """The reporter's button: ``Woman``, ``Someone who speaks German`` (at most
        :data:`LABEL_LIMIT` characters, well within Slack's 75)."""
        if self.kind == GENDER:
            return (self.value[:1].upper() + self.value[1:])[:LABEL_LIMIT]
        return f"Someone who speaks {self.value}"[:LABEL_LIMIT]

    def matches(self, member: Member) -> bool:
        """Compared without regard to case or surrounding spaces."""
        wanted = self.value.strip().casefold()
        if self.kind == GENDER:
            return (member.gender or "").strip().casefold() == wanted
        return any(lang.strip().casefold() == wanted for lang in member.languages)


def _unique(values: Sequence[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.strip().casefold(), value.strip())
    return list(seen.values())


def options(team: Team) -> list[Preference]:
    """What a reporter may ask for: each gender a handler gave, then each language some handlers
    speak but not all (a language everyone speaks is no choice). Empty when nobody said."""
    handlers = team.handlers()
    genders = _unique([m.gender for m in handlers if m.gender])
    languages = [
        lang
        for lang in _unique([lang for m in handlers for lang in m.languages])
        if not all(Preference(LANGUAGE, lang).matches(m) for m in handlers)
    ]
    found = [Preference(GENDER, g) for g in genders] + [Preference(LANGUAGE, x) for x in languages]
    return found[:MOST_CHOICES]


def of(body: ReportBody) -> Preference | None:
    """The report's preference, if the reporter gave one."""
    return Preference.parse(body.prefer) if body.prefer else None


def matching(case: Case, body: ReportBody, members: Sequence[Member]) -> list[Member]:
    """Those of ``members`` (the people on duty who may see the case, say) who match the
    report's preference; none without a preference."""
    wanted = of(body)
    if wanted is None:
        return []
    return [m for m in members if wanted.matches(m)]
