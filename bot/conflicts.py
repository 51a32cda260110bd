"""Who must not handle a case.

A member is conflicted when the reporter excluded them, when they recused, or when the report
names them: where the reporter described who was involved, one of the member's names appears,
compared the one way the bot compares names (bot/identifiers.py): the team file's name, id and
usernames, and the names the platforms showed for them (bot/member_names.py). A conflicted member
is never paged, cannot acknowledge and cannot open the case; a case naming a member goes above
the team (bot/cases.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain import Case, ReportBody
from bot.identifiers import grams, name_keys, names_in
from bot.member_names import everyone, names_of
from bot.teamfile import Member
from bot.unit_of_work import UnitOfWork


def names_any(body: ReportBody, names: Iterable[str]) -> bool:
    """Whether the report's "who" text names anyone by one of ``names`` (pure)."""
    return names_in(body.who, names)


async def named_members(uow: UnitOfWork, body: ReportBody) -> list[Member]:
    """The members the report's "who" text names, in team file order."""
    if not body.who.strip():
        return []
    text = grams(body.who, limit=None)
    names = await everyone(uow)
    return [m for m in uow.team.members if not name_keys(names[m.id]).isdisjoint(text)]


async def unconflicted(uow: UnitOfWork, case: Case, members: list[Member]) -> list[Member]:
    """Those of ``members`` who may handle ``case`` (told about it, asked to take it)."""
    report = await uow.tx.get_report(case.report_id)
    return [m for m in members if await conflict_reason(uow, case, report.body, m) is None]


def with_leads(case: Case) -> bool:
    """A case about someone on the team: only the leads (and the external contact) handle it."""
    return case.policy.get("route") == "above_team"


def reason(case: Case, body: ReportBody, member: Member, names: Iterable[str]) -> str | None:
    """Why ``member``, who goes by ``names``, may not handle ``case``, or ``None`` (pure)."""
    if member.id in case.excluded:
        return "excluded by the reporter"
    if member.id in case.recused:
        return "recused"
    if names_any(body, names):
        return "named in the report"
    if with_leads(case) and "lead" not in member.roles:
        return "for the leads only: the report is about someone on the team"
    return None


async def conflict_reason(
    uow: UnitOfWork, case: Case, body: ReportBody, member: Member
) -> str | None:
    """Why ``member`` may not handle ``case``, or ``None`` when they may: :func:`reason` with
    every name they go by (bot/member_names.py)."""
    return reason(case, body, member, await names_of(uow, member))
