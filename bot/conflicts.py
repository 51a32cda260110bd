"""Who must not handle a case.

A member is conflicted when the reporter excluded them or the report names them (their name or
one of their usernames appears where the reporter described who was involved). A conflicted member
is never paged, cannot acknowledge and cannot open the case.
"""

from __future__ import annotations

import re

from bot.domain import Case, ReportBody
from bot.teamfile import Member

LEADS_ONLY = "for the leads only: the report is about someone on the team"


def _mentions(text: str, phrase: str) -> bool:
    phrase = phrase.strip()
    if len(phrase) < 2:
        return False
    pattern = r"(?<![\w])" + re.escape(phrase.lower()) + r"(?![\w])"
    return re.search(pattern, text.lower()) is not None


def named_in(body: ReportBody, member: Member) -> bool:
    text = body.who
    return any(_mentions(text, phrase) for phrase in [member.name, member.id, *member.usernames])


def with_leads(case: Case) -> bool:
    """A case about someone on the team: only the leads (and the external contact) handle it."""
    return case.policy.get("route") == "above_team"


def conflict_reason(case: Case, body: ReportBody, member: Member) -> str | None:
    """Why ``member`` may not handle ``case``, or ``None`` when they may."""
    if member.id in case.excluded:
        return "excluded by the reporter"
    if member.id in case.recused:
        return "recused"
    if named_in(body, member):
        return "named in the report"
    if with_leads(case) and "lead" not in member.roles:
        return LEADS_ONLY
    return None
