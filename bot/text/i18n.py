"""Translations: a :class:`Translator` per language, with gettext catalogues and Babel's
locale-aware formatting of dates, times and durations.

The catalogues are compiled gettext files, ``bot/locale/<code>/LC_MESSAGES/messages.mo``, made
from the ``.po`` files beside them by ``pybabel compile`` (README, "Adding a language"). English
is the source language: its translator returns every message as written, so English output is
the text in the code, byte for byte. A language without a catalogue falls back to English.

Which translator is used is decided per reader, never for the whole process: see
bot/text/reader.py.
"""

from __future__ import annotations

import gettext
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time, format_timedelta

from bot.domain.languages import ENGLISH, base, is_right_to_left

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


class Translator:
    """The words of one language: ``gettext``, ``ngettext``, ``pgettext`` over its catalogue,
    and dates, times and durations formatted for its locale (Babel / CLDR).

    ``language`` is the code actually used: ``"en"`` when the one asked for has no catalogue.
    """

    def __init__(self, language: str, catalogue: gettext.NullTranslations) -> None:
        self.language = language
        self._catalogue = catalogue
        try:
            self.locale = Locale.parse(language)
        except (UnknownLocaleError, ValueError):
            self.locale = Locale.parse(ENGLISH)

    def gettext(self, message: str) -> str:
        """``message`` in this language (itself when the catalogue lacks it)."""
        return self._catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form for ``count`` (``count`` is not filled in: format it in yourself)."""
        return self._catalogue.ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        """``message`` as meant in ``context`` (e.g. a button label vs. a heading)."""
        return self._catalogue.pgettext(context, message)

    @property
    def right_to_left(self) -> bool:
        """True when this language is written right to left (Arabic)."""
        return is_right_to_left(self.language)

    def name_of(self, language: str) -> str:
        """What ``language`` (a code) is called in this language: ``"Spanish"``, ``"espagnol"``;
        the code itself when Babel does not know it."""
        try:
            name = Locale.parse(base(language)).get_display_name(self.locale)
        except (UnknownLocaleError, ValueError):
            return language
        return name or language

    def own_name(self, language: str) -> str:
        """What a language calls itself, for a choice of languages: ``"Deutsch"``, ``"العربية"``."""
        try:
            name = Locale.parse(base(language)).get_display_name()
        except (UnknownLocaleError, ValueError):
            return language
        return (name or language)[:1].upper() + (name or language)[1:]

    def time(self, local: datetime) -> str:
        """A clock time (already in the team's zone) as this locale writes it: ``"14:05"``."""
        return format_time(local, "short", locale=self.locale)

    def date(self, local: datetime) -> str:
        """A date as this locale writes it, short: ``"11 Aug 2026"``, ``"11 ago 2026"``."""
        return format_date(local, "medium", locale=self.locale)

    def moment(self, local: datetime) -> str:
        """Date and time together, as this locale writes them."""
        return format_datetime(local, "medium", locale=self.locale)

    def pattern(self, local: datetime, pattern: str) -> str:
        """A date and/or time (already in the team's zone) by a CLDR ``pattern``, with this
        locale's names of days and months: ``"EEE HH:mm"`` is ``"Wed 10:00"``, ``"mié 10:00"``.
        English gives what ``strftime`` would (``"%a %H:%M"``)."""
        return format_datetime(local, pattern, locale=self.locale)

    def duration(self, span: timedelta) -> str:
        """``"2 hours"``, ``"2 Stunden"``, ``"ساعتان"``: a span in words, rounded as people say."""
        return format_timedelta(span, locale=self.locale, threshold=1.0)


@cache
def translator(language: str) -> Translator:
    """The translator for ``language`` (a code or platform tag); English when there is no
    catalogue for it, so a missing or removed catalogue never stops the bot talking."""
    code = base(language) or ENGLISH
    if code == ENGLISH:
        return Translator(ENGLISH, gettext.NullTranslations())
    try:
        catalogue = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code])
    except OSError:  # no catalogue for it: FileNotFoundError
        return Translator(ENGLISH, gettext.NullTranslations())
    return Translator(code, catalogue)


def has_catalogue(language: str) -> bool:
    """True when a compiled catalogue for ``language`` ships in the package."""
    return (LOCALE_DIR / base(language) / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
