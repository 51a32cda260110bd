"""``fsbot doctor`` against the fake platforms and a real database: each problem present, and
absent in the same setup otherwise (issue 17: one test per problem).

The check runs through python-telegram-bot and slack_sdk over real HTTP against tests/fakes, with
the settings ``fsbot run`` would read; the CLI's exit status is tested in
tests/unit/test_doctor_cli.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlack
from fakes.smtp import SmtpServerFake
from fakes.telegram_api import BOT_USERNAME, FakeTelegram

from bot.config.settings import Settings
from bot.config.teamfile import External, TeamFile, parse_team_text
from bot.domain import readiness as r
from bot.domain.readiness import Finding
from bot.domain.team import Team
from bot.main.readiness import diagnose
from bot.ports.events import Address, Outbound
from bot.runtime.crypto import Cipher, generate_key
from bot.text import readiness_reports as reports
from bot.text.richtext import rich
from storage.sqlite.store import SqliteStore

CHANNEL_TG = -1009990001
CHANNEL_SLACK = "C0REAL001"
LENA_TG, SAM_TG, OUTSIDE_TG = 4242, 4343, -1005550001
SAM_SLACK = "U0SAM0001"

TEAM = f"""\
[team]
name = "Test team"
timezone = "UTC"

[channels]
telegram = {CHANNEL_TG}
slack = "{CHANNEL_SLACK}"

[[members]]
id = "lena"
name = "Lena Lead"
roles = ["safety_contact", "lead"]
telegram = {LENA_TG}
slack = "U0LENA001"

[[members]]
id = "sam"
name = "Sam Safety"
roles = ["safety_contact"]
telegram = {SAM_TG}
slack = "{SAM_SLACK}"

[[external]]
id = "venue"
name = "Venue security"
telegram = {OUTSIDE_TG}
"""


@dataclass
class Setup:
    telegram: FakeTelegram
    slack: FakeSlack
    settings: Settings
    config: TeamFile
    key: str

    async def run(self) -> list[Finding]:
        found, _ = await diagnose(self.settings, self.config)
        assert self.telegram.violations == [] and self.slack.violations == []
        return found

    async def kinds(self) -> set[tuple[str, str, str]]:
        return {(f.kind, f.subject, f.platform) for f in await self.run()}


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    key = generate_key()
    database = tmp_path / "fsbot.db"
    store = SqliteStore(database, Cipher(key))
    await store.open()  # a database as `fsbot run` leaves it: migrated, sealed with the key
    await store.close()
    async with FakeTelegram(rate_limits=False) as telegram, FakeSlack() as slack:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database=f"sqlite:///{database}",
            encryption_key=key,
            telegram_token="123:abc",
            telegram_api_url=telegram.base_url,
            slack_bot_token="xoxb-test",
            slack_app_token="xapp-test",
            slack_api_url=slack.api_url,
        )
        yield Setup(telegram, slack, settings, parse_team_text(TEAM), key)


async def test_a_ready_setup_has_no_problems(setup: Setup) -> None:
    found = await setup.run()
    assert found == []
    assert reports.full_report(found, {}) == "Ready: no problems found."
    # nothing anyone reads was sent: a passing "typing..." at most
    assert setup.telegram.calls_to("sendMessage") == []
    assert len(setup.telegram.calls_to("sendChatAction")) == 3  # Lena, Sam, the venue's chat
    assert [m for m, _ in setup.slack.calls if m == "chat.postMessage"] == []


async def test_a_refused_telegram_token(setup: Setup) -> None:
    setup.telegram.revoke_token()
    found = await setup.run()
    assert [(f.kind, f.platform, f.blocking) for f in found] == [(r.CREDENTIALS, "telegram", True)]
    assert "123:abc" not in reports.full_report(found, {})


async def test_a_refused_slack_token(setup: Setup) -> None:
    setup.slack.revoke_token("invalid_auth")
    found = await setup.run()
    assert [(f.kind, f.platform) for f in found] == [(r.CREDENTIALS, "slack")]
    assert "invalid_auth" in reports.full_report(found, {})


async def test_telegram_privacy_mode_off(setup: Setup) -> None:
    setup.telegram.privacy_mode(enabled=False)
    assert await setup.kinds() == {(r.PRIVACY_MODE_OFF, "channel", "telegram")}
    setup.telegram.privacy_mode(enabled=True)
    assert await setup.kinds() == set()


async def test_the_bot_is_not_in_the_telegram_group(setup: Setup) -> None:
    setup.telegram.leave_group(CHANNEL_TG)
    assert await setup.kinds() == {(r.CANNOT_POST, "channel", "telegram")}


async def test_the_bot_may_not_send_in_the_telegram_group(setup: Setup) -> None:
    setup.telegram.leave_group(CHANNEL_TG, muted=True)
    assert await setup.kinds() == {(r.CANNOT_POST, "channel", "telegram")}


async def test_the_bot_is_not_in_the_slack_channel(setup: Setup) -> None:
    setup.slack.remove_bot(CHANNEL_SLACK)
    found = await setup.run()
    assert {(f.kind, f.platform) for f in found} == {(r.CANNOT_POST, "slack")}
    assert "/invite @" in reports.full_report(found, {}, {"slack": "@fsb"})


async def test_a_member_who_never_started_the_bot_on_telegram(setup: Setup) -> None:
    setup.telegram.never_started(SAM_TG)
    found, team = await diagnose(setup.settings, setup.config)
    assert [(f.kind, f.subject, f.blocking) for f in found] == [(r.NOT_STARTED, "sam", True)]
    text = reports.full_report(found, {"sam": "Sam Safety"}, team.bot_names)
    assert f"Sam Safety: open a chat with @{BOT_USERNAME} and press Start." in text


async def test_a_member_who_blocked_the_bot_on_telegram(setup: Setup) -> None:
    setup.telegram.block(LENA_TG)
    assert await setup.kinds() == {(r.NOT_STARTED, "lena", "telegram")}


async def test_a_member_who_cannot_be_sent_a_slack_dm(setup: Setup) -> None:
    setup.slack.fail_next("conversations.open", error="user_not_found", channel=SAM_SLACK)
    assert await setup.kinds() == {(r.CANNOT_DM, "sam", "slack")}


async def test_an_external_contact_whose_chat_takes_no_messages(setup: Setup) -> None:
    setup.telegram.fail_next(
        "sendChatAction",
        403,
        description="Forbidden: bot is not a member of the group chat",
        chat_id=OUTSIDE_TG,
    )
    assert await setup.kinds() == {(r.CONTACT_UNREACHABLE, "venue", "telegram")}


async def test_a_member_marked_unreachable_after_a_page_bounced(setup: Setup) -> None:
    store = SqliteStore(setup.settings.sqlite_path, Cipher(setup.key))
    await store.open()
    async with store.transaction() as tx:
        await tx.sync_members(Team(setup.config, ["telegram"]).identities())
        await tx.mark_unreachable("telegram", str(SAM_TG), datetime.now(UTC))
    await store.close()
    assert await setup.kinds() == {(r.MARKED_UNREACHABLE, "sam", "telegram")}


async def test_a_database_made_with_another_key(setup: Setup) -> None:
    setup.settings.encryption_key = type(setup.settings.encryption_key)(generate_key())  # type: ignore[misc,call-arg]
    found = await setup.run()
    assert [(f.kind, f.blocking) for f in found] == [(r.WRONG_KEY, True)]


async def test_a_message_stuck_in_the_outbox_for_over_a_minute(setup: Setup) -> None:
    store = SqliteStore(setup.settings.sqlite_path, Cipher(setup.key))
    await store.open()
    async with store.transaction() as tx:
        message = Outbound(Address("telegram", str(LENA_TG)), rich("hello"))
        await tx.enqueue(message, purpose="notice", case_id=None, now=datetime.now(UTC))
    assert await setup.kinds() == set()  # just written: on its way
    async with store.transaction() as tx:
        old = datetime.now(UTC) - timedelta(minutes=2)
        await tx.enqueue(message, purpose="notice", case_id=None, now=old)
    await store.close()
    found = await setup.run()
    assert [(f.kind, f.facts.get("count")) for f in found] == [(r.OUTBOX_STUCK, 1)]


async def test_migrations_not_yet_applied(setup: Setup) -> None:
    store = SqliteStore(setup.settings.sqlite_path, Cipher(setup.key))
    await store.open()
    await store.close()
    with sqlite3.connect(setup.settings.sqlite_path) as db:
        db.execute(
            "DELETE FROM schema_migrations"
            " WHERE version = (SELECT MAX(version) FROM schema_migrations)"
        )
    found = await setup.run()
    assert [(f.kind, f.blocking) for f in found] == [(r.MIGRATIONS_PENDING, False)]


async def test_outside_contacts_e_mail_with_no_smtp_server_that_answers(setup: Setup) -> None:
    with_email = setup.config.model_copy(deep=True)
    with_email.external.append(
        External(id="foundation", name="Foundation emergency team", email="help@foundation.example")
    )
    setup.config = with_email
    found = await setup.run()
    assert [(f.kind, f.blocking) for f in found] == [(r.EMAIL_UNREACHABLE, True)]
    text = reports.full_report(found, {"foundation": "Foundation emergency team"})
    assert "E-mail to Foundation emergency team cannot be sent" in text
    assert "FSB_SMTP_HOST is not set" in text
    server = SmtpServerFake().start()
    try:
        setup.settings.smtp_host = "127.0.0.1"
        setup.settings.smtp_port = server.port
        setup.settings.smtp_from = "bot@event.example"
        setup.settings.smtp_tls = "none"
        assert await setup.kinds() == set()
    finally:
        server.stop()
