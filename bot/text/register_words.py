"""How to use /person (the register of people of concern), in the reader's language
(handlers/team/people_commands.py)."""

from __future__ import annotations

from bot.text.reader import _
from bot.text.richtext import Rich, bold, lines


def usage() -> Rich:
    """How to use /person, in the reader's language."""
    return lines(
        bold(_("The register of people of concern")),
        _(
            '/person add "Jo Doe" User:JoD jo@example.org @jodoe'
            " (or: /person add Jo Doe | User:JoD)"
        ),
        _("/person from CODE: add the person a case reports, linked to it"),
        _("/person flag P-3 watch|banned [until YYYY-MM-DD] [note], /person unflag P-3"),
        "/person link P-3 CODE, /person P-3, /person list",
        _("/screen followed by a pasted registration list, or a CSV file with /screen as caption"),
    )


def name_needed() -> Rich:
    """The answer to /person add without a name: what it needs, and one example."""
    return lines(
        _("/person add needs the person's name, then any usernames, e-mail addresses or handles."),
        _('For example: /person add "Jo Doe" User:JoD jo@example.org'),
    )
