"""The four stories again, told on the console as organizers in the field would, with only
README's commands: the points where the bot failed them (issue 14), each told as a story.

Help that reaches people (story 2), a reported team member who learns nothing (story 4), checking
what is known first (story 1), and small things seen on the way (story 3).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from story import Story
from support import Harness
from teams import STORIES

from bot.config.teamfile import parse_team_text
from bot.text.commands import COMMANDS
from bot.text.views import either

HOUR = 3600.0
URGENT = "Urgent: someone needs help now."
NEXT_DOOR = "He keeps inviting me to hang out after I said no twice, only when I'm alone."
BOARD = "BramB, a board member of our affiliate, kept touching my shoulder and following me."


def report(
    who: str,
    account: str,
    reported: str,
    affiliation: str = "A participant",
    *,
    command: str = "/report",
    identity: str = "> Pseudonymous\n> Message me here",
    excluded: str = "",
) -> str:
    """The lines of a report as a participant (or, with ``/report for``, a member) types them."""
    return f"""
        @{who} {command}
        > No
        > It happened to me
        {identity}
        {account}
        > Done
        > Earlier today
        > At the event venue
        {reported}
        > {affiliation}
        > No one
        {excluded}
        > Done
        > Skip
        > Send report
    """


IN_PERSON = {"command": "/report for", "identity": "> Named\n> Through me"}
ANONYMOUS = {"identity": "> Anonymous"}


def since(story: Story, seen: int, who: str) -> list[str]:
    return [text for chat, text in story.messages()[seen:] if chat == who]


# -- 2. Help that reaches people ----------------------------------------------------------------


async def test_story_2_i_need_help_at_a_check_in_pages_everyone_until_the_new_alert_is_taken(
    story: Story,
) -> None:
    await story.run(report("sam", NEXT_DOOR, "Rik, blue lanyard", "From another event"))
    code = story.code("sam")
    await story.run("@sam > Every 2 hours\n@alice > Acknowledge")
    await story.advance(2 * HOUR)  # the check-in at 12:00
    seen = len(story.messages())
    await story.run("@sam > I need help now")
    told = story.last("sam")
    assert "Everyone on duty has been alerted" in told and "Where are you right now?" in told
    await story.run("@sam Coffee corner on the 2nd floor")
    # Everyone on duty and every safety contact at once, with where she is; the leads not yet.
    for contact in ("alice", "bob", "mira"):
        pages = [t for t in since(story, seen, contact) if URGENT in t and code in t]
        assert any("The reporter asked for help during a check-in." in t for t in pages)
        assert any("Where they are now: Coffee corner on the 2nd floor" in t for t in pages)
    assert since(story, seen, "lena") == []
    assert any(
        t.startswith(f"{code} · critical · awaiting acknowledgement again")
        for t in (since(story, seen, "#team"))
    )
    # Alice's acknowledgement this morning does not count: it repeats, and the leads join.
    await story.advance(120)
    assert any(URGENT in t and code in t for t in since(story, seen, "lena"))
    await story.run("@bob > Acknowledge")
    assert story.last("bob").startswith(f"You're answering the call for help on {code}.")
    assert f"{code} · Bob Builder acknowledged the call for help." in story.chat("alice")
    assert "has your call for help" in story.last("sam")
    paged = len([t for chat, t in story.messages() if URGENT in t])
    await story.advance(HOUR)
    assert len([t for chat, t in story.messages() if URGENT in t]) == paged
    # whoever answered the call hears where she is now
    await story.run("@sam > I've moved\n@sam Now by the lifts")
    assert "where they are now: Coffee corner on the 2nd floor / Now by the lifts" in (
        story.last("bob")
    )


async def test_a_new_alert_survives_a_restart_and_only_acknowledging_it_stops_it(
    team_bot: Harness,
) -> None:
    bot = team_bot
    code = await bot.file_report(account=NEXT_DOOR)
    await bot.press("sam", "Every 2 hours")
    await bot.press("alice", "Acknowledge")
    await bot.advance(2 * HOUR)
    await bot.press("sam", "I need help now")
    await bot.say("alice", f"/note {code} Calling her now")  # work on the case is no answer
    await bot.restart()
    await bot.advance(120)
    assert URGENT in bot.last_text("lena") and code in bot.last_text("lena")
    await bot.say("alice", f"/escalate {code} no answer on her phone")
    assert "escalated" in bot.last_text("alice")
    await bot.press("mira", "Acknowledge")
    assert "answering the call for help" in bot.last_text("mira")
    pages = sum(URGENT in t for t in bot.platform.texts("lena"))
    await bot.advance(HOUR)
    assert sum(URGENT in t for t in bot.platform.texts("lena")) == pages
    assert (await bot.case(code)).alert_at is None


async def test_i_need_help_on_a_check_in_of_a_closed_report_still_gets_help(
    team_bot: Harness,
) -> None:
    bot = team_bot
    code = await bot.file_report()
    await bot.press("sam", "Every 2 hours")
    await bot.press("alice", "Acknowledge")
    await bot.advance(2 * HOUR)
    await bot.say("alice", f"/resolve {code} no_action Talked it through.")
    await bot.say("alice", f"/close {code}")
    await bot.press("sam", "I need help now")
    assert "Everyone on duty has been alerted" in bot.last_text("sam")
    assert code not in bot.last_text("sam")  # a new, critical case
    assert URGENT in bot.last_text("bob")


TEAM_WITH_REPLY = STORIES.replace("[escalation]", '[escalation]\noff_duty_reply = "1d"')


@pytest.mark.parametrize(
    ("hours", "team", "promise"),
    [
        (5 * 24, STORIES, "The safety team has it and will pick it up as soon as they can."),
        (5 * 24, TEAM_WITH_REPLY, "The safety team has it and will pick it up within 1 day."),
        (2 * 24, TEAM_WITH_REPLY, "The safety team has it and will pick it up within 1 day."),
    ],
    ids=["after the event", "after the event, with off_duty_reply", "nobody on the rota"],
)
async def test_a_report_when_nobody_is_on_duty_promises_only_what_the_team_can_keep(
    database: Path | str, hours: float, team: str, promise: str
) -> None:
    story = await Story(database, parse_team_text(team, "t.toml")).start()
    await story.advance(hours * HOUR)
    await story.run(report("sam", "He followed me to the station.", "Rik"))
    told = next(t for t in reversed(story.chat("sam")) if "Your report is in" in t)
    assert "nobody is on duty right now. " + promise in told
    assert "minute" not in told
    await story.run(report("carol", "Told in person.", "Rik", **IN_PERSON))
    assert "every safety contact has been alerted" in story.last("carol")
    await story.run("@kim /start\n> I need help now")
    help_now = story.last("kim")
    assert "nobody is on duty right now" in help_now and "coming" not in help_now
    assert "0100 200 300" in help_now
    await story.stop()


# -- 4. A reported team member learns nothing ---------------------------------------------------

CODE_COMMANDS = [
    "/ack {}",
    "/escalate {} why",
    "/case {}",
    "/note {} a note",
    "/status {} investigating",
    "/severity {} high",
    "/resolve {} warning done",
    "/close {}",
    "/reopen {} again",
    "/recuse {}",
    "/reply {} hello",
    "/second {} mira",
    "/statement {} reporter they said",
    "/task {} mira 18:00 call the venue",
    "/handoff {} venue please help",
    "/person from {}",
    "/person link P-1 {}",
]


def test_every_command_that_takes_a_case_code_is_tried_by_the_conflict_story() -> None:
    """A code command added later is covered by the story below, or this fails."""
    tried = {command.split()[0] for command in CODE_COMMANDS}
    declared = {
        command.slash for command in COMMANDS if any(usage.case for usage in command.usages)
    }
    assert declared <= tried


async def _answer(story: Story, who: str, command: str, code: str) -> str:
    await story.run(f"@{who} {command.format(code)}")
    return story.last(who).replace(code, "CODE")


async def test_story_4_a_conflicted_member_gets_the_answer_an_unknown_code_gets(
    story: Story,
) -> None:
    await story.run(report("kim", BOARD, "BramB", "Board or staff"))
    board = story.code("kim")
    await story.run(
        f'@lena > Acknowledge\n/person add "Someone" someone1\n/task {board} mira 2h ask'
    )
    excluded = await _excluding_bob(story)
    await story.run(report("sam", "He shouted at me.", "Rik") + "@alice > Acknowledge")
    recused = story.code("sam")
    await story.run(f"@alice /recuse {recused}")
    unknown = await _unknown_code(story)
    # named in it, for the leads only, excluded, recused, an organizer, a participant
    for who, code in [
        ("bram", board),
        ("alice", board),
        ("bob", excluded),
        ("alice", recused),
        ("carol", excluded),
        ("sam", board),
    ]:
        for command in CODE_COMMANDS:
            real = await _answer(story, who, command, code)
            assert real == await _answer(story, who, command, unknown), (who, command)
            assert len(real) < 120 and "conflict" not in real
        assert await _answer(story, who, "/task done {}", "1") == await _answer(
            story, who, "/task done {}", "99"
        )
    # Each refusal is still recorded in the case's audit trail.
    tried = {kind for actor, kind, _ in await story.audit(board) if actor == "member:bram"}
    assert {"ack_refused", "open_refused", "change_refused", "escalate_refused"} <= tried
    assert not any(BOARD in t or "lead" in t.lower() for t in story.chat("bram"))


async def _excluding_bob(story: Story) -> str:
    await story.run(report("sam", "He grabbed my arm.", "Rik", excluded="> Bob Builder"))
    code = story.code("sam")
    await story.run("@alice > Acknowledge")
    return code


async def _unknown_code(story: Story) -> str:
    for letter in "ZYXWV":
        code = "FS-" + letter * 4
        async with story.app.store.transaction() as tx:
            if await tx.find_case(code) is None:
                return code
    raise AssertionError("no unused code")


async def test_story_4_the_team_channel_does_not_single_out_a_case_above_the_team(
    story: Story,
) -> None:
    await story.run(report("sam", "He shouted at me.", "Rik"))
    ordinary = story.code("sam")
    await story.run(report("kim", BOARD, "BramB", "Board or staff"))
    board = story.code("kim")
    lines = story.chat("#team")
    assert lines == [
        f"{c} · medium · awaiting acknowledgement · opened just now" for c in (ordinary, board)
    ]
    await story.run("@bram #team /summary")
    summary = story.last("#team")
    assert "Open cases: 2 (2 awaiting acknowledgement)" in summary
    assert board in summary and "lead" not in summary.lower()
    await story.advance(8 * HOUR)  # Bob's shift starts at 18:00
    assert any("Open cases: 2, 2 awaiting acknowledgement." in t for t in story.chat("#team"))
    # The leads see it in their private list; a safety contact who is not a lead does not.
    await story.run("@lena /cases\n@alice /cases")
    assert board in story.last("lena") and board not in story.last("alice")


async def test_story_4_the_second_person_can_open_the_case_unless_conflicted(
    story: Story,
) -> None:
    await story.run(report("kim", BOARD, "BramB", "Board or staff"))
    code = story.code("kim")
    await story.run(f"@lena > Acknowledge\n/second {code} bram")
    assert story.last("lena") == (
        f"Bram Board can't be the second person on {code}: the report names them."
        " Please choose someone else."
    )
    await story.run(f"/second {code} bob\n@bob /case {code}")
    assert BOARD in story.last("bob")
    await story.run(f"@bob /statement {code} reporter Three occasions, she says.")
    assert story.last("bob") == (
        f"Statement (reporter) recorded on {code}; present: Lena Lead, Bob Builder."
    )
    # An organizer made second on an ordinary case works it too, and sees it in /cases.
    await story.run(report("sam", "He shouted at me.", "Rik") + "@alice > Acknowledge")
    other = story.code("sam")
    await story.run(f"@alice /second {other} carol\n@carol /case {other}\n")
    assert "He shouted at me." in story.last("carol")
    await story.run(f"@carol /cases\n@alice /recuse {other}\n@lena /second {other} alice")
    assert other in story.chat("carol")[-1]
    assert story.last("lena").endswith(
        f"{other}: they stepped aside from it. Please choose someone else."
    )


# -- 1. Checking what is known first -----------------------------------------------------------


async def test_story_1_the_register_shows_each_linked_cases_state_and_sanction(
    story: Story,
) -> None:
    await story.run("""
        @alice /case new
        > No
        User:JoD is discussed on the admins' noticeboard.
        > Done
        > Another day
        > Online
        User:JoD
        > A participant
        > Not sure
        > Done
        > Skip
        > Send report
        > Acknowledge
    """)
    first = story.code("alice")
    await story.run(f"/person from {first}\n/resolve {first} event_ban Banned for 2027.")
    await story.run(f"/close {first}")
    await story.run(
        report("sam", "He stood in my way.", "jod at the door") + "@alice > Acknowledge"
    )
    second = story.code("sam")
    await story.advance(24 * HOUR)
    await story.run(f"""
        @alice /person link P-1 {second}
        /resolve {second} no_contact_agreement Keeps away from her.
        @lena /person P-1
    """)
    shown = story.last("lena")
    assert f"  {first} · closed · event ban, 11 Aug 2027" in shown
    assert f"  {second} · resolved · no-contact agreement, 12 Aug 2027" in shown
    await story.run(f"@alice /reopen {second} She wrote again.\n@lena /person P-1")
    assert f"  {second} · reopened · opened 11 Aug 2027" in story.last("lena")


async def test_story_1_a_high_risk_goes_to_the_external_contact_by_the_handlers_choice(
    story: Story,
) -> None:
    await story.run(report("sam", "He stood in my way.", "JoD") + "@alice > Acknowledge")
    code = story.code("sam")
    await story.run(f"/severity {code} high")
    assert "Foundation safety team can be told too" in story.last("alice")
    assert story.chat("foundation") == []  # only if the handler chooses
    await story.run("> Tell Foundation safety team")
    assert story.last("alice") == f"{code} · Told: Foundation safety team."
    assert story.last("foundation") == (
        f"Story team: case {code} is assessed as high risk. Please contact Alice Example."
    )
    # A lead's assessment names both people to call, once each.
    await story.run(f"@lena /severity {code} critical")
    assert story.last("foundation").endswith("Please contact Lena Lead or Alice Example.")
    # Nobody picked a report up: the chain's message names the leads as one would say it.
    await story.run(report("kim", "He followed me.", "Rik"))
    for _ in range(2):
        await story.advance(5 * 60)
    assert story.last("foundation").endswith("Please contact Lena Lead or Mira Lead.")


@given(st.lists(st.sampled_from(["Ann", "Bo", "Cy", "Di"]), max_size=6))
def test_whom_to_call_reads_as_one_would_say_it(names: list[str]) -> None:
    said = either(names, "the safety team")
    unique = list(dict.fromkeys(names))
    if not unique:
        assert said == "the safety team"
        return
    assert re.findall(r"[A-Z][a-z]+", said) == unique
    assert said.count(" or ") == (len(unique) > 1) and ", or" not in said


# -- 3. Small things seen on the way -----------------------------------------------------------


async def test_story_3_the_member_who_took_it_in_person_is_asked_to_tell_them(
    story: Story,
) -> None:
    await story.run(report("carol", "Kim grabbed Jo's arm.", "Kim", **IN_PERSON))
    code = story.code("carol")
    await story.run("@alice > Acknowledge")
    taken = story.last("alice")
    assert "Carol Organizer took it in person and has been asked to tell the person." in taken
    assert "reporter has been told" not in taken
    assert story.last("carol").endswith("Please let the person know.") and code in story.last(
        "carol"
    )
    # The same kind: nobody is told to be told when nobody can be.
    await story.run(report("sam", "He shouted.", "Rik", **ANONYMOUS))
    await story.run("@alice > Acknowledge")
    assert "chose to stay anonymous, so they can't be told" in story.last("alice")
