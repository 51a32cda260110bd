"""Case codes and button tokens.

A case code is read aloud on a phone or across a noisy room, so it avoids look-alikes (0/O, 1/I).
A button token is opaque and short enough for Telegram's 64-byte callback data.
"""

from __future__ import annotations

import secrets

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_PREFIX = "FS-"
DRILL_PREFIX = "DR-"
"""A drill's case code starts with this: a drill never counts in a summary, a count or a report."""


def new_case_code(length: int = 4, prefix: str = CODE_PREFIX) -> str:
    """``prefix`` and ``length`` characters from :data:`CODE_ALPHABET`: ``FS-7K3Q``."""
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def is_drill_code(code: str) -> bool:
    """Whether a case code is a drill's (:data:`DRILL_PREFIX`)."""
    return code.startswith(DRILL_PREFIX)


def normalise_case_code(text: str) -> str:
    """Accept ``fs-7k3q``, ``7K3Q`` or ``FS 7K3Q`` as people will type them."""
    cleaned = text.strip().upper().replace(" ", "-")
    if not cleaned.startswith(CODE_PREFIX):
        cleaned = CODE_PREFIX + cleaned.removeprefix("FS").lstrip("-")
    return cleaned


def new_token() -> str:
    """16 URL-safe characters: 96 random bits."""
    return secrets.token_urlsafe(12)
