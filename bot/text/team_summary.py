"""The team channel's summary (/summary): counts, waiting cases by code, who is on duty. Like
every team-channel view it takes only cases, never a report, so it cannot show an account or a
name (see bot/text/views.py)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.domain.model import SEVERITY_ORDER, STATE_FOR_TEAM, Case
from bot.domain.team import Duty, Team
from bot.text.reader import _
from bot.text.richtext import Rich, bold, lines, rich
from bot.text.views import SEVERITY_WORDS, age, clock_time, level, severity


def summary_text(cases: list[Case], team: Team, now: datetime, duty: list[Duty]) -> Rich:
    """Counts by state and severity, waiting cases and who is on duty: nothing else, and
    nothing that singles out one case (see :func:`channel_line`)."""
    open_cases = [c for c in cases if c.is_open]
    by_state = Counter(STATE_FOR_TEAM[c.state] for c in open_cases)
    by_severity = Counter(c.severity for c in open_cases)
    waiting = sorted(
        (c for c in open_cases if c.awaiting_ack), key=lambda c: c.alert_at or c.created_at
    )
    parts: list[Rich | str] = [
        bold(_("{team}: summary at {time}").format(team=team.name, time=clock_time(team, now)))
    ]
    if not open_cases:
        parts.append(_("No open cases."))
    else:
        states = ", ".join(
            _("{count} {state}").format(count=n, state=_(state))
            for state, n in sorted(by_state.items())
        )
        parts.append(
            _("Open cases: {count} ({states})").format(count=len(open_cases), states=states)
        )
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
