"""What a person is told once a report is sent: its code, what happens next and when.

Only what the rota can keep is promised: a reply within the chain's first wait while someone is
on duty; otherwise (after the event, outside the rota) the team file's ``off_duty_reply``, or no
time at all. A member who filed a report for someone, or opened a case, hears who was alerted.
"""

from __future__ import annotations

from bot import escalation, rota
from bot.domain import Case, ReportBody
from bot.durations import format_duration
from bot.richtext import Rich, bold, lines, rich
from bot.rights import with_leads
from bot.views import expected_response
from handlers import preference
from handlers.context import Request


async def tell_reporter(req: Request, case: Case) -> None:
    """The reporter's confirmation: the code, what happens next, how to hear back."""
    parts: list[Rich | str] = [
        rich(bold("Thank you for telling us. Your report is in: "), bold(case.code), "."),
        await _what_happens_next(req, case),
    ]
    if case.disclosure == "anonymous":
        parts.append(
            "You chose to stay anonymous, so nobody can reply to you and this chat is not linked"
            " to the report. Keep the code if you want to refer to it."
        )
    else:
        parts.append(
            "You will hear back here. /mycases shows where your reports stand, and replying to"
            " this message adds to your report."
        )
    await req.reply(lines(*parts), case_id=None if case.disclosure == "anonymous" else case.id)
    await preference.offer(req, case)


async def _what_happens_next(req: Request, case: Case) -> str:
    """Only what the rota can keep: a reply within the first wait while someone is on duty;
    otherwise (after the event, outside the rota) the team file's ``off_duty_reply``, or no time."""
    uow = req.uow
    if await rota.on_duty(uow):
        wait = expected_response(escalation.first_wait(case))
        return (
            f"What happens next: {await _alerted(req, case)} been alerted and will pick it up."
            f" We aim to respond within {wait}."
        )
    reply = uow.team.config.escalation.off_duty_reply
    when = f"within {format_duration(reply)}" if reply else "as soon as they can"
    have = "The team's leads have it" if with_leads(case) else "The safety team has it"
    return f"What happens next: nobody is on duty right now. {have} and will pick it up {when}."


async def _alerted(req: Request, case: Case) -> str:
    """Who was alerted, in the words a reporter reads: a case about someone on the team goes to
    the leads, and with nobody on duty every safety contact is paged."""
    if with_leads(case):
        return "the team's leads have"
    if await rota.on_duty(req.uow):
        return "the safety contact on duty has"
    return "every safety contact has"


async def tell_member(req: Request, case: Case, body: ReportBody) -> None:
    """A report taken in person, or a case the team opened: the member hears the code."""
    if body.source == "in_person":
        await req.reply(
            lines(
                rich(bold("The report is in: "), bold(case.code), "."),
                f"It is marked as taken in person by you, and {await _alerted(req, case)} been"
                " alerted. You can give the person this code, so they can refer to it with"
                " anyone on the team. I'll tell you when it is picked up, so you can let them"
                " know.",
            )
        )
        return
    await req.reply(
        rich(
            bold(f"Case {case.code} is open."),
            f" {(await _alerted(req, case)).capitalize()} been alerted. /case ",
            case.code,
            " shows it.",
        )
    )
