"""The chat commands are declared once (bot/text/commands.py); what is routed, what the menus offer
and
what /help says all follow from it, so none can drift from the others."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import Harness

from bot.text.commands import (
    COMMANDS,
    MENU_TEXT_LIMIT,
    NAME_PATTERN,
    Audience,
    help_lines,
    menu,
    offered_to,
)
from handlers import commands as handlers

UNKNOWN = "I don't know the command"
CHANNEL_ANSWER = "In this channel I answer"
DECLARED = {c.slash for c in COMMANDS}


def test_every_declared_command_has_a_handler_and_every_handler_is_declared() -> None:
    private = {c.slash for c in offered_to(Audience.PARTICIPANT, Audience.MEMBER)}
    assert set(handlers.PRIVATE) == private
    assert set(handlers.CHANNEL) == {c.slash for c in offered_to(Audience.CHANNEL)}


def test_the_declaration_fits_the_platforms_menus() -> None:
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    for command in COMMANDS:
        assert NAME_PATTERN.fullmatch(command.name), command.name
        assert command.usages, command.name
    for audiences in ((Audience.PARTICIPANT,), tuple(Audience)):
        for name, text in menu(*audiences):
            assert 1 <= len(text) <= MENU_TEXT_LIMIT, name
            assert not text.endswith("."), name


async def test_a_member_s_help_lists_every_team_command_and_a_participant_s_none(
    bot: Harness,
) -> None:
    await bot.say("alice", "/help")
    member_help = bot.last_text("alice")
    for line in help_lines(Audience.MEMBER):
        assert line in member_help
    # the case commands that were once routed but offered nowhere
    for name in ("/status", "/severity", "/close", "/reopen", "/recuse"):
        assert f"\n{name} CODE" in member_help
    await bot.say("sam", "/help")
    participant_help = bot.last_text("sam")
    for line in help_lines(Audience.PARTICIPANT):
        assert line in participant_help
    for command in offered_to(Audience.MEMBER):
        if Audience.PARTICIPANT not in command.audiences:
            assert command.slash + " " not in participant_help
            assert command.slash + ":" not in participant_help


async def test_every_command_a_member_is_offered_is_answered(bot: Harness) -> None:
    for command in offered_to(Audience.PARTICIPANT, Audience.MEMBER):
        before = len(bot.platform.chat("alice"))
        await bot.say("alice", command.slash)
        await bot.say("alice", "/cancel")  # leave any flow it started
        answers = bot.platform.texts("alice")[before:]
        assert answers, command.slash
        assert not any(UNKNOWN in text for text in answers), command.slash


async def test_every_command_offered_in_the_team_channel_is_answered_there(bot: Harness) -> None:
    for command in offered_to(Audience.CHANNEL):
        before = len(bot.platform.chat(bot.channel_id))
        await bot.say("alice", command.slash, channel=True)
        answers = bot.platform.texts(bot.channel_id)[before:]
        assert answers, command.slash
        assert not any(CHANNEL_ANSWER in text for text in answers), command.slash
    await bot.say("alice", "/ack", channel=True)
    names = ", ".join(c.slash for c in offered_to(Audience.CHANNEL)[:-1])
    assert f"{CHANNEL_ANSWER} {names} and /id." in bot.last_text(bot.channel_id)


async def test_team_commands_are_not_offered_to_a_participant_and_not_done_for_one(
    bot: Harness,
) -> None:
    code = await bot.file_report("sam")
    for command in offered_to(Audience.MEMBER):
        if Audience.PARTICIPANT in command.audiences or command.name == "id":
            continue
        before = len(bot.platform.chat("mallory"))
        await bot.say("mallory", f"{command.slash} {code} text")
        answers = bot.platform.texts("mallory")[before:]
        assert answers and all("for the safety team" in t or UNKNOWN in t for t in answers), (
            command.slash,
            answers,
        )


not_declared = st.from_regex(r"[a-z0-9_]{1,32}", fullmatch=True).filter(
    lambda name: f"/{name}" not in DECLARED
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(not_declared, min_size=1, max_size=4))
def test_a_command_nobody_declared_is_answered_with_a_pointer_to_help(names: list[str]) -> None:
    async def play(path: Path) -> None:
        bot = await Harness(path).start()
        try:
            for name in names:
                for who in ("alice", "sam"):
                    await bot.say(who, f"/{name} FS-AAAA")
                    assert f"{UNKNOWN} /{name}" in bot.last_text(who)
        finally:
            await bot.stop()

    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(play(Path(folder) / "bot.db"))


async def test_every_team_command_answers_a_participant_the_same_way(bot: Harness) -> None:
    """Whatever team command a participant types, with a real case code, a made-up one or
    nothing, the answer is one and the same: nothing is learnt about cases or commands."""
    code = await bot.file_report("sam")
    answers = set()
    for command in offered_to(Audience.MEMBER):
        if Audience.PARTICIPANT in command.audiences or command.slash == "/id":
            continue
        for args in ("", f" {code}", " FS-ZZZZ", " new"):
            await bot.say("kim", command.slash + args)
            answers.add(bot.last_text("kim"))
    assert answers == {"That is for the safety team. /report starts a report of your own."}
