"""Support, closure and a door that stays open (issue 15), told on the console: support beside the
emergency numbers, a word that reporting was right, a closing message in a handler's words, a
closed report that still takes messages, questions that can be skipped, nothing typed thrown
away, someone to tell in person, and check-ins that read neutrally on a lock screen.

The "every promise true" half of the issue is in ``test_words_promises.py``.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from story import Story
from support import Harness
from teams import STORIES, promises_team
from test_words_promises import report

from bot.config.teamfile import TeamFile, TeamFileError, parse_team_text
from bot.domain.model import ReportBody

HOUR = 3600.0
SUPPORT = "Crisis line: 0800 111 222 (24h; English, German)"
RIGHT = "You did the right thing by telling us, and you are not in trouble."
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def story_config() -> TeamFile:
    return promises_team()


async def _closed(story: Story) -> str:
    await story.run(report() + "@alice > Acknowledge")
    code = story.code("alice")
    await story.run(f"@alice /resolve {code} no_action Spoke to them.")
    return code


# -- support and a word that reporting was right -------------------------------------------


async def test_support_is_shown_after_a_report_in_privacy_and_with_emergency_information(
    story: Story,
) -> None:
    await story.run(report())
    told = next(t for t in story.chat("sam") if "Your report is in" in t)
    assert SUPPORT in told and RIGHT in told
    assert "Reporting when you're not sure is fine too." in told
    await story.run("@sam /start\n> How my information is handled")
    assert SUPPORT in story.last("sam")
    await story.run("@kim /report\n> Yes, I'm in danger")
    emergency = next(t for t in story.chat("kim") if "If you are in danger right now" in t)
    assert "0100 200 300" in emergency and SUPPORT in emergency
    await story.run("@lou /start\n> I need help now")
    assert SUPPORT in story.last("lou")


async def test_without_support_in_the_team_file_nothing_is_made_up(database: Path | str) -> None:
    bot = Harness(database)
    bot.config = bot.config.model_copy(update={"support": []})
    bot.app = bot._build()
    await bot.start()
    await bot.file_report()
    assert "Support" not in bot.confirmation("sam") and RIGHT in bot.confirmation("sam")
    await bot.stop()


def test_the_team_file_says_which_support_and_targets_are_wrong() -> None:
    bad = (
        STORIES
        + """
[[support]]
name = "Crisis line"

[[response_target]]
start = "8am"
end = "22:00"
within = "15m"

[[response_target]]
within = "0s"

[[response_target]]
start = "22:00"
within = "1h"
"""
    )
    with pytest.raises(TeamFileError) as raised:
        parse_team_text(bad, "team.toml")
    found = {(p.field, p.message) for p in raised.value.problems}
    assert ("support[0].contact", "missing required field") in found
    assert ("response_target[0].start", "'8am' is not a time like \"08:00\"") in found
    assert any(f == "response_target[1].within" and "is zero" in m for f, m in found)
    assert any(f == "response_target[2]" and "give both start and end" in m for f, m in found)


# -- closing ---------------------------------------------------------------------------------------


async def test_resolve_asks_the_handler_for_a_closing_message_with_a_kind_default(
    story: Story,
) -> None:
    code = await _closed(story)
    asked = next(t for t in reversed(story.chat("alice")) if "A last message" in t)
    assert "Thank you for telling us." in asked and "you can still write to us here" in asked
    assert not any("resolved" in t for t in story.chat("sam"))  # not "is now: resolved"
    await story.run("@alice > Send this")
    closing = story.last("sam")
    assert closing.startswith(f"A message from the safety team about {code}:")
    assert "Thank you for telling us." in closing and SUPPORT in closing
    assert "You can still write to us about it at any time" in closing
    await story.run("@alice > Send this")  # twice: once only
    assert "already dealt with" in story.last("alice")
    assert sum(t.startswith("A message from the safety team") for t in story.chat("sam")) == 1


async def test_the_handler_may_write_their_own_closing_message_or_send_none(
    story: Story,
) -> None:
    first = await _closed(story)
    await story.run("@alice We spoke to him; he will keep away from you for the rest of the event.")
    assert "he will keep away from you" in story.last("sam")
    assert f"A message from the safety team about {first}" in story.last("sam")
    assert story.last("alice") == f"Sent to the reporter of {first}."
    await story.run(report("kim") + "@alice > Acknowledge")
    second = story.code("kim")
    seen = len(story.chat("kim"))
    await story.run(f"@alice /resolve {second} no_action Done.\n> Don't send a message")
    assert story.chat("kim")[seen:] == []
    assert "still reaches you" in story.last("alice")


async def test_a_closed_case_still_takes_messages_and_they_reach_its_handler(
    story: Story,
) -> None:
    code = await _closed(story)
    await story.run(f"@alice > Send this\n/close {code}")
    await story.run(f"@sam > Add to my report {code}\nHe was at the door again today.")
    assert story.last("sam").startswith(f"Sent to the safety team with {code}.")
    assert (
        story.last("alice")
        == f"{code} (closed) · the reporter added:\nHe was at the door again today."
    )
    await story.run(f"@sam > Done\n/mycases\n> Add to my report {code}")
    # Its handler stepped aside: what the reporter writes reaches the leads instead.
    await story.run(f"@alice /recuse {code}\n@sam And once more tonight.")
    for lead in ("lena", "mira"):
        assert story.last(lead).endswith("the reporter added:\nAnd once more tonight.")


# -- questions: skips, order, nothing thrown away ------------------------------------------------


SKIPPABLE = {
    "when": ("Earlier today", "Earlier today"),
    "where": ("At the event venue", "venue"),
    "who": ("I don't know who", "I don't know who"),
    "affiliation": ("A participant", "participant"),
    "witnesses": ("No one", "No one"),
}


async def _intake(path: Path, skipped: set[str]) -> ReportBody:
    bot = Harness(path, config=promises_team())
    await bot.start()
    await bot.say("sam", "/report")
    for label in ("No", "It happened to me", "Pseudonymous", "Message me here"):
        await bot.press("sam", label)
    await bot.say("sam", "Something happened.")
    await bot.press("sam", "Done")
    for question, (label, _) in SKIPPABLE.items():
        await bot.press("sam", "I'd rather not say" if question in skipped else label)
    for label in ("Done", "Skip", "Send report"):
        await bot.press("sam", label)
    code = bot.confirmation("sam").split("Your report is in: ")[1][:7]
    async with bot.app.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None
        body = (await tx.get_report(case.report_id)).body
    await bot.stop()
    return body


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.sampled_from(sorted(SKIPPABLE))))
def test_i_d_rather_not_say_leaves_exactly_the_skipped_fields_empty(skipped: set[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        body = asyncio.run(_intake(Path(folder) / "s.db", skipped))
    for question, (_, stored) in SKIPPABLE.items():
        assert getattr(body, question) == ("" if question in skipped else stored), question
    assert body.account == ["Something happened."]


async def test_every_optional_question_shows_a_skip_and_identity_comes_first(
    story: Story,
) -> None:
    await story.run("@sam /report")
    intro = story.chat("sam")[-2]
    assert "most of them can be skipped" in intro
    asked = []
    script = ["> No", "> It happened to me", "> Named", "> Message me here", "It happened."]
    for line in [*script, "> Done", *(f"> {label}" for label, _ in SKIPPABLE.values())]:
        await story.run(f"@sam {line}")
        asked.append(story.last("sam"))
    assert asked[1].startswith("How identifiable") and asked[2].startswith("How may the safety")
    assert asked[3].startswith("In your own words")
    who = next(t for t in asked if t.startswith("Who was involved?"))
    assert "you don't have to name them" in who
    await story.run(
        "@kim /report\n> No\n> It happened to me\n> Named\n> Message me here\nX\n> Done"
    )
    for _ in SKIPPABLE:  # each shows "I'd rather not say"
        await story.run("@kim > I'd rather not say")
    assert story.last("kim").startswith("Is there anyone on the safety team")


async def test_a_draft_begun_in_the_old_order_is_still_asked_how_identifiable(
    database: Path | str,
) -> None:
    """A draft stored before the update, at "when" with the account given and no identity yet:
    it is asked what it skipped before its summary, not sent without it."""
    bot = Harness(database, config=promises_team())
    await bot.start()
    old = {"danger": "no", "role": "target", "account": ["It happened."]}
    draft = {"flow": "report", "step": "when", "history": ["danger", "role", "account"]}
    async with bot.app.store.transaction() as tx:
        owner = bot.app.cipher.blind_index("console:sam")
        await tx.save_draft(owner, {**draft, "editing": False, "body": old}, bot.clock.now())
    await bot.say("sam", "This morning")  # the answer to "when"
    for label in ("Online", "I don't know who", "Not known", "No one", "Done", "Skip"):
        await bot.press("sam", label)
    assert bot.last_text("sam").startswith("How identifiable do you want to be")
    await bot.press("sam", "Named")
    assert bot.last_text("sam").startswith("How may the safety team contact you")
    await bot.press("sam", "Message me here")
    summary = bot.last_text("sam")
    assert summary.startswith("Here is your report") and "Identifiable as: named" in summary
    assert "What happened:\n  It happened." in summary  # not asked again
    await bot.stop()


async def test_text_typed_where_a_button_was_expected_is_kept_as_a_note(story: Story) -> None:
    typed = {
        "danger": "not really, he left",
        "role": "my friend and me",
        "disclosure": "I don't mind",
        "affiliation": "he works at the bar",
        "exclude": "anyone is fine",
    }
    await story.run(f"""
        @sam /report
        {typed["danger"]}
        > No
        {typed["role"]}
        > It happened to me
        {typed["disclosure"]}
        > Pseudonymous
        > Message me here
        Something happened.
        > Done
        > Earlier today
        > At the event venue
        Rik
        {typed["affiliation"]}
        > A participant
        > No one
        {typed["exclude"]}
        > Done
        > Skip
        Please hurry
    """)
    assert "I've kept what you wrote with your report" in story.chat("sam")[-2]
    summary = story.last("sam")
    await story.run("@sam > Send report")
    page = next(t for t in story.chat("alice") if "A new report" in t)
    for note in [*typed.values(), "Please hurry"]:
        assert note in summary and note in page


# -- someone to tell in person ------------------------------------------------------------------


async def test_i_d_rather_tell_someone_in_person_asks_the_on_duty_contact_to_meet_them(
    story: Story,
) -> None:
    await story.run("""
        @sam /report
        > No
        > It happened to me
        > Anonymous
        He waited for me after the talk.
        > I'd rather tell someone in person
    """)
    code = story.code("sam")
    told = story.last("sam")
    assert told.startswith(f"I've asked the safety contact on duty to meet you in person ({code})")
    assert "without being told who you are" in told and "You can bring a friend." in told
    page = next(t for t in story.chat("alice") if code in t)
    assert "They would rather tell someone in person." in page and "/reply" in page
    assert "He waited for me after the talk." in page  # what they had said is kept
    await story.run(f"@alice > Acknowledge\n/reply {code} Info desk at 14:00? Bring a friend.")
    assert "Info desk at 14:00?" in story.last("sam")
    assert "picked up your report" in story.chat("sam")[-2]
    await story.advance(22 * HOUR)  # 08:00 next day: nobody on the rota
    await story.run("@kim /report\n> I'd rather tell someone in person")
    assert story.last("kim").startswith("I've asked the safety team to meet you in person")
    assert "nobody is on duty right now" in story.last("kim")


# -- anonymous reporters, check-ins ------------------------------------------------------------


async def test_anonymous_reporters_are_told_why_their_report_is_not_in_mycases(
    story: Story,
) -> None:
    await story.run(report(identity="> Anonymous"))
    code = story.code("sam")
    assert "it is not listed in /mycases" in story.last("sam")
    await story.run("@sam /mycases")
    assert code not in story.last("sam")
    assert "Reports sent anonymously are not listed here" in story.last("sam")


async def test_check_ins_read_neutrally_on_a_lock_screen_after_a_tip_on_previews(
    story: Story,
) -> None:
    await story.run(report() + "@sam > Every 2 hours")
    code = story.code("sam")
    assert "turn off message previews for this chat" in story.last("sam")
    await story.advance(2 * HOUR)
    check_in = story.last("sam")
    assert check_in == f"Checking in ({code}). How are you doing?"
    assert "report" not in check_in.lower()


# -- README says the same -------------------------------------------------------------------------


def test_readme_privacy_section_says_what_the_bot_says() -> None:
    section = README.read_text(encoding="utf-8").split("## Privacy, in plain words")[1]
    section = " ".join(section.split("\n## ")[0].split())
    for said in (
        "safety contacts and leads",
        "a team member they bring in to help",
        "never what you said or who you are, unless you agree or someone is in danger",
        "Details you give may still show who you are",
        '"Please don\'t contact me"',
        '"who was involved"',
        '"An organizer" or "Board or staff"',
        "not listed in /mycases",
        "a closed report still takes messages",
        "[[support]]",
    ):
        assert said in section, said
    assert "Nobody else" not in section and "never learns who they are" not in section
