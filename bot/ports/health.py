"""The health check's answer, and where it is served: the contract between the running app
(bot/runtime/health.py makes the answer), the health server (bot/main/health_server.py), the
webhook servers of the adapters (which answer ``GET /healthz`` with the same), and packaging
(the container's HEALTHCHECK, a Prometheus scrape).

The answer holds facts about the machinery only: no content, no identities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["HEALTH_PATH", "METRICS_PATH", "HealthReport"]

HEALTH_PATH = "/healthz"
"""``GET`` here: 200 when healthy, 503 when not, a JSON body of :meth:`HealthReport.to_json`.
Served on ``FSB_HEALTH_PORT`` (default :data:`bot.config.settings.DEFAULT_HEALTH_PORT`) and by
the webhook servers (Telegram webhook, Slack HTTP mode)."""

METRICS_PATH = "/metrics"
"""``GET`` here: Prometheus metrics (text exposition), on ``FSB_HEALTH_PORT``."""


@dataclass(frozen=True)
class HealthReport:
    """Whether the bot can do its job now.

    ``database``: the database answered a read within the check's time limit. ``workers``: each
    background loop (``outbox``, ``outbox_channel``, ``scheduler``) -> it runs and is not stuck
    (bot/runtime/health.py).
    ``oldest_page_wait``: seconds the longest-waiting unsent page has waited (0.0: none waits;
    None: unknown, the database did not answer). ``page_wait_limit``: the most a page may wait
    (``FSB_HEALTH_PAGE_WAIT``) before the bot counts as unhealthy.
    """

    database: bool
    workers: dict[str, bool] = field(default_factory=dict)
    oldest_page_wait: float | None = None
    page_wait_limit: float = 60.0

    @property
    def problems(self) -> list[str]:
        """What is wrong, in a few fixed words (empty when healthy)."""
        found = [] if self.database else ["database not answering"]
        found += [f"{name} not working" for name, alive in self.workers.items() if not alive]
        if self.oldest_page_wait is not None and self.oldest_page_wait > self.page_wait_limit:
            found.append("a page has waited too long")
        return found

    @property
    def healthy(self) -> bool:
        return not self.problems

    @property
    def status(self) -> int:
        """The HTTP status to answer with: 200 healthy, 503 not."""
        return 200 if self.healthy else 503

    def to_json(self) -> dict[str, Any]:
        """The body of ``GET /healthz``."""
        wait = self.oldest_page_wait
        return {
            "status": "ok" if self.healthy else "unhealthy",
            "problems": self.problems,
            "database": self.database,
            "workers": dict(self.workers),
            "oldest_page_wait_seconds": None if wait is None else round(wait, 1),
            "page_wait_limit_seconds": self.page_wait_limit,
        }
