"""What crosses the boundary between adapters and the core.

An adapter turns a platform update into an :class:`Inbound` and renders an :class:`Outbound`.
Neither knows anything of cases; the core knows nothing of platforms.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from bot.domain.addresses import Address as Address
from bot.domain.addresses import Forwarded as Forwarded
from bot.domain.clean_text import clean
from bot.domain.model import PlatformUser
from bot.ports.markup import Rich

# Longest text we accept in one inbound message; longer is refused kindly and changes nothing.
# Every platform's own largest message fits: Slack's 40,000 characters, Telegram's 4096 UTF-16
# code units. (The console has no limit of its own.)
MAX_INBOUND_TEXT = 40_000


@dataclass(frozen=True)
class Inbound:
    """One thing a person did: wrote text, ran a command, pressed a button, or corrected
    something they wrote (``edited``).

    Every text in it is cleaned on creation (:func:`bot.clean_text.clean`): whatever an adapter
    passes in, nothing downstream sees a lone surrogate or a control character.
    """

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
    # The platform says the sender now takes the bot's private messages ("member": started or
    # unblocked it) or does not ("left": blocked it). Nothing else is in such an event.
    membership: str | None = None
    # The platform's id of this message in its chat (Telegram message_id, Slack ts), so that a
    # later edit of it can be matched to what it said.
    message_id: str | None = None
    # True: this is an edit of the earlier message ``message_id``, and ``text`` its new wording.
    edited: bool = False
    forwarded: Forwarded | None = None  # where a forwarded message came from

    def __post_init__(self) -> None:
        # The documented way to set a field of a frozen dataclass while it is being created.
        object.__setattr__(self, "text", clean(self.text))
        if self.sender.display_name != clean(self.sender.display_name):
            sender = replace(self.sender, display_name=clean(self.sender.display_name))
            object.__setattr__(self, "sender", sender)
        if self.forwarded is not None:
            forwarded = replace(
                self.forwarded,
                name=clean(self.forwarded.name),
                username=clean(self.forwarded.username),
                author=clean(self.forwarded.author),
            )
            object.__setattr__(self, "forwarded", forwarded)
        if self.form is not None:
            object.__setattr__(self, "form", _cleaned(self.form))

    @property
    def message_ref(self) -> str:
        """``"telegram:123"``: which message this is, across platforms; ``""`` when unknown."""
        return f"{self.sender.platform}:{self.message_id}" if self.message_id else ""

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


def _cleaned(value: Any) -> Any:
    """Every string inside a form's answers (strings, lists, dicts), cleaned."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Choice:
    """A button: a label people read and the token the platform carries back.

    ``link="private_chat"`` makes it a button that opens a private chat with the bot instead
    (each adapter knows how: a deep link on Telegram, the app's DM on Slack); it has no token.
    """

    label: str
    token: str
    link: str | None = None


@dataclass
class Outbound:
    """A message ready for an adapter: text, buttons, and optionally the message it replaces."""

    address: Address
    text: Rich
    choices: list[Choice] = field(default_factory=list)
    replaces_ref: str | None = None  # the platform message id to edit instead of sending anew
    plain: bool = False  # already the safe plain form of a refused message (bot.refusals)
    # What an e-mail says in its subject line (a case code, bot/text/mail_words.py); chat
    # platforms have no subject and ignore it.
    subject: str = ""
    urgent: bool = False  # a page or a message to an outside contact: ahead of every queue

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "platform": self.address.platform,
            "chat_id": self.address.chat_id,
            "text": self.text.to_json(),
            "choices": [[c.label, c.token, c.link] for c in self.choices],
        }
        if self.plain:
            data["plain"] = True
        if self.subject:
            data["subject"] = self.subject
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], replaces_ref: str | None = None) -> Outbound:
        return cls(
            address=Address(data["platform"], data["chat_id"]),
            text=Rich.from_json(data["text"]),
            choices=[Choice(*choice) for choice in data["choices"]],
            replaces_ref=replaces_ref,
            plain=bool(data.get("plain", False)),
            subject=str(data.get("subject", "")),
        )
