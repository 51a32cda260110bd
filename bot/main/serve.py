"""Running the bot: on the local console, or on the platforms whose credentials are set.

Part of the composition root: the one place besides ``bot.app`` that knows the adapters.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from bot.config.settings import DEFAULT_HEALTH_PORT, DEFAULT_PAGE_WAIT, Settings
from bot.config.teamfile import TeamFile
from bot.main import credentials
from bot.main.app import BotApp
from bot.main.health_server import HealthServer
from bot.main.stores import Database
from bot.ports.platform import Messenger, PlatformAdapter, PlatformUnavailable

NO_PLATFORM = (
    "No platform is set up, so the bot would reach nobody and did not start. Set"
    " FSB_TELEGRAM_TOKEN, or FSB_SLACK_BOT_TOKEN with FSB_SLACK_APP_TOKEN (Socket Mode) or"
    " FSB_SLACK_SIGNING_SECRET (HTTP mode), in the environment or .env; or try it on this"
    " terminal with `fsbot run --console`."
)
"""What ``fsbot run`` answers when no platform's credentials are set (and no --console)."""


def platform_adapters(settings: Settings) -> list[PlatformAdapter]:
    """One adapter per platform whose credentials are present.

    Raises:
        ConfigError: settings that cannot work: a token of the wrong shape (see
            bot/main/credentials.py), Slack's HTTP mode without its signing secret.
    """
    wrong = credentials.problems(settings)
    if wrong:
        raise ConfigError(" ".join(wrong))
    adapters: list[PlatformAdapter] = []
    if settings.telegram_token is not None:
        from adapters.telegram.runner import TelegramAdapter

        adapters.append(
            TelegramAdapter(
                settings.telegram_token.get_secret_value(),
                settings.telegram_api_url,
                webhook_url=settings.telegram_webhook_url,
                webhook_port=settings.telegram_webhook_port,
                webhook_secret=settings.telegram_webhook_secret.get_secret_value()
                if settings.telegram_webhook_secret
                else None,
            )
        )
    if settings.slack_bot_token is not None:
        from adapters.slack.runner import SlackAdapter

        app_token = (
            settings.slack_app_token.get_secret_value() if settings.slack_app_token else None
        )
        secret = (
            settings.slack_signing_secret.get_secret_value()
            if settings.slack_signing_secret
            else None
        )
        if app_token is None and secret is None:
            raise ConfigError(
                "Slack in HTTP mode needs FSB_SLACK_SIGNING_SECRET to check that requests come"
                " from Slack (or set FSB_SLACK_APP_TOKEN for Socket Mode)."
            )
        adapters.append(
            SlackAdapter(
                settings.slack_bot_token.get_secret_value(),
                signing_secret=secret,
                app_token=app_token,
                api_url=settings.slack_api_url,
                port=settings.slack_port,
            )
        )
    return adapters


START_TIMEOUT = 30.0  # seconds a platform may take to answer the bot's first call


class ConfigError(ValueError):
    """Settings that cannot work together; the message says what to set."""


@dataclass(frozen=True)
class HealthOptions:
    """The health server's settings (``FSB_HEALTH_*``): where it listens (port 0: it does not)
    and how long a page may wait unsent before it answers 503."""

    host: str = "0.0.0.0"
    port: int = DEFAULT_HEALTH_PORT
    page_wait: float = DEFAULT_PAGE_WAIT

    @classmethod
    def of(cls, settings: Settings) -> HealthOptions:
        return cls(settings.health_host, settings.health_port, settings.health_page_wait)


OFF = HealthOptions(port=0)
"""No health server (the demo: a laptop, nothing to watch it)."""


@contextlib.asynccontextmanager
async def _health(app: BotApp, options: HealthOptions) -> AsyncIterator[HealthServer | None]:
    """The health server while the block runs (none for port 0); a port that cannot be had is
    a :class:`ConfigError`."""
    if options.port == 0:
        yield None
        return
    server = HealthServer(app, options.host, options.port)
    try:
        await server.start()
    except OSError as error:
        await server.stop()
        raise ConfigError(
            f"Cannot serve the health check on {options.host}:{options.port}"
            f" (FSB_HEALTH_PORT): {error.strerror or type(error).__name__}. Set FSB_HEALTH_PORT"
            " to a free port, or to 0 for no health server."
        ) from error
    try:
        yield server
    finally:
        await server.stop()


def run_console(
    database: Database,
    config: TeamFile,
    key: str,
    health: HealthOptions = OFF,
    mail: Sequence[Messenger] = (),
) -> None:
    """Run on the local console until its input ends; ``health``: the health server's settings
    (``fsbot run``; the demo has none); e-mail goes through ``mail`` (bot/main/mail.py)."""
    from adapters.console.messenger import ConsoleMessenger
    from adapters.console.session import ConsoleAdapter, stdin_is_terminal

    async def go() -> None:
        messenger = ConsoleMessenger(sys.stdout)
        app = BotApp(
            database=database,
            config=config,
            key=key,
            messengers=[messenger, *mail],
            page_wait=health.page_wait,
        )
        await app.start()
        try:
            async with _health(app, health):
                session = ConsoleAdapter(app, messenger, sys.stdout)
                await session.run(sys.stdin, stdin_is_terminal())
                await app.flush()
        finally:
            await app.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(go())


def run_platforms(
    database: Database,
    config: TeamFile,
    key: str,
    adapters: list[PlatformAdapter],
    health: HealthOptions = OFF,
    mail: Sequence[Messenger] = (),
) -> None:
    """Run until SIGTERM or SIGINT. A platform that cannot be reached at start raises
    :class:`bot.ports.PlatformUnavailable`, a database that cannot be used
    :class:`bot.ports.StoreFault`, a health port that cannot be had :class:`ConfigError`, each
    with everything started so far stopped again. ``health``: the health server's settings;
    e-mail goes through ``mail`` (bot/main/mail.py)."""

    async def go() -> None:
        started: list[PlatformAdapter] = []
        app: BotApp | None = None
        try:
            for adapter in adapters:
                await start_adapter(adapter)
                started.append(adapter)
            app = BotApp(
                database=database,
                config=config,
                key=key,
                messengers=[*(a.messenger for a in adapters), *mail],
                page_wait=health.page_wait,
            )
            await app.start()
            async with _health(app, health):
                await _serve(app, adapters)
        finally:
            if app is not None:
                await app.stop()
            for adapter in started:
                with contextlib.suppress(Exception):
                    await adapter.stop()

    asyncio.run(go())


async def start_adapter(adapter: PlatformAdapter) -> None:
    """Start one adapter; an answer that never comes is a platform that cannot be reached."""
    try:
        async with asyncio.timeout(START_TIMEOUT):
            await adapter.start()
    except TimeoutError as error:
        raise PlatformUnavailable(
            f"{type(adapter).__name__} got no answer from its platform within"
            f" {START_TIMEOUT:.0f} s; check the FSB_ settings for its API URL."
        ) from error


async def _serve(app: BotApp, adapters: list[PlatformAdapter]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(_receive(app, a)) for a in adapters]
    stopper = asyncio.create_task(stop.wait())
    try:
        done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is not stopper and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
    finally:
        for task in [*tasks, stopper]:
            task.cancel()
        await asyncio.gather(*tasks, stopper, return_exceptions=True)


async def _receive(app: BotApp, adapter: PlatformAdapter) -> None:
    """Run one adapter. An adapter that long-polls its platform (Telegram without a webhook,
    which allows one poller per token) polls only while this process holds the poller lock when
    several processes share a PostgreSQL database (bot/main/cluster.py); webhooks and Slack run
    in every process."""
    if app.cluster is not None and getattr(adapter, "polls", False):
        await app.cluster.poll(lambda: adapter.run(app))
    else:
        await adapter.run(app)
