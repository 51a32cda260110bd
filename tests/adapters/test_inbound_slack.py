"""What people send on Slack, through the real slack-bolt against the fake Slack: every free-text
answer decoded once from Slack's escaping and encoded once for display, and edits of what was
written (``message_changed``)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fakes.slack_api import FakeSlack
from intake_steps import intake_steps
from test_slack import ALICE, FAST, SAM, SECRET, SlackBot, code_in, slack_bot

from bot.domain.model import Report


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(post_rate=FAST) as server:
        yield server
        assert server.violations == []


@pytest.fixture
async def bot(tmp_path: Path, fake: FakeSlack) -> AsyncIterator[SlackBot]:
    async with slack_bot(tmp_path / "slack.db", fake) as running:
        yield running


async def report_of(bot: SlackBot, code: str) -> Report:
    async with bot.app.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None
        return await tx.get_report(case.report_id)


async def send_dm(bot: SlackBot, event: dict[str, Any], expect: str) -> None:
    """Deliver a DM event the test built, then wait for the answer containing ``expect``."""
    before = len(bot.texts(SAM))
    status, _ = await bot.fake.send_event(bot.url, SECRET, event)
    assert status == 200
    await bot.fake.wait_for(lambda: any(expect in t for t in bot.texts(SAM)[before:]), timeout=10)


async def report(
    bot: SlackBot,
    *,
    account: dict[str, Any] | str = "He kept following me.",
    where: str = "> At the event venue",
    who: str = "A tall person",
    send: bool = True,
) -> dict[str, dict[str, Any]]:
    """The intake in the DM; free text given as a string is typed, a dict is a prepared event.
    Returns the events written, by step."""
    written: dict[str, dict[str, Any]] = {}

    async def answer(name: str, value: dict[str, Any] | str, expect: str) -> None:
        if isinstance(value, str) and value.startswith("> "):
            await bot.step(SAM, value, expect)
            return
        event = value if isinstance(value, dict) else bot.fake.dm_event(SAM, value)
        written[name] = event
        await send_dm(bot, event, expect)

    typed: dict[str, dict[str, Any] | str] = {"account": account, "where": where, "who": who}
    marks = {f"<{name}>": name for name in typed}  # stand-ins for the answers given here
    for action, expect in intake_steps(**{name: mark for mark, name in marks.items()}):
        if action in marks:
            await answer(marks[action], typed[marks[action]], expect)
        else:  # on Slack a DM greets; /start is Telegram's
            await (bot.open_dm(SAM) if action == "/start" else bot.step(SAM, action, expect))
    if send:
        await bot.step(SAM, "> Send report", "Your report is in")
    return written


def sam_code(bot: SlackBot) -> str:
    return code_in(next(t for t in bot.texts(SAM) if "Your report is in" in t))


def shown(fake: FakeSlack, message: dict[str, Any]) -> str:
    """What a person reads, without the bold and italic marks around the bot's own labels (the
    texts in these tests have none of their own)."""
    return re.sub(r"[*_]", "", fake.read(message))


def sections(message: dict[str, Any]) -> str:
    return "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")


async def test_a_where_answer_with_ampersand_and_angle_brackets_reads_exactly_as_typed(
    bot: SlackBot, fake: FakeSlack
) -> None:
    await report(bot, where="R&D room <2nd floor>")
    summary = await bot.said(SAM, "Here is your report")
    assert "Where: Somewhere else: R&D room <2nd floor>" in shown(fake, summary)
    code = sam_code(bot)
    page = await bot.said(ALICE, code)
    assert "Where: Somewhere else: R&D room <2nd floor>" in shown(fake, page)
    assert "R&amp;D room &lt;2nd floor&gt;" in sections(page)  # escaped once, not twice
    assert "&amp;amp;" not in sections(page)
    assert (await report_of(bot, code)).body.where_detail == "R&D room <2nd floor>"


async def test_text_that_looks_escaped_stays_what_was_typed(bot: SlackBot, fake: FakeSlack) -> None:
    typed = "He wrote &lt;3 and a &amp;&amp; b -> <script> & &gt; 'quotes' \"too\" &#39;"
    await report(bot, account=typed, who="<@U0BOB> is how I'd write it")
    code = sam_code(bot)
    page = await bot.said(ALICE, code)
    assert f"  {typed}" in fake.read(page)
    assert "Who was involved: <@U0BOB> is how I'd write it" in shown(fake, page)
    assert "<@" not in sections(page)  # shown as text, notifies nobody
    assert (await report_of(bot, code)).body.account == [typed]


async def test_links_and_mentions_read_as_slack_showed_them_and_notify_nobody(
    bot: SlackBot, fake: FakeSlack
) -> None:
    markup = (
        "He sent <https://example.org/a?b=1&amp;c=2|example.org/a> and "
        "<http://evil.example|evil.example>, tagged <@U0BOB> and <@U0LENA|lena>, "
        "posted in <#C0GEN|general>, then <!here> and <!channel>; mail <mailto:jo@x.org|jo@x.org>"
    )
    account = fake.dm_event(SAM, "", markup=markup)
    await report(bot, account=account)
    code = sam_code(bot)
    expected = (
        "He sent example.org/a (https://example.org/a?b=1&c=2) and evil.example, tagged @U0BOB"
        " and @lena, posted in #general, then @here and @channel; mail jo@x.org"
    )
    assert (await report_of(bot, code)).body.account == [expected]
    page = await bot.said(ALICE, code)
    assert f"  {expected}" in fake.read(page)
    raw = sections(page)
    for control in ("<@", "<!", "<#", "<http", "<mailto"):
        assert control not in raw


async def test_a_safety_command_with_special_characters_keeps_them(
    bot: SlackBot, fake: FakeSlack
) -> None:
    await report(bot)
    code = sam_code(bot)
    await bot.press(ALICE, "Acknowledge")
    await bot.said(SAM, "has picked up your report")
    status, _ = await fake.send_command(
        bot.url, SECRET, text=f"note {code} Spoke to R&D <lead> & venue", user_id=ALICE
    )
    assert status == 200
    await bot.said(ALICE, "Noted on")
    await fake.send_command(bot.url, SECRET, text=f"case {code}", user_id=ALICE)
    await fake.wait_for(  # /case shows the note in the timeline, as it was typed
        lambda: any("Spoke to R&D <lead> & venue" in fake.read(m) for m in fake.messages(ALICE))
    )


async def test_an_edit_in_the_dm_corrects_the_draft_then_the_sent_report(
    bot: SlackBot, fake: FakeSlack
) -> None:
    written = await report(bot, account="It was at 8 & it lasted <10 minutes.", send=False)
    original = written["account"]
    await send_dm(
        bot,
        fake.dm_edit_event(original, "It was at 9 & it lasted <10 minutes."),
        "I've changed that in your report (What happened)",
    )
    await bot.step(SAM, "> Send report", "Your report is in")
    code = sam_code(bot)
    page = await bot.said(ALICE, code)
    assert "It was at 9 & it lasted <10 minutes. (corrected by the reporter" in shown(fake, page)
    assert "first written: It was at 8 & it lasted <10 minutes.)" in shown(fake, page)
    await send_dm(
        bot,
        fake.dm_edit_event(original, "It was at 9:30 & it lasted <10 minutes."),
        f"I've added your correction to {code}",
    )
    body = (await report_of(bot, code)).body
    assert body.account == ["It was at 9:30 & it lasted <10 minutes."]
    async with bot.app.store.transaction() as tx:
        case = await tx.find_case(code)
        assert case is not None
        kinds = [e.kind for e in await tx.audit_for(case.id)]
    assert "corrected_before_sending" in kinds and "reporter_corrected" in kinds


async def test_changes_that_are_not_a_persons_edit_are_ignored(
    bot: SlackBot, fake: FakeSlack
) -> None:
    written = await report(bot, account="He blocked the door.")
    code = sam_code(bot)
    original = written["account"]
    unfurl = fake.dm_edit_event(original, "He blocked the door.")  # a link preview: same words
    await fake.send_event(bot.url, SECRET, unfurl)
    bots_own = fake.dm_edit_event(original, "Something else", user="UBOT")
    bots_own["message"]["bot_id"] = "B0BOT"
    await fake.send_event(bot.url, SECRET, bots_own)
    # A real edit afterwards is answered; the two changes before it never were.
    await send_dm(
        bot,
        fake.dm_edit_event(original, "He blocked the door twice."),
        f"I've added your correction to {code}",
    )
    answered = [t for t in bot.texts(SAM) if "I've added your correction" in t]
    assert len(answered) == 1
    assert (await report_of(bot, code)).body.account == ["He blocked the door twice."]
