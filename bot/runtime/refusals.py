"""A message a platform refuses for good, in a form it will take.

A platform can refuse a message for its form rather than its recipient: too long after its own
counting, markup it cannot parse, an empty text. Giving up would strand the person it was for (a
reporter waiting for the next question, a contact who needs the Acknowledge button), so the outbox
sends it once more in a safe plain form: one unstyled span, without control characters, short
enough for every platform even after escaping, with a note when it was cut, and the same buttons.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from bot.ports.events import Outbound
from bot.text.richtext import Rich, Span

# Characters of plain text in the safe form. Telegram takes 4096 UTF-16 units (a character is at
# most 2); Slack's section takes 3000 after escaping, and escaping makes "&" five characters.
PLAIN_LIMIT = 580
SHORTENED = "(shortened: the full message could not be shown here)"


def _printable(text: str) -> str:
    """The text without control characters, lone surrogates or unassigned code points (format
    characters stay: emoji sequences and right-to-left marks need them)."""
    return "".join(
        char
        for char in text
        if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs", "Cn")
    )


def plain_text(text: str, limit: int = PLAIN_LIMIT) -> str:
    """``text`` as safe plain text of at most ``limit`` characters, the note included when cut.

    Cut at the last line break (or space) before the limit when there is one in its second half,
    so a word is not broken in two.
    """
    clean = _printable(text).strip() or "…"
    if len(clean) <= limit:
        return clean
    room = limit - len(SHORTENED) - 2  # "…", a line break, the note
    head = clean[:room]
    for mark in ("\n", " "):
        cut = head.rfind(mark)
        if cut >= room // 2:
            head = head[:cut]
            break
    return f"{head.rstrip()}…\n{SHORTENED}"


def plain_form(message: Outbound) -> Outbound:
    """The safe plain form of ``message``: same address, buttons and target of an edit."""
    return replace(message, text=Rich((Span(plain_text(message.text.plain)),)), plain=True)
