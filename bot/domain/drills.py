"""Drills: the rules of a practice run of the team's response, and its debrief's figures.

A drill case is a case like any other (the real escalation chain, rota and timers page for it),
told apart by its code (bot.domain.codes.DRILL_PREFIX) and marked ``DRILL`` wherever it shows.
It ends when it is resolved, when the lead who started it stops it, or at :data:`DRILL_LIMIT`
after it started, whichever comes first; the lead then gets a debrief (:func:`debrief`), made
from the case's audit trail before the case is purged. Pure: no I/O, no words people read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.model import AuditEntry, CaseState

# Long enough for the first round of a usual chain (5 + 5 + 10 minutes) and an acknowledgement.
DRILL_LIMIT = timedelta(minutes=30)


class DrillEnd(StrEnum):
    """Why a drill ended."""

    RESOLVED = "resolved"
    STOPPED = "stopped"
    TIME_LIMIT = "time_limit"


@dataclass(frozen=True)
class PagedStep:
    """One page of the chain: when, which step of which round (both from 0), and whom it
    reached (member ids; external contacts' ids)."""

    at: datetime
    step: int
    round: int
    members: tuple[str, ...] = ()
    externals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skip:
    """Someone the chain did not page (a member or external contact id), and why (the audit
    trail's words: "unreachable", "named in the report", "blocked the bot", ...)."""

    at: datetime
    who: str
    reason: str


@dataclass(frozen=True)
class Debrief:
    """What a drill showed: every page with its time, who acknowledged it and after how long
    (from the start), when it was resolved, who and which steps were skipped and why, what was
    not delivered (member ids, or "channel" for the team channel), and how it ended."""

    started_at: datetime
    ended_at: datetime
    ended: DrillEnd
    steps: tuple[PagedStep, ...]
    acknowledged_by: str | None = None
    acknowledged_after: timedelta | None = None
    resolved_after: timedelta | None = None
    skipped: tuple[Skip, ...] = ()
    skipped_steps: tuple[tuple[int, str], ...] = ()  # (step from 0, why)
    exhausted: bool = False  # the chain ran out without an acknowledgement
    undelivered: tuple[str, ...] = field(default=())


def _step_of(fence: int, steps: int) -> tuple[int, int]:
    """A page's fence (bot.escalation.fence) as (step, round)."""
    size = max(1, steps)
    return fence % size, fence // size


def _pages(entries: Sequence[AuditEntry], steps: int) -> tuple[PagedStep, ...]:
    """The pages, grouped by the step they belong to, in order; an outside contact notified
    goes with the page of its step."""
    found: list[PagedStep] = []
    current: int | None = None
    for entry in entries:
        if entry.kind == "paged":
            fence = int(entry.detail.get("fence", 0))
            member = str(entry.detail.get("member", ""))
            if current != fence or not found:
                step, round_ = _step_of(fence, steps)
                found.append(PagedStep(entry.at, step, round_))
                current = fence
            last = found[-1]
            found[-1] = PagedStep(last.at, last.step, last.round, (*last.members, member))
        elif entry.kind == "external_notified" and found:
            last = found[-1]
            external = str(entry.detail.get("external", ""))
            found[-1] = PagedStep(
                last.at, last.step, last.round, last.members, (*last.externals, external)
            )
    return tuple(found)


def _first(entries: Sequence[AuditEntry], kind: str, **detail: str) -> AuditEntry | None:
    return next(
        (
            e
            for e in entries
            if e.kind == kind and all(e.detail.get(k) == v for k, v in detail.items())
        ),
        None,
    )


def debrief(
    entries: Sequence[AuditEntry],
    *,
    steps: int,
    started_at: datetime,
    ended_at: datetime,
    ended: DrillEnd,
    undelivered: Sequence[str] = (),
) -> Debrief:
    """The figures of a drill from its case's audit trail (``steps``: how many steps its
    escalation policy has), started and ended at these times, with what was not delivered."""
    ack = _first(entries, "acknowledged")
    resolved = _first(entries, "state_changed", new=CaseState.RESOLVED.value)
    skipped = tuple(
        Skip(
            e.at,
            str(e.detail.get("member") or e.detail.get("external", "")),
            str(e.detail.get("reason", "")),
        )
        for e in entries
        if e.kind == "page_skipped"
    )
    return Debrief(
        started_at=started_at,
        ended_at=ended_at,
        ended=ended,
        steps=_pages(entries, steps),
        acknowledged_by=ack.actor.removeprefix("member:") if ack else None,
        acknowledged_after=ack.at - started_at if ack else None,
        resolved_after=resolved.at - started_at if resolved else None,
        skipped=skipped,
        skipped_steps=tuple(
            (int(e.detail.get("step", 0)), str(e.detail.get("reason", "")))
            for e in entries
            if e.kind == "step_skipped"
        ),
        exhausted=_first(entries, "chain_exhausted") is not None,
        undelivered=tuple(undelivered),
    )


# The timer that ends a drill (its time limit, or at once when its case is resolved), and the
# one that purges its case a little later, once the pages saying it ended have gone out.
DRILL_END = "drill_end"
DRILL_PURGE = "drill_purge"
PURGE_AFTER = timedelta(minutes=1)
