"""Which outbox lane sends a row: team-channel posts, e-mail (to external contacts), or the rest.

Each lane is a worker of its own (bot/runtime/delivery.py), so a post held back by a group's
limit, or an e-mail waiting for a slow SMTP server, never holds up a page. The store sorts rows
into lanes the same way (``Outbox.due_outbox``: ``channel`` by purpose, ``mail`` by platform).
"""

from __future__ import annotations

from bot.domain.addresses import EMAIL
from bot.ports.store import OutboxRow


def in_lane(row: OutboxRow, *, channel: bool, mail: bool) -> bool:
    """Whether the lane (``channel``, ``mail``) sends ``row``; a row without payload: none."""
    if row.message is None:
        return False
    is_mail = row.message.address.platform == EMAIL
    return is_mail == mail and row.purpose.startswith("channel") == channel
