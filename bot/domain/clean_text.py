"""Text as it arrives from a platform, made safe for everything downstream.

A platform may hand us text that is not valid Unicode text: JSON allows a lone surrogate
(``"\\ud800"``), and a message may carry NUL or other control characters. Stored, encrypted,
indexed or sent back to a platform, such text fails somewhere far from where it came in (UTF-8
encoding refuses a lone surrogate; Telegram and Slack refuse it in a message; NUL ends strings in
C code). :func:`clean` is applied to every text of an inbound event (see ``bot.messages.Inbound``),
so nothing after the adapter boundary ever sees such text.
"""

from __future__ import annotations

import re
import unicodedata

# Line breaks in their other spellings (CR LF, CR, vertical tab, form feed, the information
# separators and NEL, which str.splitlines also treats as line ends) become "\n".
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85]")
KEPT_CONTROLS = frozenset("\t\n")

# Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt), the format
# characters outside the Basic Multilingual Plane, and (below) every format character in it:
# characters that show nothing (soft hyphen, zero-width space and joiners, word joiner, bidi
# marks and isolates, variation selectors, byte order mark, Hangul fillers...).
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# For str.translate: every character that shows nothing, mapped to nothing.
INVISIBLE: dict[int, None] = {
    code: None for start, end in _IGNORABLE_RANGES for code in range(start, end + 1)
} | {code: None for code in range(0x10000) if unicodedata.category(chr(code)) == "Cf"}


def _valid_unicode(text: str) -> str:
    """A surrogate pair written as two code points becomes the character it stands for; a lone
    surrogate becomes U+FFFD, the replacement character, so the reader sees something was there."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def clean(text: str) -> str:
    """Valid text with the same printable content: surrogates repaired (see :func:`_valid_unicode`),
    every line break spelled ``"\\n"``, and every other control character (Unicode category Cc:
    NUL, escape, DEL, the C1 controls...) removed, except tab. Format characters such as the
    zero-width joiner inside emoji are kept. Idempotent; never longer than its input."""
    text = _LINE_BREAKS.sub("\n", _valid_unicode(text))
    if text.isprintable():  # the common case: nothing more to do
        return text
    return "".join(c for c in text if c in KEPT_CONTROLS or unicodedata.category(c) != "Cc")


def has_words(text: str) -> bool:
    """True when ``text`` shows something: False when it is only whitespace and characters that
    show nothing (:data:`INVISIBLE`: format characters, Unicode category Cf, and every other
    default-ignorable code point). The one rule for "did they write anything" in every free-text
    answer and message."""
    shown = text.translate(INVISIBLE)
    return bool(shown) and not shown.isspace()


def words(text: str) -> str:
    """``text`` without surrounding whitespace, or ``""`` when it has no words
    (:func:`has_words`); what shows is kept exactly as written."""
    return text.strip() if has_words(text) else ""
