"""What crosses the boundary between adapters and the core.

An adapter turns a platform update into an :class:`Inbound` and renders an :class:`Outbound`.
Neither knows anything of cases; the core knows nothing of platforms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.domain import PlatformUser
from bot.richtext import Rich

# Longest text we accept in one inbound message; longer is refused kindly and changes nothing.
MAX_INBOUND_TEXT = 4000


@dataclass(frozen=True)
class Inbound:
    """One thing a person did: wrote text, ran a command or pressed a button."""

    sender: PlatformUser
    chat_id: str
    private: bool
    text: str = ""
    button: str | None = None  # the opaque action token carried by a pressed button
    attachment: str | None = None  # a platform file reference
    delivery_id: str | None = None  # the platform's id, for de-duplicating retries
    form: dict[str, Any] | None = None  # a whole report submitted as a form (Slack's modal)
    home: bool = False  # the person opened the app's home view (Slack's App Home)
    reply_to: str | None = None  # the platform ref of our message this one replies to
    # (old id, new id): the platform says it moved a chat (Telegram: a group became a supergroup)
    moved: tuple[str, str] | None = None

    @property
    def command(self) -> tuple[str, list[str]] | None:
        """``("/ack", ["FS-7K3Q"])`` for command text, else ``None``."""
        stripped = self.text.strip()
        if not stripped.startswith("/"):
            return None
        word, *rest = stripped.split()
        name = word.split("@", 1)[0].lower()  # Telegram appends @botname in groups
        return name, rest


@dataclass(frozen=True)
class Choice:
    """A button: a label people read and the token the platform carries back.

    ``link="private_chat"`` makes it a button that opens a private chat with the bot instead
    (each adapter knows how: a deep link on Telegram, the app's DM on Slack); it has no token.
    """

    label: str
    token: str
    link: str | None = None


@dataclass(frozen=True)
class Address:
    """Where a message goes on one platform: a chat id (private chat or channel)."""

    platform: str
    chat_id: str


@dataclass
class Outbound:
    """A message ready for an adapter: text, buttons, and optionally the message it replaces."""

    address: Address
    text: Rich
    choices: list[Choice] = field(default_factory=list)
    replaces_ref: str | None = None  # the platform message id to edit instead of sending anew

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.address.platform,
            "chat_id": self.address.chat_id,
            "text": self.text.to_json(),
            "choices": [[c.label, c.token, c.link] for c in self.choices],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], replaces_ref: str | None = None) -> Outbound:
        return cls(
            address=Address(data["platform"], data["chat_id"]),
            text=Rich.from_json(data["text"]),
            choices=[Choice(*choice) for choice in data["choices"]],
            replaces_ref=replaces_ref,
        )
