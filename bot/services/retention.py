"""Keeping and forgetting: review dates for closed cases, and the purge that honours them.

A safety team must be able to say how long it keeps what people told it, and then actually stop
keeping it. So a closed case gets a review date from its outcome (``[retention]`` in the team
file), fixed at closing like the escalation policy is fixed at opening; reopening clears it. Once
the date has passed, the purge erases the account, identities and notes and keeps the case row's
counts and times, so ``fsbot stats`` still counts it. The same :func:`purge_due` runs from
``fsbot purge`` and from a daily timer (at :data:`PURGE_AT`, team-local), which re-arms itself.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from bot.domain.model import AuditEntry, Case, CaseState
from bot.domain.team import Team
from bot.ports.store import StoreFault, TimerRow, Tx
from bot.text.reader import _, current
from bot.text.views import OUTCOME_WORDS
from bot.uow import UnitOfWork

log = logging.getLogger(__name__)

PURGE_TIMER = "retention_purge"
PURGE_AT = time(4, 0)  # a quiet hour in the team's time zone


async def on_state_change(uow: UnitOfWork, case: Case, new: CaseState, outcome: str) -> None:
    """Keep ``outcome`` and ``review_at`` in step with a state change (before it is saved)."""
    if new == CaseState.RESOLVED:
        case.outcome = outcome or None
    elif new == CaseState.REOPENED:
        case.outcome = None
        case.review_at = None
    elif new == CaseState.CLOSED:
        if case.outcome is None:
            case.outcome = await _outcome_from_audit(uow, case)
        after = uow.team.config.retention.review_after(case.outcome)
        case.review_at = uow.now + after if after is not None else None


async def _outcome_from_audit(uow: UnitOfWork, case: Case) -> str | None:
    """The outcome of a case resolved before outcomes had their own column."""
    for entry in reversed(await uow.tx.audit_for(case.id)):
        if entry.kind == "state_changed" and entry.detail.get("new") == CaseState.RESOLVED:
            outcome = entry.detail.get("outcome")
            return outcome if isinstance(outcome, str) and outcome else None
    return None


def _day(team: Team, moment: datetime) -> str:
    return current().pattern(team.local(moment), "EEE dd MMM yyyy")


def purged_line(case: Case, team: Team) -> str:
    assert case.purged_at is not None
    return _("{code} was purged on {day}: only counts remain.").format(
        code=case.code, day=_day(team, case.purged_at)
    )


def retention_lines(case: Case, team: Team) -> list[str]:
    """What ``/case`` adds about the outcome and how long the case is kept."""
    found: list[str] = []
    if case.outcome:
        found.append(
            _("Outcome: {outcome}").format(outcome=_(OUTCOME_WORDS.get(case.outcome, case.outcome)))
        )
    if case.state == CaseState.CLOSED:
        if case.review_at is not None:
            found.append(
                _(
                    "Review date: {day}. The account, identities and notes are erased then; only"
                    " counts remain."
                ).format(day=_day(team, case.review_at))
            )
        else:
            found.append(_("Review date: none, this case is kept."))
    return found


PURGE_BATCH = 100
"""Cases purged in one transaction: a batch takes about 6 ms of CPU (two reads and one statement
per table, storage/sqlite/retention.py), so even on a busy machine it holds the write lock for a
few tens of milliseconds and pages still go out during a long purge (bench/history.py)."""


async def purge_due(tx: Tx, now: datetime, limit: int | None = None) -> int:
    """Purge the closed cases whose review date has passed, at most ``limit`` of them (the
    earliest first); return how many.

    Only counts go to the log: which cases were purged is in their own audit trail.
    """
    due = await tx.cases_due_for_purge(now, limit)
    await tx.purge_cases(due, now)
    for case_id in due:
        await tx.add_audit(AuditEntry(case_id, now, "system", "purged", {}))
    if due:
        log.info("purged %d case(s) past their review date", len(due))
    return len(due)


async def plan(uow: UnitOfWork) -> None:
    """Arm the next daily purge; keyed, so planning twice (every start) arms it once."""
    at = uow.team.next_at(uow.now, PURGE_AT)
    await uow.tx.add_timer(at, PURGE_TIMER, None, {}, 0, key=f"purge:{at.isoformat()}")


async def on_purge_timer(uow: UnitOfWork, timer: TimerRow) -> None:
    """The daily purge: arm tomorrow's, then erase what is due.

    Tomorrow's is armed first and the purge runs in its own savepoint, so a purge that fails
    is undone whole and tried again the next day instead of stopping the daily purge for good.
    One timer purges :data:`PURGE_BATCH` cases; when more are due it arms another a second
    later, so no single transaction holds the write lock for long.
    """
    if not timer.payload.get("more"):  # a follow-up batch: tomorrow's is armed already
        await plan(uow)
    try:
        async with uow.tx.savepoint():
            done = await purge_due(uow.tx, uow.now, PURGE_BATCH)
    except StoreFault:
        raise  # the store fails, not the purge: the timer fires again once it works
    except Exception:
        log.exception("the daily purge failed; it runs again tomorrow")
        return
    if done == PURGE_BATCH:  # more are due: the next batch in a transaction of its own
        at = uow.now + timedelta(seconds=1)
        await uow.tx.add_timer(
            at, PURGE_TIMER, None, {"more": True}, 0, key=f"purge-more:{at.isoformat()}"
        )
