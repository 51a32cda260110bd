"""The readiness check in words: each finding (bot/domain/readiness.py) as what is wrong and what
to do about it.

Three audiences: the operator's terminal and a lead's private chat get every problem, with the
team file's member names (``fsbot doctor``, ``/ready``); the team channel gets counts of kinds
only, no names; the leads' daily note before the event lists the people who cannot be paged yet,
with the one step each must take. Never a token, never a platform user id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.domain import readiness as r
from bot.domain.readiness import Finding
from bot.text.reader import N_, _, ngettext
from bot.text.views import either

Names = Mapping[str, str]
"""Member or external id -> the name the team file gives them."""
BotNames = Mapping[str, str]
"""Platform -> how people find the bot there (``@fsb_bot`` on Telegram), when known."""

PLATFORM_NAMES = {"telegram": "Telegram", "slack": "Slack", "console": N_("the console")}


def _platform(name: str) -> str:
    return _(PLATFORM_NAMES[name]) if name in PLATFORM_NAMES else (name or _("the platform"))


def _platforms(f: Finding) -> str:
    listed = str(f.facts.get("platforms", ""))
    return either([_platform(p) for p in listed.split()], _("platform"))


def _who(f: Finding, names: Names) -> str:
    if f.subject == "channel":
        return _("the team channel on {platform}").format(platform=_platform(f.platform))
    return names.get(f.subject, f.subject) or _("someone")


def _bot(f: Finding, bots: BotNames) -> str:
    return bots.get(f.platform) or _("the bot")


Words = Callable[[Finding, Names, BotNames], tuple[str, str]]


def _placeholder(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    where = f.facts.get("where", "")
    return (
        _("{where}: the {platform} id of {who} is still the example from `fsbot init`.").format(
            where=where, platform=_platform(f.platform), who=_who(f, n)
        ),
        _("Put in the real id: send /id in the team channel to see it.")
        if f.subject == "channel"
        else _("Put in the real id: they can send /id to the bot in a private chat to see it."),
    )


def _no_platform_id(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("{who} has no {platforms} id, so they are never paged.").format(
            who=_who(f, n), platforms=_platforms(f)
        ),
        _("Add their id to {where} in the team file.").format(
            where=f.facts.get("where") or _("their entry")
        ),
    )


def _positive_group(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _(
            "channels.telegram is {value}, a positive number; Telegram group ids are negative."
        ).format(value=f.facts.get("value")),
        _("Send /id in the team group and copy the chat id it shows, with its minus sign."),
    )


def _slack_name(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("channels.slack is {value}, a channel name; the bot needs its id.").format(
            value=f.facts.get("value")
        ),
        _('Send /safety id in the channel, or copy the id from the channel\'s details ("C...").'),
    )


def _outside(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("{where}: a shift of {who} ({start} to {end}) is outside the event's dates.").format(
            where=f.facts.get("where"),
            who=_who(f, n),
            start=f.facts.get("start"),
            end=f.facts.get("end"),
        ),
        _("Check the shift's date, or the event's start and end in [team]."),
    )


def _missing_start(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _(
            "{where}: {who}'s shift starts at {start}, a time the clocks skip that night, so it"
            " would start an hour off."
        ).format(where=f.facts.get("where"), who=_who(f, n), start=f.facts.get("start")),
        _("Start it at a time that exists, such as the hour after."),
    )


def _gap(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _(
            "Nobody is on the rota from {start} to {end}; reports then go straight to the next"
            " escalation step."
        ).format(start=f.facts.get("start"), end=f.facts.get("end")),
        _("Add a shift there, or make sure the next step reaches someone awake."),
    )


def _overlap(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("{where} ({who}) and {other} are both primary at the same time.").format(
            where=f.facts.get("where"), who=_who(f, n), other=f.facts.get("other")
        ),
        _('Make one of them level = "secondary", or move a shift.'),
    )


def _no_lead_in_chain(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("The escalation chain never reaches a lead: a report nobody takes stops there."),
        _('Add "leads" to a step in [escalation].'),
    )


def _no_lead(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("Nobody on the team has the lead role."),
        _('Give at least one member roles = [..., "lead"].'),
    )


def _no_key(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("FSB_ENCRYPTION_KEY is not set, so the bot will not start."),
        _("Run `fsbot init` to create one in .env, or set the key the database was made with."),
    )


def _no_platform(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("No platform token is set, so `fsbot run` will not start (only `fsbot run --console`)."),
        _("Set FSB_TELEGRAM_TOKEN or FSB_SLACK_BOT_TOKEN (in .env or the environment)."),
    )


def _channel_without_token(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    token = "FSB_TELEGRAM_TOKEN" if f.platform == "telegram" else "FSB_SLACK_BOT_TOKEN"
    return (
        _("The team file names a {platform} team channel, but {token} is not set.").format(
            platform=_platform(f.platform), token=token
        ),
        _("Set {token}, or take channels.{platform} out of the team file.").format(
            token=token, platform=f.platform
        ),
    )


def _credentials(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("{platform}: {why}").format(
            platform=_platform(f.platform), why=f.facts.get("why") or _("the token does not work")
        ),
        _("Check the token and the API address in the FSB_ settings."),
    )


def _privacy_off(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("Telegram privacy mode is off: the bot receives every message in the team group."),
        _(
            "In @BotFather: /setprivacy, choose the bot, Enable; then remove the bot from the"
            " group and add it again."
        ),
    )


def _cannot_post(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    if f.platform == "slack":
        todo = _("Invite the bot to the channel: /invite {bot} there.").format(bot=_bot(f, b))
    else:
        todo = _("Add the bot to the team group and let members send messages.")
    return (_("The bot cannot post in {where}.").format(where=_who(f, n)), todo)


def _not_started(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _(
            "{who} cannot be paged on Telegram: they have not started the bot, or blocked it."
        ).format(who=_who(f, n)),
        _start_step(f, n, b),
    )


def _cannot_dm(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("{who} cannot be sent a direct message on Slack.").format(who=_who(f, n)),
        _("Check {who}'s Slack id in the team file, and that they are in the workspace.").format(
            who=_who(f, n)
        ),
    )


def _contact_unreachable(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("The outside contact {who} cannot be reached on {platform}.").format(
            who=_who(f, n), platform=_platform(f.platform)
        ),
        _(
            "Ask them to open a chat with {bot} (or add the bot to their channel), or fix their id."
        ).format(bot=_bot(f, b)),
    )


def _email(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    who = ", ".join(n.get(i, i) for i in str(f.facts.get("who", "")).split()) or _(
        "outside contacts"
    )
    return (
        _("E-mail to {who} cannot be sent: {why}.").format(who=who, why=f.facts.get("why")),
        _("Set the FSB_SMTP_ settings (see README), then run the check again."),
    )


def _probe_failed(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("Could not check {who} on {platform}: no answer in time.").format(
            who=_who(f, n), platform=_platform(f.platform)
        ),
        _("Run the check again in a minute."),
    )


def _marked_unreachable(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _(
            "A message to {who} on {platform} bounced, so escalation skips them until they write"
            " to the bot."
        ).format(who=_who(f, n), platform=_platform(f.platform)),
        _start_step(f, n, b),
    )


def _start_step(f: Finding, n: Names, b: BotNames) -> str:
    if f.platform == "telegram":
        return _("{who}: open a chat with {bot} and press Start.").format(
            who=_who(f, n), bot=_bot(f, b)
        )
    return _("{who}: open a direct message with {bot} and send any message.").format(
        who=_who(f, n), bot=_bot(f, b)
    )


def _wrong_key(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("The encryption key is not the database's current key; the bot will not start."),
        _("Set FSB_ENCRYPTION_KEY to the database's current key."),
    )


def _no_database(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("There is no database at {path} yet.").format(path=f.facts.get("path")),
        _("Nothing to do: `fsbot run` creates it. If the bot has run before, check FSB_DATABASE."),
    )


def _database_fault(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("The database cannot be used: {why}").format(why=f.facts.get("why")),
        _("See the message above."),
    )


def _pending(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("The database is {behind} update(s) behind this version of fsbot.").format(
            behind=f.facts.get("behind")
        ),
        _("Restart the bot: `fsbot run` applies them as it starts."),
    )


def _newer(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        _("The database was written by a newer fsbot than this one."),
        _("Run the newer fsbot, or upgrade this one."),
    )


def _stuck(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    count = int(f.facts.get("count", 0))
    return (
        ngettext(
            "{count} message has waited more than a minute to be sent.",
            "{count} messages have waited more than a minute to be sent.",
            count,
        ).format(count=count),
        _("Check that the bot is running and its platforms answer (see the problems above)."),
    )


WORDS: dict[str, Words] = {
    r.PLACEHOLDER_ID: _placeholder,
    r.NO_PLATFORM_ID: _no_platform_id,
    r.POSITIVE_GROUP_ID: _positive_group,
    r.SLACK_CHANNEL_NAME: _slack_name,
    r.SHIFT_OUTSIDE_EVENT: _outside,
    r.SHIFT_START_MISSING: _missing_start,
    r.ROTA_GAP: _gap,
    r.ROTA_OVERLAP: _overlap,
    r.NO_LEAD_IN_CHAIN: _no_lead_in_chain,
    r.NO_LEAD: _no_lead,
    r.NO_KEY: _no_key,
    r.NO_PLATFORM: _no_platform,
    r.CHANNEL_WITHOUT_TOKEN: _channel_without_token,
    r.CREDENTIALS: _credentials,
    r.PRIVACY_MODE_OFF: _privacy_off,
    r.CANNOT_POST: _cannot_post,
    r.NOT_STARTED: _not_started,
    r.CANNOT_DM: _cannot_dm,
    r.CONTACT_UNREACHABLE: _contact_unreachable,
    r.EMAIL_UNREACHABLE: _email,
    r.PROBE_FAILED: _probe_failed,
    r.MARKED_UNREACHABLE: _marked_unreachable,
    r.WRONG_KEY: _wrong_key,
    r.NO_DATABASE: _no_database,
    r.DATABASE_FAULT: _database_fault,
    r.MIGRATIONS_PENDING: _pending,
    r.DATABASE_NEWER: _newer,
    r.OUTBOX_STUCK: _stuck,
}

# For the team channel: what a kind is, with no one in it.
KIND_NAMES: dict[str, str] = {
    r.PLACEHOLDER_ID: N_("example ids left in the team file"),
    r.NO_PLATFORM_ID: N_("people with no platform id"),
    r.POSITIVE_GROUP_ID: N_("a Telegram group id that is not a group's"),
    r.SLACK_CHANNEL_NAME: N_("a Slack channel given by name"),
    r.SHIFT_OUTSIDE_EVENT: N_("shifts outside the event"),
    r.SHIFT_START_MISSING: N_("shifts starting at a time the clocks skip"),
    r.ROTA_GAP: N_("gaps in the rota"),
    r.ROTA_OVERLAP: N_("two primaries at once"),
    r.NO_LEAD_IN_CHAIN: N_("an escalation chain with no lead"),
    r.NO_LEAD: N_("no lead"),
    r.CREDENTIALS: N_("a platform token that does not work"),
    r.PRIVACY_MODE_OFF: N_("Telegram privacy mode off"),
    r.CANNOT_POST: N_("the bot cannot post in the team channel"),
    r.NOT_STARTED: N_("people who have not started the bot"),
    r.CANNOT_DM: N_("people the bot cannot message"),
    r.CONTACT_UNREACHABLE: N_("outside contacts the bot cannot reach"),
    r.EMAIL_UNREACHABLE: N_("outside contacts e-mail cannot reach"),
    r.PROBE_FAILED: N_("checks with no answer"),
    r.MARKED_UNREACHABLE: N_("people whose pages bounced"),
    r.OUTBOX_STUCK: N_("messages waiting over a minute"),
}


def explain(f: Finding, names: Names, bots: BotNames | None = None) -> tuple[str, str]:
    """(what is wrong, what to do) for one finding."""
    words = WORDS.get(f.kind)
    if words is None:  # a kind added without words: still say something true
        return (
            _("Problem: {kind}.").format(kind=f.kind),
            _("Run `fsbot doctor` for details."),
        )
    return words(f, names, bots or {})


def warning(f: Finding, names: Names) -> str:
    """One ``fsbot check-config`` warning line, with what to do."""
    problem, todo = explain(f, names)
    return f"warning: {problem} {todo}"


READY_NOT_A_LEAD = N_("Only a lead can run the readiness check.")
