"""The running bot's readiness probes (bot/services/readiness.py): asked at start once the
leads' daily notes have begun, and a few minutes before each note still to come, so that the
note says who still cannot be paged. Part of the composition root, beside bot/main/app.py."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from datetime import timedelta

from bot.domain.team import Team
from bot.ports.platform import ReadinessProbe
from bot.ports.store import Store, StoreFault
from bot.runtime.clock import Clock
from bot.runtime.crypto import Cipher
from bot.services import readiness
from bot.uow import UnitOfWork

log = logging.getLogger(__name__)

BEFORE_NOTE = timedelta(minutes=5)  # the platforms are asked this long before a note


class Prober:
    """Asks ``probes`` (platform -> its probe) and records what they say in ``store``."""

    def __init__(
        self,
        store: Store,
        team: Team,
        cipher: Cipher,
        clock: Clock,
        probes: Mapping[str, ReadinessProbe],
    ) -> None:
        self._store, self._team, self._cipher, self._clock = store, team, cipher, clock
        self.probes = dict(probes)
        self._task: asyncio.Task[None] | None = None

    async def probe(self) -> None:
        """Ask every platform whether each person can be paged, and record the answers; a
        store that fails is left for the next time."""
        asked = await readiness.probe_all(self._team, self.probes)
        try:
            async with self._store.transaction() as tx:
                uow = UnitOfWork(tx, self._clock.now(), self._team, self._cipher)
                await readiness.record(uow, asked)
        except StoreFault as fault:
            log.warning("readiness: could not record the probe: %s", fault.kind)

    def start(self) -> None:
        """Probe when the notes need it (see the module's docstring), in the background."""
        self._task = asyncio.create_task(self._before_notes(), name="readiness")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    async def _before_notes(self) -> None:
        if not self.probes:
            return
        for moment in readiness.probe_times(self._team, self._clock.now(), BEFORE_NOTE):
            wait = (moment - self._clock.now()).total_seconds()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                await self.probe()
            except Exception:  # a platform's bug must not end the bot; /ready still works
                log.exception("readiness: the probe failed")
