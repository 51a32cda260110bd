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
