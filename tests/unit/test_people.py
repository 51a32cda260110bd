"""The people-of-concern register (story 1): /person, matching across cases, /screen, watch notes.

Only safety contacts and leads see the register; the reporter and the team channel never learn of
a match, and a member sees no case code they are conflicted on.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support import START, FakeClock, Harness, demo_config

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleAdapter, parse
from bot.config.demo import demo_team_text
from bot.config.teamfile import parse_team_text
from bot.domain.identifiers import extract, grams, identifier_key
from bot.main.app import BotApp
from bot.runtime.crypto import generate_key

ORGANIZER = """
[[members]]
id = "otto"
name = "Otto Organizer"
roles = ["organizer"]
"""
# A shift after the flag in the tests has ended (the demo rota covers only the first day).
NEXT_DAY_SHIFT = """
[[rota]]
member = "alice"
start = 2027-08-12T08:00:00
end = 2027-08-12T20:00:00
level = "primary"
"""


@pytest.fixture
async def people_bot(tmp_path: Path) -> AsyncIterator[Harness]:
    """The demo team plus an organizer (not a handler) and a shift on the next day."""
    text = demo_team_text(START) + ORGANIZER + NEXT_DAY_SHIFT
    harness = Harness(tmp_path / "fsbot.db", config=parse_team_text(text, "team.toml"))
    await harness.start()
    yield harness
    await harness.stop()


def everything_seen_by(bot: Harness, *chats: str) -> str:
    return "\n".join(text for chat in chats for text in bot.platform.texts(chat))


async def _taken(bot: Harness, who: str, reporter: str = "sam", **options: object) -> str:
    code = await bot.file_report(reporter, who_text=who, **options)  # type: ignore[arg-type]
    await bot.say("alice", f"/ack {code}")
    return code


# -- normalisation -------------------------------------------------------------------------------


def test_the_same_person_written_differently_has_one_key() -> None:
    spellings = [
        "User:Jo_Doe",
        "jo doe",
        "Jó Doe",
        "  JO   DOE ",
        "https://de.wikipedia.org/wiki/Benutzer:Jo_Doe",
        "@Jo_Doe",
    ]
    assert {identifier_key(s) for s in spellings} == {"jo doe"}
    assert identifier_key("JO@Example.ORG") == "jo@example.org"
    assert identifier_key("Jo Dough") != "jo doe"
    assert identifier_key("the") is None and identifier_key("Al") is None


def test_identifiers_are_found_in_what_a_reporter_wrote() -> None:
    found = extract("It was User:Jo_Doe (jo.doe@example.org), also @jodoe42 and Max Mustermann.")
    assert {"jo doe", "jo.doe@example.org", "jodoe42", "max mustermann"} <= found
    assert extract("A tall person in a red jacket") == set()
    assert "jo doe" in grams("i think it was jo doe, from the chapter")


# -- the register --------------------------------------------------------------------------------


async def test_add_flag_link_and_show_an_entry(bot: Harness) -> None:
    await bot.say("alice", '/person add "Jo Doe" User:JoD jo@example.org @jodoe')
    assert "Added P-1 to the register: Jo Doe." in bot.last_text("alice")
    await bot.say("alice", "/person flag P-1 watch until 2027-08-14 Seen at the WikiCon door")
    assert "P-1 is flagged watch until 2027-08-14." in bot.last_text("alice")
    code = await _taken(bot, "JoD from the chapter")
    await bot.say("alice", f"/person link P-1 {code}")
    assert f"P-1 is now linked to {code}." in bot.last_text("alice")
    await bot.say("alice", f"/person link P-1 {code}")
    assert "already linked" in bot.last_text("alice")
    await bot.say("lena", "/person P-1")
    shown = bot.last_text("lena")
    assert "Identifiers: User:JoD, jo@example.org, @jodoe" in shown
    assert "Flag: watch until 2027-08-14" in shown
    assert "Note: Seen at the WikiCon door" in shown
    assert f"Linked cases:\n  {code} · acknowledged · opened 11 Aug 2027" in shown
    assert "linked to " + code in shown and "added · Alice Example" in shown
    await bot.say("lena", "/person list")
    assert f"P-1 · Jo Doe · watch until 2027-08-14 · {code}" in bot.last_text("lena")
    linked = [(actor, d) for actor, kind, d in await bot.audit(code) if kind == "register_linked"]
    assert linked == [("member:alice", {"person": "P-1"})]
    await bot.say("alice", "/person unflag P-1")
    await bot.say("alice", "/person P-1")
    assert "Flag: no flag" in bot.last_text("alice")
    kinds = [kind for _, kind, _ in await bot.audit(code)]
    assert "register_unflagged" in kinds


async def test_the_pipe_syntax_and_bad_input(bot: Harness) -> None:
    await bot.say("bob", "/person add Jean-Luc Martin | User:JLMartin, jlm@example.org, Jean Luc")
    await bot.say("bob", "/person P-1")
    shown = bot.last_text("bob")
    assert "P-1 · Jean-Luc Martin" in shown
    assert "Identifiers: User:JLMartin, jlm@example.org, Jean Luc" in shown
    await bot.say("bob", "/person flag P-1 sometimes")
    assert "Use /person flag P-1 watch|banned" in bot.last_text("bob")
    await bot.say("bob", "/person flag P-1 banned until 2027-08-01")
    assert "already over" in bot.last_text("bob")
    await bot.say("bob", "/person flag P-9 watch")
    assert "can't find P-9" in bot.last_text("bob")
    await bot.say("bob", "/person P-1")
    assert "Flag: no flag" in bot.last_text("bob")


async def test_adding_a_cases_reported_person_is_one_command(bot: Harness) -> None:
    code = await _taken(bot, "User:Jo_Doe, writes as jo@example.org")
    await bot.say("alice", f"/person from {code}")
    answer = bot.last_text("alice")
    assert f"Added P-1 from {code}, linked to it." in answer
    assert "jo doe" in answer and "jo@example.org" in answer
    await bot.say("alice", f"/person from {code}")
    assert f"{code} is already linked to P-1." in bot.last_text("alice")
    await bot.say("alice", "/person P-1")
    assert f"Linked cases:\n  {code} · acknowledged" in bot.last_text("alice")
    assert [d for _, kind, d in await bot.audit(code) if kind == "register_linked"] == [
        {"person": "P-1"}
    ]


async def test_organizers_and_participants_are_refused_and_nothing_changes(
    people_bot: Harness,
) -> None:
    bot = people_bot
    code = await _taken(bot, "User:Jo_Doe")
    for who in ("otto", "sam"):
        for command in (
            '/person add "Jo Doe" jo@example.org',
            f"/person from {code}",
            "/person list",
            "/screen Jo Doe",
        ):
            await bot.say(who, command)
            assert "That is for the safety team" in bot.last_text(who), (who, command)
    await bot.say("lena", "/person list")
    assert "The register is empty" in bot.last_text("lena")
    assert not any(kind.startswith("register") for _, kind, _ in await bot.audit(code))


async def test_a_conflicted_member_cannot_add_from_or_link_a_case(bot: Harness) -> None:
    code = await bot.file_report(who_text="User:Jo_Doe", exclude=("Bob Builder",))
    await bot.say("bob", f"/person from {code}")
    assert f"I can't find a case {code} that you can see." in bot.last_text("bob")
    await bot.say("bob", '/person add "Jo Doe"')
    await bot.say("bob", f"/person link P-1 {code}")
    assert f"I can't find a case {code} that you can see." in bot.last_text("bob")
    await bot.say("bob", "/person P-1")
    assert "Linked cases: none you can open" in bot.last_text("bob")
    refusals = [d for _, kind, d in await bot.audit(code) if kind == "open_refused"]
    assert refusals == [{"reason": "excluded by the reporter"}] * 2


# -- matching ------------------------------------------------------------------------------------


async def test_the_same_person_in_another_case_is_shown_to_the_handler(bot: Harness) -> None:
    first = await _taken(bot, "User:Jo_Doe from the German chapter")
    unrelated = await _taken(bot, "A tall person in a red jacket", reporter="kim")
    second = await bot.file_report("max", who_text="i think it was jo doe, at the bar")
    await bot.press("alice", "Acknowledge")
    ack = bot.last_text("alice")
    assert f"You're handling {second}." in ack
    assert f"this person appears in 1 other case: {first}." in ack
    await bot.say("lena", f"/case {first}")
    assert f"this person appears in 1 other case: {second}." in bot.last_text("lena")
    await bot.say("lena", f"/case {unrelated}")
    assert "appears in" not in bot.last_text("lena")
    seen_by_others = everything_seen_by(bot, "sam", "kim", "max", "team")
    assert first not in everything_seen_by(bot, "max")
    assert "appears in" not in seen_by_others and "register" not in seen_by_others


async def test_a_register_match_reaches_the_handler_only(bot: Harness) -> None:
    await bot.say("alice", '/person add "Jo Doe" jo@example.org')
    await bot.say("alice", "/person flag P-1 banned Removed from WikiCon 2026")
    code = await bot.file_report("sam", who_text="Someone writing as JO@example.org")
    await bot.press("alice", "Acknowledge")
    assert "On the register: P-1 · banned." in bot.last_text("alice")
    await bot.say("bob", f"/case {code}")
    assert "On the register: P-1 · banned." in bot.last_text("bob")
    seen = everything_seen_by(bot, "sam", "team")
    for word in ("register", "P-1", "banned", "WikiCon", "appears in"):
        assert word not in seen


async def test_codes_a_member_is_conflicted_on_are_not_listed(bot: Harness) -> None:
    hidden = await bot.file_report("sam", who_text="User:Jo_Doe", exclude=("Bob Builder",))
    await bot.press("alice", "Acknowledge")
    open_to_all = await bot.file_report("kim", who_text="jo doe again")
    await bot.say("bob", f"/ack {open_to_all}")
    assert f"You're handling {open_to_all}." in bot.last_text("bob")
    assert "appears in" not in bot.last_text("bob")
    assert hidden not in bot.last_text("bob")
    await bot.say("alice", f"/case {open_to_all}")
    assert f"this person appears in 1 other case: {hidden}." in bot.last_text("alice")
    await bot.say("alice", f"/person from {hidden}")
    await bot.say("bob", "/person list")
    assert "P-1" in bot.last_text("bob") and hidden not in bot.last_text("bob")


async def test_an_entry_naming_a_member_is_hidden_from_them(bot: Harness) -> None:
    await bot.say("lena", '/person add "Someone Else" AliceWMAT')
    await bot.say("lena", "/person flag P-1 watch")
    await bot.say("alice", "/person list")
    assert "The register is empty" in bot.last_text("alice")
    await bot.say("alice", "/person P-1")
    assert "can't find P-1" in bot.last_text("alice")
    await bot.say("bob", "/person list")
    assert "P-1 · Someone Else · watch" in bot.last_text("bob")


# -- /screen -------------------------------------------------------------------------------------

REGISTRATIONS = """name,username,email,t-shirt
Ann Example,AnnE,ann@example.org,M
Jo Doe,JoD,jo@example.org,L
Pat Quiet,patq,pat@example.org,S
Kim Other,User:Max_Power,kim@example.org,XL
"""


async def _flagged_register(bot: Harness) -> str:
    code = await _taken(bot, "User:Max_Power")
    await bot.say("alice", '/person add "Jo Doe" User:JoD jo@example.org')
    await bot.say("alice", "/person flag P-1 watch until 2027-08-14 NOTE-SCREEN-5521")
    await bot.say("alice", f"/person from {code}")
    await bot.say("alice", "/person flag P-2 banned")
    await bot.say("alice", '/person add "Pat Quiet" patq')  # on the register, not flagged
    return code


async def test_screen_a_pasted_list(bot: Harness) -> None:
    code = await _flagged_register(bot)
    await bot.say("lena", "/screen " + REGISTRATIONS)
    answer = bot.last_text("lena")
    assert "4 registrations checked against 2 flagged people" in answer
    assert "2 matches" in answer
    assert "line 3 (name Jo Doe): watch until 2027-08-14, no case you can open" in answer
    assert f"line 5 (username User:Max_Power): banned, cases {code}" in answer
    assert "line 2" not in answer and "line 4" not in answer  # Pat is not flagged
    assert "NOTE-SCREEN-5521" not in answer and "P-1" not in answer
    await bot.say("lena", "/screen Ann Example, jodoe, JoD, Someone Else")
    answer = bot.last_text("lena")
    assert "item 3 (value JoD): watch" in answer and "item 2" not in answer


async def test_screen_a_csv_file_on_the_console(tmp_path: Path) -> None:
    out = io.StringIO()
    messenger = ConsoleMessenger(out)
    app = BotApp(
        database=tmp_path / "console.db",
        config=demo_config(),
        key=generate_key(),
        messengers=[messenger],
        clock=FakeClock(),
    )
    await app.start()
    console = ConsoleAdapter(app, messenger, out)
    try:
        csv_file = tmp_path / "registrations.csv"
        csv_file.write_text(REGISTRATIONS.replace(",", ";"), encoding="utf-8")
        for line in (
            '@alice /person add "Jo Doe" User:JoD jo@example.org',
            "@alice /person flag P-1 banned",
            f"@lena /screen [file {csv_file}]",
        ):
            await console.perform(line)
            await app.flush()
        shown = out.getvalue()
        assert "[private chat with lena]" in shown
        assert "line 3 (name Jo Doe): banned, no case you can open" in shown
        assert "1 match:" in shown
        await console.perform(f"@lena /screen [file {tmp_path / 'missing.csv'}]")
        assert "(there is no file" in out.getvalue()
    finally:
        await app.stop()


def test_the_console_reads_a_trailing_file() -> None:
    line = parse("@lena /screen [file lists/regs.csv]", "sam")
    assert not isinstance(line, str) and line is not None
    assert (line.speaker, line.text, line.attachment) == ("lena", "/screen", "lists/regs.csv")


# -- watch notes ---------------------------------------------------------------------------------


async def test_watch_notes_reach_each_shift_handoff_while_the_flag_lasts(
    people_bot: Harness,
) -> None:
    bot = people_bot
    await bot.say("lena", '/person add "Jo Doe" User:JoD')
    await bot.say("lena", "/person flag P-1 watch until 2027-08-11 Keep an eye on the stairs")
    await bot.say("lena", '/person add "Max Power"')
    await bot.say("lena", "/person flag P-2 banned")
    await bot.advance(10 * 3600)  # Bob's shift starts at 20:00
    handoff = next(t for t in bot.platform.texts("bob") if "Your shift starts now" in t)
    assert "P-1 Jo Doe · watch until 2027-08-11: Keep an eye on the stairs" in handoff
    assert "P-2 Max Power · banned" in handoff
    assert "Jo Doe" not in everything_seen_by(bot, "team")
    await bot.advance(12 * 3600)  # Alice's shift on the next day, after the flag ended
    handoff = next(t for t in bot.platform.texts("alice") if "Your shift starts now" in t)
    assert "Jo Doe" not in handoff and "P-2 Max Power · banned" in handoff
    await bot.say("lena", "/person P-1")
    assert "Flag: watch (ended 2027-08-11)" in bot.last_text("lena")


async def test_no_watch_notes_without_flags(people_bot: Harness) -> None:
    await people_bot.say("lena", '/person add "Jo Doe" User:JoD')
    await people_bot.advance(10 * 3600)
    handoff = next(t for t in people_bot.platform.texts("bob") if "Your shift starts now" in t)
    assert "Watch notes: none." in handoff and "Jo Doe" not in handoff


# -- at rest -------------------------------------------------------------------------------------


async def test_the_register_is_not_in_the_database_file_in_plaintext(bot: Harness) -> None:
    code = await _taken(bot, "Zebulon Quartzferry, also User:ZQuartz77")
    await bot.say("alice", f"/person from {code}")
    await bot.say("alice", '/person add "Ysolde Marchbank" ysolde@example.org')
    await bot.say("alice", "/person flag P-2 watch NOTE-REGISTER-8812")
    await bot.stop()
    raw = b"".join(
        path.read_bytes()
        for path in bot.path.parent.iterdir()
        if path.name.startswith(bot.path.name)
    ).lower()
    for secret in (
        "zebulon",
        "quartzferry",
        "zquartz77",
        "ysolde",
        "marchbank",
        "ysolde@example.org",
        "note-register-8812",
    ):
        assert secret.encode() not in raw, secret


async def test_person_add_without_a_name_says_what_it_needs_and_adds_nothing(bot: Harness) -> None:
    for typed in ("/person add", "/person add   ", '/person add ""', "/person add \u200b"):
        await bot.say("alice", typed)
        assert bot.last_text("alice") == (
            "/person add needs the person's name, then any usernames, e-mail addresses or"
            ' handles.\nFor example: /person add "Jo Doe" User:JoD jo@example.org'
        ), typed
    await bot.say("alice", "/person list")
    assert "The register is empty" in bot.last_text("alice")
