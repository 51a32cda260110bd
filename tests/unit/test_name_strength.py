"""Strong and weak matches of a member's names (bot/domain/name_strength.py): an id or one word
of a longer name is weak; a whole name, a username or a platform's name is strong."""

from __future__ import annotations

import pytest

from bot.domain.name_strength import named_strongly

NAMES = ["Bob Example", "bob", "BobEx", "Robert", "Robert Example"]


@pytest.mark.parametrize(
    "text",
    [
        "Bob Example, a tall guy",
        "User:Bob_Example",
        "[[User:BobEx|him]]",
        "@bobex",
        "robert example",
    ],
)
def test_strong(text: str) -> None:
    assert named_strongly(text, "bob", NAMES)


@pytest.mark.parametrize("text", ["Bob, a tall guy with a red hat", "BOB", "Robert, I think", ""])
def test_weak_or_none(text: str) -> None:
    assert not named_strongly(text, "bob", NAMES)


def test_an_id_of_several_words_is_the_whole_name_and_strong() -> None:
    assert named_strongly("bob builder", "bob_builder", ["Bob Builder", "bob_builder"])
