"""Whom a reporter talks to: "I'd like to talk to someone" at a check-in, and the person they would
prefer (a language, a gender: bot.preferences).

Talking to someone is not an emergency, so it is not one: on a taken case the handler is paged
as a normal request (a new alert of kind ``talk``, bot.alerts) and, if nobody acknowledges, the
case's chain goes on at its normal pace. "I need help now" is the urgent path (bot.alerts).
"""

from __future__ import annotations

from bot.config.teamfile import Member
from bot.domain import preferences
from bot.domain.model import Case, Report
from bot.services import alerts, cases, conflicts, escalation, rota
from bot.text.page import page_text
from bot.text.reader import _
from bot.text.richtext import Rich, bold, rich
from bot.uow import UnitOfWork

ASKED_AT_CHECKIN = "They asked at a check-in to talk to someone."


async def ask_to_talk(uow: UnitOfWork, case: Case) -> Rich:
    """The reporter would like to talk to someone; returns what they are told."""
    report = await uow.tx.get_report(case.report_id)
    await uow.audit(case, "reporter", "asked_to_talk")
    if case.awaiting_ack:  # its pages are out: whoever takes it reads this too
        await note_on_waiting_pages(uow, case, report, ASKED_AT_CHECKIN)
        return rich(
            _(
                "Thank you. Your report is still waiting for someone on the safety team to pick"
                " it up; whoever does will see that you would like to talk."
            )
        )
    await alerts.raise_alert(uow, case, alerts.TALK)
    await uow.tx.cancel_timers(case.id, [escalation.ESCALATE_TIMER])
    assignee = uow.team.member(case.assignee or "")
    paged: list[Member] = []
    if assignee is not None:
        paged, _skipped = await escalation.page_members(
            uow, case, report, [assignee], [ASKED_AT_CHECKIN]
        )
    if paged:
        await uow.tx.add_timer(
            uow.now + escalation.first_wait(case),
            escalation.ESCALATE_TIMER,
            case.id,
            {},
            escalation.fence(case),
        )
    else:  # nobody handles it now, or they can't be reached: the chain, from its first step
        await escalation.page_step(uow, case, report, [ASKED_AT_CHECKIN])
    await uow.tx.save_case(case)
    await cases.update_channel_posts(uow, case)
    return rich(
        "Thank you. I've asked the safety team to get in touch with you about ",
        bold(case.code),
        ". I'll tell you here when someone has it.",
    )


async def note_on_waiting_pages(uow: UnitOfWork, case: Case, report: Report, note: str) -> None:
    """Rewrite the pages still waiting for an acknowledgement with ``note`` on top."""
    for row in await alerts.waiting_pages(uow, case):
        await uow.edit(
            row.id,
            lambda: page_text(case, report, uow.team, uow.now, notes=[note]),
            lambda: escalation.page_buttons(case),
        )


async def set_preference(uow: UnitOfWork, case: Case, wanted: preferences.Preference) -> None:
    """Record whom the reporter would prefer to talk to. Members on duty who match and were not
    paged yet are paged now, the waiting pages say it, or the people on a taken case hear it."""
    report = await uow.tx.get_report(case.report_id)
    report.body.prefer = wanted.key
    await uow.tx.save_report_body(case.report_id, report.body)
    await uow.audit(case, "reporter", "preference_given")
    duty = [d.member for d in await rota.on_duty(uow)]
    matched = preferences.matching(case, report.body, await conflicts.seeing(uow, case, duty))
    note = preferences.note(wanted, matched)
    if not case.awaiting_ack:
        for member in await alerts.responders(uow, case):
            await uow.send_member(member, rich(bold(case.code), " · ", note), case_id=case.id)
        return
    paged = {
        str(e.detail.get("member")) for e in await uow.tx.audit_for(case.id) if e.kind == "paged"
    }
    new = [m for m in matched if m.id not in paged]
    if new:
        await escalation.page_members(uow, case, report, new, [])
    await note_on_waiting_pages(uow, case, report, note)
