"""Organizer actions on cases: acknowledge, escalate, look, list. Buttons and commands meet here.

A button token only says which case and which action; the presser's rights are checked again
here, exactly as for the typed command.
"""

from __future__ import annotations

from bot.config.teamfile import Member
from bot.domain import rights
from bot.domain.codes import join_split_code, normalise_case_code
from bot.domain.model import SEVERITY_ORDER, STATE_FOR_TEAM, AuditEntry, Case
from bot.services import cases, conflicts, escalation, people, retention, tasks
from bot.text.reader import N_, _
from bot.text.richtext import Rich, bold, lines, rich
from bot.text.views import age, case_details, no_such_case, reporter_state
from handlers.context import Request
from handlers.participant import additions

NOT_FOR_PARTICIPANTS = rich("That is for the safety team. /help shows what I can do for you.")


async def handler_or_refuse(req: Request) -> Member | None:
    """The member asking, when they work cases (a safety contact or a lead); anyone else is
    told this is for the safety team, and gets ``None``."""
    member = req.member
    if member is None or not rights.works_cases(member):
        await req.reply(NOT_FOR_PARTICIPANTS)
        return None
    return member


async def may_see(req: Request, member: Member, case: Case, action: str) -> bool:
    """Whether ``member`` may see ``case`` (bot.rights). If not, the refusal goes into the case's
    audit trail and they get exactly the answer an unknown code gets."""
    report = await req.uow.tx.get_report(case.report_id)
    reason = await conflicts.refusal(req.uow, case, report.body, member)
    if reason is None:
        return True
    await req.uow.audit(case, f"member:{member.id}", f"{action}_refused", reason=reason)
    await req.reply(no_such_case(case.code))
    return False


async def case_for(
    req: Request, args: list[str], usage: str, action: str
) -> tuple[Member, Case] | None:
    """The member asking and the case their code names, when they may see it.

    A participant hears that this is for the safety team before any code is looked at; a code
    that names no case and a case this member may not see get the same answer."""
    member = req.member
    if member is None:
        await req.reply(NOT_FOR_PARTICIPANTS)
        return None
    if not args:
        await req.reply(rich("Please add the case code, for example: ", usage))
        return None
    code = normalise_case_code(join_split_code(args)[0])
    case = await req.uow.tx.find_case(code)
    if case is None:
        await req.reply(no_such_case(code))
        return None
    if not await may_see(req, member, case, action):
        return None
    return member, case


async def ack(req: Request, case: Case) -> None:
    if req.member is None:
        await req.reply(NOT_FOR_PARTICIPANTS)
        return
    result = await cases.acknowledge(req.uow, case, req.member)
    await req.reply(result.message)


async def ack_command(req: Request, args: list[str]) -> None:
    found = await case_for(req, args, "/ack FS-7K3Q", "ack")
    if found is not None:
        await ack(req, found[1])


async def escalate(req: Request, case: Case, reason: str) -> None:
    member = req.member
    if member is None:
        await req.reply(NOT_FOR_PARTICIPANTS)
        return
    if not await may_see(req, member, case, "escalate"):
        return
    if not case.awaiting_ack:
        who = req.uow.team.member_name(case.assignee)
        await req.reply(
            rich(
                bold(case.code),
                f" was already acknowledged by {who}, so the escalation chain has stopped.",
            )
        )
        return
    report = await req.uow.tx.get_report(case.report_id)
    await escalation.escalate_now(req.uow, case, report, f"member:{member.id}", reason)
    await req.reply(rich(bold(case.code), " escalated: the next people in the chain are paged."))


async def escalate_command(req: Request, args: list[str]) -> None:
    found = await case_for(req, args, "/escalate FS-7K3Q reason", "escalate")
    if found is not None:
        await escalate(req, found[1], " ".join(args[1:]))


async def show_case(req: Request, args: list[str]) -> None:
    found = await case_for(req, args, "/case FS-7K3Q", "open")
    if found is None:
        return
    member, case = found
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
    show_identity = rights.sees_identity(case, member)
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
    elif "part" in entry.detail:
        line += f" ({entry.detail['part']})"
    return line


async def list_cases(req: Request) -> None:
    """The open cases this member may see: all of them for a safety contact or lead without a
    conflict, and for anyone the cases where they are the second person."""
    member = req.member
    if member is None:
        await req.reply(NOT_FOR_PARTICIPANTS)
        return
    visible = await conflicts.visible(req.uow, await req.uow.tx.open_cases(), member)
    if not visible:
        await req.reply(rich("No open cases."))
        return
    visible.sort(key=lambda c: (SEVERITY_ORDER.index(c.severity), c.created_at))
    now = req.uow.now

    def line(c: Case) -> Rich:
        handler = f" · {req.uow.team.member_name(c.assignee)}" if c.assignee else ""
        return rich(
            "  ",
            bold(c.code),
            f" · {c.severity.value} · {STATE_FOR_TEAM[c.state]} · {age(c.created_at, now)}"
            + handler,
        )

    yours = [c for c in visible if member.id in (c.assignee, c.second_person)]
    groups = [
        ("Yours", yours),
        ("Waiting for someone", [c for c in visible if c.assignee is None and c not in yours]),
        ("Others", [c for c in visible if c.assignee is not None and c not in yours]),
    ]
    parts: list[Rich | str] = [bold("Open cases")]
    for title, group in groups:
        if group:
            parts.append(bold(f"{title}:"))
            parts += [line(c) for c in group]
    await req.reply(lines(*parts))


# An anonymous report is not linked to anyone, so /mycases cannot find it: say why it is missing.
NOT_LISTED = N_("Reports sent anonymously are not listed here, because they are not linked to you.")


async def my_cases(req: Request) -> None:
    """The reporter's own reports in plain words, each with a button to write about it (a
    closed one too: it still reaches the team)."""
    found = await req.uow.tx.cases_for_reporter(req.owner)
    if not found:
        await req.reply(
            lines(_("You have no reports I can show. /report starts one."), _(NOT_LISTED))
        )
        return
    await req.reply(
        lines(
            bold(_("Your reports")),
            *(rich(bold(c.code), f": {reporter_state(c)}") for c in found),
            _(NOT_LISTED),
        ),
        [additions.add_button(c) for c in found],
    )
