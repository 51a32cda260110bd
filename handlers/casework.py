"""Organizer actions on cases: acknowledge, escalate, look, list. Buttons and commands meet here.

A button token only says which case and which action; the presser's rights are checked again
here, exactly as for the typed command.
"""

from __future__ import annotations

from bot import cases, escalation, people, retention, tasks
from bot.codes import normalise_case_code
from bot.conflicts import conflict_reason
from bot.domain import (
    OPEN_STATES,
    SEVERITY_ORDER,
    STATE_FOR_TEAM,
    AuditEntry,
    Case,
    CaseState,
)
from bot.richtext import Rich, bold, lines, rich
from bot.teamfile import Member
from bot.views import age, case_details, reporter_state
from handlers import additions
from handlers.context import Request

NOT_FOR_PARTICIPANTS = rich("That is for the safety team. /help shows what I can do for you.")


async def case_by_code(req: Request, args: list[str], usage: str) -> Case | None:
    if not args:
        await req.reply(rich("Please add the case code, for example: ", usage))
        return None
    code = normalise_case_code(args[0])
    case = await req.uow.tx.find_case(code)
    if case is None:
        await req.reply(rich("I can't find a case ", bold(code), ". Check the code and try again."))
    return case


async def handler_or_refuse(req: Request) -> Member | None:
    """The member asking, when they work cases (a safety contact or a lead); anyone else is
    told this is for the safety team, and gets ``None``."""
    member = req.member
    if member is None or not req.uow.team.is_handler(member):
        await req.reply(NOT_FOR_PARTICIPANTS)
        return None
    return member


async def may_handle(req: Request, member: Member, case: Case, action: str) -> bool:
    """Refuse (and record) a member who may not work on this case."""
    report = await req.uow.tx.get_report(case.report_id)
    reason = await conflict_reason(req.uow, case, report.body, member)
    if reason is None and req.uow.team.is_handler(member):
        return True
    await req.uow.audit(
        case, f"member:{member.id}", f"{action}_refused", reason=reason or "not a handler"
    )
    await req.reply(rich(f"You can't {action} {case.code}. Others are handling it."))
    return False


async def ack(req: Request, case: Case) -> None:
    if req.member is None:
        await req.reply(NOT_FOR_PARTICIPANTS)
        return
    result = await cases.acknowledge(req.uow, case, req.member)
    await req.reply(result.message)


async def ack_command(req: Request, args: list[str]) -> None:
    case = await case_by_code(req, args, "/ack FS-7K3Q")
    if case is not None:
        await ack(req, case)


async def escalate(req: Request, case: Case, reason: str) -> None:
    member = req.member
    if member is None:
        await req.reply(NOT_FOR_PARTICIPANTS)
        return
    if case.state != CaseState.NEW:
        who = req.uow.team.member_name(case.handler)
        await req.reply(
            rich(
                bold(case.code),
                f" was already acknowledged by {who}, so the escalation chain has stopped.",
            )
        )
        return
    if not await may_handle(req, member, case, "escalate"):
        return
    report = await req.uow.tx.get_report(case.report_id)
    await escalation.escalate_now(req.uow, case, report, f"member:{member.id}", reason)
    await req.reply(rich(bold(case.code), " escalated: the next people in the chain are paged."))


async def escalate_command(req: Request, args: list[str]) -> None:
    case = await case_by_code(req, args, "/escalate FS-7K3Q reason")
    if case is not None:
        await escalate(req, case, " ".join(args[1:]))


async def show_case(req: Request, args: list[str]) -> None:
    member = req.member
    if member is None:
        await req.reply(NOT_FOR_PARTICIPANTS)
        return
    case = await case_by_code(req, args, "/case FS-7K3Q")
    if case is None or not await may_handle(req, member, case, "open"):
        return
    if case.purged_at is not None:
        await req.reply(
            lines(
                retention.purged_line(case, req.uow.team),
                *retention.retention_lines(case, req.uow.team),
            )
        )
        return
    report = await req.uow.tx.get_report(case.report_id)
    await req.uow.audit(case, f"member:{member.id}", "viewed")
    show_identity = case.disclosure == "named" and case.handler == member.id
    trail = await req.uow.tx.audit_for(case.id)
    case_tasks = await req.uow.tx.tasks_for_case(case.id)
    await req.reply(
        lines(
            case_details(
                case,
                report,
                req.uow.team,
                show_identity=show_identity,
                history=await people.case_history(req.uow, case, report.body, member),
            ),
            *retention.retention_lines(case, req.uow.team),
            bold("Tasks:") if case_tasks else "",
            *(tasks.task_line(t, req.uow.team, req.uow.now) for t in case_tasks),
            bold("Timeline:"),
            *(timeline_line(req, entry) for entry in trail),
        )
    )


def timeline_line(req: Request, entry: AuditEntry) -> Rich:
    """One audit entry as a handler reads it; notes and messages show their text."""
    team = req.uow.team
    who = entry.actor
    if who.startswith("member:"):
        who = team.member_name(who.removeprefix("member:"))
    when = team.local(entry.at).strftime("%a %H:%M")
    line = rich(f"  {when} · {entry.kind.replace('_', ' ')} · {who}")
    text = entry.detail.get("text")
    if isinstance(text, str):
        line += rich(": ", text)
    elif "member" in entry.detail:
        line += f" ({team.member_name(str(entry.detail['member']))})"
    return line


async def list_cases(req: Request) -> None:
    member = await handler_or_refuse(req)
    if member is None:
        return
    open_cases = await req.uow.tx.list_cases(list(OPEN_STATES))
    visible = []
    for case in open_cases:
        report = await req.uow.tx.get_report(case.report_id)
        if await conflict_reason(req.uow, case, report.body, member) is None:
            visible.append(case)
    if not visible:
        await req.reply(rich("No open cases."))
        return
    visible.sort(key=lambda c: (SEVERITY_ORDER.index(c.severity), c.created_at))
    now = req.uow.now

    def line(c: Case) -> Rich:
        handler = f" · {req.uow.team.member_name(c.handler)}" if c.handler else ""
        return rich(
            "  ",
            bold(c.code),
            f" · {c.severity.value} · {STATE_FOR_TEAM[c.state]} · {age(c.created_at, now)}"
            + handler,
        )

    groups = [
        ("Yours", [c for c in visible if c.handler == member.id]),
        ("Waiting for someone", [c for c in visible if c.handler is None]),
        ("Others", [c for c in visible if c.handler not in (None, member.id)]),
    ]
    parts: list[Rich | str] = [bold("Open cases")]
    for title, group in groups:
        if group:
            parts.append(bold(f"{title}:"))
            parts += [line(c) for c in group]
    await req.reply(lines(*parts))


async def my_cases(req: Request) -> None:
    found = await req.uow.tx.cases_for_reporter(req.owner)
    if not found:
        await req.reply(rich("You have no reports with me. /report starts one."))
        return
    await req.reply(
        lines(
            bold("Your reports"),
            *(rich(bold(c.code), f": {reporter_state(c)}") for c in found),
        ),
        [additions.add_button(c) for c in found if c.is_open],
    )
