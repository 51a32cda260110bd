"""The words of an e-mail to an ``[[external]]`` contact that a chat message does not have.

The body is the same text a chat would carry (escalation, risk, ``/handoff``: see
bot/services/escalation.py and handlers/team/handoff.py), sent as plain text; only the subject
line is the e-mail's own. It names the team and the case's code and nothing else, since a subject
is shown in inbox lists and notifications, and read by more people than the message.
"""

from __future__ import annotations

from bot.text.reader import _


def mail_subject(team_name: str, code: str) -> str:
    """``"Wikimania safety team: case FS-7K3Q"``; without a code (a message about no case),
    the team's name alone. One line: line breaks in a team's name become spaces."""
    name = " ".join(team_name.split())
    return _("{team}: case {code}").format(team=name, code=code) if code else name
