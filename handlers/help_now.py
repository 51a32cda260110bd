""" "I need help now": a critical case at once, then where the person is.

No questions come first. Whatever a draft already holds is kept, the case pages everyone on duty
and every safety contact, and the person gets the emergency information immediately. Everything
they write next is where they are, added to the case and to the pages.
"""

from __future__ import annotations

from typing import Any

from bot import alerts, cases, rota
from bot.domain import Case, ReportBody
from bot.escalation import page_buttons
from bot.richtext import bold, lines, rich
from bot.unit_of_work import UnitOfWork
from bot.views import page_text
from handlers import intake, texts
from handlers.context import Request


async def help_now(req: Request) -> None:
    uow = req.uow
    draft = await intake.load(req)
    body = draft.body if draft else ReportBody()
    body.help_now = True
    body.danger = "yes"
    # Someone asking for help must be findable: the people on duty see who they are.
    body.disclosure = "named"
    case = await cases.open_case(uow, req.event.sender, body)
    await ask_location(req, case)


async def ask_location(req: Request, case: Case) -> None:
    """Emergency information at once, then: where are you? The next messages answer it."""
    uow = req.uow
    await uow.tx.save_draft(req.owner, {"flow": "location", "case_id": case.id}, uow.now)
    findable = (
        "The people on duty can see your name so they can find you."
        if case.disclosure == "named"
        else "It is added to your report for the people on duty."
    )
    if await rota.on_duty(uow):
        alerted = rich(
            bold("Everyone on duty has been alerted ("),
            bold(case.code),
            bold("). Someone is coming to you."),
        )
    else:  # promise no one coming when the rota has nobody: the numbers below come first
        alerted = rich(
            bold("The whole safety team has been alerted ("),
            bold(case.code),
            bold("), but nobody is on duty right now. If you are in danger, call the numbers"),
            bold(" below."),
        )
    await req.reply(
        lines(
            alerted,
            texts.emergency_for(uow.team),
            bold("Where are you right now?"),
            "A room, a landmark, anything that helps us find you. " + findable,
        )
    )


async def on_location(req: Request, state: dict[str, Any], text: str) -> None:
    uow = req.uow
    case = await uow.tx.get_case(int(state["case_id"]))
    if case is None:
        await uow.tx.delete_draft(req.owner)
        return
    report = await uow.tx.get_report(case.report_id)
    report.body.location_now.append(text)
    await uow.tx.save_report_body(case.report_id, report.body)
    await uow.audit(case, "reporter", "location_added")
    await update_pages_with_location(uow, case.id)
    await req.reply(
        rich(
            "Thank you, that has been passed on. Stay where you are if it is safe. Anything"
            " else you write here is passed on too."
        )
    )


async def update_pages_with_location(uow: UnitOfWork, case_id: int) -> None:
    """Pages still waiting show the new location; once taken, whoever acts on it now (the
    handler, and whoever answered a new call for help) gets it as a message."""
    case = await uow.tx.get_case(case_id)
    assert case is not None
    report = await uow.tx.get_report(case.report_id)
    if case.awaiting_ack:
        for row in await alerts.waiting_pages(uow, case):
            await uow.edit(
                row.id,
                page_text(case, report, uow.team, uow.now, notes=["Location updated."]),
                page_buttons(case),
            )
        return
    for member in await alerts.responders(uow, case):
        await uow.send_member(
            member,
            rich(bold(case.code), " · where they are now: ", " / ".join(report.body.location_now)),
            case_id=case.id,
        )
