"""Reading a team file safely: ``fsbot check-config`` must answer, never crash or hang.

A name given as the team file may be a FIFO (reading it waits for a writer that never comes), a
device (``/dev/zero`` never ends), a directory, or a huge file; and TOML that nests arrays
thousands deep makes Python's ``tomllib`` exceed the recursion limit. Each is refused here with a
sentence that says what was found, before the file is parsed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

__all__ = ["MAX_BYTES", "MAX_DEPTH", "UnreadableTeamFile", "nesting_problem", "read_limited"]

MAX_BYTES = 1024 * 1024
"""A team file of a thousand members and shifts is about 200 KB; 1 MB leaves room to spare."""

MAX_DEPTH = 16
"""Deepest nesting of arrays and inline tables in one value; the team file needs 3."""

_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


class UnreadableTeamFile(Exception):
    """The file cannot be read as a team file; the message says why, for the person."""


def read_limited(path: Path) -> bytes:
    """The bytes of the regular file at ``path``, at most :data:`MAX_BYTES` of them.

    Opened without blocking (a FIFO would otherwise wait for a writer) and checked to be a
    regular file before anything is read.

    Raises:
        FileNotFoundError, PermissionError, OSError: as ``open`` raises them.
        UnreadableTeamFile: not a regular file, or larger than the limit.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            raise UnreadableTeamFile(f"this is {kind}; FSB_TEAM_FILE must name a regular file")
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UnreadableTeamFile(
            f"the file is larger than {MAX_BYTES // 1024 // 1024} MB, far more than a team file"
            " needs; is this the right file?"
        )
    return data


def _skip_string(text: str, i: int) -> int:
    """The index just after the string starting at ``text[i]`` (a quote); end of text if open."""
    for delim in ('"""', "'''", '"', "'"):
        if text.startswith(delim, i):
            break
    i += len(delim)
    while i < len(text):
        if delim[0] == '"' and text[i] == "\\":
            i += 2
            continue
        if text.startswith(delim, i):
            return i + len(delim)
        if len(delim) == 1 and text[i] == "\n":
            return i  # an unclosed one-line string: tomllib reports it
        i += 1
    return i


def _outside_strings(text: str) -> Iterator[tuple[int, str]]:
    """``(index, character)`` for every character outside strings and comments."""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "\"'":
            i = _skip_string(text, i)
        elif ch == "#":
            end = text.find("\n", i)
            i = len(text) if end == -1 else end
        else:
            yield i, ch
            i += 1


class _Depth:
    """Follows how deep the current place in the text is: open arrays and inline tables, plus
    the parts of a dotted key or table header (``a.b.c = 1`` and ``[a.b.c]`` nest too)."""

    def __init__(self) -> None:
        self.open: list[str] = []  # "[" and "{" not closed yet, inside a value
        self.in_key = True  # at a key (or a header) rather than a value
        self.dots = 0  # parts of the current key, less one
        self.key_at = 0  # where the current top-level key starts

    def step(self, i: int, ch: str) -> int:
        """Take one character (outside strings and comments); return the depth it reaches."""
        if ch == "\n" and not self.open:
            self.in_key, self.dots, self.key_at = True, 0, i + 1
        elif ch == "=":
            self.in_key, self.dots = False, 0
        elif ch in "[{" and (self.open or not self.in_key):
            self.open.append(ch)
            self._enter_key(ch == "{")
        elif ch in "]}" and self.open:
            self.open.pop()
        elif ch == ",":
            self._enter_key(self.open[-1:] == ["{"])
        elif ch == "." and self.in_key:
            self.dots += 1
        return len(self.open) + self.dots

    def _enter_key(self, entering: bool) -> None:
        if entering:
            self.in_key, self.dots = True, 0


def nesting_problem(text: str, limit: int = MAX_DEPTH) -> tuple[int, str] | None:
    """Where the text nests deeper than ``limit``: ``(line, key)``, else None.

    Depth counts open arrays and inline tables and the parts of dotted keys and table headers,
    each of which ``tomllib`` (and the models after it) follow level by level. A linear scan that
    knows strings and comments, so it runs safely on text ``tomllib`` may not accept yet; ``key``
    is the top-level key (or header) where it happens, as written, cut short.
    """
    depth = _Depth()
    for i, ch in _outside_strings(text):
        if depth.step(i, ch) > limit:
            line_end = text.find("\n", depth.key_at)
            key = text[depth.key_at : line_end if line_end != -1 else len(text)]
            key = key.split("=", 1)[0].strip()
            return text.count("\n", 0, i) + 1, key if len(key) <= 40 else key[:37] + "..."
    return None
