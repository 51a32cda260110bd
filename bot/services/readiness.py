"""The readiness check (issue 17): can every page reach its person before a real report comes?

Findings come from three places (bot/domain/readiness.py): the team-file lint
(bot/config/team_lint.py), each platform's probe (``ReadinessProbe``, bot/ports/platform.py) and
the store (who is marked unreachable, messages stuck in the outbox). ``/ready`` and ``fsbot
doctor`` show them all; from ``event_start`` minus :data:`NOTE_DAYS` days until the event starts,
the leads get a daily private note listing the people who still cannot be paged, with the step
each must take (timer :data:`NOTE_TIMER`, planned at start, one per day by its key).

A probe's word on a person is recorded like a bounced page (bot/services/reachability.py): a
member who cannot be messaged is marked unreachable, so escalation moves past them at once, and
one who can is marked reachable again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from bot.config.team_lint import lint
from bot.config.teamfile import External, Member
from bot.domain import readiness as r
from bot.domain.readiness import Asked, Finding, unique
from bot.domain.team import CONSOLE, Team
from bot.ports.platform import Contact, ReadinessProbe
from bot.ports.store import TimerRow
from bot.text import readiness_reports as reports
from bot.text.richtext import rich
from bot.uow import UnitOfWork

log = logging.getLogger(__name__)

NOTE_TIMER = "ready.note"
NOTE_DAYS = 3
PROBE_TIMEOUT = 30.0  # seconds one platform's probe may take
PAGED_ROLES = frozenset({"safety_contact", "lead"})
_UNREACHABLE_KINDS = frozenset({r.NOT_STARTED, r.CANNOT_DM})


def contacts(team: Team, platform: str) -> list[Contact]:
    """Everyone a page may go to on ``platform``: safety contacts, leads, external contacts."""
    found = [
        Contact(member.id, address.chat_id)
        for member in team.members
        if PAGED_ROLES.intersection(member.roles)
        for address in team.addresses_for(member)
        if address.platform == platform
    ]
    found += [
        Contact(external.id, address.chat_id, external=True)
        for external in team.config.external
        for address in team.addresses_for(external)
        if address.platform == platform
    ]
    return found


def channel_id(team: Team, platform: str) -> str | None:
    """The team channel's id on ``platform`` (where it is now), or None."""
    return next((a.chat_id for a in team.channel_addresses() if a.platform == platform), None)


def names(team: Team) -> dict[str, str]:
    """Member and external ids -> the names the team file gives them (for the words)."""
    found = {external.id: external.name for external in team.config.external}
    found.update({member.id: member.name for member in team.members})
    return found


async def probe_all(team: Team, probes: Mapping[str, ReadinessProbe]) -> Asked:
    """Every running platform's probe, one after another, each within :data:`PROBE_TIMEOUT`;
    the bot's name on each is kept in ``team.bot_names`` for the words."""
    found: list[Finding] = []
    for platform, probe in probes.items():
        try:
            async with asyncio.timeout(PROBE_TIMEOUT):
                probed = await probe.probe(channel_id(team, platform), contacts(team, platform))
        except TimeoutError:
            found.append(Finding(r.PROBE_FAILED, "", platform))
            continue
        if probed.bot_name:
            team.bot_names[platform] = probed.bot_name
        found.extend(probed.findings)
    return Asked(found, list(probes))


def from_store(team: Team, unreachable: set[tuple[str, str]]) -> list[Finding]:
    """A finding for each safety contact, lead or external contact marked unreachable."""
    found: list[Finding] = []
    people: list[Member | External] = [m for m in team.members if PAGED_ROLES.intersection(m.roles)]
    for person in [*people, *team.config.external]:
        for address in team.addresses_for(person):
            if (address.platform, address.chat_id) in unreachable:
                found.append(Finding(r.MARKED_UNREACHABLE, person.id, address.platform, True))
    return found


def team_findings(team: Team) -> list[Finding]:
    """The lint of the team file, for the platforms the bot runs on."""
    return lint(team.config, [p for p in team.platforms if p != CONSOLE])


def combine(*parts: Sequence[Finding]) -> list[Finding]:
    """All findings once; a bounce the store remembers is left out when a probe has just said
    the same of the same person."""
    everything = [f for part in parts for f in part]
    probed = {(f.subject, f.platform) for f in everything if f.kind in _UNREACHABLE_KINDS}
    return unique(
        f
        for f in everything
        if not (f.kind == r.MARKED_UNREACHABLE and (f.subject, f.platform) in probed)
    )


async def record(uow: UnitOfWork, asked: Asked) -> None:
    """What the probes said about members: unreachable ones are marked, the others (on a
    platform asked, with no finding) marked reachable again."""
    probed, platforms = asked.findings, asked.platforms
    marked = await uow.tx.unreachable()
    failed = {(f.subject, f.platform) for f in probed if f.kind == r.PROBE_FAILED}
    failed_platforms = {f.platform for f in probed if f.kind == r.CREDENTIALS or not f.subject}
    bad = {(f.subject, f.platform) for f in probed if f.kind in _UNREACHABLE_KINDS}
    for platform in platforms:
        if platform in failed_platforms:
            continue
        for contact in contacts(uow.team, platform):
            key = (platform, contact.chat_id)
            if contact.external or (contact.who, platform) in failed:
                continue
            if (contact.who, platform) in bad and key not in marked:
                await uow.tx.mark_unreachable(platform, contact.chat_id, uow.now)
            elif (contact.who, platform) not in bad and key in marked:
                await uow.tx.mark_reachable(platform, contact.chat_id)


async def check(uow: UnitOfWork, asked: Asked) -> list[Finding]:
    """Record what the probes said, then every finding: the team file's, the probes', the
    store's (marked unreachable, stuck messages)."""
    await record(uow, asked)
    stored = from_store(uow.team, await uow.tx.unreachable())
    stuck = await uow.tx.stuck_outbox(uow.now - timedelta(seconds=r.STUCK_AFTER_SECONDS))
    if stuck:
        stored.append(Finding(r.OUTBOX_STUCK, blocking=True, facts={"count": stuck}))
    return combine(team_findings(uow.team), asked.findings, stored)


# -- the daily note before the event ---------------------------------------------------------


def note_times(team: Team) -> list[datetime]:
    """When the daily notes are due (UTC): the event's start time of day, on each of the
    :data:`NOTE_DAYS` days before it."""
    start = team.config.team.event_start
    if start is None:
        return []
    return [team.config.to_utc(start - timedelta(days=n)) for n in range(NOTE_DAYS, 0, -1)]


def probe_times(team: Team, now: datetime, before: timedelta) -> list[datetime]:
    """When the running bot asks the platforms (UTC): ``now`` if the notes have begun (the first
    is past) and the event has not started, then ``before`` each note still to come."""
    due = note_times(team)
    if not due:
        return []
    times = [now] if due[0] <= now < team.config.to_utc(team.config.team.event_start or now) else []
    times += [max(now, moment - before) for moment in due if moment > now]
    return times


async def plan(uow: UnitOfWork) -> None:
    """Arm the notes still to come (idempotent: one timer per note, by its key)."""
    for due in note_times(uow.team):
        if due > uow.now:
            key = f"ready-note:{due.isoformat()}"
            await uow.tx.add_timer(due, NOTE_TIMER, None, {}, 0, key=key)


async def on_note(uow: UnitOfWork, timer: TimerRow) -> None:
    """Send each lead the note: who cannot be paged yet, as the team file and the store know
    (the app probes the platforms a few minutes before, see bot/main/app.py)."""
    stored = from_store(uow.team, await uow.tx.unreachable())
    findings = combine(team_findings(uow.team), stored)
    known, bots = names(uow.team), uow.team.bot_names
    for lead in uow.team.with_role("lead"):  # each in their own language
        await uow.send_member(lead, lambda: rich(reports.daily_note(findings, known, bots)))
