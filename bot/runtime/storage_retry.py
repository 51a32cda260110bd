"""Trying again when the store's trouble may pass by itself, and for how long.

A :class:`bot.ports.StoreFault` that is transient is tried again with backoff (0.1 s, doubling,
at most 5 s between tries), for as long as the kind of fault deserves:

* ``busy``: another process holds the database's write lock (a backup, ``fsbot purge`` from
  cron). Each try already waits SQLite's busy timeout (storage/sqlite/store.py), and a lock is
  usually
  let go within seconds, so an update waits up to :data:`PATIENCE` ``["busy"]``, a minute.
* ``full`` and ``io``: no space left, or the disk failing. These rarely pass within seconds, and
  a person may be waiting in danger: a few quick tries, a second in all, then the caller tells
  them (bot/runtime/storage_alarm.py).

A permanent fault (read-only, damaged, cannot open) is raised at once. A wait over a second is
logged when it ends, with how long it took; nothing about what was being stored is logged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from bot.ports.store import StoreFault

log = logging.getLogger(__name__)

T = TypeVar("T")

PATIENCE: Mapping[str, float] = {"busy": 60.0, "full": 1.0, "io": 1.0}  # seconds
FIRST_DELAY = 0.1  # seconds before the second try
MAX_DELAY = 5.0  # seconds between tries, at most
LONG_WAIT = 1.0  # seconds: a wait this long is logged when it ends


def delays(first: float = FIRST_DELAY, most: float = MAX_DELAY) -> Callable[[], float]:
    """The next wait each time it is called: ``first``, doubling, never over ``most``."""
    current = first / 2

    def step() -> float:
        nonlocal current
        current = min(most, current * 2)
        return current

    return step


async def with_retries(
    operation: Callable[[], Awaitable[T]],
    *,
    what: str,
    patience: Mapping[str, float] = PATIENCE,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """``operation()``'s result, trying again on a transient :class:`StoreFault`.

    ``what`` names the work in the log (never anything a person wrote). ``patience`` is how many
    seconds each kind of fault is tried for, counted from the first try; when it runs out the
    last fault is raised. ``sleep`` and ``clock`` are parameters so that tests can count waits
    without making them.
    """
    started = clock()
    next_delay = delays()
    tries = 0
    while True:
        tries += 1
        try:
            result = await operation()
        except StoreFault as fault:
            if not fault.transient:
                raise  # needs a person: the caller says so
            stop_if_cancelled()
            waited = clock() - started
            limit = patience.get(fault.kind, 0.0)
            if waited >= limit:
                log.warning("%s gave up after %d tries in %.1f s: %s", what, tries, waited, fault)
                raise
            delay = min(next_delay(), limit - waited)
            log.warning(
                "%s: the database is %s (try %d, %.1f s so far); trying again in %.1f s",
                what,
                _STATE.get(fault.kind, fault.kind),
                tries,
                waited,
                delay,
            )
            await sleep(delay)
            continue
        waited = clock() - started
        if tries > 1 or waited >= LONG_WAIT:
            log.warning("%s went through after %d tries, waiting %.1f s", what, tries, waited)
        return result


def stop_if_cancelled() -> None:
    """Raise ``CancelledError`` if this task is being cancelled. A fault met while a
    cancellation unwinds (a ``finally`` that reads the database) must not turn it into one more
    try: the bot would never stop."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


_STATE = {
    "busy": "locked by another process",
    "full": "out of space",
    "io": "failing to read or write",
}
