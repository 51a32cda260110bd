"""Someone is in danger now, on a case that may already be taken.

"I need help now" opens a new critical case; a reporter who presses "I need help" at a check-in
asks for help on their own case, which may have been acknowledged hours ago. Both must do the
same: the case becomes critical and pages everyone on duty at once, with where the person is if
they share it, again every ``critical_repeat`` until someone acknowledges, the leads joining from
the first repeat. On a taken case that is a new alert: the earlier acknowledgement does not count,
so ``Case.alert_at`` holds it open until someone acknowledges *it* (bot.cases.acknowledge).
"""

from __future__ import annotations

from bot.config.teamfile import Member
from bot.domain.model import Case, CaseState, Severity
from bot.ports.store import OutboxRow
from bot.services.escalation import ESCALATE_TIMER, page_critical
from bot.text.page import Note
from bot.text.reader import N_
from bot.uow import UnitOfWork

ALERT_RAISED = "alert_raised"
ALERT_ACKNOWLEDGED = "alert_acknowledged"
HELP = "help"  # someone is in danger now: critical, repeating
TALK = "talk"  # the reporter would like to talk to someone (bot.talk): the chain's normal pace


async def make_critical(uow: UnitOfWork, case: Case, actor: str, why: str) -> None:
    """Page ``case`` as critical at once; on a taken case, raise a new alert (see above).

    ``why`` is the first line of the pages; the handler so far is named in them too."""
    report = await uow.tx.get_report(case.report_id)
    case.severity = Severity.CRITICAL
    case.updated_at = uow.now
    await uow.audit(case, actor, "made_critical", reason=why)
    await uow.tx.cancel_timers(case.id, [ESCALATE_TIMER])
    notes = [why]
    if case.state != CaseState.NEW:
        await raise_alert(uow, case, HELP)
        if case.assignee:
            name = uow.team.member_name(case.assignee)
            notes.append(Note(N_("{name} has been handling this case."), name=name))
    await page_critical(uow, case, report, notes)
    await uow.tx.save_case(case)


async def raise_alert(uow: UnitOfWork, case: Case, kind: str) -> None:
    """Open a new alert of ``kind`` (:data:`HELP` or :data:`TALK`) on a taken case: it waits for
    an acknowledgement of its own, from the chain's first step. The caller pages and saves."""
    pages = await uow.tx.outbox_for_case(case.id, ["page"])
    # Which pages belong to this alert: those queued after it was raised.
    await uow.audit(
        case,
        "system",
        ALERT_RAISED,
        after_outbox=max((p.id for p in pages), default=0),
        alert=kind,
    )
    case.alert_at = uow.now
    case.updated_at = uow.now
    case.esc_round = case.esc_step = 0


async def alert_kind(uow: UnitOfWork, case: Case) -> str:
    """What the newest alert on ``case`` asks for: :data:`HELP` (also for a new critical case)
    or :data:`TALK`."""
    kind = HELP
    for entry in await uow.tx.audit_for(case.id):
        if entry.kind == ALERT_RAISED:
            kind = str(entry.detail.get("alert", HELP))
    return kind


async def waiting_pages(uow: UnitOfWork, case: Case) -> list[OutboxRow]:
    """The pages of a case that wait for an acknowledgement: all of a new case's, or those of
    its newest alert."""
    rows = await uow.tx.outbox_for_case(case.id, ["page"])
    if case.state == CaseState.NEW:
        return rows
    after = 0
    for entry in await uow.tx.audit_for(case.id):
        if entry.kind == ALERT_RAISED:
            after = int(entry.detail["after_outbox"])
    return [row for row in rows if row.id > after]


async def responders(uow: UnitOfWork, case: Case) -> list[Member]:
    """Who acts on a taken case now: its handler and whoever acknowledged its newest alert."""
    ids = [case.assignee]
    for entry in await uow.tx.audit_for(case.id):
        if entry.kind == ALERT_ACKNOWLEDGED:
            ids = [case.assignee, entry.actor.removeprefix("member:")]
    found = [uow.team.member(i) for i in dict.fromkeys(i for i in ids if i)]
    return [m for m in found if m is not None]
