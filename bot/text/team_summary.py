"""The team channel's summary (/summary): counts, waiting cases by code, who is on duty. Like
every team-channel view it takes only cases, never a report, so it cannot show an account or a
name (see bot/text/views.py)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.domain.model import SEVERITY_ORDER, STATE_FOR_TEAM, Case
from bot.domain.team import Duty, Team
from bot.ports.records import CaseCount
from bot.text.richtext import Rich, bold, lines, rich
from bot.text.views import age, clock_time


def summary_text(
    counts: list[CaseCount], waiting: list[Case], team: Team, now: datetime, duty: list[Duty]
) -> Rich:
    """Counts by state and severity (from the store's aggregate, drills left out), the cases
    awaiting acknowledgement and who is on duty: nothing else, and nothing that singles out one
    case (see :func:`channel_line`)."""
    by_state: Counter[str] = Counter()
    by_severity: Counter[object] = Counter()
    for count in counts:
        by_state[STATE_FOR_TEAM[count.state]] += count.count
        by_severity[count.severity] += count.count
    total = sum(by_state.values())
    waiting = sorted(
        (c for c in waiting if c.awaiting_ack), key=lambda c: c.alert_at or c.created_at
    )
    parts: list[Rich | str] = [bold(f"{team.name}: summary at {clock_time(team, now)}")]
    if not total:
        parts.append("No open cases.")
    else:
        parts.append(
            f"Open cases: {total} ("
            + ", ".join(f"{n} {state}" for state, n in sorted(by_state.items()))
            + ")"
        )
        parts.append(
            "By severity: "
            + ", ".join(f"{by_severity[s]} {s.value}" for s in SEVERITY_ORDER if by_severity[s])
        )
    if waiting:
        parts.append(bold("Awaiting acknowledgement:"))
        parts += [
            rich(
                "  ",
                bold(c.code),
                f" · {c.severity.value} · waiting {age(c.alert_at or c.created_at, now)}",
            )
            for c in waiting
        ]
    parts.append(
        "On duty now: "
        + (", ".join(f"{d.member.name} ({d.level})" for d in duty) if duty else "nobody")
    )
    return lines(*parts)
