"""The health server: ``GET /healthz`` and ``GET /metrics`` on ``FSB_HEALTH_PORT``, in every mode
(Telegram polling or webhook, Slack Socket Mode or HTTP, the console of ``fsbot run``).

A small aiohttp server of its own, so that polling and Socket Mode, which listen on no port,
have one too, and so that a container's HEALTHCHECK and a Prometheus scrape find the bot at one
port whatever the mode. It answers from the running app: the one health check
(bot/runtime/health.py) and the app's own metrics registry (bot/runtime/metrics.py).
"""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.main.app import BotApp
from bot.ports.health import HEALTH_PATH, METRICS_PATH

__all__ = ["HealthServer", "health_app"]


def health_app(app: BotApp) -> web.Application:
    """The aiohttp application answering :data:`HEALTH_PATH` and :data:`METRICS_PATH`."""

    async def healthz(request: web.Request) -> web.Response:
        report = await app.health()
        return web.json_response(report.to_json(), status=report.status)

    async def metrics(request: web.Request) -> web.Response:
        await app.health()  # the gauges (backlog, timers, oldest page) are read now
        response = web.Response(body=app.metrics.render())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    server = web.Application()
    server.router.add_get(HEALTH_PATH, healthz)
    server.router.add_get(METRICS_PATH, metrics)
    return server


class HealthServer:
    """:func:`health_app` listening on ``host:port`` (port 0: any free port, see :attr:`port`)."""

    def __init__(self, app: BotApp, host: str, port: int) -> None:
        self._runner = web.AppRunner(health_app(app), access_log=None)
        self._host = host
        self.port = port

    async def start(self) -> None:
        """Listen; raises ``OSError`` when the port cannot be had (in use, not allowed)."""
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self.port)
        await site.start()
        if self.port == 0:  # the port the system chose
            self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        await self._runner.cleanup()
