"""Every chat command, declared once: its name, who it is for, what it does, what follows it.

The router's tables (``handlers/router.py``), the /help texts (``bot/text/phrases.py``) and the
platforms' command menus (Telegram's ``setMyCommands``) are all made from :data:`COMMANDS`, so a
command cannot be routed yet missing from a menu, or offered yet not routed
(``tests/test_commands.py`` checks the router against this list). Pure data: no handlers, no I/O.

Who may actually do what is still decided where the rule lives (a handler refuses a participant's
``/ack``); the audience here says where a command is offered and where it is routed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.text.reader import _

# Telegram: 1-32 characters, lower-case letters, digits and underscores; 1-256 for a description.
NAME_PATTERN = re.compile(r"[a-z0-9_]{1,32}")
MENU_TEXT_LIMIT = 256


class Audience(StrEnum):
    """Where a command is offered."""

    PARTICIPANT = "participant"  # anyone, in a private chat with the bot
    MEMBER = "member"  # a member of the team, in a private chat with the bot
    CHANNEL = "channel"  # the team channel


PARTICIPANT, MEMBER, CHANNEL = Audience.PARTICIPANT, Audience.MEMBER, Audience.CHANNEL
PRIVATE = frozenset({PARTICIPANT, MEMBER})  # the two audiences of a private chat


@dataclass(frozen=True)
class Usage:
    """One way to use a command, as /help shows it: ``/note CODE text: record a note on a case``.

    ``does`` starts in lower case and has no full stop; ``words`` is what follows the name (after
    the case code when ``case``), as a person types it.
    """

    audience: Audience
    does: str
    words: str = ""
    case: bool = False

    def typed(self, name: str) -> str:
        """``/note CODE text``."""
        return " ".join(
            part for part in (f"/{name}", "CODE" if self.case else "", self.words) if part
        )


@dataclass(frozen=True)
class Command:
    """A command (``name`` without the slash) and its usages, the first for each audience being
    the one its menu entry describes. ``in_help=False`` keeps it out of /help (/start, /help)."""

    name: str
    usages: tuple[Usage, ...]
    in_help: bool = True

    @property
    def slash(self) -> str:
        """The name as typed and as the router sees it: ``/ack``."""
        return f"/{self.name}"

    @property
    def audiences(self) -> frozenset[Audience]:
        """Everyone it is offered to, over all its usages."""
        return frozenset(usage.audience for usage in self.usages)

    @property
    def takes_case(self) -> bool:
        """Whether a case code follows the name (in its first usage)."""
        return self.usages[0].case

    def menu_text(self, audiences: frozenset[Audience]) -> str:
        """The menu's description: the first usage for these audiences, with what to type when
        more than the name is needed (``Take a case: /ack CODE``)."""
        usage = next(u for u in self.usages if u.audience in audiences)
        does = _(usage.does)
        text = does[:1].upper() + does[1:]
        typed = usage.typed(self.name)
        return text if typed == self.slash else f"{text}: {typed}"


def _one(audience: Audience, does: str, words: str = "", *, case: bool = False) -> Usage:
    """A usage; ``does`` is translated where shown (``_one`` is an extraction keyword)."""
    return Usage(audience, does, words, case)


COMMANDS: tuple[Command, ...] = (
    # A private chat, for everyone.
    Command("start", (_one(PARTICIPANT, "start here"),), in_help=False),
    Command(
        "report",
        (
            _one(PARTICIPANT, "tell the safety team about something, step by step"),
            _one(MEMBER, "file a report for someone who told you in person", "for"),
        ),
    ),
    Command("mycases", (_one(PARTICIPANT, "see your reports and where they stand"),)),
    Command("cancel", (_one(PARTICIPANT, "stop what you are doing; nothing is sent"),)),
    Command("help", (_one(PARTICIPANT, "what I can do"),), in_help=False),
    Command("language", (_one(PARTICIPANT, "choose the language I write in"),)),
    # A private chat, for the team.
    Command("ack", (_one(MEMBER, "take a case (as the Acknowledge button does)", case=True),)),
    Command("escalate", (_one(MEMBER, "page the next step now", "reason", case=True),)),
    Command(
        "case",
        (
            _one(MEMBER, "show a case (recorded in its audit trail)", case=True),
            _one(MEMBER, "open a case that no participant reported", "new"),
        ),
    ),
    Command("cases", (_one(MEMBER, "open cases"),)),
    Command(
        "summary",
        (
            _one(MEMBER, "the state of all cases, redacted"),
            _one(CHANNEL, "the state of all cases, redacted"),
        ),
    ),
    Command("oncall", (_one(MEMBER, "who is on duty now"), _one(CHANNEL, "who is on duty now"))),
    Command("shift", (_one(MEMBER, "go on or off duty", "on | off"),)),
    Command("note", (_one(MEMBER, "record a note on a case", "text", case=True),)),
    Command(
        "status",
        (_one(MEMBER, "set where a case stands", "investigating | action_taken", case=True),),
    ),
    Command(
        "severity",
        (_one(MEMBER, "set how urgent a case is", "low | medium | high | critical", case=True),),
    ),
    Command(
        "resolve", (_one(MEMBER, "resolve a case with its outcome", "OUTCOME note", case=True),)
    ),
    Command("close", (_one(MEMBER, "close a resolved case", case=True),)),
    Command(
        "reopen", (_one(MEMBER, "reopen a resolved or closed case, saying why", "note", case=True),)
    ),
    Command("reply", (_one(MEMBER, "message the reporter through the bot", "text", case=True),)),
    Command("recuse", (_one(MEMBER, "step aside from a case", case=True),)),
    Command("second", (_one(MEMBER, "add a second person to a case", "member", case=True),)),
    Command(
        "statement",
        (
            _one(
                MEMBER,
                "record a statement",
                "reporter | reported | witness text",
                case=True,
            ),
        ),
    ),
    Command(
        "task",
        (
            _one(MEMBER, "a task with an owner and a due time", "member 18:00 text", case=True),
            _one(MEMBER, "mark a task done", "done N"),
        ),
    ),
    Command(
        "handoff",
        (
            _one(
                MEMBER,
                "send an outside contact only what you tick",
                "CONTACT what is needed",
                case=True,
            ),
        ),
    ),
    Command(
        "person",
        (
            _one(
                MEMBER,
                "the register of people of concern (/person alone shows how)",
                'add "NAME" identifiers | from CODE | flag | unflag | link | list',
            ),
        ),
    ),
    Command(
        "screen",
        (_one(MEMBER, "check a pasted list or a CSV file of registrations against the register"),),
    ),
    # Before the event: practice (issue 17).
    Command(
        "testpage",
        (
            _one(MEMBER, "send yourself a test page, as a real page is sent"),
            _one(MEMBER, "send a member a test page (leads)", "NAME"),
        ),
    ),
    Command(
        "drill",
        (
            _one(MEMBER, "start a drill, a practice case paged like a real one (leads)", "[1-4]"),
            _one(MEMBER, "end the drill now and get its debrief", "stop"),
        ),
    ),
    Command(
        "ready",
        (
            _one(MEMBER, "check that every page can reach its person (leads)"),
            _one(CHANNEL, "check that every page can reach its person, counts only (leads)"),
        ),
    ),
    # Anywhere: for filling in the team file.
    Command(
        "id", (_one(MEMBER, "this chat's id and yours"), _one(CHANNEL, "this chat's id and yours"))
    ),
)


def offered_to(*audiences: Audience) -> list[Command]:
    """The commands offered to any of ``audiences``, in declaration order."""
    wanted = frozenset(audiences)
    return [command for command in COMMANDS if command.audiences & wanted]


def menu(*audiences: Audience) -> list[tuple[str, str]]:
    """A command menu as ``(name, description)`` pairs: what a person in these audiences sees."""
    wanted = frozenset(audiences)
    return [(command.name, command.menu_text(wanted)) for command in offered_to(*audiences)]


def help_lines(audience: Audience) -> list[str]:
    """/help's lines for one audience: ``/note CODE text: record a note on a case``."""
    return [
        f"{usage.typed(command.name)}: {_(usage.does)}"
        for command in COMMANDS
        if command.in_help
        for usage in command.usages
        if usage.audience == audience
    ]
