"""Case codes and button tokens.

A case code is read aloud on a phone or across a noisy room, so it avoids look-alikes (0/O, 1/I).
A button token is opaque and short enough for Telegram's 64-byte callback data. A drill case
(bot/services/drills.py) has a code of its own kind, ``DR-`` and four characters, so that it can
never be taken for a real case, and so that counts and statistics can leave it out by its code.
"""

from __future__ import annotations

import re
import secrets

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


def normalise_case_code(text: str) -> str:
    """Accept ``fs-7k3q``, ``7K3Q`` or ``FS 7K3Q`` as people will type them; a drill's code
    (``dr-7k3q``, ``DR 7K3Q``) keeps its own prefix."""
    cleaned = text.strip().upper().replace(" ", "-")
    if cleaned.startswith(DRILL_PREFIX):  # "DRAB" alone is still FS-DRAB
        return cleaned
    if not cleaned.startswith(CODE_PREFIX):
        cleaned = CODE_PREFIX + cleaned.removeprefix("FS").lstrip("-")
    return cleaned


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
