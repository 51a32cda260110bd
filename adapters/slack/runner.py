"""Running the bot on Slack with slack-bolt's async app: Socket Mode when an app token is set,
otherwise HTTP mode (events and interactivity POSTed to ``/slack/events``, signature-checked).

Every listener finishes the bot's work (committed) before it acknowledges, so an event Slack has
been told we got is never lost; that work takes milliseconds, well inside Slack's 3 seconds.
Slack's retries carry the same ``event_id``, which the core de-duplicates. Should another process
hold the database's write lock, an event is kept in the bot's inbox on disk after
:data:`ACK_WITHIN` and acknowledged, and finished once the database lets it (Core.accept).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.escaping import from_slack
from adapters.slack.locales import SlackLocales
from adapters.slack.messenger import FILE_PREFIX, HOME_PREFIX, SlackMessenger
from adapters.slack.modal import CALLBACK_ID, form_values, report_view
from adapters.slack.names import ProfileNames
from adapters.slack.render import OPEN_DM_ACTION, REPORT_FORM_ACTION, TOKEN_ACTION_PREFIX
from bot.domain.model import PlatformUser
from bot.ports.events import Inbound
from bot.ports.health import HEALTH_PATH
from bot.ports.platform import Core, PlatformUnavailable
from bot.text import phrases as texts
from bot.text.reader import reading

log = logging.getLogger(__name__)

PLATFORM = "slack"
# Seconds an event may wait for the database before it is kept in the inbox and acknowledged
# (see Core.accept): Slack allows 3 s, and never sends a button press again.
ACK_WITHIN = 2.0
EVENTS_PATH = "/slack/events"
BOLT_LOGGER = "slack_bolt.fsbot"
START_TIMEOUT = 15.0  # seconds for auth.test at start
IN_CHANNEL = frozenset({"summary", "ready"})  # the only answers the channel may see: redacted


def _dm_text(event: dict[str, Any]) -> str:
    """What a DM says. Slack keeps a leading "/" for its own slash commands, and a slash command
    cannot carry a file, so a file shared with the message ``screen`` is the ``/screen`` command."""
    text = from_slack(str(event.get("text") or ""))
    if event.get("files") and text.strip().lower() in ("screen", "safety screen"):
        return "/screen"
    return text


def _correction(event: dict[str, Any], body: dict[str, Any]) -> Inbound | None:
    """A person's edit of a message in their DM (a ``message_changed`` event), or ``None``: the
    bot's own updates, and changes that leave the words alone (a link preview added), are not
    corrections."""
    if event.get("subtype") != "message_changed" or event.get("channel_type") != "im":
        return None
    message = event.get("message") or {}
    previous = event.get("previous_message") or {}
    if message.get("bot_id") or not message.get("user") or not message.get("ts"):
        return None
    if "text" in previous and previous.get("text") == message.get("text"):
        return None
    user = str(message["user"])
    return Inbound(
        sender=PlatformUser(PLATFORM, user, ""),
        chat_id=user,
        private=True,
        text=from_slack(str(message.get("text") or "")),
        delivery_id=str(body.get("event_id") or "") or None,
        message_id=str(message["ts"]),
        edited=True,
    )


def _thread(event: dict[str, Any]) -> str | None:
    """A reply in a thread answers the message that started it: its ``ts``."""
    thread = event.get("thread_ts")
    if not thread or thread == event.get("ts"):
        return None
    return str(thread)


class SlackAdapter:
    def __init__(
        self,
        bot_token: str,
        *,
        signing_secret: str | None = None,
        app_token: str | None = None,
        api_url: str = "https://slack.com/api/",
        port: int = 3000,
        host: str = "0.0.0.0",  # Slack must reach the endpoint
        per_channel: float = 1.0,
    ) -> None:
        self.client = AsyncWebClient(token=bot_token, base_url=api_url)
        self.app_token = app_token
        self.port = port
        self.host = host
        self.bolt = AsyncApp(
            # Named under "slack_bolt": left to itself, bolt names its logger after this file and
            # copies the root level into it, escaping the floor that bot.logsafety sets.
            name=BOLT_LOGGER,
            logger=logging.getLogger(BOLT_LOGGER),
            client=self.client,
            signing_secret=signing_secret or "",
            request_verification_enabled=app_token is None,
            process_before_response=True,
        )
        self.messenger = SlackMessenger(self.client, per_channel=per_channel)
        self.profiles = ProfileNames(self.client)
        self.locales = SlackLocales(self.client)
        self._registered = False

    @property
    def readiness(self) -> SlackMessenger:
        """The readiness probe is the messenger's (it holds the client)."""
        return self.messenger

    async def start(self) -> None:
        """Check the token (auth.test). Raises :class:`bot.ports.PlatformUnavailable` when Slack
        cannot be reached or refuses the token."""
        try:
            async with asyncio.timeout(START_TIMEOUT):
                answer = await self.client.auth_test()
        except SlackApiError as error:
            code = str(error.response.get("error", "")) or f"HTTP {error.response.status_code}"
            raise PlatformUnavailable(
                f"Slack refused the bot token (FSB_SLACK_BOT_TOKEN): {code}. Copy it again from"
                " your app's OAuth & Permissions page (reinstall the app if it was revoked)."
            ) from error
        except (aiohttp.ClientError, TimeoutError) as error:
            how = "no answer in time" if isinstance(error, TimeoutError) else "no connection"
            raise PlatformUnavailable(
                f"Cannot reach Slack's Web API at {self.client.base_url} (FSB_SLACK_API_URL):"
                f" {how}."
            ) from error
        # The bot's own name and the workspace's (not a person's), and never an id or a token.
        mode = "Socket Mode" if self.app_token else "HTTP mode"
        name, workspace = answer.get("user", "?"), answer.get("team", "?")
        log.info("connected to Slack as %s in %s (%s)", name, workspace, mode)

    async def stop(self) -> None:
        return None

    async def _person(self, core: Core, user_id: str) -> PlatformUser:
        """The sender; a team member's Slack names come along (see adapters/slack/names.py)."""
        if core.team.member_for(PLATFORM, user_id) is None:  # their Slack's language, if any
            return PlatformUser(PLATFORM, user_id, "", language=await self.locales.locale(user_id))
        return PlatformUser(PLATFORM, user_id, "", names=await self.profiles.names(user_id))

    # -- listeners ----------------------------------------------------------------------------
    def register(self, core: Core) -> None:
        """Attach the listeners that give Slack's events to ``core`` (once; again: nothing)."""
        if self._registered:
            return
        self._registered = True
        self._register_events(core)
        self._register_actions(core)

    def _register_events(self, core: Core) -> None:
        """Direct messages, their edits, and the app's home tab opened."""
        bolt = self.bolt
        # before the listener below: the first listener that matches an event is the one run
        bolt.event({"type": "message", "subtype": "message_changed"})(self._edited(core))

        @bolt.event("message")
        async def direct_message(event: dict[str, Any], body: dict[str, Any]) -> None:
            if (
                event.get("channel_type") != "im"
                or event.get("bot_id")
                or event.get("subtype") not in (None, "file_share")
            ):
                return
            user = str(event.get("user", ""))
            await core.accept(
                Inbound(
                    sender=await self._person(core, user),
                    chat_id=user,
                    private=True,
                    text=_dm_text(event),
                    attachment=_file(event),
                    delivery_id=str(body.get("event_id") or "") or None,
                    reply_to=_thread(event),
                    message_id=str(event.get("ts") or "") or None,
                ),
                ACK_WITHIN,
            )

        @bolt.event("app_home_opened")
        async def home_opened(event: dict[str, Any], body: dict[str, Any]) -> None:
            if event.get("tab", "home") != "home":
                return
            user = str(event["user"])
            await core.accept(
                Inbound(
                    sender=await self._person(core, user),
                    chat_id=HOME_PREFIX + user,
                    private=True,
                    home=True,
                ),
                ACK_WITHIN,
            )

    def _register_actions(self, core: Core) -> None:
        """Button presses, the /safety command and the report form sent."""
        bolt = self.bolt

        @bolt.action(re.compile("^" + re.escape(TOKEN_ACTION_PREFIX)))
        async def pressed(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
            user = str(body["user"]["id"])
            await core.accept(
                Inbound(
                    sender=await self._person(core, user),
                    chat_id=user,
                    private=True,
                    button=str(action.get("value", "")),
                ),
                ACK_WITHIN,
            )
            await ack()

        @bolt.action(OPEN_DM_ACTION)
        async def open_dm(ack: AsyncAck, body: dict[str, Any]) -> None:
            user = str(body["user"]["id"])
            await core.accept(
                Inbound(
                    sender=await self._person(core, user), chat_id=user, private=True, text="/start"
                ),
                ACK_WITHIN,
            )
            await ack()

        @bolt.action(REPORT_FORM_ACTION)
        async def report_button(ack: AsyncAck, body: dict[str, Any]) -> None:
            await ack()
            await self._open_form(core, str(body["trigger_id"]), str(body["user"]["id"]))

        @bolt.command("/safety")
        async def safety(ack: AsyncAck, command: dict[str, Any]) -> None:
            await self._slash(core, ack, command)

        @bolt.view(CALLBACK_ID)
        async def submitted(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
            await self._submitted(core, ack, str(body["user"]["id"]), form_values(view))

    async def _submitted(self, core: Core, ack: AsyncAck, user: str, form: dict[str, Any]) -> None:
        """The report form sent: refused problems, and a report that could not be stored, are
        shown in the form, which stays open with the person's answers in it."""
        with reading(await core.language_of(await self._person(core, user))):
            problems = core.form_problems(form)
        if problems:
            await ack(response_action="errors", errors=problems)
            return
        sender = await self._person(core, user)
        event = Inbound(sender=sender, chat_id=user, private=True, form=form)
        if not await core.accept(event, ACK_WITHIN):
            await ack(response_action="errors", errors={"account": texts.NOT_SAVED_FORM})
            return
        await ack()

    @staticmethod
    def _edited(core: Core) -> Callable[[dict[str, Any], dict[str, Any]], Awaitable[None]]:
        """The listener for a message that changed: a person's correction goes to the core."""

        async def edited(event: dict[str, Any], body: dict[str, Any]) -> None:
            correction = _correction(event, body)
            if correction is not None:
                await core.handle(correction)

        return edited

    async def _open_form(self, core: Core, trigger_id: str, user: str) -> None:
        """The report form, in the language of the person who asked for it."""
        team = core.team
        with reading(await core.language_of(await self._person(core, user))):
            view = report_view(core.form_fields(), team.name, core.form_intro())
        await self.client.views_open(trigger_id=trigger_id, view=view)

    async def _slash(self, core: Core, ack: AsyncAck, command: dict[str, Any]) -> None:
        """``/safety <words>``: the same words as the chat commands."""
        words = from_slack(str(command.get("text") or "")).strip()
        sub = words.split(" ", 1)[0].lower() if words else "help"
        user, channel = str(command["user_id"]), str(command.get("channel_id", ""))
        if sub == "report":
            await ack()
            await self._open_form(core, str(command["trigger_id"]), user)
            return
        text = "/" + (words if words else "help")
        in_channel = sub in IN_CHANNEL and core.team.is_team_channel(PLATFORM, channel)
        await core.accept(
            Inbound(
                sender=await self._person(core, user),
                chat_id=channel if in_channel else user,
                private=not in_channel,
                text=text,
            ),
            ACK_WITHIN,
        )
        await ack() if in_channel else await ack("I've answered you in a direct message.")

    # -- running ------------------------------------------------------------------------------
    def web_app(self, core: Core) -> web.Application:
        self.register(core)
        server = self.bolt.web_app(path=EVENTS_PATH, port=self.port)

        async def healthz(request: web.Request) -> web.Response:
            report = await core.health()  # the one health check, as on FSB_HEALTH_PORT
            return web.json_response(report.to_json(), status=report.status)

        server.router.add_get(HEALTH_PATH, healthz)
        return server

    async def run(self, core: Core) -> None:
        self.register(core)
        if self.app_token:
            from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

            handler = AsyncSocketModeHandler(self.bolt, self.app_token, web_client=self.client)
            try:
                await _connect_socket(handler, self.client, self.app_token)
                await asyncio.Event().wait()
            finally:
                await handler.close_async()  # type: ignore[no-untyped-call]
            return
        runner = web.AppRunner(self.web_app(core))
        await runner.setup()
        await web.TCPSite(runner, self.host, self.port).start()
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()


async def _connect_socket(handler: Any, client: AsyncWebClient, app_token: str) -> None:
    """Open Socket Mode; a refused app-level token is one line saying what to do
    (:class:`bot.ports.PlatformUnavailable`), not a traceback. The connection address is asked
    for first, here: the SDK's own connect would log the refusal with a traceback and try again
    for ever; given the address, it connects at once."""
    try:
        answer = await client.apps_connections_open(app_token=app_token)
        handler.client.wss_uri = str(answer["url"])
    except SlackApiError as error:
        code = str(error.response.get("error", "")) or f"HTTP {error.response.status_code}"
        raise PlatformUnavailable(
            f"Slack refused the app-level token (FSB_SLACK_APP_TOKEN): {code}. Make one under"
            " your app's Basic Information -> App-Level Tokens, with the scope connections:write."
        ) from error
    await handler.connect_async()


def _file(event: dict[str, Any]) -> str | None:
    files = event.get("files") or []
    return f"{FILE_PREFIX}{files[0]['id']}" if files else None
