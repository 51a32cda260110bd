"""Changes to a taken case that a command asks for: work recorded on it, its severity, who is
on it.

Handlers parse, check who may, call one of these and reply; only services change a case. Each
change saves the case and writes its audit entry in the caller's unit of work.
"""

from __future__ import annotations

from typing import Any

from bot.config.teamfile import Member
from bot.domain.model import Case, Severity
from bot.services.conflicts import unconflicted
from bot.text.richtext import bold, rich
from bot.uow import UnitOfWork


async def record(uow: UnitOfWork, case: Case, actor: str, kind: str, **detail: Any) -> None:
    """Work was done on the case (a note, a statement, a handoff, the reporter's words): it counts
    as updated now (the idle reminder counts from here) and the audit trail records ``kind``
    with ``detail``, by ``actor`` (``"member:<id>"`` or ``"reporter"``)."""
    case.updated_at = uow.now
    await uow.tx.save_case(case)
    await uow.audit(case, actor, kind, **detail)


async def change_severity(uow: UnitOfWork, case: Case, member: Member, new: Severity) -> Severity:
    """Record ``member``'s risk assessment; returns the severity it had before."""
    old = case.severity
    case.severity = new
    await record(uow, case, f"member:{member.id}", "severity_changed", old=old.value, new=new.value)
    return old


async def recuse(uow: UnitOfWork, case: Case, member: Member) -> None:
    """``member`` steps aside: never paged for the case again, off it as its second person or
    its assignee; when they were its assignee, the leads are told it needs someone."""
    if member.id not in case.recused:
        case.recused.append(member.id)
    if case.second_person == member.id:
        case.second_person = None
    if case.assignee == member.id:
        case.assignee = None  # a lead takes it from here
        for lead in await unconflicted(uow, case, uow.team.with_role("lead")):
            if lead.id != member.id:
                await uow.send_member(
                    lead, rich(bold(case.code), f": {member.name} recused; it needs a handler.")
                )
    await uow.tx.save_case(case)
    await uow.audit(case, f"member:{member.id}", "recused")


async def name_second(uow: UnitOfWork, case: Case, member: Member, other: Member) -> None:
    """``member`` makes ``other`` the second person on the case (the two-person rule), and
    ``other`` is told. Whether ``other`` may be is checked before (bot.services.conflicts)."""
    case.second_person = other.id
    await record(uow, case, f"member:{member.id}", "second_assigned", member=other.id)
    await uow.send_member(
        other,
        rich(
            f"{member.name} asked you to be the second person on ",
            bold(case.code),
            f". /case {case.code} shows it.",
        ),
        case_id=case.id,
    )
