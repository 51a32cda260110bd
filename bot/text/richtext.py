"""Building rich text: join parts, styles, lines. The type itself, :class:`Rich` (a sequence of
styled :class:`Span`), is part of the ports' contract (bot/ports/markup.py); adapters render it,
escaping every span, so markup typed by a reporter is always shown literally.
"""

from __future__ import annotations

from bot.ports.markup import Rich as Rich
from bot.ports.markup import Span as Span
from bot.ports.markup import Style as Style

__all__ = ["Rich", "Span", "Style", "bold", "code", "italic", "lines", "rich"]


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
