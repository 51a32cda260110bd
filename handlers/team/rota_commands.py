"""Duty and check-in interactions: /shift, "I'm on duty", and the reporter's check-in buttons."""

from __future__ import annotations

from typing import Any

from bot.services import aftercare, checkins, rota, talk
from bot.text.reader import _
from bot.text.richtext import bold, rich
from bot.uow import button
from handlers.context import Request
from handlers.participant import help_now
from handlers.team.casework import NOT_FOR_PARTICIPANTS, handler_or_refuse


async def shift(req: Request, args: list[str]) -> None:
    member = await handler_or_refuse(req)
    if member is None:
        return
    word = args[0].lower() if args else ""
    if word not in ("", "on", "off") or len(args) > 1:
        await req.reply(
            rich(
                _(
                    "Nothing was changed. /shift on starts your duty, /shift off ends it, and"
                    " /shift alone says whether you are on duty."
                )
            )
        )
        return
    mine = [d for d in await rota.on_duty(req.uow) if d.member.id == member.id]
    on_now = bool(mine)
    if word == "on":
        if on_now:
            await req.reply(rich("You're already on duty."))
            return
        await rota.go_on_duty(req.uow, member)
        await req.reply(
            rich("You're on duty now. New reports will page you. Send /shift off when you stop.")
        )
    elif word == "off":
        if not on_now:
            await req.reply(rich("You're not on duty at the moment."))
            return
        nobody_left = await rota.go_off_duty(req.uow, member)
        await req.reply(
            rich("You're off duty. Thank you. ")
            + ("Nobody else is on duty, so the leads have been told." if nobody_left else "")
        )
        since = min((d.start for d in mine if d.start), default=req.uow.now)
        if await aftercare.shift_had_critical(req.uow, member, since, req.uow.now):
            await req.reply(aftercare.note(req.uow))
    else:
        state = "on duty" if on_now else "not on duty"
        await req.reply(rich(f"You're {state}. Use /shift on or /shift off."))


async def shift_button(req: Request, action: str, key: str) -> None:
    member = req.member
    if member is None:
        await req.reply(NOT_FOR_PARTICIPANTS)
        return
    if action == "shift.confirm":
        await req.reply(await rota.confirm(req.uow, member, key))
    else:
        await req.reply(await rota.cover(req.uow, member, key))


CLOSED_OPTIONS = "You can start a new report, or get help now."


async def checkin_button(req: Request, action: str, args: dict[str, Any]) -> None:
    case = await req.uow.tx.get_case(int(args["case"]))
    if case is None or case.reporter_key != req.owner:
        await req.reply(rich("That button belongs to an earlier message, so I did nothing."))
        return
    if action == "checkin.set":
        await req.reply(await checkins.choose(req.uow, case, float(args["hours"])))
    elif action == "checkin.ok":
        await req.reply(await checkins.answered_ok(req.uow, case))
    elif action == "checkin.talk" and not case.is_open:
        await req.reply(
            rich(bold(case.code), " is closed now, so I couldn't pass this on. ", CLOSED_OPTIONS),
            [button("Report something", "menu.report"), button("I need help now", "help.now")],
        )
    elif action == "checkin.talk":
        await req.reply(await talk.ask_to_talk(req.uow, case))
    elif action == "checkin.help" and not case.is_open:
        await help_now.help_now(req)  # an old check-in of a closed report: help, as from /help
    elif action == "checkin.help":
        await checkins.needs_help(req.uow, case)
        await help_now.ask_location(req, case)
