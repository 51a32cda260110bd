"""Whose language the words being written are in: the reader's.

One process serves many people at once, so the language is never set for the process. Each
inbound event is handled in its own asyncio task, and the code that writes to somebody selects
that person's :class:`~bot.text.i18n.Translator` for the duration of the writing with
:func:`reading` (a :class:`contextvars.ContextVar`, so tasks never see each other's choice). The
word functions here (``_``, ``ngettext``, ``pgettext``) look it up each time they are called, so
a text function called under ``reading(translator("es"))`` writes Spanish.

Outside any ``reading`` block (tests, the CLI) the reader is English, the source language.

Adding a text: wrap it as ``_("...")`` (``ngettext`` for a count, ``pgettext`` for a short word
whose meaning depends on where it stands), with named ``{placeholders}`` filled in by
``.format(...)`` after translation, never a sentence glued from pieces; then run the Babel
commands in README, "Adding a language".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from bot.domain.languages import ENGLISH
from bot.text.i18n import Translator, translator

_current: ContextVar[Translator | None] = ContextVar("reader", default=None)


def current() -> Translator:
    """The translator of whoever is being written to now (English outside ``reading``)."""
    found = _current.get()
    return found if found is not None else translator(ENGLISH)


@contextmanager
def reading(language: str | Translator) -> Iterator[Translator]:
    """Write in ``language`` (a code, or a translator) inside the block; the previous reader
    comes back after it, also when it raises."""
    chosen = language if isinstance(language, Translator) else translator(language)
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """``message`` in the current reader's language."""
    return current().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or (one of the) plural forms for ``count``, in the reader's language."""
    return current().ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` as meant in ``context``, in the reader's language."""
    return current().pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now: for words kept in tables
    at import time, translated with ``_`` where they are shown."""
    return message
