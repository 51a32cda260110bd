"""Where a forwarded Telegram message came from (``forward_origin``), as the core's
:class:`bot.messages.Forwarded`."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import (
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
)

from bot.ports.events import Forwarded


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def forwarded(message: Message) -> Forwarded | None:
    """The original sender (name and username), a hidden sender's name, or the group or channel
    (title, username, signature), with the original date; ``None`` for a message not forwarded."""
    origin = message.forward_origin
    if origin is None:
        return None
    date = _utc(origin.date)
    if isinstance(origin, MessageOriginUser):
        user = origin.sender_user
        return Forwarded("user", user.full_name, date, username=user.username or "")
    if isinstance(origin, MessageOriginHiddenUser):
        return Forwarded("hidden_user", origin.sender_user_name, date)
    if isinstance(origin, MessageOriginChat):
        chat = origin.sender_chat
        return Forwarded(
            "chat",
            chat.title or chat.full_name or "",
            date,
            username=chat.username or "",
            author=origin.author_signature or "",
        )
    if isinstance(origin, MessageOriginChannel):
        return Forwarded(
            "channel",
            origin.chat.title or "",
            date,
            username=origin.chat.username or "",
            author=origin.author_signature or "",
        )
    return Forwarded("unknown", "", date)  # a kind Telegram adds later: still marked forwarded
