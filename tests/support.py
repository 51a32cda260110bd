"""Test support: a real BotApp on a real SQLite file, a movable clock and a recording platform.

The recording messenger stands in for a chat platform (it is the far side of the adapter port, not
our storage): it keeps every message as a person would see it, edits applied in place.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config.demo import demo_team_text
from bot.config.teamfile import TeamFile, parse_team_text
from bot.domain.model import Case, PlatformUser
from bot.domain.team import CONSOLE, CONSOLE_CHANNEL
from bot.main.app import BotApp
from bot.ports.events import Inbound, Outbound
from bot.runtime.crypto import generate_key

START = datetime(2027, 8, 11, 10, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = START) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


@dataclass
class Shown:
    ref: str
    chat_id: str
    message: Outbound
    edits: int = 0

    @property
    def text(self) -> str:
        return self.message.text.plain

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.message.choices]


@dataclass
class Recorder:
    """A platform that shows messages. ``fail_for`` makes it refuse deliveries to a chat (a
    DeliveryError, or any exception, as an adapter bug would raise);
    ``hold_for`` keeps a send to a chat on its way until the test sets the event."""

    platform: str = CONSOLE
    shown: list[Shown] = field(default_factory=list)
    sends: list[Outbound] = field(default_factory=list)
    fail_for: dict[str, Exception] = field(default_factory=dict)
    hold_for: dict[str, asyncio.Event] = field(default_factory=dict)
    held: list[Outbound] = field(default_factory=list)  # sends waiting on hold_for
    _refs: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def send(self, message: Outbound) -> str:
        error = self.fail_for.get(message.address.chat_id)
        if error is not None:
            raise error
        gate = self.hold_for.get(message.address.chat_id)
        if gate is not None:
            self.held.append(message)
            await gate.wait()
            self.held.remove(message)
        self.sends.append(message)
        if message.replaces_ref is not None:
            for shown in self.shown:
                if shown.ref == message.replaces_ref:
                    shown.message = message
                    shown.edits += 1
                    return shown.ref
            raise AssertionError(f"edit of unknown message {message.replaces_ref}")
        ref = str(next(self._refs))
        self.shown.append(Shown(ref, message.address.chat_id, message))
        return ref

    def chat(self, chat_id: str) -> list[Shown]:
        return [s for s in self.shown if s.chat_id == chat_id]

    def last(self, chat_id: str) -> Shown:
        return self.chat(chat_id)[-1]

    def texts(self, chat_id: str) -> list[str]:
        return [s.text for s in self.chat(chat_id)]


def demo_config(now: datetime = START) -> TeamFile:
    return parse_team_text(demo_team_text(now), "demo.toml")


class Harness:
    """Drive the bot as people would: say things, press buttons, read chats."""

    def __init__(
        self,
        path: Path | str,
        config: TeamFile | None = None,
        key: str | None = None,
        platform: str = CONSOLE,
    ) -> None:
        self.path = path
        self.key = key or generate_key()
        self.clock = FakeClock()
        self.config = config or demo_config(self.clock.now())
        self.platform = Recorder(platform)
        self.channel_id = CONSOLE_CHANNEL
        if platform != CONSOLE:
            self.channel_id = str(getattr(self.config.channels, platform))
        self.app = self._build()
        self._ids = itertools.count(1)

    def _build(self) -> BotApp:
        return BotApp(
            database=self.path,
            config=self.config,
            key=self.key,
            messengers=[self.platform],
            clock=self.clock,
        )

    async def start(self) -> Harness:
        await self.app.start()
        return self

    async def restart(self) -> None:
        """Stop and start on the same database file, as after a crash or a deploy."""
        await self.app.stop()
        self.app = self._build()
        await self.app.start()
        await self.app.flush()

    async def stop(self) -> None:
        await self.app.stop()

    def event(
        self,
        who: str,
        text: str = "",
        *,
        channel: bool = False,
        button: str | None = None,
        delivery_id: str | None = None,
    ) -> Inbound:
        return Inbound(
            sender=PlatformUser(self.platform.platform, who, who.title()),
            chat_id=self.channel_id if channel else who,
            private=not channel,
            text=text,
            button=button,
            delivery_id=delivery_id,
        )

    async def say(self, who: str, text: str, *, channel: bool = False) -> None:
        await self.app.handle(self.event(who, text, channel=channel))
        await self.app.flush()

    async def advance(self, seconds: float) -> None:
        """Let time pass: fire what came due and deliver what that queued."""
        self.clock.advance(seconds)
        await self.app.flush()

    async def audit(self, code: str) -> list[tuple[str, str, dict[str, object]]]:
        async with self.app.store.transaction() as tx:
            case = await tx.find_case(code)
            assert case is not None
            return [(e.actor, e.kind, e.detail) for e in await tx.audit_for(case.id)]

    async def case(self, code: str) -> Case:
        async with self.app.store.transaction() as tx:
            case = await tx.find_case(code)
        assert case is not None
        return case

    def token(self, who: str, label: str) -> str:
        for shown in reversed(self.platform.chat(who)):
            for choice in shown.message.choices:
                if choice.label == label:
                    return choice.token
        raise AssertionError(f"no button {label!r} in {who}'s chat: {self.platform.texts(who)}")

    async def press(self, who: str, label: str, *, as_who: str | None = None) -> None:
        """Press the newest button with this label in ``who``'s chat (optionally as someone
        else, as when a button token is replayed by another account)."""
        token = self.token(who, label)
        await self.app.handle(self.event(as_who or who, button=token))
        await self.app.flush()

    def last_text(self, who: str) -> str:
        return self.platform.last(who).text

    async def file_report(
        self,
        who: str = "sam",
        account: str = "Someone kept following me after I said no.",
        *,
        danger: str = "No",
        who_text: str = "A tall person in a red jacket",
        disclosure: str = "Pseudonymous",
        contact: str = "Message me here",
        exclude: tuple[str, ...] = (),
        send: bool = True,
    ) -> str:
        """Go through the whole intake and send; return the case code (with ``send=False``,
        stop at the summary, before "Send report", and return "")."""
        await self.say(who, "/report")
        await self.press(who, danger)
        if danger != "No":  # nobody is told yet: the report goes on only if they choose so
            await self.press(who, "Carry on with the report")
        await self.press(who, "It happened to me")
        await self.press(who, disclosure)
        if disclosure != "Anonymous":
            await self.press(who, contact)
        await self.say(who, account)
        await self.press(who, "Done")
        await self.press(who, "Earlier today")
        await self.press(who, "At the event venue")
        await self.say(who, who_text)
        await self.press(who, "A participant")
        await self.press(who, "No one")
        for name in exclude:
            await self.press(who, name)
        await self.press(who, "Done")
        await self.press(who, "Skip")
        if not send:
            return ""
        await self.press(who, "Send report")
        return case_code(self.confirmation(who))

    def confirmation(self, who: str) -> str:
        """The newest "your report is in" message in ``who``'s chat."""
        for text in reversed(self.platform.texts(who)):
            if "Your report is in" in text:
                return text
        raise AssertionError(f"no confirmation in {who}'s chat")


def case_code(text: str) -> str:
    import re

    match = re.search(r"FS-[A-Z2-9]{4}", text)
    if match is None:
        raise AssertionError(f"no case code in {text!r}")
    return match.group(0)


class ShiftedClock:
    """Real time, moved to START: for tests over real HTTP that still need the fixed rota."""

    def __init__(self, start: datetime = START) -> None:
        import time

        self._time = time.time
        self._offset = start.timestamp() - time.time()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._time() + self._offset, UTC)
