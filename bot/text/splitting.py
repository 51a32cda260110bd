"""Cutting rich text into pieces that a platform accepts, measured in the platform's own units.

Platforms do not count characters the way Python does: Telegram counts UTF-16 code units of the
text after entity parsing (an emoji is 2, an emoji with a skin tone 4); Slack counts the text it
is sent, escapes included. So every cut here is made against a :data:`Measure` the adapter
gives: how long one span is, rendered, in the platform's units. Measures must add up: a text's
length is the sum of its spans' lengths (each adapter renders span by span, so this holds).

Pieces are cut at paragraph breaks where possible, then at line breaks, then between words, and
only as a last resort inside a word, and then never inside a character that is drawn as one (an
emoji with its skin tone or joined family, a flag, a letter with its accents, a surrogate pair).
Nothing is dropped or added: the pieces, joined, are the text, span styles included.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from bot.text.richtext import Rich, Span, Style

Measure = Callable[[Span], int]
"""How long a span is on a platform, in that platform's units, once rendered."""

_SEPARATORS = ("\n\n", "\n", " ")
_ZWJ = "\u200d"


def utf16_units(text: str) -> int:
    """UTF-16 code units: 1 for most characters, 2 for those beyond U+FFFF (most emoji)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf8_bytes(text: str) -> int:
    """UTF-8 bytes: 1 to 4 a character; never fewer than code points or UTF-16 code units."""
    return len(text.encode("utf-8", "surrogatepass"))


def code_points(span: Span) -> int:
    """The plain :class:`Span` length Python counts (console; tests)."""
    return len(span.text)


def _joins_previous(char: str) -> bool:
    """Whether ``char`` is drawn together with the character before it."""
    point = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")  # accents, keycaps, vowel signs
        or char == _ZWJ
        or 0xFE00 <= point <= 0xFE0F  # variation selectors (emoji or text style)
        or 0x1F3FB <= point <= 0x1F3FF  # skin tones
        or 0xE0020 <= point <= 0xE007F  # tag characters (subdivision flags)
        or 0xE0100 <= point <= 0xE01EF
        or 0xDC00 <= point <= 0xDFFF  # the low half of a surrogate pair
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF  # two of these make one flag


def _safe_cut(text: str, at: int) -> bool:
    """Whether ``text`` may be cut before index ``at`` without breaking a visible character."""
    if at <= 0 or at >= len(text):
        return True
    before, after = text[at - 1], text[at]
    if _joins_previous(after) or before == _ZWJ or (before, after) == ("\r", "\n"):
        return False
    if _regional(before) and _regional(after):
        run = 0
        while at - run - 1 >= 0 and _regional(text[at - run - 1]):
            run += 1
        return run % 2 == 0  # an odd run before: ``after`` completes a flag
    return True


def measure_of(text: Rich, size: Measure) -> int:
    """The length of ``text`` in the platform's units (the sum over its spans)."""
    return sum(size(span) for span in text.spans)


def split(text: Rich, limit: int, size: Measure = code_points) -> list[Rich]:
    """Cut ``text`` into pieces each at most ``limit`` long as ``size`` measures them.

    ``limit`` must be at least the length of the longest single character (4 will always do);
    a character drawn as one that is longer than ``limit`` by itself is cut between code points.
    Joined, the pieces are exactly ``text``; each cut keeps its separator at the end of the piece
    before it. Text that fits comes back as the one piece.
    """
    if measure_of(text, size) <= limit:
        return [text]
    pieces: list[Rich] = []
    current: list[Span] = []
    used = 0
    for unit in _units(text, limit, size, _SEPARATORS):
        length = measure_of(unit, size)
        if current and used + length > limit:
            pieces.append(Rich(tuple(current)))
            current, used = [], 0
        current.extend(unit.spans)
        used += length
    if current:
        pieces.append(Rich(tuple(current)))
    return pieces


def _units(text: Rich, limit: int, size: Measure, separators: tuple[str, ...]) -> list[Rich]:
    """``text`` cut at the coarsest separators that make every part fit, finer where needed."""
    if measure_of(text, size) <= limit:
        return [text]
    if not separators:
        return _hard_split(text, limit, size)
    parts = _split_spans(text, separators[0])
    return [unit for part in parts for unit in _units(part, limit, size, separators[1:])]


def _split_spans(text: Rich, separator: str) -> list[Rich]:
    """Cut ``text`` after every ``separator`` (kept at the end of the piece before it)."""
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


def _longest_prefix(text: str, style: Style, room: int, size: Measure) -> int:
    """How many characters of ``text`` fit in ``room`` (lengths grow with the prefix)."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if size(Span(text[:middle], style)) <= room:
            low = middle
        else:
            high = middle - 1
    return low


def _hard_split(text: Rich, limit: int, size: Measure) -> list[Rich]:
    """Cut inside words: as much as fits in each piece, at a safe place (see ``_safe_cut``)."""
    pieces: list[Rich] = []
    current: list[Span] = []
    room = limit
    for span in text.spans:
        rest = span.text
        while rest:
            fits = _longest_prefix(rest, span.style, room, size)
            cut = fits
            while cut > 0 and not _safe_cut(rest, cut):
                cut -= 1
            if cut == 0 and current:  # not even one whole character fits here: a new piece
                pieces.append(Rich(tuple(current)))
                current, room = [], limit
                continue
            if cut == 0:  # one character drawn as one is longer than the limit itself
                cut = max(fits, 1)
            head = Span(rest[:cut], span.style)
            current.append(head)
            room -= size(head)
            rest = rest[cut:]
    if current:
        pieces.append(Rich(tuple(current)))
    return pieces


def fit(text: str, limit: int, length: Callable[[str], int], more: str = "…") -> str:
    """``text`` if it is at most ``limit`` long as ``length`` counts, else its longest start that
    fits with ``more`` after it, cut at a safe place (for labels and one-line previews)."""
    if length(text) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if length(text[:middle] + more) <= limit:
            low = middle
        else:
            high = middle - 1
    while low > 0 and not _safe_cut(text, low):
        low -= 1
    return text[:low] + more
