"""The team file's language settings (issue 21), part of the ``[team]`` table:

    language = "de"                  # the team's language: members' pages, channel posts, and
                                     # the language emergency_info and aftercare_note are in
    languages = ["de", "en", "ar"]   # what participants may choose (empty: every shipped one)

    [team.translations.en]           # the team's own texts in one more language
    emergency_info = "Call 112 ..."

A text not given in a reader's language is shown in the team's language.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.config.team_fields import Text
from bot.domain.languages import ENGLISH, SHIPPED


def _shipped(code: str) -> str:
    """A language code the bot has a catalogue for (bot.domain.languages.SHIPPED)."""
    if code not in SHIPPED:
        raise ValueError(f"no catalogue for language {code!r}; the bot speaks {', '.join(SHIPPED)}")
    return code


class TeamTexts(BaseModel):
    """``[team.translations.<code>]``: the team's own texts in one more language. Whatever is
    left out falls back to the text in ``[team]``, in the team's language."""

    model_config = ConfigDict(extra="forbid")

    emergency_info: Text = ""
    aftercare_note: Text = ""


class TeamLanguages(BaseModel):
    """The language fields of ``[team]`` (a base of :class:`bot.config.team_schema.TeamInfo`)."""

    model_config = ConfigDict(extra="forbid")

    language: str = ENGLISH
    languages: list[str] = Field(default_factory=list)
    translations: dict[str, TeamTexts] = Field(default_factory=dict)

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        return _shipped(value)

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        return [_shipped(code) for code in value]

    @field_validator("translations")
    @classmethod
    def _known_translations(cls, value: dict[str, TeamTexts]) -> dict[str, TeamTexts]:
        for code in value:
            _shipped(code)
        return value

    @property
    def offered(self) -> list[str]:
        """The languages a participant may choose: the team's own first, then the others."""
        chosen = self.languages or list(SHIPPED)
        return list(dict.fromkeys([self.language, *chosen]))

    def in_language(self, field: str, language: str) -> str:
        """The team text ``field`` (``"emergency_info"``, ``"aftercare_note"``) in ``language``;
        the one in ``[team]`` (the team's language) when not given in that one."""
        given = self.translations.get(language)
        text = str(getattr(given, field, "")) if given is not None else ""
        return text or str(getattr(self, field))
