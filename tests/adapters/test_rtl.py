"""Right to left, through both fakes with their strict checks on: a reporter whose app is in
Arabic is answered in Arabic from the first message, and a report mixing Arabic and Latin names
reaches the member intact: markup unbroken, the case code whole, a name before its username
(issue 21). Telegram's fake checks every call against the Bot API and parses the HTML; Slack's
checks every call against the Web API and its mrkdwn and Block Kit limits."""

from __future__ import annotations

from pathlib import Path

from fakes.slack_api import FakeSlack
from fakes.telegram_api import FakeTelegram
from support import case_code
from test_slack import ALICE as SLACK_ALICE
from test_slack import SAM as SLACK_SAM
from test_slack import SECRET, SlackBot, code_in, slack_bot
from test_slack import fake as fake
from test_telegram import ALICE, SAM, running_bot, texts

from adapters.slack.escaping import from_slack
from bot.text.i18n import translator
from bot.text.richtext import FSI, PDI

AR = translator("ar")
ACCOUNT = "تبعني رجل اسمه Jo Doe من القاعة B12 إلى الفندق <b>لا تنسَ</b> & *هذا*."
WHO = "Jo Doe (@jodoe) و سامي الحربي"
NAME = "سارة"


def arabic(message: str) -> str:
    return AR.gettext(message)


# (what the reporter does, a piece of the answer they then read, as the English message id)
STEPS = [
    ("> Report something", "First, are you in danger right now?"),
    ("> No", "Which of these fits best?"),
    ("> It happened to me", "How identifiable do you want to be to the person handling this?"),
    ("> Named", "How may the safety team contact you about this?"),
    (
        "> Message me here",
        "In your own words, what happened? You can send several messages. Press Done when you"
        " have said what you want to say.",
    ),
    (ACCOUNT, "Got it. Add more if you like, or press Done."),
    ("> Done", "When did it happen? A rough time is fine, or type it."),
    ("> Earlier today", "Where did it happen? Choose one, or type a few words."),
    (
        "> At the event venue",
        "If they are on the safety team, naming them here keeps the report from them.",
    ),
    (WHO, "Do you know how they are connected to the event?"),
    ("> A participant", "Did anyone else see or hear it? Names or descriptions are fine."),
    ("> No one", "Excluded: nobody"),
    ("> Done", "Is there an outcome you would like? This is optional; you can skip it."),
    ("> Skip", "Here is your report. Nothing has been sent yet."),
    ("> Send report", "Thank you for telling us. Your report is in: "),
]


async def press_as_sara(fake: FakeTelegram, label: str) -> None:
    """Sara presses the newest button with this label in her chat (with her name, as Telegram
    sends it with every update)."""

    def newest() -> tuple[int, str] | None:
        for message in reversed(fake.messages(SAM)):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == label and "callback_data" in button:
                        return message["message_id"], button["callback_data"]
        return None

    message_id, data = await fake.wait_for(newest, timeout=10, what=f"a button {label!r}")
    fake.push_callback(SAM, message_id, data, first_name=NAME, username="sara_k")


def action(step: str) -> str:
    return "> " + arabic(step[2:]) if step.startswith("> ") else step


def check_page(page: str, code: str, label: str = "{}") -> None:
    """The page Alice (English) reads: labels in English, the reporter's words as written,
    isolated; the code whole; the reporter's name before their username."""
    assert page.startswith("A new report needs a safety contact.")
    assert "The reporter wrote in Arabic; their words are shown as they wrote them." in page
    assert code in page and f"{code} · " in page
    assert f"{FSI}{ACCOUNT}{PDI}" in page  # every character as written, markup-like ones too
    who = label.format("Who was involved:")
    assert f"{who} {FSI}{WHO}{PDI} (a participant)" in page


async def test_an_arabic_report_on_telegram(tmp_path: Path) -> None:
    async with FakeTelegram() as fake:
        fake.language_codes[SAM] = "ar"
        async with running_bot(tmp_path / "tg.db", fake):
            fake.push_message(SAM, "/start", first_name=NAME, username="sara_k")
            hello = arabic("Hi, this is the {team}.").split("{")[0]
            await fake.wait_for(lambda: any(hello in t for t in texts(fake, SAM)), timeout=10)
            welcome = fake.messages(SAM)[-1]
            assert welcome["text"].startswith(hello)
            labels = [b["text"] for row in welcome["reply_markup"]["inline_keyboard"] for b in row]
            assert labels == [
                arabic("Report something"),
                arabic("I need help now"),
                arabic("How my information is handled"),
                arabic("Language"),
            ]
            for step, answer in STEPS:
                before = len(texts(fake, SAM))
                if step.startswith("> "):
                    await press_as_sara(fake, action(step)[2:])
                else:
                    fake.push_message(SAM, step, first_name=NAME, username="sara_k")
                want = arabic(answer)
                await fake.wait_for(
                    lambda w=want, b=before: any(w in t for t in texts(fake, SAM)[b:]),
                    timeout=10,
                    what=answer,
                )
            code = case_code(next(t for t in texts(fake, SAM) if arabic(STEPS[-1][1]) in t))
            await fake.wait_for(lambda: any(code in t for t in texts(fake, ALICE)), timeout=10)
            page = next(t for t in texts(fake, ALICE) if code in t)
            check_page(page, code)
            # named: the name (isolated) comes before "(@username)", whatever its direction
            assert f"Identity: {FSI}{FSI}{NAME}{PDI} (@sara_k){PDI} on telegram (id {SAM})" in page
            sent = next(m for m in fake.messages(ALICE) if code in m["text"])
            bold = [e for e in sent.get("entities", []) if e["type"] == "bold"]
            assert bold  # the HTML was parsed into entities, not shown as tags
        assert fake.violations == []


async def test_an_arabic_report_on_slack(tmp_path: Path, fake: FakeSlack) -> None:
    fake.add_user(SLACK_SAM, "Sara", locale="ar-SA")
    async with slack_bot(tmp_path / "slack.db", fake) as bot:
        await bot.step(SLACK_SAM, "مرحبا", arabic("How my information is handled"))
        for step, answer in STEPS:
            await slack_step(bot, step, arabic(answer))
        confirmation = next(t for t in bot.texts(SLACK_SAM) if arabic(STEPS[-1][1]).strip() in t)
        code = code_in(confirmation)
        page = from_slack(bot.fake.visible_text(await bot.said(SLACK_ALICE, code)))
        check_page(page, code, label="*{}*")  # mrkdwn: labels bold, the report's "<b>" shown
        # the report form, opened by the same person, is in Arabic too
        trigger = fake.new_trigger_id()
        await fake.send_command(
            bot.url, SECRET, text="report", user_id=SLACK_SAM, trigger_id=trigger
        )
        await fake.wait_for(lambda: trigger in fake.modals)
        modal = fake.modals[trigger]
        assert modal["title"]["text"] == arabic("Report something")
        assert modal["submit"]["text"] == arabic("Send report")
        inputs = {b["block_id"]: b for b in modal["blocks"] if b["type"] == "input"}
        assert inputs["danger"]["label"]["text"] == arabic("Are you in danger right now?")
        options = [o["text"]["text"] for o in inputs["danger"]["element"]["options"]]
        assert options == [arabic("Yes, I'm in danger"), arabic("No"), arabic("Not sure")]


async def slack_step(bot: SlackBot, step: str, want: str) -> None:
    """One step of the Arabic report on Slack: press the Arabic label, or write the text."""
    await bot.step(SLACK_SAM, action(step), want)
