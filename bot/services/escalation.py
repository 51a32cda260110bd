"""Paging and the escalation chain.

The team's policy is copied into each case when it opens, so editing the team file later only
changes new cases. A step pages its targets at once; a step that reaches nobody is skipped at once
and the skip is written to the audit trail and into the next page. The deadline for the next step
is a row in the timers table, fenced by the step it belongs to, so a stale timer does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from bot.config.teamfile import Member, TeamFile
from bot.domain import preferences
from bot.domain.model import Case, CaseState, Report, Severity
from bot.domain.policy import EscalationPolicy, EscalationStep
from bot.domain.rights import with_leads
from bot.ports.store import TimerRow
from bot.services import conflicts, external_failures, rota, tasks
from bot.services.conflicts import conflict_reason, named_members, unconflicted
from bot.text import escalation_words as words
from bot.text.page import Note, page_text
from bot.text.reader import N_, _
from bot.text.richtext import Rich, bold, lines, rich
from bot.text.views import channel_line
from bot.uow import Button, UnitOfWork, Words, button

ESCALATE_TIMER = "escalate"
PAGE_FAILED = "page_failed"
IDLE_TIMER = "idle"


def policy_snapshot(config: TeamFile) -> EscalationPolicy:
    """The team file's escalation policy, frozen, to be stored with a new case."""
    policy = config.escalation
    return EscalationPolicy(
        steps=tuple(EscalationStep(tuple(step.notify), step.wait) for step in policy.steps),
        repeat=policy.repeat,
        critical_repeat=policy.critical_repeat,
        idle_reminder=policy.idle_reminder,
    )


def above_team_policy(config: TeamFile, policy: EscalationPolicy) -> EscalationPolicy:
    """The report names someone on the team: it goes above them, to the leads (who are not
    named) and the external contact for this, and to nobody else on the team."""
    targets = ["leads"]
    if config.escalation.above_team:
        targets.append(f"external:{config.escalation.above_team}")
    return policy.routed_above_team(tuple(targets))


def page_buttons(case: Case) -> list[Button]:
    return [
        button(_("Acknowledge"), "case.ack", case=case.id),
        button(_("Escalate"), "case.escalate", case=case.id),
    ]


def first_wait(case: Case) -> timedelta:
    """How long the chain's first step waits before the next (the default step's 5 minutes when
    the policy has no steps)."""
    return case.policy.first_wait


def fence(case: Case) -> int:
    """Which page of the chain a timer belongs to; a timer from an earlier page is stale."""
    return case.esc_round * max(1, len(case.policy.steps)) + case.esc_step


async def resolve_targets(
    uow: UnitOfWork, targets: Sequence[str]
) -> tuple[list[Member], list[str]]:
    """The members a step names, in order and without repeats, plus notes about fallbacks."""
    team = uow.team
    found: list[Member] = []
    notes: list[str] = []
    for target in targets:
        if target == "on_duty":
            duty = [d.member for d in await rota.on_duty(uow)]
            if not duty:
                notes.append(N_("Nobody is on duty, so every safety contact is paged."))
                duty = team.with_role("safety_contact")
            found += duty
        elif target == "safety_contacts":
            found += team.with_role("safety_contact")
        elif target == "leads":
            found += team.with_role("lead")
        elif target.startswith("member:"):
            member = team.member(target.removeprefix("member:"))
            if member is not None:
                found.append(member)
    unique: list[Member] = []
    for member in found:
        if member.id not in {m.id for m in unique}:
            unique.append(member)
    return unique, notes


async def page_members(
    uow: UnitOfWork, case: Case, report: Report, members: list[Member], notes: list[str]
) -> tuple[list[Member], list[str]]:
    """Page each member who may handle the case; return who was paged and who was skipped why."""
    to_page: list[Member] = []
    skipped: list[str] = []
    for member in members:
        reason = await conflict_reason(uow, case, report.body, member)
        if reason is None and not uow.team.is_handler(member):
            reason = "not a safety contact or lead"
        if reason is None and not await uow.reachable(member):
            reason = "unreachable"
            skipped.append(Note(N_("{name} could not be reached."), name=member.name))
        if reason is not None:
            await uow.audit(case, "system", "page_skipped", member=member.id, reason=reason)
        else:
            to_page.append(member)
    # A person skipped on several steps (on duty, then a safety contact) is named once.
    noted = list(dict.fromkeys(notes + skipped))

    def text() -> Rich:  # written in each member's own language
        return page_text(case, report, uow.team, uow.now, notes=noted)

    for member in to_page:
        await uow.send_member(
            member, text, lambda: page_buttons(case), purpose="page", case_id=case.id
        )
        await uow.audit(case, "system", "paged", member=member.id, fence=fence(case))
    return to_page, skipped


async def notify_externals(
    uow: UnitOfWork, case: Case, targets: Sequence[str], text: Words | None = None
) -> list[str]:
    """Tell external contacts only what they need: a code, how urgent, whom to call. Returns
    the names of those reached."""
    reached: list[str] = []

    def asked() -> Rich:  # in the team's language (uow.send_external)
        leads = [m.name for m in uow.team.with_role("lead")]
        return words.outside_help(uow.team.name, case.code, case.severity.value, leads)

    message: Rich | Callable[[], Rich] = text or asked
    for target in targets:
        if not target.startswith("external:"):
            continue
        external = uow.team.config.external_contact(target.removeprefix("external:"))
        if external is None:
            continue
        if await uow.send_external(external, message, case_id=case.id):
            reached.append(external.name)
            await uow.audit(
                case, "system", "external_notified", external=external.id, fence=fence(case)
            )
        else:
            await uow.audit(
                case, "system", "page_skipped", external=external.id, reason="unreachable"
            )
    return reached


async def _post_to_channel(uow: UnitOfWork, case: Case) -> bool:
    duty = await rota.on_duty(uow)

    def post() -> Rich:  # in the team's language (uow.send_channel)
        line = channel_line(case, uow.team, uow.now)
        return words.needs_a_contact(line, [d.member.name for d in duty])

    ids = await uow.send_channel(
        post,
        purpose="channel-alert",
        case_id=case.id,
    )
    return bool(ids)


async def page_step(uow: UnitOfWork, case: Case, report: Report, notes: list[str]) -> None:
    """Page the case's current step; skip at once to later steps while nobody is reached."""
    steps = case.policy.steps
    while True:
        if not steps or case.esc_round > case.policy.repeat:
            await _exhausted(uow, case, report)
            return
        step = steps[case.esc_step]
        members, fallback_notes = await resolve_targets(uow, step.notify)
        members += await _preferred(uow, case, report, members)
        paged, skipped = await page_members(uow, case, report, members, notes + fallback_notes)
        reached = len(paged) + len(await notify_externals(uow, case, step.notify))
        if "channel" in step.notify and await _post_to_channel(uow, case):
            reached += 1
        await uow.audit(
            case, "system", "step_paged", step=case.esc_step, round=case.esc_round, reached=reached
        )
        if reached:
            await uow.tx.add_timer(
                uow.now + step.wait,
                ESCALATE_TIMER,
                case.id,
                {},
                fence(case),
            )
            return
        await uow.audit(
            case,
            "system",
            "step_skipped",
            step=case.esc_step,
            reason="nobody on this step could be paged",
        )
        notes = notes + skipped
        _advance(case)


async def _preferred(
    uow: UnitOfWork, case: Case, report: Report, members: list[Member]
) -> list[Member]:
    """Members on duty who match whom the reporter would prefer to talk to (bot.preferences),
    paged with this step whatever it names: a preference adds people and never waits."""
    if not report.body.prefer:
        return []
    duty = [d.member for d in await rota.on_duty(uow)]
    ids = {m.id for m in members}
    return [
        m
        for m in preferences.matching(case, report.body, await conflicts.seeing(uow, case, duty))
        if m.id not in ids
    ]


def _advance(case: Case) -> None:
    case.esc_step += 1
    if case.esc_step >= len(case.policy.steps):
        case.esc_step = 0
        case.esc_round += 1


async def _exhausted(uow: UnitOfWork, case: Case, report: Report) -> None:
    await uow.audit(case, "system", "chain_exhausted")

    for lead in await unconflicted(uow, case, uow.team.with_role("lead")):
        if await uow.send_member(
            lead,
            lambda: words.reached_nobody(case.code),
            lambda: [button(_("Acknowledge"), "case.ack", case=case.id)],
            purpose="page",
            case_id=case.id,
        ):
            await uow.audit(case, "system", "lead_told_exhausted", member=lead.id)
        else:
            await uow.audit(case, "system", "page_skipped", member=lead.id, reason="unreachable")


async def start(uow: UnitOfWork, case: Case, report: Report) -> None:
    """Page a new case: the first step, or everyone on duty and every contact when critical."""
    if with_leads(case):
        for member in await named_members(uow, report.body):
            await uow.audit(
                case, "system", "page_skipped", member=member.id, reason="named in the report"
            )
    if case.severity == Severity.CRITICAL:
        await page_critical(uow, case, report, [])
    else:
        await page_step(uow, case, report, [])
    await uow.tx.save_case(case)


async def page_critical(uow: UnitOfWork, case: Case, report: Report, notes: list[str]) -> None:
    """Everyone on duty and every safety contact at once; leads too if none of them is reached,
    or from the second repeat on. Repeats every ``critical_repeat`` until acknowledged."""
    team = uow.team
    members = [d.member for d in await rota.on_duty(uow)] + team.with_role("safety_contact")
    assignee = team.member(case.assignee or "")
    if assignee is not None:
        members.append(assignee)
    if case.esc_round >= 1:
        members += team.with_role("lead")
    unique = list({m.id: m for m in members}.values())
    paged, skipped = await page_members(uow, case, report, unique, notes)
    if not paged:
        await page_members(
            uow,
            case,
            report,
            team.with_role("lead"),
            [*notes, *skipped, N_("No safety contact could be reached.")],
        )
    await uow.tx.add_timer(
        uow.now + case.policy.critical_repeat,
        ESCALATE_TIMER,
        case.id,
        {"critical": True},
        fence(case),
    )


async def escalate_now(
    uow: UnitOfWork, case: Case, report: Report, actor: str, reason: str
) -> None:
    """Move to the next step at once (a person pressed Escalate).

    A critical case is already paging everyone; escalating it brings the leads in now and keeps
    it repeating until someone acknowledges.
    """
    await uow.audit(case, actor, "escalated", reason=reason)
    await uow.tx.cancel_timers(case.id, [ESCALATE_TIMER])
    case.updated_at = uow.now
    note = f"Escalated by {uow.team.member_name(actor.removeprefix('member:'))}"
    note += f": {reason}" if reason else "."
    if case.severity == Severity.CRITICAL and case.awaiting_ack:
        case.esc_round += 1
        await page_critical(uow, case, report, [note])
    else:
        _advance(case)
        await page_step(uow, case, report, [note])
    await uow.tx.save_case(case)


# -- timers ----------------------------------------------------------------------------------


async def on_escalate_timer(uow: UnitOfWork, timer: TimerRow) -> None:
    """The wait of a step ran out. Fenced: acknowledged, or already moved on, means nothing."""
    case = await uow.tx.get_case(timer.case_id or 0)
    if case is None or not case.awaiting_ack or timer.fence != fence(case):
        return
    report = await uow.tx.get_report(case.report_id)
    await uow.audit(case, "system", "wait_expired", step=case.esc_step, round=case.esc_round)
    if timer.payload.get("critical"):
        case.esc_round += 1
        await page_critical(uow, case, report, [N_("Still not acknowledged.")])
    else:
        _advance(case)
        await page_step(uow, case, report, [N_("Nobody acknowledged the earlier page.")])
    await uow.tx.save_case(case)


async def on_page_failed(uow: UnitOfWork, timer: TimerRow) -> None:
    """A page (or a message to an external contact on the chain) bounced, was refused for its
    form, or is held (the platform refused the bot's own credentials): if nobody on this step
    can see a page, move on at once."""
    case = await uow.tx.get_case(timer.case_id or 0)
    if case is None or case.state != CaseState.NEW or case.severity == Severity.CRITICAL:
        return
    note = await external_failures.failed_note(uow, case, timer.payload, fence(case))
    if note is None:
        return
    await uow.tx.cancel_timers(case.id, [ESCALATE_TIMER])
    report = await uow.tx.get_report(case.report_id)
    _advance(case)
    await page_step(uow, case, report, [note])
    await uow.tx.save_case(case)


async def arm_idle(uow: UnitOfWork, case: Case, stage: int = 1) -> None:
    await uow.tx.add_timer(
        uow.now + case.policy.idle_reminder,
        IDLE_TIMER,
        case.id,
        {"stage": stage, "since": case.updated_at.timestamp()},
        0,
    )


async def on_idle_timer(uow: UnitOfWork, timer: TimerRow) -> None:
    """No update for a while: remind the handler, and after another period, their lead."""
    case = await uow.tx.get_case(timer.case_id or 0)
    if case is None or not case.is_open or case.assignee is None:
        return
    if case.updated_at.timestamp() > float(timer.payload["since"]) + 1e-3:
        await arm_idle(uow, case)  # there was an update: count from it
        return
    hours = case.policy.idle_reminder.total_seconds() / 3600
    if timer.payload["stage"] == 1:
        assignee = uow.team.member(case.assignee)
        if assignee is not None:
            text = rich(
                bold(case.code),
                f" has had no update for {hours:g} h. Is there anything to record or do next?",
            )
            open_tasks = await tasks.open_task_lines(uow, case)
            if open_tasks:
                text = lines(text, "Open tasks:", *open_tasks)
            await uow.send_member(assignee, text, case_id=case.id)
        await uow.audit(case, "system", "idle_reminder", to=case.assignee)
        await arm_idle(uow, case, stage=2)
        return
    for lead in await unconflicted(uow, case, uow.team.with_role("lead")):
        if lead.id != case.assignee:
            await uow.send_member(
                lead,
                rich(
                    bold(case.code),
                    f" has had no update for {2 * hours:g} h"
                    f" (handler: {uow.team.member_name(case.assignee)}).",
                ),
                case_id=case.id,
            )
    await uow.audit(case, "system", "idle_lead_told")
