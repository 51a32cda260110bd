"""Delivering core messages through the Telegram Bot API (python-telegram-bot).

A message longer than Telegram's limit goes out as several messages cut at paragraph breaks; its
reference is the comma-joined list of their ids, so an edit can update all of them. Telegram's
errors become :class:`DeliveryError`: flood control waits ``retry_after``, "blocked by the user"
makes the person unreachable, network trouble and 5xx are retried with backoff by the outbox, and
a group upgraded to a supergroup gives its new id (``moved_to``, see bot/chat_moves.py).
"""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from adapters.telegram.render import chunks
from bot.messages import Outbound
from bot.ports import DeliveryError, FileTooLarge


def retry_after_seconds(error: RetryAfter) -> float:
    """Seconds to wait, whether this PTB version gives an int or a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB 22 warns that the type will change
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class TelegramMessenger:
    platform = "telegram"

    def __init__(self, bot: Bot, username: str = "") -> None:
        self._bot = bot
        self.username = username  # for "open a private chat" deep links

    def _markup(self, message: Outbound) -> InlineKeyboardMarkup | None:
        rows: list[list[InlineKeyboardButton]] = []
        for choice in message.choices:
            if choice.link == "private_chat":
                url = f"https://t.me/{self.username}?start=report"
                rows.append([InlineKeyboardButton(choice.label, url=url)])
            else:
                rows.append([InlineKeyboardButton(choice.label, callback_data=choice.token)])
        return InlineKeyboardMarkup(rows) if rows else None

    async def send(self, message: Outbound) -> str:
        try:
            return await self._send(message)
        except ChatMigrated as error:  # a group became a supergroup: the chat has a new id
            moved_to = str(error.new_chat_id)
            raise DeliveryError("chat moved", permanent=True, moved_to=moved_to) from error
        except RetryAfter as error:
            raise DeliveryError("flood control", retry_after=retry_after_seconds(error)) from error
        except Forbidden as error:
            raise DeliveryError(f"forbidden: {error.message}", unreachable=True) from error
        except BadRequest as error:
            if "chat not found" in error.message.lower():
                raise DeliveryError("chat not found", unreachable=True) from error
            raise DeliveryError(f"bad request: {error.message}", permanent=True) from error
        except (NetworkError, TelegramError) as error:
            raise DeliveryError(f"telegram: {error}") from error

    async def _send(self, message: Outbound) -> str:
        chat_id = int(message.address.chat_id)
        pieces = chunks(message.text)
        markup = self._markup(message)
        old = message.replaces_ref.split(",") if message.replaces_ref else []
        ids: list[str] = []
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            if index < len(old):
                await self._edit(chat_id, int(old[index]), piece, markup if last else None)
                ids.append(old[index])
            else:
                sent = await self._bot.send_message(
                    chat_id,
                    piece,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if last else None,
                )
                ids.append(str(sent.message_id))
        for stale in old[len(pieces) :]:
            await self._bot.delete_message(chat_id, int(stale))
        return ",".join(ids)

    async def _edit(
        self, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        try:
            await self._bot.edit_message_text(
                text,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        except BadRequest as error:
            if "message is not modified" not in error.message.lower():
                raise

    async def fetch(self, reference: str, limit: int) -> bytes:
        """A file a person sent (``telegram:<kind>:<file_id>``): getFile, then its download."""
        platform, _, rest = reference.partition(":")
        file_id = rest.partition(":")[2]
        if platform != self.platform or not file_id:
            raise LookupError("not a Telegram file")
        try:
            file = await self._bot.get_file(file_id)
            if file.file_size is not None and file.file_size > limit:
                raise FileTooLarge(reference)
            data = await file.download_as_bytearray()
        except TelegramError as error:
            raise LookupError(f"telegram: {error}") from error
        if len(data) > limit:
            raise FileTooLarge(reference)
        return bytes(data)
