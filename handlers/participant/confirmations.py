"""What a person is told once a report is sent: its code, what happens next and when.

Only what the team file supports is promised (bot.response): a response target while someone is
on duty, ``off_duty_reply`` while nobody is, or no time at all. A member who filed a report for
someone, or opened a case, hears who was alerted.
"""

from __future__ import annotations

from bot.config.durations import format_duration
from bot.domain.model import CONTACT_HERE, NO_CONTACT, Case, ReportBody
from bot.domain.rights import with_leads
from bot.services import conflicts, response, rota
from bot.text.help_words import support_lines
from bot.text.reader import _
from bot.text.richtext import bold, lines, rich
from handlers.context import Request
from handlers.participant import preference

RIGHT_THING = (
    "You did the right thing by telling us, and you are not in trouble. Reporting when you're"
    " not sure is fine too."
)


def hearing_back(body: ReportBody) -> str:
    """How they will hear of it, as they chose at the contact step."""
    add = "/mycases shows where it stands, and replying to this message adds to your report."
    if body.disclosure == "anonymous":
        return (
            "You chose to stay anonymous, so nobody can reply to you and this chat is not linked"
            " to the report. For the same reason it is not listed in /mycases: keep the code if"
            " you want to refer to it."
        )
    if body.updates:
        return f"You will hear back here when someone picks it up. {add}"
    if body.contact == NO_CONTACT:
        return f"As you asked, nobody will contact you about it. {add}"
    if body.contact.startswith(CONTACT_HERE):
        return f"I won't send you updates; the team writes here only to ask you something. {add}"
    return f"The team will reach you the way you gave; I won't send updates here. {add}"


async def tell_reporter(req: Request, case: Case, body: ReportBody) -> None:
    """The reporter's confirmation: the code, that reporting was right, what happens next, how
    they will hear back, and the team's support resources."""
    await req.reply(
        lines(
            rich(bold(_("Thank you for telling us. Your report is in: ")), bold(case.code), "."),
            RIGHT_THING,
            await what_happens_next(req, case),
            hearing_back(body),
            *support_lines(req.uow.team.config.support),
        ),
        case_id=None if case.disclosure == "anonymous" else case.id,
    )
    await preference.offer(req, case)


async def what_happens_next(req: Request, case: Case) -> str:
    """Only what the team file supports (bot.response): a response target while someone is on
    duty, ``off_duty_reply`` while nobody is, or no time; a promised time is kept watch on."""
    uow = req.uow
    within = await response.promised(uow)
    if within is not None:
        await response.keep_watch(uow, case, within)
    when = f"within {format_duration(within)}" if within else "as soon as they can"
    if await rota.on_duty(uow):
        return (
            f"What happens next: {await _alerted(req, case)} been alerted and will pick it up"
            f" {when}."
        )
    have = "The team's leads have it" if with_leads(case) else "The safety team has it"
    return f"What happens next: nobody is on duty right now. {have} and will pick it up {when}."


async def _alerted(req: Request, case: Case) -> str:
    """Who was alerted, in the words a reporter reads: a case about someone on the team goes to
    the leads, and with nobody on duty every safety contact is paged."""
    if with_leads(case):
        return "the team's leads have"
    on_duty = [change.member for change in await rota.on_duty(req.uow)]
    if on_duty and await conflicts.unconflicted(req.uow, case, on_duty):
        return "the safety contact on duty has"
    if on_duty:  # everyone on duty is excluded or named: the chain went on to the others
        return "the safety team has"
    return "every safety contact has"


async def tell_member(req: Request, case: Case, body: ReportBody) -> None:
    """A report taken in person, or a case the team opened: the member hears the code."""
    if body.source == "in_person":
        await req.reply(
            lines(
                rich(bold(_("The report is in: ")), bold(case.code), "."),
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
