"""Delivering core messages through the Telegram Bot API (python-telegram-bot).

A message longer than Telegram's limit goes out as several messages cut at paragraph breaks; its
reference is the comma-joined list of their ids, so an edit can update all of them. Telegram's
errors become :class:`DeliveryError` (see :func:`delivery_error`): flood control waits
``retry_after``, "blocked by the user" makes the person unreachable, a token Telegram refuses holds
the platform, a message it refuses is re-sent plain, network trouble and 5xx are retried, and a
group upgraded to a supergroup gives its new id (``moved_to``, see bot/services/chat_moves.py).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ExtBot

from adapters.telegram import readiness
from adapters.telegram.priority import ORDINARY, URGENT
from adapters.telegram.render import chunks
from bot.ports.events import Outbound
from bot.ports.platform import Contact, DeliveryError, FileTooLarge, Probed


def retry_after_seconds(error: RetryAfter) -> float:
    """Seconds to wait, whether this PTB version gives an int or a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB 22 warns that the type will change
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


# Telegram's descriptions of a 403 and of a 400 that is about the person, not the message, as
# (words in the description, the code we store); anything else is refused for good.
FORBIDDEN = (
    ("blocked by the user", "blocked"),
    ("user is deactivated", "deactivated"),
    ("can't initiate conversation", "not_started"),
    ("kicked", "kicked"),
    ("not a member", "not_a_member"),
)
UNREACHABLE_400 = (("chat not found", "chat_not_found"), ("user not found", "user_not_found"))
REFUSED_400 = (
    ("message is too long", "message_too_long"),
    ("can't parse entities", "cant_parse_entities"),
    ("text must be non-empty", "text_empty"),
    ("message text is empty", "text_empty"),
    ("button", "bad_buttons"),
    ("reply markup", "bad_buttons"),
    ("message to edit not found", "message_to_edit_not_found"),
    ("message can't be edited", "message_cant_be_edited"),
)


def _code(description: str, known: tuple[tuple[str, str], ...], default: str) -> str:
    lowered = description.lower()
    return next((code for words, code in known if words in lowered), default)


def delivery_error(error: TelegramError) -> DeliveryError:
    """A python-telegram-bot error as a :class:`DeliveryError` with a content-free reason (the
    status and a fixed code): the error's own text can quote what was sent.

    401/404 on the token (``InvalidToken``) is about the bot's credentials, never a person.
    """
    if isinstance(error, ChatMigrated):  # a group became a supergroup: the chat has a new id
        return DeliveryError(
            "telegram 400 chat_moved", permanent=True, moved_to=str(error.new_chat_id)
        )
    if isinstance(error, RetryAfter):
        return DeliveryError("telegram 429 flood control", retry_after=retry_after_seconds(error))
    if isinstance(error, InvalidToken):
        return DeliveryError("telegram 401/404 token refused", credentials=True)
    if isinstance(error, Forbidden):
        code = _code(error.message, FORBIDDEN, "forbidden")
        return DeliveryError(f"telegram 403 {code}", unreachable=True)
    if isinstance(error, BadRequest):
        code = _code(error.message, UNREACHABLE_400, "")
        if code:
            return DeliveryError(f"telegram 400 {code}", unreachable=True)
        code = _code(error.message, REFUSED_400, "bad_request")
        return DeliveryError(f"telegram 400 {code}", permanent=True)
    if isinstance(error, NetworkError):
        return DeliveryError(f"telegram network {type(error).__name__}")
    return DeliveryError(f"telegram error {type(error).__name__}")


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
        except TelegramError as error:
            raise delivery_error(error) from error

    async def _send(self, message: Outbound) -> str:
        chat_id = int(message.address.chat_id)
        pieces = chunks(message.text)
        markup = self._markup(message)
        old = message.replaces_ref.split(",") if message.replaces_ref else []
        ids: list[str] = []
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            if index < len(old):
                await self._edit(
                    chat_id, int(old[index]), piece, markup if last else None, message.urgent
                )
                ids.append(old[index])
            else:
                sent = await self._bot.send_message(
                    chat_id,
                    piece,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if last else None,
                    **self._priority(message.urgent),
                )
                ids.append(str(sent.message_id))
        for stale in old[len(pieces) :]:
            await self._bot.delete_message(chat_id, int(stale))
        return ",".join(ids)

    def _priority(self, urgent: bool) -> dict[str, Any]:
        """Where the bot has a rate limiter (an ExtBot), mark a page to go ahead in it
        (adapters/telegram/priority.py)."""
        if not isinstance(self._bot, ExtBot):
            return {}
        return {"rate_limit_args": URGENT if urgent else ORDINARY}

    async def _edit(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None,
        urgent: bool = False,
    ) -> None:
        priority = self._priority(urgent)
        try:
            await self._bot.edit_message_text(
                text,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                **priority,
            )
        except BadRequest as error:
            if "message is not modified" not in error.message.lower():
                raise

    async def probe(self, channel: str | None, contacts: Sequence[Contact]) -> Probed:
        """The readiness probe (adapters/telegram/readiness.py)."""
        found = await readiness.probe(self._bot, channel, contacts)
        if found.bot_name and not self.username:
            self.username = found.bot_name.removeprefix("@")
        return found

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
