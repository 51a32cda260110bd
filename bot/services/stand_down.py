""" "I'm safe now" and "I pressed it by mistake", after a call for help.

Both are believed, and neither silences the team: the urgent repeats stop (the case becomes
``high``, no longer "in danger now"), the pages still waiting say what the person said, and the
case's chain goes on at its normal pace until someone acknowledges it, so one person still checks
in with them. Once someone has it, the people on it are told instead.
"""

from __future__ import annotations

from bot.domain.model import Case, Severity
from bot.services import alerts, cases, escalation
from bot.text.page import page_text
from bot.text.reader import N_, _
from bot.text.richtext import bold, rich
from bot.uow import UnitOfWork

SAFE_NOW = "said_safe_now"
BY_MISTAKE = "said_pressed_by_mistake"
NOTES = {
    SAFE_NOW: N_("They say they are safe now."),
    BY_MISTAKE: N_("They say they pressed it by mistake. Please check with them."),
}


async def stand_down(uow: UnitOfWork, case: Case, kind: str) -> bool:
    """Record what the person said (``kind``: :data:`SAFE_NOW` or :data:`BY_MISTAKE`) and tell
    the team. False when they had already said it since the newest alert: nothing is resent."""
    if await _said_already(uow, case, kind):
        return False
    await uow.audit(case, "reporter", kind)
    note = NOTES[kind]
    if not case.awaiting_ack:
        for member in await alerts.responders(uow, case):
            await uow.send_member(
                member, lambda: rich(bold(case.code), " · ", _(note)), case_id=case.id
            )
        return True
    report = await uow.tx.get_report(case.report_id)
    if case.severity == Severity.CRITICAL:
        await uow.tx.cancel_timers(case.id, [escalation.ESCALATE_TIMER])
        case.severity = Severity.HIGH
        case.esc_round = case.esc_step = 0
        await uow.tx.add_timer(
            uow.now + escalation.first_wait(case),
            escalation.ESCALATE_TIMER,
            case.id,
            {},
            escalation.fence(case),
        )
    case.updated_at = uow.now
    await uow.tx.save_case(case)
    for row in await alerts.waiting_pages(uow, case):
        await uow.edit(
            row.id,
            lambda: page_text(case, report, uow.team, uow.now, notes=[note]),
            lambda: escalation.page_buttons(case),
        )
    await cases.update_channel_posts(uow, case)
    return True


async def _said_already(uow: UnitOfWork, case: Case, kind: str) -> bool:
    said = False
    for entry in await uow.tx.audit_for(case.id):
        if entry.kind == alerts.ALERT_RAISED:
            said = False
        elif entry.kind == kind:
            said = True
    return said
