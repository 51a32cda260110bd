"""Drive the bot through the console adapter, as a person would type, and read the transcript.

The stories in ``seed-scenarios.md`` are told here line by line in the console's own syntax
(``@sam /report``, ``> Done``); the clock is a test clock, so hours pass in an instant.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from support import FakeClock

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleAdapter
from bot.config.teamfile import TeamFile
from bot.main.app import BotApp
from bot.runtime.crypto import generate_key

_HEADER = re.compile(r"^\[(#team channel|private chat with (\S+))( · message (\d+) updated)?\]$")


class Story:
    def __init__(self, path: Path | str, config: TeamFile) -> None:
        self.out = io.StringIO()
        self.clock = FakeClock()
        self.messenger = ConsoleMessenger(self.out)
        self.app = BotApp(
            database=path,
            config=config,
            key=generate_key(),
            messengers=[self.messenger],
            clock=self.clock,
        )
        self.console = ConsoleAdapter(self.app, self.messenger, self.out)

    async def start(self) -> Story:
        await self.app.start()
        await self.app.flush()
        return self

    async def stop(self) -> None:
        await self.app.stop()

    async def run(self, script: str) -> None:
        """Type each line of ``script`` into the console, as the demo does."""
        for line in script.strip().splitlines():
            line = line.strip()
            self.out.write(f">>> {line}\n")
            assert await self.console.perform(line)
            await self.app.flush()
            assert "(there is no button" not in self.out.getvalue().splitlines()[-1], line

    async def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        await self.app.flush()

    @property
    def transcript(self) -> str:
        return self.out.getvalue()

    def messages(self) -> list[tuple[str, str]]:
        """Every message shown, as (chat, text); chat is a person's id or "#team"."""
        found: list[tuple[str, str]] = []
        chat: str | None = None
        body: list[str] = []

        def close() -> None:
            if chat is not None:
                found.append((chat, "\n".join(line[4:] for line in body).strip()))

        for line in self.transcript.splitlines():
            header = _HEADER.match(line)
            if header:
                close()
                chat, body = header.group(2) or "#team", []
            elif line.startswith(">>> "):
                close()
                chat, body = None, []
            elif chat is not None and not line.startswith("    buttons: "):
                body.append(line)
        close()
        return found

    def chat(self, who: str) -> list[str]:
        return [text for chat, text in self.messages() if chat == who]

    def last(self, who: str) -> str:
        return self.chat(who)[-1]

    async def audit(self, code: str) -> list[tuple[str, str, dict[str, object]]]:
        """The case's audit trail as (actor, kind, detail)."""
        async with self.app.store.transaction() as tx:
            case = await tx.find_case(code)
            assert case is not None
            return [(e.actor, e.kind, e.detail) for e in await tx.audit_for(case.id)]

    def code(self, who: str) -> str:
        """The newest case code shown in ``who``'s chat."""
        for text in reversed(self.chat(who)):
            match = re.search(r"FS-[A-Z2-9]{4}", text)
            if match:
                return match.group(0)
        raise AssertionError(f"no case code in {who}'s chat")
