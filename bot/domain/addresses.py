"""Where a message comes from and goes to, as plain values: a platform chat (:class:`Address`) and
the origin of a forwarded message (:class:`Forwarded`). The ports' events carry them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Forwarded:
    """Where a forwarded message first came from (Telegram's ``forward_origin``).

    ``kind`` is ``user`` (a person: ``name`` and perhaps ``username``), ``hidden_user`` (a person
    who hides their account: only the ``name`` they show), ``chat`` (a group) or ``channel``
    (``name`` is its title, ``username`` its public name; ``author`` a signature, if shown).
    ``date`` is when the original was sent (UTC).
    """

    kind: str
    name: str
    date: datetime
    username: str = ""
    author: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "name": self.name,
            "date": self.date.isoformat(),
            "username": self.username,
            "author": self.author,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Forwarded:
        return cls(
            kind=str(data["kind"]),
            name=str(data["name"]),
            date=datetime.fromisoformat(str(data["date"])),
            username=str(data.get("username") or ""),
            author=str(data.get("author") or ""),
        )


# E-mail is a platform that only sends: an [[external]] contact's ``email`` is its chat id there
# (adapters/email), and its messages have an outbox lane of their own (bot/runtime/delivery.py).
EMAIL = "email"


@dataclass(frozen=True)
class Address:
    """Where a message goes on one platform: a chat id (private chat or channel)."""

    platform: str
    chat_id: str
