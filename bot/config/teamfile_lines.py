"""Map a validation error location to the line of the team file it is about.

``tomllib`` gives values but forgets where they came from, and pydantic reports locations as
tuples such as ``("members", 1, "roles", 0)``. People fix files by line number, so this module
re-reads the TOML text just enough to remember where each table, key and array element starts.

It is deliberately not a TOML parser: it runs only on text that ``tomllib`` has already
accepted, so it can trust the syntax and only has to follow structure (headers, ``[[arrays]]``
counted by index, dotted and quoted keys, arrays and inline tables spread over several lines,
strings that may contain ``#``, ``=`` or newlines). It never raises; if it meets something it
does not follow, it returns what it has found so far and callers fall back to a coarser line.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

__all__ = ["Loc", "build_line_index", "locate_line"]

Loc = tuple[str | int, ...]
"""A location as pydantic reports it: keys (str) and list indexes (int)."""

_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class _Stop(Exception):
    """Raised internally when the scanner meets something it does not follow."""


class _Scanner:
    """Walks valid TOML text once and records the line where each path is defined."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.index: dict[Loc, int] = {}
        self._newlines = [i for i, ch in enumerate(text) if ch == "\n"]
        # Number of elements seen so far in each array of tables, keyed by its resolved path.
        self._aot_counts: dict[Loc, int] = {}

    # -- helpers ---------------------------------------------------------------------------

    def line_at(self, pos: int) -> int:
        """1-based line number of a character offset."""
        return bisect.bisect_right(self._newlines, pos - 1) + 1

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def record(self, path: Loc, pos: int, *, explicit: bool = True) -> None:
        """Remember where ``path`` is defined.

        Explicit definitions (a header, a key) win over implicit ones (``a`` created by
        ``[a.b]`` or by ``a.b = 1``), because an error about ``a`` belongs at ``[a]`` if it exists.
        """
        if explicit or path not in self.index:
            self.index[path] = self.line_at(pos)

    def skip_inline_space(self) -> None:
        while self.peek() in (" ", "\t") and not self.at_end():
            self.pos += 1

    def skip_comment(self) -> None:
        if self.peek() == "#":
            end = self.text.find("\n", self.pos)
            self.pos = len(self.text) if end == -1 else end

    def skip_space_newlines_comments(self) -> None:
        """Skip whitespace, newlines and comments (allowed between array elements)."""
        while not self.at_end():
            ch = self.peek()
            if ch in (" ", "\t", "\r", "\n"):
                self.pos += 1
            elif ch == "#":
                self.skip_comment()
            else:
                return

    # -- keys ------------------------------------------------------------------------------

    def read_key(self) -> list[str]:
        """Read a possibly dotted, possibly quoted key; leaves pos after it."""
        parts: list[str] = []
        while True:
            self.skip_inline_space()
            ch = self.peek()
            if ch == '"':
                parts.append(self.read_basic_string())
            elif ch == "'":
                parts.append(self.read_literal_string())
            else:
                start = self.pos
                while not self.at_end() and self.text[self.pos] in _BARE_KEY_CHARS:
                    self.pos += 1
                if self.pos == start:
                    raise _Stop
                parts.append(self.text[start : self.pos])
            self.skip_inline_space()
            if self.peek() != ".":
                return parts
            self.pos += 1

    # -- strings ---------------------------------------------------------------------------

    def read_basic_string(self) -> str:
        """Read ``"..."`` (pos at the opening quote) and return its value."""
        self.pos += 1
        out: list[str] = []
        while not self.at_end():
            ch = self.text[self.pos]
            if ch == '"':
                self.pos += 1
                return "".join(out)
            if ch == "\\":
                nxt = self.peek(2)[1:]
                if nxt in ("u", "U"):
                    width = 4 if nxt == "u" else 8
                    digits = self.text[self.pos + 2 : self.pos + 2 + width]
                    try:
                        out.append(chr(int(digits, 16)))
                    except ValueError:
                        raise _Stop from None
                    self.pos += 2 + width
                    continue
                out.append(_ESCAPES.get(nxt, nxt))
                self.pos += 2
                continue
            if ch == "\n":
                raise _Stop
            out.append(ch)
            self.pos += 1
        raise _Stop

    def read_literal_string(self) -> str:
        """Read ``'...'`` (pos at the opening quote) and return its value."""
        end = self.text.find("'", self.pos + 1)
        if end == -1:
            raise _Stop
        value = self.text[self.pos + 1 : end]
        self.pos = end + 1
        return value

    def skip_multiline_string(self, delim: str) -> None:
        """Skip ``\"\"\"...\"\"\"`` or ``'''...'''`` (pos at the opening delimiter)."""
        self.pos += 3
        while not self.at_end():
            if delim == '"""' and self.text[self.pos] == "\\":
                self.pos += 2
                continue
            if self.text.startswith(delim, self.pos):
                # Up to two extra quotes may close the string ("""a"""" is 'a"').
                self.pos += 3
                while self.peek() == delim[0] and not self.at_end():
                    self.pos += 1
                return
            self.pos += 1
        raise _Stop

    # -- values ----------------------------------------------------------------------------

    def read_value(self, path: Loc) -> None:
        """Skip one value, recording element and key positions inside arrays and tables."""
        self.skip_inline_space()
        ch = self.peek()
        if self.peek(3) in ('"""', "'''"):
            self.skip_multiline_string(self.peek(3))
        elif ch == '"':
            self.read_basic_string()
        elif ch == "'":
            self.read_literal_string()
        elif ch == "[":
            self.read_array(path)
        elif ch == "{":
            self.read_inline_table(path)
        else:
            # Number, boolean or date-time: runs to a delimiter. A date-time may hold a space.
            start = self.pos
            while not self.at_end() and self.text[self.pos] not in ",]}#\n\r":
                self.pos += 1
            if self.pos == start:
                raise _Stop

    def read_array(self, path: Loc) -> None:
        self.pos += 1
        i = 0
        while True:
            self.skip_space_newlines_comments()
            if self.at_end():
                raise _Stop
            if self.peek() == "]":
                self.pos += 1
                return
            self.record((*path, i), self.pos)
            self.read_value((*path, i))
            i += 1
            self.skip_space_newlines_comments()
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != "]":
                raise _Stop

    def read_inline_table(self, path: Loc) -> None:
        self.pos += 1
        while True:
            # TOML 1.0 keeps inline tables on one line; tolerating newlines costs nothing.
            self.skip_space_newlines_comments()
            if self.at_end():
                raise _Stop
            if self.peek() == "}":
                self.pos += 1
                return
            self.read_key_value(path)
            self.skip_space_newlines_comments()
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != "}":
                raise _Stop

    def read_key_value(self, table: Loc) -> None:
        """Read ``key = value`` inside ``table``, recording the key's line."""
        key_pos = self.pos
        parts = self.read_key()
        for depth in range(1, len(parts)):
            self.record((*table, *parts[:depth]), key_pos, explicit=False)
        path = (*table, *parts)
        self.record(path, key_pos)
        if self.peek() != "=":
            raise _Stop
        self.pos += 1
        self.read_value(path)

    # -- tables ----------------------------------------------------------------------------

    def read_header(self) -> Loc:
        """Read ``[a.b]`` or ``[[a.b]]`` (pos at ``[``); return the table's resolved path."""
        header_pos = self.pos
        is_array = self.peek(2) == "[["
        self.pos += 2 if is_array else 1
        parts = self.read_key()
        closing = "]]" if is_array else "]"
        if self.peek(len(closing)) != closing:
            raise _Stop
        self.pos += len(closing)

        # Resolve each prefix: a name that is an array of tables means "its latest element".
        resolved: Loc = ()
        for depth, part in enumerate(parts):
            resolved = (*resolved, part)
            is_last = depth == len(parts) - 1
            if is_last and is_array:
                index = self._aot_counts.get(resolved, 0)
                self._aot_counts[resolved] = index + 1
                self.record(resolved, header_pos, explicit=False)
                resolved = (*resolved, index)
                self.record(resolved, header_pos)
            elif is_last:
                self.record(resolved, header_pos)
            else:
                self.record(resolved, header_pos, explicit=False)
                if resolved in self._aot_counts:
                    resolved = (*resolved, self._aot_counts[resolved] - 1)
        return resolved

    def scan(self) -> dict[Loc, int]:
        """Walk the whole document; return the index even if the walk stops early."""
        table: Loc = ()
        try:
            while True:
                self.skip_space_newlines_comments()
                if self.at_end():
                    break
                if self.peek() == "[":
                    table = self.read_header()
                else:
                    self.read_key_value(table)
                self.skip_inline_space()
                self.skip_comment()
        except (_Stop, IndexError):
            pass
        return self.index


def build_line_index(text: str) -> dict[Loc, int]:
    """Return ``{location: 1-based line}`` for every table, key and array element in ``text``.

    Exposed separately from :func:`locate_line` so a caller placing many errors scans once.
    """
    return _Scanner(text).scan()


def locate_line(text: str | dict[Loc, int], loc: Sequence[str | int]) -> int | None:
    """Return the 1-based line that ``loc`` refers to, or ``None`` if nothing matches.

    ``text`` is either the TOML text or an index from :func:`build_line_index`. When ``loc``
    itself is absent (typically a missing required field), the nearest enclosing location that
    exists is used instead, which for a field is the line of its table's header: that is where
    the person has to add it.
    """
    index = build_line_index(text) if isinstance(text, str) else text
    path = tuple(loc)
    while path:
        line = index.get(path)
        if line is not None:
            return line
        path = path[:-1]
    return None
