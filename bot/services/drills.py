"""Drills (issue 17): a lead rehearses the team's whole response with a made-up report.

``/drill [story]`` opens a drill case (bot.domain.drills) from one of the seed stories, or a
short generic report, through :func:`bot.services.cases.open_case`: the real escalation chain,
the real rota, the real timers. Its code starts ``DR-`` and every message about it starts with
``DRILL`` (bot.uow marks them), so nobody can take it for a real case; no count, list,
statistic, name matching or register link includes it (the store never lists it; bot.people
never indexes it), and its pages wait behind a real case's in the outbox.

It ends when it is resolved, when a lead sends ``/drill stop``, or at
:data:`bot.domain.drills.DRILL_LIMIT` after it started. The lead who started it then gets the
debrief (:func:`bot.domain.drills.debrief`), its pages and channel line say it has ended, and a
minute later (:data:`bot.domain.drills.PURGE_AFTER`) its case is purged
(bot/services/retention.py's purge: the account, names and messages erased).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.config.teamfile import Member
from bot.domain import rights
from bot.domain.drills import (
    DRILL_END,
    DRILL_LIMIT,
    DRILL_PURGE,
    PURGE_AFTER,
    Debrief,
    DrillEnd,
    debrief,
)
from bot.domain.model import AuditEntry, Case, CaseState, PlatformUser, ReportBody
from bot.ports.events import Outbound
from bot.ports.records import DrillRecord, OutboxRow
from bot.ports.store import TimerRow
from bot.services import cases, checkins, escalation, response, tasks
from bot.text import drill_words as words
from bot.text.reader import _
from bot.text.richtext import Rich
from bot.uow import UnitOfWork

__all__ = ["DRILL_END", "DRILL_PURGE", "on_drill_end", "on_drill_purge", "start", "stop"]

# Every timer a case may have; a drill that ended stops them all.
_CASE_TIMERS = [
    escalation.ESCALATE_TIMER,
    escalation.PAGE_FAILED,
    escalation.IDLE_TIMER,
    response.RESPONSE_TIMER,
    tasks.TASK_TIMER,
    checkins.CHECKIN_TIMER,
    DRILL_END,
]
_ALL_PURPOSES = ["page", "external", "channel", "channel-alert", "notice", "reply"]


def _body(lead: Member, story: words.DrillStory) -> ReportBody:
    return ReportBody(
        danger="no",
        role="on_behalf",
        account=[_(story.account)],
        when="just now",
        where=story.where,
        who=_(story.who) if story.who else "",
        affiliation=story.affiliation,
        disclosure="anonymous",
        source="drill",
        taken_by=lead.id,
    )


async def start(uow: UnitOfWork, lead: Member, sender: PlatformUser, word: str) -> Rich:
    """Open a drill case from the story ``word`` names (``""``: the generic one); the answer
    for the lead. One drill at a time: a running one is named instead."""
    if not rights.may_run_drill(lead):
        return words.said(words.LEADS_ONLY)
    found = words.story_for(word)
    if found is None:
        return words.said(words.STORIES_HELP)
    running = await uow.tx.running_drills()
    if running:
        case = await uow.tx.get_case(running[0].case_id)
        return words.already_running(case.code if case else "")
    key, story = found
    case = await cases.open_case(uow, sender, _body(lead, story))
    drill = await uow.tx.add_drill(case.id, lead.id, key, uow.now, uow.now + DRILL_LIMIT)
    await uow.audit(case, f"member:{lead.id}", "drill_started", story=key)
    await uow.tx.add_timer(
        drill.ends_at,
        DRILL_END,
        case.id,
        {"end": DrillEnd.TIME_LIMIT.value},
        0,
        key=f"drill-limit:{drill.id}",
    )
    return words.started(case.code, story, DRILL_LIMIT)


async def stop(uow: UnitOfWork, lead: Member) -> Rich:
    """``/drill stop``: end the running drill now; the answer for the lead who stops it (the
    debrief, if they started it; else it goes to whoever did)."""
    if not rights.may_run_drill(lead):
        return words.said(words.LEADS_ONLY)
    running = await uow.tx.running_drills()
    if not running:
        return words.said(words.NO_DRILL)
    drill = running[0]
    text = await _finish(uow, drill, DrillEnd.STOPPED)
    starter = uow.team.member(drill.started_by)
    if text is None:
        return words.said(words.NO_DRILL)
    if starter is None or starter.id == lead.id:
        return text()
    await uow.send_member(starter, text)  # in the starter's language
    return words.stopped_for(text(), starter.name)


async def on_drill_end(uow: UnitOfWork, timer: TimerRow) -> None:
    """Its time limit, or its case resolved: end the drill and debrief the lead who started it."""
    drill = await uow.tx.drill_for_case(timer.case_id or 0)
    if drill is None or drill.ended_at is not None:
        return
    text = await _finish(uow, drill, DrillEnd(str(timer.payload["end"])))
    starter = uow.team.member(drill.started_by)
    if text is not None and starter is not None:
        await uow.send_member(starter, text)


async def on_drill_purge(uow: UnitOfWork, timer: TimerRow) -> None:
    """A minute after a drill ended: its case is purged like a case past its review date."""
    case_id = int(timer.payload["case"])
    await uow.tx.purge_cases([case_id], uow.now)
    await uow.tx.add_audit(AuditEntry(case_id, uow.now, "system", "purged", {}))


async def _finish(uow: UnitOfWork, drill: DrillRecord, how: DrillEnd) -> Callable[[], Rich] | None:
    """End ``drill``: its case is closed, its chain and reminders stop, its pages and channel
    line say it ended (and outside contacts it reached hear so), its purge is set; returns the
    debrief, written when called, in its reader's language (``None`` if it had ended already)."""
    case = await uow.tx.get_case(drill.case_id)
    if case is None or not await uow.tx.end_drill(drill.id, uow.now):
        return None
    await uow.tx.cancel_timers(case.id, _CASE_TIMERS)
    # Closed, so a timer fired in the same batch (bot.scheduler) finds nothing left to page.
    case.state, case.alert_at, case.updated_at = CaseState.CLOSED, None, uow.now
    await uow.tx.save_case(case)
    rows = await uow.tx.outbox_for_case(case.id, _ALL_PURPOSES)
    undelivered = [
        _recipient(uow, row.purpose, row.message) for row in rows if row.status != "sent"
    ]
    await uow.audit(case, "system", "drill_ended", end=how.value)
    figures = debrief(
        await uow.tx.audit_for(case.id),
        steps=len(case.policy.steps),
        started_at=drill.started_at,
        ended_at=uow.now,
        ended=how,
        undelivered=undelivered,
    )
    await _tell_it_ended(uow, case, rows, figures)
    await uow.tx.add_timer(
        uow.now + PURGE_AFTER,
        DRILL_PURGE,
        None,
        {"case": case.id},
        0,
        key=f"drill-purge:{case.id}",
    )
    return lambda: words.debrief_text(uow.team, case.code, drill.story, figures)


async def _tell_it_ended(
    uow: UnitOfWork, case: Case, rows: list[OutboxRow], figures: Debrief
) -> None:
    """Its pages and channel lines now say the drill ended; outside contacts it reached are
    told so (their messages are not edited)."""
    for row in rows:
        if row.purpose in ("page", "channel", "channel-alert") and row.status != "failed":
            await uow.edit(row.id, lambda: words.over(case.code))
    for external_id in dict.fromkeys(e for step in figures.steps for e in step.externals):
        contact = uow.team.config.external_contact(external_id)
        if contact is not None:
            await uow.send_external(contact, lambda: words.over(case.code), case_id=case.id)


def _recipient(uow: UnitOfWork, purpose: str, message: Outbound | None) -> str:
    """Whom an outbox row was for, as the debrief names them: a member id, "channel", or
    "external" for an outside contact."""
    if purpose.startswith("channel"):
        return "channel"
    address = message.address if message is not None else None
    member = uow.team.member_for(address.platform, address.chat_id) if address else None
    return member.id if member is not None else "external"
