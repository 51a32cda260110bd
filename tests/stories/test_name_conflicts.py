"""Names as people write them, end to end (issue 12, section 1; issue 14's pasted lists).

A report naming a team member however it is written (``User:Alice_Example``, an invisible
character from a copy-paste, ``alice_example``, a name a platform showed for them) routes around
that member: they are not paged, cannot /ack or /case it, and it goes to the leads. The register
and /screen recognise a flagged person written the same ways.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support import Harness

from bot.config.teamfile import parse_team_text
from bot.domain.model import PlatformUser
from bot.domain.team import CONSOLE
from bot.ports.events import Inbound

# Alice's id is too short to be a name key, so only her name, username or a name a platform
# showed for her can name her.
TEAM = """\
[team]
name = "Names test team"
timezone = "UTC"
event_start = 2027-08-10T08:00:00
event_end = 2027-08-14T22:00:00

[[members]]
id = "ae"
name = "Alice Example"
roles = ["safety_contact"]
usernames = ["AliceWMAT"]

[[members]]
id = "bob"
name = "Bob Builder"
roles = ["safety_contact"]

[[members]]
id = "lena"
name = "Lena Lead"
roles = ["lead"]

[[members]]
id = "leo"
name = "Leo Second"
roles = ["lead"]

[[rota]]
member = "ae"
start = 2027-08-11T08:00:00
end = 2027-08-11T18:00:00

[escalation]
steps = [
  { notify = ["on_duty"], wait = "5m" },
  { notify = ["safety_contacts"], wait = "5m" },
  { notify = ["leads"], wait = "10m" },
]
"""

ZWSP, SOFT_HYPHEN, WORD_JOINER, RLM = "\u200b", "\u00ad", "\u2060", "\u200f"


@pytest.fixture
async def names_bot(database: Path | str) -> AsyncIterator[Harness]:
    harness = Harness(database, config=parse_team_text(TEAM, "names.toml"))
    await harness.start()
    yield harness
    await harness.stop()


async def assert_routed_around_alice(bot: Harness, code: str) -> None:
    """Alice is not paged and can neither take nor open the case; the lead is paged."""
    assert not any(code in text for text in bot.platform.texts("ae"))
    assert any(code in text for text in bot.platform.texts("lena"))
    assert not any(code in text for text in bot.platform.texts("bob"))
    # the channel shows it as it shows any case, with nothing that singles it out (issue 14)
    (line,) = bot.platform.texts("team")
    assert line.startswith(f"{code} · ") and "lead" not in line.lower()
    # Alice gets the answer a code that does not exist gets
    unknown = "FS-ZZZZ" if code != "FS-ZZZZ" else "FS-YYYY"
    for command in ("/ack", "/case"):
        await bot.say("ae", f"{command} {unknown}")
        expected = bot.last_text("ae").replace(unknown, "CODE")
        await bot.say("ae", f"{command} {code}")
        assert bot.last_text("ae").replace(code, "CODE") == expected
    assert "kept following me" not in "\n".join(bot.platform.texts("ae"))
    skipped = [d for _, kind, d in await bot.audit(code) if kind == "page_skipped"]
    assert {"member": "ae", "reason": "named in the report"} in skipped
    assert (await bot.case(code)).assignee is None


@pytest.mark.parametrize(
    "who",
    [
        # the three given in the issue
        "User:Alice_Example",
        f"Al{ZWSP}ice Example",
        "alice_example",
        # the same kind, beyond them
        "Benutzerin:Alice_Example from the chapter",
        "Użytkowniczka:Alice_Example",
        "Участница:Alice_Example",
        "[[Utilisatrice:AliceWMAT|her]]",
        "https://meta.wikimedia.org/wiki/User:Alice_Example",
        "ＡＬＩＣＥ　ＥＸＡＭＰＬＥ",
        f"Al{SOFT_HYPHEN}ice{WORD_JOINER} {RLM}Example",
        "@alicewmat on the hallway",
    ],
)
async def test_a_report_naming_a_member_however_written_goes_around_them(
    names_bot: Harness, who: str
) -> None:
    code = await names_bot.file_report(who_text=who)
    await assert_routed_around_alice(names_bot, code)


async def test_a_report_about_someone_else_reaches_the_member_on_duty(names_bot: Harness) -> None:
    code = await names_bot.file_report(who_text="Alice from the venue, an example of bad manners")
    assert any(code in text for text in names_bot.platform.texts("ae"))
    await names_bot.press("ae", "Acknowledge")
    assert f"You're handling {code}." in names_bot.last_text("ae")


async def test_a_lead_named_in_the_report_hears_nothing_of_it_even_when_nobody_takes_it(
    names_bot: Harness,
) -> None:
    bot = names_bot
    code = await bot.file_report(who_text="User:Lena_Lead")
    for _ in range(12):  # the chain runs out: the leads are told it reached nobody
        await bot.advance(300)
    assert f"{code} has reached nobody." in "\n".join(bot.platform.texts("leo"))
    assert not any(code in text for text in bot.platform.texts("lena"))
    await bot.press("leo", "Acknowledge")
    await bot.say("leo", f"/recuse {code}")
    assert not any(code in text for text in bot.platform.texts("lena"))
    assert not any(code in text for text in bot.platform.texts("ae"))


# -- names a platform showed ---------------------------------------------------------------------


async def write_with_names(bot: Harness, who: str, text: str, *names: str) -> None:
    """``who`` writes as a platform would pass them: with the names it shows for them."""
    sender = PlatformUser(CONSOLE, who, who.title(), names=names)
    await bot.app.handle(Inbound(sender=sender, chat_id=who, private=True, text=text))
    await bot.app.flush()


async def test_a_name_a_platform_showed_for_a_member_names_them_after_a_restart(
    names_bot: Harness,
) -> None:
    bot = names_bot
    await write_with_names(bot, "ae", "/oncall", "Ally Tee", "@ally_tg")
    await bot.restart()
    code = await bot.file_report(who_text="it was @ally_tg again")
    await assert_routed_around_alice(bot, code)
    other = await bot.file_report("kim", who_text="ALLY TEE, at the party")
    assert not any(other in text for text in bot.platform.texts("ae"))
    assert any(other in text for text in bot.platform.texts("lena"))


async def test_the_register_hides_an_entry_naming_a_member_by_a_platform_name(
    names_bot: Harness,
) -> None:
    bot = names_bot
    await write_with_names(bot, "ae", "/oncall", "@ally_tg")
    await bot.say("lena", '/person add "Someone" User:Ally_tg')
    await bot.say("ae", "/person list")
    assert "The register is empty" in bot.last_text("ae")
    await bot.say("bob", "/person list")
    assert "P-1 · Someone" in bot.last_text("bob")


async def test_the_names_of_participants_are_not_kept(names_bot: Harness) -> None:
    bot = names_bot
    await write_with_names(bot, "sam", "/start", "Sam Sample", "@sam_tg")
    code = await bot.file_report("kim", who_text="Sam Sample, @sam_tg")
    assert any(code in text for text in bot.platform.texts("ae"))
    assert bot.platform.texts("team") != ["A case is with the leads."]


# -- the register and /screen --------------------------------------------------------------------


async def _flag_jo_doe(bot: Harness) -> None:
    await bot.say("lena", '/person add "Jo Doe" jo@example.org')
    await bot.say("lena", "/person flag P-1 watch")


@pytest.mark.parametrize("who", [f"J{ZWSP}o Doe", f"Jo D{SOFT_HYPHEN}oe", "User:Jo_Doe"])
async def test_a_flagged_person_written_with_invisible_characters_is_on_the_register(
    names_bot: Harness, who: str
) -> None:
    bot = names_bot
    await _flag_jo_doe(bot)
    code = await bot.file_report(who_text=f"{who} from the chapter")
    await bot.press("ae", "Acknowledge")
    assert f"You're handling {code}." in bot.last_text("ae")
    assert "On the register: P-1 · watch." in bot.last_text("ae")


async def test_cases_naming_the_same_person_differently_are_linked(names_bot: Harness) -> None:
    bot = names_bot
    first = await bot.file_report(who_text=f"J{ZWSP}o Doe")
    await bot.press("ae", "Acknowledge")
    second = await bot.file_report("kim", who_text="[[Usuaria:Jo_Doe|Jo]] at the bar")
    await bot.press("ae", "Acknowledge")
    assert f"this person appears in 1 other case: {first}." in bot.last_text("ae")
    assert second in bot.last_text("ae")


async def test_screen_reads_names_as_organizers_paste_them(names_bot: Harness) -> None:
    bot = names_bot
    await _flag_jo_doe(bot)
    await bot.say("lena", "/screen User:Jo_Doe")
    answer = bot.last_text("lena")
    assert "1 registration checked against 1 flagged person. 1 match:" in answer
    assert "item 1 (value User:Jo_Doe): watch" in answer
    pasted = "\n".join(
        [
            "Ann Example",
            f"J{ZWSP}o Doe",
            f"Jo D{SOFT_HYPHEN}oe",
            "[[User:Jo_Doe|Jo]]",
            "https://de.wikipedia.org/wiki/Benutzerin:Jo_Doe",
            "JO@EXAMPLE.ORG",
            "User:Pat_Quiet",
        ]
    )
    await bot.say("lena", "/screen " + pasted)
    answer = bot.last_text("lena")
    assert "7 registrations checked against 1 flagged person. 5 matches:" in answer
    for line in (2, 3, 4, 5, 6):
        assert f"line {line} (value " in answer
    assert "line 1 " not in answer and "line 7 " not in answer


async def test_screen_a_first_line_that_looks_like_a_label_but_is_a_name(
    names_bot: Harness,
) -> None:
    bot = names_bot
    await bot.say("lena", '/person add "Nick Jones"')
    await bot.say("lena", "/person flag P-1 banned")
    await bot.say("lena", "/screen Nick Jones\nAnn Example")
    assert "line 1 (value Nick Jones): banned" in bot.last_text("lena")
    await bot.say("lena", "/screen Name,Wiki username\nNick Jones,NJ\nAnn Example,AnnE")
    answer = bot.last_text("lena")
    assert "2 registrations checked" in answer and "line 2 (Name Nick Jones): banned" in answer
