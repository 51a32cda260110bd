"""Whether the bot can reach a member, as inbound events tell it.

A member is marked unreachable when a message to them bounces (they blocked the bot, never
started it, their chat is gone; see bot.delivery), and escalation then skips them. They become
reachable again as soon as they write to the bot or press one of its buttons in a private chat,
a message to them goes through (bot.delivery), or the platform says they take the bot's messages
again (Telegram's ``my_chat_member``: ``Inbound.membership``). Telegram's report that they blocked
the bot marks them unreachable at once, before a page has to bounce.

Only private events count: a person who blocked the bot can still speak in a group it is in.
"""

from __future__ import annotations

from bot.ports.events import Inbound
from bot.uow import UnitOfWork

JOINED = "member"  # Inbound.membership: they started or unblocked the bot
LEFT = "left"  # they blocked it


async def noticed(uow: UnitOfWork, event: Inbound) -> None:
    """Record what ``event`` says about reaching its sender, if they are a member."""
    sender = event.sender
    if not event.private or event.home:
        return  # opening Slack's app home says nothing about their messages
    if uow.team.member_for(sender.platform, sender.user_id) is None:
        return
    key = (sender.platform, sender.user_id)
    if event.membership == LEFT:
        if key not in await uow.tx.unreachable():
            await uow.tx.mark_unreachable(sender.platform, sender.user_id, uow.now)
    elif key in await uow.tx.unreachable():
        await uow.tx.mark_reachable(sender.platform, sender.user_id)
