"""Someone who asked for help now (or said in a report they are in danger now), while nobody
answers: at the first repeat of the alert they are told once that nobody has answered yet and
that the team is still being alerted (as it is, every ``critical_repeat``, until someone
acknowledges: bot/services/escalation.py :func:`page_critical`), with the team's emergency
information again."""

from __future__ import annotations

from bot.domain.model import Case
from bot.ports.store import TimerRow
from bot.services import cases, escalation
from bot.text import reporter_notes as notes
from bot.text.help_words import emergency_for
from bot.uow import UnitOfWork

TOLD = "reporter_told_not_answered"  # the audit entry that makes it once per call for help
CALLS = frozenset({"opened", "made_critical"})  # a call for help starts (again)


async def on_escalate_timer(uow: UnitOfWork, timer: TimerRow) -> None:
    """:func:`bot.services.escalation.on_escalate_timer`; then, when it was the first repeat of
    an unanswered critical case (a call for help, danger now), tell its reporter."""
    case = await uow.tx.get_case(timer.case_id or 0)
    repeat = (
        case is not None
        and bool(timer.payload.get("critical"))
        and case.awaiting_ack
        and timer.fence == escalation.fence(case)
    )
    await escalation.on_escalate_timer(uow, timer)
    if case is None or not repeat or await _told_already(uow, case):
        return
    report = await uow.tx.get_report(case.report_id)
    # whatever they chose about updates, as when it is answered (cases.acknowledge)
    if await cases.tell_reporter(
        uow, case, report, lambda: notes.not_answered_yet(case.code, emergency_for(uow.team))
    ):
        await uow.audit(case, "system", TOLD)


async def _told_already(uow: UnitOfWork, case: Case) -> bool:
    """Whether the reporter was told since the newest call for help on ``case``."""
    for entry in reversed(await uow.tx.audit_for(case.id)):
        if entry.kind == TOLD:
            return True
        if entry.kind in CALLS:
            return False
    return False
