"""Words people read: calm, plain, never judging; kept together to be reviewed as a whole."""

from __future__ import annotations

from bot.commands import Audience, help_lines
from bot.richtext import Rich, bold, lines, rich


def welcome(team_name: str) -> Rich:
    return lines(
        bold(f"Hi, this is the {team_name}."),
        "You can tell me about harassment or anything that made you feel unsafe, in your own"
        " words. Only the safety team reads a report: the person on duty and, if needed, the"
        " team leads. Nobody else, and the team channel only ever sees a case code.",
    )


PRIVACY = lines(
    bold("How your information is handled"),
    "• What you tell me is stored encrypted and read only by the safety team: the contact on"
    " duty and, if needed, the team leads. Each time someone opens your report, it is recorded.",
    "• The shared team channel only ever sees a case code, how urgent it is and its status:"
    " never your name, never who you reported, never what happened.",
    "• You choose how identifiable you are: named (the handler sees who you are),"
    " pseudonymous (they talk to you only through this bot and never learn who you are) or"
    " anonymous (no follow-up; your report is not linked to you at all).",
    "• You can exclude anyone on the safety team from handling it. They are not told.",
    "• Anyone you name in a report never sees it, even if they are on the team.",
)

# /help's words come from the one declaration of the commands (bot/commands.py).
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


def emergency(info: str) -> Rich:
    """The team's emergency information: numbers that work even if nobody answers here. It
    never repeats the "I need help now" hint: it is shown with that choice, or after it."""
    return lines(bold("If you are in danger right now:"), info or "Call local emergency services.")


# -- when the bot cannot store what it is sent (bot/storage_alarm.py) --------------------------


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
