""" "I need help now": a critical case at once, then where the person is.

No questions come first. Whatever a draft already holds is kept, the case pages everyone on duty
and every safety contact, and the person reads at once that they were alerted and can see their
name, so they can find them (a check-in's call for help on a pseudonymous report says they can't),
with the emergency information unless it was shown just before
(handlers/participant/danger_now.py). Then:
where are you? Their next message is where they are, added to the case and to the pages; later
messages are passed on as what they wrote, unless they press "I've moved". "I'm safe now" and
"I pressed it by mistake" are believed (bot.stand_down). Who is coming is said once someone
acknowledges (bot.cases).
"""

from __future__ import annotations

from typing import Any

from bot.domain import pieces
from bot.domain.model import Case, ReportBody
from bot.services import alerts, cases, escalation, rota, stand_down
from bot.text import phrases as texts
from bot.text.page import page_text
from bot.text.reader import N_, _
from bot.text.richtext import Rich, bold, fill, lines, rich
from bot.uow import Button, UnitOfWork, button
from handlers.context import Request
from handlers.participant import intake

FLOW = "location"
STOOD_DOWN = {
    "help.safe": (
        stand_down.SAFE_NOW,
        N_(
            "Thank you for telling me. The safety team knows you are safe now. You can write"
            " here at any time."
        ),
    ),
    "help.mistake": (
        stand_down.BY_MISTAKE,
        N_(
            "That's all right. The safety team knows it was a mistake; one of them may check"
            " with you here."
        ),
    ),
}


async def on_button(req: Request, action: str, args: dict[str, Any]) -> None:
    """The buttons of this flow: ``help.now`` and those offered after it."""
    if action == "help.now":
        await help_now(req, bool(args.get("emergency_shown")))
        return
    case = await req.uow.tx.get_case(int(args.get("case", 0)))
    if case is None or action not in (*STOOD_DOWN, "help.moved"):
        await req.reply(texts.STALE_BUTTON)
        return
    if action == "help.moved":
        await _save_flow(req, case, asking=True)
        await req.reply(rich(bold(_("Where are you now?"))))
        return
    kind, words = STOOD_DOWN[action]
    await stand_down.stand_down(req.uow, case, kind)
    await req.reply(rich(_(words)))


async def help_now(req: Request, emergency_shown: bool = False) -> None:
    """Open the critical case with whatever the person's draft holds, then ask where they are
    (``emergency_shown``: the emergency information was shown with the choice just before)."""
    uow = req.uow
    draft = await intake.load(req)
    body = draft.body if draft else ReportBody()
    body.help_now = True
    body.danger = "yes"
    # Someone asking for help must be findable: the people on duty see who they are.
    body.disclosure = "named"
    case = await cases.open_case(uow, req.event.sender, body)
    await ask_location(req, case, emergency_shown=emergency_shown)


async def ask_location(req: Request, case: Case, *, emergency_shown: bool = False) -> None:
    """Alerted, seen by name (or not), the emergency information unless ``emergency_shown``
    just before, then: where are you? The next message answers it."""
    uow = req.uow
    await _save_flow(req, case, asking=True)
    seen = (
        _("They can see your name, so they can find you.")
        if case.disclosure == "named"
        else _("They don't see your name, so please tell me where you are.")
    )
    if await rota.on_duty(uow):
        alerted = fill(
            _("Everyone on duty has been alerted ({code})."), "bold", code=bold(case.code)
        )
        then = ""
    else:  # promise no one coming when the rota has nobody: the numbers come first
        alerted = fill(
            _("The whole safety team has been alerted ({code}), but nobody is on duty right now."),
            "bold",
            code=bold(case.code),
        )
        then = (
            _("If you are in danger, call the numbers above.")
            if emergency_shown
            else _("If you are in danger, call the numbers below.")
        )
    await req.reply(
        lines(
            rich(alerted, " ", seen),
            then,
            _("I'll tell you here who is coming as soon as someone answers.")
            if not then
            else _("I'll tell you here as soon as someone answers."),
            "" if emergency_shown else texts.emergency_for(uow.team),
            bold(_("Where are you right now?")),
            _("A room, a landmark, anything that helps us find you."),
        ),
        _after(case, moved=False),
    )


def _after(case: Case, *, moved: bool) -> list[Button]:
    found = [
        button(_("I'm safe now"), "help.safe", case=case.id),
        button(_("I pressed it by mistake"), "help.mistake", case=case.id),
    ]
    return [button(_("I've moved"), "help.moved", case=case.id), *found] if moved else found


async def _save_flow(req: Request, case: Case, *, asking: bool) -> None:
    state = {"flow": FLOW, "case_id": case.id, "asking": asking}
    await req.uow.tx.save_draft(req.owner, state, req.uow.now)


async def on_text(req: Request, state: dict[str, Any], text: str) -> None:
    """What the person writes after calling for help: where they are, when asked; anything
    else is passed on as what they wrote."""
    uow = req.uow
    case = await uow.tx.get_case(int(state["case_id"]))
    if case is None or not case.is_open:
        from handlers.participant import unprompted

        await uow.tx.delete_draft(req.owner)
        await req.reply(rich(_("That call for help is closed now.")))
        await unprompted.take(req, text)  # their words are kept all the same
        return
    report = await uow.tx.get_report(case.report_id)
    if state.get("asking", True):
        field, kind, note = "location_now", "location_added", "Location updated."
        said = rich(
            _(
                "Thank you, that has been passed on. Stay where you are if it is safe. If you"
                ' move, press "I\'ve moved". Anything else you write here is passed on too.'
            )
        )
    else:
        field, kind, note = "account", "reporter_added", "They wrote more."
        said = rich(_("Passed on to the safety team."))
    event = req.event
    pieces.add(
        report.body, field, text, ref=event.message_ref, at=uow.now, forwarded=event.forwarded
    )
    await uow.tx.save_report_body(case.report_id, report.body)
    await uow.audit(case, "reporter", kind)
    await _save_flow(req, case, asking=False)
    news = _latest(report.body) if kind == "location_added" else rich(" · they wrote: ", text)
    await update_pages(uow, case, note, rich(bold(case.code), news))
    await req.reply(said, _after(case, moved=True))


def _latest(body: ReportBody) -> Rich:
    return rich(" · where they are now: ", " / ".join(body.location_now))


async def update_pages_with_location(uow: UnitOfWork, case_id: int) -> None:
    """Pages still waiting show the new location; once taken, whoever acts on it now gets it."""
    case = await uow.tx.get_case(case_id)
    assert case is not None
    report = await uow.tx.get_report(case.report_id)
    await update_pages(uow, case, "Location updated.", rich(bold(case.code), _latest(report.body)))


async def update_pages(uow: UnitOfWork, case: Case, note: str, for_handler: Rich) -> None:
    """The reporter changed their report: pages still waiting for an acknowledgement (a new
    case's, or those of its newest alert) are rewritten with ``note`` on top; once taken,
    whoever acts on it now (the handler, and whoever answered a new call for help) is told
    ``for_handler``."""
    if case.awaiting_ack:
        report = await uow.tx.get_report(case.report_id)
        for row in await alerts.waiting_pages(uow, case):
            await uow.edit(
                row.id,
                lambda: page_text(case, report, uow.team, uow.now, notes=[note]),
                lambda: escalation.page_buttons(case),
            )
        return
    for member in await alerts.responders(uow, case):
        await uow.send_member(member, for_handler, case_id=case.id)
