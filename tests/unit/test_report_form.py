"""The report as one form (Slack's modal) and the home view, through the core."""

from __future__ import annotations

from dataclasses import replace

from support import Harness

from handlers.participant import intake, report_form

GOOD = {
    "danger": "no",
    "role": "witness",
    "account": "I saw someone being followed to the lifts. <!channel>",
    "when": "Just now",
    "where": "venue",
    "who": "A tall person",
    "affiliation": "participant",
    "witnesses": "",
    "disclosure": "pseudonymous",
    "contact": "here",
    "excluded": ["bob"],
    "outcome": "",
}


def test_the_form_offers_the_same_choices_as_the_conversation(bot: Harness) -> None:
    by_name = {f.name: f for f in report_form.fields(bot.app.team)}
    for step in ("danger", "role", "where", "affiliation", "disclosure"):
        assert by_name[step].options == intake.BY_NAME[step].options
    assert [label for _, label in by_name["excluded"].options] == [
        "Alice Example",
        "Bob Builder",
        "Lena Lead",
    ]


def test_problems_name_each_field_that_would_be_refused(bot: Harness) -> None:
    bad = {**GOOD, "account": "", "danger": "maybe", "excluded": ["mallory"], "when": "x" * 3001}
    assert report_form.problems(bot.app.team, bad) == {
        "danger": "Please choose one of the options.",
        "account": "Please answer this one.",
        "when": "Please keep this under 3000 characters.",
        "excluded": "Please choose from the list.",
    }
    assert report_form.problems(bot.app.team, GOOD) == {}


def test_invisible_characters_are_no_answer_in_the_form(bot: Harness) -> None:
    """What happened (the one required answer) of only invisible characters is refused; an
    optional answer of them is left empty, as if skipped."""
    invisible = "\u200b\u00ad\u200e "
    form = {**GOOD, "account": invisible, "when": invisible}
    assert report_form.problems(bot.app.team, form) == {"account": "Please answer this one."}
    assert report_form.body_from({**GOOD, "when": invisible}).when == ""


async def test_a_submitted_form_creates_the_case_as_the_conversation_does(bot: Harness) -> None:
    await bot.app.handle(replace(bot.event("sam"), form=GOOD))
    await bot.app.flush()
    code = bot.confirmation("sam").split("Your report is in: ")[1][:7]
    case = await bot.case(code)
    assert case.excluded == ["bob"]
    async with bot.app.store.transaction() as tx:
        report = await tx.get_report(case.report_id)
    assert report.body.role == "witness"
    assert report.body.contact == "Message me here" and report.body.updates
    assert any(code in t for t in bot.platform.texts("alice"))
    assert any(code in t for t in bot.platform.texts("team"))


async def test_a_refused_form_changes_nothing(bot: Harness) -> None:
    await bot.app.handle(replace(bot.event("sam"), form={**GOOD, "role": "judge"}))
    await bot.app.flush()
    assert "nothing was sent" in bot.last_text("sam")
    async with bot.app.store.transaction() as tx:
        assert await tx.list_cases() == []


async def test_home_shows_a_reporter_their_reports_and_a_contact_their_cases(
    bot: Harness,
) -> None:
    code = await bot.file_report()
    await bot.press("alice", "Acknowledge")
    await bot.app.handle(replace(bot.event("sam"), chat_id="home:sam", home=True))
    await bot.app.handle(replace(bot.event("alice"), chat_id="home:alice", home=True))
    await bot.app.flush()
    sam = bot.platform.last("home:sam")
    assert f"{code}: picked up by the safety team" in sam.text
    assert sam.message.choices[0].link == "report_form"
    alice = bot.platform.last("home:alice").text
    assert "You are on duty now." in alice
    assert f"{code} · medium · acknowledged" in alice
    assert "Someone kept following me" not in alice + sam.text
