"""Who must not handle a case, and who may see it, with every name a member goes by.

The rules are :mod:`bot.rights` (pure); this module gives them the names a member goes by: the
team file's name, id and usernames, and the names the platforms showed for them
(bot/services/member_names.py). A case naming a member surely (bot/domain/name_strength.py) goes
above the team (bot/services/cases.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.config.teamfile import Member
from bot.domain import rights
from bot.domain.identifiers import NameKeys, grams, name_keys
from bot.domain.model import Case, ReportBody
from bot.domain.name_strength import named_strongly
from bot.services.member_names import everyone, names_of
from bot.uow import UnitOfWork


async def named_members(uow: UnitOfWork, body: ReportBody) -> list[Member]:
    """The members the report's "who" text names, in team file order."""
    if not body.who.strip():
        return []
    text = grams(body.who, limit=None)
    names = await everyone(uow)
    return [m for m in uow.team.members if not name_keys(names[m.id]).isdisjoint(text)]


async def kept_out(uow: UnitOfWork, body: ReportBody) -> list[Member]:
    """The safety contacts and leads the report's "who" text names (strongly or weakly): the
    report is kept from them whatever the reporter chooses, so the reporter is shown them."""
    handlers = {m.id for m in uow.team.handlers()}
    return [m for m in await named_members(uow, body) if m.id in handlers]


async def strongly_named(uow: UnitOfWork, named: list[Member], body: ReportBody) -> list[Member]:
    """Those of ``named`` (:func:`named_members`) whom the report names surely, by a whole name,
    a username or a name a platform showed (bot/domain/name_strength.py): only these send a
    case above the team; an id or a first name alone keeps the report from them, no more."""
    names = await everyone(uow)
    return [m for m in named if named_strongly(body.who, m.id, names[m.id])]


async def unconflicted(uow: UnitOfWork, case: Case, members: list[Member]) -> list[Member]:
    """Those of ``members`` who may handle ``case`` (told about it, asked to take it)."""
    report = await uow.tx.get_report(case.report_id)
    return [m for m in members if await conflict_reason(uow, case, report.body, m) is None]


async def seeing(uow: UnitOfWork, case: Case, members: Sequence[Member]) -> list[Member]:
    """Those of ``members`` who may see ``case`` (:func:`bot.rights.refusal`)."""
    report = await uow.tx.get_report(case.report_id)
    return [m for m in members if await refusal(uow, case, report.body, m) is None]


async def conflict_reason(
    uow: UnitOfWork, case: Case, body: ReportBody, member: Member
) -> str | None:
    """Why ``member`` may not handle ``case``, or ``None`` when they may: the rule of
    :func:`bot.rights.conflict` with every name they go by (bot/services/member_names.py)."""
    return rights.conflict(case, body, member, await names_of(uow, member))


async def refusal(uow: UnitOfWork, case: Case, body: ReportBody, member: Member) -> str | None:
    """:func:`bot.rights.refusal` with every name ``member`` goes by."""
    return rights.refusal(case, body, member, await names_of(uow, member))


async def second_refusal(
    uow: UnitOfWork, case: Case, body: ReportBody, member: Member
) -> str | None:
    """:func:`bot.rights.second_refusal` with every name ``member`` goes by."""
    return rights.second_refusal(case, body, member, await names_of(uow, member))


async def visible(uow: UnitOfWork, cases: Sequence[Case], member: Member) -> list[Case]:
    """Those of ``cases`` that ``member`` may see, in their order: the rule of :func:`may_see`
    (:func:`bot.rights.refusal`) for each, with the member's names keyed once and the reports
    read in one trip. Only the reports the rule needs are read: someone who does not work cases
    may see only those where they are the second person."""
    handler = rights.works_cases(member)
    candidates = [c for c in cases if handler or c.second_person == member.id]
    if not candidates:
        return []
    names = NameKeys.of(await names_of(uow, member))
    reports = await uow.tx.get_reports([c.report_id for c in candidates])
    return [
        c for c in candidates if rights.refusal(c, reports[c.report_id].body, member, names) is None
    ]


async def may_see(uow: UnitOfWork, case: Case, body: ReportBody, member: Member) -> bool:
    """Whether ``member`` may see ``case`` (:func:`bot.rights.refusal`)."""
    return await refusal(uow, case, body, member) is None
