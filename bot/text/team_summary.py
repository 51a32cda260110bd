"""The team channel's summary (/summary): counts, waiting cases by code, who is on duty. Like
every team-channel view it takes only cases, never a report, so it cannot show an account or a
name (see bot/text/views.py)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.domain.model import SEVERITY_ORDER, STATE_FOR_TEAM, Case
from bot.domain.team import Duty, Team
from bot.text.richtext import Rich, bold, lines, rich
from bot.text.views import age, clock_time


def summary_text(cases: list[Case], team: Team, now: datetime, duty: list[Duty]) -> Rich:
    """Counts by state and severity, waiting cases and who is on duty: nothing else, and
    nothing that singles out one case (see :func:`channel_line`)."""
    open_cases = [c for c in cases if c.is_open]
    by_state = Counter(STATE_FOR_TEAM[c.state] for c in open_cases)
    by_severity = Counter(c.severity for c in open_cases)
    waiting = sorted(
        (c for c in open_cases if c.awaiting_ack), key=lambda c: c.alert_at or c.created_at
    )
    parts: list[Rich | str] = [bold(f"{team.name}: summary at {clock_time(team, now)}")]
    if not open_cases:
        parts.append("No open cases.")
    else:
        parts.append(
            f"Open cases: {len(open_cases)} ("
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
