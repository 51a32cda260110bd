"""Which languages the bot speaks, and how a platform's language tag maps onto one of them.

Pure rules, no words: the catalogues themselves live in ``bot/locale`` (see bot/text/i18n.py).
A language is named by its ISO 639-1 code (``"es"``); platforms send IETF tags (Telegram's
``language_code`` such as ``"es"`` or ``"pt-br"``, Slack's ``locale`` such as ``"es-ES"``).
"""

from __future__ import annotations

from collections.abc import Sequence

ENGLISH = "en"
# Every language with a catalogue shipped in the package, English (the source) first. Adding a
# language adds its code here and its catalogue under bot/locale (README, "Adding a language").
SHIPPED: tuple[str, ...] = ("en", "es", "fr", "de", "ar")
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})


def base(tag: str) -> str:
    """``"es-ES"``, ``"es_es"``, ``"ES"`` -> ``"es"``; ``""`` for an empty tag."""
    return tag.strip().replace("_", "-").split("-")[0].lower()


def pick(tag: str, offered: Sequence[str], fallback: str) -> str:
    """The offered language a platform tag asks for, else ``fallback`` (the team's language).

    ``offered`` is the team's list (a subset of :data:`SHIPPED`); a tag for a language the team
    does not offer, or none at all, gives the fallback."""
    wanted = base(tag)
    return wanted if wanted in offered else fallback


def is_right_to_left(language: str) -> bool:
    """True for a script written right to left (Arabic, Hebrew, Persian, Urdu)."""
    return base(language) in RIGHT_TO_LEFT
