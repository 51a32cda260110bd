"""Core rich text as Telegram HTML: every span escaped, so user text can never become markup."""

from __future__ import annotations

import html

from bot.richtext import Rich, split, utf16_units

MAX_TEXT = 4096  # Telegram's limit in UTF-16 code units, counted after entities are parsed

_TAGS = {"bold": "b", "italic": "i", "code": "code"}


def to_html(text: Rich) -> str:
    parts: list[str] = []
    for span in text.spans:
        escaped = html.escape(span.text, quote=False)
        tag = _TAGS.get(span.style)
        parts.append(f"<{tag}>{escaped}</{tag}>" if tag else escaped)
    return "".join(parts)


def chunks(text: Rich) -> list[str]:
    """HTML pieces of at most 4096 visible UTF-16 code units (Telegram counts an emoji as 2),
    cut at paragraph breaks."""
    pieces = split(text, MAX_TEXT, utf16_units)
    return [to_html(piece) for piece in pieces if piece.plain.strip()] or ["…"]
