"""How soon a reporter is told to expect an answer, and what they hear if it is missed.

Only what the team file supports is promised: while someone is on duty, the
``[[response_target]]`` covering the hour the report is sent; while nobody is (outside the rota,
after the event), ``off_duty_reply``; without either, no time at all. Whatever time was promised
becomes a timer: if nobody has picked the report up by then, a reporter who chose updates is told
so, with the emergency information and support again. It is never the escalation chain's wait,
which says when the next person is paged, not when anyone answers.
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain.model import Case, CaseState
from bot.ports.store import TimerRow
from bot.services import cases, rota
from bot.text.help_words import emergency_for
from bot.text.reporter_notes import running_late
from bot.text.richtext import Rich, lines
from bot.uow import UnitOfWork

RESPONSE_TIMER = "response_due"


async def promised(uow: UnitOfWork) -> timedelta | None:
    """The time a report sent now may be promised an answer in, or None (promise no time)."""
    if await rota.on_duty(uow):
        return uow.team.config.response_within(uow.now)
    return uow.team.config.escalation.off_duty_reply


async def keep_watch(uow: UnitOfWork, case: Case, within: timedelta) -> None:
    """Check at the promised time whether anyone has picked ``case`` up."""
    await uow.tx.add_timer(uow.now + within, RESPONSE_TIMER, case.id, {}, 0)


async def on_response_due(uow: UnitOfWork, timer: TimerRow) -> None:
    """The promised time has come: if the report is still waiting, say so (updates only)."""
    case = await uow.tx.get_case(timer.case_id or 0)
    if case is None or case.state != CaseState.NEW:
        return
    await uow.audit(case, "system", "response_target_missed")
    report = await uow.tx.get_report(case.report_id)
    if not report.body.updates:
        return  # they asked for no automatic messages

    def text() -> Rich:  # in the reporter's language
        return lines(running_late(case.code), emergency_for(uow.team))

    if await cases.tell_reporter(uow, case, report, text):
        await uow.audit(case, "system", "reporter_told_late")
