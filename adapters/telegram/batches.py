"""One ``getUpdates`` batch, handled per person in order and across people at once.

Telegram hands out up to 100 updates at a time. Handled one after another, each with its
transaction and its disk sync, a call for help waited behind every other person's intake step in
the same batch (bench/page_priority.py measured 8.6x the quiet figure with fifty people
mid-report). So a batch is split into lanes: updates that share a chat or a sender are one lane,
handled in the order Telegram gave them, so a person's messages are never handled out of order;
lanes run at the same time, so their disk syncs are shared (storage/sqlite/store.py: group
commit). A lane holding a press of a call-for-help button (bot.domain.codes.is_urgent_token) is
started first, so its transaction is first in line for the database.

The batch is done, and its updates may be confirmed to Telegram, only once every lane is: the
runner moves the ``getUpdates`` offset past a batch only after this returns, so a crash mid-batch
has Telegram hand out the whole batch again, and the core's de-duplication skips what was done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from telegram import Update

from bot.domain.codes import is_urgent_token

log = logging.getLogger(__name__)


def _keys(update: Update) -> set[str]:
    """What ties an update to others that must be handled in order with it: its chat, its sender
    (an update with neither is a lane of its own)."""
    keys: set[str] = set()
    chat = update.effective_chat
    if chat is not None:
        keys.add(f"chat:{chat.id}")
    user = update.effective_user
    if user is not None:
        keys.add(f"user:{user.id}")
    return keys


def urgent(update: Update) -> bool:
    """Whether ``update`` is a press of a call-for-help button."""
    query = update.callback_query
    return query is not None and is_urgent_token(query.data)


def lanes(updates: Sequence[Update]) -> list[list[Update]]:
    """``updates`` split into lanes (see the module's docstring), each in Telegram's order;
    lanes with a call for help first, the others in the order of their first update."""
    owner: dict[str, int] = {}  # key -> lane number
    members: dict[int, list[Update]] = {}
    for number, update in enumerate(updates):
        keys = _keys(update)
        joined = sorted({owner[key] for key in keys if key in owner})
        lane = joined[0] if joined else number  # a fresh lane takes the update's position
        members.setdefault(lane, [])
        for other in joined[1:]:  # the update ties two lanes together: they become one
            members[lane].extend(members.pop(other))
            owner.update({key: lane for key, at in owner.items() if at == other})
        members[lane].append(update)
        owner.update({key: lane for key in keys})
    ordered = [sorted(lane, key=lambda u: u.update_id) for lane in members.values()]
    ordered.sort(key=lambda lane: (not any(urgent(u) for u in lane), lane[0].update_id))
    return ordered


async def handle_batch(
    updates: Sequence[Update], process: Callable[[Update], Awaitable[None]]
) -> None:
    """Handle ``updates`` with ``process``, in lanes (see :func:`lanes`); return once every one
    was handled. An update whose handling raised (a bug) is logged, without content, and its lane
    goes on, so one update cannot block anyone else's."""

    async def run(lane: list[Update]) -> None:
        for update in lane:
            try:
                await process(update)
            except Exception:
                log.exception("update %s could not be handled", update.update_id)

    tasks = [asyncio.create_task(run(lane), name="telegram: lane") for lane in lanes(updates)]
    try:
        await asyncio.gather(*tasks)
    except asyncio.CancelledError:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
