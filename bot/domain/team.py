"""The team as the running bot sees it: who is who on which platform, and who is on duty.

Built from the team file at start. Platform ids resolve to members here; anyone who does not resolve
is a participant. On the local console a member's id *is* their console name and the team channel
is called ``team``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from bot.config.teamfile import External, Member, TeamFile
from bot.domain.addresses import Address

CONSOLE = "console"
CONSOLE_CHANNEL = "team"
HANDLER_ROLES = frozenset({"safety_contact", "lead"})


@dataclass(frozen=True)
class Duty:
    member: Member
    level: str  # primary | secondary | ad hoc
    until: datetime | None  # None for an open-ended ad-hoc shift
    start: datetime | None = None


class Team:
    def __init__(self, config: TeamFile, platforms: list[str]) -> None:
        self.config = config
        self.platforms = list(platforms)
        self._members = {m.id: m for m in config.members}
        self._moved: dict[tuple[str, str], str] = {}  # (platform, old id) -> new id
        # platform -> the bot's name there as people find it ("@fsb_bot"), once a platform said
        self.bot_names: dict[str, str] = {}

    # -- who is who ---------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.config.team.name

    def member(self, member_id: str) -> Member | None:
        return self._members.get(member_id)

    def member_name(self, member_id: str | None) -> str:
        member = self._members.get(member_id or "")
        return member.name if member else "a former member"

    @property
    def members(self) -> list[Member]:
        return list(self.config.members)

    def member_for(self, platform: str, user_id: str) -> Member | None:
        for member in self.config.members:
            if user_id in self._platform_ids(member, platform):
                return member
        return None

    def is_handler(self, member: Member) -> bool:
        """Safety contacts and leads may take and see cases; organizers alone may not."""
        return bool(HANDLER_ROLES.intersection(member.roles))

    def handlers(self) -> list[Member]:
        return [m for m in self.config.members if self.is_handler(m)]

    def with_role(self, role: str) -> list[Member]:
        return [m for m in self.config.members if role in m.roles]

    # -- where to reach them ------------------------------------------------------------------
    def _platform_ids(self, member: Any, platform: str) -> list[str]:
        if platform == CONSOLE:
            return [member.id]
        value = getattr(member, platform, None)
        return [str(value)] if value is not None else []

    def addresses_for(self, member: Member | External) -> list[Address]:
        """Every private chat where the member can be reached on a running platform."""
        return [
            Address(platform, user_id)
            for platform in self.platforms
            for user_id in self._platform_ids(member, platform)
        ]

    def follow(self, platform: str, old: str, new: str) -> None:
        """The platform moved chat ``old`` to ``new`` (Telegram: a group upgraded to a
        supergroup). If the team file's channel is ``old``, or moved to it, it is ``new`` now;
        a team file that names another chat is not affected."""
        self._moved[(platform, old)] = new

    def _channel_ids(self, platform: str) -> list[str]:
        """The team channel's ids on ``platform``, oldest first: the team file's, then each id
        the platform moved it to. The last is where it is now."""
        if platform == CONSOLE:
            return [CONSOLE_CHANNEL]
        value = getattr(self.config.channels, platform, None)
        ids = [] if value is None else [str(value)]
        while ids and (platform, ids[-1]) in self._moved:
            moved_to = self._moved[(platform, ids[-1])]
            if moved_to in ids:  # a loop can only be a mistake: stay where we are
                break
            ids.append(moved_to)
        return ids

    def channel_addresses(self) -> list[Address]:
        """Where the team channel is now, on each running platform that has one."""
        return [
            Address(platform, ids[-1])
            for platform in self.platforms
            if (ids := self._channel_ids(platform))
        ]

    def is_team_channel(self, platform: str, chat_id: str) -> bool:
        """Whether a chat is the team channel: where it is now, or an id it had before (a
        message written there before a move can arrive after it)."""
        return platform in self.platforms and chat_id in self._channel_ids(platform)

    def identities(self) -> list[dict[str, Any]]:
        """Members with their platform ids, for the store's members table."""
        return [
            {
                "id": m.id,
                "name": m.name,
                "roles": list(m.roles),
                "position": m.position,
                "identities": [
                    (p, uid)
                    for p in ("telegram", "slack", CONSOLE)
                    for uid in self._platform_ids(m, p)
                ],
            }
            for m in self.config.members
        ]

    # -- duty ---------------------------------------------------------------------------------
    def scheduled_duty(self, now: datetime) -> list[Duty]:
        """Members whose rota shift covers ``now``: primaries first, then secondaries.

        Ad-hoc changes (/shift on|off) live in the store; :func:`bot.rota.on_duty` combines both.
        """
        found: list[Duty] = []
        for shift in self.config.rota:
            start = self.config.to_utc(shift.start)
            end = self.config.to_utc(shift.end)
            member = self._members.get(shift.member)
            if member is not None and start <= now < end:
                found.append(Duty(member, shift.level, end, start))
        found.sort(key=lambda duty: 0 if duty.level == "primary" else 1)
        unique: list[Duty] = []
        for duty in found:
            if all(d.member.id != duty.member.id for d in unique):
                unique.append(duty)
        return unique

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.config.tz)

    def next_at(self, after: datetime, at: time) -> datetime:
        """The first moment strictly after ``after`` when the team's clock shows ``at`` (in UTC):
        daily posts, the daily purge and tasks due "at 18:00" all mean the team's wall clock."""
        day = self.local(after).date()
        for offset in range(3):  # a DST change can skip a day's wall time, never two
            moment = self.config.to_utc(datetime.combine(day + timedelta(days=offset), at))
            if moment > after:
                return moment
        raise AssertionError(f"no {at} within three days")  # pragma: no cover
