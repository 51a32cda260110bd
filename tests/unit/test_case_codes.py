"""A case code is found however a phone spells it: any dash, spaces, lower case, fullwidth, or
typed in two words (bot/domain/codes.py), in every command that takes one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import Harness

from bot.domain.codes import CODE_ALPHABET, join_split_code, normalise_case_code

DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\ufe63", "\uff0d"]
code_part = st.text(alphabet=CODE_ALPHABET, min_size=4, max_size=4)


@given(code_part, st.sampled_from(DASHES), st.sampled_from(["", " ", "  "]), st.booleans())
def test_any_dash_spaces_and_case_read_as_the_code(
    part: str, dash: str, space: str, lower: bool
) -> None:
    for prefix in ("FS", "DR"):
        typed = f"{prefix}{space}{dash}{space}{part}"
        typed = typed.lower() if lower else typed
        assert normalise_case_code(typed) == f"{prefix}-{part}"


@given(code_part, st.sampled_from([*DASHES, ""]))
def test_a_code_typed_in_two_words_is_one(part: str, dash: str) -> None:
    joined = join_split_code([f"fs{dash}", part.lower(), "a", "note"])
    assert joined[1:] == ["a", "note"]
    assert normalise_case_code(joined[0]) == f"FS-{part}"
    assert join_split_code(["done", "3"]) == ["done", "3"]


@pytest.mark.parametrize(
    "typed",
    ["FS\u2010{p}", "fs\u2011{p}", "FS\u2013{p}", "FS\u2014{p}", "FS\u2212{p}", "FS\uff0d{p}",
     "fs {p}", "FS \u2013 {p}", "{p}"],
)  # fmt: skip
async def test_every_command_finds_the_case_however_the_code_is_typed(
    bot: Harness, typed: str
) -> None:
    code = await bot.file_report("sam")
    await bot.press("alice", "Acknowledge")
    spelled = typed.format(p=code.removeprefix("FS-"))
    await bot.say("alice", f"/case {spelled}")
    assert bot.last_text("alice").startswith(code), bot.last_text("alice")
    await bot.say("alice", f"/note {spelled} called the venue")
    assert "can't find" not in bot.last_text("alice")
    notes = [d for _, kind, d in await bot.audit(code) if kind == "note"]
    assert len(notes) == 1
