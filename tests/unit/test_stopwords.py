"""Common words per language (bot/domain/stopwords.py): a report's language keeps its articles
and the nouns that describe people from being taken for names; a real name is still found."""

from __future__ import annotations

import pytest

from bot.domain.identifiers import extract, grams, identifier_key
from bot.domain.stopwords import BY_LANGUAGE, stopwords


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Der Mann vom Kaffeestand"),
        ("de", "Eine Frau aus der Gruppe"),
        ("es", "El Señor del café"),
        ("es", "La Mujer de Ayer"),
        ("fr", "Le Monsieur du stand"),
        ("fr", "Une Femme Hier"),
    ],
)
def test_a_description_in_its_language_names_nobody(language: str, text: str) -> None:
    assert extract(text, language) == set()
    assert extract(text) != set()  # read as English, its capitals looked like a name


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("de", "Der Mann heißt Jo Doe", "jo doe"),
        ("es", "El Señor Jo Doe, de la cafetería", "jo doe"),
        ("fr", "Le Monsieur Jean-Luc Martin", "jean-luc martin"),
        ("ar", "رجل اسمه Jo Doe", "jo doe"),
    ],
)
def test_a_name_is_still_found_in_any_language(language: str, text: str, name: str) -> None:
    assert name in extract(text, language)


def test_single_common_words_are_not_grams_of_their_language() -> None:
    assert "mann" in grams("Der Mann vom Kaffeestand")
    assert "mann" not in grams("Der Mann vom Kaffeestand", language="de")
    assert "kaffeestand" in grams("Der Mann vom Kaffeestand", language="de")
    assert identifier_key("Herr", "de") is None and identifier_key("Herr") == "herr"


def test_every_language_adds_to_english_and_an_unknown_one_is_english() -> None:
    for language in BY_LANGUAGE:
        assert stopwords(language) >= stopwords("en")
    assert stopwords("pt") == stopwords("") == stopwords("en")
