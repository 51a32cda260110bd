"""Core rich text as Telegram HTML: every span escaped, so user text can never become markup."""

from __future__ import annotations

import html

from bot.text.richtext import Rich, Span
from bot.text.splitting import split, utf16_units

# Telegram's limit for a message's text: 1-4096 UTF-16 code units of the text after entity
# parsing, that is without the HTML tags and with &lt; &gt; &amp; counted as the one character
# each stands for (https://core.telegram.org/bots/api#sendmessage).
MAX_TEXT = 4096

_TAGS = {"bold": "b", "italic": "i", "code": "code"}


def to_html(text: Rich) -> str:
    parts: list[str] = []
    for span in text.spans:
        escaped = html.escape(span.text, quote=False)
        tag = _TAGS.get(span.style)
        parts.append(f"<{tag}>{escaped}</{tag}>" if tag else escaped)
    return "".join(parts)


def telegram_length(span: Span) -> int:
    """A span's length as Telegram counts it: UTF-16 code units of the text it shows (the HTML
    tags and escapes :func:`to_html` adds are parsed away before Telegram counts)."""
    return utf16_units(span.text)


def chunks(text: Rich) -> list[str]:
    """HTML pieces of at most 4096 UTF-16 code units of shown text each, cut at paragraph breaks
    where possible (see :func:`bot.splitting.split`); a piece of only spaces is left out, as
    Telegram refuses it. Each piece is whole HTML: a tag or an escape is never cut."""
    pieces = split(text, MAX_TEXT, telegram_length)
    return [to_html(piece) for piece in pieces if piece.plain.strip()] or ["…"]
