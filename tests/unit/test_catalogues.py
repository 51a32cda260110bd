"""The translation catalogues keep up with the code (README, "Translations")."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from catalogue_check import (
    LOCALE,
    catalogue,
    placeholders,
    problems,
    stale_compiled,
    wrapped_texts,
)

from bot.domain.languages import SHIPPED
from bot.domain.model import STATE_FOR_REPORTER, STATE_FOR_TEAM
from bot.text.i18n import has_catalogue, translator
from bot.text.reader import _, current, ngettext, reading

TRANSLATED = [code for code in SHIPPED if code != "en"]
TEXTS = wrapped_texts()


def test_the_code_wraps_its_texts() -> None:
    ids = {ident for _context, ident in TEXTS}
    assert "Which language would you like me to write in?" in ids
    assert len(ids) > 250  # the extraction really read the code


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_is_translated_with_the_same_placeholders(language: str) -> None:
    assert problems(TEXTS, catalogue(language)) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_compiled_catalogue_says_what_its_source_says(language: str) -> None:
    assert has_catalogue(language)
    assert stale_compiled(language) == []


def test_the_check_finds_a_missing_translation_and_a_changed_placeholder() -> None:
    cat = Catalog(locale="de")  # two plural forms
    cat.add("Case {code} is open.", "El caso {codigo} está abierto.")
    cat.add("Hello", "")
    cat.add(("{count} file", "{count} files"), ("{count} archivo", "archivos"))
    texts = {
        (None, "Case {code} is open."),
        (None, "Hello"),
        (None, "Goodbye"),
        (None, ("{count} file", "{count} files")),
    }
    found = problems(texts, cat)
    assert "de: no translation of 'Hello'" in found
    assert "de: no translation of 'Goodbye'" in found
    assert any("'Case {code} is open.'" in p and "['codigo']" in p for p in found)
    assert any("{count} files" in p and "[]" in p for p in found)  # a plural form lost {count}
    assert len(found) == 4


def test_placeholders_are_the_named_fields() -> None:
    assert placeholders("Opened {time} ({age}) {{not}}") == ["age", "time"]


def test_the_domain_state_words_are_in_the_catalogue() -> None:
    ids = {ident for _context, ident in TEXTS}
    assert set(STATE_FOR_REPORTER.values()) | set(STATE_FOR_TEAM.values()) <= ids


def test_every_shipped_language_has_a_catalogue_and_english_is_the_source() -> None:
    assert SHIPPED[0] == "en" and not (LOCALE / "en").exists()
    assert all(has_catalogue(code) for code in TRANSLATED)


def test_a_language_without_a_catalogue_falls_back_to_english() -> None:
    for tag in ("pt-BR", "xx", "", "zz_ZZ"):
        with reading(tag) as reader:
            assert reader.language == "en"
            assert _("Which language would you like me to write in?") == (
                "Which language would you like me to write in?"
            )


def test_a_removed_catalogue_falls_back_to_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.text.i18n as i18n

    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)  # a package installed without catalogues
    i18n.translator.cache_clear()
    try:
        assert i18n.translator("es").language == "en"
        assert i18n.translator("es").gettext("Done") == "Done"
    finally:
        monkeypatch.undo()
        i18n.translator.cache_clear()
    assert i18n.translator("es").gettext("Done") == "Listo"


def test_the_reader_is_per_block_and_english_outside() -> None:
    assert current().language == "en"
    with reading("de"):
        assert _("Done") == "Fertig"
        with reading("ar"):
            assert _("Done") == "تم"
        assert _("Done") == "Fertig"
    assert _("Done") == "Done"


async def test_readers_in_concurrent_tasks_do_not_see_each_other() -> None:
    import asyncio

    seen: dict[str, str] = {}
    both_inside = asyncio.Event()
    inside: list[str] = []

    async def write(code: str) -> None:
        with reading(code):
            inside.append(code)
            if len(inside) == 2:
                both_inside.set()
            await both_inside.wait()
            seen[code] = _("Done")

    await asyncio.gather(write("es"), write("fr"))
    assert seen == {"es": "Listo", "fr": "Terminé"}


@pytest.mark.parametrize(
    ("language", "counts"),
    [
        # English, Spanish, French, German: one / other; French counts 0 and 1 as one
        ("en", {1: "person", 2: "people", 0: "people"}),
        ("es", {1: "persona)", 2: "personas", 0: "personas"}),
        ("fr", {1: "personne)", 0: "personne)", 2: "personnes"}),
        ("de", {1: "Person)", 2: "Personen", 7: "Personen"}),
        # Arabic: six forms (zero, one, two, few 3-10, many 11-99, other 100+)
        ("ar", {0: "أشخاص", 1: "(1 شخص)", 2: "شخصان", 5: "أشخاص", 11: "شخصًا", 100: "شخص)"}),
    ],
)
def test_plural_forms_follow_each_language(language: str, counts: dict[int, str]) -> None:
    singular = (
        "Only the safety team reads a report: its safety contacts and leads ({count} person), and"
        " a team member they bring in to help."
    )
    plural = singular.replace("person)", "people)")
    with reading(language):
        for count, word in counts.items():
            text = ngettext(singular, plural, count).format(count=count)
            assert word in text, (count, text)
            assert f"{count}" in text


def test_durations_and_times_are_written_for_the_readers_locale() -> None:
    from datetime import datetime

    assert translator("de").duration(timedelta(hours=2)) == "2 Stunden"
    assert translator("es").duration(timedelta(minutes=15)) == "15 minutos"
    assert translator("fr").duration(timedelta(minutes=1)) == "1 minute"
    assert "ساع" in translator("ar").duration(timedelta(hours=3))
    moment = datetime(2027, 8, 11, 14, 5)
    assert translator("de").time(moment) == "14:05"
    assert translator("en").time(moment) == "2:05\u202fPM"
    assert translator("de").name_of("es") == "Spanisch"
    assert translator("en").name_of("ar") == "Arabic"
    assert translator("fr").own_name("de") == "Deutsch"
