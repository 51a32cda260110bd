"""What a person is told once a report is sent: its code, what happens next and when.

Only what the team file supports is promised (bot.response): a response target while someone is
on duty, ``off_duty_reply`` while nobody is, or no time at all. A member who filed a report for
someone, or opened a case, hears who was alerted.
"""

from __future__ import annotations

from datetime import timedelta

from bot.config.durations import format_duration
from bot.domain.languages import ENGLISH
from bot.domain.model import CONTACT_HERE, NO_CONTACT, Case, ReportBody
from bot.domain.rights import with_leads
from bot.services import conflicts, response, rota
from bot.text.help_words import support_lines
from bot.text.reader import N_, _, current
from bot.text.richtext import bold, fill, lines, rich
from handlers.context import Request
from handlers.participant import preference

RIGHT_THING = N_(
    "You did the right thing by telling us, and you are not in trouble. Reporting when you're"
    " not sure is fine too."
)

# Who was alerted (see _alerted), and what happens next in whole sentences, so that each
# language can say it its own way: (with a promised time, without one).
NEXT_ON_DUTY = {
    "leads": (
        N_(
            "What happens next: the team's leads have been alerted and will pick it up within "
            "{time}."
        ),
        N_(
            "What happens next: the team's leads have been alerted and will pick it up as soon "
            "as they can."
        ),
    ),
    "on_duty": (
        N_(
            "What happens next: the safety contact on duty has been alerted and will pick it "
            "up within {time}."
        ),
        N_(
            "What happens next: the safety contact on duty has been alerted and will pick it "
            "up as soon as they can."
        ),
    ),
    "team": (
        N_(
            "What happens next: the safety team has been alerted and will pick it up within {time}."
        ),
        N_(
            "What happens next: the safety team has been alerted and will pick it up as soon "
            "as they can."
        ),
    ),
    "every": (
        N_(
            "What happens next: every safety contact has been alerted and will pick it up "
            "within {time}."
        ),
        N_(
            "What happens next: every safety contact has been alerted and will pick it up as "
            "soon as they can."
        ),
    ),
}
NEXT_OFF_DUTY = {
    "leads": (
        N_(
            "What happens next: nobody is on duty right now. The team's leads have it and will "
            "pick it up within {time}."
        ),
        N_(
            "What happens next: nobody is on duty right now. The team's leads have it and will "
            "pick it up as soon as they can."
        ),
    ),
    "team": (
        N_(
            "What happens next: nobody is on duty right now. The safety team has it and will "
            "pick it up within {time}."
        ),
        N_(
            "What happens next: nobody is on duty right now. The safety team has it and will "
            "pick it up as soon as they can."
        ),
    ),
}
TAKEN_IN_PERSON = {
    "leads": N_("It is marked as taken in person by you, and the team's leads have been alerted."),
    "on_duty": N_(
        "It is marked as taken in person by you, and the safety contact on duty has been alerted."
    ),
    "team": N_("It is marked as taken in person by you, and the safety team has been alerted."),
    "every": N_(
        "It is marked as taken in person by you, and every safety contact has been alerted."
    ),
}
CASE_ALERTED = {
    "leads": N_("The team's leads have been alerted. /case {code} shows it."),
    "on_duty": N_("The safety contact on duty has been alerted. /case {code} shows it."),
    "team": N_("The safety team has been alerted. /case {code} shows it."),
    "every": N_("Every safety contact has been alerted. /case {code} shows it."),
}


def hearing_back(body: ReportBody) -> str:
    """How they will hear of it, as they chose at the contact step."""
    add = _("/mycases shows where it stands, and replying to this message adds to your report.")
    if body.disclosure == "anonymous":
        return _(
            "You chose to stay anonymous, so nobody can reply to you and this chat is not linked"
            " to the report. For the same reason it is not listed in /mycases: keep the code if"
            " you want to refer to it."
        )
    if body.updates:
        said = _("You will hear back here when someone picks it up.")
    elif body.contact == NO_CONTACT:
        said = _("As you asked, nobody will contact you about it.")
    elif body.contact.startswith(CONTACT_HERE):
        said = _("I won't send you updates; the team writes here only to ask you something.")
    else:
        said = _("The team will reach you the way you gave; I won't send updates here.")
    return f"{said} {add}"


async def tell_reporter(req: Request, case: Case, body: ReportBody) -> None:
    """The reporter's confirmation: the code, that reporting was right, what happens next, how
    they will hear back, and the team's support resources."""
    await req.reply(
        lines(
            rich(bold(_("Thank you for telling us. Your report is in: ")), bold(case.code), "."),
            _(RIGHT_THING),
            await what_happens_next(req, case),
            hearing_back(body),
            *support_lines(req.uow.team.config.support),
        ),
        case_id=None if case.disclosure == "anonymous" else case.id,
    )
    await preference.offer(req, case)


def duration_words(within: timedelta) -> str:
    """A promised time in the reader's words: English as the team file writes durations
    (bot.config.durations), other languages as Babel writes them for the reader's locale."""
    reader = current()
    return format_duration(within) if reader.language == ENGLISH else reader.duration(within)


async def what_happens_next(req: Request, case: Case) -> str:
    """Only what the team file supports (bot.response): a response target while someone is on
    duty, ``off_duty_reply`` while nobody is, or no time; a promised time is kept watch on."""
    uow = req.uow
    within = await response.promised(uow)
    if within is not None:
        await response.keep_watch(uow, case, within)
    index = 0 if within is not None else 1
    time = duration_words(within) if within is not None else ""
    if await rota.on_duty(uow):
        return _(NEXT_ON_DUTY[await _alerted(req, case)][index]).format(time=time)
    have = "leads" if with_leads(case) else "team"
    return _(NEXT_OFF_DUTY[have][index]).format(time=time)


async def _alerted(req: Request, case: Case) -> str:
    """Who was alerted, as a key of the tables above: a case about someone on the team goes to
    the leads, and with nobody on duty every safety contact is paged."""
    if with_leads(case):
        return "leads"
    on_duty = [change.member for change in await rota.on_duty(req.uow)]
    if on_duty and await conflicts.unconflicted(req.uow, case, on_duty):
        return "on_duty"
    if on_duty:  # everyone on duty is excluded or named: the chain went on to the others
        return "team"
    return "every"


async def tell_member(req: Request, case: Case, body: ReportBody) -> None:
    """A report taken in person, or a case the team opened: the member hears the code."""
    if body.source == "in_person":
        await req.reply(
            lines(
                rich(bold(_("The report is in: ")), bold(case.code), "."),
                _(TAKEN_IN_PERSON[await _alerted(req, case)])
                + " "
                + _(
                    "You can give the person this code, so they can refer to it with anyone on"
                    " the team. I'll tell you when it is picked up, so you can let them know."
                ),
            )
        )
        return
    alerted = fill(_(CASE_ALERTED[await _alerted(req, case)]), code=case.code)
    await req.reply(rich(bold(_("Case {code} is open.").format(code=case.code)), " ", alerted))
