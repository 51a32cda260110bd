"""Words people read: calm, plain, never judging; kept together to be reviewed as a whole."""

from __future__ import annotations

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

MEMBER_HELP = lines(
    bold("Commands for the safety team"),
    "/ack CODE: take a case (same as the Acknowledge button)",
    "/escalate CODE reason: page the next step now",
    "/case CODE: show a case (recorded in its audit trail)",
    "/cases: open cases",
    "/summary: the state of all cases, redacted",
    "/oncall: who is on duty now",
    "/shift on | off: go on or off duty",
    "/note CODE text: record a note on a case",
    "/status CODE investigating | action_taken, /severity CODE level",
    "/resolve CODE OUTCOME note, /close CODE, /reopen CODE note",
    "/reply CODE text: message the reporter through the bot",
    "/recuse CODE: step aside from a case",
    "/second CODE member, /statement CODE reporter|reported|witness text",
    "/task CODE member 18:00 text: a task with an owner and a due time; /task done N",
    "/handoff CODE CONTACT what is needed: send an external contact only what you tick",
    "/report for: file a report for someone who told you in person",
    "/case new: open a case that no participant reported",
    '/person add "NAME" identifiers, /person from CODE, /person flag|unflag|link, /person list:'
    " the register of people of concern (/person shows how)",
    "/screen: check a pasted list or a CSV file of registrations against the register",
)

PARTICIPANT_HELP = lines(
    bold("What I can do"),
    "/report: tell the safety team about something, step by step",
    "/mycases: see your reports and where they stand",
    "/cancel: stop what you are doing; nothing is sent",
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
FOR_THE_TEAM = rich("That is for the safety team. /report starts a report of your own.")
STALE_BUTTON = rich("That button belongs to an earlier message, so I did nothing with it.")
NOT_YOUR_BUTTON = rich("That button isn't for you, so I did nothing with it.")


def unknown_command(name: str) -> Rich:
    return rich("I don't know the command ", name, ". /help shows what I can do.")


def emergency(info: str) -> Rich:
    return lines(
        bold("If you are in danger right now:"),
        info or "Call local emergency services.",
        'You can also press "I need help now": everyone on duty is alerted at once.',
    )


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
