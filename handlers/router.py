"""Which handler answers an inbound event.

The team channel takes team commands from members only; reports are never taken there. Private
chats take commands, button presses and free text (a draft's next answer). Anything unknown gets a
kind word and changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.domain.clean_text import words
from bot.ports.events import MAX_INBOUND_TEXT
from bot.services import chat_moves
from bot.text import phrases as texts
from bot.text.reader import _
from bot.text.richtext import rich
from bot.uow import button, private_chat_button
from handlers.commands import channel_command, menu_buttons, private_command, show_ids, start
from handlers.context import Request
from handlers.participant import (
    additions,
    corrections,
    help_now,
    home,
    intake,
    language,
    meet,
    preference,
    report_form,
    unprompted,
)
from handlers.participant.draft import HELD_STEPS, Draft
from handlers.team import (
    case_commands,
    casework,
    closing,
    drill_commands,
    handoff_consent,
    rota_commands,
    task_commands,
)

# Commands a participant might try in a group: the answer is a button to a private chat.
PRIVATE_ONLY_IN_GROUPS = ("/report", "/start", "/help")


async def route(req: Request) -> None:
    """Give ``req``'s event to the one handler that answers it (see the module's docstring)."""
    event = req.event
    if await _answered_before_reading(req):
        return
    if not event.private:
        await _team_channel(req)
        return
    if event.home:
        await home.show(req)
        return
    if event.form is not None:
        await report_form.submit(req, event.form)
        return
    if event.button is not None:
        await _button(req, event.button)
        return
    command = event.command
    if command is not None:
        await private_command(req, *command)
        return
    await _text(req)


async def _answered_before_reading(req: Request) -> bool:
    """Events settled before what they say is read: a platform's word on membership, a chat
    that moved, an edit (a correction, never a new command), a message too long to take."""
    event = req.event
    if event.membership is not None:
        return True  # the platform's word on reaching them (bot.reachability); nothing to answer
    if event.moved is not None:
        await chat_moves.chat_moved(req.uow, event.sender.platform, *event.moved)
        return True
    if event.edited:
        if event.private:
            await corrections.on_edit(req)
        return True
    if len(event.text) > MAX_INBOUND_TEXT:
        if event.private:
            await req.reply(texts.TOO_LONG)
        return True
    return False


async def _team_channel(req: Request) -> None:
    uow, event = req.uow, req.event
    command = event.command
    name = command[0] if command else ""
    if name == "/id":  # in any group, even one not set up yet: that is how its id is found
        await show_ids(req, [])
        return
    if name in PRIVATE_ONLY_IN_GROUPS:
        # Never a report in a group, and nothing more said here about it.
        await req.reply(
            rich(_("Please write to me in a private chat.")),
            [private_chat_button("Open a private chat")],
        )
        return
    if not uow.team.is_team_channel(event.sender.platform, event.chat_id):
        return  # a chat we were not set up for: say nothing there
    if command is None or req.member is None:
        return  # conversation among the team, or a non-member: not for the bot
    await channel_command(req, *command)


ButtonHandler = Callable[[Request, str, dict[str, Any]], Awaitable[None]]


async def _privacy(req: Request, _action: str, _args: dict[str, Any]) -> None:
    await req.reply(texts.privacy(req.uow.team), menu_buttons()[:2])


async def _case_button(req: Request, action: str, args: dict[str, Any]) -> None:
    """Acknowledge or escalate a case from its page."""
    case = await req.uow.tx.get_case(int(args["case"]))
    if case is None:
        await req.reply(texts.STALE_BUTTON)
    elif action == "case.ack":
        await casework.ack(req, case)
    else:
        await casework.escalate(req, case, "pressed Escalate")


# A button's action -> its handler, given the request, the action and the button's arguments.
BY_ACTION: dict[str, ButtonHandler] = {
    "intake": lambda req, _action, args: intake.on_choice(req, args),
    "prefer.set": lambda req, _action, args: preference.choose(req, args),
    "risk.tell": lambda req, _action, args: case_commands.tell_externals(req, args),
    "menu.report": lambda req, _action, _args: intake.begin(req),
    "meet.ask": lambda req, _action, _args: meet.ask(req),
    unprompted.ACTION: unprompted.on_button,
    "menu.privacy": _privacy,
    "language.offer": lambda req, _action, _args: language.offer(req),
    "language.set": language.on_button,
    "task.done": lambda req, _action, args: task_commands.done(req, str(args["task"])),
    "report.add": lambda req, _action, args: additions.begin(req, int(args["case"])),
    "report.add_done": lambda req, _action, _args: additions.done(req),
    "case.ack": _case_button,
    "case.escalate": _case_button,
    "testpage.ack": drill_commands.testpage_ack,
}

# Families of buttons, by the prefix of their action, whose handler tells them apart.
BY_PREFIX: dict[str, ButtonHandler] = {
    "help.": help_now.on_button,
    "shift.": lambda req, action, args: rota_commands.shift_button(req, action, str(args["key"])),
    "handoff.": handoff_consent.on_button,
    "closing.": closing.on_button,
    "checkin.": rota_commands.checkin_button,
}


async def _button(req: Request, token: str) -> None:
    record = await req.uow.tx.get_token(token)
    if record is None:
        await req.tell_presser(texts.STALE_BUTTON)
        return
    if record.audience != req.audience:
        await req.tell_presser(texts.NOT_YOUR_BUTTON)
        return
    action = record.action
    handler = BY_ACTION.get(action) or next(
        (h for prefix, h in BY_PREFIX.items() if action.startswith(prefix)), None
    )
    if handler is None:
        await req.reply(texts.STALE_BUTTON)
        return
    await handler(req, action, record.args)


# Conversations where the next thing a person types is an answer: where they are now ("I need
# help now"), what they add to a report, a handler's own closing message.
TEXT_FLOWS: dict[str, Callable[[Request, dict[str, Any], str], Awaitable[None]]] = {
    help_now.FLOW: help_now.on_text,
    additions.FLOW: additions.on_text,
    closing.FLOW: closing.on_text,
}


async def _text(req: Request) -> None:
    state = await req.uow.tx.load_draft(req.owner) or {}
    flow = str(state.get("flow", ""))
    text = words(req.event.text)  # "" when it shows nothing (bot/domain/clean_text.py)
    if flow == "report" and req.event.attachment is not None:
        draft = Draft.from_dict(state)
        await intake.on_attachment(req, draft, req.event.attachment, text)
    elif (flow in TEXT_FLOWS or flow == "report") and not text:
        await _nothing_said(req, state)  # every message gets an answer, even an empty one
    elif flow in TEXT_FLOWS:
        await TEXT_FLOWS[flow](req, state, text)
    elif flow == "report":
        draft = Draft.from_dict(state)
        kept = unprompted.on_text if draft.step in HELD_STEPS else intake.on_text
        await kept(req, draft, text)
    else:
        await _unasked(req, text)


async def _unasked(req: Request, text: str) -> None:
    """Words with nothing asked: a reply to a report's message goes to it; other words are never
    dropped (handlers/participant/unprompted.py); a message with none gets the welcome."""
    replied = await additions.replied_case(req)
    if replied is not None and text:
        await additions.on_reply(req, replied, text)
    elif text:
        await unprompted.take(req, text)
    else:
        await start(req)


async def _nothing_said(req: Request, state: dict[str, object]) -> None:
    """A message with no words (only spaces, a sticker, a file where none is kept) in the middle
    of something: say so kindly and ask again, changing nothing."""
    said = texts.FILE_NOT_KEPT if req.event.attachment is not None else texts.EMPTY_MESSAGE
    flow = state.get("flow")
    if flow == "report":
        await req.reply(said)
        await intake.prompt(req, Draft.from_dict(dict(state)))
    elif flow == additions.FLOW:
        await req.reply(
            said + " Write what you want to add, or press Done.",
            [button(_("Done"), "report.add_done")],
        )
    elif flow == closing.FLOW:
        await req.reply(said + " Write the message for the reporter.")
    elif state.get("asking", True):
        await req.reply(said + " Where are you right now? A room or a landmark is enough.")
    else:
        await req.reply(said + " Anything you write here is passed on to the safety team.")
