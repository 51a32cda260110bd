"""One unit of work: a transaction plus what a handler needs to act within it.

Everything a handler sends goes through here into the outbox, in the same transaction as the state
change that caused it. Buttons get their opaque tokens here, bound to their intended audience.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.config.teamfile import External, Member
from bot.domain.addresses import EMAIL
from bot.domain.codes import DRILL_CODE, REAL_CODE
from bot.domain.model import AuditEntry, Case, PlatformUser
from bot.domain.team import Team
from bot.ports.events import Address, Choice, Outbound
from bot.ports.store import OutboxRow, Tx
from bot.runtime.crypto import Cipher
from bot.text.drill_words import marked
from bot.text.mail_words import mail_subject
from bot.text.reader import reading
from bot.text.richtext import Rich

# A text to send: written already, or a function that writes it, called in the language of the
# person it goes to (bot/text/reader.py); the latter for messages to someone other than the
# person whose event is being handled (a page, a channel post, a note to the reporter).
Words = Rich | Callable[[], Rich]
# Buttons likewise: their labels are read by the person they go to.
Labels = Sequence["Button"] | Callable[[], Sequence["Button"]]

# Messages that may be edited later keep their payload; everything else is purged once sent.
EDITABLE_PURPOSES = frozenset({"page", "channel", "channel-alert"})
# Messages someone is waiting for: sent before any other (see SqliteTx.due_outbox) and, once
# committed, handed to the outbox worker straight from memory (see OutboxWorker.committed).
URGENT_PURPOSES = frozenset({"page", "external"})


@dataclass(frozen=True)
class Button:
    """A button before it has a token: what it does and with what arguments."""

    label: str
    action: str
    args: dict[str, Any]
    link: str | None = None


def button(label: str, action: str, **args: Any) -> Button:
    return Button(label, action, args)


def private_chat_button(label: str) -> Button:
    """A button that opens a private chat with the bot (it carries no action)."""
    return Button(label, "", {}, link="private_chat")


def member_audience(member: Member) -> str:
    return f"member:{member.id}"


class UnitOfWork:
    def __init__(self, tx: Tx, now: datetime, team: Team, cipher: Cipher) -> None:
        self.tx = tx
        self.now = now
        self.team = team
        self._cipher = cipher
        self.sent = 0
        # The urgent rows this unit queued, as they will stand once it commits.
        self.urgent: dict[int, OutboxRow] = {}
        # (kind, case) of every audit entry written, for the metrics once this unit has
        # committed (bot/runtime/metrics.py): "opened", "acknowledged"...
        self.audited: list[tuple[str, Case]] = []
        self.milestones: list[str] = []  # e.g. "case_opened": crash tests stop right after these
        # Chats the platform moved, (platform, old id, new id): the team follows them once this
        # unit has committed (see bot/services/chat_moves.py).
        self.moved_chats: list[tuple[str, str, str]] = []
        self._drill_cases: dict[int, bool] = {}  # case id -> is it a drill case (bot.drills)
        self._drill_turn = False  # a message about a drill case was sent in this unit

    async def is_drill(self, case_id: int | None, text: Rich, audience: str = "") -> bool:
        """Whether a message is about a drill case (bot/services/drills.py).

        A message that belongs to a case is about a drill exactly when its case is one: a real
        case's page is never marked, whatever its text quotes. A reporter's messages never are
        (a drill has no reporter). Any other message is when this unit of work (one event, one
        timer) has already sent one about a drill case, as the answers to ``/resolve DR-...``
        after the first one, or when it names an existing drill case's code and no real one."""
        if case_id is not None:
            drill = await self._case_is_drill(case_id)
        elif audience.startswith("reporter:"):
            return False
        else:
            drill = self._drill_turn or await self._names_a_drill(text.plain)
        self._drill_turn = self._drill_turn or drill
        return drill

    async def _names_a_drill(self, plain: str) -> bool:
        if REAL_CODE.search(plain):
            return False
        for code in DRILL_CODE.findall(plain):
            case = await self.tx.find_case(code)
            if case is not None and case.is_drill:
                return True
        return False

    async def _case_is_drill(self, case_id: int) -> bool:
        if case_id not in self._drill_cases:
            case = await self.tx.get_case(case_id)
            self._drill_cases[case_id] = case is not None and case.is_drill
        return self._drill_cases[case_id]

    def person_key(self, person: PlatformUser) -> str:
        """The blind index that stands for a participant in drafts, tokens and cases."""
        return self._cipher.blind_index(person.key)

    def reporter_audience(self, person: PlatformUser) -> str:
        return f"reporter:{self.person_key(person)}"

    async def language_of_member(self, member: Member) -> str:
        """The language a member reads: their choice (/language), else the team's."""
        offered = self.team.config.team.offered
        for address in self.team.addresses_for(member):
            person = self.person_key(PlatformUser(address.platform, address.chat_id))
            stored = await self.tx.language_of(person)
            if stored is not None and stored in offered:
                return stored
        return self.team.config.team.language

    async def language_of_person(self, person: PlatformUser) -> str:
        """The language a participant reads: remembered (chosen or first guessed), else the
        team's."""
        stored = await self.tx.language_of(self.person_key(person))
        offered = self.team.config.team.offered
        return (
            stored if stored is not None and stored in offered else self.team.config.team.language
        )

    @staticmethod
    def compose(text: Words, buttons: Labels, language: str) -> tuple[Rich, Sequence[Button]]:
        """The text and buttons as ``language``'s reader reads them."""
        with reading(language):
            return (text() if callable(text) else text), (
                buttons() if callable(buttons) else buttons
            )

    async def audit(self, case: Case, actor: str, kind: str, **detail: Any) -> None:
        self._drill_cases[case.id] = case.is_drill  # known now: no read when its pages go
        self.audited.append((kind, case))
        await self.tx.add_audit(AuditEntry(case.id, self.now, actor, kind, detail))

    async def _choices(self, audience: str, buttons: Sequence[Button]) -> list[Choice]:
        acting = [b for b in buttons if not b.link]
        tokens = iter(
            await self.tx.create_tokens(audience, [(b.action, b.args) for b in acting], self.now)
        )
        return [
            Choice(b.label, "", b.link) if b.link else Choice(b.label, next(tokens))
            for b in buttons
        ]

    async def send(
        self,
        address: Address,
        text: Rich,
        buttons: Sequence[Button] = (),
        *,
        audience: str,
        purpose: str = "reply",
        case_id: int | None = None,
        subject: str = "",
    ) -> int:
        drill = await self.is_drill(case_id, text, audience)
        if drill:  # every message about a drill says so first (bot/services/drills.py)
            text = marked(text)
        choices = await self._choices(audience, buttons)
        self.sent += 1
        message = Outbound(address, text, choices, subject=subject)
        outbox_id = await self.tx.enqueue(message, purpose=purpose, case_id=case_id, now=self.now)
        if purpose in URGENT_PURPOSES and not drill:  # a drill's page waits for real ones
            self.urgent[outbox_id] = OutboxRow(
                outbox_id, case_id, purpose, message, None, "pending", 0, self.now, None
            )
        return outbox_id

    async def send_member(
        self,
        member: Member,
        text: Words,
        buttons: Labels = (),
        *,
        purpose: str = "notice",
        case_id: int | None = None,
    ) -> list[int]:
        """Message a member on every running platform where they have an id and are reachable.

        Returns the outbox ids; an empty list means the member cannot be reached at all.
        """
        ids: list[int] = []
        addresses = await self.reachable(member)
        if not addresses:
            return ids
        language = await self.language_of_member(member)
        text, buttons = self.compose(text, buttons, language)  # a function: written now
        with reading(language):  # a drill's mark too (send)
            for address in addresses:
                ids.append(
                    await self.send(
                        address,
                        text,
                        buttons,
                        audience=member_audience(member),
                        purpose=purpose,
                        case_id=case_id,
                    )
                )
        return ids

    async def send_external(self, contact: External, text: Words, *, case_id: int) -> int:
        """Message someone outside the team (no buttons: they cannot act in the bot), in the
        team's language; returns how many of their addresses it went to, 0 when none is on a
        running platform or every one refused the bot for good (a chat that blocked it, an
        e-mail address the mail server refused with a 5xx). An e-mail's subject names the team
        and the case's code."""
        addresses = await self.reachable_external(contact)
        text, _ = self.compose(text, (), self.team.config.team.language)
        subject = ""
        with reading(self.team.config.team.language):
            if any(address.platform == EMAIL for address in addresses):
                case = await self.tx.get_case(case_id)
                subject = mail_subject(self.team.name, case.code if case else "")
            for address in addresses:
                await self.send(
                    address,
                    text,
                    audience="external",
                    purpose="external",
                    case_id=case_id,
                    subject=subject if address.platform == EMAIL else "",
                )
        return len(addresses)

    async def reachable_external(self, contact: External) -> list[Address]:
        """The external contact's addresses on running platforms, less those that refused."""
        unreachable = await self.tx.unreachable()
        return [
            address
            for address in self.team.addresses_for(contact)
            if (address.platform, address.chat_id) not in unreachable
        ]

    async def reachable(self, member: Member) -> list[Address]:
        """The member's addresses on running platforms, less those that refused the bot."""
        unreachable = await self.tx.unreachable()
        return [
            address
            for address in self.team.addresses_for(member)
            if (address.platform, address.chat_id) not in unreachable
        ]

    async def send_channel(
        self, text: Words, *, purpose: str = "channel", case_id: int | None = None
    ) -> list[int]:
        """Post to the team channel on every running platform, in the team's language. Channel
        posts carry no buttons."""
        text, _ = self.compose(text, (), self.team.config.team.language)
        with reading(self.team.config.team.language):
            return [
                await self.send(address, text, audience="channel", purpose=purpose, case_id=case_id)
                for address in self.team.channel_addresses()
            ]

    async def edit(self, outbox_id: int, text: Words, buttons: Labels = ()) -> None:
        """Change a message already queued or sent: rewrite it if pending, else queue an edit.
        A text still to be written is written in the language of whoever the message is to."""
        original = await self.tx.get_outbox(outbox_id)
        if original is None or original.message is None or original.status == "failed":
            return
        audience, language = "channel", self.team.config.team.language
        if not original.purpose.startswith("channel"):
            address = original.message.address
            member = self.team.member_for(address.platform, address.chat_id)
            audience = member_audience(member) if member else "nobody"
            if member is not None:
                language = await self.language_of_member(member)
        text, buttons = self.compose(text, buttons, language)
        if await self.is_drill(original.case_id, text, audience):
            with reading(language):
                text = marked(text)
        choices = await self._choices(audience, buttons)
        message = Outbound(original.message.address, text, choices)
        if original.status == "pending":
            await self.tx.replace_pending(outbox_id, message)
            if outbox_id in self.urgent:
                row = self.urgent[outbox_id]
                self.urgent[outbox_id] = replace(row, message=message, revision=row.revision + 1)
        else:
            await self.tx.enqueue(
                message,
                purpose=f"{original.purpose}-edit",
                case_id=original.case_id,
                now=self.now,
                replaces=outbox_id,
            )
        self.sent += 1
