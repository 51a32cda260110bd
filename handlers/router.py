"""Which handler answers an inbound event.

The team channel takes team commands from members only; reports are never taken there. Private
chats take commands, button presses and free text (a draft's next answer). Anything unknown gets a
kind word and changes nothing.
"""

from __future__ import annotations

from bot import chat_moves
from bot.messages import MAX_INBOUND_TEXT
from bot.richtext import rich
from bot.unit_of_work import button, private_chat_button
from handlers import (
    additions,
    case_commands,
    casework,
    handoff,
    help_now,
    home,
    intake,
    people_commands,
    report_form,
    rota_commands,
    task_commands,
    team_commands,
    texts,
)
from handlers.context import Request

CASE_COMMANDS = {
    "/note": case_commands.note,
    "/status": case_commands.status,
    "/severity": case_commands.severity,
    "/resolve": case_commands.resolve,
    "/close": case_commands.close,
    "/reopen": case_commands.reopen,
    "/recuse": case_commands.recuse,
    "/reply": case_commands.reply,
    "/second": case_commands.second,
    "/statement": case_commands.statement,
    "/task": task_commands.task,
    "/handoff": handoff.handoff,
    "/person": people_commands.person,
    "/screen": people_commands.screen,
}

MENU_BUTTONS = [
    button("Report something", "menu.report"),
    button("I need help now", "help.now"),
    button("How my information is handled", "menu.privacy"),
]


async def route(req: Request) -> None:
    event = req.event
    if event.moved is not None:
        await chat_moves.chat_moved(req.uow, event.sender.platform, *event.moved)
        return
    if len(event.text) > MAX_INBOUND_TEXT:
        if event.private:
            await req.reply(texts.TOO_LONG)
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
        await _command(req, *command)
        return
    await _text(req)


async def _team_channel(req: Request) -> None:
    uow, event = req.uow, req.event
    command = event.command
    name = command[0] if command else ""
    if name == "/id":
        await _show_ids(req)
        return
    if name in ("/report", "/start", "/help"):
        # Never a report in a group, and nothing more said here about it.
        await req.reply(
            rich("Please write to me in a private chat."),
            [private_chat_button("Open a private chat")],
        )
        return
    if not uow.team.is_team_channel(event.sender.platform, event.chat_id):
        return  # a chat we were not set up for: say nothing there
    if command is None or req.member is None:
        return  # conversation among the team, or a non-member: not for the bot
    if name == "/summary":
        await team_commands.summary(req)
    elif name == "/oncall":
        await team_commands.oncall(req)
    else:
        await req.reply(
            rich(
                "In this channel I answer /summary and /oncall. Case work happens in"
                " a private chat with me."
            )
        )


async def _show_ids(req: Request) -> None:
    """For filling in the team file: this chat's id and the sender's own id, nothing else."""
    event = req.event
    await req.reply(rich(f"This chat's id: {event.chat_id}\nYour user id: {event.sender.user_id}"))


async def _start(req: Request) -> None:
    await req.reply(texts.welcome(req.uow.team.name), MENU_BUTTONS)
    if req.member is not None:
        await req.reply(texts.MEMBER_HELP)


async def _command(req: Request, name: str, args: list[str]) -> None:
    if name == "/start" and args[:1] == ["report"]:
        await intake.begin(req)  # a deep link straight into a report
    elif name == "/start":
        await _start(req)
    elif name == "/id":
        await _show_ids(req)
    elif name == "/help":
        await req.reply(texts.PARTICIPANT_HELP, MENU_BUTTONS)
        if req.member is not None:
            await req.reply(texts.MEMBER_HELP)
    elif name == "/report" and args[:1] == ["for"]:
        await intake.begin(req, "in_person")
    elif name == "/report":
        await intake.begin(req)
    elif name == "/cancel":
        if await req.uow.tx.load_draft(req.owner) is None:
            await req.reply(texts.NOTHING_TO_CANCEL)
        else:
            await req.uow.tx.delete_draft(req.owner)
            await req.reply(texts.CANCELLED)
    elif name == "/mycases":
        await casework.my_cases(req)
    elif name == "/ack":
        await casework.ack_command(req, args)
    elif name == "/escalate":
        await casework.escalate_command(req, args)
    elif name == "/case" and args[:1] == ["new"]:
        await intake.begin(req, "team")
    elif name == "/case":
        await casework.show_case(req, args)
    elif name == "/cases":
        await casework.list_cases(req)
    elif name == "/summary" and req.member is not None:
        await team_commands.summary(req)
    elif name == "/oncall" and req.member is not None:
        await team_commands.oncall(req)
    elif name == "/shift":
        await rota_commands.shift(req, args)
    elif name in CASE_COMMANDS:
        await CASE_COMMANDS[name](req, args)
    else:
        await req.reply(texts.unknown_command(name))


async def _button(req: Request, token: str) -> None:
    record = await req.uow.tx.get_token(token)
    if record is None:
        await req.reply(texts.STALE_BUTTON)
        return
    if record.audience != req.audience:
        await req.reply(texts.NOT_YOUR_BUTTON)
        return
    action = record.action
    if action == "intake":
        await intake.on_choice(req, record.args)
    elif action == "menu.report":
        await intake.begin(req)
    elif action == "menu.privacy":
        await req.reply(texts.PRIVACY, MENU_BUTTONS[:2])
    elif action == "help.now":
        await help_now.help_now(req)
    elif action.startswith("shift."):
        await rota_commands.shift_button(req, action, str(record.args["key"]))
    elif action == "handoff.toggle":
        await handoff.toggle(req, record.args)
    elif action == "handoff.send":
        await handoff.send(req, record.args)
    elif action == "handoff.cancel":
        await req.reply(rich("Handoff cancelled; nothing was sent."))
    elif action == "task.done":
        await task_commands.done(req, str(record.args["task"]))
    elif action == "report.add":
        await additions.begin(req, int(record.args["case"]))
    elif action == "report.add_done":
        await additions.done(req)
    elif action.startswith("checkin."):
        await rota_commands.checkin_button(req, action, record.args)
    elif action in ("case.ack", "case.escalate"):
        case = await req.uow.tx.get_case(int(record.args["case"]))
        if case is None:
            await req.reply(texts.STALE_BUTTON)
        elif action == "case.ack":
            await casework.ack(req, case)
        else:
            await casework.escalate(req, case, "pressed Escalate")
    else:
        await req.reply(texts.STALE_BUTTON)


async def _text(req: Request) -> None:
    state = await req.uow.tx.load_draft(req.owner)
    text = req.event.text.strip()
    if state is not None and state.get("flow") == "location":
        if text:
            await help_now.on_location(req, state, text)
        return
    if state is not None and state.get("flow") == additions.FLOW:
        if text:
            await additions.on_text(req, state, text)
        return
    if state is not None and state.get("flow") == "report":
        draft = intake.Draft.from_dict(state)
        if req.event.attachment is not None:
            await intake.on_attachment(req, draft, req.event.attachment, text)
        elif text:
            await intake.on_text(req, draft, text)
        return
    replied = await additions.replied_case(req)
    if replied is not None and text:
        await additions.on_reply(req, replied, text)
        return
    await _start(req)
