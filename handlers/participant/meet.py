""" "I'd rather tell someone in person": the on-duty safety contact is asked to meet the person.

Offered with the first question of a report. Whatever the draft already holds is kept, and the
case pages like any report; its page says they would rather tell someone in person and asks the
handler to arrange a meeting through the bot (``/reply``). So that someone can write to them, an
anonymous choice becomes pseudonymous and they get updates here; they are told so.
"""

from __future__ import annotations

from bot.domain.model import CONTACT_HERE, ReportBody, Severity
from bot.services import cases, rota
from bot.text.help_words import support_lines
from bot.text.reader import _
from bot.text.richtext import bold, fill, lines
from handlers.context import Request
from handlers.participant import confirmations, intake


async def ask(req: Request) -> None:
    """Open the case from the draft so far and tell the person who will meet them."""
    uow = req.uow
    draft = await intake.load(req)
    body = draft.body if draft else ReportBody()
    await uow.tx.delete_draft(req.owner)
    body.meet = True
    if body.disclosure in ("", "anonymous"):
        body.disclosure = "pseudonymous"
    body.contact, body.updates = CONTACT_HERE, True
    case = await cases.open_case(uow, req.event.sender, body)
    asked = (
        _("I've asked the safety contact on duty to meet you in person ({code}).")
        if await rota.on_duty(uow)
        else _("I've asked the safety team to meet you in person ({code}).")
    )
    then = (
        _("They will write to you here to agree where and when. You can bring a friend.")
        if body.disclosure == "named"
        else _(
            "They will write to you here to agree where and when, without being told who you"
            " are until you meet. You can bring a friend."
        )
    )
    await req.reply(
        lines(
            fill(asked, "bold", code=bold(case.code)),
            then,
            await confirmations.what_happens_next(req, case),
            *support_lines(uow.team.config.support),
        ),
        case_id=case.id,
    )
    if case.severity == Severity.CRITICAL:
        from handlers.participant.help_now import ask_location

        await ask_location(req, case)
