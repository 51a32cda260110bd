"""The team-file lint: what passes the schema yet would surprise the team when a report arrives.

One set of pure checks on a loaded :class:`TeamFile`, used twice: ``fsbot check-config`` shows
them as warnings (the file still loads), ``fsbot doctor`` and ``/ready`` as problems beside the
platforms' and the database's (bot/domain/readiness.py). Each check returns
:class:`bot.domain.readiness.Finding` values; bot/text/readiness_words.py says what each means
and what to do about it.

The checks (issues 17 and 18): ids still as ``fsbot init`` wrote them (the starter file's own
ids, read from the template, so the two cannot drift); a safety contact or lead with no id on a
platform in use; a positive Telegram group id (groups are negative); a Slack channel written as
``#name``; shifts outside the event's dates; a shift starting at a local time a clock change
skips; stretches of the event with nobody on the rota, and two primaries at once; an escalation
chain that never reaches a lead.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config.team_fields import parse_notify_target
from bot.config.team_schema import External, Member, Shift, TeamFile
from bot.domain.readiness import (
    NO_LEAD,
    NO_LEAD_IN_CHAIN,
    NO_PLATFORM_ID,
    PLACEHOLDER_ID,
    POSITIVE_GROUP_ID,
    ROTA_GAP,
    ROTA_OVERLAP,
    SHIFT_OUTSIDE_EVENT,
    SHIFT_START_MISSING,
    SLACK_CHANNEL_NAME,
    Finding,
)

PLATFORMS = ("telegram", "slack")
PAGED_ROLES = frozenset({"safety_contact", "lead"})
SHORTEST_GAP = timedelta(minutes=1)  # shorter gaps are rounding, not a hole in the rota


@functools.cache
def starter_ids() -> frozenset[str]:
    """Every platform id written in the starter team file (``fsbot init``): members', external
    contacts' and the team channels'."""
    # Imported here: bot.config.teamfile imports this package's schema, not the lint.
    from bot.config.teamfile import parse_team_text, starter_team_text

    starter = parse_team_text(starter_team_text(), "team_template.toml")
    found: set[str] = set()
    for holder in [starter.channels, *starter.members, *starter.external]:
        for platform in PLATFORMS:
            value = getattr(holder, platform, None)
            if value is not None:
                found.add(str(value))
    return frozenset(found)


def platforms_in_use(config: TeamFile) -> list[str]:
    """The platforms the file mentions (a channel or anyone's id): those it means to run on,
    when the settings do not say."""
    holders = [config.channels, *config.members, *config.external]
    return [p for p in PLATFORMS if any(getattr(h, p, None) is not None for h in holders)]


def lint(config: TeamFile, platforms: Collection[str] | None = None) -> list[Finding]:
    """Every finding about ``config``, in file order by check.

    ``platforms``: those the bot runs on (from the settings); None means those the file
    mentions. With none at all (the local console) nobody needs a platform id.
    """
    used = list(platforms) if platforms is not None else platforms_in_use(config)
    return [
        *placeholder_ids(config),
        *missing_platform_ids(config, used),
        *channel_ids(config),
        *shifts_outside_event(config),
        *missing_local_starts(config),
        *rota_gaps(config),
        *rota_overlaps(config),
        *chain_without_lead(config),
    ]


def placeholder_ids(config: TeamFile) -> Iterator[Finding]:
    """Ids left as ``fsbot init`` wrote them: pages would go to nobody, or to a stranger."""
    starter = starter_ids()
    for platform in PLATFORMS:
        value = getattr(config.channels, platform)
        if value is not None and str(value) in starter:
            where = f"channels.{platform}"
            yield Finding(PLACEHOLDER_ID, "channel", platform, True, {"where": where})
    holders: list[tuple[str, int, Member | External]] = [
        *(("members", i, m) for i, m in enumerate(config.members)),
        *(("external", i, e) for i, e in enumerate(config.external)),
    ]
    for table, i, holder in holders:
        for platform in PLATFORMS:
            value = getattr(holder, platform)
            if value is not None and str(value) in starter:
                where = f"{table}[{i}].{platform}"
                yield Finding(PLACEHOLDER_ID, holder.id, platform, True, {"where": where})


def missing_platform_ids(config: TeamFile, platforms: Collection[str]) -> Iterator[Finding]:
    """A safety contact or lead with no id on any platform the bot runs on: never paged."""
    wanted = [p for p in platforms if p in PLATFORMS]
    if not wanted:
        return
    for i, member in enumerate(config.members):
        if PAGED_ROLES.intersection(member.roles) and all(
            getattr(member, p) is None for p in wanted
        ):
            facts = {"where": f"members[{i}]", "platforms": " ".join(wanted)}
            yield Finding(NO_PLATFORM_ID, member.id, "", True, facts)


def channel_ids(config: TeamFile) -> Iterator[Finding]:
    """A Telegram group id that is positive (a person's id, not a group's) or a Slack channel
    given by its ``#name``: the team channel would hear nothing."""
    telegram = config.channels.telegram
    if telegram is not None and telegram > 0:
        facts = {"where": "channels.telegram", "value": telegram}
        yield Finding(POSITIVE_GROUP_ID, "channel", "telegram", False, facts)
    slack = config.channels.slack
    if slack is not None and slack.strip().startswith("#"):
        facts = {"where": "channels.slack", "value": slack}
        yield Finding(SLACK_CHANNEL_NAME, "channel", "slack", False, facts)


def _event(config: TeamFile) -> tuple[datetime, datetime] | None:
    start, end = config.team.event_start, config.team.event_end
    if start is None or end is None:
        return None
    return config.to_utc(start), config.to_utc(end)


def _span(config: TeamFile, shift: Shift) -> tuple[datetime, datetime]:
    return config.to_utc(shift.start), config.to_utc(shift.end)


def shifts_outside_event(config: TeamFile) -> Iterator[Finding]:
    """A shift that starts before the event or ends after it (often a wrong month or year)."""
    event = _event(config)
    if event is None:
        return
    for i, shift in enumerate(config.rota):
        start, end = _span(config, shift)
        if start < event[0] or end > event[1]:
            facts = {"where": f"rota[{i}]", "start": _local(shift.start), "end": _local(shift.end)}
            yield Finding(SHIFT_OUTSIDE_EVENT, shift.member, "", False, facts)


def skipped_local_time(local: datetime, zone: ZoneInfo) -> bool:
    """Whether the wall clock never shows ``local`` (naive) in ``zone``: a time inside the hour
    a clock change skips (02:30 on a spring-forward night in Europe)."""
    aware = local.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return back != local


def missing_local_starts(config: TeamFile) -> Iterator[Finding]:
    """A shift starting at a local time that does not exist: it would start an hour off."""
    zone = config.team.tz
    for i, shift in enumerate(config.rota):
        if skipped_local_time(shift.start, zone):
            facts = {"where": f"rota[{i}]", "start": _local(shift.start)}
            yield Finding(SHIFT_START_MISSING, shift.member, "", False, facts)


def _local(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def rota_gaps(config: TeamFile) -> Iterator[Finding]:
    """Stretches of the event with nobody on the rota: the first escalation step ("on duty")
    finds nobody and is skipped."""
    event = _event(config)
    if event is None:
        return
    spans = sorted(_span(config, s) for s in config.rota)
    covered_until = event[0]
    zone = config.team.tz
    for start, end in [*spans, (event[1], event[1])]:
        start = max(start, event[0])
        if start > event[1]:
            start = event[1]
        if start - covered_until >= SHORTEST_GAP:
            facts = {
                "start": _local(covered_until.astimezone(zone).replace(tzinfo=None)),
                "end": _local(start.astimezone(zone).replace(tzinfo=None)),
            }
            yield Finding(ROTA_GAP, "", "", False, facts)
        covered_until = max(covered_until, min(end, event[1]))


def rota_overlaps(config: TeamFile) -> Iterator[Finding]:
    """Two primary shifts of different people at once inside the event: who is paged first is
    then a matter of file order. (One person's own overlapping shifts are a schema error.)"""
    event = _event(config)
    primaries = sorted(
        (*_span(config, s), i) for i, s in enumerate(config.rota) if s.level == "primary"
    )
    for n, (_start, end, i) in enumerate(primaries):
        for other_start, other_end, j in primaries[n + 1 :]:
            if other_start >= end:
                break
            if config.rota[i].member == config.rota[j].member:
                continue
            if event is not None and (other_start >= event[1] or min(end, other_end) <= event[0]):
                continue
            facts = {"where": f"rota[{j}]", "other": f"rota[{i}]"}
            yield Finding(ROTA_OVERLAP, config.rota[j].member, "", False, facts)


def chain_without_lead(config: TeamFile) -> Iterator[Finding]:
    """An escalation chain that never notifies a lead: a report nobody takes stays with the
    people who did not answer."""
    leads = {m.id for m in config.members if "lead" in m.roles}
    if not leads:
        yield Finding(NO_LEAD)
        return
    lead_is_contact = any("safety_contact" in m.roles for m in config.members if m.id in leads)
    for step in config.escalation.steps:
        for target in step.notify:
            kind, ident = parse_notify_target(target)
            if kind == "leads" or (kind == "member" and ident in leads):
                return
            if kind == "safety_contacts" and lead_is_contact:
                return
    yield Finding(NO_LEAD_IN_CHAIN, "", "", False, {"steps": len(config.escalation.steps)})
