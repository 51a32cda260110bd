""" "Add to my report": what a reporter writes later goes into their case and reaches its
handler, without their identity ever being shown to a handler who may not see it.

A closed report still takes messages: the door stays open. What is sent to it reaches its handler
(or, when it has none any more, the leads who may see it); it does not reopen the case, which
stays the handler's decision (``/reopen``).
"""

from __future__ import annotations

import re
from typing import Any

from bot.config.teamfile import Member
from bot.domain import pieces
from bot.domain.addresses import Forwarded
from bot.domain.model import Case, CaseState, ReportBody
from bot.services import case_changes, conflicts
from bot.text.reader import N_, _
from bot.text.richtext import bold, fill, italic, rich
from bot.text.views import forwarded_from
from bot.uow import UnitOfWork, button
from handlers.context import Request

FLOW = "add"
GONE = N_("That report is no longer kept, so nothing can be added to it. /report starts a new one.")


def add_button(case: Case) -> Any:
    return button(_("Add to my report {code}").format(code=case.code), "report.add", case=case.id)


async def begin(req: Request, case_id: int) -> None:
    case = await req.uow.tx.get_case(case_id)
    if case is None or case.reporter_key != req.owner:
        await req.reply(rich(_(GONE)))
        return
    await req.uow.tx.save_draft(req.owner, {"flow": FLOW, "case_id": case.id}, req.uow.now)
    asked = (
        _(
            "Write what you want to add to {code}. Each message goes to the safety team. Press"
            " Done when you have finished."
        )
        if case.is_open
        else _(
            "Write what you want to add to {code}. It is closed, but what you write still reaches"
            " the team. Each message goes to the safety team. Press Done when you have finished."
        )
    )
    await req.reply(
        fill(asked, code=bold(case.code)),
        [button(_("Done"), "report.add_done")],
    )


async def on_text(req: Request, state: dict[str, Any], text: str) -> None:
    case = await req.uow.tx.get_case(int(state["case_id"]))
    if case is None or case.reporter_key != req.owner:
        from handlers.participant import unprompted

        await req.uow.tx.delete_draft(req.owner)
        await req.reply(rich(_("That report is no longer kept.")))
        await unprompted.take(req, text)  # their words are kept all the same
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
    """A reply to one of the bot's messages about a case: added, open or closed."""
    await add_text(req, case, text)


async def readers(uow: UnitOfWork, case: Case, body: ReportBody) -> list[Member]:
    """Who hears what a reporter adds: the handler; a closed (or recused) case with no handler
    goes to the leads who may see it. A case nobody has taken yet is read when it is taken."""
    assignee = uow.team.member(case.assignee or "")
    if assignee is not None:
        return [assignee]
    if case.state == CaseState.NEW:
        return []
    return await conflicts.seeing(uow, case, uow.team.with_role("lead"))


async def add_text(req: Request, case: Case, text: str) -> None:
    """Add the reporter's words (or a message they forwarded, marked as such) to the account, in
    the order written, and pass them on to whoever reads them."""
    await pass_on(req.uow, case, text, req.event.message_ref, req.event.forwarded)
    done = (
        _("Added to {code}. Anything else? Or press Done.")
        if case.is_open
        else _("Sent to the safety team with {code}. Anything else? Or press Done.")
    )
    await req.reply(
        fill(done, code=bold(case.code)),
        [button(_("Done"), "report.add_done")],
    )


async def pass_on(
    uow: UnitOfWork, case: Case, text: str, ref: str, forwarded: Forwarded | None
) -> None:
    """Add one message of the reporter's (``ref``: the message it came from; ``forwarded``: whose
    message they forwarded, if so) to the case's account, in the order written, recorded in its
    history, and sent to whoever reads it now (:func:`readers`). Nothing is said to the reporter."""
    report = await uow.tx.get_report(case.report_id)
    pieces.add(report.body, "account", text, ref=ref, at=uow.now, forwarded=forwarded)
    await uow.tx.save_report_body(case.report_id, report.body)
    await case_changes.record(uow, case, "reporter", "reporter_added", closed=not case.is_open)
    state = "" if case.is_open else f" ({case.state.value})"
    origin = (
        rich(italic(forwarded_from(uow.team, forwarded) + ":"), "\n")
        if forwarded is not None
        else ""
    )
    for member in await readers(uow, case, report.body):
        await uow.send_member(
            member,
            lambda: rich(bold(case.code), state, _(" · the reporter added:"), "\n", origin, text),
            case_id=case.id,
        )


async def done(req: Request) -> None:
    await req.uow.tx.delete_draft(req.owner)
    await req.reply(rich(_("Thank you. You can add more at any time from /mycases.")))
