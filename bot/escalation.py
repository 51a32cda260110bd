"""Paging and the escalation chain.

The team's policy is copied into each case when it opens, so editing the team file later only
changes new cases. A step pages its targets at once; a step that reaches nobody is skipped at once
and the skip is written to the audit trail and into the next page. The deadline for the next step
is a row in the timers table, fenced by the step it belongs to, so a stale timer does nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot import rota
from bot.conflicts import conflict_reason
from bot.domain import Case, Report, Severity
from bot.richtext import bold, rich
from bot.team import Team
from bot.teamfile import Member
from bot.unit_of_work import Button, UnitOfWork, button
from bot.views import channel_line, page_text

ESCALATE_TIMER = "escalate"


def policy_snapshot(team: Team) -> dict[str, Any]:
    """The escalation policy as plain data, to be stored with a new case."""
    policy = team.config.escalation
    return {
        "steps": [
            {"notify": list(step.notify), "wait": step.wait.total_seconds()}
            for step in policy.steps
        ],
        "repeat": policy.repeat,
        "critical_repeat": policy.critical_repeat.total_seconds(),
    }


def page_buttons(case: Case) -> list[Button]:
    return [
        button("Acknowledge", "case.ack", case=case.id),
        button("Escalate", "case.escalate", case=case.id),
    ]


def first_wait(case: Case) -> timedelta:
    steps = case.policy["steps"]
    return timedelta(seconds=steps[0]["wait"] if steps else 300)


def fence(case: Case) -> int:
    """Which page of the chain a timer belongs to; a timer from an earlier page is stale."""
    return case.esc_round * max(1, len(case.policy["steps"])) + case.esc_step


async def resolve_targets(
    uow: UnitOfWork, targets: list[str]
) -> tuple[list[Member], list[str]]:
    """The members a step names, in order and without repeats, plus notes about fallbacks."""
    team = uow.team
    found: list[Member] = []
    notes: list[str] = []
    for target in targets:
        if target == "on_duty":
            duty = [d.member for d in await rota.on_duty(uow)]
            if not duty:
                notes.append("Nobody is on duty, so every safety contact is paged.")
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
    paged: list[Member] = []
    skipped: list[str] = []
    for member in members:
        reason = conflict_reason(case, report.body, member)
        if reason is None and not uow.team.is_handler(member):
            reason = "not a safety contact or lead"
        if reason is not None:
            await uow.audit(case, "system", "page_skipped", member=member.id, reason=reason)
            continue
        text = page_text(case, report, uow.team, uow.now, notes=notes)
        ids = await uow.send_member(
            member,
            text,
            page_buttons(case),
            purpose="page",
            case_id=case.id,
        )
        if ids:
            paged.append(member)
            await uow.audit(case, "system", "paged", member=member.id, messages=len(ids))
        else:
            skipped.append(f"{member.name} could not be reached.")
            await uow.audit(case, "system", "page_skipped", member=member.id, reason="unreachable")
    return paged, skipped


async def page_step(uow: UnitOfWork, case: Case, report: Report, notes: list[str]) -> None:
    """Page the case's current step; skip at once to later steps while nobody is reached."""
    steps = case.policy["steps"]
    while True:
        if not steps or case.esc_round > case.policy["repeat"]:
            await _exhausted(uow, case)
            return
        step = steps[case.esc_step]
        members, fallback_notes = await resolve_targets(uow, step["notify"])
        if "channel" in step["notify"]:
            await uow.send_channel(
                rich(channel_line(case, uow.team, uow.now), " · needs a safety contact"),
                purpose="channel-alert",
                case_id=case.id,
            )
        paged, skipped = await page_members(uow, case, report, members, notes + fallback_notes)
        if paged or "channel" in step["notify"]:
            await uow.tx.add_timer(
                uow.now + timedelta(seconds=step["wait"]),
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


def _advance(case: Case) -> None:
    case.esc_step += 1
    if case.esc_step >= len(case.policy["steps"]):
        case.esc_step = 0
        case.esc_round += 1


async def _exhausted(uow: UnitOfWork, case: Case) -> None:
    await uow.audit(case, "system", "chain_exhausted")
    text = rich(
        bold(f"{case.code} has reached nobody."),
        " The escalation chain ran out without anyone acknowledging it. Please take it now"
        " or find someone who can.",
    )
    for lead in uow.team.with_role("lead"):
        await uow.send_member(
            lead,
            text,
            [button("Acknowledge", "case.ack", case=case.id)],
            purpose="page",
            case_id=case.id,
        )


async def start(uow: UnitOfWork, case: Case, report: Report) -> None:
    """Page a new case: the first step, or everyone on duty and every contact when critical."""
    if case.severity == Severity.CRITICAL:
        await page_critical(uow, case, report)
        return
    await page_step(uow, case, report, [])


async def page_critical(uow: UnitOfWork, case: Case, report: Report) -> None:
    team = uow.team
    members = [d.member for d in await rota.on_duty(uow)] + team.with_role("safety_contact")
    unique = list({m.id: m for m in members}.values())
    paged, _ = await page_members(uow, case, report, unique, [])
    if not paged:
        await page_members(
            uow, case, report, team.with_role("lead"), ["No safety contact could be reached."]
        )
    await uow.tx.add_timer(
        uow.now + timedelta(seconds=case.policy["critical_repeat"]),
        ESCALATE_TIMER,
        case.id,
        {"critical": True},
        fence(case),
    )


async def escalate_now(
    uow: UnitOfWork, case: Case, report: Report, actor: str, reason: str
) -> None:
    """Move to the next step at once (a person pressed Escalate)."""
    await uow.audit(case, actor, "escalated", reason=reason)
    await uow.tx.cancel_timers(case.id, [ESCALATE_TIMER])
    _advance(case)
    case.updated_at = uow.now
    await uow.tx.save_case(case)
    note = f"Escalated by {uow.team.member_name(actor.removeprefix('member:'))}"
    await page_step(uow, case, report, [note + (f": {reason}" if reason else ".")])
    await uow.tx.save_case(case)
