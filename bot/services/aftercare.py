"""Looking after the people who take reports: the team file's ``aftercare_note`` (WORDS.md, 12).

Whoever resolves a case reads it in the answer to /resolve. A case that was critical at any time
(someone in danger, a call for help) weighs on more people, so once it is resolved everyone else
who worked it (its handler, its second person, whoever answered a call for help on it) gets it
too; and a shift that had such a case or call ends with it, for the member whose shift it was (at
the rota's end of the shift, or at /shift off).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.config.teamfile import Member
from bot.domain.drills import DRILL_END, DrillEnd
from bot.domain.model import AuditEntry, Case
from bot.ports.store import TimerRow
from bot.services import conflicts
from bot.text.reader import _, current
from bot.text.richtext import Rich, bold, rich
from bot.uow import UnitOfWork

SHIFT_END = "shift_end"
ANSWERED_ALERT = "alert_acknowledged"  # bot.alerts.ALERT_ACKNOWLEDGED (alerts pages; this cannot)


def note(uow: UnitOfWork) -> Rich:
    """The team's own words (``[team] aftercare_note``)."""
    return rich(uow.team.config.team.in_language("aftercare_note", current().language))


def critical_times(entries: Sequence[AuditEntry]) -> list[datetime]:
    """When a case became critical: opened so, made so by a call for help, or assessed so."""
    return [
        e.at
        for e in entries
        if (e.kind == "opened" and e.detail.get("severity") == "critical")
        or e.kind == "made_critical"
        or (e.kind == "severity_changed" and e.detail.get("new") == "critical")
    ]


async def after_resolved(uow: UnitOfWork, case: Case, resolver: Member) -> None:
    """A case that was critical is resolved: everyone who worked it, but the one resolving it
    (who reads the note in the answer to /resolve), gets the note. A drill case gets none:
    resolving it ends its drill (bot/services/drills.py, in the timer's own turn)."""
    if case.is_drill:
        key = f"drill-resolved:{case.id}"
        await uow.tx.add_timer(uow.now, DRILL_END, case.id, {"end": DrillEnd.RESOLVED}, 0, key=key)
        return
    entries = await uow.tx.audit_for(case.id)
    if not critical_times(entries):
        return
    ids = [case.assignee, case.second_person]
    ids += [e.actor.removeprefix("member:") for e in entries if e.kind == ANSWERED_ALERT]
    for member_id in dict.fromkeys(i for i in ids if i and i != resolver.id):
        member = uow.team.member(member_id)
        if member is not None:
            await uow.send_member(
                member,
                lambda: rich(bold(case.code), _(" is resolved. "), note(uow)),
                case_id=case.id,
            )


async def shift_had_critical(
    uow: UnitOfWork, member: Member, start: datetime, end: datetime
) -> bool:
    """Whether a case ``member`` may see became critical from ``start`` to ``end`` (both
    included: a call for help in the very minute someone went off duty counts)."""
    # A case nothing at all happened to since the shift began is not read.
    for case in await uow.tx.cases_updated_since(start):
        times = critical_times(await uow.tx.audit_for(case.id))
        if any(start <= t <= end for t in times):
            report = await uow.tx.get_report(case.report_id)
            if await conflicts.may_see(uow, case, report.body, member):
                return True
    return False


def shift_ended(uow: UnitOfWork) -> Rich:
    """What a member reads when a shift that had a critical case ends."""
    return rich(bold(_("Your shift has ended.")), " ", note(uow))


async def on_shift_end(uow: UnitOfWork, timer: TimerRow) -> None:
    """A rota shift ended: the note, if it had a critical case and was not already ended by
    /shift off (which said it then)."""
    member = uow.team.member(str(timer.payload["member"]))
    start = datetime.fromtimestamp(float(timer.payload["start"]), uow.now.tzinfo)
    if member is None:
        return
    changes = [c for c in await uow.tx.duty_changes() if c.member_id == member.id]
    if changes and not changes[-1].on_duty and changes[-1].at >= start:
        return
    if await shift_had_critical(uow, member, start, uow.now):
        await uow.send_member(member, shift_ended(uow))
