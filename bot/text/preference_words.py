"""Whom a reporter would prefer to talk to (bot/domain/preferences.py), as the team reads it: in
a case's details, on the pages, and in the note to the people on a taken case."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.preferences import GENDER, Preference
from bot.text.note import Note
from bot.text.reader import N_, _


def preference_words(wanted: Preference) -> str:
    """``"someone who speaks German"``, ``"someone whose gender is woman"`` (the value in the
    words members used in the team file)."""
    if wanted.kind == GENDER:
        return _("someone whose gender is {value}").format(value=wanted.value)
    return _("someone who speaks {value}").format(value=wanted.value)


def preference_note(wanted: Preference, matched: Sequence[str]) -> Note:
    """The line pages and handlers read about it, each in their own language (a :class:`Note`);
    ``matched`` are the names of those on duty who match."""
    names = ", ".join(matched)
    if wanted.kind == GENDER and names:
        template = N_(
            "They would prefer to talk to someone whose gender is {value}. On duty and matching:"
            " {names}."
        )
    elif wanted.kind == GENDER:
        template = N_(
            "They would prefer to talk to someone whose gender is {value}. Nobody on duty matches."
        )
    elif names:
        template = N_(
            "They would prefer to talk to someone who speaks {value}. On duty and matching:"
            " {names}."
        )
    else:
        template = N_(
            "They would prefer to talk to someone who speaks {value}. Nobody on duty matches."
        )
    fields = {"value": wanted.value, "names": names} if names else {"value": wanted.value}
    return Note(template, **fields)
