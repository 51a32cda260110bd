"""A tiny neutral markup for outbound text: the type every outbound text has (the builders that
write it are in bot/text/richtext.py).

The core never writes Telegram HTML or Slack mrkdwn. It builds a sequence of styled spans and each
adapter renders them, escaping every span. Because user text can only ever be a span's *content*,
markup typed by a reporter (``<b>``, ``<!channel>``, ``*bold*``) is always shown literally.
"""

from __future__ import annotations

from collections.abc import Iterable
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
