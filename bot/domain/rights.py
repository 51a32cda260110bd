"""Who may see and work on a case: the "who may" rules about a case, in one place.

A member has a conflict with a case (:func:`conflict`) when the reporter excluded them, when they
recused, when the report names them (one of the names they go by appears where the reporter said
who was involved, compared the one way the bot compares names, bot/domain/identifiers.py; an id
or a first name alone is enough here, bot/domain/name_strength.py), or when the case is about
someone on the team and they are not a lead. A conflicted member is never paged,
cannot acknowledge and cannot open the case.

A member may see a case (open it, find it by its code, hear of it, be listed it) when they work
cases (a safety contact or a lead) or are the case's second person, and have no conflict with it.
Anyone who may not see a case is answered exactly as if its code did not exist, so that no answer
tells a member that a report about them exists.

Being made the second person (``/second``) gives the rights a handler has on that case, unless
the member has a conflict of their own with it; the leads-only rule does not keep the second out,
since a lead chose them. These rules are pure: the names a member goes by are given to them
(bot/services/conflicts.py reads them); no I/O, no words people read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.config.teamfile import Member
from bot.domain.identifiers import names_in
from bot.domain.model import Case, ReportBody
from bot.domain.team import HANDLER_ROLES, Team

NOT_A_HANDLER = "not a handler"
LEADS_ONLY = "for the leads only: the report is about someone on the team"


def with_leads(case: Case) -> bool:
    """A case about someone on the team: only the leads (and the external contact) handle it."""
    return case.policy.above_team


def conflict(case: Case, body: ReportBody, member: Member, names: Iterable[str]) -> str | None:
    """Why ``member``, who goes by ``names``, may not handle ``case`` (words for the audit
    trail), or ``None`` when they may."""
    if member.id in case.excluded:
        return "excluded by the reporter"
    if member.id in case.recused:
        return "recused"
    if names_in(body.who, names):
        return "named in the report"
    if with_leads(case) and "lead" not in member.roles:
        return LEADS_ONLY
    return None


def someone_above(team: Team, body: ReportBody, named: Sequence[Member]) -> bool:
    """Whether a case about someone on the team can go above them: to the team file's
    ``above_team`` contact, or to a lead the report neither names nor excludes. When nobody is
    above (the one lead is the person named), it stays with the rest of the team instead, the
    named members skipped as for any conflict: a report must never reach nobody."""
    if team.config.escalation.above_team:
        return True
    out = {m.id for m in named} | set(body.excluded)
    return any(lead.id not in out for lead in team.with_role("lead"))


def works_cases(member: Member) -> bool:
    """Safety contacts and leads work cases; an organizer alone does not."""
    return bool(HANDLER_ROLES.intersection(member.roles))


def second_refusal(
    case: Case, body: ReportBody, member: Member, names: Iterable[str]
) -> str | None:
    """Why ``member`` can't be the second person on ``case`` (a conflict of their own), or
    ``None`` when they can."""
    reason = conflict(case, body, member, names)
    return None if reason == LEADS_ONLY else reason


def refusal(case: Case, body: ReportBody, member: Member, names: Iterable[str]) -> str | None:
    """Why ``member`` may not see ``case`` (words for the audit trail), or ``None`` when they may.

    Whoever is refused gets the answer an unknown case code gets."""
    if case.second_person == member.id:
        return second_refusal(case, body, member, names)
    reason = conflict(case, body, member, names)
    if reason is None and not works_cases(member):
        return NOT_A_HANDLER
    return reason


def may_change(case: Case, member: Member) -> bool:
    """Whether a member who may see a taken case may change it: its handler, its second person
    or a lead."""
    return member.id in (case.assignee, case.second_person) or "lead" in member.roles


def sees_identity(case: Case, member: Member) -> bool:
    """A named reporter's identity is shown to the case's handler and its second person."""
    return case.disclosure == "named" and member.id in (case.assignee, case.second_person)


def may_take(member: Member) -> bool:
    """Only safety contacts and leads take (acknowledge) a case; a second person who is an
    organizer helps with it but does not take it."""
    return works_cases(member)


def may_run_drill(member: Member) -> bool:
    """Only a lead starts or stops a drill (issue 17): it pages the whole team for practice."""
    return "lead" in member.roles


def may_test_page(asker: Member, paged: Member) -> bool:
    """A safety contact or lead may page themselves for a test; a lead may page any member."""
    if asker.id == paged.id:
        return works_cases(asker)
    return "lead" in asker.roles


def may_check_readiness(member: Member) -> bool:
    """Only a lead runs the readiness check (``/ready``): it names who cannot be paged."""
    return "lead" in member.roles
