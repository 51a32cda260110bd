"""What a reporter is told when the team acts on their report: picked up, who is coming, a new
state, a message from the team, a promised time missed. Each is a whole sentence in the
reporter's language (these are written through ``cases.tell_reporter`` as functions, so they are
written for the reporter, whoever pressed the button)."""

from __future__ import annotations

from bot.text.reader import _
from bot.text.richtext import Rich, bold, fill, lines, rich


def picked_up(name: str | None, code: str) -> Rich:
    """The report was acknowledged; ``name`` is the handler's when the team shows names."""
    if name:
        template = _(
            "{name} has picked up your report {code}. They will follow up as you asked. You can"
            " write here at any time."
        )
    else:
        template = _(
            "A member of the safety team has picked up your report {code}. They will follow up as"
            " you asked. You can write here at any time."
        )
    return fill(template, name=name or "", code=bold(code))


def coming(name: str) -> Rich:
    """What someone who called for help hears when it is answered: who is coming, by ``name``
    whatever ``show_handler_names`` says, so that they can recognise them."""
    return rich(
        _(
            "{name} from the safety team has your call for help and is coming to you. Stay where"
            " you are if it is safe."
        ).format(name=name)
    )


def alert_answered(kind: str, name: str | None) -> Rich:
    """A request on a taken case was answered (bot.alerts): ``talk`` (they would like to talk)
    or ``stood_down`` (a call for help after "I'm safe now")."""
    if kind == "talk":
        template = (
            _("{name} has seen that you would like to talk and will be in touch as you asked.")
            if name
            else _(
                "A member of the safety team has seen that you would like to talk and will be in"
                " touch as you asked."
            )
        )
    else:
        template = (
            _("{name} has your message and will check in with you as you asked.")
            if name
            else _(
                "A member of the safety team has your message and will check in with you as you"
                " asked."
            )
        )
    return rich(template.format(name=name or ""))


def state_changed(code: str, state: str) -> Rich:
    """The report's new state, in the words a reporter reads (views.reporter_state)."""
    return fill(_("Your report {code} is now: {state}."), code=bold(code), state=state)


def team_message(code: str, text: str) -> Rich:
    """A handler's ``/reply``: their words as written, under a line in the reporter's language."""
    return rich(
        fill(_("A message from the safety team about {code}:"), code=bold(code)), "\n", text
    )


def running_late(code: str) -> Rich:
    """The promised time passed with nobody answering (bot.response)."""
    return fill(
        _(
            "{code}: nobody from the safety team has answered yet, and it is taking longer than we"
            " said. I'm sorry."
        ),
        code=bold(code),
    )


def not_answered_yet(code: str, emergency: Rich) -> Rich:
    """Told once to someone who asked for help now (or is in danger now), at the first repeat
    of an alert nobody has answered (bot/services/help_waiting.py), with the team's
    ``emergency`` information again."""
    return lines(
        fill(
            _(
                "Nobody from the safety team has answered your call for help {code} yet. They"
                " are still being alerted, and will be until someone answers. I'll tell you here"
                " as soon as someone does."
            ),
            code=bold(code),
        ),
        emergency,
    )
