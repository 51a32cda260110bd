"""The handler of each chat command declared in ``bot/text/commands.py``, by where it is typed.

:data:`PRIVATE` answers commands in a private chat (offered to participants or members),
:data:`CHANNEL` those in the team channel. ``tests/test_commands.py`` checks that every declared
command has a handler here and that nothing here is undeclared, so the menus and /help always
offer exactly what is routed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.domain.codes import join_split_code
from bot.text import phrases as texts
from bot.text.commands import Audience, offered_to
from bot.text.reader import _
from bot.uow import Button, button
from handlers.context import Request
from handlers.participant import intake, language
from handlers.participant.draft import way_back
from handlers.team import (
    case_commands,
    casework,
    drill_commands,
    handoff,
    people_commands,
    readiness_commands,
    rota_commands,
    task_commands,
    team_commands,
)

Handler = Callable[[Request, list[str]], Awaitable[None]]


def menu_buttons() -> list[Button]:
    """The buttons under the welcome and /help, in the reader's language."""
    return [
        button(_("Report something"), "menu.report"),
        button(_("I need help now"), "help.now"),
        button(_("How my information is handled"), "menu.privacy"),
        button(_("Language"), "language.offer"),
    ]


def _without_args(handler: Callable[[Request], Awaitable[None]]) -> Handler:
    async def run(req: Request, args: list[str]) -> None:
        await handler(req)

    return run


def _members_only(handler: Callable[[Request], Awaitable[None]]) -> Handler:
    """For anyone else the command does not exist (as before: it is offered to members only)."""

    async def run(req: Request, args: list[str]) -> None:
        if req.member is None:
            name = req.event.command[0] if req.event.command else ""
            await req.reply(texts.unknown_command(name))
        else:
            await handler(req)

    return run


async def start(req: Request) -> None:
    """The welcome, with the menu buttons; a member also gets their commands."""
    await req.reply(texts.welcome(req.uow.team), menu_buttons())
    if req.member is not None:
        await req.reply(texts.MEMBER_HELP)


async def show_ids(req: Request, args: list[str]) -> None:
    """For filling in the team file: this chat's id and the sender's own id, nothing else."""
    event = req.event
    await req.reply(texts.ids(event.chat_id, event.sender.user_id))


async def _start(req: Request, args: list[str]) -> None:
    if args[:1] == ["report"]:
        await intake.begin(req)  # a deep link straight into a report
    else:
        await start(req)


async def _help(req: Request, args: list[str]) -> None:
    await req.reply(texts.PARTICIPANT_HELP, menu_buttons())
    if req.member is not None:
        await req.reply(texts.MEMBER_HELP)


async def _report(req: Request, args: list[str]) -> None:
    if args[:1] == ["for"]:
        await intake.begin(req, "in_person")
    else:
        await intake.begin(req)


async def _cancel(req: Request, args: list[str]) -> None:
    if await req.uow.tx.load_draft(req.owner) is None:
        await req.reply(texts.NOTHING_TO_CANCEL, way_back())
    else:
        await req.uow.tx.delete_draft(req.owner)
        await req.reply(texts.CANCELLED, way_back())


async def _case(req: Request, args: list[str]) -> None:
    if args[:1] == ["new"]:
        await intake.begin(req, "team")
    else:
        await casework.show_case(req, args)


PRIVATE: dict[str, Handler] = {
    "/start": _start,
    "/report": _report,
    "/mycases": _without_args(casework.my_cases),
    "/cancel": _cancel,
    "/help": _help,
    "/language": language.command,
    "/ack": casework.ack_command,
    "/escalate": casework.escalate_command,
    "/case": _case,
    "/cases": _without_args(casework.list_cases),
    "/summary": _members_only(team_commands.summary),
    "/oncall": _members_only(team_commands.oncall),
    "/shift": rota_commands.shift,
    "/note": case_commands.note,
    "/status": case_commands.status,
    "/severity": case_commands.severity,
    "/resolve": case_commands.resolve,
    "/close": case_commands.close,
    "/reopen": case_commands.reopen,
    "/reply": case_commands.reply,
    "/recuse": case_commands.recuse,
    "/second": case_commands.second,
    "/statement": case_commands.statement,
    "/task": task_commands.task,
    "/handoff": handoff.handoff,
    "/person": people_commands.person,
    "/screen": people_commands.screen,
    "/ready": readiness_commands.ready,
    "/id": show_ids,
    "/testpage": drill_commands.testpage,
    "/drill": drill_commands.drill,
}

# The team channel: members only (the router checks), redacted answers only.
CHANNEL: dict[str, Handler] = {
    "/summary": _without_args(team_commands.summary),
    "/oncall": _without_args(team_commands.oncall),
    "/ready": readiness_commands.ready,
    "/id": show_ids,
}

CHANNEL_TEXT = texts.channel_commands([c.slash for c in offered_to(Audience.CHANNEL)])


# Commands a participant (nobody in the team file) may use in a private chat: theirs, and /id, by
# which a future member finds the ids the team file needs.
FOR_ANYONE = frozenset({*(c.slash for c in offered_to(Audience.PARTICIPANT)), "/id"})


async def private_command(req: Request, name: str, args: list[str]) -> None:
    """A command in a private chat; an unknown one gets a pointer to /help. Every team command
    answers a participant the same way, whatever follows it, so nothing is learnt about cases."""
    handler = PRIVATE.get(name)
    if handler is None:
        await req.reply(texts.unknown_command(name))
    elif req.member is None and name not in FOR_ANYONE:
        await req.reply(texts.FOR_THE_TEAM)
    else:  # a code typed in two ("FS 7K3Q") is one word, so what follows it is where it was
        await handler(req, join_split_code(args))


async def channel_command(req: Request, name: str, args: list[str]) -> None:
    """A member's command in the team channel; anything else gets what the channel answers."""
    handler = CHANNEL.get(name)
    if handler is None:
        await req.reply(CHANNEL_TEXT)
    else:
        await handler(req, args)
