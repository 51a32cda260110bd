"""Core rich text as Telegram HTML: every span escaped, so user text can never become markup."""

from __future__ import annotations

import html

from bot.richtext import Rich, split

MAX_TEXT = 4096  # Telegram's limit, counted after entities are parsed (on the plain text)

_TAGS = {"bold": "b", "italic": "i", "code": "code"}


def to_html(text: Rich) -> str:
    parts: list[str] = []
    for span in text.spans:
        escaped = html.escape(span.text, quote=False)
        tag = _TAGS.get(span.style)
        parts.append(f"<{tag}>{escaped}</{tag}>" if tag else escaped)
    return "".join(parts)


def chunks(text: Rich) -> list[str]:
    """HTML pieces of at most 4096 visible characters, cut at paragraph breaks."""
    pieces = split(text, MAX_TEXT)
    return [to_html(piece) for piece in pieces if piece.plain.strip()] or ["…"]
