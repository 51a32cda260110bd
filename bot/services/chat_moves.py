"""A chat that a platform moved to a new id, and the team channel following it.

Telegram upgrades a group to a supergroup with a new chat id: sends to the old id are refused with
the new one (``migrate_to_chat_id``), and the bot receives a service message in each chat saying so.
Either way the move comes here. It is remembered (so it holds after a restart), what waits for the
old id is sent to the new one, and the bot takes the new id as the team channel, for its posts and
for what it answers there. The team file still names the old id, so each lead is told, privately
and once, to update it; once it names the new id the remembered move no longer matters.

A move of a chat that is not the team channel changes where its waiting messages go, and nothing
else: the team channel stays where the team file says, and nobody is told.
"""

from __future__ import annotations

from bot.domain.team import Team
from bot.text.views import channel_moved
from bot.uow import UnitOfWork


async def chat_moved(uow: UnitOfWork, platform: str, old: str, new: str) -> None:
    """The platform says chat ``old`` is now ``new``. Idempotent: a second report of the same
    move (the refused send and both service messages all say it) changes nothing more."""
    if not old or not new or old == new:
        return
    was_channel = any(
        a.platform == platform and a.chat_id == old for a in uow.team.channel_addresses()
    )
    first = await uow.tx.record_chat_move(platform, old, new, uow.now)
    await uow.tx.readdress_pending(platform, old, new)
    uow.moved_chats.append((platform, old, new))
    if first and was_channel:
        for lead in uow.team.with_role("lead"):
            await uow.send_member(lead, lambda: channel_moved(platform, old, new))


def follow(team: Team, uow: UnitOfWork) -> None:
    """After ``uow`` has committed: the team follows the moves it recorded."""
    for platform, old, new in uow.moved_chats:
        team.follow(platform, old, new)
