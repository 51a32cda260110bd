"""Telegram's readiness probe (bot/ports/platform.py ``ReadinessProbe``).

What the Bot API says, and how it is read:

* ``getMe`` answers only with a working token; its ``can_read_all_group_messages`` is "True, if
  privacy mode is disabled for the bot": then the bot receives every message in the team group,
  which it must not read.
* ``getChatMember`` of the bot itself in the team group: any bot may ask about itself. "left"
  or "kicked", a "restricted" member without ``can_send_messages``, or a refusal (the bot is not
  in the group; no such chat) means it cannot post there.
* ``sendChatAction`` ("typing") in a person's private chat: Telegram answers 403 "bot can't
  initiate conversation with a user" to someone who never pressed Start, 403 "blocked by the
  user" to someone who blocked the bot, 400 "chat not found" to a wrong id. The person sees, at
  most, "typing..." for a few seconds.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Bot
from telegram.constants import ChatAction, ChatMemberStatus
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError

from bot.domain import readiness as r
from bot.domain.readiness import Finding
from bot.ports.platform import Contact, Probed

PLATFORM = "telegram"


async def probe(bot: Bot, channel: str | None, contacts: Sequence[Contact]) -> Probed:
    """The findings for one bot; see the module's docstring."""
    try:
        me = await bot.get_me()
    except InvalidToken:
        why = "Telegram refused the bot's token (FSB_TELEGRAM_TOKEN)."
        return Probed([Finding(r.CREDENTIALS, "", PLATFORM, True, {"why": why})])
    except TelegramError as error:
        why = f"no answer from the Bot API (FSB_TELEGRAM_API_URL): {type(error).__name__}."
        return Probed([Finding(r.CREDENTIALS, "", PLATFORM, True, {"why": why})])
    found: list[Finding] = []
    if me.can_read_all_group_messages:
        found.append(Finding(r.PRIVACY_MODE_OFF, "channel", PLATFORM))
    if channel is not None:
        found.extend(await _channel(bot, channel, me.id))
    for contact in contacts:
        found.extend(await _contact(bot, contact))
    return Probed(found, f"@{me.username}" if me.username else "")


async def _channel(bot: Bot, channel: str, bot_id: int) -> list[Finding]:
    try:
        member = await bot.get_chat_member(int(channel), bot_id)
    except (Forbidden, BadRequest, ValueError):
        return [Finding(r.CANNOT_POST, "channel", PLATFORM)]
    except TelegramError:
        return [Finding(r.PROBE_FAILED, "channel", PLATFORM)]
    gone = member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
    muted = member.status == ChatMemberStatus.RESTRICTED and not getattr(
        member, "can_send_messages", True
    )
    return [Finding(r.CANNOT_POST, "channel", PLATFORM)] if gone or muted else []


async def _contact(bot: Bot, contact: Contact) -> list[Finding]:
    kind = r.CONTACT_UNREACHABLE if contact.external else r.NOT_STARTED
    try:
        await bot.send_chat_action(int(contact.chat_id), ChatAction.TYPING)
    except (Forbidden, BadRequest, ValueError):
        return [Finding(kind, contact.who, PLATFORM, True)]
    except (NetworkError, TelegramError):  # RetryAfter and TimedOut too: not known either way
        return [Finding(r.PROBE_FAILED, contact.who, PLATFORM)]
    return []
