"""Telegram updates as core inbound events. Nothing here knows about cases."""

from __future__ import annotations

from telegram import Message, Update, User

from adapters.telegram.origins import forwarded
from bot.domain.model import PlatformUser
from bot.ports.events import Inbound
from bot.text.richtext import isolate

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


def _membership(update: Update) -> Inbound | None:
    """A person blocked the bot (``kicked``) or started it again, in their private chat."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return None
    status = change.new_chat_member.status
    membership = "left" if status in ("kicked", "left") else "member"
    user = change.from_user
    return Inbound(
        sender=_person(user),
        chat_id=str(change.chat.id),
        private=True,
        membership=membership,
        delivery_id=str(update.update_id),
    )


def to_inbound(update: Update) -> Inbound | None:
    """The event in an update, or ``None`` for kinds the bot does not act on."""
    if update.my_chat_member is not None:
        return _membership(update)
    delivery = str(update.update_id)
    query = update.callback_query
    if query is not None:
        if query.message is None or not query.data:
            return None
        chat = query.message.chat
        return Inbound(
            sender=_person(query.from_user),
            chat_id=str(chat.id),
            private=chat.type == "private",
            button=query.data,
            delivery_id=delivery,
        )
    if update.message is not None and (
        update.message.migrate_to_chat_id or update.message.migrate_from_chat_id
    ):
        return _moved(update.message, delivery)
    message = update.message or update.edited_message
    if message is None or message.from_user is None or message.from_user.is_bot:
        return None
    edited = update.edited_message is not None
    if edited and message.location is not None:
        return None  # a live location moving, not a correction of words
    return Inbound(
        sender=_person(message.from_user),
        chat_id=str(message.chat.id),
        private=message.chat.type == "private",
        text=_text(message),
        attachment=_attachment(message),
        delivery_id=delivery,
        reply_to=str(message.reply_to_message.message_id) if message.reply_to_message else None,
        message_id=str(message.message_id),
        edited=edited,
        forwarded=forwarded(message),
    )


def _person(user: User) -> PlatformUser:
    """The sender, with the language their Telegram app is set to (``language_code``)."""
    full_name, username = user.full_name, user.username
    # the name isolated when it is right to left, so "(@username)" stays after it in any text
    display = f"{isolate(full_name)} (@{username})" if username else full_name
    names = (full_name, f"@{username}") if username else (full_name,)
    language = user.language_code or ""
    return PlatformUser(PLATFORM, str(user.id), display, names=names, language=language)


def _moved(message: Message, delivery: str) -> Inbound:
    """Telegram's service message that a group became a supergroup with a new id: in the old
    group it carries ``migrate_to_chat_id``, in the new one ``migrate_from_chat_id``."""
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    else:
        old, new = message.migrate_from_chat_id or 0, message.chat.id
    sender = message.from_user
    return Inbound(
        sender=PlatformUser(PLATFORM, str(sender.id) if sender else "", ""),
        chat_id=str(message.chat.id),
        private=False,
        delivery_id=delivery,
        moved=(str(old), str(new)),
    )
