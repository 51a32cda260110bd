"""The readiness check in words: each finding (bot/domain/readiness.py) as what is wrong and what
to do about it.

Three audiences: the operator's terminal and a lead's private chat get every problem, with the
team file's member names (``fsbot doctor``, ``/ready``); the team channel gets counts of kinds
only, no names; the leads' daily note before the event lists the people who cannot be paged yet,
with the one step each must take. Never a token, never a platform user id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bot.domain import readiness as r
from bot.domain.readiness import Finding

Names = Mapping[str, str]
"""Member or external id -> the name the team file gives them."""
BotNames = Mapping[str, str]
"""Platform -> how people find the bot there (``@fsb_bot`` on Telegram), when known."""

PLATFORM_NAMES = {"telegram": "Telegram", "slack": "Slack", "console": "the console"}


def _platform(name: str) -> str:
    return PLATFORM_NAMES.get(name, name or "the platform")


def _platforms(f: Finding) -> str:
    listed = str(f.facts.get("platforms", ""))
    return " or ".join(_platform(p) for p in listed.split()) if listed else "platform"


def _who(f: Finding, names: Names) -> str:
    if f.subject == "channel":
        return f"the team channel on {_platform(f.platform)}"
    return names.get(f.subject, f.subject) or "someone"


def _bot(f: Finding, bots: BotNames) -> str:
    return bots.get(f.platform) or "the bot"


Words = Callable[[Finding, Names, BotNames], tuple[str, str]]


def _placeholder(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    where = f.facts.get("where", "")
    return (
        f"{where}: the {_platform(f.platform)} id of {_who(f, n)} is still the example from"
        " `fsbot init`.",
        "Put in the real id: send /id in the team channel to see it."
        if f.subject == "channel"
        else "Put in the real id: they can send /id to the bot in a private chat to see it.",
    )


def _no_platform_id(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"{_who(f, n)} has no {_platforms(f)} id, so they are never paged.",
        f"Add their id to {f.facts.get('where', 'their entry')} in the team file.",
    )


def _positive_group(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"channels.telegram is {f.facts.get('value')}, a positive number; Telegram group ids"
        " are negative.",
        "Send /id in the team group and copy the chat id it shows, with its minus sign.",
    )


def _slack_name(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"channels.slack is {f.facts.get('value')!s}, a channel name; the bot needs its id.",
        'Send /safety id in the channel, or copy the id from the channel\'s details ("C...").',
    )


def _outside(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"{f.facts.get('where')}: a shift of {_who(f, n)} ({f.facts.get('start')} to"
        f" {f.facts.get('end')}) is outside the event's dates.",
        "Check the shift's date, or the event's start and end in [team].",
    )


def _missing_start(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"{f.facts.get('where')}: {_who(f, n)}'s shift starts at {f.facts.get('start')}, a"
        " time the clocks skip that night, so it would start an hour off.",
        "Start it at a time that exists, such as the hour after.",
    )


def _gap(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"Nobody is on the rota from {f.facts.get('start')} to {f.facts.get('end')}; reports"
        " then go straight to the next escalation step.",
        "Add a shift there, or make sure the next step reaches someone awake.",
    )


def _overlap(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"{f.facts.get('where')} ({_who(f, n)}) and {f.facts.get('other')} are both primary"
        " at the same time.",
        'Make one of them level = "secondary", or move a shift.',
    )


def _no_lead_in_chain(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        "The escalation chain never reaches a lead: a report nobody takes stops there.",
        'Add "leads" to a step in [escalation].',
    )


def _no_lead(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        "Nobody on the team has the lead role.",
        'Give at least one member roles = [..., "lead"].',
    )


def _no_key(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        "FSB_ENCRYPTION_KEY is not set, so the bot will not start.",
        "Run `fsbot init` to create one in .env, or set the key the database was made with.",
    )


def _no_platform(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        "No platform token is set, so `fsbot run` will not start (only `fsbot run --console`).",
        "Set FSB_TELEGRAM_TOKEN or FSB_SLACK_BOT_TOKEN (in .env or the environment).",
    )


def _channel_without_token(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    token = "FSB_TELEGRAM_TOKEN" if f.platform == "telegram" else "FSB_SLACK_BOT_TOKEN"
    return (
        f"The team file names a {_platform(f.platform)} team channel, but {token} is not set.",
        f"Set {token}, or take channels.{f.platform} out of the team file.",
    )


def _credentials(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"{_platform(f.platform)}: {f.facts.get('why', 'the token does not work')}",
        "Check the token and the API address in the FSB_ settings.",
    )


def _privacy_off(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        "Telegram privacy mode is off: the bot receives every message in the team group.",
        "In @BotFather: /setprivacy, choose the bot, Enable; then remove the bot from the"
        " group and add it again.",
    )


def _cannot_post(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    if f.platform == "slack":
        todo = f"Invite the bot to the channel: /invite {_bot(f, b)} there."
    else:
        todo = "Add the bot to the team group and let members send messages."
    return (f"The bot cannot post in {_who(f, n)}.", todo)


def _not_started(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"{_who(f, n)} cannot be paged on Telegram: they have not started the bot, or blocked it.",
        _start_step(f, n, b),
    )


def _cannot_dm(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"{_who(f, n)} cannot be sent a direct message on Slack.",
        f"Check {_who(f, n)}'s Slack id in the team file, and that they are in the workspace.",
    )


def _contact_unreachable(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"The outside contact {_who(f, n)} cannot be reached on {_platform(f.platform)}.",
        f"Ask them to open a chat with {_bot(f, b)} (or add the bot to their channel), or fix"
        " their id.",
    )


def _email(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    who = ", ".join(n.get(i, i) for i in str(f.facts.get("who", "")).split()) or "outside contacts"
    return (
        f"E-mail to {who} cannot be sent: {f.facts.get('why')}.",
        "Set the FSB_SMTP_ settings (see README), then run the check again.",
    )


def _probe_failed(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"Could not check {_who(f, n)} on {_platform(f.platform)}: no answer in time.",
        "Run the check again in a minute.",
    )


def _marked_unreachable(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"A message to {_who(f, n)} on {_platform(f.platform)} bounced, so escalation skips"
        " them until they write to the bot.",
        _start_step(f, n, b),
    )


def _start_step(f: Finding, n: Names, b: BotNames) -> str:
    if f.platform == "telegram":
        return f"{_who(f, n)}: open a chat with {_bot(f, b)} and press Start."
    return f"{_who(f, n)}: open a direct message with {_bot(f, b)} and send any message."


def _wrong_key(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        "The encryption key is not the database's current key; the bot will not start.",
        "Set FSB_ENCRYPTION_KEY to the database's current key.",
    )


def _no_database(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"There is no database at {f.facts.get('path')} yet.",
        "Nothing to do: `fsbot run` creates it. If the bot has run before, check FSB_DATABASE.",
    )


def _database_fault(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (f"The database cannot be used: {f.facts.get('why')}", "See the message above.")


def _pending(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        f"The database is {f.facts.get('behind')} update(s) behind this version of fsbot.",
        "Restart the bot: `fsbot run` applies them as it starts.",
    )


def _newer(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    return (
        "The database was written by a newer fsbot than this one.",
        "Run the newer fsbot, or upgrade this one.",
    )


def _stuck(f: Finding, n: Names, b: BotNames) -> tuple[str, str]:
    count = int(f.facts.get("count", 0))
    messages = "1 message has" if count == 1 else f"{count} messages have"
    return (
        f"{messages} waited more than a minute to be sent.",
        "Check that the bot is running and its platforms answer (see the problems above).",
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
    r.PLACEHOLDER_ID: "example ids left in the team file",
    r.NO_PLATFORM_ID: "people with no platform id",
    r.POSITIVE_GROUP_ID: "a Telegram group id that is not a group's",
    r.SLACK_CHANNEL_NAME: "a Slack channel given by name",
    r.SHIFT_OUTSIDE_EVENT: "shifts outside the event",
    r.SHIFT_START_MISSING: "shifts starting at a time the clocks skip",
    r.ROTA_GAP: "gaps in the rota",
    r.ROTA_OVERLAP: "two primaries at once",
    r.NO_LEAD_IN_CHAIN: "an escalation chain with no lead",
    r.NO_LEAD: "no lead",
    r.CREDENTIALS: "a platform token that does not work",
    r.PRIVACY_MODE_OFF: "Telegram privacy mode off",
    r.CANNOT_POST: "the bot cannot post in the team channel",
    r.NOT_STARTED: "people who have not started the bot",
    r.CANNOT_DM: "people the bot cannot message",
    r.CONTACT_UNREACHABLE: "outside contacts the bot cannot reach",
    r.EMAIL_UNREACHABLE: "outside contacts e-mail cannot reach",
    r.PROBE_FAILED: "checks with no answer",
    r.MARKED_UNREACHABLE: "people whose pages bounced",
    r.OUTBOX_STUCK: "messages waiting over a minute",
}


def explain(f: Finding, names: Names, bots: BotNames | None = None) -> tuple[str, str]:
    """(what is wrong, what to do) for one finding."""
    words = WORDS.get(f.kind)
    if words is None:  # a kind added without words: still say something true
        return (f"Problem: {f.kind}.", "Run `fsbot doctor` for details.")
    return words(f, names, bots or {})


def full_report(findings: Sequence[Finding], names: Names, bots: BotNames | None = None) -> str:
    """Every problem with what to do, for the operator and a lead in a private chat."""
    if not findings:
        return "Ready: no problems found."
    count = len(findings)
    head = "1 problem:" if count == 1 else f"{count} problems:"
    out = [head]
    for f in findings:
        problem, todo = explain(f, names, bots)
        mark = "!" if f.blocking else "-"
        out.append(f"{mark} {problem}\n  To do: {todo}")
    if r.blocking(findings):
        out.append("! marks a problem that stops a page from reaching someone.")
    return "\n".join(out)


def channel_report(findings: Sequence[Finding]) -> str:
    """The team channel's version: how many problems of each kind, no names."""
    if not findings:
        return "Ready: no problems found."
    lines = ["Readiness check:"]
    for kind, count in r.counts(findings).items():
        lines.append(f"- {count} × {KIND_NAMES.get(kind, kind)}")
    lines.append("A lead can send /ready in a private chat with me for the details.")
    return "\n".join(lines)


def daily_note(findings: Sequence[Finding], names: Names, bots: BotNames | None = None) -> str:
    """The leads' daily note before the event: who cannot be paged yet, and each one's step."""
    people = [f for f in findings if f.about_person]
    if not people:
        return "Before the event: everyone on the team can be paged."
    out = ["Before the event: these people cannot be paged yet."]
    for f in people:
        _, todo = explain(f, names, bots)
        out.append(f"- {todo}")
    out.append("Send /ready for the full check.")
    return "\n".join(out)


def warning(f: Finding, names: Names) -> str:
    """One ``fsbot check-config`` warning line, with what to do."""
    problem, todo = explain(f, names)
    return f"warning: {problem} {todo}"


READY_NOT_A_LEAD = "Only a lead can run the readiness check."
