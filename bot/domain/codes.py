"""Case codes and button tokens.

A case code is read aloud on a phone or across a noisy room, so it avoids look-alikes (0/O, 1/I).
A button token is opaque and short enough for Telegram's 64-byte callback data. A drill case
(bot/services/drills.py) has a code of its own kind, ``DR-`` and four characters, so that it can
never be taken for a real case, and so that counts and statistics can leave it out by its code.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from bot.domain.clean_text import INVISIBLE

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_PREFIX = "FS-"
DRILL_PREFIX = "DR-"  # a drill case's code: never a real case (scale's counts use it too)


def new_case_code(length: int = 4, prefix: str = CODE_PREFIX) -> str:
    """A fresh code, ``FS-7K3Q`` (or ``DR-7K3Q`` with ``prefix=DRILL_PREFIX``)."""
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


# A drill case's code, and a real case's, anywhere in a text (bot.uow marks a message naming a
# drill case, and no real one, DRILL).
DRILL_CODE = re.compile(rf"\b{DRILL_PREFIX}[{CODE_ALPHABET}]{{4}}\b")
REAL_CODE = re.compile(rf"\b{CODE_PREFIX}[{CODE_ALPHABET}]{{4}}\b")


def is_drill_code(code: str) -> bool:
    """Whether ``code`` names a drill case."""
    return code.startswith(DRILL_PREFIX)


# Every dash a phone or keyboard may put in a code (hyphen, non-breaking hyphen, figure dash, en
# and em dash, minus sign, small and fullwidth hyphen-minus: Unicode's dash punctuation, category
# Pd, and U+2212), and every run of them or of spaces, is read as one "-".
_MINUS = "\u2212"
_SEPARATORS = re.compile(r"[\s\-]+")
_PREFIXES = tuple(p.rstrip("-") for p in (CODE_PREFIX, DRILL_PREFIX))
_CODE_PART = re.compile(rf"[{CODE_ALPHABET}]{{4}}")


def _dashes_as_hyphens(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(INVISIBLE)
    return "".join("-" if c == _MINUS or unicodedata.category(c) == "Pd" else c for c in text)


def normalise_case_code(text: str) -> str:
    """Accept ``fs-7k3q``, ``7K3Q``, ``FS 7K3Q``, ``FS‐7K3Q`` (any dash: see above) or
    ``ＦＳ－７Ｋ３Ｑ`` as people will type them; a drill's code (``dr-7k3q``, ``DR 7K3Q``) keeps
    its own prefix."""
    cleaned = _SEPARATORS.sub("-", _dashes_as_hyphens(text).strip().upper())
    if cleaned.startswith(DRILL_PREFIX):  # "DRAB" alone is still FS-DRAB
        return cleaned
    if not cleaned.startswith(CODE_PREFIX):
        cleaned = CODE_PREFIX + cleaned.removeprefix("FS").lstrip("-")
    return cleaned


def join_split_code(words: list[str]) -> list[str]:
    """A command's words with a code typed in two or three (``["fs", "7k3q", ...]``,
    ``["FS", "–", "7K3Q"]``) at the start made one (``["fs-7k3q", ...]``); other words
    unchanged."""
    read = [_dashes_as_hyphens(word).upper() for word in words[:3]]
    dash = 1 if len(read) == 3 and set(read[1]) == {"-"} else 0  # "FS – 7K3Q"
    if len(read) < 2 + dash or read[0].rstrip("-") not in _PREFIXES:
        return words
    rest = read[1 + dash]
    if _CODE_PART.fullmatch(rest):
        return [f"{read[0].rstrip('-')}-{rest}", *words[2 + dash :]]
    return words


# The actions of a call for help: their buttons' tokens carry URGENT_MARK, so that an adapter can
# handle such a press before the ordinary updates that came with it (adapters/telegram/batches.py)
# without reading the database. The mark is not a URL-safe character: no other token has it.
URGENT_ACTIONS = frozenset({"help.now", "checkin.help"})
URGENT_MARK = "!"


def new_token(action: str = "") -> str:
    """16 URL-safe characters (96 random bits); 17 with :data:`URGENT_MARK` first when
    ``action`` is a call for help (at most 17 bytes: Telegram allows 64 of callback data)."""
    token = secrets.token_urlsafe(12)
    return URGENT_MARK + token if action in URGENT_ACTIONS else token


def is_urgent_token(token: str | None) -> bool:
    """Whether a button's token is a call for help's (see :func:`new_token`)."""
    return token is not None and token.startswith(URGENT_MARK)
