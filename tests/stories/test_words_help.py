"""Help at once, and looking after the people who take reports (issue 15), told on the console.

Danger at the first question alerts nobody until the person taps "I need help now", and they are
told so before; the alert says who sees their name, who is coming once someone answers, and
believes "I'm safe now" or "I pressed it by mistake"; a check-in tells talking from urgent help.
Pages carry a content note, acknowledging a reminder of how to respond, critical cases and the
shifts that had one an aftercare note; a reporter may say whom they would prefer to talk to.
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

from bot.config.teamfile import TeamFile, TeamFileError, parse_team_text
from bot.domain import preferences
from bot.domain.team import CONSOLE, Team

HOUR = 3600.0
URGENT = "Urgent: someone needs help now."
NUMBERS = "Venue security: 0100 200 300."
NOTE = "Thank you for handling this. Take a break and debrief with your lead."
REMINDER = (
    "When you talk to them: believe them, and don't ask why they did or didn't do something.\n"
    "Promise only what you can do, and say what happens next."
)
CONTENT_NOTE = "Content note: this page includes an account of harm; read it when you are ready."
ACCOUNT = "He followed me to my room and waited by the door."
YES = "> Yes, I'm in danger\n> Carry on with the report"


def report_lines(who: str, danger: str = "> No", *, send: bool = True) -> list[str]:
    """A participant's report, line by line as typed on the console."""
    lines = [
        f"@{who} /report",
        *danger.splitlines(),
        "> It happened to me",
        "> Pseudonymous",
        "> Message me here",
        ACCOUNT,
        "> Done",
        "> Earlier today",
        "> At the event venue",
        "Rik, blue lanyard",
        "> A participant",
        "> No one",
        "> Done",
        "> Skip",
    ]
    return [*lines, "> Send report"] if send else lines


def since(story: Story, seen: int, who: str) -> list[str]:
    return [text for chat, text in story.messages()[seen:] if chat == who]


def others(story: Story, seen: int, who: str) -> list[tuple[str, str]]:
    """Everything shown since ``seen`` to anyone but ``who``."""
    return [(chat, text) for chat, text in story.messages()[seen:] if chat != who]


def offered(story: Story, phrase: str) -> list[str]:
    """The buttons shown under the newest message that contains ``phrase``."""
    transcript = story.transcript.splitlines()
    at = max(i for i, line in enumerate(transcript) if phrase in line)
    row = next(line for line in transcript[at:] if line.startswith("    buttons: "))
    return re.findall(r"\[\d+\] (.+?)(?=  \[\d+\]|$)", row)


def labels(story: Story, who: str) -> list[str]:
    """The buttons of the newest message with buttons in ``who``'s chat."""
    mine = [b for b in story.messenger.buttons if b.chat_id == who]
    newest = max(int(b.ref) for b in mine)
    return [b.label for b in mine if int(b.ref) == newest]


# -- Help at once: the danger question -----------------------------------------------------------


@pytest.mark.parametrize("answer", ["Yes", "Not sure"])
@pytest.mark.parametrize(
    ("who", "command", "yes"),
    [
        ("sam", "/report", "Yes, I'm in danger"),
        ("carol", "/report for", "Yes, they are in danger"),
        ("alice", "/case new", "Yes, someone is in danger"),
    ],
    ids=["own report", "taken in person", "opened by the team"],
)
async def test_danger_alerts_only_on_the_tap_and_says_so_before(
    story: Story, who: str, command: str, yes: str, answer: str
) -> None:
    seen = len(story.messages())
    await story.run(f"@{who} {command}\n> {yes if answer == 'Yes' else answer}")
    said = story.last(who)
    assert said.startswith("Nobody has been told yet.\n")
    assert NUMBERS in said
    assert "alerts everyone on duty at once with what you have told me so far, and your name" in (
        said
    )
    assert labels(story, who) == ["I need help now", "Carry on with the report", "Back"]
    assert others(story, seen, who) == []
    await story.run("> I need help now")
    for contact in ("alice", "bob", "mira"):
        assert any(URGENT in t for t in since(story, seen, contact)), contact
    alerted = story.last(who)
    assert alerted.startswith("Everyone on duty has been alerted (FS-")
    assert NUMBERS not in alerted  # shown just before, with the choice: not again
    assert sum(NUMBERS in t for t in since(story, seen, who)) == 1


async def test_carrying_on_tells_nobody_at_any_step_until_the_report_is_sent(
    story: Story,
) -> None:
    seen = len(story.messages())
    for line in report_lines("sam", YES, send=False):
        await story.run(line)
        assert others(story, seen, "sam") == [], line
    await story.run("@sam > Send report")
    assert any(URGENT in t and ACCOUNT in t for t in since(story, seen, "alice"))
    assert "Where are you right now?" in story.last("sam")


async def test_back_from_the_follow_up_asks_again_and_no_goes_straight_on(story: Story) -> None:
    await story.run("@sam /report\n> Not sure\n> Back")
    assert story.last("sam") == "First, are you in danger right now?"
    await story.run("> No")
    assert story.last("sam") == "Which of these fits best?"


async def test_the_follow_up_survives_a_restart(team_bot: Harness) -> None:
    bot = team_bot
    await bot.say("sam", "/report")
    await bot.press("sam", "Yes, I'm in danger")
    await bot.restart()
    await bot.say("sam", "he is outside")
    assert bot.last_text("sam").startswith("Nobody has been told yet.")
    await bot.press("sam", "I need help now")
    assert URGENT in bot.last_text("alice")


async def test_with_nobody_on_duty_the_alert_points_to_the_numbers_it_just_showed(
    story: Story,
) -> None:
    await story.advance(5 * 24 * HOUR)  # after the event: nobody on the rota
    await story.run("@sam /report\n> Yes, I'm in danger")
    assert "alerts the whole safety team at once" in story.last("sam")
    await story.run("> I need help now")
    alerted = story.last("sam")
    assert "nobody is on duty right now" in alerted and "call the numbers above" in alerted
    assert "coming" not in alerted and NUMBERS not in alerted


# -- Help at once: "I need help now" -----------------------------------------------------------


async def test_i_need_help_now_says_who_sees_the_name_as_it_alerts(story: Story) -> None:
    await story.run("@sam /start\n> I need help now")
    first = story.last("sam").splitlines()[0]
    assert first.startswith("Everyone on duty has been alerted (FS-")
    assert first.endswith("They can see your name, so they can find you.")
    assert labels(story, "sam") == ["I'm safe now", "I pressed it by mistake"]
    assert "Identity: sam on console" in story.last("alice")
    # the emergency numbers once, and no "press I need help now" to someone who just did
    assert sum(NUMBERS in t for t in story.chat("sam")) == 1
    assert not any('press "I need help now"' in t for t in story.chat("sam"))


async def test_who_is_coming_is_said_once_someone_acknowledges(story: Story) -> None:
    await story.run("@sam /start\n> I need help now\n@sam Room B, by the lifts")
    code = story.code("sam")
    assert not any("is coming to you" in t for t in story.chat("sam"))
    await story.run("@bob > Acknowledge")
    # by name, although show_handler_names is off: the person must know whom to expect
    assert story.last("sam") == (
        "Bob Builder from the safety team has your call for help and is coming to you."
        " Stay where you are if it is safe."
    )
    taken = story.last("bob")
    assert taken.startswith(
        f"You're handling {code}. The person asking for help has been told your name and"
        " that you are coming.\n" + REMINDER
    )


async def test_later_messages_are_passed_on_not_taken_as_where_they_are(story: Story) -> None:
    await story.run("@sam /start\n> I need help now\n@sam Room B, by the lifts")
    assert labels(story, "sam") == ["I've moved", "I'm safe now", "I pressed it by mistake"]
    await story.run("@sam He is still outside the door")
    assert story.last("sam") == "Passed on to the safety team."
    page = story.last("alice")
    assert "Where they are now: Room B, by the lifts\n" in page
    assert "He is still outside the door" in page.split("What happened:")[1]
    await story.run("@sam > I've moved\n@sam Hotel lobby")
    assert "Where they are now: Room B, by the lifts / Hotel lobby" in story.last("alice")
    code = story.code("sam")
    await story.run("@bob > Acknowledge\n@sam Two of his friends are here now")
    assert story.last("bob") == f"{code} · they wrote: Two of his friends are here now"


async def test_im_safe_now_stops_the_urgent_repeats_but_someone_still_checks(
    story: Story,
) -> None:
    await story.run("@sam /start\n> I need help now\n@sam Room B\n@sam > I'm safe now")
    assert story.last("sam").startswith("Thank you for telling me. The safety team knows")
    page = story.last("alice")
    assert page.startswith("A new report needs a safety contact.\nThey say they are safe now.")
    seen = len(story.messages())
    await story.advance(120)  # critical_repeat: nothing repeats, the leads are not called in
    assert others(story, seen, "sam") == []
    await story.advance(180)  # the chain's first wait: on at its normal pace
    assert any("A new report needs a safety contact." in t for t in since(story, seen, "bob"))
    assert since(story, seen, "lena") == []
    await story.run("@bob > Acknowledge")
    assert "has picked up your report" in story.last("sam")


async def test_pressed_by_mistake_is_believed_once_and_asks_for_a_check(story: Story) -> None:
    await story.run("@sam /start\n> I need help now\n> I pressed it by mistake")
    assert story.last("sam").startswith("That's all right.")
    assert "They say they pressed it by mistake. Please check with them." in story.last("alice")
    seen = len(story.messages())
    await story.run("@sam > I pressed it by mistake")  # pressed again: nobody is told twice
    assert others(story, seen, "sam") == []


async def test_safe_now_after_someone_answered_tells_them(story: Story) -> None:
    await story.run("@sam /start\n> I need help now\n@bob > Acknowledge\n@sam > I'm safe now")
    code = story.code("sam")
    assert story.last("bob") == f"{code} · They say they are safe now."


# -- Help at once: a check-in -------------------------------------------------------------------


async def test_talk_to_someone_at_a_check_in_pages_the_handler_as_a_normal_request(
    story: Story,
) -> None:
    for line in [*report_lines("sam"), "@sam > Every 2 hours", "@alice > Acknowledge"]:
        await story.run(line)
    code = story.code("sam")
    await story.advance(2 * HOUR)
    assert labels(story, "sam") == [
        "I'm OK",
        "I'd like to talk to someone",
        "I need help now",
        "Stop check-ins",
    ]
    seen = len(story.messages())
    await story.run("@sam > I'd like to talk to someone")
    assert "I've asked the safety team to get in touch with you" in story.last("sam")
    (page,) = since(story, seen, "alice")
    assert page.startswith("A reporter would like to talk to someone.\n" + CONTENT_NOTE)
    assert "They asked at a check-in to talk to someone." in page and URGENT not in page
    assert since(story, seen, "bob") == [] and since(story, seen, "mira") == []
    assert since(story, seen, "#team")[-1].startswith(f"{code} · medium · awaiting")
    await story.advance(120)
    assert len(since(story, seen, "alice")) == 1  # no urgent repeats
    await story.advance(180)  # nobody took it: the chain goes on at its normal pace
    assert any(code in t for t in since(story, seen, "bob"))
    await story.run("@bob > Acknowledge")
    assert story.last("sam") == (
        "A member of the safety team has seen that you would like to talk and will be in touch"
        " as you asked."
    )
    assert story.last("bob").startswith(f"You're answering the request to talk on {code}.")
    assert REMINDER in story.last("bob")
    assert f"{code} · Bob Builder acknowledged the request to talk." in story.chat("alice")


async def test_urgent_help_at_a_check_in_is_the_other_answer(story: Story) -> None:
    for line in [*report_lines("sam"), "@sam > Every 2 hours", "@alice > Acknowledge"]:
        await story.run(line)
    code = story.code("sam")
    await story.advance(2 * HOUR)
    seen = len(story.messages())
    await story.run("@sam > I need help now")
    assert any(URGENT in t and code in t for t in since(story, seen, "bob"))
    await story.run("@bob > Acknowledge")
    assert story.last("sam").startswith("Bob Builder from the safety team has your call for help")
    assert REMINDER in story.last("bob")


async def test_safe_now_after_a_check_in_call_gets_a_check_not_a_rush(story: Story) -> None:
    for line in [*report_lines("sam"), "@sam > Every 2 hours", "@alice > Acknowledge"]:
        await story.run(line)
    code = story.code("sam")
    await story.advance(2 * HOUR)
    await story.run("@sam > I need help now\n@sam > I'm safe now")
    seen = len(story.messages())
    await story.advance(120)
    assert not any(URGENT in t for _, t in others(story, seen, "sam"))
    await story.run("@bob > Acknowledge")
    assert story.last("sam") == (
        "A member of the safety team has your message and will check in with you as you asked."
    )
    assert story.last("bob").startswith(
        f"You're answering the call for help on {code}. The reporter has been told that someone"
        " will check in with them."
    )


async def test_talk_on_a_report_nobody_took_yet_goes_on_its_pages(story: Story) -> None:
    for line in [*report_lines("sam"), "@sam > Every 2 hours"]:
        await story.run(line)
    await story.advance(2 * HOUR)
    await story.run("@sam > I'd like to talk to someone")
    assert "still waiting for someone on the safety team" in story.last("sam")
    assert "They asked at a check-in to talk to someone." in story.chat("alice")[-1]


# -- For the people who take reports ------------------------------------------------------------


async def test_a_page_starts_with_a_content_note_before_the_account(story: Story) -> None:
    for line in report_lines("sam"):
        await story.run(line)
    page = story.chat("alice")[0]
    assert page.splitlines()[:2] == ["A new report needs a safety contact.", CONTENT_NOTE]
    assert page.index(CONTENT_NOTE) < page.index(ACCOUNT)
    await story.run("@kim /start\n> I need help now")  # no account, so nothing to warn of
    assert story.last("alice").startswith(URGENT) and CONTENT_NOTE not in story.last("alice")


async def test_acknowledging_shows_how_to_respond_in_two_lines(story: Story) -> None:
    for line in report_lines("sam"):
        await story.run(line)
    code = story.code("sam")
    await story.run("@alice > Acknowledge")
    taken = story.last("alice").split("\n")
    assert taken[0].startswith(f"You're handling {code}.")
    assert "\n".join(taken[1:3]) == REMINDER
    for line in report_lines("kim"):
        await story.run(line)
    await story.run(f"@bob /ack {story.code('kim')}")
    assert "\n".join(story.last("bob").split("\n")[1:3]) == REMINDER


async def test_aftercare_goes_to_everyone_who_worked_a_critical_case(story: Story) -> None:
    await story.run("@sam /start\n> I need help now\n@bob > Acknowledge")
    code = story.code("sam")
    await story.run(f"@bob /second {code} mira\n/resolve {code} no_action Walked her home.")
    assert story.last("bob") == NOTE
    assert story.last("mira") == f"{code} is resolved. {NOTE}"
    # an ordinary case: only whoever resolves it
    for line in report_lines("kim"):
        await story.run(line)
    other = story.code("kim")
    await story.run(f"@alice > Acknowledge\n/second {other} mira\n/resolve {other} warning Done.")
    assert story.last("alice") == NOTE
    assert f"{other} is resolved. {NOTE}" not in story.chat("mira")


@pytest.mark.parametrize("how", ["help now", "assessed critical"])
async def test_aftercare_at_the_end_of_a_shift_that_had_a_critical_case(
    story: Story, how: str
) -> None:
    if how == "help now":
        await story.run("@sam /start\n> I need help now\n@alice > Acknowledge")
    else:
        for line in report_lines("sam"):
            await story.run(line)
        await story.run(f"@alice > Acknowledge\n/severity {story.code('sam')} critical")
    await story.advance(8 * HOUR)  # 18:00: Alice's shift ends
    assert f"Your shift has ended. {NOTE}" in story.chat("alice")
    await story.advance(14 * HOUR)  # 08:00: Bob's night shift had none
    assert not any("Your shift has ended" in t for t in story.chat("bob"))


async def test_aftercare_when_going_off_duty_after_a_shift_that_had_one(story: Story) -> None:
    await story.run("@mira /shift on")
    await story.advance(HOUR)
    await story.run("@mira /shift off")
    assert story.last("mira").startswith("You're off duty.")  # nothing critical: no note
    await story.run("@mira /shift on\n@sam /start\n> I need help now\n@mira /shift off")
    assert story.last("mira") == NOTE


# -- Whom a reporter would prefer to talk to ---------------------------------------------------


PREFS = (
    STORIES.replace(
        'name = "Alice Example"\n',
        'name = "Alice Example"\nlanguages = ["English"]\ngender = "woman"\n',
    )
    .replace(
        'name = "Bob Builder"\n',
        'name = "Bob Builder"\nlanguages = ["English", "German"]\ngender = "man"\n',
    )
    .replace('name = "Lena Lead"\n', 'name = "Lena Lead"\nlanguages = ["English"]\n')
    .replace('name = "Mira Lead"\n', 'name = "Mira Lead"\nlanguages = ["english", "Swahili"]\n')
)
LEADS_SECOND = PREFS.replace(
    '{ notify = ["safety_contacts"], wait = "5m" },\n  { notify = ["leads", "external:foundation"],'
    ' wait = "10m" },',
    '{ notify = ["leads"], wait = "5m" },',
)
GERMAN = "They would prefer to talk to someone who speaks German."


async def _told(database: Path | str, team: str) -> Story:
    return await Story(database, parse_team_text(team, "prefs.toml")).start()


async def test_a_preference_is_offered_after_the_page_and_pages_a_match_on_duty_at_once(
    database: Path | str,
) -> None:
    story = await _told(database, PREFS)
    for line in report_lines("sam"):
        await story.run(line)
    shown = story.messages()
    paged = next(i for i, (chat, t) in enumerate(shown) if chat == "alice" and ACCOUNT in t)
    asked = next(i for i, (chat, t) in enumerate(shown) if "someone in particular" in t)
    assert paged < asked  # the page never waits for the answer
    # English is spoken by everyone, so it is no choice
    assert offered(story, "someone in particular") == [
        "Woman",
        "Man",
        "Someone who speaks German",
        "Someone who speaks Swahili",
        "No preference",
    ]
    seen = len(story.messages())
    await story.run("@bob /shift on\n@sam > Someone who speaks German")
    assert story.last("sam").startswith("Thank you. The safety team will see this")
    (page,) = [t for t in since(story, seen, "bob") if ACCOUNT in t]
    assert f"{GERMAN} On duty and matching: Bob Builder." in page
    assert "Would prefer to talk to: someone who speaks German" in page
    assert GERMAN in story.last("alice")  # her page says so too
    await story.run("@alice > Acknowledge")
    assert f"{GERMAN} On duty and matching: Bob Builder." in story.last("alice")
    await story.stop()


async def test_a_later_step_pages_a_match_who_came_on_duty_and_only_with_a_preference(
    database: Path | str,
) -> None:
    story = await _told(database, LEADS_SECOND)
    for line in [*report_lines("sam"), "@sam > Someone who speaks German"]:
        await story.run(line)
    assert f"{GERMAN} Nobody on duty matches." in story.last("alice")
    for line in [*report_lines("kim"), "@kim > No preference", "@bob /shift on"]:
        await story.run(line)
    seen = len(story.messages())
    await story.advance(300)  # the second step: the leads, and Bob for Sam's report alone
    (page,) = [t for t in since(story, seen, "bob") if ACCOUNT in t]
    assert story.code("sam") in page
    assert len([t for t in since(story, seen, "lena") if ACCOUNT in t]) == 2
    await story.stop()


async def test_a_preference_on_a_taken_report_reaches_its_handler(database: Path | str) -> None:
    story = await _told(database, PREFS)
    for line in [*report_lines("sam"), "@alice > Acknowledge", "@sam > Woman"]:
        await story.run(line)
    assert story.last("alice") == (
        f"{story.code('sam')} · They would prefer to talk to someone whose gender is woman."
        " On duty and matching: Alice Example."
    )
    await story.stop()


async def test_no_preference_is_asked_when_the_team_gave_none(story: Story) -> None:
    for line in report_lines("sam"):
        await story.run(line)
    assert not any("someone in particular" in t for t in story.chat("sam"))


def test_the_team_file_takes_languages_and_a_self_described_gender() -> None:
    config = parse_team_text(PREFS, "prefs.toml")
    bob = config.member("bob")
    assert bob is not None and bob.languages == ["English", "German"] and bob.gender == "man"
    with pytest.raises(TeamFileError, match=r"members\[0\]\.gender: must not be empty"):
        parse_team_text(PREFS.replace('gender = "woman"', 'gender = ""'), "prefs.toml")


WORDS = st.sampled_from(
    ["English", "english ", "German", "Swahili", "woman", "man", "Woman", "Kiswahili " * 9]
)


@given(
    st.lists(
        st.tuples(
            st.lists(WORDS, max_size=3), st.none() | WORDS, st.sampled_from(["lead", "organizer"])
        ),
        min_size=1,
        max_size=5,
    )
)
def test_the_choices_are_what_some_handlers_said_and_not_what_all_share(
    members: list[tuple[list[str], str | None, str]],
) -> None:
    team = Team(
        TeamFile.model_validate(
            {
                "team": {"name": "T", "timezone": "UTC"},
                "members": [
                    {"id": f"m{i}", "name": f"M{i}", "roles": [role], "languages": langs}
                    | ({"gender": gender} if gender else {})
                    for i, (langs, gender, role) in enumerate(members)
                ],
            }
        ),
        [CONSOLE],
    )
    offered = preferences.options(team)
    handlers = team.handlers()
    assert len(offered) <= preferences.MOST_CHOICES
    assert len({(p.kind, p.value.casefold()) for p in offered}) == len(offered)
    for choice in offered:
        matched = [m for m in handlers if choice.matches(m)]
        assert matched  # someone who can be asked for
        if choice.kind == preferences.LANGUAGE:
            assert len(matched) < len(handlers)  # not a language everyone speaks
        assert preferences.Preference.parse(choice.key) == choice
        assert 0 < len(choice.label) <= preferences.LABEL_LIMIT


@pytest.mark.parametrize("typed", ["yes", "I need help now", "someone is following me please help"])
async def test_typing_at_the_danger_question_shows_the_way_to_help_and_tells_nobody(
    story: Story, typed: str
) -> None:
    seen = len(story.messages())
    await story.run(f"@sam /report\n@sam {typed}")
    said = since(story, seen, "sam")
    assert any(NUMBERS in t for t in said)  # the emergency information, at once
    assert "I need help now" in labels(story, "sam") or "I need help now" in offered(
        story, "If you are in danger right now"
    )
    assert others(story, seen, "sam") == []  # nobody is alerted until they choose to
