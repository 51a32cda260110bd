"""The local console adapter: type as anyone, see every chat.

One line is one thing a person does::

    @sam /report            sam writes /report in their private chat (and becomes the speaker)
    I was followed          the current speaker writes this
    > Yes, I'm in danger    press a button by its label (newest first) or by its [number]
    @lena #team /summary    lena writes in the team channel
    switch alice            make alice the speaker
    wait 3                  let 3 seconds pass (for scripts that watch timers)
    /screen [file list.csv] a line may end with [file PATH]: the local file is sent with it

Lines starting with ``#`` are comments. When standard input is not a terminal the same lines are
read as a script and echoed, so a whole story can be replayed and read back as a transcript.
"""

from __future__ import annotations

import asyncio
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from adapters.console.messenger import FILE_PREFIX, ConsoleMessenger
from bot.domain.model import PlatformUser
from bot.domain.team import CONSOLE, CONSOLE_CHANNEL
from bot.ports.events import Inbound
from bot.ports.platform import Core

HELP = """\
Type as anyone. '@sam /report' speaks as sam in a private chat; '@{member} #team /summary' speaks
in the team channel; '> Acknowledge' or '> 3' presses a button in the speaker's chat; 'switch
{member}' changes who speaks; a line ending in '[file PATH]' sends that local file with it
('@{member} /screen [file registrations.csv]'); 'help' shows this; 'quit' ends.
Members of this team: {members}. Anyone else is a participant."""


@dataclass
class Line:
    """One parsed console line."""

    speaker: str
    channel: bool
    text: str
    press: str | None
    attachment: str | None = None  # a local file's path, from a trailing "[file PATH]"


_FILE = re.compile(r"\s*\[file\s+(?P<path>[^\]]+)\]\s*$")


def parse(line: str, current: str) -> Line | str | None:
    """A console line as an action, an instruction for the console itself, or nothing."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    first, _, rest = stripped.partition(" ")
    if first in ("help", "quit", "exit") and not rest:
        return first
    if first in ("switch", "wait") and rest:
        return stripped
    speaker = current
    if first.startswith("@") and len(first) > 1:
        speaker = first[1:].lower()
        stripped = rest.strip()
    channel = False
    if stripped.startswith("#team"):
        channel = True
        stripped = stripped.removeprefix("#team").strip()
    if stripped.startswith(">"):
        return Line(speaker, channel, "", stripped[1:].strip())
    attached = _FILE.search(stripped)
    if attached:
        path = attached.group("path").strip()
        return Line(speaker, channel, stripped[: attached.start()].strip(), None, path)
    return Line(speaker, channel, stripped, None)


class ConsoleAdapter:
    def __init__(self, core: Core, messenger: ConsoleMessenger, out: TextIO) -> None:
        self.core = core
        self.messenger = messenger
        self.out = out
        self.current = "sam"

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def help_text(self) -> str:
        """The console's help, its examples naming a member of this team (a lead, if any)."""
        team = self.core.team.members
        members = ", ".join(f"{m.id} ({', '.join(m.roles)})" for m in team)
        leads = [m for m in team if "lead" in m.roles]
        example = (leads or list(team))[0].id if team else "alice"
        return HELP.format(members=members or "none", member=example)

    async def run(self, source: TextIO, interactive: bool) -> None:
        self.say(self.help_text() + "\n")
        loop = asyncio.get_running_loop()
        await self.core.flush()
        while True:
            if interactive:
                prompt = f"{self.current}> "
                try:
                    line = await loop.run_in_executor(None, input, prompt)
                except EOFError:
                    break
            else:
                line = await loop.run_in_executor(None, source.readline)
                if not line:
                    break
                if line.strip():
                    self.say(f">>> {line.rstrip()}")
            if not await self.perform(line):
                break
            await self.core.flush()

    async def perform(self, line: str) -> bool:
        """Carry out one line; False when the person wants to quit."""
        parsed = parse(line, self.current)
        if parsed is None:
            return True
        if parsed in ("quit", "exit"):
            return False
        if isinstance(parsed, str):
            await self._console_command(parsed)
            return True
        self.current = parsed.speaker
        chat_id = CONSOLE_CHANNEL if parsed.channel else parsed.speaker
        token = None
        if parsed.press is not None:
            shown = self.messenger.find_button(chat_id, parsed.press)
            if shown is None:
                self.say(f"(there is no button '{parsed.press}' in {parsed.speaker}'s chat)")
                return True
            token = shown.token
        attachment = self._attachment(parsed.attachment)
        if attachment == "":
            return True
        await self.core.accept(
            Inbound(
                sender=PlatformUser(CONSOLE, parsed.speaker, parsed.speaker),
                chat_id=chat_id,
                private=not parsed.channel,
                text=parsed.text,
                button=token,
                attachment=attachment,
            ),
            within=None,  # nobody else is waiting for an answer: no need for the inbox
        )
        return True

    async def _console_command(self, parsed: str) -> None:
        """The console's own words: ``help``, ``switch <name>``, ``wait <seconds>``."""
        word, _, arg = parsed.partition(" ")
        if word == "help":
            self.say(self.help_text())
        elif word == "switch":
            self.current = arg.strip().lstrip("@").lower()
            self.say(f"(now speaking as {self.current})")
        elif word == "wait":
            try:
                await asyncio.sleep(float(arg))
            except ValueError:
                self.say("(wait takes a number of seconds)")

    def _attachment(self, named: str | None) -> str | None:
        """The attachment reference for a file named on the line: None without one, "" (and
        said why) when there is no such file."""
        if named is None:
            return None
        path = Path(named).expanduser()
        if not path.is_file():
            self.say(f"(there is no file {named})")
            return ""
        return FILE_PREFIX + str(path.resolve())


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()
