"""The one "did they write anything" rule (bot/domain/clean_text.py): a message of nothing but
whitespace and characters that show nothing has no words, whatever mix a phone sends; one visible
character anywhere among them is words, kept as written."""

from __future__ import annotations

import unicodedata

from hypothesis import assume, given
from hypothesis import strategies as st

from bot.domain.clean_text import has_words, words

# What phones and keyboards put into messages that show nothing: soft hyphen, combining grapheme
# joiner, Arabic letter mark, Hangul fillers, zero-width space/non-joiner/joiner, bidi marks,
# embeddings and isolates, word joiner, variation selectors, byte order mark, tag characters.
INVISIBLE = [
    "\u00ad", "\u034f", "\u061c", "\u115f", "\u1160", "\u180e", "\u200b", "\u200c", "\u200d",
    "\u200e", "\u200f", "\u202a", "\u202e", "\u2060", "\u2066", "\u2069", "\u3164", "\ufe0f",
    "\ufeff", "\uffa0", "\U000e0020", "\U000e0100",
]  # fmt: skip
SPACE = [" ", "\t", "\n", "\u00a0", "\u2003", "\u3000"]
nothing_shown = st.lists(st.sampled_from(INVISIBLE + SPACE), max_size=30).map("".join)
every_format_character = st.characters(categories=["Cf"])


@given(nothing_shown)
def test_only_whitespace_and_invisible_characters_is_no_words(text: str) -> None:
    assert not has_words(text)
    assert words(text) == ""


@given(st.lists(every_format_character | st.sampled_from(SPACE), max_size=20).map("".join))
def test_every_format_character_shows_nothing(text: str) -> None:
    assert not has_words(text)


@given(nothing_shown, nothing_shown, st.characters(exclude_categories=["Cf", "Cs", "Zs", "Cc"]))
def test_one_visible_character_is_words_kept_as_written(
    before: str, after: str, visible: str
) -> None:
    # unassigned and default-ignorable code points are the tests above
    assume(not visible.isspace() and unicodedata.name(visible, "") and has_words(visible))
    text = before + visible + after
    assert has_words(text)
    assert visible in words(text)


def test_the_messages_a_user_sent() -> None:
    assert not has_words("\u200b")
    assert not has_words("\u00ad\u200b\u200e")
    assert has_words("in the hall\u200b")
    assert words("  Room 3\u200d ") == "Room 3\u200d"
