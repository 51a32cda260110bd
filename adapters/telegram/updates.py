"""Telegram updates as core inbound events. Nothing here knows about cases."""

from __future__ import annotations

from telegram import Message, Update

from bot.domain import PlatformUser
from bot.messages import Inbound

PLATFORM = "telegram"


def _attachment(message: Message) -> str | None:
    if message.photo:
        return f"telegram:photo:{message.photo[-1].file_id}"
    if message.document:
        return f"telegram:document:{message.document.file_id}"
    if message.voice:
        return f"telegram:voice:{message.voice.file_id}"
    if message.video:
        return f"telegram:video:{message.video.file_id}"
    return None


def _text(message: Message) -> str:
    if message.location is not None:
        lat, lon = message.location.latitude, message.location.longitude
        return f"Shared location: {lat:.5f}, {lon:.5f} (https://maps.google.com/?q={lat},{lon})"
    return message.text or message.caption or ""


def to_inbound(update: Update) -> Inbound | None:
    """The event in an update, or ``None`` for kinds the bot does not act on."""
    delivery = str(update.update_id)
    query = update.callback_query
    if query is not None:
        if query.message is None or not query.data:
            return None
        chat = query.message.chat
        return Inbound(
            sender=_person(query.from_user.id, query.from_user.full_name, query.from_user.username),
            chat_id=str(chat.id),
            private=chat.type == "private",
            button=query.data,
            delivery_id=delivery,
        )
    message = update.message
    if message is None or message.from_user is None or message.from_user.is_bot:
        return None
    return Inbound(
        sender=_person(
            message.from_user.id, message.from_user.full_name, message.from_user.username
        ),
        chat_id=str(message.chat.id),
        private=message.chat.type == "private",
        text=_text(message),
        attachment=_attachment(message),
        delivery_id=delivery,
        reply_to=str(message.reply_to_message.message_id) if message.reply_to_message else None,
    )


def _person(user_id: int, full_name: str, username: str | None) -> PlatformUser:
    display = f"{full_name} (@{username})" if username else full_name
    names = (full_name, f"@{username}") if username else (full_name,)
    return PlatformUser(PLATFORM, str(user_id), display, names=names)
