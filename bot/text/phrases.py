"""Words people read: calm, plain, never judging; kept together to be reviewed as a whole."""

from __future__ import annotations

from bot.domain.team import Team
from bot.text.commands import Audience, help_lines
from bot.text.help_words import emergency, emergency_for, support_lines
from bot.text.richtext import Rich, bold, lines, rich

__all__ = ["emergency", "emergency_for", "support_lines"]  # written once, in bot.help_words


def who_reads(team: Team) -> str:
    """Who reads a report, as it is: the team's safety contacts and leads (how many), and a
    second member one of them brings in (``/second``)."""
    count = len(team.handlers())
    people = "1 person" if count == 1 else f"{count} people"
    return (
        f"Only the safety team reads a report: its safety contacts and leads ({people}), and a"
        " team member they bring in to help."
    )


def outside_contacts(team: Team) -> str:
    """What outside contacts may hear (escalation, risk, /handoff), or "" when there are none."""
    if not team.config.external:
        return ""
    return (
        f"Outside contacts, such as {team.config.external[0].name}, may hear that a report"
        " exists and how urgent it is; never what you said or who you are, unless you agree or"
        " someone is in danger."
    )


def welcome(team: Team) -> Rich:
    return lines(
        bold(f"Hi, this is the {team.name}."),
        "You can tell me about harassment or anything that made you feel unsafe, in your own"
        f" words. {who_reads(team)} The team channel only ever sees a case code.",
    )


NAMING = (
    '• To keep a report from someone on the team, name them under "who was involved" (a name or'
    ' username) or exclude them when asked. If they hold a role on the team, choosing "An'
    ' organizer" or "Board or staff" sends it to the leads, not the rest of the team. Nobody'
    " is told they were excluded."
)


def privacy(team: Team) -> Rich:
    """ "How my information is handled": the same as README's privacy section."""
    return lines(
        bold("How your information is handled"),
        f"• {who_reads(team)} It is stored encrypted, and each time someone opens it, it is"
        " recorded.",
        "• " + outside_contacts(team) if team.config.external else "",
        "• The shared team channel only ever sees a case code, how urgent it is and its status:"
        " never your name, never who you reported, never what happened.",
        "• You choose how identifiable you are: named (the person handling it sees who you are),"
        " pseudonymous (they talk to you only through this bot and are not told who you are) or"
        " anonymous (no follow-up; the report is not linked to you). Details you give may still"
        " show who you are.",
        "• You choose whether I message you about it: with updates, only if someone needs to ask"
        " you something, or not at all.",
        NAMING,
        *support_lines(team.config.support),
    )


# /help's words come from the one declaration of the commands (bot/text/commands.py).
MEMBER_HELP = lines(bold("Commands for the safety team"), *help_lines(Audience.MEMBER))

PARTICIPANT_HELP = lines(
    bold("What I can do"),
    *help_lines(Audience.PARTICIPANT),
    'If you are in danger right now, press "I need help now" and everyone on duty is alerted.',
)

CANCELLED = rich(
    "Stopped. Nothing was sent and your draft is deleted. You can start again at any time with"
    " /report."
)
NOTHING_TO_CANCEL = rich("There is nothing to cancel. /report starts a report.")
TOO_LONG = rich(
    "That message is too long for me to take in one piece. Could you send it in a few shorter"
    " messages? Nothing was changed."
)
FORWARD_KEPT = rich(
    "I've kept that forwarded message with what happened, marked as forwarded so nobody takes it"
    " for your own words. Here is where we were:"
)
EMPTY_MESSAGE = rich("I couldn't find any words in that message, so nothing was added.")
FILE_NOT_KEPT = rich(
    "I can't keep a file here, so nothing was added. A few words about it are welcome."
)


def corrected_in_draft(title: str) -> Rich:
    return rich(
        f"I've changed that in your report ({title}). The safety team will see what you first"
        " wrote and your correction."
    )


def corrected_in_case(code: str) -> Rich:
    return rich(
        "I've added your correction to ",
        bold(code),
        ". The safety team sees what you first wrote and your correction.",
    )


def correction_too_late(code: str) -> Rich:
    return rich(bold(code), " is closed, so your change was not added. /report starts a new one.")


FOR_THE_TEAM = rich("That is for the safety team. /report starts a report of your own.")
STALE_BUTTON = rich("That button belongs to an earlier message, so I did nothing with it.")
NOT_YOUR_BUTTON = rich("That button isn't for you, so I did nothing with it.")


def channel_commands(names: list[str]) -> Rich:
    """What a member hears for any other command in the team channel."""
    listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
    return rich(f"In this channel I answer {listed}. Case work happens in a private chat with me.")


def ids(chat_id: str, user_id: str) -> Rich:
    """/id's answer, for filling in the team file: the ids and nothing else."""
    return rich(f"This chat's id: {chat_id}\nYour user id: {user_id}")


def unknown_command(name: str) -> Rich:
    return rich("I don't know the command ", name, ". /help shows what I can do.")


# -- when the bot cannot store what it is sent (bot/runtime/storage_alarm.py)
# --------------------------


def not_saved(info: str) -> Rich:
    """To a person whose message could not be stored: nothing reached the team; what to do."""
    return lines(
        "I couldn't save that, so the safety team has not seen it. Please try again in a few"
        " minutes.",
        bold("If you need help now:"),
        info or "Call local emergency services.",
    )


STORAGE_TROUBLE_REASONS = {
    "busy": "another program has kept its database locked for over a minute",
    "full": "the disk is full",
    "io": "writing to the disk fails",
    "readonly": "its database file is read-only",
    "corrupt": "its database file is damaged",
    "cantopen": "its database file cannot be opened",
}


def storage_trouble(kind: str) -> Rich:
    """To the leads: the bot cannot store anything, why, and what people are told meanwhile."""
    reason = STORAGE_TROUBLE_REASONS.get(kind, "its database fails")
    return lines(
        bold("The bot cannot save anything right now:"),
        f"{reason.capitalize()}. Reports and button presses are not taken; people who write are"
        " told to try again or to use the emergency contacts. The bot's log on its server has"
        " the details.",
    )


STORAGE_RECOVERED = rich("The bot can save again: reports are taken as usual.")

# shown in Slack's report form, which stays open with the answers in it
NOT_SAVED_FORM = "I couldn't save this just now. Please try again in a few minutes."
