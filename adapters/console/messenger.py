"""The console's side of delivery: print each message, labelled with whose chat it is in.

Buttons are numbered across the whole session so that ``> 3`` is never ambiguous; ``> Acknowledge``
presses the newest button with that label in the speaker's chat.
"""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.domain.team import CONSOLE, CONSOLE_CHANNEL
from bot.ports.events import Outbound
from bot.ports.platform import Contact, FileTooLarge, Probed

FILE_PREFIX = "console:file:"


@dataclass
class ShownButton:
    number: int
    label: str
    token: str
    chat_id: str
    ref: str


class ConsoleMessenger:
    platform = CONSOLE

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._next_ref = 0
        self._next_button = 0
        self.buttons: list[ShownButton] = []

    async def probe(self, channel: str | None, contacts: Sequence[Contact]) -> Probed:
        """The readiness probe: on the console everyone is a name typed at the prompt, so
        everyone can be paged and the team channel always takes messages."""
        return Probed([], "")

    async def send(self, message: Outbound) -> str:
        chat = message.address.chat_id
        edited = message.replaces_ref is not None
        if edited:
            ref = message.replaces_ref or ""
            self.buttons = [b for b in self.buttons if b.ref != ref]
        else:
            self._next_ref += 1
            ref = str(self._next_ref)
        label = "#team channel" if chat == CONSOLE_CHANNEL else f"private chat with {chat}"
        header = f"[{label}" + (f" · message {ref} updated" if edited else "") + "]"
        body = textwrap.indent(message.text.plain, "    ")
        lines = [header, body]
        if message.choices:
            shown = []
            for choice in message.choices:
                if choice.link:
                    shown.append(f"[{choice.label}: type /report in a private chat]")
                    continue
                self._next_button += 1
                self.buttons.append(
                    ShownButton(self._next_button, choice.label, choice.token, chat, ref)
                )
                shown.append(f"[{self._next_button}] {choice.label}")
            lines.append("    buttons: " + "  ".join(shown))
        self._out.write("\n".join(lines) + "\n\n")
        self._out.flush()
        return ref

    def find_button(self, chat_id: str, wanted: str) -> ShownButton | None:
        """A button in this chat by its number or (newest first) by its label."""
        wanted = wanted.strip()
        for shown in reversed(self.buttons):
            if shown.chat_id != chat_id:
                continue
            if wanted.isdigit() and shown.number == int(wanted):
                return shown
            if shown.label.lower() == wanted.lower():
                return shown
        return None

    async def fetch(self, reference: str, limit: int) -> bytes:
        """A file sent with ``[file PATH]``: on the console, a file on this machine."""
        if not reference.startswith(FILE_PREFIX):
            raise LookupError("not a console file")
        path = Path(reference.removeprefix(FILE_PREFIX))
        if path.stat().st_size > limit:
            raise FileTooLarge(reference)
        return await asyncio.to_thread(path.read_bytes)
