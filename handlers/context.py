"""What every handler gets: the unit of work, the inbound event and who sent it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.config.teamfile import Member
from bot.domain.readiness import Asked
from bot.ports.events import Address, Inbound
from bot.text.richtext import Rich
from bot.uow import Button, UnitOfWork, member_audience


@dataclass(frozen=True)
class Upload:
    """A file read before the transaction (only for the few commands that need its bytes)."""

    data: bytes = b""
    problem: str | None = None  # why it could not be read, in words for the sender


@dataclass
class Request:
    uow: UnitOfWork
    event: Inbound
    member: Member | None  # None for a participant
    upload: Upload | None = None
    # What the platforms' readiness probes said, asked before the transaction (a lead's /ready)
    probed: Asked | None = None

    @property
    def owner(self) -> str:
        """The blind index that keys this person's draft."""
        return self.uow.person_key(self.event.sender)

    @property
    def audience(self) -> str:
        if self.member is not None:
            return member_audience(self.member)
        return self.uow.reporter_audience(self.event.sender)

    async def tell_presser(self, text: Rich) -> None:
        """Answer only the person who pressed a button, in their own private chat (their user id
        is that chat on every platform): the button may sit in someone else's chat, which must
        not hear of the press."""
        sender = self.event.sender
        await self.uow.send(
            Address(sender.platform, sender.user_id), text, audience=self.audience, purpose="reply"
        )

    async def reply(
        self, text: Rich, buttons: Sequence[Button] = (), *, case_id: int | None = None
    ) -> None:
        """Answer in the chat the event came from; buttons are bound to this person. A reply
        about a case names it, so that answering that message later finds the case."""
        await self.uow.send(
            Address(self.event.sender.platform, self.event.chat_id),
            text,
            buttons,
            audience=self.audience,
            purpose="reply",
            case_id=case_id,
        )
