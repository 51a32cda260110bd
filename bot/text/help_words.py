"""The emergency information and the team's support resources, as a reporter reads them.

Written once here, since both the conversations (handlers) and the core's own messages (a
response target missed, a report closed) show them.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.config.teamfile import SupportResource
from bot.domain.team import Team
from bot.text.reader import _, current
from bot.text.richtext import Rich, bold, lines


def support_lines(resources: Sequence[SupportResource]) -> list[Rich | str]:
    """The team file's ``[[support]]`` entries, one line each (name: how to reach them, with
    hours and languages when given); nothing when it lists none."""
    if not resources:
        return []
    found: list[Rich | str] = [bold(_("Support, if you want it:"))]
    for resource in resources:
        details = "; ".join(filter(None, [resource.hours, ", ".join(resource.languages)]))
        found.append(
            f"• {resource.name}: {resource.contact}" + (f" ({details})" if details else "")
        )
    return found


def emergency(info: str, support: Sequence[SupportResource] = ()) -> Rich:
    """The emergency information (numbers that work even if nobody answers here), with the
    support resources after it. It never repeats the "I need help now" hint: it is shown with
    that choice, or after it."""
    return lines(
        bold(_("If you are in danger right now:")),
        info or _("Call local emergency services."),
        *support_lines(support),
    )


def emergency_for(team: Team) -> Rich:
    """:func:`emergency` with this team's information and support."""
    info = team.config.team.in_language("emergency_info", current().language)
    return emergency(info, team.config.support)
