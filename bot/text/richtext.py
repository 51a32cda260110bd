"""Building rich text: join parts, styles, lines. The type itself, :class:`Rich` (a sequence of
styled :class:`Span`), is part of the ports' contract (bot/ports/markup.py); adapters render it,
escaping every span, so markup typed by a reporter is always shown literally.
"""

from __future__ import annotations

import re

from bot.ports.markup import Rich as Rich
from bot.ports.markup import Span as Span
from bot.ports.markup import Style as Style

__all__ = [
    "FSI",
    "PDI",
    "Rich",
    "Span",
    "Style",
    "bold",
    "code",
    "isolate",
    "italic",
    "lines",
    "rich",
]


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


# Unicode's first-strong isolate and pop-directional isolate (UAX #9): text between them is laid
# out on its own, so an Arabic name cannot reorder the words, punctuation, case code or
# "(@username)" around it, in a left-to-right sentence or a right-to-left one.
FSI, PDI = "\u2068", "\u2069"


def isolate(text: str) -> str:
    """``text`` wrapped in FSI...PDI when it holds a right-to-left letter, else unchanged (so
    English and other left-to-right text stays byte for byte as it was)."""
    if any(_right_to_left(char) for char in text):
        return f"{FSI}{text}{PDI}"
    return text


def _right_to_left(char: str) -> bool:
    return "\u0590" <= char <= "\u08ff" or "\ufb1d" <= char <= "\ufefc"


_FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, style: Style = "plain", **parts: Rich | str) -> Rich:
    """A translated ``template`` with styled parts put in its ``{name}`` places: the template's
    own words get ``style``, each part keeps its own (``fill(_("Case {code} is open."), "bold",
    code=code(c))``). So a sentence is translated whole and its code or name can still stand
    out, wherever the language puts it. A name not given is left as written."""
    result = Rich()
    at = 0
    for found in _FIELD.finditer(template):
        if found.group(1) not in parts:
            continue
        if found.start() > at:
            result = result + Rich((Span(template[at : found.start()], style),))
        result = result + parts[found.group(1)]
        at = found.end()
    if at < len(template):
        result = result + Rich((Span(template[at:], style),))
    return result
