"""A rate limiter for python-telegram-bot that lets pages overtake ordinary messages.

PTB's :class:`telegram.ext.AIORateLimiter` keeps Telegram's limits (30 messages a second
overall, 20 a minute in one group) with plain first-come queues, so a page could wait behind a
burst of intake replies. This one keeps the same limits, counted over a sliding window (never
more than the limit in any period, where a leaky bucket lets bursts exceed it), but a
request that waits is served by priority first, then in order of arrival: a send marked urgent
(``rate_limit_args=URGENT``: pages and messages to outside contacts, see
:data:`bot.uow.URGENT_PURPOSES`) goes before every ordinary one still waiting. Nothing is sent
faster than the limits allow, so Telegram never answers 429 for the bot's own pace.

Like AIORateLimiter with ``max_retries=0``, a RetryAfter from Telegram is raised at once: the
outbox waits the time Telegram asked and sends the message again (adapters/telegram/messenger.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.constants import FloodLimit
from telegram.ext import BaseRateLimiter

# Both truthy: python-telegram-bot drops a falsy ``rate_limit_args`` (``if not rate_limit_args``
# in ExtBot), so with URGENT = 0 every page reached the limiter as ordinary.
URGENT = 1
ORDINARY = 2
URGENT_RESERVE = 3
"""Of Telegram's 30 messages a second, ordinary ones use at most 27: a page never waits for a
place in the window, only for the pages before it."""
_JSON = bool | dict[str, Any] | list[dict[str, Any]]


class PriorityBucket:
    """At most ``rate`` acquisitions in any ``period`` seconds (a sliding window, stricter than
    a leaky bucket's average); those that must wait go by (priority, arrival). The last
    ``reserve`` places of each window are for urgent sends only, so that a page finds one free
    even while ordinary messages use up all they may."""

    def __init__(self, rate: float, period: float, reserve: int = 0) -> None:
        self.rate = max(1, int(rate))
        self.period = period
        self.reserve = min(max(0, reserve), self.rate - 1)
        self._recent: deque[float] = deque()  # times of the last ``rate`` acquisitions
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._wake: asyncio.TimerHandle | None = None

    def _free_in(self, priority: int = URGENT) -> float:
        """Seconds until one more of ``priority`` may go (0: now)."""
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= self.period:
            self._recent.popleft()
        allowed = self.rate if priority == URGENT else self.rate - self.reserve
        if len(self._recent) < allowed:
            return 0.0
        return self._recent[-allowed] + self.period - now

    def _take(self) -> None:
        self._recent.append(time.monotonic())

    def idle(self) -> bool:
        """Whether nothing went in the last period and nobody waits (it may be forgotten)."""
        self._free_in()
        return not self._waiting and not self._recent

    async def acquire(self, priority: int = ORDINARY) -> None:
        """Return once a send may go (raises CancelledError if cancelled while waiting)."""
        ahead = any(p <= priority and not f.done() for p, _, f in self._waiting)
        if not ahead and self._free_in(priority) == 0:
            self._take()
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._order), future))
        if self._wake is not None:  # armed for who was first in line; this one may be sooner
            self._wake.cancel()
            self._wake = None
        self._arm()
        await future

    def _arm(self) -> None:
        if self._wake is not None or not self._waiting:
            return
        wait = self._free_in(self._waiting[0][0])  # for the first in line, by its priority
        self._wake = asyncio.get_running_loop().call_later(wait, self._release)

    def _release(self) -> None:
        self._wake = None
        while self._waiting and self._free_in(self._waiting[0][0]) == 0:
            _, _, future = heapq.heappop(self._waiting)
            if future.done():  # cancelled while waiting
                continue
            self._take()
            future.set_result(None)
        self._arm()


class PriorityRateLimiter(BaseRateLimiter[int]):
    """:class:`telegram.ext.BaseRateLimiter` with Telegram's flood limits and urgent sends first.

    ``rate_limit_args`` is :data:`URGENT` or :data:`ORDINARY` (the default); ordinary sends
    leave ``urgent_reserve`` of the overall rate to urgent ones.
    """

    def __init__(
        self,
        overall_max_rate: float = FloodLimit.MESSAGES_PER_SECOND,
        group_max_rate: float = FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
        group_time_period: float = 60,
        urgent_reserve: int = URGENT_RESERVE,
    ) -> None:
        self._overall = PriorityBucket(overall_max_rate, 1, urgent_reserve)
        self._group_rate = group_max_rate
        self._group_period = group_time_period
        self._groups: dict[int | str, PriorityBucket] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    def _group(self, group: int | str) -> PriorityBucket:
        if len(self._groups) > 512:
            for key, bucket in list(self._groups.items()):
                if key != group and bucket.idle():
                    del self._groups[key]
        return self._groups.setdefault(group, PriorityBucket(self._group_rate, self._group_period))

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, _JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> _JSON:
        """Wait for the group's and the overall limit, urgent first; then call Telegram."""
        priority = ORDINARY if rate_limit_args is None else rate_limit_args
        chat_id = data.get("chat_id")
        if chat_id is not None:
            with contextlib.suppress(ValueError, TypeError):
                chat_id = int(chat_id)
            if isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0):
                await self._group(chat_id).acquire(priority)
            await self._overall.acquire(priority)
        return await callback(*args, **kwargs)
