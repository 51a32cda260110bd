"""What the outbox workers (bot/runtime/delivery.py) do after a send did not go through: how long
to wait, when to give up, and the plain-form second try. Letting a page's chain move on is
bot/services/page_failures.py's ``page_failed``."""

from __future__ import annotations

import logging
import traceback
from datetime import datetime, timedelta

from bot.ports.events import Outbound
from bot.ports.platform import DeliveryError
from bot.ports.store import OutboxRow, Tx
from bot.runtime.refusals import plain_form

log = logging.getLogger("bot.runtime.delivery")

MAX_BACKOFF = timedelta(minutes=5)
MAX_ATTEMPTS = 50
"""Sends of one row that count (paced waits do not) before it is given up as failed."""


def conversation(message: Outbound) -> tuple[str, str]:
    """``(platform, chat id)``: the conversation a message goes to, for per-chat pacing."""
    return (message.address.platform, message.address.chat_id)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed send: 2, 4, 8 ... seconds, at most 5 minutes."""
    return min(MAX_BACKOFF, timedelta(seconds=2 ** min(attempts, 10)))


def log_unexpected(what: str, row_id: int, exc: Exception) -> None:
    """An exception we did not expect, logged by its type and where it was raised: its text can
    hold what was being sent (a library may put the request in it), so it is left out."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("%s outbox row %s: %s\n%s", what, row_id, type(exc).__name__, frames)


async def after_failure(
    tx: Tx, row: OutboxRow, message: Outbound, error: DeliveryError, now: datetime
) -> bool:
    """Retry later, give up, or (refused for its form) try once more in plain form now.

    Returns True when the row will be tried again (a retry, for the metrics), False when it was
    given up (refused for good, or :data:`MAX_ATTEMPTS` reached)."""
    if error.refused and not message.plain:
        await tx.replace_pending(row.id, plain_form(message))
        await tx.mark_retry(row.id, now, error.reason)
    elif error.permanent or row.attempts + 1 >= MAX_ATTEMPTS:
        await tx.mark_failed(row.id, error.reason)
        return False
    else:
        wait = (
            timedelta(seconds=error.retry_after)
            if error.retry_after is not None
            else backoff(row.attempts)
        )
        await tx.mark_retry(row.id, now + wait, error.reason)
    return True
