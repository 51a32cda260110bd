"""Telegram's command menus in every language the team offers (``setMyCommands`` with
``language_code``), and a participant answered in their app's language from the first message."""

from __future__ import annotations

from pathlib import Path

from fakes.telegram_api import FakeTelegram
from test_telegram import ALICE, MENU_SCOPES, SAM, running_bot, texts

from bot.text.commands import Audience, offered_to
from bot.text.i18n import translator

OTHERS = ("es", "fr", "de", "ar")


async def test_participants_menu_is_set_in_each_offered_language(tmp_path: Path) -> None:
    async with FakeTelegram() as fake:
        async with running_bot(tmp_path / "tg.db", fake):
            wanted = [*MENU_SCOPES, *(f"all_private_chats@{code}" for code in OTHERS)]
            await fake.wait_for(lambda: all(scope in fake.commands for scope in wanted))
        assert fake.violations == []
    names = [c.name for c in offered_to(Audience.PARTICIPANT)]
    for code in OTHERS:
        menu = fake.commands[f"all_private_chats@{code}"]
        assert [c["command"] for c in menu] == names  # the same commands, in other words
        described = {c["command"]: c["description"] for c in menu}
        does = translator(code).gettext("tell the safety team about something, step by step")
        assert described["report"] == does[:1].upper() + does[1:]
        assert described["language"] != "Choose the language I write in"
    # the default menu, members' and the channel's are the team's language (English here)
    default = {c["command"]: c["description"] for c in fake.commands["all_private_chats"]}
    assert default["report"] == "Tell the safety team about something, step by step"
    assert f"chat:{ALICE}@es" not in fake.commands


async def test_a_participant_is_answered_in_their_apps_language_until_they_choose(
    tmp_path: Path,
) -> None:
    async with FakeTelegram() as fake:
        fake.language_codes[SAM] = "de-AT"
        async with running_bot(tmp_path / "tg.db", fake):
            fake.push_message(SAM, "/help")
            await fake.wait_for(lambda: any("Was ich kann" in t for t in texts(fake, SAM)))
            # their app changes language: what they were first answered in stays
            fake.language_codes[SAM] = "fr"
            fake.push_message(SAM, "/cancel")
            nothing = translator("de").gettext(
                "There is nothing to cancel. /report starts a report."
            )
            await fake.wait_for(lambda: texts(fake, SAM)[-1] == nothing)
            # until they choose
            fake.push_message(SAM, "/language es")
            await fake.wait_for(lambda: texts(fake, SAM)[-1].startswith("A partir de ahora"))
            # a language with no catalogue is the team's (English)
            fake.language_codes[ALICE + 1000] = "pt-BR"
            fake.push_message(ALICE + 1000, "/cancel")
            await fake.wait_for(
                lambda: (
                    texts(fake, ALICE + 1000)[-1:]
                    == ["There is nothing to cancel. /report starts a report."]
                )
            )
        assert fake.violations == []
