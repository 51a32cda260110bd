"""Words people read: calm, plain, never judging; kept together to be reviewed as a whole."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.team import Team
from bot.text.commands import Audience, help_lines
from bot.text.help_words import emergency, emergency_for, support_lines
from bot.text.reader import N_, _, ngettext
from bot.text.richtext import Rich, bold, fill, lines, rich

__all__ = ["emergency", "emergency_for", "support_lines"]  # written once, in bot.help_words

# Texts with no parameters, read as ``phrases.NAME``: each is written when read, in the reader's
# language (bot/text/reader.py), by the function registered here (see ``__getattr__``).
_LAZY: dict[str, Callable[[], Rich]] = {}


def __getattr__(name: str) -> Rich:
    """``phrases.CANCELLED`` and the like, written now for the current reader."""
    make = _LAZY.get(name)
    if make is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return make()


def who_reads(team: Team) -> str:
    """Who reads a report, as it is: the team's safety contacts and leads (how many), and a
    second member one of them brings in (``/second``)."""
    count = len(team.handlers())
    return ngettext(
        "Only the safety team reads a report: its safety contacts and leads ({count} person),"
        " and a team member they bring in to help.",
        "Only the safety team reads a report: its safety contacts and leads ({count} people),"
        " and a team member they bring in to help.",
        count,
    ).format(count=count)


def outside_contacts(team: Team) -> str:
    """What outside contacts may hear (escalation, risk, /handoff), or "" when there are none."""
    if not team.config.external:
        return ""
    return _(
        "Outside contacts, such as {name}, may hear that a report exists and how urgent it is;"
        " never what you said or who you are, unless you agree or someone is in danger."
    ).format(name=team.config.external[0].name)


def welcome(team: Team) -> Rich:
    return lines(
        bold(_("Hi, this is the {team}.").format(team=team.name)),
        _(
            "You can tell me about harassment or anything that made you feel unsafe, in your"
            " own words. {who_reads} The team channel only ever sees a case code."
        ).format(who_reads=who_reads(team)),
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
        bold(_("How your information is handled")),
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
def _member_help() -> Rich:
    return lines(bold(_("Commands for the safety team")), *help_lines(Audience.MEMBER))


_LAZY["MEMBER_HELP"] = _member_help


def _participant_help() -> Rich:
    return lines(
        bold(_("What I can do")),
        *help_lines(Audience.PARTICIPANT),
        _(
            'If you are in danger right now, press "I need help now" and everyone on duty is'
            " alerted."
        ),
    )


_LAZY["PARTICIPANT_HELP"] = _participant_help


def _cancelled() -> Rich:
    return rich(
        _(
            "Stopped. Nothing was sent and your draft is deleted. You can start again at any time"
            " with /report."
        )
    )


_LAZY["CANCELLED"] = _cancelled


def _nothing_to_cancel() -> Rich:
    return rich(_("There is nothing to cancel. /report starts a report."))


_LAZY["NOTHING_TO_CANCEL"] = _nothing_to_cancel


def _too_long() -> Rich:
    return rich(
        _(
            "That message is too long for me to take in one piece. Could you send it in a few"
            " shorter messages? Nothing was changed."
        )
    )


_LAZY["TOO_LONG"] = _too_long


def _forward_kept() -> Rich:
    return rich(
        _(
            "I've kept that forwarded message with what happened, marked as forwarded so nobody"
            " takes it for your own words. Here is where we were:"
        )
    )


_LAZY["FORWARD_KEPT"] = _forward_kept


def _empty_message() -> Rich:
    return rich(_("I couldn't find any words in that message, so nothing was added."))


_LAZY["EMPTY_MESSAGE"] = _empty_message


def _file_not_kept() -> Rich:
    return rich(
        _("I can't keep a file here, so nothing was added. A few words about it are welcome.")
    )


_LAZY["FILE_NOT_KEPT"] = _file_not_kept


def corrected_in_draft(title: str) -> Rich:
    return rich(
        _(
            "I've changed that in your report ({title}). The safety team will see what you first"
            " wrote and your correction."
        ).format(title=_(title))
    )


def corrected_in_case(code: str) -> Rich:
    return fill(
        _(
            "I've added your correction to {code}. The safety team sees what you first wrote and"
            " your correction."
        ),
        code=bold(code),
    )


def correction_too_late(code: str) -> Rich:
    return fill(
        _("{code} is closed, so your change was not added. /report starts a new one."),
        code=bold(code),
    )


def _for_the_team() -> Rich:
    return rich(_("That is for the safety team. /report starts a report of your own."))


_LAZY["FOR_THE_TEAM"] = _for_the_team


def _stale_button() -> Rich:
    return rich(_("That button belongs to an earlier message, so I did nothing with it."))


_LAZY["STALE_BUTTON"] = _stale_button


def _not_your_button() -> Rich:
    return rich(_("That button isn't for you, so I did nothing with it."))


_LAZY["NOT_YOUR_BUTTON"] = _not_your_button


def channel_commands(names: list[str]) -> Rich:
    """What a member hears for any other command in the team channel."""
    listed = (
        _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])
        if len(names) > 1
        else "".join(names)
    )
    return rich(
        _(
            "In this channel I answer {commands}. Case work happens in a private chat with me."
        ).format(commands=listed)
    )


def ids(chat_id: str, user_id: str) -> Rich:
    """/id's answer, for filling in the team file: the ids and nothing else."""
    return rich(
        _("This chat's id: {chat_id}\nYour user id: {user_id}").format(
            chat_id=chat_id, user_id=user_id
        )
    )


def unknown_command(name: str) -> Rich:
    return fill(_("I don't know the command {name}. /help shows what I can do."), name=name)


# -- when the bot cannot store what it is sent (bot/runtime/storage_alarm.py)
# --------------------------


def not_saved(info: str) -> Rich:
    """To a person whose message could not be stored: nothing reached the team; what to do."""
    return lines(
        _(
            "I couldn't save that, so the safety team has not seen it. Please try again in a few"
            " minutes."
        ),
        bold(_("If you need help now:")),
        info or _("Call local emergency services."),
    )


STORAGE_TROUBLE_REASONS = {
    "busy": N_("another program has kept its database locked for over a minute"),
    "full": N_("the disk is full"),
    "io": N_("writing to the disk fails"),
    "readonly": N_("its database file is read-only"),
    "corrupt": N_("its database file is damaged"),
    "cantopen": N_("its database file cannot be opened"),
}


def storage_trouble(kind: str) -> Rich:
    """To the leads: the bot cannot store anything, why, and what people are told meanwhile."""
    reason = _(STORAGE_TROUBLE_REASONS.get(kind, N_("its database fails")))
    return lines(
        bold(_("The bot cannot save anything right now:")),
        _(
            "{reason}. Reports and button presses are not taken; people who write are told to"
            " try again or to use the emergency contacts. The bot's log on its server has the"
            " details."
        ).format(reason=reason[:1].upper() + reason[1:]),
    )


def _storage_recovered() -> Rich:
    return rich(_("The bot can save again: reports are taken as usual."))


_LAZY["STORAGE_RECOVERED"] = _storage_recovered

# shown in Slack's report form, which stays open with the answers in it
NOT_SAVED_FORM = N_("I couldn't save this just now. Please try again in a few minutes.")
