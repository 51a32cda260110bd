"""The whole bot on Slack: the real slack-bolt and slack_sdk over real HTTP against a local fake
Web API checked against the official description; events and presses arrive signed."""

from __future__ import annotations

import asyncio
import re
import socket
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from fakes.slack_api import FakeSlack
from slack_manifest import bot_scopes
from support import ShiftedClock
from teams import slack_team

from adapters.slack.runner import SlackAdapter
from bot.config.teamfile import TeamFile
from bot.main.app import BotApp
from bot.runtime.crypto import generate_key

SECRET = "test-signing-secret"
SAM, ALICE, BOB, LENA = "U0SAM", "U0ALICE", "U0BOB", "U0LENA"
CHANNEL = "C0TEAM01"
GRANTED = bot_scopes()  # the bot has exactly what the app manifest asks for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Tests drive conversations far faster than people type; both sides use a faster per-channel
# rate here (test_slack_rate_limit_is_respected checks Slack's real one).
FAST = 50.0


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(post_rate=FAST, scopes=GRANTED) as server:
        yield server
        assert server.violations == []
        assert server.rate_limited == 0
        assert server.late == []


class SlackBot:
    """The bot running in HTTP mode, and how a person drives it through the fake."""

    def __init__(self, fake: FakeSlack, app: BotApp, url: str, path: Path) -> None:
        self.fake, self.app, self.url, self.path = fake, app, url, path
        self.opened: set[str] = set()  # who has written their first DM (open_dm)

    def texts(self, channel: str) -> list[str]:
        return [self.fake.visible_text(m) for m in self.fake.messages(channel)]

    async def said(self, channel: str, fragment: str, count: int = 1) -> dict[str, Any]:
        await self.fake.wait_for(
            lambda: sum(fragment in t for t in self.texts(channel)) >= count, timeout=10
        )
        return [m for m in self.fake.messages(channel) if fragment in self.fake.visible_text(m)][-1]

    async def write(self, user: str, text: str, **options: Any) -> tuple[int, str]:
        return await self.fake.send_event(
            self.url, SECRET, self.fake.dm_event(user, text), **options
        )

    def button(self, channel: str, label: str) -> tuple[dict[str, Any], dict[str, Any]]:
        for message in reversed(self.fake.messages(channel)):
            for block in message.get("blocks") or []:
                for element in block.get("elements") or []:
                    if element.get("type") == "button" and element["text"]["text"] == label:
                        return message, element
        raise AssertionError(f"no button {label!r} in {channel}: {self.texts(channel)}")

    async def press(self, user: str, label: str, channel: str | None = None) -> tuple[int, str]:
        message, element = self.button(channel or user, label)
        payload = self.fake.block_action(
            user, channel or user, message["ts"], element["action_id"], element.get("value")
        )
        return await self.fake.send_interaction(self.url, SECRET, payload)

    async def step(self, user: str, action: str, expect: str) -> None:
        before = len(self.texts(user))
        if action.startswith("> "):
            status, _ = await self.press(user, action[2:])
        else:
            status, _ = await self.write(user, action)
        assert status == 200
        await self.fake.wait_for(
            lambda: any(expect in t for t in self.texts(user)[before:]), timeout=10
        )

    async def open_dm(self, user: str) -> None:
        """A first DM, as on Slack (/start is Telegram's): its words are kept as the start of a
        report after the welcome, and here deleted, so that a report starts empty. Only once: to
        a reporter with an open report, the same words would be added to it."""
        if user in self.opened:
            return
        self.opened.add(user)
        await self.step(user, "hello", "Only the safety team reads a report")
        await self.step(user, "> Stop and delete it", "Stopped")

    async def file_report(
        self,
        user: str = SAM,
        account: str = "He kept following me.",
        who: str = "A tall person",
        when: str = "> Earlier today",
        witnesses: str = "> No one",
    ) -> str:
        await self.open_dm(user)
        await self.step(user, "> Report something", "are you in danger")
        await self.step(user, "> No", "Which of these fits best")
        await self.step(user, "> It happened to me", "How identifiable")
        await self.step(user, "> Pseudonymous", "How may the safety team contact you")
        await self.step(user, "> Message me here", "In your own words")
        await self.step(user, account, "Add more if you like")
        await self.step(user, "> Done", "When did it happen")
        await self.step(user, when, "Where did it happen")
        await self.step(user, "> At the event venue", "Who was involved")
        await self.step(user, who, "connected to the event")
        await self.step(user, "> A participant", "anyone else see")
        await self.step(user, witnesses, "anyone on the safety team")
        await self.step(user, "> Done", "outcome")
        await self.step(user, "> Skip", "Here is your report")
        await self.step(user, "> Send report", "Your report is in")
        return code_in(next(t for t in self.texts(user) if "Your report is in" in t))


def code_in(text: str) -> str:
    match = re.search(r"FS-[A-Z2-9]{4}", text)
    assert match is not None, text
    return match.group(0)


async def listening(url: str, task: asyncio.Future[Any], timeout: float = 30) -> None:
    """Wait until the bot's HTTP server answers (not for a fixed time: a busy machine is slow)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    async with aiohttp.ClientSession() as session:
        while True:
            assert not task.done(), task
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            assert loop.time() < deadline, f"{url} did not answer within {timeout} s"
            await asyncio.sleep(0.02)


@asynccontextmanager
async def slack_bot(
    path: Path, fake: FakeSlack, config: TeamFile | None = None, **options: Any
) -> AsyncIterator[SlackBot]:
    port = free_port()
    adapter = SlackAdapter(
        "xoxb-test-token",
        signing_secret=SECRET,
        api_url=fake.api_url,
        port=port,
        host="127.0.0.1",
        per_channel=options.pop("per_channel", FAST),
    )
    extra = options.pop("messengers", [])
    await adapter.start()
    app = BotApp(
        database=path,
        config=config or slack_team(),
        key=generate_key(),
        messengers=[adapter.messenger, *extra],
        clock=ShiftedClock(),
    )
    await app.start()
    task = asyncio.create_task(adapter.run(app))
    await listening(f"http://127.0.0.1:{port}/healthz", task)
    try:
        yield SlackBot(fake, app, f"http://127.0.0.1:{port}/slack/events", path)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await app.stop()
        await adapter.stop()


@pytest.fixture
async def bot(tmp_path: Path, fake: FakeSlack) -> AsyncIterator[SlackBot]:
    async with slack_bot(tmp_path / "slack.db", fake) as running:
        yield running


def outbox_sent(path: Path) -> bool:
    """Everything the bot has queued to send has been sent."""
    with sqlite3.connect(path) as conn:
        pending = conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
        return int(pending.fetchone()[0]) == 0


def cases(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0])


async def test_report_in_a_dm_page_acknowledge_and_summary(bot: SlackBot, fake: FakeSlack) -> None:
    code = await bot.file_report(account="He cornered me by the lifts. SECRET-ACCOUNT-77")
    page = await bot.said(ALICE, code)
    assert "SECRET-ACCOUNT-77" in fake.visible_text(page)
    await bot.press(ALICE, "Acknowledge")
    await bot.said(SAM, "has picked up your report")
    await fake.wait_for(lambda: fake.messages(ALICE)[0]["edit_count"] >= 1)
    updated = fake.messages(ALICE)[0]
    assert "acknowledged by Alice" in fake.visible_text(updated)
    assert not [b for b in updated["blocks"] if b["type"] == "actions"]
    # The channel post is edited after the pages (pages go first), so wait for it too.
    await fake.wait_for(lambda: fake.messages(CHANNEL)[0]["edit_count"] >= 1)
    post = fake.messages(CHANNEL)[0]
    assert "acknowledged by Alice" in fake.visible_text(post)
    status, _ = await fake.send_command(
        bot.url, SECRET, text="summary", user_id=LENA, channel_id=CHANNEL
    )
    assert status == 200
    summary = await bot.said(CHANNEL, "summary at")
    assert "Open cases: 1 (1 acknowledged)" in fake.visible_text(summary)
    for message in fake.messages(CHANNEL):
        assert "SECRET-ACCOUNT-77" not in fake.visible_text(message)


async def test_the_same_story_through_the_modal(bot: SlackBot, fake: FakeSlack) -> None:
    trigger = fake.new_trigger_id()
    status, _ = await fake.send_command(
        bot.url, SECRET, text="report", user_id=SAM, trigger_id=trigger
    )
    assert status == 200
    await fake.wait_for(lambda: trigger in fake.modals)
    modal = fake.modals[trigger]
    labels = {b["block_id"]: b for b in modal["blocks"] if b["type"] == "input"}
    danger = [o["value"] for o in labels["danger"]["element"]["options"]]
    assert danger == ["yes", "no", "not_sure"]
    # a refused answer is shown in the form, and nothing is created
    missing = fake.view_submission(SAM, modal["id"], values={"danger": "no"})
    status, body = await fake.send_interaction(bot.url, SECRET, missing)
    assert status == 200 and '"response_action":"errors"' in body.replace(" ", "")
    assert "account" in body
    assert cases(bot.path) == 0
    answers = {
        "danger": "no",
        "role": "target",
        "account": "Modal account MODAL-99",
        "where": "venue",
        "disclosure": "pseudonymous",
        "contact": "here",  # asked on the form too: updates only if chosen
        "excluded": ["bob"],
    }
    status, _ = await fake.send_interaction(
        bot.url, SECRET, fake.view_submission(SAM, modal["id"], values=answers)
    )
    assert status == 200
    confirmation = await bot.said(SAM, "Your report is in")
    code = code_in(fake.visible_text(confirmation))
    page = await bot.said(ALICE, code)
    assert "MODAL-99" in fake.visible_text(page)
    await bot.press(ALICE, "Acknowledge")
    await bot.said(SAM, "has picked up your report")


async def test_a_bad_signature_is_rejected_and_changes_nothing(
    bot: SlackBot, fake: FakeSlack
) -> None:
    status, _ = await bot.write(SAM, "/report", bad_signature=True)
    assert status == 401
    # Refused before the bot saw it: nothing stored (an event is stored before its answer).
    with sqlite3.connect(bot.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0
    # and a signed message after it is the first thing Sam hears back
    await bot.step(SAM, "hello", "Only the safety team reads a report")
    assert fake.messages(SAM)[0]["text"].startswith("Hi, this is the")


async def test_the_same_event_retried_three_times_creates_one_case(
    bot: SlackBot, fake: FakeSlack
) -> None:
    await bot.file_report()
    assert cases(bot.path) == 1
    event = fake.envelope(fake.dm_event(SAM, "/report"))
    for retry in (None, 1, 2, 3):
        status, _ = await fake.send_event(bot.url, SECRET, event, retry_num=retry)
        assert status == 200
    # Each answer came after its handling was stored: whatever the retries caused is in the
    # outbox now. Wait until all of it has been sent, then count.
    await fake.wait_for(lambda: outbox_sent(bot.path), timeout=10)
    starts = [t for t in bot.texts(SAM) if "I'll ask a few questions" in t]
    assert len(starts) == 2  # the first report, and this one /report handled once


async def test_mentions_in_every_free_text_field_notify_nobody(
    bot: SlackBot, fake: FakeSlack
) -> None:
    code = await bot.file_report(
        account="<!channel> look <@U0BOB> & <https://evil.example|click>",
        who="<!here> someone",
        when="<!everyone> yesterday",
        witnesses="<@U0LENA>",
    )
    page = await bot.said(ALICE, code)
    raw = " ".join(b["text"]["text"] for b in page["blocks"] if b["type"] == "section")
    for mention in ("<!channel>", "<@U0BOB>", "<!here>", "<!everyone>", "<@U0LENA>", "<https:"):
        assert mention not in raw
    assert "&lt;!channel&gt; look &lt;@U0BOB&gt; &amp; &lt;https://evil.example|click&gt;" in raw
    assert "<!" not in page["text"] and "<@" not in page["text"]


async def test_a_rate_limit_then_success(bot: SlackBot, fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", retry_after=1, channel=ALICE)
    code = await bot.file_report()
    page = await bot.said(ALICE, code)
    assert "A new report needs a safety contact." in fake.visible_text(page)
    assert len([t for t in bot.texts(ALICE) if code in t]) == 1


async def test_app_home_shows_reports_and_a_report_button(bot: SlackBot, fake: FakeSlack) -> None:
    code = await bot.file_report()
    await fake.send_event(bot.url, SECRET, fake.app_home_opened(SAM))
    await fake.wait_for(lambda: fake.home(SAM) is not None)
    home = fake.visible_text(fake.home(SAM) or {})
    assert code in home and "received, waiting for someone on the safety team" in home
    assert "Report something" in home
    trigger = fake.new_trigger_id()
    home_view = fake.home(SAM) or {}
    press = fake.view_action(SAM, home_view["id"], "fsb_report_form", trigger_id=trigger)
    status, _ = await fake.send_interaction(bot.url, SECRET, press)
    assert status == 200
    await fake.wait_for(lambda: trigger in fake.modals)
    assert fake.modals[trigger]["title"]["text"] == "Report something"
    await bot.press(ALICE, "Acknowledge")
    await fake.send_event(bot.url, SECRET, fake.app_home_opened(ALICE))
    await fake.wait_for(lambda: fake.home(ALICE) is not None)
    alice = fake.visible_text(fake.home(ALICE) or {})
    assert "You are on duty now." in alice and code in alice
    assert "He kept following me." not in alice


async def test_a_report_on_slack_pages_an_on_duty_contact_on_telegram(
    tmp_path: Path, fake: FakeSlack
) -> None:
    from fakes.telegram_api import FakeTelegram

    from adapters.telegram.runner import TelegramAdapter

    async with FakeTelegram() as telegram:
        tg = TelegramAdapter("123:ABC", telegram.base_url, poll_timeout=1)
        await tg.start()
        team = slack_team(alice="telegram = 111")
        async with slack_bot(tmp_path / "mixed.db", fake, team, messengers=[tg.messenger]) as bot:
            code = await bot.file_report()
            await telegram.wait_for(
                lambda: any(code in m["text"] for m in telegram.messages(111)), timeout=10
            )
            assert fake.messages(ALICE) == []
        await tg.stop()
        assert telegram.violations == []


async def test_slack_rate_limit_is_respected(tmp_path: Path) -> None:
    """Slack's own limit (a short burst, then one message a second to a conversation)."""
    async with (
        FakeSlack(scopes=GRANTED) as strict,
        slack_bot(tmp_path / "rl.db", strict, per_channel=1.0) as bot,
    ):
        loop = asyncio.get_running_loop()
        started = loop.time()
        for _ in range(3):
            status, _ = await bot.write(ALICE, "/help")  # two answers each
            assert status == 200
        await strict.wait_for(lambda: len(strict.messages(ALICE)) == 6, timeout=15)
        assert loop.time() - started >= 2.5  # 3 at once, then the rest a second apart
        assert strict.rate_limited == 0
        assert strict.violations == []


async def test_one_conversation_at_slacks_pace_does_not_hold_up_another(tmp_path: Path) -> None:
    """A conversation that has had its share waits its turn; others' messages go meanwhile."""
    async with (
        FakeSlack(scopes=GRANTED) as strict,
        slack_bot(tmp_path / "pace.db", strict, per_channel=1.0) as bot,
    ):
        for _ in range(3):
            status, _ = await bot.write(ALICE, "/help")  # two answers each: six, at one a second
            assert status == 200
        status, _ = await bot.write(BOB, "/help")
        assert status == 200
        await strict.wait_for(lambda: len(strict.messages(BOB)) == 2, timeout=15)
        # Not behind Alice's queue: Bob's answers came while hers were still going out, at her
        # pace (four more, a second apart). An order, not a time, so a busy machine agrees.
        assert len(strict.messages(ALICE)) < 6
        await strict.wait_for(lambda: len(strict.messages(ALICE)) == 6, timeout=15)
        texts = [strict.visible_text(m) for m in strict.messages(ALICE)]
        assert texts[0::2] == [texts[0]] * 3 and texts[1::2] == [texts[1]] * 3  # in order
        assert strict.rate_limited == 0
        assert strict.violations == []


async def test_socket_mode_receives_events_and_presses_and_acks_them(
    tmp_path: Path, fake: FakeSlack
) -> None:
    adapter = SlackAdapter(
        "xoxb-test-token", app_token="xapp-test-token", api_url=fake.api_url, per_channel=FAST
    )
    await adapter.start()
    app = BotApp(
        database=tmp_path / "socket.db",
        config=slack_team(),
        key=generate_key(),
        messengers=[adapter.messenger],
        clock=ShiftedClock(),
    )
    await app.start()
    task = asyncio.create_task(adapter.run(app))
    try:
        await asyncio.wait_for(fake.socket_connected.wait(), 10)
        envelope = fake.envelope(fake.dm_event(SAM, "/report"))
        first = await fake.socket_send("events_api", envelope)
        await fake.socket_acked(first)
        await fake.wait_for(
            lambda: any("are you in danger" in fake.visible_text(m) for m in fake.messages(SAM)),
            timeout=10,
        )
        retried = await fake.socket_send(
            "events_api", envelope, retry_attempt=1, retry_reason="timeout"
        )
        await fake.socket_acked(retried)
        message = fake.messages(SAM)[-1]
        button = next(
            e
            for b in message["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["text"]["text"] == "No"
        )
        press = fake.block_action(SAM, SAM, message["ts"], button["action_id"], button["value"])
        pressed = await fake.socket_send("interactive", press)
        await fake.socket_acked(pressed)
        await fake.wait_for(
            lambda: any(
                "Which of these fits best" in fake.visible_text(m) for m in fake.messages(SAM)
            ),
            timeout=10,
        )
        assert sum("are you in danger" in fake.visible_text(m) for m in fake.messages(SAM)) == 1
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await app.stop()


async def test_fsbot_run_serves_slack_in_http_mode(tmp_path: Path, fake: FakeSlack) -> None:
    from subprocesses import fsb_env, start_run
    from teams import SLACK

    (tmp_path / "team.toml").write_text(SLACK.format(alice='slack = "U0ALICE"'))
    port = free_port()
    env = fsb_env(
        {
            "FSB_TEAM_FILE": str(tmp_path / "team.toml"),
            "FSB_DATABASE": f"sqlite:///{tmp_path / 'run.db'}",
            "FSB_ENCRYPTION_KEY": generate_key(),
            "FSB_SLACK_BOT_TOKEN": "xoxb-test-token",
            "FSB_SLACK_API_URL": fake.api_url,
            "FSB_SLACK_PORT": str(port),
        }
    )
    refused = await start_run(env)
    _, err = await refused.communicate()
    assert refused.returncode != 0 and b"FSB_SLACK_SIGNING_SECRET" in err
    env["FSB_SLACK_SIGNING_SECRET"] = SECRET
    proc = await start_run(env)
    try:
        url = f"http://127.0.0.1:{port}/slack/events"
        await listening(f"http://127.0.0.1:{port}/healthz", asyncio.ensure_future(proc.wait()))
        status, _ = await fake.send_event(url, SECRET, fake.dm_event(SAM, "/start"))
        assert status == 200
        await fake.wait_for(lambda: fake.messages(SAM), timeout=10)
        assert "Only the safety team reads a report" in fake.visible_text(fake.messages(SAM)[0])
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), 20)
    assert proc.returncode == 0


async def test_replying_in_the_thread_of_a_case_message_adds_to_the_report(
    bot: SlackBot, fake: FakeSlack
) -> None:
    code = await bot.file_report()
    await bot.press(ALICE, "Acknowledge")
    picked = await bot.said(SAM, "has picked up your report")
    event = fake.dm_event(SAM, "He is back at the coffee stand.", thread_ts=picked["ts"])
    status, _ = await fake.send_event(bot.url, SECRET, event)
    assert status == 200
    forwarded = await bot.said(ALICE, "the reporter added")
    assert code in fake.visible_text(forwarded)
    assert "He is back at the coffee stand." in fake.visible_text(forwarded)


async def test_screen_a_registration_csv_shared_in_the_dm(bot: SlackBot, fake: FakeSlack) -> None:
    await bot.step(LENA, '/person add "Jo Doe" User:JoD jo@example.org', "Added P-1")
    await bot.step(LENA, "/person flag P-1 watch until 2027-08-14", "is flagged watch")
    csv_file = fake.add_file(
        "registrations.csv",
        b"Name,Username,Email\nAnn Example,AnnE,ann@example.org\nJ. Doe,JoD,jd@example.net\n",
    )
    # a participant's file is never downloaded
    await fake.send_event(bot.url, SECRET, fake.dm_event(SAM, "screen", files=[csv_file]))
    await bot.said(SAM, "That is for the safety team")
    assert fake.downloads == []
    await fake.send_event(bot.url, SECRET, fake.dm_event(LENA, "screen", files=[csv_file]))
    answer = fake.visible_text(await bot.said(LENA, "Screening:"))
    assert "line 3 (Username JoD): watch until 2027-08-14" in answer
    assert "Ann" not in answer
    assert fake.downloads == ["xoxb-test-token"]  # the private URL needs the bot token
    assert fake.violations == []
