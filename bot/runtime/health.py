"""The health check: can the bot do its job now? (See :class:`bot.ports.health.HealthReport`.)

Healthy means: the database answers a read within :data:`DATABASE_TIMEOUT`; the outbox workers
and the scheduler run and none is stuck (a loop that is working has shown progress within
:data:`STALL` seconds: each row delivered and each batch of timers fired is a heartbeat, and a
loop asleep until its next deadline is alive); and no page has waited to be sent longer than
the limit (``FSB_HEALTH_PAGE_WAIT``). The same read sets the metrics' gauges (outbox backlog,
timers pending), so a scrape and a health check cost one short read transaction each.

A change between healthy and unhealthy is logged once, with the problems in fixed words.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from bot.ports.health import HealthReport
from bot.ports.records import VitalSigns
from bot.ports.store import Store
from bot.runtime.clock import Clock
from bot.runtime.loop import WakeableLoop
from bot.runtime.metrics import Metrics

log = logging.getLogger(__name__)

DATABASE_TIMEOUT = 5.0  # seconds the database may take to answer the check
STALL = 120.0  # seconds a working loop may go without progress before it counts as stuck


class HealthCheck:
    """Checks ``store`` and the ``loops`` (name -> loop) of one running app; ``page_wait`` is the
    most, in seconds, a page may wait unsent. Gauges of ``metrics`` are set at each check."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        loops: Mapping[str, WakeableLoop],
        metrics: Metrics,
        page_wait: float,
        *,
        stall: float = STALL,
    ) -> None:
        self.stall = stall  # seconds a working loop may go without progress
        self._store = store
        self._clock = clock
        self._loops = dict(loops)
        self._metrics = metrics
        self.page_wait = page_wait
        self._was_healthy: bool | None = None

    async def check(self) -> HealthReport:
        """The bot's health now; never raises (a database that fails is a fact it reports)."""
        signs = await self._read()
        wait = None
        if signs is not None:
            wait = 0.0
            if signs.oldest_page is not None:
                wait = max(0.0, (self._clock.now() - signs.oldest_page).total_seconds())
            self._metrics.update(signs, wait)
        report = HealthReport(
            database=signs is not None,
            workers={name: loop.alive(self.stall) for name, loop in self._loops.items()},
            oldest_page_wait=wait,
            page_wait_limit=self.page_wait,
        )
        self._log_change(report)
        return report

    async def _read(self) -> VitalSigns | None:
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT):
                async with self._store.transaction() as tx:
                    return await tx.vital_signs()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # any failure is "the database does not answer"
            log.info("health check: the database did not answer: %s", type(error).__name__)
            return None

    def _log_change(self, report: HealthReport) -> None:
        if report.healthy == self._was_healthy:
            return
        if not report.healthy:
            log.warning("health: unhealthy (%s)", "; ".join(report.problems))
        elif self._was_healthy is not None:
            log.warning("health: healthy again")
        self._was_healthy = report.healthy
