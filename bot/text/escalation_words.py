"""What the escalation chain says beyond the page itself (bot/services/escalation.py): to an
outside contact, in the team channel, and to the leads when nobody answered. Each is written
for its reader by the caller (team's language, each lead's)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.text.reader import _
from bot.text.richtext import Rich, bold, fill, rich
from bot.text.views import SEVERITY_WORDS, either


def outside_help(team: str, code: str, severity: str, leads: Sequence[str]) -> Rich:
    """To an ``[[external]]`` contact: a code, how urgent, whom to call; nothing else."""
    return fill(
        _(
            "{team} asks for your help with case {code} ({severity}). It has not been picked up"
            " yet. Please contact {leads}."
        ),
        team=team,
        code=bold(code),
        severity=_(SEVERITY_WORDS.get(severity, severity)),
        leads=either(list(leads), _("the safety team")),
    )


def needs_a_contact(line: Rich, on_duty: Sequence[str]) -> Rich:
    """The team channel's alert: the case's line and who is on duty (names only)."""
    names = ", ".join(on_duty) or _("nobody on duty: all safety contacts")
    return rich(line, _(" · needs a safety contact · {names}").format(names=names))


def reached_nobody(code: str) -> Rich:
    """To each lead when the chain ran out."""
    return rich(
        bold(_("{code} has reached nobody.").format(code=code)),
        _(
            " The escalation chain ran out without anyone acknowledging it. Please take it now or"
            " find someone who can."
        ),
    )
