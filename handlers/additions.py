""" "Add to my report": what a reporter writes later goes into their open case and reaches its
handler, without their identity ever being shown to a handler who may not see it."""

from __future__ import annotations

import re
from typing import Any

from bot import pieces
from bot.domain import Case
from bot.richtext import bold, italic, rich
from bot.unit_of_work import button
from bot.views import forwarded_from
from handlers.context import Request

FLOW = "add"


def add_button(case: Case) -> Any:
    return button(f"Add to my report {case.code}", "report.add", case=case.id)


async def begin(req: Request, case_id: int) -> None:
    case = await req.uow.tx.get_case(case_id)
    if case is None or case.reporter_key != req.owner or not case.is_open:
        await req.reply(
            rich("That report is closed, so nothing can be added to it. /report starts a new one.")
        )
        return
    await req.uow.tx.save_draft(req.owner, {"flow": FLOW, "case_id": case.id}, req.uow.now)
    await req.reply(
        rich(
            "Write what you want to add to ",
            bold(case.code),
            ". Each message goes to the safety team. Press Done when you have finished.",
        ),
        [button("Done", "report.add_done")],
    )


async def on_text(req: Request, state: dict[str, Any], text: str) -> None:
    case = await req.uow.tx.get_case(int(state["case_id"]))
    if case is None or case.reporter_key != req.owner or not case.is_open:
        await req.uow.tx.delete_draft(req.owner)
        await req.reply(rich("That report is closed now, so nothing was added."))
        return
    await add_text(req, case, text)


async def replied_case(req: Request) -> Case | None:
    """The reporter's own case whose message they answered with the platform's reply, if any.

    A sent message's ref is one or more message ids, each perhaps after its channel
    (``"12,13"`` on Telegram, ``"D0SAM:1723.5"`` on Slack); any one of the ids matches."""
    ref = req.event.reply_to
    if ref is None or req.member is not None:
        return None
    for case in await req.uow.tx.cases_for_reporter(req.owner):
        for row in await req.uow.tx.outbox_for_case(case.id, ["reply", "reporter"]):
            if row.sent_ref is not None and ref in re.split("[,:]", row.sent_ref):
                return case
    return None


async def on_reply(req: Request, case: Case, text: str) -> None:
    """A reply to one of the bot's messages about a case: added, if the case is still open."""
    if not case.is_open:
        await req.reply(
            rich(bold(case.code), " is closed, so nothing was added. /report starts a new one.")
        )
        return
    await add_text(req, case, text)


async def add_text(req: Request, case: Case, text: str) -> None:
    """Add the reporter's words (or a message they forwarded, marked as such) to the account, in
    the order written, and pass them on to the handler."""
    uow, event = req.uow, req.event
    report = await uow.tx.get_report(case.report_id)
    pieces.add(
        report.body,
        "account",
        text,
        ref=event.message_ref,
        at=uow.now,
        forwarded=event.forwarded,
    )
    await uow.tx.save_report_body(case.report_id, report.body)
    case.updated_at = uow.now
    await uow.tx.save_case(case)
    await uow.audit(case, "reporter", "reporter_added")
    handler = uow.team.member(case.handler or "")
    if handler is not None:
        origin = (
            rich(italic(forwarded_from(uow.team, event.forwarded) + ":"), "\n")
            if event.forwarded is not None
            else ""
        )
        await uow.send_member(
            handler,
            rich(bold(case.code), " · the reporter added:\n", origin, text),
            case_id=case.id,
        )
    await req.reply(
        rich("Added to ", bold(case.code), ". Anything else? Or press Done."),
        [button("Done", "report.add_done")],
    )


async def done(req: Request) -> None:
    await req.uow.tx.delete_draft(req.owner)
    await req.reply(rich("Thank you. You can add more at any time from /mycases."))
