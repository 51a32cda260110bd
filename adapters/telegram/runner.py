"""Running the bot on Telegram: long polling by default, a webhook server when configured.

Nothing is lost: in polling mode an update is confirmed to Telegram (the next ``getUpdates``
offset) only after the core has committed it, so a crash re-fetches it, and the core's
de-duplication by ``update_id`` makes the second handling a no-op. In webhook mode Telegram gets
its 200 only after the commit, for the same reason. A batch's updates are handled in order per
person and chat, different people's at once, a call for help first (adapters/telegram/batches.py),
and the offset moves past the batch only once :meth:`Core.accept` has returned for every one of
them: while another process holds the database's write lock, they are retried and Telegram keeps
them meanwhile.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from urllib.parse import urlparse

from aiohttp import web
from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    CallbackQuery,
    Update,
)
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ExtBot

from adapters.telegram.batches import handle_batch
from adapters.telegram.messenger import TelegramMessenger, retry_after_seconds
from adapters.telegram.priority import PriorityRateLimiter
from adapters.telegram.updates import to_inbound
from bot.domain.team import Team
from bot.ports.health import HEALTH_PATH
from bot.ports.platform import Core, PlatformUnavailable
from bot.text import commands
from bot.text.commands import Audience
from bot.text.reader import reading

log = logging.getLogger(__name__)

CHANNEL_WHERE = "the team channel"
NOT_IN_CHANNEL = (
    "The bot is not in the team's Telegram group ([channels] telegram in the team file), so"
    " posts to it wait: add the bot to the group (or correct the group id, which /id in the"
    " group shows), then restart it."
)
"""Logged once at start when Telegram answers that the team channel cannot be reached."""

# my_chat_member: Telegram says when a person blocks the bot or starts it again (bot.reachability).
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
# Seconds an update may wait for the database before it is kept in the inbox instead (see
# Core.accept). Telegram keeps a polled update until the next offset confirms it, so polling
# can wait a while; a webhook call should be answered sooner.
ANSWER_WITHIN = 30.0
WEBHOOK_WITHIN = 10.0
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def file_url(api_url: str) -> str:
    """Where files are downloaded from, beside the API: ``.../bot`` becomes ``.../file/bot``."""
    if api_url.rstrip("/").endswith("/bot"):
        return api_url.rstrip("/")[: -len("/bot")] + "/file/bot"
    return "https://api.telegram.org/file/bot"


def _menu(*audiences: Audience) -> list[BotCommand]:
    """A command menu made from the one declaration of the commands (bot/text/commands.py)."""
    return [BotCommand(name, text) for name, text in commands.menu(*audiences)]


def menus(team: Team) -> list[tuple[str, BotCommandScope, list[BotCommand], str | None]]:
    """Every ``setMyCommands`` call to make, as (where, in words for the log; scope; menu;
    ``language_code`` or None): participants' in every private chat, in the team's language and
    once more for each other language the team offers (Telegram shows a person the one for their
    app's language), each member's in their own chat, the team channel's; those two in the
    team's language."""
    info = team.config.team
    with reading(info.language):
        calls: list[tuple[str, BotCommandScope, list[BotCommand], str | None]] = [
            ("private chats", BotCommandScopeAllPrivateChats(), _menu(Audience.PARTICIPANT), None)
        ]
        members = _menu(Audience.PARTICIPANT, Audience.MEMBER)
        calls += [
            ("a member's chat", BotCommandScopeChat(member.telegram), members, None)
            for member in team.members
            if member.telegram is not None
        ]
        for channel in team.channel_addresses():  # where it is now, should it have moved
            if channel.platform == "telegram":
                scope = BotCommandScopeChat(int(channel.chat_id))
                calls.append((CHANNEL_WHERE, scope, _menu(Audience.CHANNEL), None))
    for language in info.offered:
        if language != info.language:
            with reading(language):
                menu = _menu(Audience.PARTICIPANT)
            calls.append(
                (f"private chats ({language})", BotCommandScopeAllPrivateChats(), menu, language)
            )
    return calls


class TelegramAdapter:
    def __init__(
        self,
        token: str,
        api_url: str,
        *,
        webhook_url: str | None = None,
        webhook_port: int = 8443,
        webhook_secret: str | None = None,
        webhook_host: str = "0.0.0.0",
        poll_timeout: int = 25,
    ) -> None:
        self.bot = ExtBot(
            token=token,
            base_url=api_url,
            base_file_url=file_url(api_url),
            rate_limiter=PriorityRateLimiter(),
        )
        self.messenger = TelegramMessenger(self.bot)
        self.api_url = api_url  # without the token, which PTB adds to each request
        self.webhook_url = webhook_url
        self.webhook_port = webhook_port
        self.webhook_host = webhook_host
        self.webhook_secret = webhook_secret or secrets.token_urlsafe(32)
        self.poll_timeout = poll_timeout
        self._answers: set[asyncio.Task[None]] = set()  # button presses being answered

    @property
    def readiness(self) -> TelegramMessenger:
        """The readiness probe is the messenger's (it holds the bot)."""
        return self.messenger

    @property
    def polls(self) -> bool:
        """Whether this adapter long-polls Telegram (no webhook): one poller per token."""
        return not self.webhook_url

    async def start(self) -> None:
        """Connect (getMe) so that links to a private chat know the bot's username.

        Raises :class:`bot.ports.PlatformUnavailable` when Telegram cannot be reached or
        refuses the token.
        """
        try:
            await self.bot.initialize()
        except InvalidToken as error:
            raise PlatformUnavailable(
                "Telegram refused the bot's token (FSB_TELEGRAM_TOKEN); check it with @BotFather."
            ) from error
        except NetworkError as error:  # TimedOut is one too
            how = "no answer in time" if isinstance(error, TimedOut) else "no connection"
            raise PlatformUnavailable(
                f"Cannot reach Telegram's Bot API at {self.api_url} (FSB_TELEGRAM_API_URL): {how}."
            ) from error
        except TelegramError as error:
            raise PlatformUnavailable(
                f"Telegram's Bot API at {self.api_url} refused to start the bot:"
                f" {type(error).__name__}."
            ) from error
        self.messenger.username = self.bot.username
        # The bot's own name (not a person's), and never its id or token.
        mode = "webhook" if self.webhook_url else "long polling"
        log.info("connected to Telegram as @%s (%s)", self.bot.username, mode)

    async def stop(self) -> None:
        if self._answers:  # presses already handled: let their answers go before shutting down
            await asyncio.wait(self._answers, timeout=2)
        await self.bot.shutdown()

    async def set_commands(self, team: Team) -> int:
        """Each person sees only the commands offered to them (see :func:`menus`). A refused
        call (a member who never started the bot gets "chat not found") is logged and the others
        are still made; returns how many were refused."""
        refused = 0
        for where, scope, menu, language in menus(team):
            try:
                await self.bot.set_my_commands(menu, scope=scope, language_code=language)
            except TelegramError as error:
                refused += 1
                if where == CHANNEL_WHERE and isinstance(error, BadRequest | Forbidden):
                    log.warning(NOT_IN_CHANNEL)
                else:
                    log.warning("setMyCommands for %s failed: %s", where, error)
        return refused

    async def process(self, core: Core, update: Update, within: float = ANSWER_WITHIN) -> None:
        """Hand one update to the core; answer a button press once it is committed.

        Returns once the update may be confirmed to Telegram (see :meth:`Core.accept`): it is
        stored, or kept in the inbox after ``within`` seconds, or its sender was told it could
        not be stored.
        """
        event = to_inbound(update)
        if event is not None:
            await core.accept(event, within)
        if update.callback_query is not None:
            # Answered beside the next update rather than before it: the round trip would
            # otherwise hold up every update behind this one, a call for help among them.
            answer = asyncio.create_task(self._answer(update.callback_query))
            self._answers.add(answer)
            answer.add_done_callback(self._answers.discard)

    async def _answer(self, query: CallbackQuery) -> None:
        try:
            await query.answer()
        except TelegramError as error:  # the press is handled; the spinner just times out
            log.info("answerCallbackQuery failed: %s", error)

    async def run(self, core: Core) -> None:
        """Receive updates until cancelled."""
        await self.set_commands(core.team)
        if self.webhook_url:
            await self._run_webhook(core)
        else:
            await self._run_polling(core)

    async def _run_polling(self, core: Core) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)
        offset: int | None = None
        failures = 0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset, timeout=self.poll_timeout, allowed_updates=ALLOWED_UPDATES
                )
                failures = 0
            except RetryAfter as error:
                await asyncio.sleep(retry_after_seconds(error))
                continue
            except (NetworkError, TelegramError) as error:
                failures += 1
                if failures == 1 or not isinstance(error, InvalidToken):  # a refused token: once
                    log.warning("getUpdates failed: %s", error)
                await asyncio.sleep(min(30.0, 0.5 * 2**failures))
                continue
            if updates:
                # Per person in order, across people at once, a call for help first; confirmed
                # (the offset) only once all of the batch is handled (adapters/telegram/batches.py).
                await handle_batch(updates, lambda update: self.process(core, update))
                offset = updates[-1].update_id + 1

    def webhook_app(self, core: Core) -> web.Application:
        """The aiohttp application serving Telegram's webhook calls and a health check."""
        path = urlparse(self.webhook_url or "").path or "/telegram"

        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), self.webhook_secret.encode()):
                return web.Response(status=401, text="unauthorized")
            try:
                update = Update.de_json(await request.json(), self.bot)
            except ValueError:
                return web.Response(status=400, text="bad update")
            await self.process(core, update, WEBHOOK_WITHIN)
            return web.Response(text="ok")

        async def healthz(request: web.Request) -> web.Response:
            report = await core.health()  # the one health check, as on FSB_HEALTH_PORT
            return web.json_response(report.to_json(), status=report.status)

        server = web.Application()
        server.router.add_post(path, receive)
        server.router.add_get(HEALTH_PATH, healthz)
        return server

    async def _run_webhook(self, core: Core) -> None:
        runner = web.AppRunner(self.webhook_app(core))
        await runner.setup()
        site = web.TCPSite(runner, self.webhook_host, self.webhook_port)
        await site.start()
        try:
            await self.bot.set_webhook(
                self.webhook_url or "",
                secret_token=self.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
