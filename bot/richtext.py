"""A tiny neutral markup for outbound text.

The core never writes Telegram HTML or Slack mrkdwn. It builds a sequence of styled spans and each
adapter renders them, escaping every span. Because user text can only ever be a span's *content*,
markup typed by a reporter (``<b>``, ``<!channel>``, ``*bold*``) is always shown literally.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

Style = Literal["plain", "bold", "italic", "code"]


@dataclass(frozen=True)
class Span:
    """A run of text in one style; ``text`` is raw and unescaped."""

    text: str
    style: Style = "plain"


@dataclass(frozen=True)
class Rich:
    """Styled text: an immutable sequence of spans."""

    spans: tuple[Span, ...] = ()

    def __add__(self, other: Rich | str) -> Rich:
        return Rich(self.spans + _as_rich(other).spans)

    def __radd__(self, other: str) -> Rich:
        return Rich(_as_rich(other).spans + self.spans)

    @property
    def plain(self) -> str:
        """The text without any styling (console, logs of tests, length checks)."""
        return "".join(span.text for span in self.spans)

    def to_json(self) -> list[list[str]]:
        return [[span.style, span.text] for span in self.spans]

    @classmethod
    def from_json(cls, data: Iterable[list[str]]) -> Rich:
        spans: list[Span] = []
        for style, text in data:
            if style not in ("plain", "bold", "italic", "code"):
                raise ValueError(f"unknown style {style!r}")
            spans.append(Span(text, style))  # type: ignore[arg-type]
        return cls(tuple(spans))


def _as_rich(value: Rich | str) -> Rich:
    return value if isinstance(value, Rich) else Rich((Span(value),)) if value else Rich()


def rich(*parts: Rich | str) -> Rich:
    """Join parts; plain strings become plain spans."""
    result = Rich()
    for part in parts:
        result = result + part
    return result


def bold(text: str) -> Rich:
    return Rich((Span(text, "bold"),))


def italic(text: str) -> Rich:
    return Rich((Span(text, "italic"),))


def code(text: str) -> Rich:
    return Rich((Span(text, "code"),))


def lines(*parts: Rich | str) -> Rich:
    """Join parts with newlines, dropping empty ones."""
    kept = [p for p in parts if (p.plain if isinstance(p, Rich) else p)]
    result = Rich()
    for index, part in enumerate(kept):
        if index:
            result = result + "\n"
        result = result + part
    return result


def _split_spans(text: Rich, separator: str) -> list[Rich]:
    """Cut ``text`` at every ``separator`` (kept at the end of the piece before it)."""
    pieces: list[Rich] = []
    current: list[Span] = []
    for span in text.spans:
        parts = span.text.split(separator)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            chunk = part if last else part + separator
            if chunk:
                current.append(Span(chunk, span.style))
            if not last:
                pieces.append(Rich(tuple(current)))
                current = []
    if current:
        pieces.append(Rich(tuple(current)))
    return pieces


def utf16_units(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts (an emoji outside the BMP is 2)."""
    return len(text.encode("utf-16-le")) // 2


def _fitting(text: str, room: int, measure: Callable[[str], int]) -> int:
    """How many characters from the start of ``text`` measure at most ``room``."""
    if measure(text) <= room:
        return len(text)
    used = 0
    for index, char in enumerate(text):
        used += measure(char)
        if used > room:
            return index
    return len(text)


def _hard_split(text: Rich, limit: int, measure: Callable[[str], int]) -> list[Rich]:
    pieces: list[Rich] = []
    current: list[Span] = []
    size = 0
    for span in text.spans:
        rest = span.text
        while rest:
            take = _fitting(rest, limit - size, measure)
            if take == 0 and current:  # the next character does not fit: a new piece
                pieces.append(Rich(tuple(current)))
                current, size = [], 0
                continue
            take = max(take, 1)  # a character wider than the limit still goes, alone
            current.append(Span(rest[:take], span.style))
            size += measure(rest[:take])
            rest = rest[take:]
    if current:
        pieces.append(Rich(tuple(current)))
    return pieces


def _units(
    text: Rich, limit: int, measure: Callable[[str], int], separators: tuple[str, ...]
) -> list[Rich]:
    """``text`` cut at the first separator, any part still too long at the next, and so on; the
    last resort cuts inside a line."""
    if measure(text.plain) <= limit:
        return [text]
    if not separators:
        return _hard_split(text, limit, measure)
    units: list[Rich] = []
    for unit in _split_spans(text, separators[0]):
        units += _units(unit, limit, measure, separators[1:])
    return units


def split(text: Rich, limit: int, measure: Callable[[str], int] = len) -> list[Rich]:
    """Cut long text into pieces of at most ``limit``, at paragraph breaks where possible, then at
    line breaks, and only as a last resort inside a line. Styles survive. ``measure`` is how the
    platform counts (characters by default; Telegram counts UTF-16 units, see
    :func:`utf16_units`); it must add up character by character."""
    if measure(text.plain) <= limit:
        return [text]
    pieces: list[Rich] = []
    current = Rich()
    size = 0
    for unit in _units(text, limit, measure, ("\n\n", "\n")):
        unit_size = measure(unit.plain)
        if current.spans and size + unit_size > limit:
            pieces.append(current)
            current, size = Rich(), 0
        current, size = current + unit, size + unit_size
    if current.spans:
        pieces.append(current)
    return [_strip_end(piece) for piece in pieces]


def _strip_end(text: Rich) -> Rich:
    spans = list(text.spans)
    while spans and not spans[-1].text.strip():
        spans.pop()
    if spans:
        last = spans[-1]
        spans[-1] = Span(last.text.rstrip("\n"), last.style)
    return Rich(tuple(spans))
