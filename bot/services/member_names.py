"""The names a team member goes by: the team file's, and those the platforms show for them.

The team file gives a member's name, id and usernames. The platforms add more: a Telegram
``@username`` and full name, a Slack display name and real name. The adapter passes them with
each event (:attr:`bot.domain.PlatformUser.names`); :func:`record` keeps the new ones when a member
writes to the bot, so a report naming a member by any of them is a conflict of interest
(bot/services/conflicts.py) and a register entry naming them is hidden from them
(bot/services/people.py), after a
restart too. Nobody else's names are kept.
"""

from __future__ import annotations

from bot.config.teamfile import Member
from bot.domain.identifiers import identifier_key, name_keys
from bot.domain.model import PlatformUser
from bot.uow import UnitOfWork

MAX_NAME = 200  # characters of one recorded name


def from_team_file(member: Member) -> list[str]:
    """The member's name, id and usernames as the team file gives them."""
    return [member.name, member.id, *member.usernames]


async def names_of(uow: UnitOfWork, member: Member) -> list[str]:
    """Every name ``member`` may be named by: the team file's and those recorded from platforms."""
    seen = await uow.tx.member_names()
    return [*from_team_file(member), *seen.get(member.id, [])]


async def everyone(uow: UnitOfWork) -> dict[str, list[str]]:
    """:func:`names_of` for each member of the team, by member id (one read of the store)."""
    seen = await uow.tx.member_names()
    return {m.id: [*from_team_file(m), *seen.get(m.id, [])] for m in uow.team.members}


async def record(uow: UnitOfWork, member: Member, sender: PlatformUser) -> None:
    """Keep the names the platform showed for ``member`` that are not known yet (too short or
    too vague ones, which could never match, are not kept)."""
    if not sender.names:
        return
    known = name_keys(await names_of(uow, member))
    new: dict[str, str] = {}
    for name in sender.names:
        key = identifier_key(name[:MAX_NAME])
        if key is not None and key not in known:
            new.setdefault(key, name[:MAX_NAME])
    if new:
        await uow.tx.add_member_names(member.id, sender.platform, sorted(new.items()), uow.now)
