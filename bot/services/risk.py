"""Risk assessment: who outside the team hears of a case assessed as a severe risk (story 1).

A handler who assesses a taken case as ``critical`` tells the external contacts in its chain (the
foundation's emergency team, say) at once; one assessed as ``high`` goes to them too if the
handler chooses. They hear only the code, the risk and whom to call: never who or what.
"""

from __future__ import annotations

from bot.config.teamfile import External, Member
from bot.domain.model import Case, Severity
from bot.services import escalation
from bot.text.reader import N_, _
from bot.text.richtext import Rich, bold, rich
from bot.text.views import either
from bot.uow import UnitOfWork

RISK_WORDS = {Severity.CRITICAL: N_("critical (severe risk)"), Severity.HIGH: N_("high risk")}
# Assessed as one of these, a case may go to the external contacts in its chain.
SHAREABLE = frozenset(RISK_WORDS)


def _targets(case: Case) -> list[str]:
    return case.policy.targets


def external_contacts(uow: UnitOfWork, case: Case) -> list[External]:
    """The external contacts in the case's own chain whom a running platform can reach."""
    found = []
    for target in _targets(case):
        if target.startswith("external:"):
            contact = uow.team.config.external_contact(target.removeprefix("external:"))
            if contact is not None and uow.team.addresses_for(contact):
                found.append(contact)
    return found


async def tell_externals(uow: UnitOfWork, case: Case, assessor: Member) -> list[str]:
    """Tell the chain's external contacts that ``case`` is assessed as a severe risk and whom to
    call (the assessor, and the handler if someone else). Returns the names of those reached;
    nothing is sent unless the case is ``high`` or ``critical``."""
    if case.severity not in SHAREABLE:
        return []
    people = [assessor.name]
    if case.assignee:
        people.append(uow.team.member_name(case.assignee))

    def text() -> Rich:  # in the team's language (uow.send_external)
        return rich(
            bold(
                _("{team}: case {code} is assessed as {risk}.").format(
                    team=uow.team.name, code=case.code, risk=_(RISK_WORDS[case.severity])
                )
            ),
            _(" Please contact {names}.").format(names=either(people, _("the safety team"))),
        )

    reached = await escalation.notify_externals(uow, case, _targets(case), text)
    if reached:
        await uow.audit(
            case, f"member:{assessor.id}", "externals_told", severity=case.severity.value
        )
    return reached
