"""The team channel's summary (/summary): counts, waiting cases by code, who is on duty. Like
every team-channel view it takes only cases, never a report, so it cannot show an account or a
name (see bot/text/views.py)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.domain.model import SEVERITY_ORDER, STATE_FOR_TEAM, Case
from bot.domain.team import Duty, Team
from bot.ports.records import CaseCount
from bot.text.reader import _
from bot.text.richtext import Rich, bold, lines, rich
from bot.text.views import SEVERITY_WORDS, age, clock_time, level, severity


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
    parts: list[Rich | str] = [
        bold(_("{team}: summary at {time}").format(team=team.name, time=clock_time(team, now)))
    ]
    if not total:
        parts.append(_("No open cases."))
    else:
        states = ", ".join(
            _("{count} {state}").format(count=n, state=_(state))
            for state, n in sorted(by_state.items())
        )
        parts.append(_("Open cases: {count} ({states})").format(count=total, states=states))
        severities = ", ".join(
            _("{count} {severity}").format(count=by_severity[s], severity=_(SEVERITY_WORDS[s]))
            for s in SEVERITY_ORDER
            if by_severity[s]
        )
        parts.append(_("By severity: {counts}").format(counts=severities))
    if waiting:
        parts.append(bold(_("Awaiting acknowledgement:")))
        parts += [
            rich(
                "  ",
                bold(c.code),
                _(" · {severity} · waiting {age}").format(
                    severity=severity(c), age=age(c.alert_at or c.created_at, now)
                ),
            )
            for c in waiting
        ]
    on_duty = ", ".join(
        _("{name} ({level})").format(name=d.member.name, level=level(d.level)) for d in duty
    )
    parts.append(_("On duty now: {names}").format(names=on_duty or _("nobody")))
    return lines(*parts)
