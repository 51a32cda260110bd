"""The words about languages: choosing one, and which language a reporter wrote in."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.model import Report
from bot.text.reader import _, current
from bot.text.richtext import Rich, rich


def written_in(report: Report) -> str:
    """For a member's page: the language the reporter wrote in, when it is not the reader's;
    their words are shown as written. "" when it is the reader's own (or not known)."""
    language = report.body.language
    reader = current()
    if not language or language == reader.language:
        return ""
    return _("The reporter wrote in {language}; their words are shown as they wrote them.").format(
        language=reader.name_of(language)
    )


def choose_language() -> Rich:
    """/language and the Language button: the question above the languages."""
    return rich(_("Which language would you like me to write in?"))


def language_set() -> Rich:
    """Said in the newly chosen language."""
    return rich(_("I'll write in English from now on. /language changes it again."))


def language_not_offered(offered: Sequence[str]) -> Rich:
    """A ``/language xx`` the team does not offer; nothing changed."""
    names = ", ".join(f"{current().own_name(code)} ({code})" for code in offered)
    return rich(
        _(
            "I can't write in that language here, so nothing changed. I can write in: {names}."
        ).format(names=names)
    )
